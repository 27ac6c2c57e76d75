"""Small builders for stakeholder tests (also usable by the access matrix: ``import_id``)."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from evidens.stakeholders import services
from evidens.stakeholders.models import StakeholderImport


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def people_csv(*lines: str) -> bytes:
    return "\r\n".join(["Navn;E-mail;Organisation;Stilling;Segment", *lines]).encode("cp1252")


def stakeholder_import_make(process: Any, actor: Any = None, content: bytes | None = None,
                            name: str = "kontakter.csv", kind: str = "people") -> StakeholderImport:
    upload = SimpleUploadedFile(name, content or people_csv("Jens Hansen;jens@example.org;;Direktør;Direktion"))
    return services.stakeholder_import_create(process=process, actor=actor, kind=kind,  # type: ignore[arg-type]
                                              upload=upload)
