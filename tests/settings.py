"""The production settings, with static files served from the app folders: tests do not run collectstatic."""

from evidens.settings import *  # noqa: F403
from evidens.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
