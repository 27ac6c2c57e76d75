"""Danish alphabetical order — … x, y, z, æ, ø, å, with "aa" as å — on SQLite and PostgreSQL alike.

Both databases order text by code point unless told otherwise, which puts Å before Æ and Ø and
"Aabenraa" among the A's. ``danish("name")`` orders by the collation named ``da``: on SQLite a
Python comparison registered on every connection, on PostgreSQL the ICU collation ``da-DK`` that
the core migration 0002 creates.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.functions import Collate

DANISH = "da"
# The three code points right after "z", in the Danish sequence; ä and ö sort with æ and ø, as in Danish
# dictionaries.
_LETTERS_AFTER_Z = str.maketrans({"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}"})


def danish_key(text: str) -> str:
    return text.casefold().replace("aa", "å").translate(_LETTERS_AFTER_Z)


def _compare(left: str, right: str) -> int:
    a, b = danish_key(left), danish_key(right)
    return (a > b) - (a < b) or (left > right) - (left < right)


def register_sqlite_collation(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: the ``da`` collation on SQLite connections."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(DANISH, _compare)


def danish(field: str) -> Collate:
    return Collate(field, DANISH)
