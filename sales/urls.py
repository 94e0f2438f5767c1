"""Lists under /sales/; a customer's documents under /customers/<customer_pk>/."""

from django.urls import path

from sales import views
from sales.models import DOCUMENT_KINDS

app_name = "sales"

SEGMENTS = {"order": "orders", "invoice": "invoices", "shipment": "shipments"}

urlpatterns = []
for kind in DOCUMENT_KINDS:
    segment = SEGMENTS[kind.KIND]
    scoped = f"customers/<int:customer_pk>/{segment}"
    urlpatterns += [
        path(
            f"sales/{segment}/",
            views.DocumentListView.as_view(model=kind),
            name=f"{kind.KIND}_list",
        ),
        path(
            f"sales/{segment}/new/",
            views.ChooseCustomerView.as_view(model=kind),
            name=f"{kind.KIND}_choose_customer",
        ),
        path(
            f"{scoped}/new/",
            views.DocumentCreateView.as_view(model=kind),
            name=f"{kind.KIND}_create",
        ),
        path(
            f"{scoped}/<int:pk>/",
            views.DocumentDetailView.as_view(model=kind),
            name=f"{kind.KIND}_detail",
        ),
        path(
            f"{scoped}/<int:pk>/edit/",
            views.DocumentUpdateView.as_view(model=kind),
            name=f"{kind.KIND}_update",
        ),
        path(
            f"{scoped}/<int:pk>/send/",
            views.DocumentSendView.as_view(model=kind),
            name=f"{kind.KIND}_send",
        ),
    ]
