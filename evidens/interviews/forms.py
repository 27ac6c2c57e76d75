from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from evidens.core.forms import DateInput
from evidens.interviews.guide import guide_text
from evidens.interviews.models import Interview, InterviewGuide
from evidens.processes.models import StrategyProcess
from evidens.stakeholders.models import Person

TRANSCRIPT_TYPES = ".docx,.odt,.txt,.md"


class InterviewForm(forms.ModelForm):
    class Meta:
        model = Interview
        fields = ["label", "person", "group", "description", "interviewer", "date", "form", "status", "consent",
                  "consent_date", "guide", "notes"]
        widgets = {"date": DateInput(), "consent_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, process: StrategyProcess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person_field, guide_field = self.fields["person"], self.fields["guide"]
        assert isinstance(person_field, forms.ModelChoiceField) and isinstance(guide_field, forms.ModelChoiceField)
        person_field.queryset = (Person.objects.filter(process=process, erased_at__isnull=True)
                                 .select_related("organisation").order_by("name"))
        person_field.label_from_instance = _person_label  # type: ignore[method-assign,assignment]
        guide_field.queryset = InterviewGuide.objects.filter(process=process)

    def validate_unique(self) -> None:
        """The service checks the label within the process and says so in Danish."""


def _person_label(person: Person) -> str:
    return f"{person.name}, {person.organisation}" if person.organisation else person.name


class GuideForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Themes and questions"), widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_("One theme per line, its questions below it, each starting with a dash (-)."))
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)

    @classmethod
    def from_guide(cls, guide: InterviewGuide | None) -> GuideForm:
        if guide is None:
            return cls()
        return cls(initial={"title": guide.title, "text": guide_text(guide.themes)})


class TranscriptUploadForm(forms.Form):
    file = forms.FileField(label=_("Transcript file"), help_text=_("Word (.docx), OpenDocument (.odt) or text "
                                                                   "(.txt). Speaker turns such as “I07: …” are "
                                                                   "recognised."),
                           widget=forms.ClearableFileInput(attrs={"accept": TRANSCRIPT_TYPES}))


class TranscriptPasteForm(forms.Form):
    text = forms.CharField(label=_("Transcript"), widget=forms.Textarea(attrs={"rows": 12}))
