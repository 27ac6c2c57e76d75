"""Handing the archive to the evidence base: the overview of documents per year and type, a search's hits, or a
passage of one document, each frozen as the page shows it now."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evidens.archive import charts, engagement, search, selectors
from evidens.archive.choices import ActivityKind, ActivityStatus
from evidens.archive.models import ArchiveDocument, DocumentType, Theme
from evidens.charts import specs
from evidens.evidence.models import Channel, EvidenceItem
from evidens.evidence.services import evidence_item_save
from evidens.processes.models import StrategyProcess

SEARCH_HITS = 20


def _filter_text(process: StrategyProcess, filters: search.Filters) -> list[str]:
    """The filters that are set, in words, as the evidence page lists them."""
    words = []
    if filters.doc_type:
        words.append(_("Type: %(type)s") % {"type": DocumentType(filters.doc_type).label})
    if filters.year:
        words.append(_("Year: %(year)s") % {"year": filters.year})
    theme = Theme.objects.filter(process=process, pk=filters.theme_id).first() if filters.theme_id else None
    if theme is not None:
        words.append(_("Theme: %(theme)s") % {"theme": theme.name})
    return words


def _params(query: str, filters: search.Filters) -> str:
    return urlencode({name: value for name, value in (("q", query), ("type", filters.doc_type),
                                                      ("year", filters.year or ""), ("theme", filters.theme_id or ""))
                      if value})


def overview_save(*, process: StrategyProcess, actor: Any, filters: search.Filters) -> EvidenceItem:
    counts = selectors.per_year_and_type(process, filters)
    rows = [[year, str(DocumentType(doc_type).label), n] for (year, doc_type), n in sorted(counts.items())]
    return evidence_item_save(
        process=process, actor=actor, channel=Channel.ARCHIVE, title=_("Archive: documents per year and type"),
        source_key=f"archive:overview:{_params('', filters)}",
        definition={"filters": _filter_text(process, filters),
                    "counting": _("Searchable documents with a date, by the year of their date.")},
        result={"headings": [_("Year"), _("Type"), _("Documents")], "rows": rows},
        chart=charts.per_year_chart(counts),
        link=f"{reverse('archive:list', args=[process.slug])}?{_params('', filters)}")


def search_save(*, process: StrategyProcess, actor: Any, query: str, filters: search.Filters) -> EvidenceItem:
    results = search.search(process, query, filters=filters, limit=SEARCH_HITS, count_cap=None)
    if not results.total:
        raise ValueError("no hits")
    rows = [[hit.document.title, hit.document.date, str(hit.document.get_doc_type_display()),
             strip_tags(hit.snippet)] for hit in results.hits]
    return evidence_item_save(
        process=process, actor=actor, channel=Channel.ARCHIVE,
        title=_("Archive search: %(query)s") % {"query": query}, source_key=f"archive:search:{_params(query, filters)}",
        definition={"query": query, "filters": _filter_text(process, filters),
                    "ranking": _("Danish stems, all words required, title weighted four times the text.")},
        result={"headings": [_("Title"), _("Date"), _("Type"), _("Passage")], "rows": rows,
                "notes": [_("%(total)s documents found; the first %(shown)s are shown.")
                          % {"total": results.total, "shown": len(rows)}]},
        link=f"{reverse('archive:search', args=[process.slug])}?{_params(query, filters)}")


def passage_save(*, document: ArchiveDocument, actor: Any, passage: str) -> EvidenceItem:
    """A passage exactly as it stands in the document's text (white space may differ)."""
    wanted = " ".join(passage.split())
    flat = " ".join(document.text.split())
    position = flat.find(wanted)
    if not wanted or position < 0:
        raise ValueError("not in the text")
    return evidence_item_save(
        process=document.process, actor=actor, channel=Channel.ARCHIVE,
        title=_("Archive: %(title)s") % {"title": document.title},
        source_key=f"archive:passage:{document.sha256}:{position}:{len(wanted)}",
        definition={"document": document.title, "date": document.date, "type": document.get_doc_type_display(),
                    "file": document.original_name},
        result={"text": wanted, "attribution": f"{document.title}, {document.date or ''}".rstrip(", ")},
        link=reverse("archive:detail", args=[document.process.slug, document.pk]))


ACTIVITY_VIEWS = ("per_year", "engagement", "reach", "kinds", "change", "events")


