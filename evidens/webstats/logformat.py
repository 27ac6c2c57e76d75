"""Access-log formats: the named ones and format strings in Apache's or nginx's own syntax.

A format becomes a regular expression (RE2 syntax, for DuckDB's ``regexp_extract``) with one group
per field that web statistics use; every other directive is matched and thrown away. The two formats
nearly every server writes, ``combined`` and ``common``, are also recognised by their layout, so the
warehouse can cut them by their quotation marks instead (about three times as fast) and keep the
regular expression for the lines that cutting cannot read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

COMBINED = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"'
COMMON = '%h %l %u %t "%r" %>s %b'
NGINX_COMBINED = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" ' \
                 '"$http_user_agent"'
NAMED_FORMATS = {"combined": COMBINED, "common": COMMON}
_METACHARACTERS = re.compile(r"([\\.^$|?*+()\[\]{}])")

# The fields a log may give; ``time`` in Apache's %t layout, ``time_iso`` as ISO 8601.
FIELDS = ("host", "user", "time", "time_iso", "request", "method", "path", "query", "protocol", "status",
          "bytes", "referrer", "agent")

_APACHE_FIELDS = {
    "h": "host", "a": "host", "u": "user", "t": "time", "r": "request", "s": "status", ">s": "status",
    "<s": "status", "b": "bytes", "B": "bytes", "O": "bytes", "m": "method", "U": "path", "q": "query",
    "H": "protocol",
}
_APACHE_HEADERS = {"referer": "referrer", "user-agent": "agent"}
_NGINX_FIELDS = {
    "remote_addr": "host", "remote_user": "user", "time_local": "time", "time_iso8601": "time_iso",
    "request": "request", "status": "status", "body_bytes_sent": "bytes", "bytes_sent": "bytes",
    "http_referer": "referrer", "http_user_agent": "agent", "request_method": "method", "request_uri": "path",
    "uri": "path", "args": "query", "server_protocol": "protocol",
}
# One token of a format string: an Apache directive (%h, %>s, %{User-Agent}i, %{%d/%b}t), an nginx
# variable ($remote_addr, ${status}) or a literal character.
_TOKEN = re.compile(r"%(?:\{([^}]*)\})?([<>]?)([a-zA-Z%^])|\$\{?([a-zA-Z_][a-zA-Z0-9_]*)\}?|(.)", re.DOTALL)


class LogFormatError(ValueError):
    """A format string that cannot describe an access log; the message is in the user's language."""


@dataclass(frozen=True)
class LogFormat:
    text: str                      # as the user gave it: a name or a format string
    fields: tuple[str, ...]        # the regular expression's groups, in order
    pattern: str                   # RE2 syntax, anchored at the start of the line
    layout: str | None             # "combined" or "common" when the layout allows cutting at quotes

    @property
    def has_agent(self) -> bool:
        return "agent" in self.fields


def log_format(text: str) -> LogFormat:
    """The format named ``text`` (combined, common) or written in Apache or nginx syntax."""
    spec = NAMED_FORMATS.get(text.strip().lower(), text)
    tokens = _tokens(spec)
    fields = [name for kind, name in tokens if kind == "field"]
    duplicated = sorted({name for name in fields if fields.count(name) > 1})
    if duplicated:
        raise LogFormatError(_("The format names %(fields)s more than once.") % {"fields": ", ".join(duplicated)})
    if "time" not in fields and "time_iso" not in fields:
        raise LogFormatError(_("The format has no time (%t in Apache, $time_local in nginx)."))
    if "request" not in fields and "path" not in fields:
        raise LogFormatError(_("The format has no request (%r or %U in Apache, $request in nginx)."))
    if "status" not in fields:
        raise LogFormatError(_("The format has no status code (%>s in Apache, $status in nginx)."))
    if "host" not in fields:
        raise LogFormatError(_("The format has no client address (%h in Apache, $remote_addr in nginx)."))
    pattern = _pattern(tokens)
    layout = None
    if tokens in (_tokens(COMBINED), _tokens(NGINX_COMBINED)):
        layout = "combined"
    elif tokens == _tokens(COMMON):
        layout = "common"
    return LogFormat(text=text, fields=tuple(fields), pattern=pattern, layout=layout)


def _tokens(spec: str) -> list[tuple[str, str]]:
    """The format as ("field", name), ("skip", "") and ("literal", text) tokens, literals merged."""
    if not spec.strip():
        raise LogFormatError(_("The log format is empty."))
    tokens: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(spec):
        argument, modifier, directive, variable, literal = match.groups()
        if literal is not None:
            token = ("literal", literal)
        elif variable is not None:
            token = ("field", _NGINX_FIELDS[variable]) if variable in _NGINX_FIELDS else ("skip", "")
        elif directive == "%":
            token = ("literal", "%")
        elif directive == "t" and not argument:  # Apache writes %t in brackets: [10/Oct/2000:13:55:36 -0700]
            for token in (("literal", "["), ("field", "time"), ("literal", "]")):
                _append(tokens, token, spec)
            continue
        else:
            token = _apache_token(argument, modifier + directive)
        _append(tokens, token, spec)
    return tokens


def _append(tokens: list[tuple[str, str]], token: tuple[str, str], spec: str) -> None:
    if token == ("field", "query") and tokens and tokens[-1] == ("field", "path"):
        return  # Apache's %U%q: %q starts with its "?", so the path field reads both as one address
    if token[0] == "literal" and tokens and tokens[-1][0] == "literal":
        tokens[-1] = ("literal", tokens[-1][1] + token[1])
        return
    if token[0] != "literal" and tokens and tokens[-1][0] != "literal":
        raise LogFormatError(_("Two fields follow each other with nothing between them, so a line "
                               "cannot be split: %(format)s") % {"format": spec})
    tokens.append(token)


def _apache_token(argument: str | None, directive: str) -> tuple[str, str]:
    if directive == "i" and argument is not None:
        header = _APACHE_HEADERS.get(argument.lower())
        return ("field", header) if header else ("skip", "")
    if directive == "t" and argument:
        raise LogFormatError(_("A time with its own layout (%(directive)s) is not supported; use %(plain)s.")
                             % {"directive": "%{…}t", "plain": "%t"})
    name = _APACHE_FIELDS.get(directive)
    return ("field", name) if name else ("skip", "")


def _pattern(tokens: list[tuple[str, str]]) -> str:
    parts = ["^"]
    for index, (kind, value) in enumerate(tokens):
        if kind == "literal":
            # A line cut short inside its last quoted field (a user agent with no closing quote) still
            # counts, as in GoAccess: the final literal may be missing at the end of the line.
            escaped = _escape(value)
            parts.append(f"(?:{escaped}|$)" if index == len(tokens) - 1 else escaped)
            continue
        following = tokens[index + 1][1] if index + 1 < len(tokens) else ""
        parts.append(_field_pattern(kind, following))
    return "".join(parts)


def _field_pattern(kind: str, following: str) -> str:
    if not following:
        body = ".*"
    elif following[0] == '"':
        body = r'(?:[^"\\]|\\.)*'  # Apache writes a quote inside a quoted field as \"
    else:
        body = f"[^{_escape(following[0])}]*"
    return f"({body})" if kind == "field" else f"(?:{body})"


def _escape(literal: str) -> str:
    """``literal`` as RE2 reads it (Python's ``re.escape`` also escapes spaces, which RE2 need not accept)."""
    return _METACHARACTERS.sub(r"\\\1", literal)
