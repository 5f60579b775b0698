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


def config_out_path(out: str | None) -> Path:
    """Return where --format config writes: a .zip file, or a folder (created if missing)."""
    if not out:
        raise CommandError(
            "--format config writes several files: give --out, a folder (such as "
            "acme-config) or a path ending in .zip.",
            returncode=EXIT_INVALID,
        )
    path = Path(out)
    if path.suffix == ".zip":
        return check_out_path(out, "acme-auth0-config.zip")
    if path.exists() and not path.is_dir():
        raise CommandError(
            f"--out {out} is a file: name a folder for the configuration files, or a path "
            "ending in .zip.",
            returncode=EXIT_INVALID,
        )
    if not path.parent.is_dir():
        raise CommandError(
            f"--out {out}: the folder {path.parent} does not exist; create it first.",
            returncode=EXIT_INVALID,
        )
    return path


def write_folder(folder: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` (relative path -> content) under ``folder``, or fail (exit 2) saying why."""
    for name, content in files.items():
        path = folder / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(
                f"Cannot write {path}: {exc.strerror or exc}.", returncode=EXIT_INVALID
            ) from None
