from .notifications import notification_unread_count
from .permissions import user_role


def navigation(request):
    """What the header needs on every page: the unread notification count and the user's role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": notification_unread_count(user=user), "mieruka_role": user_role(user)}
