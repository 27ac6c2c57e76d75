"""``evidens survey resume --mailing ID``: send the rest of a mailing whose worker stopped mid-way."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp
from evidens.surveys import services
from evidens.surveys.models import DeliveryStatus, Mailing


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop(
        "Resume a mailing whose sending stopped (the worker was killed): the worker sends it to those not yet "
        "reached, never a second time to anyone."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mailing", type=int, required=True, help=_("the mailing's number"))

    def handle(self, *args: Any, mailing: int, **options: Any) -> None:
        found = Mailing.objects.filter(pk=mailing).first()
        if found is None:
            raise CommandError(_("There is no mailing number %(id)s.") % {"id": mailing})
        try:
            services.mailing_resume(mailing=found, actor=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        waiting = services.mailing_audience(found).count()
        self.stdout.write(ngettext("Mailing %(id)s resumed: the worker sends it to the %(count)s recipient not yet "
                                   "reached.",
                                   "Mailing %(id)s resumed: the worker sends it to the %(count)s recipients not yet "
                                   "reached.", waiting) % {"id": mailing, "count": waiting})
        unknown = found.deliveries.filter(status=DeliveryStatus.UNKNOWN).count()
        if unknown:
            self.stdout.write(ngettext(
                "%(count)s message has an unknown outcome (the sending stopped as it was handed to the mail "
                "server); it is not sent again.",
                "%(count)s messages have an unknown outcome (the sending stopped as they were handed to the mail "
                "server); they are not sent again.", unknown) % {"count": unknown})
