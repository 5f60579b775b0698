"""A project's answers, read once: what every question shows, counts and is missing.

``catalog.read_answers(raw)`` builds an ``Answers`` at the boundary (wizard save, plan build,
command line); everything below it (topology, rules, plan, renderers) takes this object and never
the raw mapping again. It is a read-only mapping of the answers that count (visible, answered,
valid), so the topology and the condition language read it as they read a dict.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.topology import Topology

__all__ = ["NOT_ANSWERED", "NOT_ANSWERED_IN_TEXT", "UNANSWERED_FORMS", "Answers", "is_empty"]

# How an unanswered question reads on its own (review, appendix) and inside a sentence (reasons).
NOT_ANSWERED = "Not answered"
NOT_ANSWERED_IN_TEXT = "(not answered)"


# The values that mean "not answered", named for the wizard's script (a data attribute), which
# applies the same test in the browser: None/null, text that is blank once stripped, an empty list.
UNANSWERED_FORMS = ("null", "blank", "empty-list")


def is_empty(value: object) -> bool:
    """Return True for values that mean "not answered" (the UNANSWERED_FORMS)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set | frozenset):
        return len(value) == 0
    return False


class Answers(Mapping[str, object]):
    """The answers of one project, validated and labelled once; read-only."""

    def __init__(
        self,
        raw: Mapping[str, object],
        values: Mapping[str, object],
        visible: frozenset[str],
        errors: Mapping[str, tuple[str, ...]],
        label_of: Callable[[str, object], str],
    ) -> None:
        self._raw = MappingProxyType(dict(raw))
        self._values = MappingProxyType(dict(values))
        self._visible = visible
        self._errors = MappingProxyType(dict(errors))
        self._label_of = label_of  # (key, stored value) -> text; called once per key shown
        self._labels: dict[str, str] = {}

    # The mapping: the answers that count, in catalog order.
    def __getitem__(self, key: str) -> object:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Answers({dict(self._values)!r})"

    @property
    def raw(self) -> Mapping[str, object]:
        """Return the answers as stored, hidden and invalid ones included."""
        return self._raw

    @property
    def visible(self) -> frozenset[str]:
        """Return the keys of the questions shown for these answers."""
        return self._visible

    @property
    def errors(self) -> Mapping[str, tuple[str, ...]]:
        """Return the error messages of the visible questions, by question key."""
        return self._errors

    def is_visible(self, key: str) -> bool:
        return key in self._visible

    def answered(self, key: str) -> bool:
        """Return True when the question is shown and has a (possibly invalid) answer."""
        return key in self._visible and not is_empty(self._raw.get(key))

    def missing(self, key: str) -> bool:
        """Return True when the question has an error because it has no answer."""
        return key in self._errors and is_empty(self._raw.get(key))

    def label(self, key: str) -> str:
        """Return the human text of the stored answer ("Not answered" when empty)."""
        if not self.answered(key):
            return NOT_ANSWERED
        if key not in self._labels:
            self._labels[key] = self._label_of(key, self._raw[key])
        return self._labels[key]

    @cached_property
    def topology(self) -> Topology:
        """Return the tenant topology these answers imply (derived once)."""
        from planner.topology import derive_topology

        return derive_topology(self)

    @property
    def facts(self) -> Mapping[str, object]:
        """Return the facts (computed once, with the topology)."""
        return self.topology.facts

    @cached_property
    def condition_values(self) -> Mapping[str, object]:
        """Return what rule conditions read: the answers that count, then the facts."""
        return MappingProxyType({**self._values, **self.facts})
