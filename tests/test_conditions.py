"""Tests for planner.conditions: parsing, validation, evaluation and explanation."""

import pickle

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import conditions
from planner.conditions import (
    MAX_DEPTH,
    MAX_LENGTH,
    Compare,
    Condition,
    ConditionError,
    NameInfo,
    check,
    compile,
    names,
    parse,
)

SCHEMA = {
    "user_isolation": NameInfo("single", ("isolated", "shared", "mixed"), "Users per customer"),
    "org_count": NameInfo("single", ("lt_10", "10_1k", "1k_100k", "gt_100k"), "Organizations"),
    "user_communities": NameInfo(
        "multi", ("b2b_customers", "consumers", "employees", "partners"), "User communities"
    ),
    "customer_auth_methods": NameInfo(
        "multi", ("our_database", "enterprise_idp", "social", "passwordless"), "Sign-in methods"
    ),
    "tenant_prefix": NameInfo("text", label="Tenant prefix"),
    "sandbox_count": NameInfo("int", label="Sandboxes"),
    "enterprise": NameInfo("bool", label="Enterprise subscription"),
    "production_tenant_count": NameInfo("int", label="Production tenants"),
}

ANSWERS = {
    "user_isolation": "isolated",
    "org_count": "10_1k",
    "user_communities": ["b2b_customers", "employees"],
    "customer_auth_methods": ["our_database"],
    "tenant_prefix": "acme",
    "sandbox_count": 3,
    "enterprise": True,
    "production_tenant_count": 2,
}


@pytest.fixture
def schema():
    return SCHEMA


def run(text, values, schema=SCHEMA):
    return compile(text, schema).evaluate(values)


# --------------------------------------------------------------------------------------------
# Evaluation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ==, !=
        ('user_isolation == "isolated"', True),
        ('user_isolation == "shared"', False),
        ('user_isolation != "shared"', True),
        ('user_isolation != "isolated"', False),
        ('"isolated" == user_isolation', True),
        ('tenant_prefix == "acme"', True),
        ('tenant_prefix != "other"', True),
        ("sandbox_count == 3", True),
        ("sandbox_count != 3", False),
        ("enterprise == true", True),
        ("enterprise != false", True),
        ("enterprise == false", False),
        # ordering
        ("sandbox_count < 4", True),
        ("sandbox_count < 3", False),
        ("sandbox_count <= 3", True),
        ("sandbox_count > 2", True),
        ("sandbox_count > 3", False),
        ("sandbox_count >= 3", True),
        ("sandbox_count >= 4", False),
        ("sandbox_count > -1", True),
        ("production_tenant_count > 1", True),
        ("production_tenant_count < sandbox_count", True),
        ("sandbox_count <= production_tenant_count", False),
        ("1 < 2", True),
        # in / not in a list
        ('user_isolation in ["shared", "isolated"]', True),
        ('user_isolation in ["shared", "mixed"]', False),
        ('user_isolation not in ["shared", "mixed"]', True),
        ('user_isolation not in ["isolated"]', False),
        ("sandbox_count in [1, 2, 3]", True),
        ("sandbox_count not in [1, 2, 3]", False),
        ('tenant_prefix in ["acme", "globex"]', True),
        ('user_isolation in ["isolated",]', True),
        ("user_isolation in []", False),
        # in / not in a multi answer
        ('"b2b_customers" in user_communities', True),
        ('"consumers" in user_communities', False),
        ('"consumers" not in user_communities', True),
        ('"employees" not in user_communities', False),
        ("'employees' in user_communities", True),
        # functions
        ("count(user_communities) == 2", True),
        ("count(user_communities) > 1", True),
        ("count(customer_auth_methods) > 1", False),
        ("answered(tenant_prefix)", True),
        ("answered(user_communities)", True),
        ('any_of(user_communities, ["consumers", "employees"])', True),
        ('any_of(user_communities, ["consumers", "partners"])', False),
        ("any_of(user_communities, [])", False),
        # booleans
        ("true", True),
        ("false", False),
        ("enterprise", True),
        ("not enterprise", False),
        ("not not enterprise", True),
        ("not false", True),
        # and / or / precedence / parentheses
        ('enterprise and user_isolation == "isolated"', True),
        ('enterprise and user_isolation == "shared"', False),
        ('enterprise or user_isolation == "shared"', True),
        ('not enterprise or user_isolation == "shared"', False),
        ('not enterprise or user_isolation == "shared" or sandbox_count == 3', True),
        ("false or false or true", True),
        ("true and true and false", False),
        # not binds tighter than and, and tighter than or: (not a) or (b and c)
        ('not enterprise or enterprise and user_isolation == "isolated"', True),
        ('not enterprise or enterprise and user_isolation == "shared"', False),
        ('not (enterprise or enterprise) and user_isolation == "isolated"', False),
        ("true or false and false", True),
        ("(true or false) and false", False),
        ('not (user_isolation == "shared")', True),
        ('((user_isolation == "isolated"))', True),
        (
            'user_isolation == "isolated" and "our_database" in customer_auth_methods and '
            '(org_count == "lt_10" or (org_count == "10_1k" and enterprise))',
            True,
        ),
        # whitespace and escapes
        ('user_isolation=="isolated"', True),
        ('\n user_isolation\t==\r\n"isolated" ', True),
        ('tenant_prefix != "a\\"b"', True),
    ],
)
def test_evaluate(text, expected):
    assert run(text, ANSWERS) is expected


