"""Case-insensitive lookups fold Danish letters on SQLite and PostgreSQL alike (evidens.core.lookups),
and LIKE's wildcards in the user's text stay literal."""

from __future__ import annotations

import pytest
from django.db.models import F

from evidens.stakeholders import selectors, services
from evidens.stakeholders.models import Organisation, Person
from tests.conftest import Cast


def _organisations(cast: Cast, *names: str, municipality: str = "") -> None:
    for name in names:
        services.organisation_create(process=cast.process, actor=None, name=name, municipality=municipality)


def _names(**lookup: object) -> list[str]:
    return sorted(Organisation.objects.filter(**lookup).values_list("name", flat=True))


@pytest.mark.parametrize(("query", "expected"), [
    ("østerlunden", ["Andelsboligforeningen Østerlunden"]),
    ("andelsboligforeningen østerlunden", ["Andelsboligforeningen Østerlunden"]),
    ("ÆBLEHAVEN", ["Æblehaven"]),
    ("æblehaven", ["Æblehaven"]),
    ("å", ["Boligselskabet ÅBO"]),
    ("ØSTER", ["Andelsboligforeningen Østerlunden"]),
    ("lunden", ["Andelsboligforeningen Østerlunden"]),
    ("vesterlunden", []),
])
def test_icontains_folds_danish_letters(cast: Cast, query: str, expected: list[str]) -> None:
    _organisations(cast, "Andelsboligforeningen Østerlunden", "Æblehaven", "Boligselskabet ÅBO", "KAB")
    assert _names(name__icontains=query) == expected


def test_the_register_search_finds_danish_names_whatever_their_case(cast: Cast) -> None:
    _organisations(cast, "Andelsboligforeningen Østerlunden", "KAB")
    _organisations(cast, "FSB", municipality="Ærø")
    found = selectors.organisation_list(process=cast.process, query="andelsboligforeningen østerlunden")
    assert [o.name for o in found] == ["Andelsboligforeningen Østerlunden"]
    assert [o.name for o in selectors.organisation_list(process=cast.process, query="ÆRØ")] == ["FSB"]


def test_email_fields_inherit_the_folding(cast: Cast) -> None:
    services.person_create(process=cast.process, actor=None, name="Søren Blåbær", email="kontakt@østerlunden.dk")
    assert Person.objects.filter(email__icontains="@ØSTERLUNDEN").count() == 1
    assert Person.objects.filter(email__iexact="KONTAKT@ØSTERLUNDEN.DK").count() == 1


def test_iexact_istartswith_iendswith_fold_danish_letters(cast: Cast) -> None:
    _organisations(cast, "Østerlunden", "Æblehaven", "Åbo", "Vesterlunden")
    assert _names(name__iexact="østerlunden") == ["Østerlunden"]
    assert _names(name__iexact="ØSTERLUNDE") == []
    assert _names(name__istartswith="æBLE") == ["Æblehaven"]
    assert _names(name__istartswith="å") == ["Åbo"]
    assert _names(name__iendswith="ERLUNDEN") == ["Vesterlunden", "Østerlunden"]
    assert _names(name__iendswith="HAVN") == []


def test_case_sensitive_lookups_stay_case_sensitive(cast: Cast) -> None:
    _organisations(cast, "Østerlunden")
    assert _names(name__contains="østerlunden") == []
    assert _names(name__contains="Øster") == ["Østerlunden"]


@pytest.mark.parametrize(("lookup", "query", "expected"), [
    ("icontains", "50%", ["Boligselskabet 50% rabat"]),
    ("icontains", "a_b", ["Forening a_b"]),
    ("icontains", "%", ["Boligselskabet 50% rabat"]),
    ("icontains", "_", ["Forening a_b"]),
    ("icontains", "\\", ["Back\\slash"]),
    ("iexact", "forening A_B", ["Forening a_b"]),
    ("iexact", "Forening a%", []),
    ("istartswith", "_", []),
    ("istartswith", "500", ["500 boliger"]),
    ("istartswith", "50%", []),
    ("iendswith", "%", []),
])
def test_like_wildcards_in_the_query_are_literal(cast: Cast, lookup: str, query: str, expected: list[str]) -> None:
    _organisations(cast, "500 boliger", "Boligselskabet 50% rabat", "Forening a_b", "Forening axb", "Back\\slash")
    assert _names(**{f"name__{lookup}": query}) == expected


def test_expressions_on_the_right_are_folded_too(cast: Cast) -> None:
    _organisations(cast, "Boligselskabet Ærø", municipality="ærø")
    _organisations(cast, "ærø", municipality="ÆRØ")
    _organisations(cast, "Andelsforeningen 50", municipality="5%")
    assert _names(name__icontains=F("municipality")) == ["Boligselskabet Ærø", "ærø"]
    assert _names(name__iexact=F("municipality")) == ["ærø"]
    assert _names(name__istartswith=F("municipality")) == ["ærø"]
    assert _names(name__iendswith=F("municipality")) == ["Boligselskabet Ærø", "ærø"]
