"""Danish alphabetical order in the database, on SQLite and (in CI) PostgreSQL."""

from __future__ import annotations

from evidens.core.collation import danish, danish_key
from evidens.stakeholders import selectors
from evidens.stakeholders.models import Organisation
from tests.conftest import Cast

# Danish dictionary order: z, æ, ø, å; "aa" counts as å, so Aabenraa ("åb…") comes before Århus ("år…").
NAMES_IN_DANISH_ORDER = ["Bedsted", "Zealand", "Æbelø", "Ølstykke", "Aabenraa", "Århus"]


def test_the_key_puts_ae_oe_aa_after_z() -> None:
    shuffled = ["Århus", "Zealand", "Aabenraa", "Bedsted", "Ølstykke", "Æbelø"]
    assert sorted(shuffled, key=danish_key) == NAMES_IN_DANISH_ORDER


def test_the_database_orders_names_the_danish_way(cast: Cast) -> None:
    for name in reversed(NAMES_IN_DANISH_ORDER):
        Organisation.objects.create(process=cast.process, name=name)
    ordered = Organisation.objects.filter(process=cast.process).order_by(danish("name"))
    assert [organisation.name for organisation in ordered] == NAMES_IN_DANISH_ORDER
    assert [organisation.name for organisation in selectors.organisation_list(process=cast.process)] == (
        NAMES_IN_DANISH_ORDER)
