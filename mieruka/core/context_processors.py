from .notifications import notification_unread_count
from .permissions import user_role
from .selectors import demo_reference_date


def navigation(request):
    """What the header and footer need on every page: the demo's reference date (on a demo database), and
    for a signed-in user the unread notification count and the role."""
    context = {"demo_reference_date": demo_reference_date()}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    return context | {"unread_notifications": notification_unread_count(user=user), "mieruka_role": user_role(user)}
