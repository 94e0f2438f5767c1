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
Only contacts of one customer are compared by this rule: a customer has a handful of
contacts, so a change costs one pass over that customer's contacts, not over the table.
Across customers (`find_same_persons`) a pair is one person held twice: the same email
or phone, and nearly the same name, found by those exact keys.
"""

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

NAME_THRESHOLD = 90
# At most this many possible duplicates proposed per contact (see find_pairs).
PAIRS_PER_CONTACT = 20
_NUMBERS = re.compile(r"\d+")


@dataclass(frozen=True)
class ComparedContact:
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
    people: Iterable[ComparedContact],
    *,
    changed: Iterable[int] | None = None,
    limit: int = PAIRS_PER_CONTACT,
) -> Iterator[Finding]:
    """The possible duplicates among one customer's contacts; with `changed`, only
    the pairs that involve one of those contacts (what a write can have changed).

    Each contact looked at proposes at most `limit` others, the strongest first (the
    same email or phone, then the closest names): fifty contacts sharing one phone
    number are fifty contacts to clean up, not 1,225 pairs. Candidates come from an
    index by email, by phone and by the numbers in the name, so the cost grows with
    the contacts looked at, not with every two of them (the names of one number group
    are still compared by rapidfuzz in C)."""
    people = list(people)
    if len(people) < 2:
        return
    index_of = {person.pk: index for index, person in enumerate(people)}
    wanted = sorted(index_of if changed is None else set(changed) & index_of.keys())
    wanted_set = set(wanted)
    names = [utils.default_process(person.full_name) for person in people]
    numbers = [tuple(sorted(_NUMBERS.findall(name))) for name in names]
    emails = [person.email.lower() for person in people]
    by_email: dict[str, list[int]] = defaultdict(list)
    by_phone: dict[str, list[int]] = defaultdict(list)
    by_numbers: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, person in enumerate(people):
        if emails[index]:
            by_email[emails[index]].append(index)
        if person.phone:
            by_phone[person.phone].append(index)
        by_numbers[numbers[index]].append(index)
    # The names a name is compared with: all, for a name without numbers; those
    # with the same numbers or none, for a numbered one ("Store 12" is never
    # compared with "Store 15"). Built once per group.
    pools: dict[tuple[str, ...], _Names] = {}

    def pool(key: tuple[str, ...]) -> _Names:
        if key not in pools:
            indexes = (
                range(len(people))
                if not key
                else by_numbers[key] + by_numbers.get((), [])
            )
            pools[key] = _Names(names, indexes)
        return pools[key]

    both_wanted_seen: set[tuple[int, int]] = set()
    for pk in wanted:
        index = index_of[pk]
        person, email = people[index], emails[index]
        candidates = set(by_email.get(email, ())[: limit + 1]) if email else set()
        if person.phone:
            candidates.update(by_phone[person.phone][: limit + 1])
        similar: dict[int, int] = {}
        if names[index]:
            names_pool = pool(numbers[index])
            for name, score, _ in process.extract(
                names[index],
                names_pool.compared_with(names[index]),
                scorer=fuzz.token_sort_ratio,
                score_cutoff=NAME_THRESHOLD,
                limit=limit + 1,
            ):
                for other in names_pool.holders[name][: limit + 1]:
                    if other != index and len(similar) < limit:
                        similar[other] = round(score)
        candidates.update(similar)
        candidates.discard(index)
        findings = []
        for other_index in candidates:
            other = people[other_index]
            same_email = bool(email) and email == emails[other_index]
            same_phone = bool(person.phone) and person.phone == other.phone
            name_similarity = similar.get(other_index)
            if name_similarity is None and not _numbered_apart(
                numbers[index], numbers[other_index]
            ):
                score = fuzz.token_sort_ratio(
                    names[index], names[other_index], score_cutoff=NAME_THRESHOLD
                )
                name_similarity = round(score) if score else None
            findings.append(
                (other_index, other.pk, same_email, same_phone, name_similarity)
            )
        # The strongest `limit`, yielded in the contacts' order.
        findings.sort(key=lambda f: (not (f[2] or f[3]), -(f[4] or 0), f[0]))
        kept = sorted(findings[:limit])
        for _, other_pk, same_email, same_phone, name_similarity in kept:
            a, b = (pk, other_pk) if pk < other_pk else (other_pk, pk)
            if other_pk in wanted_set:
                # Found from both sides: yielded once.
                if (a, b) in both_wanted_seen:
                    continue
                both_wanted_seen.add((a, b))
            yield Finding(a, b, same_email, same_phone, name_similarity)


# Past this many different names in a pool, a name is compared with its neighbours
# only (see _Names), so a customer's refresh costs in proportion to its contacts
# rather than to every two of them: 5,000 differently named contacts of one customer
# would otherwise be 25 million comparisons.
FULL_COMPARISON = 500
NEIGHBOURS = 50


class _Names:
    """The names of a pool, each once with the contacts that hold it (a file of
    identical names is compared once per name, not once per contact), and which of
    them a name is compared with: all of them in a pool of up to FULL_COMPARISON
    names; past it, the NEIGHBOURS on either side of it in two orders: by its words
    sorted (as the rule compares them) and by the same read backwards, so a typo at
    either end still has the other end to be found by (sorted neighbourhood)."""

    def __init__(self, names: list[str], indexes: Iterable[int]) -> None:
        self.holders: dict[str, list[int]] = defaultdict(list)
        for index in indexes:
            if names[index]:
                self.holders[names[index]].append(index)
        self.orders: list[tuple[list[str], dict[str, int]]] = []
        if len(self.holders) > FULL_COMPARISON:
            for key in (_sorted_words, lambda name: _sorted_words(name)[::-1]):
                order = sorted(self.holders, key=key)
                self.orders.append((order, {n: p for p, n in enumerate(order)}))

    def compared_with(self, name: str) -> Collection[str]:
        if not self.orders:
            return self.holders.keys()
        near: set[str] = set()
        for order, position in self.orders:
            at = position[name]
            near.update(order[max(0, at - NEIGHBOURS) : at + NEIGHBOURS + 1])
        return near


def _sorted_words(name: str) -> str:
    return " ".join(sorted(name.split()))


def _numbered_apart(numbers: list[str], others: list[str]) -> bool:
    """Both names hold numbers, and not the same ones: two people, not one."""
    return bool(numbers) and bool(others) and numbers != others


# Across customers: the same person held twice.


@dataclass(frozen=True)
class LinkedContact(ComparedContact):
    """What the rule across customers reads of a contact: also whose and of whom."""

    customer_id: int
    person_id: int


def find_same_persons(
    looked_at: Iterable[LinkedContact],
    candidates: Iterable[LinkedContact],
    *,
    limit: int = PAIRS_PER_CONTACT,
) -> Iterator[Finding]:
    """The contacts of other customers that may be the same person as a contact
    looked at, held as another person: the same email address or phone number *and*
    nearly the same name (a shared switchboard number or info@ address alone says
    nothing across customers). `candidates` are the contacts that share an email or
    phone with one looked at (read by those keys, so the cost grows with the
    contacts looked at, never with the table). Each contact looked at proposes at
    most `limit`, the strongest first; a pair is yielded once."""
    by_email: dict[str, list[LinkedContact]] = defaultdict(list)
    by_phone: dict[str, list[LinkedContact]] = defaultdict(list)
    seen_pks: set[int] = set()
    for contact in candidates:
        if contact.pk in seen_pks:
            continue
        seen_pks.add(contact.pk)
        if contact.email:
            by_email[contact.email.upper()].append(contact)
        if contact.phone:
            by_phone[contact.phone].append(contact)
    yielded: set[tuple[int, int]] = set()
    for person in looked_at:
        name = utils.default_process(person.full_name)
        if not name:
            continue
        numbers = tuple(sorted(_NUMBERS.findall(name)))
        email = person.email.upper()
        others = {
            other.pk: other
            for other in (
                *(by_email.get(email, ()) if email else ()),
                *(by_phone.get(person.phone, ()) if person.phone else ()),
            )
            if other.customer_id != person.customer_id
            and other.person_id != person.person_id
        }
        findings = []
        for other in others.values():
            other_name = utils.default_process(other.full_name)
            if _numbered_apart(numbers, tuple(sorted(_NUMBERS.findall(other_name)))):
                continue
            score = fuzz.token_sort_ratio(name, other_name, score_cutoff=NAME_THRESHOLD)
            if not score:
                continue
            same_email = bool(email) and email == other.email.upper()
            same_phone = bool(person.phone) and person.phone == other.phone
            findings.append((other.pk, same_email, same_phone, round(score)))
        findings.sort(key=lambda f: (-(f[1] + f[2]), -f[3], f[0]))
        for other_pk, same_email, same_phone, score in findings[:limit]:
            a, b = sorted((person.pk, other_pk))
            if (a, b) in yielded:
                continue
            yielded.add((a, b))
            yield Finding(a, b, same_email, same_phone, score)
