from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
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


# No 'unsafe-inline' and no 'unsafe-eval': an injected <script>, on* attribute or style attribute does nothing.
# Charts run Vega's expression interpreter (ast: true) and htmx is told not to add its indicator <style>.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Nothing in Evidens uses these browser features; a page that is tricked into asking for them is refused.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

_STYLE_HASHES = "_evidens_csp_style_hashes"


def allow_inline_style(response: HttpResponse, css: str) -> None:
    """Let this one response's <style> element with exactly this text apply, by its hash.

    For self-contained pages (a report's HTML carries its own stylesheet); any other inline style stays blocked.
    """
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    hashes: list[str] = getattr(response, _STYLE_HASHES, [])
    setattr(response, _STYLE_HASHES, [*hashes, f"'sha256-{digest}'"])


def content_security_policy(style_hashes: list[str] | tuple[str, ...] = ()) -> str:
    directives = dict(CONTENT_SECURITY_POLICY)
    if style_hashes:
        directives["style-src"] = " ".join([directives["style-src"], *style_hashes])
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (Django 5.2 sets neither).

    A response that already carries a policy keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy", content_security_policy(getattr(response, _STYLE_HASHES, ())))
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
