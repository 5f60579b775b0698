"""The code stays easy to read: no function or method in planner/ over 60 lines.

ruff's complexity rules (C90, PLR0915) count branches and statements; this counts lines, the
limit the project set itself. Pure data (module-level constants) is not a function and is not
counted.
"""

import ast

import pytest

from tests.helpers import ROOT

MAX_FUNCTION_LINES = 60
PACKAGE = ROOT / "planner"
BEING_RESHAPED: set[str] = set()  # none left: every module holds the limit


def long_functions(source: str, limit: int) -> list[tuple[str, int]]:
    """Return (qualified name, lines) of every function in ``source`` longer than ``limit``."""
    found = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = child.end_lineno - child.lineno + 1
                if lines > limit:
                    found.append((prefix + child.name, lines))
                visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")

    visit(ast.parse(source), "")
    return found


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] in {"migrations", *BEING_RESHAPED}:
            continue
        yield path


@pytest.mark.parametrize("path", list(modules()), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_function_is_over_60_lines(path):
    found = long_functions(path.read_text("utf-8"), MAX_FUNCTION_LINES)
    assert not found, f"{path.relative_to(ROOT)}: split along the seams they already mark: {found}"


def test_the_measure_finds_long_functions_and_methods():
    body = "\n".join(f"        x{i} = {i}" for i in range(60))
    source = f"def short():\n    return 1\n\n\nclass C:\n    def long(self):\n{body}\n"
    assert long_functions(source, MAX_FUNCTION_LINES) == [("C.long", 61)]
    assert long_functions(source, 61) == []
