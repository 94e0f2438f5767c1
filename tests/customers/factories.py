import factory

from customers.models import Address, Customer
from customers.services import customer_number_next


class CustomerFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Customer {n:03d}")
    number = factory.LazyFunction(customer_number_next)

    class Meta:
        model = Customer


class AddressFactory(factory.django.DjangoModelFactory):
    customer = factory.SubFactory(CustomerFactory)
    kind = Address.Kind.BILLING
    street_line_1 = factory.Sequence(lambda n: f"Keizersgracht {n + 1}")
    postal_code = "1012 AB"
    city = "Amsterdam"
    country = "NL"

    class Meta:
        model = Address


def billing_address(customer, country: str = "NL", city: str = "Amsterdam"):
    return AddressFactory(customer=customer, country=country, city=city)
