"""Demo data for a local installation (`manage.py seed_demo`).

Each app seeds its own part: it registers a seeder from its `AppConfig.ready()`, and
the command runs them in order. A seeder creates only what is missing, so running the
command again adds nothing, and returns a line for the command's summary.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoSeeder:
    name: str
    seed: Callable[[], str]
    position: int


_seeders: dict[str, DemoSeeder] = {}


def register_demo_seeder(seeder: DemoSeeder) -> None:
    _seeders[seeder.name] = seeder


def demo_seeders() -> list[DemoSeeder]:
    return sorted(_seeders.values(), key=lambda seeder: seeder.position)
