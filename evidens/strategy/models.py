"""Strategy options, the criteria the board judges them by, each board member's weights and scores.

A board member (``Panellist``) is a person on the deciding panel, with or without a login: the secretariat can enter
the weights and scores a member gave on paper in a workshop, and a member with a login enters their own. Weights are
stored as the member gave them (points or pairwise judgements) and turned into priorities when read, so changing the
criteria never leaves stale weights behind.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evidens.evidence.models import Assumption, EvidenceItem, Finding
from evidens.processes.models import StrategyProcess
from evidens.strategy.analysis import SCALE_MAX, SCALE_MIN
from evidens.surveys.models import Survey

# The structured description of an option, in the order the pages show it (Playing to Win, plus economy and risks).
DESCRIPTION_FIELDS = ("summary", "ambition", "where_to_play", "how_to_win", "capabilities", "partnerships", "costs",
                      "income", "fee", "risks")


class StrategyOption(models.Model):
    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="strategy_options")
    title = models.CharField(_("title"), max_length=200)
    is_status_quo = models.BooleanField(_("status quo"), default=False,
                                        help_text=_("Carrying on as today; every process keeps one to compare with."))
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("strategy option")
        verbose_name_plural = _("strategy options")
        constraints = [
            models.UniqueConstraint(fields=["process"], condition=Q(is_status_quo=True), name="one_status_quo"),
            models.UniqueConstraint(fields=["process", "title"], name="option_title_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class OptionVersion(models.Model):
    """One wording of an option's description. Editing writes the next version; earlier ones stay readable."""

    option = models.ForeignKey(StrategyOption, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    summary = models.TextField(_("summary"), blank=True)
    ambition = models.TextField(_("ambition"), blank=True,
                                help_text=_("What the association wants to achieve by 2030."))
    where_to_play = models.TextField(_("where to play"), blank=True,
                                     help_text=_("Target groups and segments the option serves."))
    how_to_win = models.TextField(_("how to win"), blank=True, help_text=_("Offers and value proposition."))
    capabilities = models.TextField(_("capabilities and organisation"), blank=True)
    partnerships = models.TextField(_("partnerships"), blank=True)
    costs = models.TextField(_("costs"), blank=True)
    income = models.TextField(_("income"), blank=True)
    fee = models.TextField(_("the association's fee"), blank=True)
    risks = models.TextField(_("risks"), blank=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("option version")
        verbose_name_plural = _("option versions")
        constraints = [models.UniqueConstraint(fields=["option", "number"], name="option_version_unique")]

    def __str__(self) -> str:
        return f"{self.option} v{self.number}"


class Condition(models.Model):
    """What would have to be true for the option to succeed, tied to the assumptions and findings that test it."""

    option = models.ForeignKey(StrategyOption, on_delete=models.CASCADE, related_name="conditions")
    statement = models.TextField(_("what would have to be true"))
    assumptions = models.ManyToManyField(Assumption, blank=True, related_name="strategy_conditions",
                                         verbose_name=_("assumptions"))
    findings = models.ManyToManyField(Finding, blank=True, related_name="strategy_conditions",
                                      verbose_name=_("findings"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")

    def __str__(self) -> str:
        return self.statement


class Criterion(models.Model):
    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="criteria")
    group = models.CharField(_("group"), max_length=100)
    name = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    benefit = models.BooleanField(_("higher is better"), default=True,
                                  help_text=_("Untick for criteria where a high score is worse, such as risk."))
    scale = models.JSONField(_("scale"), default=list, help_text=_("What each score from 1 to 5 means."))
    # PROMETHEE II's preference function for this criterion, {"type": ..., "q": ..., "p": ..., "s": ...};
    # empty for the default (analysis.DEFAULT_PREFERENCE).
    preference = models.JSONField(default=dict, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [models.UniqueConstraint(fields=["process", "name"], name="criterion_name_unique")]

    def __str__(self) -> str:
        return self.name


class Panellist(models.Model):
    """A board (or steering group) member who weighs criteria and scores options."""

    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="panellists")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("For example chair."))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("login"),
                             help_text=_("With a login the member enters their own weights and scores."))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("board member")
        verbose_name_plural = _("board members")
        constraints = [models.UniqueConstraint(fields=["process", "user"], condition=Q(user__isnull=False),
                                               name="one_panellist_per_user")]

    def __str__(self) -> str:
        return self.name


class WeightMethod(models.TextChoices):
    DIRECT = "direct", _("direct points")
    SWING = "swing", _("swing weighting")
    AHP = "ahp", _("pairwise comparison (AHP)")


class Weighting(models.Model):
    """A member's weights as given: points per criterion (direct, swing) or pairwise judgements (AHP).

    Both kinds of input are kept, so switching method and back loses nothing; ``method`` says which one counts.
    ``points`` maps a criterion id (as text) to points; ``judgements`` maps "a:b" (criterion ids, a < b) to how many
    times more a matters than b.
    """

    panellist = models.OneToOneField(Panellist, on_delete=models.CASCADE, related_name="weighting")
    method = models.CharField(_("method"), max_length=10, choices=WeightMethod.choices, default=WeightMethod.DIRECT)
    points = models.JSONField(default=dict, blank=True)
    judgements = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("weighting")
        verbose_name_plural = _("weightings")

    def __str__(self) -> str:
        return f"{self.panellist}: {self.get_method_display()}"


class Score(models.Model):
    panellist = models.ForeignKey(Panellist, on_delete=models.CASCADE, related_name="scores")
    option = models.ForeignKey(StrategyOption, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(SCALE_MIN),
                                                                     MaxValueValidator(SCALE_MAX)])
    reason = models.TextField(_("reason"), blank=True)
    findings = models.ManyToManyField(Finding, blank=True, related_name="strategy_scores",
                                      verbose_name=_("findings"))
    evidence = models.ManyToManyField(EvidenceItem, blank=True, related_name="strategy_scores",
                                      verbose_name=_("evidence"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["option__position", "criterion__position", "id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["panellist", "option", "criterion"], name="one_score_per_cell"),
                       models.CheckConstraint(condition=Q(value__gte=SCALE_MIN, value__lte=SCALE_MAX),
                                              name="score_on_scale")]

    def __str__(self) -> str:
        return f"{self.panellist} · {self.option} · {self.criterion}: {self.value}"


class Scenario(models.Model):
    """A possible future the options are tested against (optional)."""

    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(_("scenario"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        constraints = [models.UniqueConstraint(fields=["process", "name"], name="scenario_name_unique")]

    def __str__(self) -> str:
        return self.name


class ScenarioScore(models.Model):
    """How well an option does if a scenario comes true, on the 1–5 scale, as the board judges it together."""

    option = models.ForeignKey(StrategyOption, on_delete=models.CASCADE, related_name="scenario_scores")
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(SCALE_MIN),
                                                                     MaxValueValidator(SCALE_MAX)])

    class Meta:
        verbose_name = _("scenario score")
        verbose_name_plural = _("scenario scores")
        constraints = [models.UniqueConstraint(fields=["option", "scenario"], name="one_scenario_score")]

    def __str__(self) -> str:
        return f"{self.option} · {self.scenario}: {self.value}"


# --- validation with stakeholders ------------------------------------------------------------------------------------


class ValidationKind(models.TextChoices):
    SURVEY = "survey", _("validation survey")
    WORKSHOP = "workshop", _("workshop")


class ValidationRound(models.Model):
    """Stakeholders' view of the options: a survey generated from the options and their conditions, or the
    recorded results of a workshop."""

    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="validation_rounds")
    kind = models.CharField(_("kind"), max_length=20, choices=ValidationKind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    survey = models.OneToOneField(Survey, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="validation_round", verbose_name=_("survey"))
    summary = models.TextField(_("summary"), blank=True)
    segments = models.JSONField(default=list, blank=True)  # a survey's background choices, to read answers back
    participants = models.JSONField(default=dict, blank=True)  # a workshop's groups → how many people took part
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("validation round")
        verbose_name_plural = _("validation rounds")

    def __str__(self) -> str:
        return self.title


class WorkshopResult(models.Model):
    """How many of a workshop group agreed with a condition, of how many asked."""

    round = models.ForeignKey(ValidationRound, on_delete=models.CASCADE, related_name="results")
    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="workshop_results")
    group = models.CharField(_("group"), max_length=100)
    agree = models.PositiveIntegerField(_("agree"))
    asked = models.PositiveIntegerField(_("asked"))

    class Meta:
        verbose_name = _("workshop result")
        verbose_name_plural = _("workshop results")
        constraints = [models.UniqueConstraint(fields=["round", "condition", "group"], name="one_result_per_group"),
                       models.CheckConstraint(condition=Q(agree__lte=models.F("asked")), name="agree_within_asked")]

    def __str__(self) -> str:
        return f"{self.condition}: {self.agree}/{self.asked} ({self.group})"


class WorkshopComment(models.Model):
    round = models.ForeignKey(ValidationRound, on_delete=models.CASCADE, related_name="comments")
    option = models.ForeignKey(StrategyOption, on_delete=models.CASCADE, related_name="workshop_comments")
    group = models.CharField(_("group"), max_length=100, blank=True)
    text = models.TextField(_("comment"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("workshop comment")
        verbose_name_plural = _("workshop comments")

    def __str__(self) -> str:
        return self.text


# --- the decision ----------------------------------------------------------------------------------------------------


class DecisionFrozen(Exception):
    """A signed-off decision was about to change; later changes are a new decision that replaces it."""


class Decision(models.Model):
    """The board's choice. Once signed off it holds a frozen record (the option as described then, the ranking,
    the robustness summary and the evidence trail) with its content hash, and never changes."""

    process = models.ForeignKey(StrategyProcess, on_delete=models.CASCADE, related_name="decisions")
    # RESTRICT, not PROTECT: deleting the whole process takes its decisions and options together.
    option = models.ForeignKey(StrategyOption, on_delete=models.RESTRICT, related_name="decisions",
                               verbose_name=_("chosen option"))
    meeting = models.CharField(_("meeting"), max_length=200)
    decided_on = models.DateField(_("date"))
    votes_for = models.PositiveSmallIntegerField(_("votes for"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), default=0)
    rationale = models.TextField(_("rationale"))
    replaces = models.OneToOneField("self", on_delete=models.RESTRICT, null=True, blank=True,
                                    related_name="replaced_by", verbose_name=_("replaces"))
    record = models.JSONField(null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.option} ({self.decided_on})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and Decision.objects.filter(pk=self.pk, signed_off_at__isnull=False).exists():
            raise DecisionFrozen(f"decision {self.pk} is signed off")
        super().save(*args, **kwargs)

    @property
    def signed(self) -> bool:
        return self.signed_off_at is not None


class Vote(models.TextChoices):
    AGAINST = "against", _("against")
    ABSTAIN = "abstain", _("abstained")


class Dissent(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="dissents")
    name = models.CharField(_("board member"), max_length=200)
    vote = models.CharField(_("vote"), max_length=10, choices=Vote.choices)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("dissent")
        verbose_name_plural = _("dissents")

    def __str__(self) -> str:
        return f"{self.name}: {self.get_vote_display()}"


class FollowUpGoal(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="goals")
    goal = models.CharField(_("goal"), max_length=300)
    measure = models.CharField(_("measure"), max_length=300)
    target = models.CharField(_("target"), max_length=200)
    deadline = models.DateField(_("deadline"))

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("follow-up goal")
        verbose_name_plural = _("follow-up goals")

    def __str__(self) -> str:
        return self.goal
