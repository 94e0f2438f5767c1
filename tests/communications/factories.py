"""Deliveries as Send records them, without a document: any row can be what a
delivery is about (the outbox knows no sales)."""

from datetime import datetime

from django.utils import timezone

from communications.models import Delivery
from communications.outbox import OutgoingEmail, deliveries_create
from tests.customers.factories import CustomerFactory


def make_deliveries(
    count: int = 1,
    *,
    customer=None,
    now: datetime | None = None,
    email: str = "person{n}@example.com",
    requested_by=None,
) -> list[Delivery]:
    customer = customer or CustomerFactory()
    return deliveries_create(
        about=customer,
        customer=customer,
        requested_by=requested_by,
        now=now or timezone.now(),
        emails=[
            OutgoingEmail(
                email=email.format(n=n),
                name=f"Person {n}",
                reason="Invoice role",
                language="en",
                subject=f"Invoice {n}",
                text=f"Dear Person {n},\n",
                html=f"<p>Dear Person {n},</p>",
            )
            for n in range(count)
        ],
    )
