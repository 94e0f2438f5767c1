from django.urls import path

from contacts import export_views, views

app_name = "contacts"

# Included under customers/<int:customer_pk>/.
urlpatterns = [
    path("contacts/", views.ContactListView.as_view(), name="list"),
    path("contacts/new/", views.ContactCreateView.as_view(), name="create"),
    path("contacts/<int:pk>/edit/", views.ContactUpdateView.as_view(), name="update"),
    path("contacts/<int:pk>/delete/", views.ContactDeleteView.as_view(), name="delete"),
    path(
        "contacts/<int:pk>/merge/<int:other_pk>/",
        views.ContactMergeView.as_view(),
        name="merge",
    ),
    *(
        path(
            f"export/{kind}.csv",
            export_views.CustomerExportView.as_view(),
            {"kind": kind},
            name=f"export_{kind}",
        )
        for kind in export_views.KINDS
    ),
    path(
        "contact-details/edit/",
        views.ContactCardUpdateView.as_view(),
        name="contact_details_edit",
    ),
]