# Every operator, with one operand unanswered: always false; `not` flips it to true.
UNANSWERED_CASES = [
    'user_isolation == "isolated"',
    'user_isolation != "isolated"',
    'user_isolation in ["isolated", "shared"]',
    'user_isolation not in ["isolated", "shared"]',
    'tenant_prefix == "acme"',
    'tenant_prefix != "acme"',
    "sandbox_count == 3",
    "sandbox_count != 3",
    "sandbox_count < 3",
    "sandbox_count <= 3",
    "sandbox_count > 3",
    "sandbox_count >= 3",
    "sandbox_count < production_tenant_count",
    '"b2b_customers" in user_communities',
    '"b2b_customers" not in user_communities',
    'any_of(user_communities, ["b2b_customers"])',
    "answered(tenant_prefix)",
    "answered(user_communities)",
    "enterprise",
    "enterprise == true",
    "enterprise == false",
    "enterprise != true",
]


@pytest.mark.parametrize(
    "values",
    [
        {},
        {
            "user_isolation": None,
            "tenant_prefix": "",
            "user_communities": [],
            "sandbox_count": None,
            "enterprise": None,
        },
    ],
    ids=["missing", "empty"],
)
@pytest.mark.parametrize("text", UNANSWERED_CASES)
def test_unanswered_operand_is_false_and_not_flips_it(text, values):
    assert run(text, values) is False
    assert run(f"not ({text})", values) is True


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("count(user_communities) == 0", {}, True),
        ("count(user_communities) == 0", {"user_communities": []}, True),
        ("count(user_communities) > 0", {}, False),
        ("count(user_communities) == 1", {"user_communities": ["partners"]}, True),
        ("sandbox_count == 0", {"sandbox_count": 0}, True),  # 0 is an answer
        ("enterprise == false", {"enterprise": False}, True),  # False is an answer
        ("not enterprise", {"enterprise": False}, True),
        ("not enterprise", {}, True),
        ("answered(sandbox_count)", {"sandbox_count": 0}, True),
        ('tenant_prefix != "acme"', {"tenant_prefix": "other"}, True),
        ('user_isolation != "isolated"', {"user_isolation": "shared"}, True),
    ],
)
def test_edge_values(text, values, expected):
    assert run(text, values) is expected


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("sandbox_count > 1", {"sandbox_count": "5"}),  # wrong type: not an integer
        ("sandbox_count > 1", {"sandbox_count": True}),
        ('"a" in user_communities', {"user_communities": "abc"}),  # no substring matching
        ('any_of(user_communities, ["a"])', {"user_communities": [["a"]]}),
        ('"a" in user_communities', {"user_communities": {"b": 1}}),
    ],
)
def test_badly_typed_values_do_not_raise(text, values):
    schema = {**SCHEMA, "user_communities": NameInfo("multi", ("a", "b"))}
    assert run(text, values, schema) is False


