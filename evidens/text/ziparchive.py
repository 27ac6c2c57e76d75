"""Reading an uploaded zip archive (``.qdpx``, ``.docx``, ``.odt``, ``.xlsx``) whole, safely.

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
from collections.abc import Iterator


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
    members: dict[str, bytes] = {}
    for name, content in _unpacked(data, max_members=max_members, max_bytes=max_bytes, keep=True):
        members[name] = content
    return members


def check_members(data: bytes, *, max_members: int, max_bytes: int) -> None:
    """Raise as ``read_members`` would, keeping nothing: for a library (openpyxl) that unpacks the archive itself
    and would otherwise inflate a zip bomb into memory."""
    for _name, _content in _unpacked(data, max_members=max_members, max_bytes=max_bytes, keep=False):
        pass


_CHUNK = 1024 * 1024


def _unpacked(data: bytes, *, max_members: int, max_bytes: int, keep: bool) -> Iterator[tuple[str, bytes]]:
    """Each member's name and content (b"" unless ``keep``), counting the bytes that actually come out."""
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
    budget = max_bytes
    try:
        for info in infos:
            # The declared sizes can lie: count what actually comes out.
            with archive.open(info) as member:
                if keep:
                    content = member.read(budget + 1)
                    budget -= len(content)
                else:
                    content = b""
                    while budget >= 0 and (chunk := member.read(min(_CHUNK, budget + 1))):
                        budget -= len(chunk)
            if budget < 0:
                raise ZipTooLarge(f"more than {max_bytes} bytes unpacked")
            yield info.filename, content
    except ZipTooLarge:
        raise
    # RuntimeError: an encrypted member; zlib and lzma raise their own errors on a corrupt stream.
    # ValueError: offsets in the directory that point outside the file.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError, OSError,
            EOFError, zlib.error, lzma.LZMAError) as error:
        raise ZipDamaged(str(error)) from error
