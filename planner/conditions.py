"""The condition language shared by rule conditions and the questionnaire's ``show_if``.

A condition is text an architect can read, for example::

    user_isolation == "isolated" and "our_database" in customer_auth_methods and not enterprise

This module is framework-free (standard library only). It tokenizes and parses a condition with
a small hand-written recursive-descent parser (nothing is ever run through ``eval``/``exec``),
validates it against a schema of known names, and compiles it into a tree of closures that is
cheap to evaluate and can explain why it came out true.

Public API::

    parse(text) -> Node                     syntax only
    check(text, schema) -> [ConditionError]  every problem; [] when valid
    compile(text, schema) -> Condition       raises the first ConditionError
    names(text_or_node) -> set[str]          names referenced

Values passed to ``Condition.evaluate`` hold only visible, answered values; a missing key,
``None``, ``""`` or ``[]`` is *unanswered*, and any comparison with an unanswered operand is
false.
"""

from __future__ import annotations

import difflib
import operator
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "BoolOp",
    "Call",
    "Compare",
    "Condition",
    "ConditionError",
    "ListLiteral",
    "Literal",
    "Name",
    "NameInfo",
    "Node",
    "Not",
    "check",
    "compile",
    "names",
    "parse",
]

MAX_LENGTH = 2000
MAX_DEPTH = 50

KINDS = ("single", "multi", "text", "int", "bool", "roster")
KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false"})
FUNCTIONS = ("answered", "count", "any_of")

_DIGITS = frozenset("0123456789")
_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_NAME_CHARS = _NAME_START | _DIGITS
_SPACE = frozenset(" \t\r\n")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}
_LIST_TYPES = (list, tuple, set, frozenset)


# --------------------------------------------------------------------------------------------
# Schema and errors


@dataclass(frozen=True)
class NameInfo:
    """What a name (question key or fact) is: its kind, its allowed values, its label."""

    kind: str  # "single" | "multi" | "text" | "int" | "bool" | "roster"
    choices: tuple[str, ...] = ()  # allowed values for single/multi
    label: str = ""  # human label (question label or fact description)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}; expected one of {', '.join(KINDS)}")
        if not isinstance(self.choices, tuple):
            object.__setattr__(self, "choices", tuple(self.choices))


class ConditionError(ValueError):
    """A syntax or validation problem in a condition, with its 1-based column."""

    def __init__(self, message: str, column: int, text: str = "") -> None:
        super().__init__(message, column, text)
        self.message = message
        self.column = column
        self.text = text

    @property
    def short(self) -> str:
        return f"{self.message} (column {self.column})"

    def __str__(self) -> str:
        excerpt, offset = _excerpt(self.text, self.column)
        if not excerpt:
            return self.short
        return f"{self.short}\n  {excerpt}\n  {' ' * offset}^"

    def __repr__(self) -> str:
        return f"ConditionError({self.message!r}, column={self.column})"


