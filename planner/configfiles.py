"""The configuration export as the web shows it: the file tree, one file's text, and where in
the questionnaire each reason for a refused export is fixed.

The files themselves come from ``planner.export``; this module only arranges them for display.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from planner import catalog

# What kind of file a path is, by its suffix, for the preview's caption.
KINDS = {
    ".yaml": "Deploy CLI resources (YAML)",
    ".json": "Deploy CLI settings (JSON)",
    ".tf": "Terraform",
    ".tfvars": "Terraform variables",
    ".md": "Markdown",
}


@dataclass
class Node:
    """A folder (with children) or a file of the export, by its path inside the zip."""

    name: str
    path: str
    children: list[Node] = field(default_factory=list)
    is_folder: bool = False
    href: str = ""  # files: the preview link that shows it
    open: bool = True  # folders: shown unfolded


def file_tree(paths: Iterable[str], href: Callable[[str], str] = str) -> list[Node]:
    """Return the paths as a tree of folders and files, in the order the paths come; each
    file links to ``href(path)``."""
    root = Node(name="", path="", is_folder=True)
    folders: dict[str, Node] = {"": root}
    for path in paths:
        parent = root
        parts = PurePosixPath(path).parts
        for depth, part in enumerate(parts[:-1], start=1):
            folder_path = "/".join(parts[:depth])
            if folder_path not in folders:
                folders[folder_path] = Node(name=part, path=folder_path, is_folder=True)
                parent.children.append(folders[folder_path])
            parent = folders[folder_path]
        parent.children.append(Node(name=parts[-1], path=path, href=href(path)))
    return root.children


def fold(nodes: list[Node], chosen: str) -> None:
    """Fold every folder but those on the chosen file's path (for exports with many files)."""
    for node in nodes:
        if node.is_folder:
            node.open = chosen.startswith(f"{node.path}/")
            fold(node.children, chosen)


def file_kind(path: str) -> str:
    """Return what kind of file this is, in words ("" when the suffix is unknown)."""
    return KINDS.get(PurePosixPath(path).suffix, "")


def file_text(content: bytes) -> str:
    """Return a file's content as text for display (the export writes UTF-8)."""
    return content.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class Fix:
    """Where an export error is fixed: a questionnaire section, and the question when known."""

    section: catalog.Section
    question: str = ""  # the question's key (the wizard's anchor is ``q-{key}``)


def _question_fix(key: str) -> Fix:
    return Fix(catalog.section(catalog.QUESTIONS[key].section), key)


def fix_for(error: str) -> Fix | None:
    """Return where in the questionnaire this export error is fixed, if it says.

    Plan errors quote a question's label (“Tenant name prefix”) or start with their section's
    title ("Customers: ..."); the export's own errors name the answer to change ("change the
    company name", "the customer's slug in the roster").
    """
    for question in catalog.QUESTIONS.values():
        if f"“{question.label}”" in error:
            return _question_fix(question.key)
    for section in catalog.SECTIONS:
        if error.startswith(f"{section.title}:"):
            return Fix(section)
    lowered = error.lower()
    for question in catalog.QUESTIONS.values():
        if question.short_label and question.short_label.lower() in lowered:
            return _question_fix(question.key)
    if "the roster" in lowered:
        roster = next(q for q in catalog.QUESTIONS.values() if q.type == "roster")
        return _question_fix(roster.key)
    return None
