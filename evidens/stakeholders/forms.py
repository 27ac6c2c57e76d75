from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from evidens.core.formfields import limit_choices
from evidens.core.forms import DateInput
from evidens.processes.models import StrategyProcess
from evidens.stakeholders import importing
from evidens.stakeholders.models import ImportKind, Organisation, OrganisationKind, Person, Region
from evidens.stakeholders.services import ORGANISATION_FIELDS, PERSON_FIELDS


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS
        widgets = {"member_since": DateInput()}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("member_since") and not cleaned.get("is_member"):
            self.add_error("member_since", _("Only members have a member-since date."))
        return cleaned

    def validate_constraints(self) -> None:
        # The service checks the same rules with messages tied to fields (see ``clean``).
        pass


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {"delete_by": DateInput()}

    def __init__(self, *args: Any, process: StrategyProcess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "organisation", Organisation.objects.filter(process=process).order_by("name"))


MAX_IMPORT_BYTES = 20 * 1024 * 1024


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to import"), choices=ImportKind.choices)
    file = forms.FileField(label=_("File"), help_text=_("CSV (semicolon or comma separated) or XLSX. The first "
                                                        "row must hold the column headings."))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(importing.SUPPORTED_EXTENSIONS):
            raise forms.ValidationError(_("Upload a CSV or XLSX file."))
        if upload.size and upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than %(size)s MB.")
                                        % {"size": MAX_IMPORT_BYTES // (1024 * 1024)})
        return upload


class ImportMappingForm(forms.Form):
    """One choice per column of the file: which field it fills, or none."""

    def __init__(self, *args: Any, headers: list[str], kind: importing.Kind, initial_mapping: dict[str, str],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        self.kind = kind
        choices = [("", _("(do not import)")), *((name, importing.field_label(name))
                                                  for name in importing.kind_fields(kind))]
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header, choices=choices, required=False, initial=initial_mapping.get(header, ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        problems = importing.mapping_problems(self.mapping_from(cleaned), self.kind)
        if problems:
            raise forms.ValidationError(problems)
        return cleaned

    def mapping_from(self, cleaned: dict[str, Any]) -> dict[str, str]:
        return {header: cleaned.get(f"column_{index}") or "" for index, header in enumerate(self.headers)}

    @property
    def mapping(self) -> dict[str, str]:
        return self.mapping_from(self.cleaned_data)


MEMBER_CHOICES = [("", _("All")), ("yes", _("Members")), ("no", _("Non-members"))]


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Type"), required=False,
                             choices=[("", _("All types")), *OrganisationKind.choices])
    member = forms.ChoiceField(label=_("Member"), required=False, choices=MEMBER_CHOICES)
    region = forms.ChoiceField(label=_("Region"), required=False, choices=[("", _("All regions")), *Region.choices])


class PersonFilterForm(OrganisationFilterForm):
    segment = forms.ChoiceField(label=_("Segment"), required=False)

    def __init__(self, *args: Any, segments: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].label = _("Organisation type")
        segment = self.fields["segment"]
        assert isinstance(segment, forms.ChoiceField)
        segment.choices = [("", _("All segments")), *((name, name) for name in segments)]


def filter_values(form: forms.Form) -> dict[str, str]:
    """The valid filters of a bound filter form; an invalid value is dropped rather than shown as an error."""
    form.is_valid()
    return {name: value for name, value in getattr(form, "cleaned_data", {}).items() if value}
