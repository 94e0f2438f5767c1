from django.urls import path

from customers import views

app_name = "customers"

urlpatterns = [
    path("", views.CustomerListView.as_view(), name="list"),
    path("new/", views.CustomerCreateView.as_view(), name="create"),
    path("<int:pk>/", views.CustomerDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CustomerUpdateView.as_view(), name="update"),
    path(
        "<int:customer_pk>/addresses/",
        views.AddressListView.as_view(),
        name="addresses",
    ),
    path(
        "<int:customer_pk>/addresses/new/",
        views.AddressCreateView.as_view(),
        name="address_create",
    ),
    path(
        "<int:customer_pk>/addresses/<int:pk>/edit/",
        views.AddressUpdateView.as_view(),
        name="address_update",
    ),
    path(
        "<int:customer_pk>/addresses/<int:pk>/delete/",
        views.AddressDeleteView.as_view(),
        name="address_delete",
    ),
]
