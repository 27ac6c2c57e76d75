"""Case-insensitive text lookups that fold Danish (and every other non-ASCII) letter.

Django compiles ``iexact``, ``icontains``, ``istartswith`` and ``iendswith`` on SQLite to
``LIKE ... ESCAPE '\\'``, and SQLite's LIKE folds case for ASCII only: "østerlunden" would not find
"Østerlunden". On PostgreSQL Django compares ``UPPER(column)`` with ``UPPER(value)``, but UPPER folds
according to the database's locale, and a database created with the C locale (as ``initdb
--no-locale`` does, and as the CI does) folds ASCII only too.

The lookups below compare the upper-cased column with the value upper-cased in Python:

* on SQLite the column goes through ``UPPER()``, which :func:`register_sqlite_functions` replaces
  by Python's Unicode-aware ``str.upper`` on every new connection;
* on PostgreSQL the column goes through ``UPPER()`` under the ICU root collation ``und-x-icu``, which
  folds by Unicode whatever the database's locale (PostgreSQL built with ICU, as Debian's is).

LIKE's escaping of ``%``, ``_`` and ``\\`` in the value is Django's own (``process_rhs``), and upper-casing
leaves those characters alone. :meth:`evidens.core.apps.CoreConfig.ready` registers the lookups on
``CharField`` (and so ``EmailField`` and ``SlugField``) and ``TextField``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import lookups
from django.db.models.sql.compiler import SQLCompiler

# The ICU root collation: Unicode case mapping independent of the database's locale.
POSTGRESQL_UNICODE_COLLATION = "und-x-icu"


def _upper(value: object) -> str | None:
    return None if value is None else str(value).upper()


def register_sqlite_functions(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: Unicode-aware UPPER() and LOWER() on SQLite connections."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("upper", 1, _upper, deterministic=True)
    raw.create_function("lower", 1, lambda value: None if value is None else str(value).lower(),
                        deterministic=True)


def _sqlite_upper(sql: str) -> str:
    return f"UPPER({sql})"


def _postgresql_upper(sql: str) -> str:
    return f'UPPER(({sql})::text COLLATE "{POSTGRESQL_UNICODE_COLLATION}")'


class UnicodeCaseFolding(lookups.BuiltinLookup):
    """Compares ``upper(column)`` with the value upper-cased in Python (or ``upper(expression)``)."""

    def _folded_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, upper: Callable[[str], str],
    ) -> tuple[str, list[Any]]:
        # Lookup.process_lhs, not BuiltinLookup's: its lookup_cast would add the backend's own
        # (locale-bound) UPPER on PostgreSQL.
        lhs_sql, lhs_params = lookups.Lookup.process_lhs(self, compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        if self.rhs_is_direct_value():
            rhs_params = [param.upper() if isinstance(param, str) else param for param in rhs_params]
        else:
            rhs_sql = upper(rhs_sql)
        return f"{upper(lhs_sql)} {self.get_rhs_op(connection, rhs_sql)}", [*lhs_params, *rhs_params]

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, list[Any]]:
        return self._folded_sql(compiler, connection, _sqlite_upper)

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, list[Any]]:
        return self._folded_sql(compiler, connection, _postgresql_upper)


class UnicodeIExact(UnicodeCaseFolding, lookups.IExact):
    lookup_name = "iexact"


class UnicodeIContains(UnicodeCaseFolding, lookups.IContains):
    lookup_name = "icontains"


class UnicodeIStartsWith(UnicodeCaseFolding, lookups.IStartsWith):
    lookup_name = "istartswith"


class UnicodeIEndsWith(UnicodeCaseFolding, lookups.IEndsWith):
    lookup_name = "iendswith"


UNICODE_LOOKUPS: tuple[type[lookups.Lookup], ...] = (
    UnicodeIExact, UnicodeIContains, UnicodeIStartsWith, UnicodeIEndsWith,
)
