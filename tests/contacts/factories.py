import factory
from django.utils.text import slugify

from contacts.models import Contact, ContactDetail, ContactRole, Person
from tests.customers.factories import CustomerFactory


def role(code: str) -> ContactRole:
    """One of the standard roles the data migration creates."""
    return ContactRole.objects.get(code=code)


class ContactFactory(factory.django.DjangoModelFactory):
    customer = factory.SubFactory(CustomerFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    # Numbered, so two contacts never share an address by chance of their names.
    email = factory.LazyAttributeSequence(
        lambda contact, n: f"{slugify(contact.first_name)}.{n}@example.com"
    )
    language = ""
    # The link's person, with the link's name (a copy the services keep equal).
    person = factory.LazyAttribute(
        lambda contact: Person.objects.create(
            first_name=contact.first_name,
            last_name=contact.last_name,
            language=contact.language,
        )
    )

    class Meta:
        model = Contact
        skip_postgeneration_save = True

    @factory.post_generation
    def roles(self, create, codes, **kwargs):
        """`ContactFactory(roles=["primary", "invoice"])`."""
        if create and codes:
            self.roles.set(ContactRole.objects.filter(code__in=codes))
            # The flag the one-Primary-per-customer constraint reads (the services
            # keep it; a factory writes the row directly).
            if ContactRole.PRIMARY in codes:
                self.is_primary = True
                Contact.objects.filter(pk=self.pk).update(is_primary=True)


class ContactDetailFactory(factory.django.DjangoModelFactory):
    """Writes the row as given, bypassing the primary rules: for arranging tests.
    Tests of the rules themselves go through contacts.services."""

    customer = factory.SubFactory(CustomerFactory)
    kind = ContactDetail.Kind.EMAIL
    value = factory.Sequence(lambda n: f"info{n}@example.com")

    class Meta:
        model = ContactDetail
