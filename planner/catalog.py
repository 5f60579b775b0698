"""The questionnaire's behaviour: validation, normalisation, visibility and labels of answers.

Framework-free. The questions themselves are data in ``planner.questions``; this module reads
their fields (type, required, limits, ``pattern``, ``check``, ``message``, ``show_if``) and never
special-cases a question key. ``read_answers(raw)`` is the one way from a stored mapping to
``Answers``; the other functions are views of it for the wizard.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TypeIs

from planner import facts, roster, textsafety, topology
from planner.answers import NOT_ANSWERED, Answers, is_empty
from planner.conditions import Condition, NameInfo, check, compile, names
from planner.questions import (
    CATALOG_VERSION,
    COMPLIANCE_NONE_ALONE,
    CUSTOM_CODE_NONE_ALONE,
    DNS_LABEL_PATTERN,
    DOMAIN_RULE,
    ENVIRONMENTS_NEED_PROD,
    LOGIN_HOST_RULE,
    PREFIX_RULE,
    QUESTIONS,
    SANDBOX_COUNT_RULE,
    SECTIONS,
    SECTIONS_BY_KEY,
    TENANT_PREFIX_PATTERN,
    Choice,
    Question,
    Section,
)

__all__ = [
    "CATALOG_VERSION",
    "COMPLIANCE_NONE_ALONE",
    "CUSTOM_CODE_NONE_ALONE",
    "DNS_LABEL_PATTERN",
    "DOMAIN_RULE",
    "ENVIRONMENTS_NEED_PROD",
    "FACTS",
    "LOGIN_HOST_RULE",
    "MAX_TENANT_NAME_LENGTH",
    "NOT_ANSWERED",
    "PREFIX_RULE",
    "QUESTIONS",
    "SANDBOX_COUNT_RULE",
    "SECTIONS",
    "TENANT_PREFIX_PATTERN",
    "Choice",
    "Question",
    "Section",
    "answer_label",
    "condition_schema",
    "effective_answers",
    "is_empty",
    "longest_tenant_name",
    "normalize",
    "read_answers",
    "section",
    "section_state",
    "validate_all",
    "validate_section",
    "visible_keys",
]

MAX_TENANT_NAME_LENGTH = topology.MAX_TENANT_NAME_LENGTH
FACTS: dict[str, NameInfo] = facts.schema()


def section(key: str) -> Section:
    """Return the section with this key (KeyError when unknown)."""
    try:
        return SECTIONS_BY_KEY[key]
    except KeyError:
        raise KeyError(f"Unknown section: {key!r}") from None


@cache
def _schema() -> dict[str, NameInfo]:
    schema = {
        q.key: NameInfo(kind=q.type, choices=q.values, label=q.label) for q in QUESTIONS.values()
    }
    schema.update(FACTS)
    return schema


def condition_schema() -> dict[str, NameInfo]:
    """Return the names conditions may use: every question plus the facts."""
    return dict(_schema())


@cache
def _condition(key: str) -> Condition:
    return compile(QUESTIONS[key].show_if, _schema())


def show_if_errors(questions: Mapping[str, Question] | None = None) -> dict[str, list[str]]:
    """Return, by question key, what is wrong with each ``show_if``; {} when all are sound.

    A ``show_if`` must compile against the questions and facts, and may name only questions
    asked before its own: the wizard decides visibility in question order.
    """
    questions = QUESTIONS if questions is None else questions
    schema = {
        q.key: NameInfo(kind=q.type, choices=q.values, label=q.label) for q in questions.values()
    }
    schema.update(FACTS)
    problems: dict[str, list[str]] = {}
    earlier: set[str] = set()
    for key, question in questions.items():
        if question.show_if:
            errors = [str(error) for error in check(question.show_if, schema)]
            if not errors:
                later = sorted(names(question.show_if) - earlier - set(FACTS))
                if later:
                    errors.append(
                        "it names questions not asked before this one: " + ", ".join(later)
                    )
            if errors:
                problems[key] = errors
        earlier.add(key)
    return problems


# --- normalizing posted strings ------------------------------------------------------------

# A typed whole number; the wizard's script gets the same pattern from a data attribute.
INTEGER_PATTERN = r"[+-]?[0-9]{1,18}"
_INT_TEXT = re.compile(INTEGER_PATTERN)


def _strings(raw: object) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        items: Iterable[object] = [raw]
    else:
        try:
            items = list(raw)  # type: ignore[call-overload]
        except TypeError:
            items = [raw]
    return [item if isinstance(item, str) else str(item) for item in items]


# Control, bidi and other invisible characters are never meaningful in an answer (PostgreSQL's
# JSON cannot even store NUL): textsafety strips them and bounds what is kept.
MAX_UNKNOWN_CHOICES = 20


def normalize(question: Question | str, raw: object) -> object:
    """Return the stored value for the strings posted for a question; never raises."""
    if isinstance(question, str):
        question = QUESTIONS[question]
    if question.type == "roster":
        return roster.normalize_rows(raw)
    values = [textsafety.stored_text(v) for v in _strings(raw)]
    non_empty = [v for v in values if v]
    if question.type == "multi":
        chosen = set(non_empty)
        known = [v for v in question.values if v in chosen]
        unknown = list(dict.fromkeys(v for v in non_empty if v not in question.values))
        return known + unknown[:MAX_UNKNOWN_CHOICES]
    first = non_empty[0] if non_empty else ""
    if question.type == "int" and _INT_TEXT.fullmatch(first):
        return int(first)
    return first


# --- text checks, named by Question.check ----------------------------------------------------


def _quote(value: object) -> str:
    return f"“{value}”"


def _has_upper(value: str) -> bool:
    return value != value.lower()


def _fits(q: Question, value: str) -> bool:
    """Return True when the value is within the question's length limits and matches its pattern."""
    lo, hi = q.min_length or 0, q.max_length
    return lo <= len(value) and (hi is None or len(value) <= hi) and _matches(q.pattern, value)


