from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class InstallationLanguageMiddleware(LocaleMiddleware):
    """The language chosen with the language switch, otherwise the installation's (Danish first).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a Danish secretary or
    respondent with an English browser would meet English pages.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
