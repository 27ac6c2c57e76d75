"""``evidens createuser USERNAME``: a login, optionally with a role in one process."""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp, error_text
from evidens.processes.models import Role, StrategyProcess
from evidens.processes.services import membership_set, user_create

PASSWORD_ENV = "EVIDENS_PASSWORD"  # noqa: S105 - the name of a variable, not a password


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop(
        "Create a user. The password comes from --password, the environment variable "
        "EVIDENS_PASSWORD, or a prompt (in that order); --process SLUG --role ROLE adds the user to a process."
    ))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help=_("the name to log in with"))
        parser.add_argument("--email", default="", help=_("e-mail address"))
        parser.add_argument("--first-name", default="", help=_("first name"))
        parser.add_argument("--last-name", default="", help=_("last name"))
        parser.add_argument("--password", help=_("visible in the shell history; prefer EVIDENS_PASSWORD"))
        parser.add_argument("--process", metavar="SLUG", help=_("short name of a process to join"))
        parser.add_argument("--role", choices=[role.value for role in Role], help=_("role in that process"))

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        slug: str | None = options["process"]
        role: str | None = options["role"]
        if bool(slug) != bool(role):
            raise CommandError(_("--process and --role go together."))
        user_model = get_user_model()
        # Check everything that can be checked before asking for the password.
        self._process(slug)
        if user_model._default_manager.filter(username=username).exists():
            raise CommandError(_("A user named %(username)s already exists.") % {"username": username})
        password = self._password(options["password"])
        candidate = user_model(username=username, email=options["email"],
                               first_name=options["first_name"], last_name=options["last_name"])
        try:
            validate_password(password, user=candidate)
            with transaction.atomic():
                user = user_create(username=username, password=password, email=options["email"],
                                   first_name=options["first_name"], last_name=options["last_name"])
                process = self._process(slug)
                if process is not None and role is not None:
                    membership_set(process=process, actor=None, user=user, role=role)
        except ValidationError as error:
            raise CommandError(error_text(error, user_model)) from None
        if process is not None and role is not None:
            self.stdout.write(_("Created user %(username)s as %(role)s in %(process)s.") % {
                "username": username, "role": Role(role).label, "process": slug})
        else:
            self.stdout.write(_("Created user %(username)s.") % {"username": username})

    def _process(self, slug: str | None) -> StrategyProcess | None:
        if not slug:
            return None
        try:
            return StrategyProcess.objects.get(slug=slug)
        except StrategyProcess.DoesNotExist:
            raise CommandError(
                _("There is no process with the short name %(slug)s; nothing was created.") % {"slug": slug}
            ) from None

    def _password(self, given: str | None) -> str:
        if given:
            return given
        from_env = os.environ.get(PASSWORD_ENV)
        if from_env:
            return from_env
        if not sys.stdin.isatty():
            raise CommandError(
                _("No password: pass --password, set %(variable)s, or run in a terminal.")
                % {"variable": PASSWORD_ENV}
            )
        password = getpass.getpass(_("Password: "))
        if password != getpass.getpass(_("Password (again): ")):
            raise CommandError(_("The passwords do not match; nothing was created."))
        if not password:
            raise CommandError(_("An empty password is not allowed."))
        return password
