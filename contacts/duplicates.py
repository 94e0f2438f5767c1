"""Which contacts of one customer may be the same person: the one rule behind the
Possible duplicates page (stored by contacts.services), and `check_contacts`.

Two contacts of a customer are a possible duplicate when they share an email
address (compared case-insensitively; emails are stored normalised), share a phone
number (stored in E.164, so equal numbers are equal strings), or have nearly the same
name.

Names are compared with rapidfuzz's `token_sort_ratio` on the full names, lowercased
and stripped of punctuation (`utils.default_process`), at 90 or more:
- it sorts the words first, so "Berg Anna" (first and last name swapped, as imports
  often do) is the same as "Anna Berg";
- it is a plain edit similarity of what remains, so a typo or a dropped letter
  ("Ana Berg" and "Anna Berg": 94; "Anna Jansen" and "Anna Janssen": 96) is found,
  while another person of the same family is not ("Eva Berg" and "Anna Berg": 47);
- unlike `token_set_ratio`, it does not count a name contained in another as equal:
  "Jan" and "Jan de Vries" would score 100 there, and every "Jan" at a customer would
  be proposed with every "Jan something".
Names that both hold numbers, and not the same numbers, name different people
("Store 12" and "Store 15", "Desk 1" and "Desk 2"): they are not compared. Without this
a customer with numbered contacts would hold a pair for nearly every two of them.
Only contacts of one customer are compared: a customer has a handful of contacts, so a
change costs one pass over that customer's contacts, not over the table.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

NAME_THRESHOLD = 90
_NUMBERS = re.compile(r"\d+")


@dataclass(frozen=True)
class Person:
    """What the rule reads of a contact."""

    pk: int
    first_name: str
    last_name: str
    email: str
    phone: str

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


@dataclass(frozen=True)
class Finding:
    """Why two contacts (`a` < `b`) may be one person."""

    a: int
    b: int
    same_email: bool
    same_phone: bool
    name_similarity: int | None  # at or above NAME_THRESHOLD, else None


def find_pairs(
    people: Iterable[Person], *, changed: Iterable[int] | None = None
) -> Iterator[Finding]:
    """The possible duplicates among one customer's contacts; with `changed`, only
    the pairs that involve one of those contacts (what a write can have changed)."""
    people = list(people)
    if len(people) < 2:
        return
    index_of = {person.pk: index for index, person in enumerate(people)}
    wanted = sorted(index_of if changed is None else set(changed) & index_of.keys())
    wanted_set = set(wanted)
    names = [utils.default_process(person.full_name) for person in people]
    numbers = [sorted(_NUMBERS.findall(name)) for name in names]
    emails = [person.email.lower() for person in people]
    for pk in wanted:
        index = index_of[pk]
        person, email = people[index], emails[index]
        similar = (
            {
                other: round(score)
                for _, score, other in process.extract(
                    names[index],
                    names,
                    scorer=fuzz.token_sort_ratio,
                    score_cutoff=NAME_THRESHOLD,
                    limit=None,
                )
            }
            if names[index]
            else {}
        )
        for other_index, other in enumerate(people):
            # A pair of two wanted contacts is found once, from its lower key.
            if other.pk == pk or (other.pk < pk and other.pk in wanted_set):
                continue
            same_email = bool(email) and email == emails[other_index]
            same_phone = bool(person.phone) and person.phone == other.phone
            name_similarity = similar.get(other_index)
            if _numbered_apart(numbers[index], numbers[other_index]):
                name_similarity = None
            if same_email or same_phone or name_similarity is not None:
                a, b = (pk, other.pk) if pk < other.pk else (other.pk, pk)
                yield Finding(a, b, same_email, same_phone, name_similarity)


def _numbered_apart(numbers: list[str], others: list[str]) -> bool:
    """Both names hold numbers, and not the same ones: two people, not one."""
    return bool(numbers) and bool(others) and numbers != others
