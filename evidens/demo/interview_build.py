"""The demo's interviews built through the services: the guide, 20 interviews with their transcripts linked to
people in the register, the codebook, every interview coded by the analyst and four of them coded again by the
secretariat (see ``interview_texts``)."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from evidens.coding import services as coding_services
from evidens.coding.models import Code
from evidens.demo.interview_texts import (
    CODEBOOK,
    DOUBLE_CODED,
    GUIDE_TITLE,
    GUIDE_V1,
    GUIDE_V2,
    demo_interviews,
    second_coder_ranges,
)
from evidens.interviews import services as interview_services
from evidens.interviews.models import ConsentScope, InterviewForm, InterviewStatus
from evidens.processes.models import StrategyProcess
from evidens.stakeholders.choices import OrganisationKind, StakeholderGroup
from evidens.stakeholders.models import Person

GROUPS = {"medlem": StakeholderGroup.MEMBER, "beboerdemokrat": StakeholderGroup.RESIDENT_DEMOCRAT,
          "kommune": StakeholderGroup.MUNICIPALITY, "raadgiver": StakeholderGroup.ADVISER,
          "entreprenoer": StakeholderGroup.CONTRACTOR, "fond": StakeholderGroup.FOUNDATION,
          "brancheorganisation": StakeholderGroup.SECTOR, "forsker": StakeholderGroup.RESEARCH}
FORMS = {"fremmøde": InterviewForm.IN_PERSON, "video": InterviewForm.VIDEO, "telefon": InterviewForm.PHONE}
CONSENTS = {"citater uden navn": ConsentScope.ANONYMOUS_QUOTES, "kun internt brug": ConsentScope.INTERNAL_ONLY}
# Who in the register an interviewee of each group is drawn from: organisation kind, member or not.
REGISTER_MATCH: dict[str, dict[str, Any]] = {
    StakeholderGroup.MEMBER: {"organisation__kind": OrganisationKind.HOUSING, "organisation__is_member": True},
    StakeholderGroup.RESIDENT_DEMOCRAT: {"organisation__kind": OrganisationKind.HOUSING,
                                         "segment": "Organisationsbestyrelse"},
    StakeholderGroup.MUNICIPALITY: {"organisation__kind": OrganisationKind.MUNICIPALITY},
    StakeholderGroup.ADVISER: {"organisation__kind": OrganisationKind.ADVISER},
    StakeholderGroup.CONTRACTOR: {"organisation__kind": OrganisationKind.CONTRACTOR},
    StakeholderGroup.FOUNDATION: {"organisation__kind": OrganisationKind.FOUNDATION},
    StakeholderGroup.SECTOR: {"organisation__kind": OrganisationKind.SECTOR},
    StakeholderGroup.RESEARCH: {"organisation__kind": OrganisationKind.RESEARCH},
}

def interviews_build(*, rng: random.Random, process: StrategyProcess, actor: Any, users: dict[str, Any],
                     report: Any) -> None:
    codes: dict[str, Code] = {}
    for demo_code in CODEBOOK:
        codes[demo_code.key] = coding_services.code_create(
            process=process, actor=actor, name=demo_code.name, parent=codes.get(demo_code.parent),
            description=demo_code.description, keywords=demo_code.keywords)
    coding_services.memo_add(process=process, actor=users["analyst"], code=codes["kontingent"],
                             text="Små medlemmer i Jylland tvivler på værdien; store medlemmer vil betale mere for "
                                  "benchmarking. Se også Digitalisering.")
    coding_services.memo_add(process=process, actor=users["analyst"], code=codes["synlighed"],
                             text="Næsten alle uden for medlemskredsen kender ikke AlmenNet. Gennemgående tema.")
    first_guide = interview_services.guide_save(process=process, actor=actor, title=GUIDE_TITLE, text=GUIDE_V1,
                                                note="Første udkast til pilotinterviews")
    guide = interview_services.guide_save(process=process, actor=actor, title=GUIDE_TITLE, text=GUIDE_V2,
                                          note="Synlighed og værdi for pengene tilføjet efter pilotinterviews")
    analyst, second = users["analyst"], users["secretariat"]
    used_people: set[int] = set()
    interviews = demo_interviews()
    for number, demo in enumerate(interviews, start=1):
        header = demo.header
        group = GROUPS[header["gruppe"]]
        held = date.fromisoformat(header["dato"])
        interview = interview_services.interview_create(
            process=process, actor=actor, label=demo.label, group=group,
            person=_register_person(rng, process, group, used_people),
            description=f"{header['rolle']}, {header['organisation']}", interviewer=header["interviewer"],
            date=held, form=FORMS[header["form"]], status=InterviewStatus.CONDUCTED,
            consent=CONSENTS[header["samtykke"]], consent_date=held,
            guide=first_guide if number <= 2 else guide)
        interview = interview_services.transcript_paste(interview=interview, actor=actor, text=demo.text)
        document = interview.document
        assert document is not None
        coded_turns = [turn for turn in demo.turns if turn.codes]
        for turn in coded_turns:
            coding_services.coding_apply(document=document, actor=analyst, codes=[codes[key] for key in turn.codes],
                                         start=turn.start, end=turn.end)
        for turn in rng.sample(coded_turns, k=min(2, len(coded_turns))):
            if header["samtykke"] == "citater uden navn":
                quote = document.codings.filter(start=turn.start, coder_name=analyst.get_username()).first()
                if quote is not None:
                    coding_services.coding_quote_set(coding=quote, actor=analyst, quote=True)
        if demo.label in DOUBLE_CODED:
            for turn in coded_turns:
                for key, start, end in second_coder_ranges(rng, demo, turn):
                    coding_services.coding_apply(document=document, actor=second, codes=[codes[key]], start=start,
                                                 end=end)
        report(number, len(interviews))


def _register_person(rng: random.Random, process: StrategyProcess, group: str, used: set[int]) -> Person | None:
    candidates = list(Person.objects.filter(process=process, erased_at__isnull=True, **REGISTER_MATCH[group])
                      .exclude(pk__in=used).order_by("pk").values_list("pk", flat=True)[:200])
    if not candidates:
        return None
    chosen = rng.choice(candidates)
    used.add(chosen)
    return Person.objects.get(pk=chosen)
