from django.urls import path

from transfers import views

app_name = "transfers"

# Imports in the browser (under /imports/).
urlpatterns = [
    path("new/", views.ImportUploadView.as_view(), name="new"),
    path("<int:pk>/", views.ImportJobView.as_view(), name="job"),
    path("<int:pk>/confirm/", views.ImportConfirmView.as_view(), name="confirm"),
    path("<int:pk>/report.csv", views.ImportReportView.as_view(), name="report"),
]
