"""What a channel's page says after handing a view to the evidence base: one message, with a link to the item."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from evidens.evidence.models import EvidenceItem


def evidence_saved_message(request: HttpRequest, item: EvidenceItem) -> None:
    link = format_html('<a href="{}">{}</a>', reverse("evidence:item_detail", args=[item.process.slug, item.pk]),
                       item.title)
    messages.success(request, format_html(_("Saved as evidence: {title} (version {version})."), title=link,
                                          version=item.version))
