"""Marks on email addresses, contributed by the apps above contacts.

Contacts shows a person's email, and the contact card its addresses, without knowing
what may be wrong with them; an app that knows (the outbox: a suppressed address)
registers from its `AppConfig.ready()`:

    email_marks.register_marker(suppression_marks)
    email_marks.register_check("Suppressed email addresses in use", lines)

A marker reads many addresses at once (one query for a page, whatever its length) and
returns, for each address it marks (compared in lower case), what to say of it; given
the customer whose page shows them and the user reading it, it may offer an action.
`check_contacts` runs the registered checks beside its own.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class EmailMark:
    label: str  # a word or two beside the address: "Suppressed"
    detail: str  # why, in a sentence: "Hard bounce on 3 Mar 2026."
    # Where a person can act on it (lift a suppression), for those allowed to.
    action_url: str = ""
    action_label: str = ""


Marker = Callable[..., dict[str, EmailMark]]  # (addresses, *, customer, user)
Check = Callable[[], Iterator[str]]


class EmailMarks:
    def __init__(self):
        self._markers: list[Marker] = []
        self._checks: dict[str, Check] = {}

    def register_marker(self, marker: Marker) -> None:
        if marker not in self._markers:
            self._markers.append(marker)

    def register_check(self, title: str, check: Check) -> None:
        self._checks[title] = check

    def for_addresses(
        self, addresses: Iterable[str], *, customer=None, user=None
    ) -> dict[str, EmailMark]:
        """The mark of each marked address, by the address in lower case; an
        action only for a `user` allowed it, on the page of `customer`."""
        wanted = sorted({address.lower() for address in addresses if address})
        marks: dict[str, EmailMark] = {}
        if not wanted:
            return marks
        for marker in self._markers:
            for address, mark in marker(wanted, customer=customer, user=user).items():
                marks.setdefault(address, mark)
        return marks

    def checks(self) -> list[tuple[str, Check]]:
        return list(self._checks.items())


email_marks = EmailMarks()


def mark_emails(objects, *, address, customer=None, user=None) -> None:
    """Give each object an `email_mark` (None when its address has none):
    `address(object)` reads its email. One pass of the markers for all of them."""
    objects = list(objects)
    marks = email_marks.for_addresses(
        (address(obj) for obj in objects), customer=customer, user=user
    )
    for obj in objects:
        obj.email_mark = marks.get((address(obj) or "").lower())
