from django.urls import path

from contacts import views

app_name = "contacts"

urlpatterns = [
    path(
        "contact-details/edit/",
        views.ContactCardUpdateView.as_view(),
        name="contact_details_edit",
    ),
]
