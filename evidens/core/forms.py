from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from evidens.core import throttle


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed attempts for this user. Try again in %(minutes)s minutes."
        ),
    }

    def clean(self) -> dict[str, Any]:
        from django.conf import settings

        username = self.cleaned_data.get("username") or ""
        if username and throttle.login_locked(username):
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.LOGIN_LOCKOUT_MINUTES},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                throttle.login_failure_record(username)
            raise
        throttle.login_failures_clear(username)
        return cleaned


class DateInput(forms.DateInput):
    """The browser's own date picker; the value in ISO form, as that picker expects."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def add_service_errors(form: forms.BaseForm, error: forms.ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where it names one of the form's fields."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; ``cleaned_data`` holds a list."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> Any:
        one_file = super().clean
        items = list(data) if isinstance(data, list | tuple) else [data]
        return [one_file(item, initial) for item in items or [None]]  # no file at all: "required"
