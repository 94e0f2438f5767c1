from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from core.permissions import SALES_MANAGER, SALES_STAFF, SALES_VIEWER

# A person (contacts.Person) is read and renamed with their contacts (whose form
# renames the person): the admin's Person pages ask for these, and the API's
# persons resource for Change person (its PATCH and PUT).
READ = ["view_contactrole", "view_contact", "view_contactdetail", "view_person"]
EDIT = [
    *READ,
    "change_person",
    "add_contact",
    "change_contact",
    "delete_contact",
    "update_customer_contact_details",
]


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = _("Contacts")
    # What the default groups may do with contacts and contact details
    # (core.permissions). Managers may also use the Contact details admin.
    default_group_permissions = {
        SALES_VIEWER: READ,
        SALES_STAFF: EDIT,
        SALES_MANAGER: [
            *EDIT,
            "add_contactdetail",
            "change_contactdetail",
            "delete_contactdetail",
            # The Possible duplicates page, "Not a duplicate" and merging.
            "merge_contact",
        ],
    }

    def ready(self):
        from contacts.activity_log import register_tracked_models
        from contacts.demo import seed_demo_contacts
        from contacts.list_columns import register_customer_list_columns
        from contacts.models import create_standard_roles
        from contacts.privacy import register_personal_data
        from contacts.views import contact_card_panel, contact_persons_panel
        from core.demo import DemoSeeder, register_demo_seeder
        from customers.pages import CustomerPanel, CustomerTab, customer_pages

        customer_pages.register_tab(
            CustomerTab(
                key="contacts",
                label=_("Contacts"),
                url_name="contacts:list",
                permissions=("contacts.view_contact",),
                position=20,
            )
        )
        customer_pages.register_panel(
            CustomerPanel(
                key="contact_card",
                page="overview",
                template_name="contacts/includes/contact_card.html",
                context=contact_card_panel,
                position=10,
            )
        )
        customer_pages.register_panel(
            CustomerPanel(
                key="contact_persons",
                page="overview",
                template_name="contacts/includes/contact_persons.html",
                context=contact_persons_panel,
                position=15,
            )
        )
        register_demo_seeder(DemoSeeder("contacts", seed_demo_contacts, 20))
        post_migrate.connect(
            create_standard_roles, sender=self, dispatch_uid="contacts.standard_roles"
        )
        register_customer_list_columns()
        register_tracked_models()
        register_personal_data()