def _excerpt(text: str, column: int, width: int = 72) -> tuple[str, int]:
    """The text around ``column`` on one line, and the caret's offset into it."""
    if not text:
        return "", 0
    shown = "".join(c if c.isprintable() else " " for c in text)
    index = max(0, column - 1)
    if len(shown) <= width:
        return shown, min(index, len(shown))
    start = max(0, min(index - width // 2, len(shown) - width))
    end = min(len(shown), start + width)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(shown) else ""
    return prefix + shown[start:end] + suffix, len(prefix) + min(index, end) - start


def _quote(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _or_list(words: list[str]) -> str:
    quoted = [_quote(w) for w in words]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _show_char(c: str) -> str:
    if c.isprintable():
        return _quote(c)
    return f"U+{ord(c):04X}"


# --------------------------------------------------------------------------------------------
# Syntax tree


@dataclass(frozen=True, slots=True)
class Node:
    column: int  # 1-based column of the node's first token (of the operator for Compare)


@dataclass(frozen=True, slots=True)
class Literal(Node):
    value: str | int | bool


@dataclass(frozen=True, slots=True)
class ListLiteral(Node):
    items: tuple[Literal, ...]


@dataclass(frozen=True, slots=True)
class Name(Node):
    name: str


@dataclass(frozen=True, slots=True)
class Call(Node):
    func: str  # "answered" | "count" | "any_of"
    arg: Name
    items: ListLiteral | None = None  # any_of only


@dataclass(frozen=True, slots=True)
class Compare(Node):
    op: str  # "==" "!=" "<" "<=" ">" ">=" "in" "not in"; column is the operator's
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Not(Node):
    operand: Node


@dataclass(frozen=True, slots=True)
class BoolOp(Node):
    op: str  # "and" | "or"
    operands: tuple[Node, ...]


# --------------------------------------------------------------------------------------------
# Tokenizer


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "str" "int" "name" "kw" "op" "(" ")" "[" "]" "," "end"
    value: object
    column: int
    text: str


def _describe(tok: _Token) -> str:
    if tok.kind == "end":
        return "the end of the condition"
    shown = tok.text if len(tok.text) <= 30 else tok.text[:27] + "..."
    if tok.kind == "str":
        return shown
    return f'"{shown}"'


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in _SPACE:
            i += 1
            continue
        if c == '"' or c == "'":
            token, i = _scan_string(text, i)
        elif c in _DIGITS or (c == "-" and i + 1 < n and text[i + 1] in _DIGITS):
            token, i = _scan_number(text, i)
        elif c in _NAME_START:
            token, i = _scan_word(text, i)
        else:
            token, i = _scan_symbol(text, i)
        tokens.append(token)
    tokens.append(_Token("end", None, n + 1, ""))
    return tokens


def _scan_string(text: str, i: int) -> tuple[_Token, int]:
    """Return the string literal opening at ``text[i]`` and the index after it."""
    quote, col, n = text[i], i + 1, len(text)
    j = i + 1
    buf: list[str] = []
    while True:
        if j >= n:
            raise ConditionError(f"unterminated string: add the closing {quote}", col, text)
        d = text[j]
        if d == "\\":
            if j + 1 >= n:
                raise ConditionError(f"unterminated string: add the closing {quote}", col, text)
            e = text[j + 1]
            buf.append(_ESCAPES.get(e, e))
            j += 2
            continue
        if d == quote:
            break
        buf.append(d)
        j += 1
    return _Token("str", "".join(buf), col, text[i : j + 1]), j + 1


def _scan_number(text: str, i: int) -> tuple[_Token, int]:
    """Return the (maybe negative) whole number starting at ``text[i]`` and the index after it."""
    n = len(text)
    j = i + 1
    while j < n and text[j] in _DIGITS:
        j += 1
    if j < n and text[j] in _NAME_START:
        k = j
        while k < n and text[k] in _NAME_CHARS:
            k += 1
        raise ConditionError(f'invalid number "{text[i:k]}"', i + 1, text)
    return _Token("int", int(text[i:j]), i + 1, text[i:j]), j


def _scan_word(text: str, i: int) -> tuple[_Token, int]:
    """Return the name or keyword starting at ``text[i]`` and the index after it."""
    n = len(text)
    j = i + 1
    while j < n and text[j] in _NAME_CHARS:
        j += 1
    word = text[i:j]
    return _Token("kw" if word in KEYWORDS else "name", word, i + 1, word), j


# Characters people type from other languages, and what to write instead.
_MISTAKES = {
    "=": 'use "==" to compare, not "="',
    "&": 'unexpected character "&": write "and"',
    "|": 'unexpected character "|": write "or"',
    "!": 'unexpected character "!": write "not" (or "!=")',
}


def _scan_symbol(text: str, i: int) -> tuple[_Token, int]:
    """Return the operator or punctuation at ``text[i]`` and the index after it."""
    c, col = text[i], i + 1
    if text.startswith(("==", "!=", "<=", ">="), i):
        return _Token("op", text[i : i + 2], col, text[i : i + 2]), i + 2
    if c == "<" or c == ">":
        return _Token("op", c, col, c), i + 1
    if c in "()[],":
        return _Token(c, c, col, c), i + 1
    if c in _MISTAKES:
        raise ConditionError(_MISTAKES[c], col, text)
    raise ConditionError(f"unexpected character {_show_char(c)}", col, text)


# --------------------------------------------------------------------------------------------
# Parser


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.pos = 0
        self.depth = 0

    def error(self, message: str, column: int) -> ConditionError:
        return ConditionError(message, column, self.text)

    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def next(self) -> _Token:
        tok = self.tokens[self.pos]
        if tok.kind != "end":
            self.pos += 1
        return tok

    def is_kw(self, tok: _Token, word: str) -> bool:
        return tok.kind == "kw" and tok.value == word

    def enter(self, tok: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(
                f"too deeply nested: at most {MAX_DEPTH} levels of parentheses and not",
                tok.column,
            )

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise self.error("empty condition", 1)
        node = self.or_expr()
        tok = self.peek()
        if tok.kind != "end":
            if tok.kind == ")":
                raise self.error('")" has no matching "("', tok.column)
            raise self.error(
                f"unexpected {_describe(tok)} after a complete condition: "
                'join conditions with "and" or "or"',
                tok.column,
            )
        return node

    def or_expr(self) -> Node:
        first = self.and_expr()
        operands = [first]
        while self.is_kw(self.peek(), "or"):
            self.next()
            operands.append(self.and_expr())
        if len(operands) == 1:
            return first
        return BoolOp(column=first.column, op="or", operands=tuple(operands))

    def and_expr(self) -> Node:
        first = self.not_expr()
        operands = [first]
        while self.is_kw(self.peek(), "and"):
            self.next()
            operands.append(self.not_expr())
        if len(operands) == 1:
            return first
        return BoolOp(column=first.column, op="and", operands=tuple(operands))

    def not_expr(self) -> Node:
        tok = self.peek()
        if self.is_kw(tok, "not"):
            self.next()
            self.enter(tok)
            operand = self.not_expr()
            self.depth -= 1
            return Not(column=tok.column, operand=operand)
        return self.compare()

    def comparison_op(self) -> tuple[str, _Token] | None:
        """Consume a comparison operator if one follows."""
        tok = self.peek()
        if tok.kind == "op":
            self.next()
            return str(tok.value), tok
        if self.is_kw(tok, "in"):
            self.next()
            return "in", tok
        if self.is_kw(tok, "not"):
            after = self.tokens[self.pos + 1]
            if self.is_kw(after, "in"):
                self.pos += 2
                return "not in", tok
            raise self.error(f'expected "in" after "not", found {_describe(after)}', after.column)
        return None

    def compare(self) -> Node:
        left = self.operand()
        found = self.comparison_op()
        if found is None:
            return left
        op, tok = found
        right = self.operand()
        after = self.peek()
        if after.kind == "op" or self.is_kw(after, "in") or self.is_kw(after, "not"):
            raise self.error(
                'comparisons cannot be chained: join them with "and"',
                after.column,
            )
        return Compare(column=tok.column, op=op, left=left, right=right)

    def operand(self) -> Node:
        tok = self.next()
        kind = tok.kind
        if kind == "str" or kind == "int":
            return Literal(column=tok.column, value=tok.value)  # type: ignore[arg-type]
        if kind == "kw" and tok.value in ("true", "false"):
            return Literal(column=tok.column, value=tok.value == "true")
        if kind == "[":
            return self.list_rest(tok)
        if kind == "(":
            self.enter(tok)
            node = self.or_expr()
            self.close(")", tok, "(")
            self.depth -= 1
            return node
        if kind == "name":
            if self.peek().kind == "(":
                return self.call(tok)
            return Name(column=tok.column, name=str(tok.value))
        if kind == "end":
            raise self.error("unexpected end of the condition: expected a value", tok.column)
        raise self.error(f"expected a value, found {_describe(tok)}", tok.column)

    def close(self, closer: str, open_tok: _Token, what: str) -> None:
        tok = self.next()
        if tok.kind == closer:
            return
        if tok.kind == "end":
            raise self.error(f'"{what}" is never closed: add "{closer}"', open_tok.column)
        raise self.error(
            f'expected "{closer}" to close the "{what}" at column {open_tok.column}, '
            f"found {_describe(tok)}",
            tok.column,
        )

    def list_rest(self, open_tok: _Token) -> ListLiteral:
        items: list[Literal] = []
        if self.peek().kind == "]":
            self.next()
            return ListLiteral(column=open_tok.column, items=())
        while True:
            tok = self.next()
            if tok.kind == "str" or tok.kind == "int":
                items.append(Literal(column=tok.column, value=tok.value))  # type: ignore[arg-type]
            elif tok.kind == "kw" and tok.value in ("true", "false"):
                items.append(Literal(column=tok.column, value=tok.value == "true"))
            elif tok.kind == "end":
                raise self.error('"[" is never closed: add "]"', open_tok.column)
            else:
                raise self.error(
                    "a list may only contain strings, numbers, true or false; "
                    f"found {_describe(tok)}",
                    tok.column,
                )
            tok = self.next()
            if tok.kind == "]":
                break
            if tok.kind == ",":
                if self.peek().kind == "]":  # trailing comma
                    self.next()
                    break
                continue
            if tok.kind == "end":
                raise self.error('"[" is never closed: add "]"', open_tok.column)
            raise self.error(f'expected "," or "]" in the list, found {_describe(tok)}', tok.column)
        return ListLiteral(column=open_tok.column, items=tuple(items))

    def call(self, name_tok: _Token) -> Call:
        func = str(name_tok.value)
        open_tok = self.next()  # "("
        if func not in FUNCTIONS:
            close = difflib.get_close_matches(func, FUNCTIONS, n=1)
            hint = f" (did you mean {close[0]}()?)" if close else ""
            known = ", ".join(f"{f}()" for f in FUNCTIONS)
            raise self.error(
                f'unknown function "{func}"{hint}; the functions are {known}', name_tok.column
            )
        usage = "any_of(key, [...])" if func == "any_of" else f"{func}(key)"
        arg_tok = self.next()
        if arg_tok.kind == "end":
            raise self.error('"(" is never closed: add ")"', open_tok.column)
        if arg_tok.kind != "name":
            raise self.error(
                f"{func}() takes a question key: {usage}; found {_describe(arg_tok)}",
                arg_tok.column,
            )
        arg = Name(column=arg_tok.column, name=str(arg_tok.value))
        items = None
        if func == "any_of":
            tok = self.next()
            if tok.kind == "end":
                raise self.error('"(" is never closed: add ")"', open_tok.column)
            if tok.kind != ",":
                raise self.error(
                    f"any_of() takes a question key and a list: {usage}; found {_describe(tok)}",
                    tok.column,
                )
            tok = self.next()
            if tok.kind == "end":
                raise self.error('"(" is never closed: add ")"', open_tok.column)
            if tok.kind != "[":
                raise self.error(
                    f"any_of() takes a list as its second argument: {usage}; "
                    f"found {_describe(tok)}",
                    tok.column,
                )
            items = self.list_rest(tok)
        self.close(")", open_tok, f"{func}(")
        return Call(column=name_tok.column, func=func, arg=arg, items=items)


def parse(text: str) -> Node:
    """Parse ``text`` into a syntax tree. Raises ConditionError (with a column) on bad syntax."""
    if not isinstance(text, str):
        raise ConditionError("a condition must be text", 1, "")
    if len(text) > MAX_LENGTH:
        raise ConditionError(
            f"condition is too long: {len(text)} characters, at most {MAX_LENGTH}",
            MAX_LENGTH + 1,
            text,
        )
    return _Parser(text).parse()


# --------------------------------------------------------------------------------------------
# Names


def _walk_names(node: Node, out: list[str]) -> None:
    if isinstance(node, Name):
        out.append(node.name)
    elif isinstance(node, Call):
        out.append(node.arg.name)
    elif isinstance(node, Compare):
        _walk_names(node.left, out)
        _walk_names(node.right, out)
    elif isinstance(node, Not):
        _walk_names(node.operand, out)
    elif isinstance(node, BoolOp):
        for operand in node.operands:
            _walk_names(operand, out)


def _ordered_names(node: Node) -> list[str]:
    """Names in source order, without duplicates."""
    found: list[str] = []
    _walk_names(node, found)
    return list(dict.fromkeys(found))


def _answer(value: object) -> object:
    """The value, or None when it counts as unanswered (None, "", [])."""
    if value is None or (not value and isinstance(value, (str, list, tuple))):
        return None
    return value


def _has_or(node: Node) -> bool:
    """Whether an "or" appears anywhere in the tree."""
    if isinstance(node, BoolOp):
        return node.op == "or" or any(_has_or(operand) for operand in node.operands)
    if isinstance(node, Not):
        return _has_or(node.operand)
    if isinstance(node, Compare):
        return _has_or(node.left) or _has_or(node.right)
    return False


def names(text_or_node: str | Node) -> set[str]:
    """The names (question keys and facts) a condition refers to."""
    node = parse(text_or_node) if isinstance(text_or_node, str) else text_or_node
    return set(_ordered_names(node))


# --------------------------------------------------------------------------------------------
# Validation

_KIND_PHRASE = {
    "single": "a single-choice answer",
    "multi": "a multi-choice answer",
    "text": "a text answer",
    "int": "an integer",
    "bool": "a true/false fact",
    "roster": "a list of rows (use count() or answered(), or the customer facts)",
}
# Which values can be compared with each other.
_GROUP = {
    "single": "string",
    "text": "string",
    "str": "string",
    "int": "int",
    "bool": "bool",
    "multi": "multi",
    "list": "list",
    "roster": "roster",
}


def _literal_kind(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    return "str"


def _literal_phrase(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"the number {value}"
    return f"the string {_quote(str(value))}"


class _Checker:
    def __init__(self, text: str, schema: Mapping[str, NameInfo]) -> None:
        self.text = text
        self.schema = schema
        self.errors: list[ConditionError] = []

    def err(self, message: str, column: int) -> None:
        self.errors.append(ConditionError(message, column, self.text))

    # -- helpers

    def lookup(self, node: Name) -> NameInfo | None:
        info = self.schema.get(node.name)
        if info is not None:
            return info
        close = difflib.get_close_matches(node.name, [str(k) for k in self.schema], n=3)
        if node.name in FUNCTIONS:
            hint = f"; {node.name} is a function: write {node.name}(key)"
        elif close:
            hint = f"; did you mean {_or_list(close)}?"
        else:
            hint = ""
        self.err(f"unknown name {_quote(node.name)}{hint}", node.column)
        return None

    def describe(self, node: Node, kind: str | None) -> str:
        if isinstance(node, Name):
            return f"`{node.name}` ({_KIND_PHRASE.get(kind or '', 'unknown')})"
        if isinstance(node, Literal):
            return _literal_phrase(node.value)
        if isinstance(node, ListLiteral):
            return "a list"
        if isinstance(node, Call):
            if node.func == "count":
                return f"count({node.arg.name}) (a number)"
            return f"{node.func}({node.arg.name}) (true or false)"
        return "a condition (true or false)"

    def allowed(self, info: NameInfo) -> str:
        return ", ".join(_quote(c) for c in info.choices)

    def choice(self, question: Node, literal: Node) -> None:
        """A string literal compared with a choice question must be one of its values."""
        if not (isinstance(question, Name) and isinstance(literal, Literal)):
            return
        info = self.schema.get(question.name)
        if info is None or info.kind not in ("single", "multi") or not info.choices:
            return
        value = literal.value
        if not isinstance(value, str) or value in info.choices:
            return
        close = difflib.get_close_matches(value, info.choices, n=1)
        hint = f" (did you mean {_quote(close[0])}?)" if close else ""
        self.err(
            f"{_quote(value)} is not a value of `{question.name}`{hint}; "
            f"allowed values: {self.allowed(info)}",
            literal.column,
        )

    def choice_vs_number(self, question: Name, number: Node) -> None:
        info = self.schema.get(question.name)
        values = f" ({self.allowed(info)})" if info and info.choices else ""
        self.err(
            f"`{question.name}` is a choice question: compare it with one of its values"
            f"{values}, not a number",
            number.column,
        )

    def example_value(self, name: str) -> str:
        info = self.schema.get(name)
        if info is not None and info.choices:
            return _quote(info.choices[0])
        return '"…"'

    # -- boolean positions

    def boolean(self, node: Node) -> None:
        if isinstance(node, BoolOp):
            for operand in node.operands:
                self.boolean(operand)
        elif isinstance(node, Not):
            self.boolean(node.operand)
        elif isinstance(node, Compare):
            self.compare(node)
        elif isinstance(node, Name):
            info = self.lookup(node)
            if info is not None and info.kind != "bool":
                self.err(self.not_a_condition(node.name, info.kind), node.column)
        elif isinstance(node, Call):
            if self.call(node) != "bool":
                name = node.arg.name
                self.err(
                    f"count({name}) is a number, not a condition: compare it, "
                    f"e.g. count({name}) > 0",
                    node.column,
                )
        elif isinstance(node, Literal):
            if not isinstance(node.value, bool):
                is_int = isinstance(node.value, int)
                what = "number" if is_int else "string"
                shown = str(node.value) if is_int else _quote(str(node.value))
                self.err(
                    f"a {what} is not a condition: compare something with it, e.g. key == {shown}",
                    node.column,
                )
        elif isinstance(node, ListLiteral):
            self.err(
                'a list is not a condition: test membership, e.g. key in ["a", "b"]', node.column
            )

    def not_a_condition(self, name: str, kind: str) -> str:
        phrase = _KIND_PHRASE[kind]
        if kind == "roster":
            return f"`{name}` is {phrase}, not a condition: e.g. count({name}) > 0"
        if kind == "multi":
            example = f"{self.example_value(name)} in {name}"
            return f"`{name}` is {phrase}, not a condition: test a value, e.g. {example}"
        example = f"{name} > 0" if kind == "int" else f"{name} == {self.example_value(name)}"
        return f"`{name}` is {phrase}, not a condition: compare it, e.g. {example}"

    # -- value positions

    def value(self, node: Node) -> str | None:
        """Check an operand and return its kind (None when unknown)."""
        if isinstance(node, Literal):
            return _literal_kind(node.value)
        if isinstance(node, ListLiteral):
            return "list"
        if isinstance(node, Name):
            info = self.lookup(node)
            return info.kind if info is not None else None
        if isinstance(node, Call):
            return self.call(node)
        self.boolean(node)
        return "bool"

    def call(self, node: Call) -> str:
        name = node.arg.name
        info = self.lookup(node.arg)
        if node.func == "answered":
            return "bool"
        if node.func == "count":
            if info is not None and info.kind not in ("multi", "roster"):
                self.err(
                    f"count() counts the values of a multi-choice answer or the rows of a roster; "
                    f"`{name}` is {_KIND_PHRASE[info.kind]}",
                    node.arg.column,
                )
            return "int"
        # any_of
        if info is not None and info.kind != "multi":
            hint = f": write {name} in [...]" if info.kind in ("single", "text", "int") else ""
            self.err(
                f"any_of() needs a multi-choice answer; `{name}` is {_KIND_PHRASE[info.kind]}"
                f"{hint}",
                node.arg.column,
            )
            return "bool"
        for item in node.items.items if node.items is not None else ():
            if not isinstance(item.value, str) or isinstance(item.value, bool):
                self.err(
                    f"any_of() lists values of `{name}`, which are strings; "
                    f"found {_literal_phrase(item.value)}",
                    item.column,
                )
            elif info is not None:
                self.choice(node.arg, item)
        return "bool"

    def compare(self, node: Compare) -> None:
        lk = self.value(node.left)
        rk = self.value(node.right)
        if lk is None or rk is None:
            return
        if node.op in ("==", "!="):
            self.equality(node, lk, rk)
        elif node.op in ("in", "not in"):
            self.membership(node, lk, rk)
        else:
            for side, kind in ((node.left, lk), (node.right, rk)):
                if kind != "int":
                    self.err(
                        f'"{node.op}" compares integers only; {self.describe(side, kind)} '
                        "is not an integer",
                        side.column,
                    )

    def equality(self, node: Compare, lk: str, rk: str) -> None:
        left, right = node.left, node.right
        for side, kind in ((left, lk), (right, rk)):
            if kind == "list":
                self.err(
                    f'a list can only stand on the right of "in" or "not in", not of "{node.op}"',
                    side.column,
                )
                return
            if kind == "multi" and isinstance(side, Name):
                example = f"{self.example_value(side.name)} in {side.name}"
                self.err(
                    f'`{side.name}` is a multi-choice answer: "{node.op}" does not apply, '
                    f'test a value with "in", e.g. {example}',
                    side.column,
                )
                return
        lg, rg = _GROUP[lk], _GROUP[rk]
        if lg != rg:
            for question, qk, other, og in ((left, lk, right, rg), (right, rk, left, lg)):
                if isinstance(question, Name) and qk == "single" and og == "int":
                    self.choice_vs_number(question, other)
                    return
            culprit = (
                left if isinstance(left, Literal) and not isinstance(right, Literal) else right
            )
            self.err(
                f"cannot compare {self.describe(left, lk)} with {self.describe(right, rk)}",
                culprit.column,
            )
            return
        if lg == "string":
            self.choice(left, right)
            self.choice(right, left)

    def membership(self, node: Compare, lk: str, rk: str) -> None:
        left, right = node.left, node.right
        op = node.op
        if rk == "list":
            assert isinstance(right, ListLiteral)
            if lk == "list":
                self.err(f'a list cannot stand on the left of "{op}"', left.column)
                return
            if lk == "multi" and isinstance(left, Name):
                self.err(
                    f"`{left.name}` is a multi-choice answer: use any_of({left.name}, [...]) "
                    "to test whether it shares a value with a list",
                    left.column,
                )
                return
            group = _GROUP[lk]
            for item in right.items:
                if _GROUP[_literal_kind(item.value)] != group:
                    if lk == "single" and isinstance(left, Name) and isinstance(item.value, int):
                        self.choice_vs_number(left, item)
                    else:
                        self.err(
                            f"cannot compare {self.describe(left, lk)} with "
                            f"{_literal_phrase(item.value)}",
                            item.column,
                        )
                elif group == "string":
                    self.choice(left, item)
            return
        if rk == "multi":
            if _GROUP[lk] == "string":
                self.choice(right, left)
                return
            name = right.name if isinstance(right, Name) else "key"
            example = f"{self.example_value(name)} {op} {name}"
            self.err(
                f'"{op}" tests whether a value is selected in `{name}`; put a string on its '
                f"left, e.g. {example}; {self.describe(left, lk)} is not one",
                left.column,
            )
            return
        hint = ""
        if rk in ("single", "text", "int") and isinstance(right, Name):
            hint = f"; to compare with it write {right.name} == ..."
        self.err(
            f'the right side of "{op}" must be a list or a multi-choice answer; '
            f"{self.describe(right, rk)} is neither{hint}",
            right.column,
        )


def _check(text: str, schema: Mapping[str, NameInfo]) -> tuple[Node | None, list[ConditionError]]:
    try:
        node = parse(text)
    except ConditionError as error:
        return None, [error]
    checker = _Checker(text, schema)
    checker.boolean(node)
    return node, sorted(checker.errors, key=lambda e: e.column)


def check(text: str, schema: Mapping[str, NameInfo]) -> list[ConditionError]:
    """Every problem with ``text`` (syntax, or validation against ``schema``); [] when valid."""
    return _check(text, schema)[1]


# --------------------------------------------------------------------------------------------
# Compilation

type _Values = Mapping[str, object]
type _Fn = Callable[[_Values], object]
type _Pred = Callable[[_Values], bool]
type _Explainer = Callable[[_Values], list[tuple[str, object]]]


def _getter(name: str) -> _Fn:
    def get(values: _Values) -> object:
        v = values.get(name)
        if v is None or (not v and isinstance(v, (str, list, tuple))):
            return None
        return v

    return get


def _const(value: object) -> _Fn:
    return lambda values: value


def _as_list(v: object) -> Collection[object]:
    return v if isinstance(v, _LIST_TYPES) else (v,)


def _count(name: str) -> Callable[[_Values], int]:
    get = _getter(name)

    def count(values: _Values) -> int:
        v = get(values)
        if v is None:
            return 0
        return len(v) if isinstance(v, _LIST_TYPES) else 1

    return count


def _any_of(name: str, items: tuple[object, ...]) -> _Pred:
    get = _getter(name)
    wanted = frozenset(items)

    def any_of(values: _Values) -> bool:
        v = get(values)
        if v is None:
            return False
        try:
            return not wanted.isdisjoint(_as_list(v))
        except TypeError:  # unhashable values
            return any(x == y for x in _as_list(v) for y in items)

    return any_of


def _names_explainer(node: Node) -> _Explainer:
    getters = [(name, _getter(name)) for name in _ordered_names(node)]
    return lambda values: [(name, get(values)) for name, get in getters]


def _no_names(values: _Values) -> list[tuple[str, object]]:
    return []


def _value_fn(node: Node) -> _Fn:
    """A function returning an operand's value, or None when unanswered."""
    if isinstance(node, Literal):
        return _const(node.value)
    if isinstance(node, ListLiteral):
        return _const(tuple(item.value for item in node.items))
    if isinstance(node, Name):
        return _getter(node.name)
    if isinstance(node, Call) and node.func == "count":
        return _count(node.arg.name)
    return _bool_fn(node)[0]


_ORDERING = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def _compare_fn(node: Compare) -> _Pred:
    lf = _value_fn(node.left)
    if node.op in _ORDERING:
        return _ordering_fn(_ORDERING[node.op], lf, node.right)
    if node.op in ("==", "!="):
        return _equality_fn(node.op == "==", lf, node.right)
    return _membership_fn(node.op == "in", lf, node.right)  # in / not in


def _ordering_fn(cmp: Callable[[int, int], bool], lf: _Fn, right: Node) -> _Pred:
    """``<``, ``<=``, ``>``, ``>=``: true only when both sides are whole numbers."""
    if isinstance(right, Literal) and type(right.value) is int:
        c = right.value

        def order_const(values: _Values) -> bool:
            a = lf(values)
            return type(a) is int and cmp(a, c)

        return order_const
    rf = _value_fn(right)

    def order(values: _Values) -> bool:
        a = lf(values)
        if type(a) is not int:
            return False
        b = rf(values)
        return type(b) is int and cmp(a, b)

    return order


def _equality_fn(equal: bool, lf: _Fn, right: Node) -> _Pred:
    """``==`` (``equal``) or ``!=``: false when either side is unanswered."""
    if isinstance(right, Literal):
        c = right.value
        if equal:
            return lambda values: (a := lf(values)) is not None and a == c
        return lambda values: (a := lf(values)) is not None and a != c
    rf = _value_fn(right)

    def equality(values: _Values) -> bool:
        a = lf(values)
        if a is None:
            return False
        b = rf(values)
        if b is None:
            return False
        return (a == b) is equal

    return equality


def _membership_fn(inside: bool, lf: _Fn, right: Node) -> _Pred:
    """``in`` (``inside``) or ``not in``: false when either side is unanswered."""
    if isinstance(right, ListLiteral):
        items = tuple(item.value for item in right.items)
        wanted = frozenset(items)

        def in_list(values: _Values) -> bool:
            a = lf(values)
            if a is None:
                return False
            try:
                found = a in wanted
            except TypeError:  # unhashable value
                found = a in items
            return found is inside

        return in_list

    rf = _value_fn(right)

    def in_values(values: _Values) -> bool:
        a = lf(values)
        if a is None:
            return False
        b = rf(values)
        if b is None:
            return False
        try:
            found = a in _as_list(b)
        except TypeError:  # unhashable value tested against a set
            found = False
        return found is inside

    return in_values


def _bool_fn(node: Node) -> tuple[_Pred, _Explainer]:
    """Compile a node standing where a boolean is needed: (evaluate, explain)."""
    if isinstance(node, BoolOp):
        compiled = [_bool_fn(operand) for operand in node.operands]
        return _and_fn(compiled) if node.op == "and" else _or_fn(compiled)

    if isinstance(node, Not):
        inner, _ = _bool_fn(node.operand)
        return (lambda values: not inner(values)), _names_explainer(node.operand)

    if isinstance(node, Compare):
        return _compare_fn(node), _names_explainer(node)

    if isinstance(node, Name):
        name = node.name
        return (lambda values: values.get(name) is True), _names_explainer(node)

    if isinstance(node, Call):
        return _call_fn(node), _names_explainer(node)

    if isinstance(node, Literal):
        value = bool(node.value)
        return (lambda values: value), _no_names

    return (lambda values: False), _no_names  # a bare list, only without validation


def _and_fn(compiled: list[tuple[_Pred, _Explainer]]) -> tuple[_Pred, _Explainer]:
    """All operands true; the explanation names every operand's values."""
    fns = tuple(ev for ev, _ in compiled)
    if len(fns) == 2:
        f, g = fns
        ev = lambda values: f(values) and g(values)  # noqa: E731
    else:

        def ev(values: _Values) -> bool:
            return all(fn(values) for fn in fns)

    def ex_and(values: _Values) -> list[tuple[str, object]]:
        return [pair for _, explain in compiled for pair in explain(values)]

    return ev, ex_and


def _or_fn(compiled: list[tuple[_Pred, _Explainer]]) -> tuple[_Pred, _Explainer]:
    """Any operand true; the explanation is the first true operand's."""
    fns = tuple(ev for ev, _ in compiled)
    if len(fns) == 2:
        f, g = fns
        ev = lambda values: f(values) or g(values)  # noqa: E731
    else:

        def ev(values: _Values) -> bool:
            return any(fn(values) for fn in fns)

    def ex_or(values: _Values) -> list[tuple[str, object]]:
        for evaluate, explain in compiled:
            if evaluate(values):
                return explain(values)
        return []

    return ev, ex_or


def _call_fn(node: Call) -> _Pred:
    """``answered(x)``, ``any_of(x, [...])`` and, unvalidated, ``count(x)`` as a boolean."""
    if node.func == "answered":
        get = _getter(node.arg.name)
        return lambda values: get(values) is not None
    if node.func == "any_of":
        items = tuple(item.value for item in node.items.items) if node.items else ()
        return _any_of(node.arg.name, items)
    count = _count(node.arg.name)  # only reachable without validation
    return lambda values: count(values) > 0


class Condition:
    """A validated, compiled condition: immutable, reusable and cheap to evaluate."""

    __slots__ = ("_evaluate", "_explain", "_static_names", "names", "node", "source")

    source: str
    node: Node
    names: frozenset[str]
    _evaluate: _Pred
    _explain: _Explainer
    _static_names: tuple[str, ...] | None

    def __init__(self, source: str, node: Node) -> None:
        evaluate, explain = _bool_fn(node)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "node", node)
        object.__setattr__(self, "names", frozenset(_ordered_names(node)))
        object.__setattr__(self, "_evaluate", evaluate)
        object.__setattr__(self, "_explain", explain)
        # Without "or", what made a true condition true is every name in it, in source order:
        # known at compile time, so explaining a fired rule costs no second walk.
        static = tuple(_ordered_names(node)) if not _has_or(node) else None
        object.__setattr__(self, "_static_names", static)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Condition is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Condition is immutable")

    def __repr__(self) -> str:
        return f"Condition({self.source!r})"

    def evaluate(self, values: Mapping[str, object]) -> bool:
        """True when the condition holds for ``values`` (visible, answered values only)."""
        return bool(self._evaluate(values))

    def explain(self, values: Mapping[str, object]) -> list[tuple[str, object]]:
        """The (name, value) pairs that made the condition true, in source order; [] if false."""
        if not self._evaluate(values):
            return []
        return self.explain_true(values)

    @property
    def static_names(self) -> tuple[str, ...] | None:
        """The explanation's names when they do not depend on the values (no "or"), else None."""
        return self._static_names

    def explain_true(self, values: Mapping[str, object]) -> list[tuple[str, object]]:
        """Like explain, for a condition the caller has just evaluated to true."""
        if self._static_names is not None:
            return [(name, _answer(values.get(name))) for name in self._static_names]
        seen: set[str] = set()
        pairs: list[tuple[str, object]] = []
        for name, value in self._explain(values):
            if name not in seen:
                seen.add(name)
                pairs.append((name, value))
        return pairs


def compile(text: str, schema: Mapping[str, NameInfo]) -> Condition:  # noqa: A001
    """Validate ``text`` against ``schema`` and compile it; raises the first ConditionError."""
    node, errors = _check(text, schema)
    if errors or node is None:
        raise errors[0]
    return Condition(text, node)
