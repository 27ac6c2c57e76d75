from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from evidens.core.forms import DateInput, MultipleFileField
from evidens.webstats.models import ContentArea, WebstatsSettings

UNITS = [("week", _("Per week")), ("month", _("Per month"))]
LOG_LAYOUTS = [("combined", _("Combined (Apache and nginx default)")), ("common", _("Common (without referrer and "
                                                                                     "browser)")),
               ("custom", _("Another format"))]
# An analytics export is read whole into memory; real ones (pages × days) stay far below this.
MAX_EXPORT_BYTES = 50 * 1024 * 1024


class RangeForm(forms.Form):
    """The period a page shows, from the query string (``from``, ``to``, ``unit``); what is left out is the
    default, so the fields always show the period in use."""

    def __init__(self, params: Any, *, first: date, last: date) -> None:
        self.default_first, self.default_last = first, last
        super().__init__({
            "from": params.get("from") or first.isoformat(),
            "to": params.get("to") or last.isoformat(),
            "unit": params.get("unit") or UNITS[0][0],
        })
        # "from" is a Python keyword, so the fields cannot be declared on the class.
        self.fields["from"] = forms.DateField(label=_("From"), widget=DateInput())
        self.fields["to"] = forms.DateField(label=_("To"), widget=DateInput())
        self.fields["unit"] = forms.ChoiceField(label=_("Trend"), choices=UNITS)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("from"), cleaned.get("to")
        if first and last and first > last:
            raise forms.ValidationError(_("The first day comes after the last day."))
        return cleaned

    def chosen(self) -> tuple[date, date, str]:
        """The period and trend unit asked for, or the default where the form is not valid."""
        if self.is_valid():
            return self.cleaned_data["from"], self.cleaned_data["to"], self.cleaned_data["unit"]
        return self.default_first, self.default_last, str(self.cleaned_data.get("unit") or UNITS[0][0])


class LogUploadForm(forms.Form):
    # Named as the service names it in its errors; the metaclass takes it off the class, so the form's own
    # ``files`` (the uploads) is untouched.
    files = MultipleFileField(label=_("Access logs"),  # type: ignore[assignment]
                              help_text=_("One or more files, plain or compressed (.gz, .bz2)."))
    layout = forms.ChoiceField(label=_("Log format"), choices=LOG_LAYOUTS, initial="combined",
                               widget=forms.RadioSelect)
    log_format = forms.CharField(
        label=_("Format string"), required=False, max_length=500,
        help_text=_("Only for another format: the LogFormat line from Apache or the log_format line from nginx, "
                    "e.g. %h %l %u %t \"%r\" %>s %b."))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("layout") == "custom" and not (cleaned.get("log_format") or "").strip():
            self.add_error("log_format", _("Write the format string of the log."))
        return cleaned

    @property
    def log_format_text(self) -> str:
        layout = self.cleaned_data["layout"]
        return self.cleaned_data["log_format"].strip() if layout == "custom" else layout


class AnalyticsUploadForm(forms.Form):
    file = forms.FileField(label=_("Analytics export"),
                           help_text=_("A GA4 or Matomo export of page views per page, as CSV or TSV."))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size and upload.size > MAX_EXPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than %(size)s MB.")
                                        % {"size": MAX_EXPORT_BYTES // (1024 * 1024)})
        return upload


class SettingsForm(forms.ModelForm):
    areas = forms.CharField(
        label=_("Content areas"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One area a line: its name, “=” and the start of its addresses, e.g. “Vidensbank = /viden/”. "
                    "With a * the whole address must fit, the * standing for any text (“Guides = /viden/*/guide”). "
                    "A page counts in the first area it fits."))

    class Meta:
        model = WebstatsSettings
        fields = ["retention_months", "search_parameters", "own_hosts", "partner_hosts"]
        widgets = {"own_hosts": forms.Textarea(attrs={"rows": 3}), "partner_hosts": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, areas: list[ContentArea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].initial = "\n".join(f"{area.name} = {area.pattern}" for area in areas)

    def clean_areas(self) -> list[tuple[str, str]]:
        areas: list[tuple[str, str]] = []
        problems = []
        seen: dict[str, int] = {}
        name_limit = ContentArea._meta.get_field("name").max_length or 100
        pattern_limit = ContentArea._meta.get_field("pattern").max_length or 300
        for number, line in enumerate(self.cleaned_data["areas"].splitlines(), start=1):
            if not line.strip():
                continue
            name, equals, pattern = (part.strip() for part in line.partition("="))
            if not equals or not name or not pattern:
                problems.append(_("Line %(line)s: write the area's name, “=” and its addresses, e.g. “Vidensbank = "
                                  "/viden/”.") % {"line": number})
            elif not pattern.startswith("/"):
                problems.append(_("Line %(line)s: the addresses must start with /, e.g. /viden/.") % {"line": number})
            elif len(name) > name_limit or len(pattern) > pattern_limit:
                problems.append(_("Line %(line)s: the name may have at most %(name)s characters and the addresses "
                                  "%(pattern)s.") % {"line": number, "name": name_limit, "pattern": pattern_limit})
            elif pattern in seen:
                problems.append(_("Line %(line)s: %(pattern)s is already on line %(first)s.")
                                % {"line": number, "pattern": pattern, "first": seen[pattern]})
            else:
                seen[pattern] = number
                areas.append((name, pattern))
        if problems:
            raise forms.ValidationError(problems)
        return areas
