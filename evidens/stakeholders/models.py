from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evidens.processes.models import Job, StrategyProcess
from evidens.stakeholders.choices import Consent, ImportKind, ImportStatus, LawfulBasis, OrganisationKind, Region


class Organisation(models.Model):
    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="organisations")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices,
                            default=OrganisationKind.OTHER)
    is_member = models.BooleanField(_("member"), default=False)
    member_since = models.DateField(_("member since"), null=True, blank=True)
    homes = models.PositiveIntegerField(_("homes"), null=True, blank=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["process", "name"], name="organisation_name_unique"),
            models.CheckConstraint(condition=Q(is_member=True) | Q(member_since__isnull=True),
                                   name="member_since_only_for_members"),
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="people", verbose_name=_("organisation"))
    role_title = models.CharField(_("job title"), max_length=200, blank=True)
    segment = models.CharField(_("segment"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    consent = models.CharField(_("consent"), max_length=20, choices=Consent.choices, default=Consent.UNKNOWN)
    lawful_basis = models.CharField(_("lawful basis"), max_length=30, choices=LawfulBasis.choices,
                                    default=LawfulBasis.LEGITIMATE_INTEREST)
    delete_by = models.DateField(_("delete by"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(fields=["process", "email"], condition=~Q(email=""),
                                    name="person_email_unique"),
        ]

    def __str__(self) -> str:
        return self.name


def import_upload_to(instance: StakeholderImport, filename: str) -> str:
    # A random name: the user's file name stays in ``original_name`` and never becomes a path.
    suffix = "".join(c for c in PurePosixPath(filename).suffix.lower() if c.isalnum() or c == ".")[:6]
    return f"imports/{instance.process_id}/{uuid.uuid4().hex}{suffix}"


class StakeholderImport(models.Model):
    """An uploaded register file on its way through mapping, preview and the import job."""

    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="stakeholder_imports")
    kind = models.CharField(_("contents"), max_length=20, choices=ImportKind.choices)
    file = models.FileField(_("file"), upload_to=import_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices,
                              default=ImportStatus.UPLOADED)
    report = models.JSONField(default=list, blank=True)
    result = models.JSONField(default=dict, blank=True)
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")

    def __str__(self) -> str:
        return self.original_name
