"""The project's URLs plus one view that fails, for the 500 page's tests."""

from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def failing_view(request):
    raise RuntimeError("secret-detail-of-the-failure")


urlpatterns = [*project_urlpatterns, path("fails/", failing_view, name="fails")]