# --------------------------------------------------------------------------------------------
# Explanation


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ('user_isolation == "isolated"', ANSWERS, [("user_isolation", "isolated")]),
        ('user_isolation == "shared"', ANSWERS, []),
        ("true", ANSWERS, []),
        ("enterprise", ANSWERS, [("enterprise", True)]),
        (
            'user_isolation == "isolated" and "b2b_customers" in user_communities',
            ANSWERS,
            [("user_isolation", "isolated"), ("user_communities", ["b2b_customers", "employees"])],
        ),
        # or: only the first true branch
        (
            'user_isolation == "shared" or sandbox_count > 1 or enterprise',
            ANSWERS,
            [("sandbox_count", 3)],
        ),
        # not: the names inside, None when unanswered
        ("not enterprise", {}, [("enterprise", None)]),
        ('not (user_isolation == "shared")', ANSWERS, [("user_isolation", "isolated")]),
        (
            'not (user_isolation == "shared" or tenant_prefix == "x")',
            {"user_isolation": "isolated"},
            [("user_isolation", "isolated"), ("tenant_prefix", None)],
        ),
        # no duplicates, source order
        (
            'org_count == "10_1k" and enterprise and org_count != "lt_10"',
            ANSWERS,
            [("org_count", "10_1k"), ("enterprise", True)],
        ),
        (
            'enterprise and (org_count == "lt_10" or org_count == "10_1k")',
            ANSWERS,
            [("enterprise", True), ("org_count", "10_1k")],
        ),
        ("count(user_communities) == 0", {}, [("user_communities", None)]),
        ("answered(tenant_prefix)", ANSWERS, [("tenant_prefix", "acme")]),
        (
            'any_of(customer_auth_methods, ["our_database"])',
            ANSWERS,
            [("customer_auth_methods", ["our_database"])],
        ),
        ("true and production_tenant_count > 1", ANSWERS, [("production_tenant_count", 2)]),
    ],
)
def test_explain(text, values, expected):
    assert compile(text, SCHEMA).explain(values) == expected


