"""The customer roster: row fields, slugs, validation, reading with defaults.

Documented for users in docs/questionnaire.md#customers.

Pure Python, no Django. A roster is stored as a list of row objects exactly as entered (fields
with a default may be omitted; ``null`` counts as omitted). ``row_problems`` checks rows on their
own; ``roster_problems`` checks them against the other answers (regions served, tenant names,
login domains); ``read_rows`` returns ``Customer`` records with every default applied.
Every problem names the row by its ``name`` and the field, and says how to fix it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from planner import textsafety

__all__ = [
    "FIELDS",
    "HOSTING",
    "IDPS",
    "MAX_EMAIL_DOMAINS",
    "MAX_ROWS",
    "MFA",
    "REGIONS",
    "SIGN_IN",
    "Customer",
    "RowError",
    "is_blank_row",
    "normalize_rows",
    "propose_slug",
    "read_rows",
    "row_problems",
]

MAX_ROWS = 500
MAX_NAME_LENGTH = 100
MAX_SLUG_LENGTH = 50
MAX_COUNT = 1_000_000
MAX_EMAIL_DOMAINS = 50
MAX_DOMAIN_LENGTH = 253

SIGN_IN = ("enterprise_idp", "our_database", "social", "passwordless")
SIGN_IN_LABELS = {
    "enterprise_idp": "Their own identity provider",
    "our_database": "Our database",
    "social": "Social",
    "passwordless": "Passwordless",
}
IDPS = ("entra_id", "okta", "google_workspace", "adfs", "ping", "saml", "oidc")
IDP_LABELS = {
    "entra_id": "Microsoft Entra ID",
    "okta": "Okta",
    "google_workspace": "Google Workspace",
    "adfs": "AD FS",
    "ping": "PingFederate",
    "saml": "Other SAML",
    "oidc": "Other OpenID Connect",
}
HOSTING = ("shared", "dedicated")
HOSTING_LABELS = {"shared": "Shared tenant (an Organization)", "dedicated": "Its own tenant"}
REGIONS = ("us", "eu", "au", "jp", "uk", "ca")
SCIM = ("no", "yes")
MFA = ("project_policy", "required")
MFA_LABELS = {"project_policy": "Project policy", "required": "Required"}

# The row fields in the contract's order; the wizard's columns and the CSV header follow it.
FIELDS = (
    "name",
    "slug",
    "count",
    "sign_in",
    "idp",
    "email_domains",
    "hosting",
    "region",
    "login_domain",
    "scim",
    "mfa",
)
FIELD_LABELS = {
    "name": "name",
    "slug": "slug",
    "count": "count",
    "sign_in": "sign-in methods",
    "idp": "identity provider",
    "email_domains": "email domains",
    "hosting": "hosting",
    "region": "region",
    "login_domain": "login domain",
    "scim": "SCIM",
    "mfa": "MFA",
}
# Defaults of the optional-to-enter fields ("region" defaults to the primary region).
DEFAULTS: dict[str, object] = {
    "count": 1,
    "hosting": "shared",
    "scim": "no",
    "mfa": "project_policy",
}

_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,18}")

SLUG_PATTERN = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")
_DNS_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


class RowError(str):
    """An error message that also knows its row (0-based) and field, for the wizard's table."""

    row: int
    field: str

    def __new__(cls, message: str, row: int = -1, field: str = "") -> RowError:
        error = super().__new__(cls, message)
        error.row = row
        error.field = field
        return error


@dataclass(frozen=True)
class Customer:
    """One roster row with every default applied."""

    name: str
    slug: str
    count: int
    sign_in: tuple[str, ...]
    idp: str
    email_domains: tuple[str, ...]
    hosting: str
    region: str
    login_domain: str
    scim: bool
    mfa: str

    @property
    def named(self) -> bool:
        return self.count == 1

    @property
    def dedicated(self) -> bool:
        return self.hosting == "dedicated"


