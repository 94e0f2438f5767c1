from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    # Beside the person's page (/contacts/persons/<id>/), which links to it.
    path(
        "contacts/persons/<int:pk>/privacy/",
        views.PersonPrivacyView.as_view(),
        name="person",
    ),
]