def _matches(pattern: str, value: str) -> bool:
    return not pattern or re.fullmatch(pattern, value) is not None


def _one_error(q: Question, hints: list[tuple[str, bool]]) -> list[str]:
    """Return one short error: the first hint whose fix alone makes the value valid, else the rule.

    Each hint is (sentence, whether fixing only that makes the value valid); when the value has
    several problems the question's rule, which covers them all, says it in one sentence.
    """
    for sentence, sufficient in hints:
        if sufficient:
            return [sentence]
    return [q.message]


def _length_limits(q: Question) -> str:
    lo, hi = q.min_length or 0, q.max_length
    return f"{lo} to {hi}" if hi is not None else f"at least {lo}"


def _check_prefix(q: Question, value: str) -> list[str]:
    if _fits(q, value):
        return []
    n = len(value)
    in_limits = (q.min_length or 0) <= n <= (q.max_length or n)
    return _one_error(
        q,
        [
            (
                f"The prefix has {n} character{'' if n == 1 else 's'}; use {_length_limits(q)}.",
                not in_limits and _matches(q.pattern, value),
            ),
            ("Use lowercase letters.", _has_upper(value) and _fits(q, value.lower())),
            (
                "Use single hyphens, not “--”.",
                "--" in value and _fits(q, re.sub("-+", "-", value)),
            ),
        ],
    )


def _dns_name_valid(q: Question, value: str) -> bool:
    labels = value.split(".")
    return (
        len(value) <= (q.max_length or len(value))
        and len(labels) >= 2
        and all(_matches(q.pattern, label) for label in labels)
    )


def bare_host(value: str) -> str:
    """Return the host of a URL-like value: no scheme, path, port or query."""
    host = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", value.strip())
    return re.split(r"[/:?#]", host, maxsplit=1)[0]


def _check_dns_name(q: Question, value: str) -> list[str]:
    if _dns_name_valid(q, value):
        return []
    hi = q.max_length
    return _one_error(
        q,
        [
            (
                "Enter the domain name only, without https:// or a path.",
                ("/" in value or ":" in value) and _dns_name_valid(q, bare_host(value).lower()),
            ),
            ("Use lowercase letters.", _has_upper(value) and _dns_name_valid(q, value.lower())),
            (
                "Include at least one dot, as in example.com.",
                "." not in value and _matches(q.pattern, value),
            ),
            (
                f"This one has {len(value)} characters; a domain name has at most {hi}.",
                hi is not None and len(value) > hi,
            ),
        ],
    )


