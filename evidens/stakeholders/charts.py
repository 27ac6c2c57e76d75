"""The register overview's charts, with texts in the reader's language."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from evidens.charts import specs
from evidens.stakeholders import selectors


def size_chart(bands: list[selectors.SizeBandRow]) -> specs.Spec | None:
    if not bands:
        return None
    members, others = _("Members"), _("Non-members")
    rows = [row for band in bands for row in (
        {"band": band.band, "count": band.members, "membership": members},
        {"band": band.band, "count": band.non_members, "membership": others},
    )]
    return specs.bar_chart(rows, "count", "band", color="membership", colour_domain=[members, others],
                           colour_range=[specs.PRIMARY, specs.MUTED_COLOUR],
                           sort=[band.band for band in bands], locale=specs.locale_for(get_language()),
                           labels=specs.ChartLabels(
                               description=_("Housing organisations by number of homes, members and non-members."),
                               x=_("Organisations"), y=_("Homes in the organisation"),
                               legend=_("Membership")))


def segment_chart(segments: list[selectors.SummaryRow]) -> specs.Spec | None:
    if not segments:
        return None
    rows = [{"segment": row.label, "people": row.count} for row in segments]
    return specs.bar_chart(rows, "people", "segment", locale=specs.locale_for(get_language()),
                           labels=specs.ChartLabels(description=_("People in the register by segment."),
                                                    x=_("People")))
