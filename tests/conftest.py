"""A fixed cast: one process with a member of every role, another process with its own member,
and a user who belongs to nothing. Every view test can check authorisation against it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from evidens.processes import services as process_services
from evidens.processes.models import Role, StrategyProcess

PASSWORD = "correct horse battery staple"

# Property tests run beside others on two cores: no deadline. In CI the examples are drawn from a fixed seed,
# so a run can be repeated; elsewhere they vary from run to run and find new cases.
hypothesis_settings.register_profile("evidens", deadline=None, derandomize=bool(os.environ.get("CI")),
                                     print_blob=True)
hypothesis_settings.load_profile("evidens")


@dataclass
class Cast:
    process: StrategyProcess
    other_process: StrategyProcess
    users: dict[str, Any]
    outsider: Any
    other_member: Any


@pytest.fixture
def cast(db: None) -> Cast:
    process = process_services.process_create(slug="proc", name="Strategiproces 2030", organisation="Foreningen")
    other = process_services.process_create(slug="other", name="Anden proces", organisation="Anden forening")
    users = {}
    for role in Role:
        user = process_services.user_create(username=f"u-{role.value}", password=PASSWORD)
        process_services.membership_set(process=process, actor=None, user=user, role=role.value)
        users[role.value] = user
    other_member = process_services.user_create(username="u-other", password=PASSWORD)
    process_services.membership_set(process=other, actor=None, user=other_member, role=Role.SECRETARIAT)
    outsider = process_services.user_create(username="u-outsider", password=PASSWORD)
    return Cast(process=process, other_process=other, users=users, outsider=outsider, other_member=other_member)


@pytest.fixture
def client_for(client: Any) -> Any:
    """``client_for(user)`` returns the test client logged in as that user."""

    def login(user: Any) -> Any:
        client.force_login(user)
        return client

    return login


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    """Background tasks run at once, inside the request that queues them (after its commit)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _installation_language() -> Iterator[None]:
    """Each test starts in the installation's language. The middleware activates a request's language and
    leaves it active in the thread, so a request with the English cookie would hand English to the next test
    on the same worker (which test that is depends on how the files are shared out between workers)."""
    with translation.override(django_settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _isolated_files(settings: Any, tmp_path: Any) -> None:
    """Uploaded files, analytics files and job progress of a test go to its own folder, never into ./var."""
    settings.DATA_DIR = tmp_path / "fixture-data-dir"
    settings.DATA_DIR.mkdir()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ANALYTICS_ROOT = tmp_path / "analytics"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any, request: Any) -> None:
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
