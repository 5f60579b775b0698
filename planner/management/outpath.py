"""Where a command writes its --out file: checked before any work, written with a clear error."""

from pathlib import Path

from django.core.management.base import CommandError

EXIT_INVALID = 2


def check_out_path(out: str, example: str) -> Path:
    """Return ``out`` as a path, or fail (exit 2) when it names a folder or a missing folder."""
    path = Path(out)
    if path.is_dir():
        raise CommandError(
            f"--out {out} is a folder: name a file inside it, such as {path / example}.",
            returncode=EXIT_INVALID,
        )
    if not path.parent.is_dir():
        raise CommandError(
            f"--out {out}: the folder {path.parent} does not exist; create it first or name a "
            "file in an existing folder.",
            returncode=EXIT_INVALID,
        )
    return path


def write_out(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path``, or fail (exit 2) saying why it cannot be written."""
    try:
        path.write_bytes(content)
    except OSError as exc:
        raise CommandError(
            f"Cannot write {path}: {exc.strerror or exc}.", returncode=EXIT_INVALID
        ) from None
