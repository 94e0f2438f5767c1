from django.urls import path

from contacts import export_views

app_name = "exports"

# Every customer's contact persons or contact details (under /contacts/export/).
urlpatterns = [
    path(f"{kind}.csv", export_views.ExportView.as_view(), {"kind": kind}, name=kind)
    for kind in export_views.KINDS
]
