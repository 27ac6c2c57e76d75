"""Forms of the strategy work: options, conditions, criteria, the panel, weights and scores."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from evidens.core.formfields import limit_choices
from evidens.core.forms import DateInput
from evidens.core.numbers import whole_number
from evidens.evidence.models import Assumption, EvidenceItem, Finding
from evidens.processes.models import Role, StrategyProcess
from evidens.strategy import mcda
from evidens.strategy.models import (
    SCALE_MAX,
    SCALE_MIN,
    Condition,
    Criterion,
    Decision,
    Dissent,
    FollowUpGoal,
    OptionVersion,
    Panellist,
    StrategyOption,
    WeightMethod,
)

TEXTAREA = {"rows": 3}

# Brans & Vincke's six preference functions, by what they do on the 1–5 scale.
PREFERENCE_LABELS = {
    "usual": _("usual: any difference is a full preference"),
    "u-shape": _("U-shape: a full preference from q"),
    "v-shape": _("V-shape: growing linearly up to p"),
    "level": _("level: half a preference from q, full from p"),
    "linear": _("linear: none up to q, full from p"),
    "gaussian": _("Gaussian: growing smoothly, s at the turning point"),
}


class OptionForm(forms.ModelForm):
    """The title and the structured description; saving a changed description writes a new version."""

    title = forms.CharField(label=_("Title"), max_length=200)
    note = forms.CharField(label=_("What changed"), max_length=300, required=False,
                           help_text=_("A line for the version history, e.g. after the validation workshop."))

    class Meta:
        model = OptionVersion
        fields = ["summary", "ambition", "where_to_play", "how_to_win", "capabilities", "partnerships", "costs",
                  "income", "fee", "risks"]
        widgets = {name: forms.Textarea(attrs=TEXTAREA) for name in fields}


class ConditionForm(forms.Form):
    statement = forms.CharField(label=_("What would have to be true"), widget=forms.Textarea(attrs={"rows": 2}))
    assumptions = forms.ModelMultipleChoiceField(label=_("Assumptions it rests on"), queryset=Assumption.objects.none(),
                                                 required=False, widget=forms.CheckboxSelectMultiple)
    findings = forms.ModelMultipleChoiceField(label=_("Findings that bear on it"), queryset=Finding.objects.none(),
                                              required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, process: StrategyProcess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "assumptions", process.assumptions.all())
        limit_choices(self, "findings", process.findings.order_by("id"))


class CriterionForm(forms.Form):
    group = forms.CharField(label=_("Group"), max_length=100, help_text=_("For example value for the members."))
    name = forms.CharField(label=_("Criterion"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    benefit = forms.BooleanField(label=_("Higher is better"), required=False, initial=True,
                                 help_text=_("Untick for criteria where a high score is worse, such as risk."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for step in range(SCALE_MIN, SCALE_MAX + 1):
            self.fields[f"scale_{step}"] = forms.CharField(
                label=_("Score %(step)s means") % {"step": step}, max_length=300)
        self.fields["preference_type"] = forms.ChoiceField(
            label=_("PROMETHEE preference function"), required=False, choices=[("", _("standard")),
                                                                            *PREFERENCE_LABELS.items()],
            help_text=_("How a difference in mean score turns into a preference. Standard: none below half a point, "
                        "full from two points, linear in between."))
        for name, label in (("q", _("Indifference threshold q")), ("p", _("Preference threshold p")),
                            ("s", _("Gaussian threshold s"))):
            self.fields[f"preference_{name}"] = forms.FloatField(label=label, required=False, min_value=0)

    @classmethod
    def initial_for(cls, criterion: Criterion) -> dict[str, Any]:
        initial = {"group": criterion.group, "name": criterion.name, "description": criterion.description,
                   "benefit": criterion.benefit, "preference_type": criterion.preference.get("type", "")}
        initial.update({f"scale_{step}": text for step, text in enumerate(criterion.scale, start=SCALE_MIN)})
        initial.update({f"preference_{name}": criterion.preference.get(name) for name in ("q", "p", "s")})
        return initial

    def scale(self) -> list[str]:
        return [self.cleaned_data[f"scale_{step}"] for step in range(SCALE_MIN, SCALE_MAX + 1)]

    def preference(self) -> dict[str, Any]:
        """The chosen function with the thresholds it uses; empty for the standard one."""
        kind = self.cleaned_data.get("preference_type")
        if not kind:
            return {}
        return {"type": kind, **{name: self.cleaned_data[f"preference_{name}"]
                                 for name in mcda.THRESHOLDS_NEEDED[kind]}}


class PanellistForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    title = forms.CharField(label=_("Title"), max_length=200, required=False, help_text=_("For example chair."))
    user = forms.ModelChoiceField(label=_("Login"), queryset=get_user_model().objects.none(), required=False,
                                  empty_label=_("(no login: the secretariat enters the weights and scores)"))

    def __init__(self, *args: Any, process: StrategyProcess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        on_panel = Panellist.objects.filter(process=process).exclude(user=None).values("user")
        limit_choices(self, "user", get_user_model().objects.filter(
            memberships__process=process, memberships__role__in=[Role.BOARD, Role.STEERING, Role.SECRETARIAT]
        ).exclude(pk__in=on_panel).order_by("first_name", "username"))


class PointsForm(forms.Form):
    """Direct points or swing weights: one number per criterion."""

    method = forms.ChoiceField(choices=[(WeightMethod.DIRECT, WeightMethod.DIRECT.label),
                                        (WeightMethod.SWING, WeightMethod.SWING.label)], widget=forms.RadioSelect,
                               label=_("Method"))

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"points_{criterion.pk}"] = forms.FloatField(label=str(criterion), min_value=0,
                                                                      max_value=1000)

    def points(self) -> dict[int, float]:
        return {criterion.pk: self.cleaned_data[f"points_{criterion.pk}"] for criterion in self.criteria}


# Saaty's fundamental scale, read from the left criterion's side: 9 … 2 mean the left one matters more, 1 equal,
# 1/2 … 1/9 that the right one does.
JUDGEMENT_WORDS = {1: _("equally important"), 2: _("slightly more important"), 3: _("moderately more important"),
                   4: _("moderately to strongly more important"), 5: _("strongly more important"),
                   6: _("strongly to very strongly more important"), 7: _("very strongly more important"),
                   8: _("very to extremely more important"), 9: _("extremely more important")}


def judgement_choices(left: Criterion, right: Criterion) -> list[tuple[str, str]]:
    choices = [(str(level), f"{left}: {JUDGEMENT_WORDS[level]} ({level})") for level in range(9, 1, -1)]
    choices.append(("1", str(JUDGEMENT_WORDS[1])))
    choices += [(f"1/{level}", f"{right}: {JUDGEMENT_WORDS[level]} ({level})") for level in range(2, 10)]
    return [("", "—"), *choices]


def judgement_text(value: float) -> str:
    """A stored judgement as the form's choice: 3.0 → "3", 0.25 → "1/4"."""
    if value >= 1:
        return str(round(value))
    return f"1/{round(1 / value)}"


