from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from evidens.core.formfields import limit_choices
from evidens.evidence.models import Finding, FindingStatus
from evidens.processes.models import StrategyProcess
from evidens.reports.models import ReportFormat, ReportKind
from evidens.surveys.models import Survey, SurveyStatus


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices)
    file_format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices, initial=ReportFormat.PDF)
    survey = forms.ModelChoiceField(label=_("Survey"), queryset=Survey.objects.none(), required=False,
                                    help_text=_("Only for the survey results."))
    compare_by = forms.CharField(label=_("Compare by"), max_length=100, required=False,
                                 help_text=_("The name of a background question, or segment; empty for none."))
    identified_quotes = forms.BooleanField(
        label=_("Name the interviewees who agreed to be quoted by name"), required=False,
        help_text=_("Only the knowledge report, and only the secretariat. Without it, quotes carry the "
                    "stakeholder group."))

    def __init__(self, *args: Any, process: StrategyProcess, may_name: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_name:
            del self.fields["identified_quotes"]
        limit_choices(self, "survey", Survey.objects.filter(process=process).exclude(status=SurveyStatus.DRAFT))


class PublicationForm(forms.Form):
    published = forms.BooleanField(label=_("Published"), required=False,
                                   help_text=_("Anyone with the link can read the page, without logging in."))
    intro = forms.CharField(label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    findings = forms.ModelMultipleChoiceField(label=_("Findings to show"), queryset=Finding.objects.none(),
                                              required=False, widget=forms.CheckboxSelectMultiple)
    include_decision = forms.BooleanField(label=_("Show the chosen strategy"), required=False, initial=True)

    def __init__(self, *args: Any, process: StrategyProcess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "findings",
                      Finding.objects.filter(process=process).exclude(status=FindingStatus.DRAFT).order_by("id"))
