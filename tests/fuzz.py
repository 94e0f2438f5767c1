"""What the fuzz tests share: Hypothesis's profile for the suite, the hostile inputs,
a savepoint per example, and the checks that what was stored is valid.

The suite's profile is small and derandomized (the same examples on every run and in
CI, no example database written); `HYPOTHESIS_PROFILE=deep` runs many more by hand:

    HYPOTHESIS_PROFILE=deep make test PYTEST_ARGS="-k fuzz"
"""

import os
import re
import unicodedata
from collections import Counter
from contextlib import contextmanager

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts.models import Contact, ContactDetail
from customers.models import Address

# The personas and the customer are made once per test, not per example; each
# example runs in a savepoint that is rolled back (rolled_back below).
_SHARED = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow],
}
settings.register_profile("suite", max_examples=30, derandomize=True, **_SHARED)
settings.register_profile("deep", max_examples=1000, **_SHARED)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

E164 = re.compile(r"\+[1-9]\d{6,14}")


def any_characters(max_size: int = 60) -> st.SearchStrategy[str]:
    """Any text a browser can send: NUL, line breaks and other control characters
    included (lone surrogates cannot be sent)."""
    return st.text(st.characters(exclude_categories=["Cs"]), max_size=max_size)


def printable_text(max_size: int = 60) -> st.SearchStrategy[str]:
    """Any text a one-line field takes: accents, scripts, emoji, symbols; no control
    characters and no line or paragraph separators (Zl, Zp), which are line breaks."""
    return st.text(
        st.characters(exclude_categories=["Cc", "Cs", "Zl", "Zp"]), max_size=max_size
    )


def long_text(minimum: int = 101, maximum: int = 400) -> st.SearchStrategy[str]:
    """Text past a field's length limit, without control characters."""
    return st.builds(
        lambda unit, size: (unit * size)[:size],
        st.sampled_from(["a", "9", "é", "😀", "ab cd ", "-"]),
        st.integers(minimum, maximum),
    )


def phone_like() -> st.SearchStrategy[str]:
    """Numbers the way people type them, and things that only look like numbers."""
    return st.one_of(
        st.sampled_from(
            [
                "06 12345678",
                "+31 6 12345678",
                "0031612345678",
                "(020) 123 4567",
                "+31612345678 ext. 12",
                "+1 (202) 555-0143",
                "+44 20 7946 0958",
                "+999 123",
                "+",
                "00",
                "0",
                "-1",
                "1e10",
                "NaN",
                "٠٦١٢٣٤٥٦٧٨",  # Arabic-Indic digits
                "０６１２３４５６７８",  # full-width digits
                "1" * 40,
                "+31 6 1234 5678 9012 3456 7890",
            ]
        ),
        st.from_regex(r"\+?[0-9 ()\-.]{1,40}", fullmatch=True),
        any_characters(40),
    )


def email_like() -> st.SearchStrategy[str]:
    return st.one_of(
        st.emails(),
        st.sampled_from(
            [
                "a@b",
                "@example.com",
                "user@",
                "user@@example.com",
                "user@exa mple.com",
                "user@-example.com",
                "user@example..com",
                "üser@exämple.com",
                "USER@EXAMPLE.COM",
                " user@example.com ",
                "user@example.com.",
                "a" * 65 + "@example.com",
                "user@" + "a" * 250 + ".com",
                '"quoted"@example.com',
                "user@[192.0.2.1]",
            ]
        ),
        any_characters(40),
    )


def website_like(max_size: int = 200) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(
            [
                "example.com",
                "https://example.com/path?q=1#top",
                "http://example.com",
                "javascript:alert(1)",
                "ftp://example.com",
                "http://[::1]/",
                "http://exa mple.com",
                "https://",
                "mailto:info@example.com",
                "//example.com",
                "例え.jp",
            ]
        ),
        any_characters(max_size),
    )


VALID_EMAILS = st.sampled_from(["", "anna@example.com", "B.Smith@Example.COM"])
VALID_PHONES = st.sampled_from(["", "+31 6 12345678", "+44 20 7946 0958"])
VALID_WEBSITES = st.sampled_from(["", "example.com", "https://fjord.example/about"])


