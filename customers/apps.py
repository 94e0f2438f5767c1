from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.permissions import SALES_MANAGER, SALES_STAFF, SALES_VIEWER

READ = ["view_customer", "view_address"]


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = _("Customers")
    # What the default groups may do with customers and addresses (core.permissions).
    default_group_permissions = {
        SALES_VIEWER: READ,
        SALES_STAFF: READ,
        SALES_MANAGER: [
            f"{action}_{model}"
            for model in ("customer", "address")
            for action in ("view", "add", "change", "delete")
        ],
    }

    def ready(self):
        from core.demo import DemoSeeder, register_demo_seeder
        from customers.activity_log import register_tracked_models
        from customers.demo import seed_demo_customers
        from customers.pages import CustomerTab, customer_pages
        from customers.privacy import register_personal_data

        register_demo_seeder(DemoSeeder("customers", seed_demo_customers, 10))
        register_tracked_models()
        register_personal_data()

        customer_pages.register_tab(
            CustomerTab(
                key="overview",
                label=_("Overview"),
                url_name="customers:detail",
                permissions=("customers.view_customer",),
                position=10,
            )
        )
        customer_pages.register_tab(
            CustomerTab(
                key="addresses",
                label=_("Addresses"),
                url_name="customers:addresses",
                permissions=("customers.view_address",),
                position=30,
            )
        )