# --------------------------------------------------------------------------------------------
# Syntax errors


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("", "empty condition", 1),
        ("   ", "empty condition", 1),
        ('user_isolation == "isolated', "unterminated string", 19),
        ("tenant_prefix == 'abc\\'", "unterminated string", 18),
        ('(user_isolation == "isolated"', '"(" is never closed', 1),
        ("((true) or (false)", '"(" is never closed', 1),
        ('user_isolation in ["isolated"', '"[" is never closed', 19),
        ("count(user_communities", '"count(" is never closed', 6),
        ('(true "x")', 'expected ")" to close the "(" at column 1, found "x"', 7),
        ("true)", '")" has no matching "("', 5),
        ("true false", 'unexpected "false" after a complete condition', 6),
        ('user_isolation == "a" "b"', 'unexpected "b" after a complete condition', 23),
        ("user_isolation ==", "unexpected end of the condition: expected a value", 18),
        ("== 3", 'expected a value, found "=="', 1),
        ("enterprise and", "unexpected end of the condition", 15),
        ("and enterprise", 'expected a value, found "and"', 1),
        ("()", 'expected a value, found ")"', 2),
        ("not", "unexpected end of the condition", 4),
        ("sandbox_count == 1 == 1", "comparisons cannot be chained", 20),
        ('"a" in user_communities in user_communities', "comparisons cannot be chained", 25),
        ("user_isolation not user_communities", 'expected "in" after "not"', 20),
        ("user_isolation = 1", 'use "==" to compare, not "="', 16),
        ("enterprise && true", 'unexpected character "&": write "and"', 12),
        ("enterprise || true", 'unexpected character "|": write "or"', 12),
        ("!enterprise", 'unexpected character "!"', 1),
        ("enterprise $", 'unexpected character "$"', 12),
        ("enterprise\x00", "unexpected character U+0000", 11),
        ("sandbox_count > 12ab", 'invalid number "12ab"', 17),
        ("sandbox_count > - 1", 'unexpected character "-"', 17),
        ('user_isolation in ["a" "b"]', 'expected "," or "]" in the list, found "b"', 24),
        ("user_isolation in [tenant_prefix]", "a list may only contain strings, numbers", 20),
        ("user_isolation in [[1]]", "a list may only contain strings, numbers", 20),
        ("foo(user_isolation)", 'unknown function "foo"', 1),
        ("cont(user_communities) > 1", 'unknown function "cont" (did you mean count()?)', 1),
        ('count("x") > 1', 'count() takes a question key: count(key); found "x"', 7),
        ("answered()", 'answered() takes a question key: answered(key); found ")"', 10),
        ("count(a, b) > 1", 'expected ")" to close the "count(" at column 6, found ","', 8),
        ('any_of(user_communities "a")', "any_of() takes a question key and a list", 25),
        ('any_of(user_communities, "a")', "any_of() takes a list as its second argument", 26),
        ("any_of(user_communities,", '"(" is never closed', 7),
        ("x" * (MAX_LENGTH + 1), "condition is too long", MAX_LENGTH + 1),
        ("(" * (MAX_DEPTH + 1) + "true" + ")" * (MAX_DEPTH + 1), "too deeply nested", 51),
        ("not " * (MAX_DEPTH + 1) + "true", "too deeply nested", 4 * MAX_DEPTH + 1),
        ("(" * 5000, "condition is too long", MAX_LENGTH + 1),
    ],
)
def test_syntax_errors(text, message, column):
    with pytest.raises(ConditionError) as info:
        parse(text)
    assert message in info.value.message
    assert info.value.column == column
    assert check(text, SCHEMA) == [info.value] or [
        (e.message, e.column) for e in check(text, SCHEMA)
    ] == [(info.value.message, column)]
    with pytest.raises(ConditionError):
        compile(text, SCHEMA)


def test_nesting_at_the_limit_is_fine():
    assert run("(" * MAX_DEPTH + "true" + ")" * MAX_DEPTH, {}) is True
    assert run("not " * MAX_DEPTH + "true", {}) is True  # even count of nots


def test_parse_rejects_non_text():
    with pytest.raises(ConditionError, match="must be text"):
        parse(None)  # type: ignore[arg-type]


def test_parse_tree():
    node = parse('user_isolation in ["isolated", "shared"]')
    assert isinstance(node, Compare)
    assert node.op == "in"
    assert node.column == 16
    assert [item.value for item in node.right.items] == ["isolated", "shared"]
    assert parse("not sandbox_count > -5").operand.right.value == -5
    assert parse("'it\\'s' == tenant_prefix").left.value == "it's"
    assert parse('"a\\nb" == tenant_prefix').left.value == "a\nb"


