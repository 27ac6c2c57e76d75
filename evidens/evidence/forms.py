"""Forms of the evidence base: the workshop's quick entry, assumptions, findings and their links, verdicts, needs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from evidens.core.formfields import limit_choices
from evidens.evidence.models import (
    Assumption,
    Challenge,
    Channel,
    EvidenceItem,
    Finding,
    Stance,
    Verdict,
)
from evidens.processes.models import Role, StrategyProcess


class ChallengeForm(forms.Form):
    title = forms.CharField(label=_("Challenge"), max_length=300)


class QuickAssumptionForm(forms.Form):
    """The workshop's fast entry: the statement, where it belongs, how much rests on it."""

    statement = forms.CharField(label=_("Assumption"), widget=forms.TextInput(attrs={"autofocus": True}))
    challenge = forms.ModelChoiceField(label=_("Challenge"), queryset=Challenge.objects.none(), required=False,
                                       empty_label=_("(no challenge)"))
    importance = forms.TypedChoiceField(label=_("Importance"), coerce=int, initial=3,
                                        choices=[(number, str(number)) for number in range(1, 6)])

    def __init__(self, *args: Any, process: StrategyProcess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "challenge", process.challenges.all())


class AssumptionForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(label=_("Channels that can test it"), choices=Channel.choices,
                                         required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Assumption
        fields = ["statement", "challenge", "held_by", "importance", "must_be_true", "would_confirm", "would_refute",
                  "channels", "sceptic"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 2}), "must_be_true": forms.Textarea(attrs={"rows": 3}),
                   "would_confirm": forms.Textarea(attrs={"rows": 2}),
                   "would_refute": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, process: StrategyProcess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "challenge", process.challenges.all())
        # The sceptic who owns the test sits on the board (or runs the process).
        limit_choices(self, "sceptic", get_user_model().objects.filter(
            memberships__process=process, memberships__role__in=[Role.BOARD, Role.STEERING, Role.SECRETARIAT]
        ).order_by("username"))


class FindingForm(forms.ModelForm):
    segments_text = forms.CharField(label=_("Segments it concerns"), required=False,
                                    help_text=_("Separated by commas, e.g. small housing organisations, members."))

    class Meta:
        model = Finding
        fields = ["statement", "status"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["segments_text"].initial = ", ".join(self.instance.segments)

    @property
    def segments(self) -> list[str]:
        return [part.strip() for part in self.cleaned_data.get("segments_text", "").split(",") if part.strip()]


class EvidenceItemField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_channel_display()}: {obj.title} (v{obj.version})"


class EvidenceLinkForm(forms.Form):
    item = EvidenceItemField(label=_("Evidence"), queryset=EvidenceItem.objects.none())
    stance = forms.ChoiceField(label=_("Stance"), choices=Stance.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, process: StrategyProcess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = EvidenceItem.objects.filter(process=process).order_by("channel", "title", "-version")
        limit_choices(self, "item", items)


class FindingLinkForm(forms.Form):
    finding = forms.ModelChoiceField(label=_("Finding"), queryset=Finding.objects.none())
    stance = forms.ChoiceField(label=_("Stance"), choices=Stance.choices[:2])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, process: StrategyProcess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "finding", Finding.objects.filter(process=process))


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verdict.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Why this verdict: what the findings show, and what they leave open."))


class NeedForm(forms.Form):
    segment = forms.CharField(label=_("Segment"), max_length=200)
    statement = forms.CharField(label=_("Need or wish"), widget=forms.Textarea(attrs={"rows": 2}))
    findings = forms.ModelMultipleChoiceField(label=_("Findings behind it"), queryset=Finding.objects.none(),
                                              required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, process: StrategyProcess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "findings", Finding.objects.filter(process=process))


class AssumptionImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet"),
                           help_text=_("CSV or XLSX with the columns Udfordring, Antagelse, Hvem, Vigtighed, Hvad skal "
                                       "være sandt, Bekræftes af, Afkræftes af, Kanaler."))
