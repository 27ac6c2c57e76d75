"""The activity records' fixed vocabularies: plain enums that models, forms and the file reader share."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActivityKind(models.TextChoices):
    SEMINAR = "seminar", _("seminar")
    NETWORK_MEETING = "network_meeting", _("network meeting")
    ERFA_MEETING = "erfa_meeting", _("ERFA meeting")
    COURSE = "course", _("course")
    WEBINAR = "webinar", _("webinar")
    OTHER = "other", _("other activity")


class ActivityForm(models.TextChoices):
    UNKNOWN = "", _("not stated")
    PHYSICAL = "physical", _("in person")
    ONLINE = "online", _("online")


class ActivityStatus(models.TextChoices):
    HELD = "held", _("held")
    CANCELLED = "cancelled", pgettext_lazy("activity status", "cancelled")
    PLANNED = "planned", _("planned")


class ActivityTable(models.TextChoices):
    """What one activity file holds."""

    EVENTS = "events", _("activities (events, courses, meetings)")
    REGISTRATIONS = "registrations", _("registrations and participation")
    MEMBERSHIPS = "memberships", _("memberships with start and end")


class MatchStatus(models.TextChoices):
    """How a written organisation name was tied to the register (see ``matching.py``)."""

    EXACT = "exact", _("same name")
    REMEMBERED = "remembered", _("as decided before")
    CLOSE = "close", _("close spelling")
    UNCERTAIN = "uncertain", _("uncertain: to review")
    NOT_FOUND = "not_found", _("not in the register")
    CONFIRMED = "confirmed", _("confirmed by a person")
    OUTSIDE = "outside", _("outside the register (confirmed)")
