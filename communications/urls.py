from django.urls import include, path

from communications import views
from communications.webhooks import tracking_urlpatterns

app_name = "communications"

urlpatterns = [
    path(
        "communications/failed/",
        views.FailedCommunicationsView.as_view(),
        name="failed",
    ),
    path("communications/failed/retry/", views.retry, name="retry"),
    path(
        "customers/<int:customer_pk>/suppressions/<int:pk>/lift/",
        views.SuppressionLiftView.as_view(),
        name="suppression_lift",
    ),
    # The mail provider's tracking webhooks (django-anymail), open to the provider.
    path(
        "communications/webhooks/",
        include((tracking_urlpatterns(), "anymail"), namespace="anymail"),
    ),
]
