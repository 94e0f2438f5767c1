from django.urls import path

from activity import views

app_name = "activity"

urlpatterns = [
    path("<int:customer_pk>/activity/", views.ActivityView.as_view(), name="list"),
]
