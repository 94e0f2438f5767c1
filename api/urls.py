"""/api/: the resources under /api/v1/, the OpenAPI document and its reference."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from api import views
from api.resources.contact_details import ContactDetailResource
from api.resources.customers import CustomerResource
from api.resources.documents import DOCUMENT_RESOURCES, SEGMENTS

app_name = "api"

router = SimpleRouter(trailing_slash=True)
router.register("customers", CustomerResource, basename="customer")
router.register("contact-details", ContactDetailResource, basename="contactdetail")
for kind, resource in DOCUMENT_RESOURCES.items():
    router.register(SEGMENTS[kind], resource, basename=kind._meta.model_name)

urlpatterns = [
    path("v1/", include(router.urls)),
    path(
        "schema/", views.login_not_required(SpectacularAPIView.as_view()), name="schema"
    ),
    path("docs/", views.ApiReferenceView.as_view(), name="docs"),
]
