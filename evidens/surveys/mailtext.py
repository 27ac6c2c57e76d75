"""The texts of invitations and reminders: placeholders, checking them, filling them in.

A placeholder is a word in braces, ``{navn}``; Danish names because the secretariat writes the
templates in Danish. An unknown placeholder is refused when the template is saved, so no recipient
ever receives a literal ``{nvan}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PLACEHOLDERS = {
    "navn": gettext_lazy("the recipient's full name"),
    "fornavn": gettext_lazy("the recipient's first name"),
    "organisation": gettext_lazy("the recipient's organisation"),
    "titel": gettext_lazy("the survey's title"),
    "link": gettext_lazy("the personal link to the survey"),
    "frist": gettext_lazy("the closing date of the survey"),
    "afmeld": gettext_lazy("the link that stops further mail about this survey"),
    "afsender": gettext_lazy("the sender's name"),
}
_PLACEHOLDER = re.compile(r"\{([^{}\s]*)\}")

DEFAULT_INVITATION_SUBJECT = "{titel}: vil du hjælpe os?"
DEFAULT_INVITATION_BODY = """Kære {navn}

Vi vil gerne høre din mening. Dine svar indgår i arbejdet med vores strategi, og det tager omkring
10 minutter at svare.

Dit personlige link:
{link}

Du kan holde pause og fortsætte senere via samme link. Undersøgelsen lukker {frist}.

Venlig hilsen
{afsender}

Ønsker du ikke flere mails om denne undersøgelse: {afmeld}
"""
DEFAULT_REMINDER_SUBJECT = "Påmindelse: {titel}"
DEFAULT_REMINDER_BODY = """Kære {navn}

Vi mangler stadig dit svar. Har du allerede svaret en del, fortsætter linket, hvor du slap:
{link}

Undersøgelsen lukker {frist}.

Venlig hilsen
{afsender}

Ønsker du ikke flere mails om denne undersøgelse: {afmeld}
"""


def unknown_placeholders(text: str) -> list[str]:
    return sorted({name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})


def template_problem(text: str) -> str:
    """A message for the secretariat about placeholders that would not be filled in, or ""."""
    unknown = unknown_placeholders(text)
    if not unknown:
        return ""
    return _("Unknown placeholder: %(names)s. Use %(known)s.") % {
        "names": ", ".join(f"{{{name}}}" for name in unknown),
        "known": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
    }


def fill(text: str, values: Mapping[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)