def any_text() -> st.SearchStrategy[str]:
    """Anything, long, or empty: what the general tests send to a text field."""
    return st.one_of(any_characters(), long_text(), st.just(""))


# One-line values with a control character in them, each refused at its field
# (core.validators): explicit examples, so every kind is sent on every run.
WITH_CONTROL_CHARACTERS = [
    "Anna\nBob",
    "Anna\r\nBob",
    "Sales\tlead",
    "A\x01B",
    "A\x1bB",
    "A\x7fB",
    "A\x85B",
]


@st.composite
def spoiled(draw, valid: dict, hostile: dict, most: int = 2) -> dict[str, str]:
    """A form that would be accepted (`valid`: a strategy per field), with up to
    `most` of its fields replaced by hostile values (`hostile`: a strategy per
    field). Spoiling every field at once would only ever test the first refusal."""
    data = {name: draw(strategy) for name, strategy in valid.items()}
    names = draw(st.lists(st.sampled_from(sorted(hostile)), max_size=most, unique=True))
    for name in names:
        data[name] = draw(hostile[name])
    return data


@contextmanager
def rolled_back():
    """One example's requests in a savepoint, undone afterwards, so the next example
    starts from the same data."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def assert_every_example_answered(*, strategies, send, check, snapshot) -> None:
    """Run Hypothesis's examples: each draws `strategies` (keyword arguments for
    `send`), sends the request in a savepoint, then asserts the answer is a page or a
    redirect, `check()` passes on what is stored, and a refused form left
    `snapshot()` as it was. Both answers must have been seen across the examples."""
    answers = Counter()

    @given(**strategies)
    def example(**drawn):
        with rolled_back():
            before = snapshot()

            response = send(**drawn)

            assert_answered(response)
            check()
            if response.status_code == 200:
                assert snapshot() == before, "a refused form changed what is stored"
            answers[response.status_code] += 1

    example()
    assert_both_answers_seen(answers)


def assert_answered(response) -> None:
    """A page with the form's errors, or the redirect after saving: nothing else."""
    assert response.status_code in (200, 302), response.status_code


def assert_both_answers_seen(answers) -> None:
    """The examples reached both the refusal and the save: a fuzz test that only
    ever got its form back would prove nothing about what is stored."""
    assert answers[200] and answers[302], dict(answers)


def assert_revalidates(obj) -> None:
    """The stored row passes its model's rules again, unchanged by them: emails and
    phone numbers are already in the form the rules produce (E.164 for phones), no
    value is past its length limit."""
    stored = {field.attname: getattr(obj, field.attname) for field in obj._meta.fields}
    obj.full_clean()
    again = {field.attname: getattr(obj, field.attname) for field in obj._meta.fields}
    assert again == stored


def assert_contacts_valid(customer) -> None:
    for contact in Contact.objects.filter(customer=customer):
        assert_revalidates(contact)
        assert contact.phone == "" or E164.fullmatch(contact.phone), contact.phone


def assert_contact_card_valid(customer) -> None:
    details = list(ContactDetail.objects.filter(customer=customer))
    for detail in details:
        assert_revalidates(detail)
        if detail.kind in ContactDetail.PHONE_KINDS:
            assert E164.fullmatch(detail.value), detail.value
    for kind in ContactDetail.Kind.values:
        of_kind = [detail for detail in details if detail.kind == kind]
        primaries = [detail for detail in of_kind if detail.is_primary]
        assert len(primaries) == (1 if of_kind else 0), (kind, of_kind)


def assert_addresses_valid(customer) -> None:
    addresses = list(Address.objects.filter(customer=customer))
    for address in addresses:
        assert_revalidates(address)
    billing = [a for a in addresses if a.kind == Address.Kind.BILLING]
    assert len(billing) <= 1


def control_characters_in(values) -> list[str]:
    """The stored one-line values that hold a control character."""
    return [
        value
        for value in values
        if isinstance(value, str)
        and any(unicodedata.category(char) == "Cc" for char in value)
    ]
