from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from evidens.archive import activities
from evidens.archive.choices import ActivityTable
from evidens.archive.models import ArchiveDocument, DocumentType, Theme
from evidens.core.forms import DateInput, MultipleFileField
from evidens.core.numbers import whole_number
from evidens.processes.models import StrategyProcess
from evidens.stakeholders.models import Organisation


class UploadForm(forms.Form):
    files = MultipleFileField(label=_("Files"),  # type: ignore[assignment]
                              help_text=_("PDF, Word, OpenDocument, PowerPoint, Excel, HTML, text and e-mail (.eml) "
                                          "files; several at once."))


class DocumentForm(forms.ModelForm):
    themes_text = forms.CharField(label=_("Themes"), required=False,
                                  help_text=_("Separated by commas, e.g. renovering, grøn omstilling."))

    class Meta:
        model = ArchiveDocument
        fields = ["title", "date", "doc_type", "source"]
        widgets = {"date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["themes_text"].initial = ", ".join(theme.name for theme in self.instance.themes.all())

    @property
    def themes(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data.get("themes_text", "").split(",") if name.strip()]


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=300)
    type = forms.ChoiceField(label=_("Type"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    theme = forms.ModelChoiceField(label=_("Theme"), required=False, queryset=Theme.objects.none())

    def __init__(self, *args: Any, process: StrategyProcess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        type_field, theme_field = self.fields["type"], self.fields["theme"]
        assert isinstance(type_field, forms.ChoiceField) and isinstance(theme_field, forms.ModelChoiceField)
        type_field.choices = [("", _("all types")), *DocumentType.choices]
        theme_field.queryset = Theme.objects.filter(process=process)
        theme_field.empty_label = str(_("all themes"))


class BulkForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Set the type"), required=False)
    add_theme = forms.CharField(label=_("Add the theme"), required=False, max_length=100)
    remove_theme = forms.ModelChoiceField(label=_("Remove the theme"), required=False, queryset=Theme.objects.none())

    def __init__(self, *args: Any, process: StrategyProcess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        type_field, theme_field = self.fields["doc_type"], self.fields["remove_theme"]
        assert isinstance(type_field, forms.ChoiceField) and isinstance(theme_field, forms.ModelChoiceField)
        type_field.choices = [("", _("(unchanged)")), *DocumentType.choices]
        theme_field.queryset = Theme.objects.filter(process=process)
        theme_field.empty_label = str(_("(none)"))


class PassageForm(forms.Form):
    passage = forms.CharField(label=_("Passage"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
                              help_text=_("Copy the passage from the text above; it is saved exactly as it stands "
                                          "there."))


class ActivityUploadForm(forms.Form):
    table_kind = forms.ChoiceField(label=_("The file holds"), choices=ActivityTable.choices)
    file = forms.FileField(label=_("File"), help_text=_("CSV or XLSX with one row per activity, registration or "
                                                        "membership and the column names in the first row."))


class ActivityMappingForm(forms.Form):
    """One choice per column of the file: which field it holds, or none."""

    def __init__(self, *args: Any, headers: list[str], table_kind: str, mapping: dict[str, str], **kwargs: Any
                 ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("(not used)")), *((spec.name, spec.label) for spec in activities.fields_of(table_kind))]
        self.headers = headers
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(label=header, choices=choices, required=False,
                                                               initial=mapping.get(header, ""))

    @property
    def mapping(self) -> dict[str, str]:
        return {header: self.cleaned_data.get(f"column_{index}", "") for index, header in enumerate(self.headers)}


class ActivityPeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())
    cutoff = forms.DateField(label=_("Compare before and after"), required=False, widget=DateInput(),
                             help_text=_("For example when COVID-19 closed Denmark in March 2020."))


class MatchDecisionForm(forms.Form):
    """Which organisation a written name means: one of the candidates offered, another one named from the register,
    or none ("not in the register")."""

    NONE = "none"

    written = forms.CharField(max_length=200, widget=forms.HiddenInput)
    choice = forms.CharField(required=False)
    other = forms.CharField(label=_("Another organisation in the register"), max_length=200, required=False)

    def __init__(self, *args: Any, process: StrategyProcess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.process = process
        self.organisation: Organisation | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        other, choice = data.get("other", "").strip(), data.get("choice", "")
        if other:
            self.organisation = Organisation.objects.filter(process=self.process, name__iexact=other).first()
            if self.organisation is None:
                raise forms.ValidationError(_("“%(name)s” is not in the register.") % {"name": other})
        elif (chosen := whole_number(choice)) is not None:
            self.organisation = Organisation.objects.filter(process=self.process, pk=chosen).first()
            if self.organisation is None:
                raise forms.ValidationError(_("The organisation is not in this process's register."))
        elif choice != self.NONE:
            raise forms.ValidationError(_("Choose an organisation, or that it is not in the register."))
        return data