def _check_dns_label(q: Question, value: str) -> list[str]:
    if _fits(q, value):
        return []
    first = value.split(".", 1)[0]
    return _one_error(
        q,
        [
            (
                f"Enter only the first label (such as {first.lower() or 'login'}), not the whole "
                "domain.",
                "." in value,
            ),
            ("Use lowercase letters.", _has_upper(value) and _fits(q, value.lower())),
        ],
    )


def _check_tenant_name(q: Question, value: str) -> list[str]:
    problems = topology.check_tenant_name(value)
    if not problems:
        return []
    return [f"{_quote(value)} is not a valid tenant name: {'; '.join(problems)}. {q.message}"]


def _check_name_length(q: Question, value: str) -> list[str]:
    n = len(value.strip())
    if q.max_length is not None and n > q.max_length:
        return [f"Enter a company name of at most {q.max_length} characters (this one has {n})."]
    return []


def _check_length(q: Question, value: str) -> list[str]:
    if q.max_length is not None and len(value) > q.max_length:
        return [f"Enter at most {q.max_length} characters for {_name(q)}."]
    return []


TEXT_CHECKS: dict[str, Callable[[Question, str], list[str]]] = {
    "": _check_length,
    "name_length": _check_name_length,
    "prefix": _check_prefix,
    "dns_name": _check_dns_name,
    "dns_label": _check_dns_label,
    "tenant_name": _check_tenant_name,
}


# --- field validation by question type ------------------------------------------------------


def _name(q: Question) -> str:
    return q.short_label or "this question"


def _is_text(value: object) -> TypeIs[str]:
    return isinstance(value, str)


