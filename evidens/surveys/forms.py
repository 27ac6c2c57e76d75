from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from evidens.stakeholders.choices import OrganisationKind
from evidens.surveys import definition as d
from evidens.surveys import expressions, mailtext
from evidens.surveys.models import MailingKind, Survey

MAX_SURVEY_FILE_BYTES = 10 * 1024 * 1024
EXPORT_FORMATS = [("xlsx", "Excel (.xlsx)"), ("csv", "CSV"), ("sav", "SPSS (.sav)"),
                  ("codebook", _("Codebook (CSV)")), ("xlsform", _("Questionnaire as XLSForm (.xlsx)"))]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SurveyCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    anonymous = forms.BooleanField(label=_("Anonymous"), required=False, initial=True,
                                   help_text=_("Answers are stored with no link to the person who gave them. "
                                               "Reminders still reach only those who have not answered."))


class SurveyImportForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("An XLSForm (.xlsx) or a LimeSurvey structure file (.lss)."))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith((".xlsx", ".lss")):
            raise forms.ValidationError(_("Upload an XLSForm (.xlsx) or a LimeSurvey file (.lss)."))
        if upload.size and upload.size > MAX_SURVEY_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than %(size)s MB.")
                                        % {"size": MAX_SURVEY_FILE_BYTES // (1024 * 1024)})
        return upload


class SurveySettingsForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "anonymous", "opens_at", "closes_at", "sender_name", "invitation_subject",
                  "invitation_body", "reminder_subject", "reminder_body"]
        widgets = {"opens_at": DateTimeInput(), "closes_at": DateTimeInput(),
                   "invitation_body": forms.Textarea(attrs={"rows": 12}),
                   "reminder_body": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        placeholders = ", ".join(f"{{{name}}}" for name in mailtext.PLACEHOLDERS)
        self.fields["invitation_body"].help_text = _("Placeholders: %(names)s") % {"names": placeholders}
        if self.instance.pk and self.instance.versions.exists():
            self.fields["anonymous"].disabled = True

    def validate_constraints(self) -> None:
        pass  # the service checks the same rules with messages tied to fields


def _language_fields(form: forms.Form, name: str, label: Any, *, required: bool = False,
                     widget: Any = None) -> None:
    for code, language in (("da", _("Danish")), ("en", _("English"))):
        form.fields[f"{name}_{code}"] = forms.CharField(
            label=f"{label} ({language})", required=required and code == "da", widget=widget)


def _texts(cleaned: dict[str, Any], name: str) -> dict[str, str]:
    texts = {code: (cleaned.get(f"{name}_{code}") or "").strip() for code in d.LANGUAGES}
    return {code: text for code, text in texts.items() if text}


def _initial_texts(text: dict[str, str], name: str) -> dict[str, str]:
    return {f"{name}_{code}": text.get(code, "") for code in d.LANGUAGES}


class SurveyTextsForm(forms.Form):
    english = forms.BooleanField(label=_("Offer the survey in English too"), required=False)

    def __init__(self, data: Any = None, *, questionnaire: d.SurveyDefinition, **kwargs: Any) -> None:
        initial: dict[str, Any] = {"english": "en" in questionnaire.languages}
        for name in ("title", "intro", "thanks", "privacy"):
            initial.update(_initial_texts(getattr(questionnaire, name), name))
        super().__init__(data, initial=initial, **kwargs)
        _language_fields(self, "title", _("Title"), required=True)
        _language_fields(self, "intro", _("Introduction"), widget=forms.Textarea(attrs={"rows": 5}))
        _language_fields(self, "thanks", _("Thank-you text"), widget=forms.Textarea(attrs={"rows": 3}))
        _language_fields(self, "privacy", _("Privacy notice"), widget=forms.Textarea(attrs={"rows": 5}))

    def texts(self) -> dict[str, dict[str, str]]:
        return {name: _texts(self.cleaned_data, name) for name in ("title", "intro", "thanks", "privacy")}

    def languages(self) -> list[str]:
        return ["da", "en"] if self.cleaned_data.get("english") else ["da"]


class ConditionField(forms.CharField):
    """A skip-logic or constraint expression, refused with the place of the error when malformed."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"spellcheck": "false", "class": "code"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = (super().clean(value) or "").strip()
        if text:
            try:
                expressions.parse(text)
            except expressions.ExpressionError as error:
                raise forms.ValidationError(str(error)) from None
        return text


class SectionForm(forms.Form):
    name = forms.RegexField(label=_("Name"), regex=d.NAME_PATTERN, max_length=60,
                            help_text=_("Used in exports: letters, digits and _."))
    relevance = ConditionField(label=_("Show only when"), help_text=_("For example ${member} = 'yes'. "
                                                                      "Empty: always shown."))

    def __init__(self, data: Any = None, *, section: d.Section | None = None, initial: dict[str, Any] | None = None,
                 **kwargs: Any) -> None:
        initial = dict(initial or {})
        if section is not None:
            initial.update({"name": section.name, "relevance": section.relevance,
                            **_initial_texts(section.title, "title"),
                            **_initial_texts(section.description, "description")})
        super().__init__(data, initial=initial, **kwargs)
        _language_fields(self, "title", _("Heading"), required=True)
        _language_fields(self, "description", _("Text under the heading"), widget=forms.Textarea(attrs={"rows": 3}))

    def section(self) -> d.Section:
        cleaned = self.cleaned_data
        return d.Section(name=cleaned["name"], title=_texts(cleaned, "title"), relevance=cleaned["relevance"],
                         description=_texts(cleaned, "description"))


CHOICE_LINES_HELP = _("One per line: value | Danish text | English text. The value is what exports and "
                      "conditions use.")


def _lines_to_pairs(text: str, field_name: str) -> list[tuple[str, dict[str, str]]]:
    pairs = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) == 1:
            raise forms.ValidationError(_("Line %(number)s: write value | text.") % {"number": number})
        labels = {code: text for code, text in zip(d.LANGUAGES, parts[1:], strict=False) if text}
        pairs.append((parts[0], labels))
    return pairs


def _pairs_to_lines(pairs: list[tuple[str, dict[str, str]]]) -> str:
    return "\n".join(" | ".join([value, *[labels.get(code, "") for code in d.LANGUAGES]]).rstrip(" |")
                     for value, labels in pairs)


class QuestionForm(forms.Form):
    name = forms.RegexField(label=_("Name"), regex=d.NAME_PATTERN, max_length=60,
                            help_text=_("Used in conditions (${name}) and exports: letters, digits and _."))
    type = forms.ChoiceField(label=_("Type"), choices=list(d.QUESTION_TYPES.items()))
    required = forms.BooleanField(label=_("Required"), required=False)
    relevance = ConditionField(label=_("Show only when"),
                               help_text=_("For example ${q1} = 'yes' or selected(${channels}, 'web'). "
                                           "Empty: always shown."))
    constraint = ConditionField(label=_("Accept the answer only when"),
                                help_text=_("“.” is the answer, e.g. . >= 1 and . <= 100000."))
    choices = forms.CharField(label=_("Choices"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=CHOICE_LINES_HELP)
    items = forms.CharField(label=_("Statements or entries"), required=False,
                            widget=forms.Textarea(attrs={"rows": 5}),
                            help_text=_("For a matrix or a ranking. One per line: name | Danish text | English text."))
    other = forms.BooleanField(label=_("Add “Other, please specify:”"), required=False)
    dont_know = forms.BooleanField(label=_("Add “Don't know”"), required=False)
    minimum = forms.FloatField(label=_("Smallest number"), required=False)
    maximum = forms.FloatField(label=_("Largest number"), required=False)

    def __init__(self, data: Any = None, *, question: d.Question | None = None, initial: dict[str, Any] | None = None,
                 **kwargs: Any) -> None:
        initial = dict(initial or {})
        if question is not None:
            initial.update({
                "name": question.name, "type": question.type, "required": question.required,
                "relevance": question.relevance, "constraint": question.constraint, "other": question.other,
                "dont_know": question.dont_know, "minimum": question.minimum, "maximum": question.maximum,
                "choices": _pairs_to_lines([(choice.value, choice.label) for choice in question.choices]),
                "items": _pairs_to_lines([(item.name, item.label) for item in question.items]),
                **_initial_texts(question.label, "label"), **_initial_texts(question.hint, "hint"),
                **_initial_texts(question.constraint_message, "message"),
            })
        super().__init__(data, initial=initial, **kwargs)
        _language_fields(self, "label", _("Question"), required=True, widget=forms.Textarea(attrs={"rows": 2}))
        _language_fields(self, "hint", _("Help text"))
        _language_fields(self, "message", _("Message when not accepted"))
        self.order_fields(["name", "type", "label_da", "label_en", "hint_da", "hint_en", "required", "choices",
                           "other", "dont_know", "items", "minimum", "maximum", "relevance", "constraint"])

    def clean_choices(self) -> list[tuple[str, dict[str, str]]]:
        return _lines_to_pairs(self.cleaned_data.get("choices", ""), "choices")

    def clean_items(self) -> list[tuple[str, dict[str, str]]]:
        return _lines_to_pairs(self.cleaned_data.get("items", ""), "items")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("type") == d.LIKERT and not cleaned.get("choices"):
            cleaned["choices"] = [(choice.value, choice.label) for choice in d.likert_scale()]
        return cleaned

    def question(self) -> d.Question:
        cleaned = self.cleaned_data
        kind = cleaned["type"]
        return d.Question(
            name=cleaned["name"], type=kind, label=_texts(cleaned, "label"), hint=_texts(cleaned, "hint"),
            required=cleaned["required"] and kind != d.INFORMATION, relevance=cleaned["relevance"],
            constraint=cleaned["constraint"], constraint_message=_texts(cleaned, "message"),
            choices=[d.Choice(value, labels) for value, labels in cleaned["choices"]] if kind in d.CHOICE_TYPES else [],
            items=[d.Item(name, labels) for name, labels in cleaned["items"]] if kind in d.ITEM_TYPES else [],
            other=cleaned["other"] and kind in (d.SINGLE_CHOICE, d.MULTIPLE_CHOICE),
            dont_know=cleaned["dont_know"] and kind in (d.LIKERT, d.MATRIX),
            minimum=cleaned["minimum"] if kind in (d.INTEGER, d.DECIMAL) else None,
            maximum=cleaned["maximum"] if kind in (d.INTEGER, d.DECIMAL) else None)


class RecipientSelectionForm(forms.Form):
    segments = forms.MultipleChoiceField(label=_("Segments"), required=False,
                                         widget=forms.CheckboxSelectMultiple)
    kinds = forms.MultipleChoiceField(label=_("Organisation types"), required=False, choices=OrganisationKind.choices,
                                      widget=forms.CheckboxSelectMultiple)
    membership = forms.ChoiceField(label=_("Membership"), required=False, choices=[
        ("", _("Members and others")), ("members", _("Only members")), ("others", _("Only non-members"))])
    emails = forms.CharField(label=_("Or a list of e-mail addresses"), required=False,
                             widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("One per line, of people in the register."))

    def __init__(self, *args: Any, segments: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        segment_field = self.fields["segments"]
        assert isinstance(segment_field, forms.MultipleChoiceField)
        segment_field.choices = [(segment, segment) for segment in segments]

    def clean_emails(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("emails", "").replace(",", "\n").splitlines()
                if line.strip()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(name) for name in ("segments", "kinds", "membership", "emails")):
            raise forms.ValidationError(_("Choose at least one segment, type, membership or address."))
        return cleaned


class MailingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MailingKind.choices)
    send_at = forms.DateTimeField(label=_("Send at"), required=False, widget=DateTimeInput(),
                                  help_text=_("Empty: now."))


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=EXPORT_FORMATS)