@lru_cache(maxsize=4096)
def propose_slug(name: str) -> str:
    """Return the slug proposed for a name: ASCII-folded, lowercase, runs of others as one "-".

    Folding drops the accents (the combining marks after NFKD decomposition); a character with
    no ASCII form (Ø, 日, —) separates words like any other non-alphanumeric character.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    folded = "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))
    return _NOT_SLUG.sub("-", folded.lower()).strip("-")[:MAX_SLUG_LENGTH].rstrip("-")


def _absent(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return all(_absent(item) for item in value)
    return False


def is_blank_row(row: Mapping[str, object]) -> bool:
    """Return True when a row holds nothing but blanks and defaults (an unused table row)."""
    for field, value in row.items():
        if _absent(value):
            continue
        if field in DEFAULTS and value in (DEFAULTS[field], str(DEFAULTS[field])):
            continue
        return False
    return True


def _text(row: Mapping[str, object], field: str) -> str:
    value = row.get(field)
    return value.strip() if isinstance(value, str) else ""


def _strings(row: Mapping[str, object], field: str) -> list[str]:
    value = row.get(field)
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list | tuple):
        return [item.strip() for item in value if isinstance(item, str) and item.strip()]
    return []


def _count(row: Mapping[str, object]) -> int | None:
    value = row.get("count")
    if _absent(value):
        return 1
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,9}\s*", value):
        return int(value)
    return None


def _clean(value: object) -> str:
    text = value if isinstance(value, str) else "" if value is None else str(value)
    return textsafety.stored_text(text)


def _split_list(value: object) -> list[str]:
    """Return the items of a list cell: a list, or text split at commas, semicolons, spaces."""
    if isinstance(value, list | tuple):
        items = [_clean(item) for item in value]
    else:
        items = re.split(r"[,;\s]+", _clean(value))
    return [item for item in items if item]


def _clean_row(row: Mapping[object, object]) -> dict[str, object]:
    clean: dict[str, object] = {}
    for key, value in row.items():
        field = _clean(key)[:50]
        if field in ("sign_in", "email_domains"):
            items = _split_list(value)
            if items:
                clean[field] = list(dict.fromkeys(items))[: MAX_EMAIL_DOMAINS + 1]
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int) and field == "count":
            clean[field] = value
        elif text := _clean(value):
            is_number = field == "count" and _WHOLE_NUMBER.fullmatch(text)
            clean[field] = int(text) if is_number else text
    return clean


def normalize_rows(raw: object) -> object:
    """Return a roster as stored: rows of entered fields, blanks omitted, blank rows dropped.

    Values are kept as typed (a count that is not a number stays text) so that validation can
    name them; a row that is not an object, or a roster that is not a list, is kept for the
    same reason. A roster over the limit is kept one row over it (reported as too long), not
    stored whole. Never raises.
    """
    if not isinstance(raw, list | tuple):
        return raw
    rows: list[object] = []
    for row in raw[: MAX_ROWS + 1]:
        if not isinstance(row, Mapping):
            rows.append(row)
            continue
        clean = _clean_row(row)
        if not is_blank_row(clean):
            rows.append(clean)
    return rows


def row_label(row: Mapping[str, object], index: int) -> str:
    """Return how messages name a row: "Row 3 (Contoso)", or "Row 3" while it has no name."""
    name = _text(row, "name")
    if len(name) > 40:
        name = name[:39] + "…"
    return f"Row {index + 1} ({name})" if name else f"Row {index + 1}"


def is_dns_name(value: str) -> bool:
    """Return True for a lowercase DNS name with at least one dot, like ``login.contoso.com``."""
    labels = value.split(".")
    return (
        len(value) <= MAX_DOMAIN_LENGTH
        and len(labels) >= 2
        and all(_DNS_LABEL.match(label) for label in labels)
    )


def _dns_hint(value: str) -> str:
    if "://" in value or "/" in value:
        return "enter the host name only, without https:// or a path"
    if value != value.lower():
        return "use lowercase letters"
    if "." not in value:
        return "include at least one dot"
    return "use lowercase letters, digits and hyphens in dot-separated labels"


def _slug_hint(slug: str) -> str:
    if slug != slug.lower():
        return f"use lowercase letters (for example “{propose_slug(slug)}”)"
    if "--" in slug:
        return "use single hyphens, not “--”"
    if len(slug) > MAX_SLUG_LENGTH:
        return f"shorten it to at most {MAX_SLUG_LENGTH} characters (it has {len(slug)})"
    return (
        "use lowercase letters, digits and single hyphens, starting and ending with a letter "
        "or digit"
    )


def _choice_problem(
    row: Mapping[str, object], field: str, allowed: Sequence[str], required: bool
) -> str:
    value = row.get(field)
    if _absent(value):
        return "choose one" if required else ""
    if not isinstance(value, str) or value.strip() not in allowed:
        return f"“{value}” is not one of the options ({', '.join(allowed)}): choose one of them"
    return ""


# Each check reads one row and returns (field, what to do) pairs; "" when the field is sound.
Problem = tuple[str, str]


def _unknown_problems(row: Mapping[str, object]) -> list[Problem]:
    unknown = [str(key) for key in row if key not in FIELDS]
    if not unknown:
        return []
    listed = ", ".join(f"“{key}”" for key in unknown[:5])
    plural = "s" if len(unknown) > 1 else ""
    return [(unknown[0], f"unknown field{plural} {listed}; the fields are " + ", ".join(FIELDS))]


def _name_problems(row: Mapping[str, object]) -> list[Problem]:
    name = row.get("name")
    if _absent(name):
        return [
            (
                "name",
                "enter the customer's name (or what the row stands for, such as Small businesses)",
            )
        ]
    if not isinstance(name, str):
        return [("name", "enter the name as text")]
    if len(name.strip()) > MAX_NAME_LENGTH:
        length = len(name.strip())
        return [("name", f"shorten it to at most {MAX_NAME_LENGTH} characters (it has {length})")]
    return []


def _slug_problems(row: Mapping[str, object]) -> list[Problem]:
    slug, name = row.get("slug"), row.get("name")
    if _absent(slug):
        if isinstance(name, str) and name.strip() and not propose_slug(name):
            return [("slug", "no slug can be made from this name: enter one, such as contoso")]
        return []
    if not isinstance(slug, str):
        return [("slug", "enter the slug as text")]
    slug = slug.strip()
    if SLUG_PATTERN.match(slug) and "--" not in slug and len(slug) <= MAX_SLUG_LENGTH:
        return []
    return [("slug", f"“{slug}” is not a valid slug: {_slug_hint(slug)}")]


def _count_problems(row: Mapping[str, object]) -> list[Problem]:
    count = _count(row)
    if count is None or not 1 <= count <= MAX_COUNT:
        return [
            ("count", f"enter a whole number between 1 and {MAX_COUNT:,} (1 for a named customer)")
        ]
    return []


def _sign_in_problems(row: Mapping[str, object]) -> list[Problem]:
    sign_in = row.get("sign_in")
    methods = _strings(row, "sign_in")
    if _absent(sign_in):
        return [("sign_in", "choose at least one way its users sign in")]
    if not isinstance(sign_in, list | tuple) or any(m not in SIGN_IN for m in methods):
        bad = [m for m in methods if m not in SIGN_IN] or [str(sign_in)]
        return [
            ("sign_in", f"“{bad[0]}” is not a sign-in method; choose from " + ", ".join(SIGN_IN))
        ]
    return []


def _idp_and_scim_problems(row: Mapping[str, object]) -> list[Problem]:
    enterprise = "enterprise_idp" in _strings(row, "sign_in")
    problems = []
    idp_problem = _choice_problem(row, "idp", IDPS, required=enterprise)
    if idp_problem == "choose one":
        problems.append(("idp", "choose the identity provider the customer signs in with"))
    elif idp_problem:
        problems.append(("idp", idp_problem))
    elif not enterprise and not _absent(row.get("idp")):
        problems.append(("idp", "leave it empty, or add “enterprise_idp” to the sign-in methods"))
    scim_problem = _choice_problem(row, "scim", SCIM, required=False)
    if scim_problem:
        problems.append(("scim", scim_problem))
    elif _text(row, "scim") == "yes" and not enterprise:
        problems.append(
            (
                "scim",
                "inbound SCIM needs the customer's own identity provider: set it to no, or add "
                "“enterprise_idp” to the sign-in methods",
            )
        )
    return problems


def _choice_problems(row: Mapping[str, object]) -> list[Problem]:
    problems = [
        (field, problem)
        for field, allowed in (("hosting", HOSTING), ("region", REGIONS), ("mfa", MFA))
        if (problem := _choice_problem(row, field, allowed, required=False))
    ]
    if _text(row, "hosting") == "dedicated" and _archetype(row):
        problems.append(
            (
                "hosting",
                "a customer with its own tenant must be named: set the count to 1 and add one "
                "row per customer",
            )
        )
    return problems


def _archetype(row: Mapping[str, object]) -> bool:
    count = _count(row)
    return count is not None and count > 1


def _email_domain_problem(row: Mapping[str, object]) -> str:
    value = row.get("email_domains")
    domains = _strings(row, "email_domains")
    if _absent(value):
        return ""
    if not isinstance(value, list | tuple):
        return "give the email domains as a list"
    if _archetype(row):
        return (
            "only a named customer (count 1) has email domains: remove them, or set the count to 1"
        )
    if len(domains) > MAX_EMAIL_DOMAINS:
        return f"list at most {MAX_EMAIL_DOMAINS} (this row has {len(domains)})"
    bad = [d for d in domains if not is_dns_name(d)]
    if bad:
        return f"“{bad[0]}” is not a domain name: {_dns_hint(bad[0])}"
    if len(set(domains)) < len(domains):
        return "a domain is listed twice: list each once"
    return ""


def _login_domain_problem(row: Mapping[str, object]) -> str:
    login = row.get("login_domain")
    if _absent(login):
        return ""
    if not isinstance(login, str):
        return "enter the login domain as text"
    if _archetype(row):
        return (
            "only a named customer (count 1) has its own login domain: remove it, or set the "
            "count to 1"
        )
    if not is_dns_name(login.strip()):
        return (
            f"“{login.strip()}” is not a host name such as login.contoso.com: "
            f"{_dns_hint(login.strip())}"
        )
    return ""


def _domain_problems(row: Mapping[str, object]) -> list[Problem]:
    problems = [("email_domains", _email_domain_problem(row))]
    problems.append(("login_domain", _login_domain_problem(row)))
    return [(field, problem) for field, problem in problems if problem]


ROW_CHECKS = (
    _unknown_problems,
    _name_problems,
    _slug_problems,
    _count_problems,
    _sign_in_problems,
    _idp_and_scim_problems,
    _choice_problems,
    _domain_problems,
)


def _one_row_problems(row: object, index: int) -> list[RowError]:
    if not isinstance(row, Mapping):
        message = (
            f"Row {index + 1} is not a customer: give each row as an object with the fields "
            + ", ".join(FIELDS)
            + "."
        )
        return [RowError(message, index, "")]
    label = row_label(row, index)
    return [
        RowError(f"{label}, {FIELD_LABELS.get(field, field)}: {message}.", index, field)
        for check in ROW_CHECKS
        for field, message in check(row)
    ]


def _slug_of(row: Mapping[str, object]) -> str:
    return _text(row, "slug") or propose_slug(_text(row, "name"))


def row_problems(rows: object) -> list[RowError]:
    """Return what is wrong with the rows on their own and between rows ([] when sound)."""
    key = _content_key(rows)
    if key is None:
        return _row_problems(rows)
    return list(_row_problems_of(key))


def _row_problems(rows: object) -> list[RowError]:
    if not isinstance(rows, list | tuple):
        return [RowError("Give the customers as a list of rows.")]
    if len(rows) > MAX_ROWS:
        return [
            RowError(
                f"The roster has more than {MAX_ROWS} rows, at most {MAX_ROWS} are allowed: "
                "list the "
                "customers that matter by name and the others as archetype rows with a count "
                "(such as Small businesses, 260)."
            )
        ]
    problems: list[RowError] = []
    names: dict[str, int] = {}
    slugs: dict[str, int] = {}
    logins: dict[str, int] = {}
    for index, row in enumerate(rows):
        own = _one_row_problems(row, index)
        problems.extend(own)
        if not isinstance(row, Mapping):
            continue
        label = row_label(row, index)
        name = _text(row, "name").casefold()
        if name and name in names:
            problems.append(
                RowError(
                    f"{label}, name: row {names[name] + 1} has the same name: give each "
                    "customer a different name.",
                    index,
                    "name",
                )
            )
        names.setdefault(name, index)
        slug = _slug_of(row)
        if slug and not any(p.field == "slug" for p in own):
            if slug in slugs:
                problems.append(
                    RowError(
                        f"{label}, slug: “{slug}” is already the slug of row "
                        f"{slugs[slug] + 1}: give each customer a different slug.",
                        index,
                        "slug",
                    )
                )
            slugs.setdefault(slug, index)
        login = _text(row, "login_domain")
        if login:
            if login in logins:
                problems.append(
                    RowError(
                        f"{label}, login domain: “{login}” is already the login domain of "
                        f"row {logins[login] + 1}: each customer needs its own.",
                        index,
                        "login_domain",
                    )
                )
            logins.setdefault(login, index)
    return problems


def read_rows(rows: object, primary_region: str = "") -> tuple[Customer, ...]:
    """Return the rows as customers with every default applied (rows not objects skipped)."""
    key = _content_key(rows)
    if key is None:
        return _read_rows(rows, primary_region)
    return _read_rows_of(key, primary_region)


# One plan reads its roster three times (validation, the checks against the other answers,
# the topology), and the plan page, its PDF, SVG and JSON each build the plan again from the
# same stored roster. A 500-row roster takes ~10 ms to read and ~20 ms to validate, so both
# are kept for the last few rosters, by their JSON text (~1.5 ms to compute for 500 rows).
# Rows that are not plain JSON (a Mapping that is not a dict, say) are never cached.
ROSTER_CACHE_SIZE = 16


def _content_key(rows: object) -> str | None:
    """Return the roster's JSON text as its cache key; None when it is not plain JSON."""
    if not isinstance(rows, list | tuple) or not rows:
        return None
    try:
        return json.dumps(rows, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return None


@lru_cache(maxsize=ROSTER_CACHE_SIZE)
def _row_problems_of(key: str) -> tuple[RowError, ...]:
    return tuple(_row_problems(json.loads(key)))


@lru_cache(maxsize=ROSTER_CACHE_SIZE)
def _read_rows_of(key: str, primary_region: str) -> tuple[Customer, ...]:
    return _read_rows(json.loads(key), primary_region)


def clear_caches() -> None:
    """Forget the rosters read and validated so far (benchmarks measure a first read)."""
    _row_problems_of.cache_clear()
    _read_rows_of.cache_clear()


def _read_rows(rows: object, primary_region: str) -> tuple[Customer, ...]:
    if not isinstance(rows, list | tuple):
        return ()
    customers = []
    for row in rows:
        if not isinstance(row, Mapping):
            continue
        count = _count(row)
        methods = _strings(row, "sign_in")
        customers.append(
            Customer(
                name=_text(row, "name"),
                slug=_slug_of(row),
                count=count if count is not None else 1,
                sign_in=tuple(m for m in SIGN_IN if m in methods),
                idp=_text(row, "idp"),
                email_domains=tuple(dict.fromkeys(_strings(row, "email_domains"))),
                hosting=_text(row, "hosting") or "shared",
                region=_text(row, "region") or primary_region,
                login_domain=_text(row, "login_domain"),
                scim=_text(row, "scim") == "yes",
                mfa=_text(row, "mfa") or "project_policy",
            )
        )
    return tuple(customers)
