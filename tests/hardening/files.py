"""Malicious and broken files built at test time: zip bombs in the clothes of an Office file, XML with entity
expansion or external entities, bytes changed at random; and the check every reader must pass on them."""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable
from typing import TypeVar

from hypothesis import settings

T = TypeVar("T")

# Enough examples to find a crash in a reader, few enough that a whole workbook per example stays quick.
MODEST = settings(max_examples=100, deadline=5000)


def read_or_refuse(reader: Callable[[bytes], T], data: bytes, refusal: type[Exception]) -> T | None:
    """What the reader made of the bytes, or None when it refused them with an error that says something.

    Any other exception (or a refusal without a message) fails the test.
    """
    try:
        return reader(data)
    except refusal as error:
        assert str(error)
        return None

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{level} "{("&lol" + str(level - 1 or "") + ";") * 10}">' for level in range(1, 10))
    + "]>\n"
)
EXTERNAL_ENTITY = '<?xml version="1.0"?>\n<!DOCTYPE root [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
EXTERNAL_DTD = '<?xml version="1.0"?>\n<!DOCTYPE root SYSTEM "http://127.0.0.1:9/evil.dtd">\n'
HOSTILE_PROLOGUES = {"billion laughs": BILLION_LAUGHS, "external entity": EXTERNAL_ENTITY,
                     "external DTD": EXTERNAL_DTD}
# What each prologue's entity is called where the document uses it.
ENTITY_USE = {"billion laughs": "&lol9;", "external entity": "&secret;", "external DTD": ""}


def members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def with_hostile_prologue(xml: bytes, prologue: str, use: str) -> bytes:
    """``xml`` with its declaration replaced by ``prologue`` and ``use`` (an entity reference) put inside its
    first element that holds text, or right after the root's start tag."""
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    root_end = body.index(b">", body.index(b"<")) + 1
    if body[root_end - 2:root_end] != b"/>":
        body = body[:root_end] + use.encode() + body[root_end:]
    return prologue.encode() + body.lstrip()


def zip_bomb(members: dict[str, bytes], part: str, *, after: bytes, padding: int) -> bytes:
    """The archive with ``padding`` bytes of spaces inside ``part`` right after ``after``: a few hundred
    kilobytes that unpack to ``padding`` bytes. Written in pieces, so building it takes little memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in members.items():
            if name != part:
                archive.writestr(name, content)
                continue
            head, tail = content.split(after, 1)
            with archive.open(name, "w", force_zip64=True) as member:
                member.write(head + after)
                chunk = b" " * (1024 * 1024)
                for _ in range(padding // len(chunk)):
                    member.write(chunk)
                member.write(tail)
    return buffer.getvalue()


def mutated(data: bytes, seed: int, edits: int) -> bytes:
    """``data`` with ``edits`` bytes changed and, for some seeds, cut off somewhere."""
    generator = random.Random(seed)
    changed = bytearray(data)
    for _ in range(edits):
        changed[generator.randrange(len(changed))] = generator.randrange(256)
    if generator.random() < 0.3:
        del changed[generator.randrange(len(changed)):]
    return bytes(changed)


def mutated_part(members: dict[str, bytes], seed: int, edits: int) -> bytes:
    """A sound zip whose XML parts have a few characters replaced, so the library's own parsing is reached."""
    generator = random.Random(seed)
    name = generator.choice(sorted(name for name in members if name.endswith((".xml", ".rels", ".qde"))))
    xml = bytearray(members[name])
    for _ in range(edits):
        position = generator.randrange(len(xml))
        xml[position:position + generator.randint(0, 4)] = bytes(generator.randrange(32, 127)
                                                                 for _ in range(generator.randint(0, 3)))
    return zipped({**members, name: bytes(xml)})
