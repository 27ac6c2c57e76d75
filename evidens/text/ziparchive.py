"""Reading an uploaded zip archive (``.qdpx``, ``.docx``, ``.odt``) whole, safely.

A zip can hold a zip bomb: a few kilobytes that unpack to gigabytes, many members, or sizes in its directory that
lie. ``read_members`` caps the number of members and the bytes that actually come out, and turns every way a zip
can be broken into one of three errors. The errors carry the library's reason in English; callers word the message
the user sees.
"""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib


class ZipArchiveError(ValueError):
    """The data cannot be read as a zip archive within the limits."""


class NotAZip(ZipArchiveError):
    pass


class ZipTooLarge(ZipArchiveError):
    pass


class ZipDamaged(ZipArchiveError):
    pass


def read_members(data: bytes, *, max_members: int, max_bytes: int) -> dict[str, bytes]:
    """Every file in the archive by its name (folders left out), at most ``max_members`` of them and ``max_bytes``
    unpacked in all. A name that occurs twice keeps its last member's content, as ``zipfile`` does."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    # NotImplementedError: a zip of a version or compression zipfile does not know.
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as error:
        raise NotAZip(str(error)) from error
    infos = [info for info in archive.infolist() if not info.is_dir()]
    if len(infos) > max_members:
        raise ZipTooLarge(f"{len(infos)} members, at most {max_members}")
    if sum(info.file_size for info in infos) > max_bytes:
        raise ZipTooLarge(f"more than {max_bytes} bytes declared")
    members: dict[str, bytes] = {}
    budget = max_bytes
    try:
        for info in infos:
            # The declared sizes can lie: count what actually comes out.
            with archive.open(info) as member:
                content = member.read(budget + 1)
            budget -= len(content)
            if budget < 0:
                raise ZipTooLarge(f"more than {max_bytes} bytes unpacked")
            members[info.filename] = content
    # RuntimeError: an encrypted member; zlib and lzma raise their own errors on a corrupt stream.
    # ValueError: offsets in the directory that point outside the file.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError, OSError,
            EOFError, zlib.error, lzma.LZMAError) as error:
        raise ZipDamaged(str(error)) from error
    return members