# --------------------------------------------------------------------------------------------
# Validation errors


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        # unknown names, with suggestions
        (
            'user_isolaton == "isolated"',
            'unknown name "user_isolaton"; did you mean "user_isolation"?',
            1,
        ),
        ("enterprize", 'unknown name "enterprize"; did you mean "enterprise"?', 1),
        (
            "answered(tenant_prefx)",
            'unknown name "tenant_prefx"; did you mean "tenant_prefix"?',
            10,
        ),
        ("zzz == 1", 'unknown name "zzz"', 1),
        ("count > 1", "count is a function: write count(key)", 1),
        # choices
        (
            'user_isolation == "isolatd"',
            '"isolatd" is not a value of `user_isolation` (did you mean "isolated"?); '
            'allowed values: "isolated", "shared", "mixed"',
            19,
        ),
        ('"isolatd" != user_isolation', '"isolatd" is not a value of `user_isolation`', 1),
        (
            'user_isolation in ["isolated", "sharde"]',
            '"sharde" is not a value of `user_isolation` (did you mean "shared"?)',
            32,
        ),
        (
            'user_isolation not in ["nothing"]',
            '"nothing" is not a value of `user_isolation`; allowed values:',
            24,
        ),
        (
            '"b2b_customer" in user_communities',
            '"b2b_customer" is not a value of `user_communities` (did you mean "b2b_customers"?)',
            1,
        ),
        (
            'any_of(user_communities, ["employees", "partner"])',
            '"partner" is not a value of `user_communities` (did you mean "partners"?)',
            40,
        ),
        ("any_of(user_communities, [1])", "any_of() lists values of `user_communities`", 27),
        # choice question with a number
        ("user_isolation == 1", "`user_isolation` is a choice question", 19),
        ("1 != user_isolation", "`user_isolation` is a choice question", 1),
        ('user_isolation in ["isolated", 2]', "`user_isolation` is a choice question", 32),
        # ordering non-integers
        ('user_isolation < "b"', '"<" compares integers only; `user_isolation`', 1),
        ("tenant_prefix >= 3", '">=" compares integers only; `tenant_prefix` (a text answer)', 1),
        ('sandbox_count > "3"', '">" compares integers only; the string "3"', 17),
        ("count(user_communities) <= enterprise", '"<=" compares integers only', 28),
        ("true > false", '">" compares integers only', 1),
        # == on a multi
        ('user_communities == "employees"', '"==" does not apply, test a value with "in"', 1),
        ('"employees" != user_communities', "`user_communities` is a multi-choice answer", 16),
        # lists in the wrong place
        ('user_isolation == ["isolated"]', 'a list can only stand on the right of "in"', 19),
        ('["a"] in ["a"]', 'a list cannot stand on the left of "in"', 1),
        ('user_communities in ["employees"]', "use any_of(user_communities, [...])", 1),
        # in with a bad right side
        ('"x" in tenant_prefix', 'the right side of "in" must be a list or a multi-choice', 8),
        ('"isolated" not in user_isolation', 'the right side of "not in" must be a list', 19),
        ("sandbox_count in 3", 'the right side of "in" must be a list', 18),
        ("sandbox_count in user_communities", "put a string on its left", 1),
        # type mismatches
        (
            'sandbox_count == "3"',
            'cannot compare `sandbox_count` (an integer) with the string "3"',
            18,
        ),
        (
            'tenant_prefix in [1, "a"]',
            "cannot compare `tenant_prefix` (a text answer) with the number 1",
            19,
        ),
        ("sandbox_count in [1, true]", "with true", 22),
        (
            "enterprise == 1",
            "cannot compare `enterprise` (a true/false fact) with the number 1",
            15,
        ),
        # count / any_of of a non-multi
        ("count(user_isolation) > 1", "count() counts the values of a multi-choice answer", 7),
        ('any_of(user_isolation, ["isolated"])', "any_of() needs a multi-choice answer", 8),
        # not a condition
        (
            "tenant_prefix",
            "`tenant_prefix` is a text answer, not a condition: "
            'compare it, e.g. tenant_prefix == "…"',
            1,
        ),
        (
            "user_isolation",
            "`user_isolation` is a single-choice answer, not a condition: "
            'compare it, e.g. user_isolation == "isolated"',
            1,
        ),
        (
            "enterprise and user_communities",
            "`user_communities` is a multi-choice answer, not a condition: "
            'test a value, e.g. "b2b_customers" in user_communities',
            16,
        ),
        ("not sandbox_count", "`sandbox_count` is an integer, not a condition", 5),
        ("count(user_communities)", "count(user_communities) is a number, not a condition", 1),
        ("3", "a number is not a condition", 1),
        ('true or "x"', "a string is not a condition", 9),
        ('["isolated"]', "a list is not a condition", 1),
        ("(sandbox_count) == 1 and (production_tenant_count)", "is an integer, not a", 27),
    ],
)
def test_validation_errors(text, message, column):
    parse(text)  # syntactically fine
    errors = check(text, SCHEMA)
    assert errors, text
    assert message in errors[0].message
    assert errors[0].column == column
    with pytest.raises(ConditionError) as info:
        compile(text, SCHEMA)
    assert info.value.message == errors[0].message