def _percent(share: float | None) -> float | None:
    value = engagement.percent(share)
    return None if value is None else round(value, 1)


def _period_text(overview: selectors.ActivityOverview) -> str:
    if overview.start is None and overview.end is None:
        return _("All activities in the records.")
    return _("Activities from %(start)s to %(end)s.") % {"start": overview.start or "…", "end": overview.end or "…"}


def _activity_table(process: StrategyProcess, view: str, overview: selectors.ActivityOverview
                    ) -> tuple[str, dict[str, Any], specs.Spec | None]:
    if view == "per_year":
        return (_("Activities per year and type"), {
            "headings": [_("Year"), _("Type"), _("Held"), _("Cancelled"), _("Registrations"), _("Participants")],
            "rows": [[row.year, str(ActivityKind(row.kind).label), row.held, row.cancelled, row.registrations,
                      row.participants] for row in overview.per_year]},
            charts.activities_per_year_chart(overview.per_year))
    if view == "engagement":
        return (_("Activities: engagement of the member organisations"), {
            "headings": [_("Group"), _("Member organisations"), _("Organisations (activities taken part in)")],
            "rows": [[str(ENGAGEMENT_LABELS[group]), len(rows),
                      ", ".join(f"{member.name} ({count})" for member, count in rows)]
                     for group, rows in overview.groups.items()]}, None)
    if view == "events":
        return (_("Activities: participants per activity"), {
            "headings": [_("Date"), _("Title"), _("Type"), _("Status"), _("Registrations"), _("Participants")],
            "rows": [[day, title, str(ActivityKind(kind).label), str(ActivityStatus(status).label), registrations,
                      participants]
                     for day, title, kind, status, registrations, participants in selectors.activity_table(process)]},
            None)
    if view == "reach":
        return (_("Activities: reach among the member organisations"), {
            "headings": [_("Group"), _("Member organisations"), _("Took part"), _("Share (%)")],
            "rows": [[row.group, row.members, row.reached, _percent(row.share)]
                     for row in [*overview.by_region, *overview.by_size]]},
            charts.reach_chart(overview.by_region, _("region")))
    if view == "kinds":
        return (_("Activities: the kinds of offers the member organisations use"), {
            "headings": [_("Type"), _("Member organisations"), _("Share (%)")],
            "rows": [[kind.label, kind.members, _percent(kind.share)] for kind in overview.kinds]},
            charts.kinds_chart(overview.kinds))
    change = overview.change
    if change is None:
        raise ValueError("no activities")
    measures = (
        (_("Months"), "months"), (_("Held activities per month"), "held_per_month"),
        (_("Participants per held activity"), "participants_per_activity"),
        (_("Cancelled share (%)"), "cancelled_share"), (_("Online share (%)"), "online_share"),
        (_("Organisations taking part"), "organisations"))

    def value(figures: engagement.PeriodFigures, name: str) -> Any:
        number = getattr(figures, name)
        if name.endswith("_share"):
            return _percent(number)
        return round(number, 1) if isinstance(number, float) else number

    return (_("Activities before and after %(date)s") % {"date": date_format(change.cutoff, "F Y")}, {
        "headings": [_("Measure"), _("Before"), _("After")],
        "rows": [[label, value(change.before, name), value(change.after, name)] for label, name in measures]},
        charts.activity_months_chart(change))


ENGAGEMENT_LABELS = {engagement.ACTIVE: gettext_lazy("active (3 or more activities)"),
                     engagement.OCCASIONAL: gettext_lazy("occasional (1–2 activities)"),
                     engagement.NEVER: gettext_lazy("not taken part (0 activities)")}


def activity_view_save(*, process: StrategyProcess, actor: Any, view: str, overview: selectors.ActivityOverview,
                       query: str) -> EvidenceItem:
    title, result, chart = _activity_table(process, view, overview)
    return evidence_item_save(
        process=process, actor=actor, channel=Channel.ARCHIVE, title=title,
        source_key=f"archive:activities:{view}:{query}",
        definition={"period": _period_text(overview),
                    "counting": _("An organisation took part when someone from it registered for a held activity "
                                  "and was not recorded as absent. Member organisations are those marked as "
                                  "members in the register.")},
        result=result, chart=chart, link=f"{reverse('archive:activities', args=[process.slug])}?{query}")
