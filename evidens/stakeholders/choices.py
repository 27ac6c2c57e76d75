"""The register's fixed vocabularies: plain enums that models, forms and the file importer share."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    HOUSING = "housing", _("social housing organisation")
    ADMINISTRATION = "administration", _("administration organisation")
    ADVISER = "adviser", _("adviser")
    CONTRACTOR = "contractor", _("contractor")
    MUNICIPALITY = "municipality", _("municipality")
    FOUNDATION = "foundation", _("foundation")
    SECTOR = "sector", _("sector organisation")
    RESEARCH = "research", _("research")
    OTHER = "other", _("other")

class Region(models.TextChoices):
    HOVEDSTADEN = "hovedstaden", _("Capital Region of Denmark")
    SJAELLAND = "sjaelland", _("Region Zealand")
    SYDDANMARK = "syddanmark", _("Region of Southern Denmark")
    MIDTJYLLAND = "midtjylland", _("Central Denmark Region")
    NORDJYLLAND = "nordjylland", _("North Denmark Region")

class Consent(models.TextChoices):
    UNKNOWN = "unknown", _("unknown")
    GIVEN = "given", _("given")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")

class LawfulBasis(models.TextChoices):
    CONSENT = "consent", _("consent")
    CONTRACT = "contract", _("contract")
    LEGAL_OBLIGATION = "legal_obligation", _("legal obligation")
    PUBLIC_TASK = "public_task", _("public task")
    LEGITIMATE_INTEREST = "legitimate_interest", _("legitimate interest")

class ImportKind(models.TextChoices):
    ORGANISATIONS = "organisations", _("organisations")
    PEOPLE = "people", _("people")

class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("uploaded")
    MAPPED = "mapped", _("columns chosen")
    QUEUED = "queued", _("importing")
    DONE = "done", _("imported")
    FAILED = "failed", _("failed")


class StakeholderGroup(models.TextChoices):
    """Who a stakeholder is to the association, as interviews and coded texts are compared by."""

    MEMBER = "member", _("member")
    RESIDENT_DEMOCRAT = "resident_democrat", _("resident democrat")
    MUNICIPALITY = "municipality", _("municipality")
    ADVISER = "adviser", _("adviser")
    CONTRACTOR = "contractor", _("contractor")
    FOUNDATION = "foundation", _("foundation")
    SECTOR = "sector", _("sector organisation")
    RESEARCH = "research", _("research")
    OTHER = "other", _("other")
