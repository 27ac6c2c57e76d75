"""Text helpers shared by Evidens' commands (Django does not list modules starting with ``_`` as commands)."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext


class CommandHelp:
    """A command's ``help``, translated each time it is read.

    ``help = CommandHelp(gettext_noop("..."))``: argparse needs a real string when it shows the help
    (a lazy translation fails there), and the text should come out in the language active then.
    Help texts of arguments need no such wrapper: ``add_arguments`` runs each time a parser is made,
    so ``gettext`` there translates at the right moment.
    """

    def __init__(self, message: str) -> None:
        self.message = message

    def __get__(self, instance: object, owner: type | None = None) -> str:
        return gettext(self.message)


def number_text(value: float, decimals: int = 0) -> str:
    """A number the way the active language writes it: ``590.000`` and ``2,1`` in Danish."""
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def field_text(model: type[models.Model] | None, name: str) -> str:
    """The label of a model field in the active language (``kortnavn`` for ``slug``); else the name."""
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def error_text(error: ValidationError, model: type[models.Model] | None = None) -> str:
    """A validation error on one line, each field named by its label: ``kortnavn: Indtast ...``."""
    if hasattr(error, "error_dict"):
        return "; ".join(
            " ".join(messages) if field == "__all__" else f"{field_text(model, field)}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(str(message) for message in error.messages)
