from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from rest_framework import exceptions

from api.errors import MESSAGES, error
from api.resources.base import api_view


class ApiReferenceView(TemplateView):
    """The browsable reference of the API (Swagger UI, served from this site's
    static files): a page for signed-in people, which reads the OpenAPI document
    with their session and tries requests with the token they enter."""

    template_name = "api/docs.html"
    http_method_names = ["get", "head", "options"]


@csrf_exempt
@api_view
def not_found(request, *args, **kwargs):
    """Any other address under /api/: a 404 in the API's JSON, not the 404 page."""
    response = JsonResponse(
        {"errors": [error("not_found", MESSAGES[exceptions.NotFound])]}, status=404
    )
    return response
