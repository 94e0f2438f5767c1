from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path(
        "customers/<int:customer_pk>/contacts/<int:pk>/privacy/",
        views.PersonPrivacyView.as_view(),
        name="person",
    ),
]
