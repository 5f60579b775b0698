"""Facts: values derived from the answers that rules and conditions may name like questions.

Each fact is one record here (name, kind, label, how it is computed); the topology computes them
once per plan and the condition schema, the admin's reference and the plan JSON read them here.
Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NoReturn

from planner import roster
from planner.conditions import NameInfo

__all__ = ["ENTERPRISE_SUBSCRIPTIONS", "FACTS", "Fact", "FrozenFacts", "compute", "schema"]

ENTERPRISE_SUBSCRIPTIONS = ("enterprise", "private_cloud")


class FrozenFacts(dict[str, object]):
    """A read-only dict (still a ``dict``, so ``json.dumps`` and templates take it as is)."""

    def _readonly(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("topology facts are read-only")

    __setitem__ = __delitem__ = _readonly
    clear = pop = popitem = setdefault = update = _readonly
    __ior__ = _readonly

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))


@dataclass(frozen=True)
class Fact:
    name: str
    kind: str  # a condition kind: "bool" | "int"
    label: str
    # Computed from the effective answers, the production tenants and every tenant.
    fn: Callable[[Mapping[str, object], Sequence[object], Sequence[object]], object] | None = None
    # Or computed from the customer roster, read once for every roster fact.
    roster_fn: Callable[[Sequence[roster.Customer]], object] | None = None


def _enterprise(
    answers: Mapping[str, object], production: Sequence[object], tenants: Sequence[object]
) -> bool:
    try:
        subscription = answers.get("subscription")
    except Exception:  # a broken mapping counts as unanswered, as everywhere in the topology
        return False
    return isinstance(subscription, str) and subscription.strip() in ENTERPRISE_SUBSCRIPTIONS


def is_enterprise(answers: Mapping[str, object]) -> bool:
    """Return the ``enterprise`` fact alone (the topology needs it before the tenants exist)."""
    return _enterprise(answers, (), ())


def _customers(answers: Mapping[str, object]) -> tuple[roster.Customer, ...]:
    try:
        return roster.read_rows(answers.get("customers"))
    except Exception:  # a broken mapping counts as unanswered
        return ()


def _sum_count(
    customers: Sequence[roster.Customer], keep: Callable[[roster.Customer], bool]
) -> int:
    return sum(c.count for c in customers if keep(c))


def _rows(customers: Sequence[roster.Customer], keep: Callable[[roster.Customer], bool]) -> int:
    return sum(1 for c in customers if keep(c))


FACTS: tuple[Fact, ...] = (
    Fact("enterprise", "bool", "Enterprise subscription", _enterprise),
    Fact("production_tenant_count", "int", "Production tenants", lambda a, p, t: len(p)),
    Fact("tenant_count", "int", "Tenants in total", lambda a, p, t: len(t)),
    # The roster facts (docs/conditions.md); 0 without a roster.
    Fact(
        "customer_count",
        "int",
        "Customers in the roster",
        roster_fn=lambda cs: _sum_count(cs, lambda c: True),
    ),
    Fact(
        "dedicated_customer_count",
        "int",
        "Customers with their own tenant",
        roster_fn=lambda cs: _rows(cs, lambda c: c.dedicated),
    ),
    Fact(
        "enterprise_connection_count",
        "int",
        "Customers signing in with their own identity provider",
        roster_fn=lambda cs: _sum_count(cs, lambda c: "enterprise_idp" in c.sign_in),
    ),
    Fact(
        "customers_with_own_domain",
        "int",
        "Customers with their own login domain",
        roster_fn=lambda cs: _sum_count(cs, lambda c: bool(c.login_domain)),
    ),
    Fact(
        "shared_login_domain_count",
        "int",
        "Customers in a shared tenant with their own login domain",
        roster_fn=lambda cs: _rows(cs, lambda c: not c.dedicated and bool(c.login_domain)),
    ),
)


def compute(
    answers: Mapping[str, object],
    production: Sequence[object] = (),
    tenants: Sequence[object] = (),
    customers: Sequence[roster.Customer] | None = None,
) -> FrozenFacts:
    """Return every fact for these effective answers, derived tenants and roster."""
    if customers is None:
        customers = _customers(answers)
    return FrozenFacts(
        {
            fact.name: fact.roster_fn(customers)
            if fact.roster_fn is not None
            else fact.fn(answers, production, tenants)  # type: ignore[misc]
            for fact in FACTS
        }
    )


def schema() -> dict[str, NameInfo]:
    """Return the facts as names a condition may use."""
    return {fact.name: NameInfo(kind=fact.kind, label=fact.label) for fact in FACTS}
