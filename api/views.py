from django.contrib.auth.decorators import login_not_required
from django.views.generic import TemplateView

__all__ = ["ApiReferenceView", "login_not_required"]


class ApiReferenceView(TemplateView):
    """The browsable reference of the API (Swagger UI, served from this site's
    static files): a page for signed-in people, which reads the OpenAPI document
    with their session and tries requests with the token they enter."""

    template_name = "api/docs.html"
    http_method_names = ["get", "head", "options"]
