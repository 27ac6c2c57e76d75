"""Signals of the stakeholder register: how other apps take part in erasing and exporting a person.

``person_erased`` is how other apps take part in erasing a person (GDPR art. 17). It is sent by
``services.person_erase`` *inside* its transaction, after the ``Person`` row has been anonymised, with

    sender=Person, person_id=<int>, process_id=<int>

A receiver removes or anonymises whatever its app stores about that person (interview transcripts,
survey invitations, ...). A receiver that raises makes the whole erase roll back, so the person is
never half erased. Receivers must not write the person's personal data anywhere (logs, audit trail).
"""

from __future__ import annotations

from django.dispatch import Signal

person_erased = Signal()


# ``person_data_requested`` is how other apps add what they store about a person to the person's data export
# (GDPR art. 15). ``services.person_data`` sends it with ``sender=Person, person=<Person>``; each receiver returns
# ``(key, JSON-able value)`` and the value appears under that key in the export.
person_data_requested = Signal()
