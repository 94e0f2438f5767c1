"""The actions a person's page offers that belong to higher apps (privacy's export
and erasure): each app registers its own from its AppConfig.ready(), as it
registers a customer page's tabs, and contacts names none of them."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class PersonAction:
    label: str  # lazily translated
    url_name: str  # reversed with the person's pk
    permission: str  # the user needs it to see the action
    # A form posting these fields (a download that is recorded); else a link.
    post: tuple[tuple[str, str], ...] = ()
    danger: bool = False


@dataclass(frozen=True)
class ShownAction:
    action: PersonAction
    url: str


person_actions: dict[str, PersonAction] = {}


def register_person_action(name: str, action: PersonAction) -> None:
    """Register (or, when ready() runs again, replace) an action."""
    person_actions[name] = action


def actions_for(user, person_id: int) -> list[ShownAction]:
    """The actions the user may take on the person, in the order registered."""
    return [
        ShownAction(action, reverse(action.url_name, kwargs={"pk": person_id}))
        for action in person_actions.values()
        if user.has_perm(action.permission)
    ]
