import datetime
import logging
import uuid

from django.apps import apps
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.utils import timezone

from . import selectors
from .auth import SiteAuthenticationForm
from .choices import ChangeAction, ChangeSource
from .errors import bilingual, parse_query_int
from .formatting import fiscal_year_of
from .history import change_fields, changes_with_fields, group_batches
from .panels import home_panels
from .permissions import (
    RESTRICTED_MODELS,
    can_read_object,
    can_read_restricted_records,
    reads_everything,
    visible_organization_ids,
)

logger = logging.getLogger(__name__)


class LoginView(auth_views.LoginView):
    """The login page: single sign-on when configured, the password form while password accounts are on."""

    authentication_form = SiteAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sso_enabled": settings.MIERUKA_OIDC_ENABLED,
                "password_login": settings.MIERUKA_PASSWORD_LOGIN}


@login_required
def notifications(request):
    """The person's notices, newest first; POST marks them read."""
    from django.shortcuts import redirect

    from .models import Notification
    from .notifications import notification_mark_read

    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
        notification_mark_read(user=request.user, ids=ids)
        return redirect("notifications")
    page = Paginator(Notification.objects.filter(recipient=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
def home(request):
    fy = fiscal_year_of(timezone.localdate())
    headline = selectors.portfolio_headline(fiscal_year=fy, organization_ids=visible_organization_ids(request.user))
    return render(request, "core/home.html", {"fiscal_year": fy, "panels": home_panels.render_list(request),
                                              **headline})


@login_required
def search(request):
    """One search over systems, organizations, projects and reviews, grouped by type, within scope."""
    from .search import MAX_QUERY_LENGTH, site_search

    query = (request.GET.get("q") or "").strip()[:MAX_QUERY_LENGTH]
    groups = site_search(user=request.user, query=query) if query else []
    return render(request, "core/search.html", {"query": query, "groups": groups,
                                                "total": sum(g["results"].total for g in groups)})


def _parse_date(value: str | None):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _require_reads_everything(request):
    # The change log spans every ministry; ministry roles see history on their own records' pages.
    if not reads_everything(request.user):
        raise PermissionDenied(bilingual("変更履歴全体を閲覧する権限がありません",
                                         "You may not read the portfolio-wide change log"))


@login_required
def changelog(request):
    """Every change to portfolio data, newest first, filterable by actor, action, source, type and batch."""
    # Ministry roles see the changes to their own subtree's records; portfolio-wide readers see all.
    qs = selectors.change_list_for_user(user=request.user)
    params = request.GET
    errors = []
    if params.get("user"):
        qs = qs.filter(user_name__icontains=params["user"])
    if params.get("action") in ChangeAction.values:
        qs = qs.filter(action=params["action"])
    if params.get("source") in ChangeSource.values:
        qs = qs.filter(source=params["source"])
    if params.get("type"):
        qs = qs.filter(changed_object_type_id=parse_query_int(params, "type", minimum=1, maximum=2**31 - 1))
    if params.get("request_id"):
        try:
            qs = qs.filter(request_id=uuid.UUID(params["request_id"].strip()))
        except ValueError:
            errors.append("バッチIDの形式が正しくありません / The batch ID is not a valid UUID")
            qs = qs.none()
    for key, lookup in (("since", "time__date__gte"), ("until", "time__date__lte")):
        if params.get(key):
            day = _parse_date(params[key])
            if day is None:
                errors.append(f"日付はYYYY-MM-DD形式で入力してください（{params[key]}） / "
                              f"Dates are YYYY-MM-DD ({params[key]})")
            else:
                qs = qs.filter(**{lookup: day})
    page = Paginator(qs, 50).get_page(params.get("page"))
    rows = changes_with_fields(page.object_list, user=request.user)
    types = ContentType.objects.filter(
        pk__in=selectors.change_list().order_by().values("changed_object_type").distinct()
    ).order_by("app_label", "model")
    return render(request, "core/changelog.html", {
        "page": page, "rows": rows, "errors": errors, "actions": ChangeAction.choices,
        "sources": ChangeSource.choices, "types": [(t.pk, t.model_class()._meta.verbose_name) for t in types
                                                    if t.model_class() is not None],
    })


@login_required
def change_detail(request, pk: int):
    change = get_object_or_404(selectors.change_list_for_user(user=request.user), pk=pk)
    batch_count = selectors.change_list().filter(request_id=change.request_id).count()
    return render(request, "core/change_detail.html", {
        "change": change, "fields": change_fields(change, user=request.user), "batch_count": batch_count,
    })


@login_required
def object_history(request, model: str, pk: int):
    """The full history of one record (and the records attached to it) with field-level diffs."""
    try:
        model_class = apps.get_model(model)
    except (LookupError, ValueError) as exc:
        raise Http404(model) from exc
    if model_class._meta.label_lower in RESTRICTED_MODELS and not can_read_restricted_records(request.user):
        raise Http404(model)  # not even the record's name: security findings are not the person's to see
    ct = ContentType.objects.get_for_model(model_class)
    instance = model_class._default_manager.filter(pk=pk).first()
    if instance is not None:
        if not can_read_object(request.user, instance):
            raise Http404(f"{model} {pk}")
        qs = selectors.changes_readable_by(selectors.object_history(instance=instance), user=request.user)
    else:
        _require_reads_everything(request)
        # A deleted record still has its history.
        qs = selectors.changes_readable_by(
            selectors.change_list().filter(changed_object_type=ct, changed_object_id=pk), user=request.user)
        if not qs.exists():
            raise Http404(f"{model} {pk}")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = changes_with_fields(page.object_list, user=request.user)
    return render(request, "core/object_history.html", {
        "instance": instance, "model_name": model_class._meta.verbose_name, "page": page, "rows": rows,
        "entries": group_batches(rows, own_type_id=ct.pk),
        "title": str(instance) if instance is not None else page.object_list[0].object_repr,
    })


def healthz(request):
    """Liveness: the process answers. Touches neither the database nor the cache."""
    return JsonResponse({"status": "ok"})


def readyz(request):
    """Readiness: the database answers a query and the shared cache stores and returns a value."""
    from django.core.cache import cache
    from django.db import connection

    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # any failure means "not ready"; the reason goes to the body and the log
        checks["database"] = f"error: {exc.__class__.__name__}"
        logger.warning("readiness: database unavailable", exc_info=True)
    try:
        token = uuid.uuid4().hex
        cache.set("readyz", token, 30)
        checks["cache"] = "ok" if cache.get("readyz") == token else "error: value not returned"
    except Exception as exc:
        checks["cache"] = f"error: {exc.__class__.__name__}"
        logger.warning("readiness: cache unavailable", exc_info=True)
    ready = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


def bad_request(request, exception=None):
    """handler400: the 400 page in the request's language, or the API's error shape under /api/.

    Rendered without the request context (like 500.html): a bad request may fail before the session is
    read. A `BadQuery` says what is wrong; other bad requests get the general text.
    """
    ja = getattr(exception, "message_ja", "")
    en = getattr(exception, "message_en", "")
    if request.path.startswith("/api/"):
        # The same shape as mieruka.api.exceptions.error_body (core may not import the api app).
        parameter = getattr(exception, "parameter", None)
        error = {"code": "validation_error", "message_ja": ja or "リクエストが正しくありません",
                 "message_en": en or "The request is not valid"}
        if parameter:
            error["fields"] = {parameter: [bilingual(ja, en)]}
        error["request_id"] = str(getattr(request, "request_id", None) or uuid.uuid4())
        return JsonResponse({"error": error}, status=400, json_dumps_params={"ensure_ascii": False})
    html = loader.get_template("400.html").render({"message": bilingual(ja, en) if ja or en else ""})
    return HttpResponseBadRequest(html)
