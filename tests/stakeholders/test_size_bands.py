from __future__ import annotations

from typing import Any

from django.urls import reverse

from evidens.stakeholders import selectors
from evidens.stakeholders.models import Organisation, Person
from tests.conftest import Cast


def _organisation(cast: Cast, name: str, homes: int | None, *, member: bool = False, kind: str = "housing") -> None:
    Organisation.objects.create(process=cast.process, name=name, homes=homes, is_member=member, kind=kind)


def test_housing_organisations_are_counted_by_size_band(cast: Cast) -> None:
    _organisation(cast, "A", 99)                 # < 100
    _organisation(cast, "B", 100, member=True)   # 100–499: the lower bound belongs to its band
    _organisation(cast, "C", 499)                # 100–499
    _organisation(cast, "D", 2500, member=True)  # 2.500–4.999
    _organisation(cast, "E", 26000, member=True)  # ≥ 5.000
    _organisation(cast, "F", None)               # size unknown: left out
    _organisation(cast, "G", 800, kind="municipality")  # not a housing organisation: left out
    _organisation(cast, "H", 400)                # 100–499
    Organisation.objects.create(process=cast.other_process, name="I", homes=300, kind="housing")

    bands = selectors.housing_size_bands(process=cast.process)

    assert [(row.band, row.members, row.non_members) for row in bands] == [
        ("< 100", 0, 1),
        ("100–499", 1, 2),
        ("500–999", 0, 0),
        ("1.000–2.499", 0, 0),
        ("2.500–4.999", 1, 0),
        ("≥ 5.000", 1, 0),
    ]


def test_no_sizes_no_bands(cast: Cast) -> None:
    _organisation(cast, "A", None)
    assert selectors.housing_size_bands(process=cast.process) == []


def test_the_register_overview_draws_both_charts(cast: Cast, client_for: Any) -> None:
    _organisation(cast, "A", 250, member=True)
    Person.objects.create(process=cast.process, name="P", segment="Drift")
    body = client_for(cast.users["reader"]).get(reverse("stakeholders:index", args=["proc"])).content.decode()
    assert body.count('<figure class="chart"') == 2