def _is_text_list(value: object) -> TypeIs[list[str]]:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _is_whole_number(value: object) -> TypeIs[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_row_list(value: object) -> TypeIs[list[dict[str, object]]]:
    return isinstance(value, list) and all(isinstance(row, dict) for row in value)


def _single_errors(q: Question, value: object) -> list[str]:
    if not _is_text(value):
        return [f"Choose exactly one option for {_name(q)}."]
    if value not in q.values:
        return [f"Choose one of the listed options for {_name(q)}: {_quote(value)} is not one."]
    return []


def _multi_errors(q: Question, value: object) -> list[str]:
    # A form may post a tuple, and a stray non-text item is named as an unknown choice below.
    if not isinstance(value, list | tuple):
        return [f"Choose the options for {_name(q)} from the list."]
    unknown = [v for v in dict.fromkeys(map(str, value)) if v not in q.values]
    if unknown:
        verb = "is not one of them" if len(unknown) == 1 else "are not among them"
        listed = textsafety.listing(unknown, quote=_quote)
        return [f"Choose from the listed options for {_name(q)}: {listed} {verb}."]
    return []


def _int_errors(q: Question, value: object) -> list[str]:
    if not _is_whole_number(value):
        return [q.message or f"Enter a whole number for {_name(q)}."]
    lo, hi = q.min_value, q.max_value
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        return [q.message or f"Enter a whole number between {lo} and {hi} for {_name(q)}."]
    return []


def _text_errors(q: Question, value: object) -> list[str]:
    if not _is_text(value):
        return [f"Enter text for {_name(q)}."]
    return TEXT_CHECKS[q.check](q, value)


def _roster_errors(q: Question, value: object) -> list[str]:
    return list(roster.row_problems(value))


@dataclass(frozen=True)
class QuestionType:
    """One question type: the JSON shape of a stored answer, said two ways, and its field checks.

    ``is_stored_shape`` is what an answers document must hold for the type (answer files and
    the admin are checked against it); ``field_errors`` then checks choices, limits and text.
    """

    name: str
    is_stored_shape: Callable[[object], bool]
    expected: str  # after "expected", in a shape error
    written_as: str  # in the question reference
    field_errors: Callable[[Question, object], list[str]]


QUESTION_TYPES: dict[str, QuestionType] = {
    t.name: t
    for t in (
        QuestionType(
            "single",
            _is_text,
            "a string (one choice value)",
            "one value (a JSON string)",
            _single_errors,
        ),
        QuestionType(
            "multi",
            _is_text_list,
            "a list of strings (choice values)",
            "a list of values (JSON array of strings)",
            _multi_errors,
        ),
        QuestionType("text", _is_text, "a string", "free text (a JSON string)", _text_errors),
        QuestionType(
            "int",
            _is_whole_number,
            "a whole number",
            "a whole number (a JSON integer)",
            _int_errors,
        ),
        QuestionType(
            "roster",
            _is_row_list,
            "a list of customer rows (JSON objects)",
            "a list of customer rows (JSON array of objects, fields below)",
            _roster_errors,
        ),
    )
}


def _required_message(q: Question) -> str:
    if q.message:
        return q.message
    if q.type == "single":
        return f"Choose one option for {_name(q)}."
    if q.type == "multi":
        return f"Choose at least one option for {_name(q)}."
    return f"Enter a value for {_name(q)}."


def _field_errors(q: Question, value: object) -> list[str]:
    """Return the errors of one answer on its own (no visibility, no cross-question rules)."""
    if is_empty(value):
        return [_required_message(q)] if q.required else []
    return QUESTION_TYPES[q.type].field_errors(q, value)


# --- visibility -----------------------------------------------------------------------------


def _visible(
    answers: Mapping[str, object],
) -> tuple[set[str], dict[str, object], dict[str, list[str]]]:
    """Return the visible keys, their field-valid values and every field's own errors."""
    field_errors = {key: _field_errors(q, answers.get(key)) for key, q in QUESTIONS.items()}
    values = {
        key: answers.get(key)
        for key in QUESTIONS
        if not field_errors[key] and not is_empty(answers.get(key))
    }
    visible: set[str] = set()
    for key, q in QUESTIONS.items():
        if q.show_if and not _condition(key).evaluate(values):
            values.pop(key, None)
        else:
            visible.add(key)
    return visible, values, field_errors


# --- cross-question rules -------------------------------------------------------------------


def longest_tenant_name(answers: Mapping[str, object]) -> str:
    """Return the longest tenant name the prefix and the given answers produce."""
    return _longest_tenant_name(answers, _visible(answers)[1])


def _longest_tenant_name(answers: Mapping[str, object], values: Mapping[str, object]) -> str:
    """Return the longest tenant name of the stored prefix (valid or not) and the valid values."""
    prefix = answers.get("tenant_prefix")
    if not isinstance(prefix, str) or not prefix.strip():
        return ""
    return topology.longest_tenant_name({**values, "tenant_prefix": prefix.strip()})


def _one(values: Mapping[str, object], key: str) -> str:
    """Return a field-valid single answer ("" when it does not count)."""
    value = values.get(key)
    return value if isinstance(value, str) else ""


def _many(values: Mapping[str, object], key: str) -> list[str]:
    """Return a field-valid multi answer ([] when it does not count)."""
    value = values.get(key)
    return [str(item) for item in value] if isinstance(value, list | tuple) else []


def _cross_errors(
    answers: Mapping[str, object], values: Mapping[str, object]
) -> dict[str, list[str]]:
    """Return errors of rules spanning several questions, by the key they are reported on."""
    errors: dict[str, list[str]] = {}
    primary = _one(values, "primary_region")
    if primary and primary in _many(values, "additional_regions"):
        region = QUESTIONS["primary_region"].choice_label(primary)
        errors["additional_regions"] = [
            f"Remove {region} ({primary}) from the additional regions: it is already the "
            "primary region."
        ]
    environments = _many(values, "environments")
    if environments and "prod" not in environments:
        errors["environments"] = [ENVIRONMENTS_NEED_PROD]
    custom_code = _many(values, "custom_code")
    if "none" in custom_code and len(custom_code) > 1:
        errors["custom_code"] = [CUSTOM_CODE_NONE_ALONE]
    regimes = _many(values, "compliance_regimes")
    if "none" in regimes and len(regimes) > 1:
        errors["compliance_regimes"] = [COMPLIANCE_NONE_ALONE]
    longest = _longest_tenant_name(answers, values)
    if len(longest) > MAX_TENANT_NAME_LENGTH:
        errors["tenant_prefix"] = [
            f"The tenant name {_quote(longest)} would have {len(longest)} characters, but Auth0 "
            f"allows at most {MAX_TENANT_NAME_LENGTH}. Shorten the tenant prefix."
        ]
    if "customers" in values or "existing_tenant_name" in values:
        for key, messages in _roster_cross_errors(values).items():
            errors.setdefault(key, []).extend(messages)
    return errors


@dataclass(frozen=True)
class _RosterFrame:
    """What a roster row is checked against: the plan's other tenants, domains and regions."""

    prefix: str
    primary: str
    served: frozenset[str]
    environments: tuple[str, ...]
    other_tenants: Mapping[str, topology.Tenant]
    proposed_domains: frozenset[str]

    @classmethod
    def read(cls, values: Mapping[str, object], prefix: str) -> _RosterFrame:
        primary = _one(values, "primary_region")
        served = {primary} if primary else set()
        if _one(values, "data_residency") == "some_customers_other_region":
            served.update(_many(values, "additional_regions"))
        without_roster = topology.derive_topology({**values, "customers": None})
        selected = _many(values, "environments")
        return cls(
            prefix=prefix,
            primary=primary,
            served=frozenset(served),
            environments=tuple(e for e in topology.ENV_ORDER if e in selected) or ("staging",),
            other_tenants={t.name: t for t in without_roster.tenants},
            proposed_domains=frozenset(d for t in without_roster.tenants for d in t.custom_domains),
        )


def _dedicated_problems(customer: roster.Customer, frame: _RosterFrame) -> list[tuple[str, str]]:
    stem = f"{frame.prefix}-{customer.slug}"
    names = [topology.tenant_name(stem, env) for env in frame.environments]
    longest = max(names, key=len)
    problems = []
    if len(longest) > MAX_TENANT_NAME_LENGTH:
        problems.append(
            (
                "slug",
                f"its tenant name {_quote(longest)} would have {len(longest)} characters, "
                f"but Auth0 allows at most {MAX_TENANT_NAME_LENGTH}: shorten the slug.",
            )
        )
    clash = next((n for n in names if n in frame.other_tenants), "")
    if clash:
        purpose = frame.other_tenants[clash].purpose
        problems.append(
            (
                "slug",
                f"its tenant {_quote(clash)} would repeat the name of another tenant of the "
                f"plan ({_quote(clash)}, {purpose}): choose another slug.",
            )
        )
    return problems


def _customer_problems(customer: roster.Customer, frame: _RosterFrame) -> list[tuple[str, str]]:
    """Return (field, message) for one row against the rest of the plan."""
    problems = []
    if customer.dedicated:
        problems.extend(_dedicated_problems(customer, frame))
    elif frame.primary and customer.region and customer.region not in frame.served:
        name, region = customer.name, customer.region
        problems.append(
            (
                "region",
                f"{name} is in {region}, but no tenant serves {region}: add {region} to the "
                f"additional regions, or give {name} its own tenant.",
            )
        )
    if customer.login_domain and customer.login_domain in frame.proposed_domains:
        problems.append(
            (
                "login_domain",
                f"{_quote(customer.login_domain)} is already a custom domain the plan proposes "
                "for one of your tenants: enter the customer's own login host.",
            )
        )
    return problems


def _existing_name_errors(values: Mapping[str, object]) -> list[str]:
    existing = _one(values, "existing_tenant_name")
    if not existing:
        return []
    derived = topology.derive_topology({**values, "existing_tenant_name": ""})
    for tenant in derived.tenants:
        if tenant.name == existing and not (
            tenant.purpose == "primary" and tenant.environment == "prod"
        ):
            return [
                f"{_quote(existing)} is already the name of another tenant of the plan "
                f"({tenant.purpose}, {tenant.environment}): enter the existing production "
                "tenant's own name."
            ]
    return []


def _roster_cross_errors(values: Mapping[str, object]) -> dict[str, list[str]]:
    """Return the roster's problems against the other answers, by question key."""
    prefix = _one(values, "tenant_prefix")
    if not prefix:
        return {}
    errors: dict[str, list[str]] = {}
    rows = values.get("customers")
    raw_rows = rows if isinstance(rows, list) else []
    if raw_rows:
        frame = _RosterFrame.read(values, prefix)
        problems: list[str] = [
            roster.RowError(
                f"{roster.row_label(raw_rows[index], index)}, {roster.FIELD_LABELS[field]}: "
                f"{message}",
                index,
                field,
            )
            for index, customer in enumerate(roster.read_rows(raw_rows, frame.primary))
            for field, message in _customer_problems(customer, frame)
        ]
        if problems:
            errors["customers"] = problems
    existing = _existing_name_errors(values)
    if existing:
        errors["existing_tenant_name"] = existing
    return errors


# --- reading answers once -------------------------------------------------------------------


def read_answers(raw: object) -> Answers:
    """Return the answers as the app reads them: visible values, labels and errors, once."""
    answers: Mapping[str, object] = raw if isinstance(raw, Mapping) else {}
    if isinstance(answers, Answers):
        return answers
    visible, values, field_errors = _visible(answers)
    errors: dict[str, list[str]] = {
        key: list(field_errors[key]) for key in QUESTIONS if key in visible and field_errors[key]
    }
    for key, messages in _cross_errors(answers, values).items():
        if key in visible and key not in errors:
            errors[key] = messages[:1]  # one error per field: the field's own comes first
    counted = {key: value for key, value in values.items() if key not in errors}
    return Answers(
        raw=answers,
        values=counted,
        visible=frozenset(visible),
        errors={key: tuple(messages) for key, messages in errors.items()},
        label_of=answer_label,
    )


def visible_keys(answers: Mapping[str, object]) -> set[str]:
    """Return the keys of the questions shown for these answers."""
    return set(read_answers(answers).visible)


def effective_answers(answers: Mapping[str, object]) -> dict[str, object]:
    """Return the answers that count: visible, non-empty and without errors, in catalog order."""
    return dict(read_answers(answers))


def open_items(answers: Answers, section_key: str) -> list[Question]:
    """Return the shown optional questions of a section that asks for them and has no answer."""
    sec = section(section_key)
    if not sec.open_items_note:
        return []
    return [
        q
        for q in sec.questions
        if not q.required and answers.is_visible(q.key) and not answers.answered(q.key)
    ]


def errors_by_section(answers: Answers) -> dict[str, dict[str, list[str]]]:
    """Return errors by section key and question key, only for sections with errors."""
    result: dict[str, dict[str, list[str]]] = {}
    for key, messages in answers.errors.items():
        result.setdefault(QUESTIONS[key].section, {})[key] = list(messages)
    return {s.key: result[s.key] for s in SECTIONS if s.key in result}


def validate_section(section_key: str, answers: Mapping[str, object]) -> dict[str, list[str]]:
    """Return error messages by question key for the visible questions of one section."""
    keys = {q.key for q in section(section_key).questions}
    errors = read_answers(answers).errors
    return {key: list(messages) for key, messages in errors.items() if key in keys}


def validate_all(answers: Mapping[str, object]) -> dict[str, dict[str, list[str]]]:
    """Return errors by section key and question key, only for sections with errors."""
    return errors_by_section(read_answers(answers))


# --- display and progress -------------------------------------------------------------------


def answer_label(key: str, value: object) -> str:
    """Return the human text of an answer ("Not answered" when empty)."""
    q = QUESTIONS[key]
    if is_empty(value):
        return NOT_ANSWERED
    if q.type == "single" and isinstance(value, str):
        return q.choice_label(value)
    if q.type == "multi" and isinstance(value, list | tuple):
        return ", ".join(q.choice_label(str(v)) for v in value)
    if q.type == "roster" and isinstance(value, list | tuple):
        return roster_label(value)
    return str(value).strip()


def roster_label(rows: list[object] | tuple[object, ...]) -> str:
    """Return a roster in one line: "3 rows: Contoso, Fabrikam, Small businesses (260)"."""
    names = []
    for row in rows:
        if isinstance(row, Mapping):
            name = str(row.get("name") or "").strip() or "(no name)"
            count = row.get("count")
            names.append(f"{name} ({count})" if count not in (None, 1, "1", "") else name)
    shown = ", ".join(names[:20]) + (f", and {len(names) - 20} more" if len(names) > 20 else "")
    return f"{len(rows)} row{'s' if len(rows) != 1 else ''}: {shown}"


def section_state(section_key: str, answers: Mapping[str, object], touched: bool) -> str:
    """Return "not_started", "in_progress", "complete" or "has_errors" for a section."""
    read = read_answers(answers)
    keys = [q.key for q in section(section_key).questions]
    if not any(key in read.errors for key in keys):
        return "complete"
    if touched:
        return "has_errors"
    return "in_progress" if any(read.answered(key) for key in keys) else "not_started"
