"""Releases of the shipped rule file: which release a rule's content is, and the rule set's label.

``data/rule_releases.json`` keeps the number of the current release of ``default_rules.json``
and a content hash of every rule of each earlier release. A rule whose content equals a shipped
release was never edited by an administrator, so ``load_rules`` may upgrade it in place.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
RULES_FILE = DATA_DIR / "default_rules.json"
RELEASES_FILE = DATA_DIR / "rule_releases.json"


def content_hash(content: Mapping) -> str:
    """Return the hash of a rule's content fields (as ``rules.rule_content`` returns them)."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@cache
def _shipped() -> tuple[int, dict[str, dict[str, set[int]]]]:
    """Return the current release and, by rule key, the releases each content hash belongs to."""
    from planner.rules import rule_content  # rules imports this module

    releases = json.loads(RELEASES_FILE.read_text(encoding="utf-8"))
    current = int(releases["current"])
    by_key: dict[str, dict[str, set[int]]] = {}
    for number, hashes in releases["previous"].items():
        for key, digest in hashes.items():
            by_key.setdefault(key, {}).setdefault(digest, set()).add(int(number))
    document = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    for data in document["rules"]:
        digest = content_hash(rule_content(data))
        by_key.setdefault(data["key"], {}).setdefault(digest, set()).add(current)
    return current, by_key


def current_release() -> int:
    """Return the release number of the shipped rule file."""
    return _shipped()[0]


def shipped_releases(content: Mapping) -> set[int]:
    """Return the shipped releases whose version of this rule equals it (empty when edited)."""
    return set(_shipped()[1].get(str(content.get("key")), {}).get(content_hash(content), set()))


def is_earlier_shipped(content: Mapping) -> bool:
    """Return True when the rule is exactly an earlier shipped release's, never edited since."""
    releases = shipped_releases(content)
    return bool(releases) and current_release() not in releases


def label(contents: Iterable[Mapping]) -> str:
    """Return the rule set's release label, e.g. "default rules, release 2 (3 edited or own)"."""
    common: set[int] | None = None
    local = 0
    for content in contents:
        releases = shipped_releases(content)
        if not releases:
            local += 1
            continue
        common = releases if common is None else common & releases
    if common is None:
        text = "own rules only"
    elif common:
        text = f"default rules, release {max(common)}"
    else:
        text = "default rules, mixed releases (run load_rules)"
    if local and common is not None:
        text += f" ({local} edited or own)"
    return text
