"""API endpoint of the similar systems: the pairs a reviewer has not set aside, best first (read-only).

Pairs judged distinct, as a pair or inside a cluster, are left out, like on the page and in the CLI.
Each item keeps the shape of `mieruka similar --format json`: `a`, `b` (system IDs), `score`, `reasons`.
"""

from django.utils import translation
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from mieruka.core.errors import bilingual
from mieruka.core.permissions import reads_everything

from .. import conf, selectors
from ..figures import reason_text

PAIRS_SCHEMA = inline_serializer(
    name="SimilarPair",
    fields={
        "a": serializers.CharField(),
        "b": serializers.CharField(),
        "score": serializers.FloatField(),
        "reasons": serializers.ListField(child=serializers.CharField()),
    },
    many=True,
)


class SimilarPairViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticated]
    pagination_class = None

    @extend_schema(
        summary="List similar system pairs",
        parameters=[OpenApiParameter("min_score", float, description="0..1; default: the configured threshold")],
        responses=PAIRS_SCHEMA,
    )
    def list(self, request):
        if not reads_everything(request.user):
            raise PermissionDenied(
                bilingual("府省横断の分析を閲覧する権限がありません", "You may not view cross-ministry analyses")
            )
        raw = request.query_params.get("min_score")
        try:
            threshold = float(raw) if raw not in (None, "") else conf.similarity_threshold()
        except ValueError:
            threshold = -1.0
        if not 0 <= threshold <= 1:
            raise ValidationError(
                {"min_score": [bilingual("min_score は0から1の数値で指定してください", "min_score must be a number from 0 to 1")]}
            )
        pairs = selectors.pairs_respecting_verdicts(selectors.similar_pairs(threshold=threshold))
        info = selectors.system_summaries(ids={pk for p in pairs for pk in (p.a, p.b)})
        with translation.override(request.query_params.get("language") or "ja"):
            data = [
                {
                    "a": info[p.a]["system_id"],
                    "b": info[p.b]["system_id"],
                    "score": p.score,
                    "reasons": [reason_text(r) for r in p.reasons],
                }
                for p in pairs
            ]
        return Response(data)
