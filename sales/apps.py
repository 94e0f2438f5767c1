from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.permissions import SALES_MANAGER, SALES_STAFF, SALES_VIEWER

KINDS = ("salesorder", "invoice", "shipment")
READ = [f"view_{kind}" for kind in KINDS]
WORK = READ + [
    f"{action}_{kind}" for kind in KINDS for action in ("add", "change", "send")
]


class SalesConfig(AppConfig):
    name = "sales"
    verbose_name = _("Sales documents")
    # Viewers read documents; staff and managers also create, change and send them.
    # Deleting is left to administrators: documents are business records, cancel
    # them instead (core.permissions).
    default_group_permissions = {
        SALES_VIEWER: READ,
        SALES_STAFF: WORK,
        SALES_MANAGER: WORK,
    }

    def ready(self):
        from core.demo import DemoSeeder, register_demo_seeder
        from customers.pages import CustomerPanel, customer_pages
        from sales.activity_log import register_tracked_models
        from sales.demo import seed_demo_documents
        from sales.privacy import register_personal_data
        from sales.views import documents_panel, who_receives_what_panel

        register_demo_seeder(DemoSeeder("sales", seed_demo_documents, 30))
        register_tracked_models()
        register_personal_data()

        customer_pages.register_panel(
            CustomerPanel(
                key="documents",
                page="overview",
                template_name="sales/includes/customer_documents.html",
                context=documents_panel,
                position=20,
            )
        )
        customer_pages.register_panel(
            CustomerPanel(
                key="who_receives_what",
                page="contacts",
                template_name="sales/includes/who_receives_what.html",
                context=who_receives_what_panel,
                position=10,
            )
        )
