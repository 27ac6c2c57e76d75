"""The synthetic stakeholder register of the demo: pure Python, no database.

``register_generate(rng)`` returns the same register for the same random generator state, so the
demo is reproducible from one seed. Sizes follow a log-normal distribution (many small housing
organisations, a few very large), rescaled so the sector's homes add up to about ``TOTAL_HOMES``;
members are drawn with a weight that grows with size; contacts are spread over organisations in
proportion to size.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from evidens.demo import data

LOGNORMAL_MEDIAN = 340.0
LOGNORMAL_SIGMA = 1.5
MIN_HOMES = 8


@dataclass(frozen=True)
class OrganisationRow:
    name: str
    kind: str
    domain: str
    is_member: bool = False
    member_since: date | None = None
    homes: int | None = None
    region: str = ""
    municipality: str = ""


@dataclass(frozen=True)
class PersonRow:
    name: str
    email: str
    phone: str
    organisation: str
    role_title: str
    segment: str
    source: str
    consent: str
    lawful_basis: str
    delete_by: date | None


@dataclass(frozen=True)
class Register:
    organisations: tuple[OrganisationRow, ...]
    people: tuple[PersonRow, ...]

    @property
    def housing(self) -> list[OrganisationRow]:
        return [org for org in self.organisations if org.kind == "housing"]


# --- small helpers --------------------------------------------------------------------------

_TRANSLITERATION = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa",
                                  "&": " og "})


def ascii_slug(text: str) -> str:
    """``"Søren Bækgaard"`` -> ``"soeren-baekgaard"``: Danish letters spelt out, other accents dropped."""
    text = text.translate(_TRANSLITERATION)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _weighted_choice(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    return rng.choices([value for value, _ in options], weights=[weight for _, weight in options])[0]


def _random_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into whole parts proportional to ``weights`` (largest remainder method)."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    quotas = [total * weight / weight_sum for weight in weights]
    parts = [math.floor(quota) for quota in quotas]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - parts[i]), i))
    for index in by_remainder[: total - sum(parts)]:
        parts[index] += 1
    return parts


# --- housing organisations ------------------------------------------------------------------


def housing_sizes(rng: random.Random, count: int, total: int) -> list[int]:
    """``count`` sizes in homes, log-normal, rescaled so they add up to ``total`` (up to rounding)."""
    if count <= 0:
        return []
    mu = math.log(LOGNORMAL_MEDIAN)
    raw = [rng.lognormvariate(mu, LOGNORMAL_SIGMA) for _ in range(count)]
    scale = total / sum(raw)
    sizes = [max(MIN_HOMES, round(value * scale)) for value in raw]
    # The clamp at MIN_HOMES may add a few homes; take them from the largest organisation.
    largest = max(range(count), key=lambda i: sizes[i])
    sizes[largest] -= sum(sizes) - total
    return sizes


def _municipality_for(rng: random.Random, homes: int) -> data.Municipality:
    # Large organisations sit mostly in the large cities.
    power = 1.6 if homes >= 3000 else 1.0
    weights = [m.population ** power for m in data.MUNICIPALITIES]
    return rng.choices(data.MUNICIPALITIES, weights=weights)[0]


def _estate_word(rng: random.Random) -> str:
    return rng.choice(data.NAME_PREFIXES) + rng.choice(data.NAME_SUFFIXES)


def _housing_name(rng: random.Random, homes: int, place: str, taken: set[str]) -> str:
    for _attempt in range(200):
        roll = rng.random()
        if homes >= 4000 and roll < 0.5:
            name = rng.choice(data.BRAND_WORDS) + rng.choice(data.BRAND_SUFFIXES)
        elif roll < 0.45:
            name = rng.choice(data.PLACE_PATTERNS).format(place=place)
        elif roll < 0.95:
            patterns = data.WORD_PATTERNS if homes < 300 else data.WORD_PATTERNS[:-1]
            name = rng.choice(patterns).format(word=_estate_word(rng))
        else:
            name = f"{rng.choice(data.BRAND_WORDS)} {place}"
        if name not in taken:
            return name
    raise RuntimeError("Could not find an unused organisation name")  # pragma: no cover


def domain_for(name: str, taken: set[str]) -> str:
    for long, short in data.DOMAIN_ABBREVIATIONS:
        name = name.replace(long, short)
    base = ascii_slug(name)[:50].strip("-") or "org"
    domain, number = f"{base}.example", 2
    while domain in taken:
        domain, number = f"{base}{number}.example", number + 1
    return domain


def _housing_organisations(rng: random.Random, names: set[str], domains: set[str]) -> list[OrganisationRow]:
    fixed = [org for org in data.STEERING_GROUP if org.kind == "housing"]
    fixed_homes = sum(org.homes or 0 for org in fixed)
    sizes = housing_sizes(rng, data.HOUSING_ORGANISATIONS - len(fixed), data.TOTAL_HOMES - fixed_homes)
    rows = []
    for steering in fixed:
        municipality = data.MUNICIPALITY_BY_NAME[steering.municipality]
        rows.append(OrganisationRow(name=steering.name, kind="housing", domain=steering.domain,
                                    homes=steering.homes, region=municipality.region,
                                    municipality=municipality.name))
        names.add(steering.name)
        domains.add(steering.domain)
    for homes in sizes:
        municipality = _municipality_for(rng, homes)
        name = _housing_name(rng, homes, municipality.name, names)
        domain = domain_for(name, domains)
        names.add(name)
        domains.add(domain)
        rows.append(OrganisationRow(name=name, kind="housing", domain=domain, homes=homes,
                                    region=municipality.region, municipality=municipality.name))
    return rows


def _choose_members(rng: random.Random, organisations: list[OrganisationRow]) -> set[str]:
    """The steering group's housing and administration organisations, then housing organisations drawn
    without replacement with weight ~ size (weighted random sampling by keys u ** (1 / w))."""
    members = {org.name for org in data.STEERING_GROUP if org.kind in {"housing", "administration"}}
    candidates = [org for org in organisations if org.kind == "housing" and org.name not in members]
    keys = {org.name: rng.random() ** (1.0 / ((org.homes or 1) ** 0.9)) for org in candidates}
    ranked = sorted(candidates, key=lambda org: (-keys[org.name], org.name))
    members.update(org.name for org in ranked[: data.MEMBERS - len(members)])
    return members


def _other_organisations(
    rng: random.Random, housing: list[OrganisationRow], names: set[str], domains: set[str]
) -> tuple[list[OrganisationRow], dict[str, int]]:
    """Administration organisations, advisers, contractors, municipalities, foundations, sector
    organisations and research; with the number of contacts each gets."""
    rows: list[OrganisationRow] = []
    contacts: dict[str, int] = {}

    def add(name: str, kind: str, place: str, domain: str, low: int, high: int) -> None:
        municipality = data.MUNICIPALITY_BY_NAME[place]
        domain = domain or domain_for(name, domains)
        names.add(name)
        domains.add(domain)
        rows.append(OrganisationRow(name=name, kind=kind, domain=domain, region=municipality.region,
                                    municipality=municipality.name))
        contacts[name] = rng.randint(low, high)

    for steering in data.STEERING_GROUP:
        if steering.kind == "housing":
            continue
        low, high = (12, 24) if steering.kind == "administration" else (4, 8)
        add(steering.name, steering.kind, steering.municipality, steering.domain, low, high)
    for name, kind, place, low, high in data.OTHER_ORGANISATIONS:
        add(name, kind, place, data.OTHER_DOMAINS.get(name, ""), low, high)
    homes_by_municipality: dict[str, int] = {}
    for org in housing:
        homes_by_municipality[org.municipality] = homes_by_municipality.get(org.municipality, 0) + (org.homes or 0)
    busiest = sorted(homes_by_municipality, key=lambda name: (-homes_by_municipality[name], name))
    for place in busiest[: data.MUNICIPALITY_STAKEHOLDERS]:
        authority = data.MUNICIPALITY_BY_NAME[place].authority
        add(authority, "municipality", place, f"{ascii_slug(place)}-kommune.example",
            *data.MUNICIPALITY_CONTACTS)
    return rows, contacts


# --- people ---------------------------------------------------------------------------------


def _person_name(rng: random.Random) -> tuple[str, str, str]:
    """(full name, first name, last surname)."""
    first = rng.choice(data.FIRST_NAMES)
    last = rng.choice(data.SURNAMES)
    if rng.random() < 0.22:
        middle = rng.choice(data.SURNAMES)
        if middle != last:
            return f"{first} {middle} {last}", first, last
    return f"{first} {last}", first, last


def fake_phone(rng: random.Random) -> str:
    """A phone number that cannot reach anyone: Danish numbers never begin with 0."""
    return f"+45 0{rng.randint(1, 9)} {rng.randint(0, 99):02d} {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"


def _segments_for(rng: random.Random, org: OrganisationRow, count: int) -> list[str]:
    if org.kind == "municipality":
        return [data.SEGMENT_MUNICIPALITY] * count
    if org.kind == "administration":
        return [data.SEGMENT_MANAGEMENT] + [
            _weighted_choice(rng, data.ADMINISTRATION_SEGMENT_WEIGHTS) for _ in range(count - 1)
        ]
    if org.kind != "housing":
        return [data.SEGMENT_PARTNER] * count
    # A housing organisation: its manager and its board chair first (small ones: the chair first).
    first_two = [data.SEGMENT_MANAGEMENT, data.SEGMENT_BOARD]
    if (org.homes or 0) < 300:
        first_two.reverse()
    rest = [_weighted_choice(rng, data.HOUSING_SEGMENT_WEIGHTS) for _ in range(max(0, count - 2))]
    return (first_two + rest)[:count]


def _role_title(rng: random.Random, org: OrganisationRow, segment: str, first_of_segment: bool) -> str:
    if org.kind == "research":
        return rng.choice(data.RESEARCH_TITLES)
    titles = data.ROLE_TITLES[segment]
    if segment == data.SEGMENT_BOARD:
        return titles[0] if first_of_segment else rng.choice(titles[1:])
    if segment == data.SEGMENT_MANAGEMENT and first_of_segment and org.kind == "housing":
        return "Direktør" if (org.homes or 0) >= 1500 else "Forretningsfører"
    return rng.choice(titles)


def _provenance(rng: random.Random, org: OrganisationRow) -> tuple[str, str, str, date]:
    """(source, consent, lawful basis, delete by) as a secretariat would have recorded them."""
    if org.is_member:
        consent = _weighted_choice(rng, (("unknown", 0.6), ("given", 0.35), ("refused", 0.03),
                                         ("withdrawn", 0.02)))
        return data.SOURCE_MEMBER_REGISTER, consent, "legitimate_interest", data.DELETE_BY_REGISTER
    if org.kind == "municipality":
        return data.SOURCE_MUNICIPALITIES, "unknown", "legitimate_interest", data.DELETE_BY_REGISTER
    if org.kind in {"housing", "administration"}:
        if rng.random() < 0.3:
            return data.SOURCE_SEMINAR, "given", "consent", data.DELETE_BY_SEMINAR
        consent = _weighted_choice(rng, (("unknown", 0.85), ("given", 0.12), ("refused", 0.03)))
        return data.SOURCE_NETWORK, consent, "legitimate_interest", data.DELETE_BY_REGISTER
    basis = "contract" if org.kind == "adviser" and rng.random() < 0.25 else "legitimate_interest"
    consent = "given" if rng.random() < 0.4 else "unknown"
    return data.SOURCE_PARTNERS, consent, basis, data.DELETE_BY_REGISTER


def _people(
    rng: random.Random, organisations: list[OrganisationRow], contacts: dict[str, int]
) -> list[PersonRow]:
    emails: set[str] = set()
    people: list[PersonRow] = []
    for org in organisations:
        seen_segments: set[str] = set()
        for segment in _segments_for(rng, org, contacts[org.name]):
            for _attempt in range(50):
                name, first, last = _person_name(rng)
                email = f"{ascii_slug(first)}.{ascii_slug(last)}@{org.domain}"
                if email not in emails:
                    break
            else:  # pragma: no cover - 50 collisions in one organisation do not happen with these lists
                raise RuntimeError("Could not find an unused e-mail address")
            emails.add(email)
            source, consent, basis, delete_by = _provenance(rng, org)
            people.append(PersonRow(
                name=name,
                email=email,
                phone=fake_phone(rng) if rng.random() < 0.7 else "",
                organisation=org.name,
                role_title=_role_title(rng, org, segment, segment not in seen_segments),
                segment=segment,
                source=source,
                consent=consent,
                lawful_basis=basis,
                delete_by=delete_by,
            ))
            seen_segments.add(segment)
    return people


# --- the register ---------------------------------------------------------------------------


def register_generate(rng: random.Random) -> Register:
    names: set[str] = set()
    domains: set[str] = set()
    housing = _housing_organisations(rng, names, domains)
    others, contacts = _other_organisations(rng, housing, names, domains)
    members = _choose_members(rng, housing + others)

    organisations = []
    for row in housing + others:
        if row.name in members:
            since = _random_date(rng, data.MEMBER_SINCE_FIRST, data.MEMBER_SINCE_LAST)
            row = replace(row, is_member=True, member_since=since)
        organisations.append(row)

    # Every housing organisation has at least one contact; the rest follow size (members count double:
    # the member register is fuller than the network lists).
    housing_rows = [org for org in organisations if org.kind == "housing"]
    housing_contacts = data.PEOPLE - sum(contacts.values()) - len(housing_rows)
    extra = apportion(housing_contacts, [(org.homes or 0) ** 0.85 * (2.0 if org.is_member else 1.0)
                                         for org in housing_rows])
    for org, more in zip(housing_rows, extra, strict=True):
        contacts[org.name] = 1 + more
    return Register(organisations=tuple(organisations), people=tuple(_people(rng, organisations, contacts)))