class PairwiseForm(forms.Form):
    """AHP: every pair of criteria once, on Saaty's 1–9 scale in either direction. Pairs may be left open and
    finished later."""

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pairs = [(left, right) for index, left in enumerate(criteria) for right in criteria[index + 1:]]
        for left, right in self.pairs:
            self.fields[self.field_name(left, right)] = forms.ChoiceField(
                label=_("%(left)s compared with %(right)s") % {"left": left, "right": right},
                choices=judgement_choices(left, right), required=False)

    @staticmethod
    def field_name(left: Criterion, right: Criterion) -> str:
        return f"pair_{left.pk}_{right.pk}"

    @classmethod
    def initial_for(cls, criteria: list[Criterion], stored: dict[str, float]) -> dict[str, str]:
        """The form's values from stored judgements ("a:b" with a < b, how much a matters more than b), read from
        the side of the criterion the form shows first."""
        initial = {}
        for index, left in enumerate(criteria):
            for right in criteria[index + 1:]:
                low, high = sorted((left.pk, right.pk))
                value = stored.get(f"{low}:{high}")
                if value:
                    initial[cls.field_name(left, right)] = judgement_text(value if left.pk == low else 1 / value)
        return initial

    def judgements(self) -> dict[tuple[int, int], float]:
        given = {}
        for left, right in self.pairs:
            text = self.cleaned_data.get(self.field_name(left, right))
            if text:
                given[(left.pk, right.pk)] = float(Fraction(text))
        return given


