"""Reading zip archives whole within limits: every broken or oversized archive ends in one of three errors.

Broken variants are built with ``zipfile`` and patched at the byte offsets of the zip format (APPNOTE.TXT 4.3.7 and
4.3.12): in a local file header the flags are at offset 6 and the compression method at 8; in a central directory
header the flags at 8, the method at 10 and the uncompressed size at 24."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from evidens.text.ziparchive import NotAZip, ZipArchiveError, ZipDamaged, ZipTooLarge, read_members

LOCAL_HEADER = b"PK\x03\x04"
CENTRAL_HEADER = b"PK\x01\x02"


def zipped(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def patched(data: bytes, header: bytes, offset: int, fmt: str, value: int) -> bytes:
    """The archive with one field of its first header of the kind ``header`` set to ``value``."""
    at = data.index(header) + offset
    return data[:at] + struct.pack(fmt, value) + data[at + struct.calcsize(fmt):]


def test_members_by_name_without_folders() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.mkdir("META-INF")
        archive.writestr("META-INF/manifest.xml", b"<manifest/>")
        archive.writestr("sources/æøå 👍.txt", "Grøn omstilling".encode())
    members = read_members(buffer.getvalue(), max_members=3, max_bytes=100)
    assert members == {
        "mimetype": b"application/vnd.oasis.opendocument.text",
        "META-INF/manifest.xml": b"<manifest/>",
        "sources/æøå 👍.txt": "Grøn omstilling".encode(),
    }


def test_exactly_at_the_limits_is_allowed() -> None:
    # 4 + 6 = 10 bytes in two members.
    assert read_members(zipped({"a": b"1234", "b": b"123456"}), max_members=2, max_bytes=10) == {
        "a": b"1234", "b": b"123456"}


@pytest.mark.parametrize("data", [b"", b"PK but not a zip", b"%PDF-1.7\n", zipped({"a": b"x"})[:20]],
                         ids=["empty", "PK text", "pdf", "cut short"])
def test_not_a_zip(data: bytes) -> None:
    with pytest.raises(NotAZip):
        read_members(data, max_members=10, max_bytes=1000)


def test_too_many_members() -> None:
    with pytest.raises(ZipTooLarge):
        read_members(zipped({f"{number}.txt": b"" for number in range(11)}), max_members=10, max_bytes=1000)


def test_declared_size_over_the_limit() -> None:
    with pytest.raises(ZipTooLarge):
        read_members(zipped({"a": b"1234", "b": b"1234567"}), max_members=10, max_bytes=10)


def test_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    bomb = zipped({"zeros.bin": bytes(50 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(ZipTooLarge):
        read_members(bomb, max_members=10, max_bytes=10 * 1024 * 1024)


def test_a_size_that_lies_does_not_let_more_out() -> None:
    """The central directory says 10 bytes where 50 MB of zeros are packed: no more than 10 bytes come out, and
    the checksum of those does not match."""
    bomb = patched(zipped({"zeros.bin": bytes(50 * 1024 * 1024)}), CENTRAL_HEADER, 24, "<I", 10)
    with pytest.raises(ZipDamaged):
        read_members(bomb, max_members=10, max_bytes=1024)


def test_corrupt_deflate_stream_is_damaged() -> None:
    data = bytearray(zipped({"a.txt": b"hello world " * 1000}))
    start = data.index(LOCAL_HEADER) + 30 + len("a.txt")  # the compressed data follows the local header
    for position in range(start, start + 20):
        data[position] ^= 0xFF
    with pytest.raises(ZipDamaged):
        read_members(bytes(data), max_members=10, max_bytes=100_000)


def test_wrong_checksum_is_damaged() -> None:
    data = bytearray(zipped({"a.txt": b"hello"}, zipfile.ZIP_STORED))
    data[data.index(b"hello")] = ord("j")
    with pytest.raises(ZipDamaged, match="CRC"):
        read_members(bytes(data), max_members=10, max_bytes=100)


def test_encrypted_member_is_damaged() -> None:
    data = zipped({"a.txt": b"hello"})
    data = patched(patched(data, LOCAL_HEADER, 6, "<H", 1), CENTRAL_HEADER, 8, "<H", 1)
    with pytest.raises(ZipDamaged, match="encrypted"):
        read_members(data, max_members=10, max_bytes=100)


def test_unknown_compression_is_damaged() -> None:
    data = zipped({"a.txt": b"hello"})
    data = patched(patched(data, LOCAL_HEADER, 8, "<H", 99), CENTRAL_HEADER, 10, "<H", 99)
    with pytest.raises(ZipDamaged):
        read_members(data, max_members=10, max_bytes=100)


def test_one_base_class_that_is_a_value_error() -> None:
    for error in (NotAZip, ZipTooLarge, ZipDamaged):
        assert issubclass(error, ZipArchiveError)
    assert issubclass(ZipArchiveError, ValueError)