def test_check_reports_every_problem_in_column_order():
    text = 'user_isolaton == "x" and tenant_prefix and "nope" in user_communities'
    errors = check(text, SCHEMA)
    assert [e.column for e in errors] == [1, 26, 44]
    assert "did you mean" in errors[0].message
    assert "not a condition" in errors[1].message
    assert '"nope" is not a value' in errors[2].message


def test_unknown_name_is_reported_once():
    assert len(check('missing == "a"', SCHEMA)) == 1


@pytest.mark.parametrize(
    "text",
    [
        'user_isolation == "isolated" and "b2b_customers" in user_communities and not enterprise',
        'tenant_prefix == "anything at all"',
        'tenant_prefix in ["a", "b"]',
        "user_isolation == tenant_prefix",
        "sandbox_count in [1, 2]",
        "enterprise == true",
        "(sandbox_count > 1) == enterprise",
        "user_isolation in user_communities",  # string-valued left side
        "count(user_communities) >= production_tenant_count",
        'any_of(customer_auth_methods, ["social", "passwordless"])',
        "answered(user_isolation) and not answered(tenant_prefix)",
        '"a" == "a"',
        "sandbox_count > -3",
    ],
)
def test_valid_conditions(text):
    assert check(text, SCHEMA) == []
    assert isinstance(compile(text, SCHEMA), Condition)


def test_empty_choices_are_not_validated():
    schema = {"q": NameInfo("single")}
    assert check('q == "whatever"', schema) == []


# --------------------------------------------------------------------------------------------
# API details


def test_error_formatting():
    error = check('user_isolation == "isolatd"', SCHEMA)[0]
    assert error.short == f"{error.message} (column 19)"
    lines = str(error).splitlines()
    assert lines[0] == error.short
    assert lines[1] == '  user_isolation == "isolatd"'
    assert lines[2] == "  " + " " * 18 + "^"
    assert isinstance(error, ValueError)


def test_error_formatting_of_long_text_shows_a_window():
    text = "enterprise and " * 30 + "$"
    error = check(text, SCHEMA)[0]
    assert error.column == len(text)
    excerpt, caret = str(error).splitlines()[1:]
    assert len(excerpt) < 90
    assert excerpt[caret.index("^")] == "$"


def test_error_formatting_replaces_control_characters():
    error = check("enterprise and\n\x01", SCHEMA)[0]
    excerpt, caret = str(error).splitlines()[1:]
    assert caret.index("^") == excerpt.index("and") + 4


def test_error_pickles():
    error = check("nope", SCHEMA)[0]
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301
    assert (copy.message, copy.column, copy.text) == (error.message, error.column, error.text)


def test_names():
    text = (
        'answered(tenant_prefix) and any_of(user_communities, ["a"]) or '
        "not (count(customer_auth_methods) > sandbox_count) and enterprise"
    )
    expected = {
        "tenant_prefix",
        "user_communities",
        "customer_auth_methods",
        "sandbox_count",
        "enterprise",
    }
    assert names(text) == expected
    assert names(parse(text)) == expected
    assert names("true") == set()
    assert compile("enterprise and sandbox_count > 1", SCHEMA).names == {
        "enterprise",
        "sandbox_count",
    }
    with pytest.raises(ConditionError):
        names("(")


def test_condition_is_immutable_and_reusable():
    condition = compile("enterprise", SCHEMA)
    assert condition.source == "enterprise"
    with pytest.raises(AttributeError):
        condition.source = "true"  # type: ignore[misc]
    assert condition.evaluate({"enterprise": True}) is True
    assert condition.evaluate({}) is False
    assert condition.evaluate({"enterprise": True}) is True
    assert repr(condition) == "Condition('enterprise')"


def test_name_info():
    info = NameInfo("single", ["a", "b"])  # type: ignore[arg-type]
    assert info.choices == ("a", "b")
    with pytest.raises(ValueError, match="unknown kind"):
        NameInfo("float")


def test_module_is_framework_free():
    source = open(conditions.__file__, encoding="utf-8").read()  # noqa: SIM115
    assert "django" not in source.lower().replace("framework-free", "")
    assert "eval(" not in source
    assert "exec(" not in source


