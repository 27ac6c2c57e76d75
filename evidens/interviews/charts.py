"""The interview plan as a chart: interviews per stakeholder group, coloured by status."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from evidens.charts import specs
from evidens.interviews.models import InterviewStatus
from evidens.stakeholders.choices import StakeholderGroup

STATUS_COLOURS = {InterviewStatus.PLANNED: "#BAB0AC", InterviewStatus.CONDUCTED: "#F58518",
                  InterviewStatus.TRANSCRIBED: "#4C78A8", InterviewStatus.CANCELLED: "#E45756"}


def plan_chart(counts: Counter[tuple[str, str]]) -> specs.Spec | None:
    if not counts:
        return None
    groups = [str(label) for key, label in StakeholderGroup.choices if any(g == key for g, _s in counts)]
    statuses = [status for status in InterviewStatus if any(s == status for _g, s in counts)]
    rows = [{"group": str(StakeholderGroup(group).label), "status": str(InterviewStatus(status).label), "n": n}
            for (group, status), n in counts.items()]
    return specs.bar_chart(
        rows, "n", "group", color="status", colour_domain=[str(status.label) for status in statuses],
        colour_range=[STATUS_COLOURS[status] for status in statuses], sort=groups, value_labels=False,
        labels=specs.ChartLabels(description=_("Interviews per stakeholder group, by status."), x=_("Interviews"),
                                 legend=_("Status")),
        number_format=specs.COUNT_FORMAT, locale=specs.locale_for(get_language()))
