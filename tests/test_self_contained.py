"""The repository stands alone: no code, template, message or doc points to files outside it.

A reader who clones the repository has docs/ and nothing else: references to the design notes
the product was built from (their folders, their file names, their numbered sections) must not
come back. Point to docs/ instead.
"""

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Built from pieces so that this file does not match itself.
_SPEC_FILES = "|".join(("plan", "rules", "customers", "export", "examples", "architecture"))
OUTSIDE_REFERENCES = re.compile(
    "|".join(
        (
            r"(?<![\w.-])" + "spec" + r"/",  # the specification folder
            "auth0" + "-b2b",  # the domain notes
            r"\.\./" + "shared",  # the shared folder next to the repository
            "/work" + "/shared",  # the same folder by its absolute path
            r"(?<![\w/-])domain/(?:" + "auth0|examples)",
            r"(?<![\w/-])seed/" + "architecture",
            r"(?<![\w/-])(?:" + _SPEC_FILES + r")\.md\b",  # a note's file name on its own
            "\u00a7" + r"\s*\d",  # a numbered section of a note (section sign and number)
        )
    )
)

SKIPPED_DIRS = {
    ".git",
    ".venv",
    "node_modules",
    "staticfiles",
    "var",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    ".mypy_cache",
}
SKIPPED_PATHS = {
    "bench/out",  # benchmark output, not committed
    "static/vendor",  # third-party files (Bootstrap), not ours to edit
}

# Files allowed to keep a reference for now (none: keep it that way).
SKIP_FOR_NOW: set[str] = set()


def _repository_files() -> list[str]:
    """The committed and staged files when git knows the tree; otherwise every file found."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        listed = b""
    if listed:
        return sorted(name for name in listed.decode().split("\0") if name)
    found = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS]
        found += [(Path(folder) / name).relative_to(ROOT).as_posix() for name in files]
    return sorted(found)


def _text_files():
    """Yield (path relative to the root, text) for every text file of the repository."""
    for relative in _repository_files():
        parts = relative.split("/")
        if any(part in SKIPPED_DIRS for part in parts):
            continue
        if any(relative.startswith(prefix + "/") for prefix in SKIPPED_PATHS):
            continue
        path = ROOT / relative
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        data = path.read_bytes()
        if b"\0" in data:
            continue  # binary
        yield relative, data.decode("utf-8", errors="replace")


def _hits(text: str) -> list[tuple[int, str]]:
    return [
        (number, line.strip())
        for number, line in enumerate(text.splitlines(), start=1)
        if OUTSIDE_REFERENCES.search(line)
    ]


def test_the_pattern_catches_what_it_must():
    caught = [
        "see " + "spec" + "/plan" + ".md",
        "domain/" + "auth0" + "-b2b" + ".md",
        ".." + "/shared" + "/domain/examples.json",
        "(" + "plan" + ".md \u00a71)",
        "An unanswered operand makes the comparison false (" + "rules" + ".md).",
        "from " + "/work" + "/shared",
        "seed" + "/architecture" + ".md",
    ]
    kept = [
        "docs/plan-json.md",
        "docs/conditions.md",
        "bench/RESULTS.md",
        "respec/plan",
        "docs/rule-file.md lists the rule fields",
        "https://auth0.com/docs/get-started/architecture-scenarios/business-to-business/",
    ]
    assert [text for text in caught if not OUTSIDE_REFERENCES.search(text)] == []
    assert [text for text in kept if OUTSIDE_REFERENCES.search(text)] == []


def test_no_reference_to_files_outside_the_repository():
    found = []
    scanned = 0
    for path, text in _text_files():
        scanned += 1
        if path in SKIP_FOR_NOW:
            continue
        found += [f"{path}:{number}: {line}" for number, line in _hits(text)]
    assert scanned > 50, "the scan found too few files: is ROOT right?"
    assert found == [], "point to docs/ instead:\n" + "\n".join(found)


def test_skip_list_holds_only_files_that_still_need_it():
    files = dict(_text_files())
    stale = [path for path in SKIP_FOR_NOW if path not in files or not _hits(files[path])]
    assert stale == [], f"remove from SKIP_FOR_NOW (now clean or gone): {stale}"
