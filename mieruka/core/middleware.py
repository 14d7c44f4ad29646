import uuid


class ChangeContextMiddleware:
    """Give each request an ID, so every change it makes is one batch in the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4()
        response = self.get_response(request)
        response["X-Request-ID"] = str(request.request_id)
        return response


class SecurityHeadersMiddleware:
    """Send the Content-Security-Policy (Django 5.2 has no built-in one)."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.policy = settings.MIERUKA_CSP

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(response, "csp_override", None) or self.policy
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response
