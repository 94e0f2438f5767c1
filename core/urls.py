from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("language/", views.language_choose, name="language"),
]