class ScoreForm(forms.Form):
    """One member's scores of one option: per criterion a score with its meaning, a reason and evidence."""

    def __init__(self, *args: Any, criteria: list[Criterion], process: StrategyProcess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        findings = process.findings.order_by("id")
        items = EvidenceItem.objects.filter(process=process).order_by("title", "-version")
        for criterion in criteria:
            self.fields[f"value_{criterion.pk}"] = forms.TypedChoiceField(
                label=str(criterion), coerce=int, required=False, empty_value=None, widget=forms.RadioSelect,
                choices=[(step, f"{step} – {text}") for step, text in enumerate(criterion.scale, start=SCALE_MIN)])
            self.fields[f"reason_{criterion.pk}"] = forms.CharField(
                label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[f"findings_{criterion.pk}"] = forms.ModelMultipleChoiceField(
                label=_("Findings"), queryset=findings, required=False, widget=forms.CheckboxSelectMultiple)
            self.fields[f"evidence_{criterion.pk}"] = forms.ModelMultipleChoiceField(
                label=_("Evidence"), queryset=items, required=False, widget=forms.SelectMultiple(attrs={"size": 4}))

    def rows(self) -> list[dict[str, Any]]:
        return [{"criterion": criterion, **{part: self[f"{part}_{criterion.pk}"]
                                            for part in ("value", "reason", "findings", "evidence")}}
                for criterion in self.criteria]

    def entries(self) -> dict[Criterion, dict[str, Any]]:
        return {criterion: {part: self.cleaned_data[f"{part}_{criterion.pk}"]
                            for part in ("value", "reason", "findings", "evidence")}
                for criterion in self.criteria}


class ScenarioForm(forms.Form):
    name = forms.CharField(label=_("Scenario"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["option", "meeting", "decided_on", "votes_for", "votes_against", "votes_abstain", "rationale"]
        widgets = {"decided_on": DateInput(), "rationale": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, process: StrategyProcess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "option", StrategyOption.objects.filter(process=process))


class DissentForm(forms.ModelForm):
    class Meta:
        model = Dissent
        fields = ["name", "vote", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2})}


class GoalForm(forms.ModelForm):
    class Meta:
        model = FollowUpGoal
        fields = ["goal", "measure", "target", "deadline"]
        widgets = {"deadline": DateInput()}


class ValidationSurveyForm(forms.Form):
    title = forms.CharField(label=_("Title of the survey"), max_length=200,
                            initial=_("What do you think of the board's strategy options?"))


class WorkshopForm(forms.Form):
    title = forms.CharField(label=_("Workshop"), max_length=200)
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    participants = forms.CharField(
        label=_("Groups taking part"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One group per line with how many took part, e.g. “Drift: 11”."))
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_participants(self) -> dict[str, int]:
        participants: dict[str, int] = {}
        for number, line in enumerate(self.cleaned_data["participants"].splitlines(), start=1):
            if not line.strip():
                continue
            group, _colon, count = line.rpartition(":")
            people = whole_number(count)
            if not group.strip() or people is None or people < 1:
                raise forms.ValidationError(_("Line %(number)s: write the group, a colon and how many took part, "
                                              "e.g. “Drift: 11”.") % {"number": number})
            participants[group.strip()] = people
        return participants


class WorkshopResultsForm(forms.Form):
    """How many of each group agreed with each condition."""

    def __init__(self, *args: Any, conditions: list[Condition], participants: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conditions, self.groups = conditions, list(participants)
        for condition in conditions:
            for index, (group, people) in enumerate(participants.items()):
                self.fields[self.field_name(condition, index)] = forms.IntegerField(
                    label=f"{group}: {condition.statement}", min_value=0, max_value=people, required=False)

    @staticmethod
    def field_name(condition: Condition, index: int) -> str:
        return f"agree_{condition.pk}_{index}"

    @classmethod
    def initial_for(cls, conditions: list[Condition], participants: dict[str, int],
                    recorded: dict[tuple[int, str], int]) -> dict[str, int | None]:
        """The form's values from the recorded counts: (condition id, group) → how many agreed."""
        return {cls.field_name(condition, index): recorded.get((condition.pk, group))
                for condition in conditions for index, group in enumerate(participants)}

    def rows(self) -> list[tuple[Condition, list[forms.BoundField]]]:
        return [(condition, [self[self.field_name(condition, index)] for index in range(len(self.groups))])
                for condition in self.conditions]

    def agreed(self) -> dict[tuple[Condition, str], int | None]:
        return {(condition, group): self.cleaned_data[self.field_name(condition, index)]
                for condition in self.conditions for index, group in enumerate(self.groups)}


class WorkshopCommentForm(forms.Form):
    option = forms.ModelChoiceField(label=_("Option"), queryset=StrategyOption.objects.none())
    group = forms.CharField(label=_("Group"), max_length=100, required=False)
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, process: StrategyProcess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "option", StrategyOption.objects.filter(process=process))
