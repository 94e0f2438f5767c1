"""/api/: the resources under /api/v1/, the OpenAPI document and its reference."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from api import views
from api.resources.base import api_view
from api.resources.contact_details import ContactDetailResource
from api.resources.contacts import ContactResource
from api.resources.customers import CustomerResource
from api.resources.documents import DOCUMENT_RESOURCES, SEGMENTS
from api.resources.persons import PersonResource

app_name = "api"

router = SimpleRouter(trailing_slash=True)
router.register("customers", CustomerResource, basename="customer")
router.register("contact-details", ContactDetailResource, basename="contactdetail")
router.register("contacts", ContactResource, basename="contact")
router.register("persons", PersonResource, basename="person")
for kind, resource in DOCUMENT_RESOURCES.items():
    router.register(SEGMENTS[kind], resource, basename=kind._meta.model_name)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", api_view(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", views.ApiReferenceView.as_view(), name="docs"),
    # Any other address under /api/: JSON, not the site's 404 page.
    re_path(r"^[\s\S]*$", views.not_found, name="not_found"),
]
