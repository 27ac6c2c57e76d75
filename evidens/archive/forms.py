from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from evidens.archive.models import ArchiveDocument, DocumentType, Theme
from evidens.core.forms import DateInput, MultipleFileField
from evidens.processes.models import StrategyProcess


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
