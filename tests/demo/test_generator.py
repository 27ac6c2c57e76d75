"""The synthetic register, without a database. Expected figures come from the issue text:
about 540 housing organisations, about 590,000 homes, 55 members skewed toward large organisations,
about 2,200 people."""

from __future__ import annotations

import random
import re
import statistics
from collections import Counter

import pytest

from evidens.demo import data
from evidens.demo.generator import (
    Register,
    apportion,
    ascii_slug,
    domain_for,
    fake_phone,
    housing_sizes,
    register_generate,
)


@pytest.fixture(scope="module")
def register() -> Register:
    return register_generate(random.Random(data.DEMO_SEED))


def test_same_seed_same_register_other_seed_other_register(register: Register) -> None:
    assert register_generate(random.Random(data.DEMO_SEED)) == register
    other = register_generate(random.Random(data.DEMO_SEED + 1))
    assert other != register
    assert [org.name for org in other.organisations] != [org.name for org in register.organisations]


def test_generation_does_not_touch_the_global_random_generator() -> None:
    random.seed(7)
    expected = random.random()
    random.seed(7)
    register_generate(random.Random(1))
    assert random.random() == expected


def test_housing_organisations_and_their_homes(register: Register) -> None:
    housing = register.housing
    assert len(housing) == 540
    total = sum(org.homes or 0 for org in housing)
    assert 578_200 <= total <= 601_800  # 590,000 ± 2 %
    sizes = sorted(org.homes or 0 for org in housing)
    assert sizes[0] >= 1
    median, mean = statistics.median(sizes), statistics.mean(sizes)
    # Many small, few very large: a long right tail.
    assert median < mean / 2
    assert sum(size < 500 for size in sizes) > len(sizes) / 2
    assert sum(size >= 5000 for size in sizes) < len(sizes) / 10
    # ... and the largest tenth holds a large share of the homes.
    assert sum(sizes[-len(sizes) // 10:]) > 0.4 * total
    assert sizes[-1] > 10_000


def test_total_homes_lands_within_two_percent_for_other_seeds() -> None:
    for seed in range(5):
        sizes = housing_sizes(random.Random(seed), 537, 566_000)
        assert len(sizes) == 537
        assert abs(sum(sizes) - 566_000) <= 0.02 * 566_000
        assert min(sizes) >= 1


def test_members_are_55_and_larger_than_the_rest(register: Register) -> None:
    members = [org for org in register.organisations if org.is_member]
    assert len(members) == 55
    assert all(org.member_since is not None for org in members)
    assert all(org.member_since is None for org in register.organisations if not org.is_member)
    years = Counter(org.member_since.year for org in members if org.member_since)
    assert min(years) >= 2008 and max(years) <= 2020
    assert len(years) >= 8  # spread over the years, not bunched
    member_sizes = [org.homes for org in register.housing if org.is_member and org.homes]
    other_sizes = [org.homes for org in register.housing if not org.is_member and org.homes]
    assert statistics.median(member_sizes) > statistics.median(other_sizes)


def test_municipalities_and_regions_are_consistent(register: Register) -> None:
    assert len(data.MUNICIPALITIES) == 98
    assert len({m.name for m in data.MUNICIPALITIES}) == 98
    per_region = Counter(m.region for m in data.MUNICIPALITIES)
    assert per_region == {"hovedstaden": 29, "sjaelland": 17, "syddanmark": 22, "midtjylland": 19,
                          "nordjylland": 11}
    assert data.MUNICIPALITY_BY_NAME["Aalborg"].region == "nordjylland"
    assert data.MUNICIPALITY_BY_NAME["Odense"].region == "syddanmark"
    assert data.MUNICIPALITY_BY_NAME["København"].authority == "Københavns Kommune"
    for org in register.organisations:
        assert org.region == data.MUNICIPALITY_BY_NAME[org.municipality].region, org
    # Housing organisations spread over the whole country.
    assert len({org.region for org in register.housing}) == 5
    assert len({org.municipality for org in register.housing}) > 60


def test_partners_and_other_stakeholders(register: Register) -> None:
    others = [org for org in register.organisations if org.kind != "housing"]
    assert 60 <= len(others) <= 100
    kinds = Counter(org.kind for org in others)
    for kind in ("administration", "adviser", "contractor", "municipality", "foundation", "sector",
                 "research"):
        assert kinds[kind] >= 1, kind
    by_name = {org.name: org for org in register.organisations}
    assert by_name["Realdania"].kind == "foundation"
    for name in ("KAB", "FSB", "AL2bolig", "Domea.dk", "FA09", "Boligkontoret Danmark",
                 "Himmerland Boligforening", "Bygherreforeningen", "BL"):
        assert name in by_name
    assert by_name["BL"].kind == "sector"
    assert by_name["FSB"].kind == "housing"


def test_names_and_domains_are_unique(register: Register) -> None:
    names = [org.name for org in register.organisations]
    assert len(set(names)) == len(names)
    domains = [org.domain for org in register.organisations]
    assert len(set(domains)) == len(domains)
    assert all(re.fullmatch(r"[a-z0-9-]+\.example", domain) for domain in domains)


def test_people_count_segments_and_contact_details(register: Register) -> None:
    people = register.people
    assert 2100 <= len(people) <= 2300
    emails = [person.email for person in people]
    assert len(set(emails)) == len(emails)
    for person in people:
        assert re.fullmatch(r"[a-z0-9-]+\.[a-z0-9-]+@[a-z0-9-]+\.example", person.email), person.email
        assert person.phone == "" or re.fullmatch(r"\+45 0\d \d\d \d\d \d\d", person.phone), person.phone
        assert person.segment in data.SEGMENTS
        assert person.role_title
        assert person.source
        assert person.delete_by is not None
    assert set(Counter(person.segment for person in people)) == set(data.SEGMENTS)
    assert {person.consent for person in people} <= {"unknown", "given", "refused", "withdrawn"}
    assert len({person.lawful_basis for person in people}) >= 2


def test_e_mail_follows_the_person_and_the_organisation(register: Register) -> None:
    by_name = {org.name: org for org in register.organisations}
    for person in register.people[:300]:
        first, last = person.name.split()[0], person.name.split()[-1]
        assert person.email == f"{ascii_slug(first)}.{ascii_slug(last)}@{by_name[person.organisation].domain}"


def test_contacts_follow_size(register: Register) -> None:
    contacts = Counter(person.organisation for person in register.people)
    housing = sorted(register.housing, key=lambda org: org.homes or 0)
    assert all(contacts[org.name] >= 1 for org in housing)
    small = housing[: len(housing) // 2]
    large = housing[-len(housing) // 10:]
    assert statistics.mean(contacts[org.name] for org in large) > 4 * statistics.mean(
        contacts[org.name] for org in small)
    municipalities = [org for org in register.organisations if org.kind == "municipality"]
    assert all(person.segment == "Kommune" for person in register.people
               if person.organisation in {org.name for org in municipalities})


def test_ascii_slug_spells_out_danish_letters() -> None:
    assert ascii_slug("Søren Ærø Åby") == "soeren-aeroe-aaby"
    assert ascii_slug("Anne-Mette") == "anne-mette"
    assert ascii_slug("Zoë Müller") == "zoe-muller"
    assert ascii_slug("Plan & Proces") == "plan-og-proces"


def test_domain_for_abbreviates_and_stays_unique() -> None:
    taken: set[str] = set()
    first = domain_for("Andelsboligforeningen Bøgelunden", taken)
    assert first == "abf-boegelunden.example"
    taken.add(first)
    assert domain_for("Andelsboligforeningen Bøgelunden", taken) == "abf-boegelunden2.example"


def test_fake_phone_numbers_start_with_zero() -> None:
    rng = random.Random(3)
    for _ in range(50):
        assert fake_phone(rng).startswith("+45 0")


def test_apportion() -> None:
    assert apportion(10, [1, 1, 2]) == [3, 2, 5]  # 2.5, 2.5, 5 -> the first remainder wins the tie
    assert sum(apportion(1000, [0.3, 7, 11, 2])) == 1000
    assert apportion(0, [1, 2]) == [0, 0]
    assert apportion(5, [0, 0]) == [0, 0]
