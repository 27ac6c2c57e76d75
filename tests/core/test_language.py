from __future__ import annotations

from typing import Any

from django.urls import reverse


def test_an_english_browser_still_gets_danish_first(client: Any, db: None) -> None:
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert "Log ind" in body and 'lang="da"' in body


def test_the_language_switch_chooses_english_and_back(client: Any, db: None) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert 'lang="en"' in client.get(reverse("login")).content.decode()
    client.post(reverse("set_language"), {"language": "da", "next": "/login/"})
    assert 'lang="da"' in client.get(reverse("login")).content.decode()


def test_an_unknown_language_cookie_falls_back_to_danish(client: Any, db: None, settings: Any) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert 'lang="da"' in client.get(reverse("login")).content.decode()
