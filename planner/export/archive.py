"""A deterministic zip: the same files give the same bytes, whenever and wherever it is made."""

from __future__ import annotations

import io
import zipfile

__all__ = ["zip_bytes"]

# The earliest time a zip can hold (MS-DOS dates start in 1980): no clock is read.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o644 << 16  # -rw-r--r--, as a Unix host records it
UNIX = 3


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """Return a zip of ``files`` (path inside the zip -> content), sorted by path."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(path, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = UNIX
            info.external_attr = FILE_MODE
            archive.writestr(info, files[path], compresslevel=9)
    return buffer.getvalue()
