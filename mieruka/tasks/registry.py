"""What the task app knows of other apps' tasks: their titles, and which ones an administrator may start.

A higher app registers here from its `tasks.py` (found by `TasksConfig.ready`), so the task pages can show
any app's task without importing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

TITLES: dict[str, object] = {}
ACTIONS: dict[str, Action] = {}


@dataclass(frozen=True)
class Action:
    """A task an administrator starts by hand (task list button, `mieruka task start KEY`)."""

    key: str
    title: object
    start: Callable  # start(user) -> TaskRun


def register_kind(kind: str, title) -> None:
    TITLES[kind] = title


def register_action(key: str, title, start: Callable) -> None:
    register_kind(key, title)
    ACTIONS[key] = Action(key=key, title=title, start=start)


def title_of(kind: str):
    return TITLES.get(kind, kind)
