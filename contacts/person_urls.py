from django.urls import path

from contacts import views

app_name = "persons"

# A person's page, across their customers (under /contacts/persons/).
urlpatterns = [
    path("<int:pk>/", views.PersonDetailView.as_view(), name="detail"),
]
