"""Service errors shown to the user as messages on the next page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

# A broken import can name hundreds of rows; the page shows the first ones and stays readable.
MESSAGE_LIMIT = 20


def errors_to_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages[:MESSAGE_LIMIT]:
        messages.error(request, message)
