from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Either date may be unknown; when both are known the end does not come before the start.
DATES_IN_ORDER = Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=models.F("start_date"))


class ProcessStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    ACTIVE = "active", _("in progress")
    COMPLETED = "completed", _("completed")


class StrategyProcess(models.Model):
    """The root object: every other row belongs to exactly one process."""

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ProcessStatus.choices,
                              default=ProcessStatus.PLANNED)
    horizon_year = models.PositiveSmallIntegerField(_("horizon year"), null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    funders = models.CharField(_("supported by"), max_length=300, blank=True,
                               help_text=_("Funders, separated by commas."))
    consultant = models.CharField(_("consultant"), max_length=200, blank=True)
    total_budget = models.DecimalField(_("total budget (DKK)"), max_digits=14, decimal_places=2,
                                       default=Decimal("0"))
    anonymity_threshold = models.PositiveSmallIntegerField(
        _("smallest group shown"), default=5, validators=[MinValueValidator(3)],
        help_text=_("Results of anonymous surveys are not shown for groups with fewer respondents than this "
                    "(at least 3)."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("strategy process")
        verbose_name_plural = _("strategy processes")
        constraints = [
            models.CheckConstraint(
                condition=DATES_IN_ORDER,
                name="process_end_after_start",
            ),
            models.CheckConstraint(condition=Q(total_budget__gte=0), name="process_budget_not_negative"),
            models.CheckConstraint(condition=Q(anonymity_threshold__gte=3), name="process_anonymity_threshold_min_3"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date must not be before the start date.")})

    @property
    def funder_list(self) -> list[str]:
        return [name.strip() for name in self.funders.split(",") if name.strip()]


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("secretariat")
    ANALYST = "analyst", _("analyst")
    BOARD = "board", _("board")
    STEERING = "steering", _("steering group")
    READER = "reader", _("reader")


class Membership(models.Model):
    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [models.UniqueConstraint(fields=["process", "user"], name="one_role_per_process")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class PhaseState(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    ACTIVE = "active", _("in progress")
    DONE = "done", _("done")


class Phase(models.Model):
    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=PhaseState.choices,
                             default=PhaseState.NOT_STARTED)

    class Meta:
        ordering = ["process", "order"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.UniqueConstraint(fields=["process", "order"], name="phase_order_unique"),
            models.CheckConstraint(
                condition=DATES_IN_ORDER,
                name="phase_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date must not be before the start date.")})


class Milestone(models.Model):
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("name"), max_length=200)
    due_date = models.DateField(_("date"))
    reached = models.BooleanField(_("reached"), default=False)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("category"), max_length=200)
    budgeted = models.DecimalField(_("budgeted (DKK)"), max_digits=14, decimal_places=2)
    spent = models.DecimalField(_("spent (DKK)"), max_digits=14, decimal_places=2, default=Decimal("0"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=Q(budgeted__gte=0) & Q(spent__gte=0), name="budget_line_not_negative"),
        ]

    def __str__(self) -> str:
        return self.category

    @property
    def remaining(self) -> Decimal:
        return self.budgeted - self.spent


class SteeringGroupSeat(models.Model):
    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="steering_group")
    person_name = models.CharField(_("person"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200)
    role = models.CharField(_("role"), max_length=100, blank=True, help_text=_("For example chair."))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("steering group seat")
        verbose_name_plural = _("steering group seats")

    def __str__(self) -> str:
        return f"{self.person_name}, {self.organisation}"


class AuditEntry(models.Model):
    """Who changed what, when.

    ``message`` is an English message id with ``%(name)s`` placeholders filled from ``params``; it is
    translated when read, so the trail reads in each reader's language. Entries about people carry ids,
    never personal data.
    """

    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="audit_entries")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=100, help_text="app_label.model_name")
    object_id = models.CharField(max_length=60, blank=True)
    message = models.CharField(max_length=300)
    params = models.JSONField(default=dict, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        try:
            return gettext(self.message) % self.params
        except (KeyError, TypeError, ValueError):
            return self.message

    @property
    def change_rows(self) -> list[tuple[str, str, str]]:
        """(field label, before, after) in the reader's language, for the fields a model defines."""
        try:
            meta = apps.get_model(self.object_type)._meta
        except (LookupError, ValueError):
            meta = None
        rows = []
        for name, value in self.changes.items():
            before, after = value if isinstance(value, list) and len(value) == 2 else (None, value)
            field = _model_field(meta, name)
            label = str(field.verbose_name) if field is not None else name
            rows.append((label, _readable(field, before), _readable(field, after)))
        return rows


def _model_field(meta: Any, name: str) -> Any:
    if meta is None:
        return None
    try:
        return meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _readable(field: Any, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    if value in choices:
        return str(choices[value])
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    SUCCEEDED = "succeeded", _("done")
    FAILED = "failed", _("failed")


class Job(models.Model):
    """A background job as the secretariat sees it: what, how far, how it ended."""

    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=60)
    label = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return self.label

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def finished(self) -> bool:
        return self.status in {JobStatus.SUCCEEDED, JobStatus.FAILED}

    @property
    def stopped(self) -> bool:
        """Shown as running, but its worker died (see ``jobs.job_is_stopped``): the page says so at once,
        before anything has marked the job failed."""
        from evidens.processes.jobs import job_is_stopped  # jobs.py imports this module

        return job_is_stopped(self)
