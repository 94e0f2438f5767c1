from django.urls import path

from contacts import views

app_name = "duplicates"

# The Possible duplicates page, across customers (under /contacts/duplicates/).
urlpatterns = [
    path("", views.PossibleDuplicateListView.as_view(), name="list"),
    path(
        "<int:pk>/not-a-duplicate/",
        views.NotADuplicateView.as_view(),
        name="not_a_duplicate",
    ),
    path("<int:pk>/link/", views.SamePersonLinkView.as_view(), name="link"),
]
