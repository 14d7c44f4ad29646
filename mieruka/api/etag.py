"""Optimistic locking: an ETag per record, and the If-Match checks every change must pass.

The ETag hashes the record's identity, its `last_updated` time and its audit snapshot (every stored field
and many-to-many link, restricted ones included), so any committed change — even one that leaves
`last_updated` alone, such as a project losing a deleted system — gives a new tag.
"""

from __future__ import annotations

import hashlib
import json

from mieruka.core.audit import serialize_object

from .exceptions import PreconditionFailed, PreconditionRequired


def etag_for(instance) -> str:
    """The quoted strong ETag of a record as stored now."""
    last_updated = getattr(instance, "last_updated", None)
    payload = json.dumps(
        [
            instance._meta.label_lower,
            instance.pk,
            last_updated.isoformat() if last_updated else None,
            serialize_object(instance),
        ],
        sort_keys=True,
        default=str,
        ensure_ascii=False,
    )
    return '"' + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32] + '"'


def _normalise(tag: str) -> str:
    tag = tag.strip()
    # Weak tags never match under If-Match (RFC 9110 strong comparison); unquoted tags are accepted because
    # hand-written scripts often drop the quotes.
    if tag.startswith("W/"):
        return ""
    return tag if tag.startswith('"') else f'"{tag}"'


def check_if_match(request, instance, *, header: str | None = None) -> None:
    """Refuse a change without If-Match or with `If-Match: *` (428), or whose If-Match is not the record's
    current ETag (412). `header` stands in for If-Match where each record of a list carries its own."""
    header = request.headers.get("If-Match") if header is None else header
    if header is None or not header.strip():
        raise PreconditionRequired(
            "変更・削除には If-Match ヘッダー（取得時の ETag）が必要です",
            "Changes and deletions need an If-Match header with the ETag from your last read",
        )
    if header.strip() == "*":
        # "*" matches any stored version, so it would skip the check that no one else changed the record.
        raise PreconditionRequired(
            "If-Match: * は使えません。取得時の ETag を指定してください",
            "If-Match: * is not accepted; send the ETag from your last read of this record",
        )
    current = etag_for(instance)
    if current not in {_normalise(t) for t in header.split(",")}:
        raise PreconditionFailed(
            "他の人が先に更新しました。最新の内容を取得してからやり直してください（ETag不一致）",
            "Someone changed this record since you read it; fetch it again and retry (ETag mismatch)",
        )
