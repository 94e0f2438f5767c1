from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = "Contacts"

    def ready(self):
        from contacts.list_columns import register_customer_list_columns

        register_customer_list_columns()
