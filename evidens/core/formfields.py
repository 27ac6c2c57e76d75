"""Form helpers shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet


def limit_choices(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    """Offer only ``queryset`` in a model choice field: a form built for one process never lists another's rows."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