# --------------------------------------------------------------------------------------------
# Properties

TOKENS = [
    "user_isolation",
    "user_communities",
    "tenant_prefix",
    "sandbox_count",
    "enterprise",
    "production_tenant_count",
    "unknown_name",
    '"isolated"',
    '"shared"',
    '"b2b_customers"',
    '"nope"',
    "'employees'",
    '"unterminated',
    "0",
    "3",
    "-1",
    "true",
    "false",
    "and",
    "or",
    "not",
    "in",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "=",
    "(",
    ")",
    "[",
    "]",
    ",",
    "answered",
    "count",
    "any_of",
    "\\",
    "-",
    "!",
]

token_soup = st.lists(st.sampled_from(TOKENS), max_size=30).flatmap(
    lambda tokens: st.sampled_from([" ", ""]).map(lambda sep: sep.join(tokens))
)

value_strategy = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=5),
    st.text(max_size=5),
    st.sampled_from(["isolated", "shared", "mixed", "b2b_customers", "employees", "acme"]),
    st.lists(
        st.one_of(
            st.sampled_from(["b2b_customers", "consumers", "employees", "partners"]),
            st.integers(),
            st.lists(st.integers(), max_size=2),
        ),
        max_size=4,
    ),
    st.floats(allow_nan=True),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)
values_strategy = st.dictionaries(st.sampled_from(sorted(SCHEMA)), value_strategy)


def _check_never_crashes(text, values):
    errors = check(text, SCHEMA)
    assert isinstance(errors, list)
    assert all(isinstance(e, ConditionError) for e in errors)
    for error in errors:
        assert isinstance(error.column, int)
        assert error.column >= 1
        str(error)
    try:
        condition = compile(text, SCHEMA)
    except ConditionError:
        assert errors
        return
    assert not errors
    result = condition.evaluate(values)
    assert isinstance(result, bool)
    explanation = condition.explain(values)
    assert isinstance(explanation, list)
    assert bool(explanation) <= result
    assert run(f"not ({text})", values) is not result


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200), values_strategy)
def test_random_text_never_crashes(text, values):
    _check_never_crashes(text, values)


@settings(max_examples=1000, suppress_health_check=[HealthCheck.too_slow])
@given(token_soup, values_strategy)
def test_token_soup_never_crashes(text, values):
    _check_never_crashes(text, values)


simple_conditions = st.sampled_from(
    [
        'user_isolation == "isolated"',
        'user_isolation != "shared"',
        '"b2b_customers" in user_communities',
        '"employees" not in user_communities',
        "sandbox_count > 1",
        "count(user_communities) >= 2",
        "enterprise",
        "answered(tenant_prefix)",
        'any_of(customer_auth_methods, ["social", "our_database"])',
        "true",
        "false",
    ]
)
conditions_strategy = st.recursive(
    simple_conditions,
    lambda inner: st.one_of(
        st.builds(lambda a, b: f"({a}) and ({b})", inner, inner),
        st.builds(lambda a, b: f"({a}) or ({b})", inner, inner),
        inner.map(lambda a: f"not ({a})"),
    ),
    max_leaves=8,
)


@settings(max_examples=300)
@given(conditions_strategy, values_strategy)
def test_generated_conditions_compile_and_explain_consistently(text, values):
    condition = compile(text, SCHEMA)
    result = condition.evaluate(values)
    assert isinstance(result, bool)
    explanation = condition.explain(values)
    if not result:
        assert explanation == []
    names_seen = [name for name, _ in explanation]
    assert len(names_seen) == len(set(names_seen))
    assert set(names_seen) <= condition.names
    if result:
        # The compile-time shortcut for "or"-free conditions agrees with the full walk.
        walked = list(dict(condition._explain(values)).items())
        assert condition.explain_true(values) == walked


def test_deep_input_does_not_overflow():
    for text in ["(" * 1999, "not " * 499, "[" * 1999, "-" * 1999, '"' * 1999, "a and " * 333]:
        errors = check(text, SCHEMA)
        assert all(isinstance(e, ConditionError) for e in errors)
