"""The condition language of survey skip logic and answer constraints: the XLSForm subset Evidens supports.

    ${name}                      the answer to question ``name``
    .                            the answer being checked (in constraints)
    = != < <= > >=               comparisons: numbers compare as numbers, anything else as text
    and  or  not(...)            logic, ``and`` binding tighter than ``or``
    selected(${name}, 'value')   whether a multiple-choice answer includes ``value``
    count-selected(${name})      how many choices a multiple-choice answer holds
    'text'  "text"  12  3.5      literals
    ( ... )                      grouping

One parser serves the respondent form and the server's validation, so they cannot disagree.
``parse`` rejects a malformed expression with the position (0-based, in characters) of the error;
``evaluate`` computes a parsed expression against the answers given so far. An unanswered question
reads as the empty text, as in XLSForm, so ``${q} = ''`` tests for "no answer".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class ExpressionError(ValueError):
    """A malformed expression; ``position`` is where in the text the problem is."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return _("%(message)s (at character %(position)s)") % {"message": self.message,
                                                                "position": self.position + 1}


# --- the syntax tree --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    value: str | Decimal


@dataclass(frozen=True)
class Reference:
    name: str  # "" is the answer being checked (".")


@dataclass(frozen=True)
class Comparison:
    operator: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Logical:
    operator: str  # "and" | "or"
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    function: str  # "not" | "selected" | "count-selected"
    arguments: tuple[Node, ...]


Node = Literal | Reference | Comparison | Logical | Call

FUNCTIONS = {"not": 1, "selected": 2, "count-selected": 1}
# Parentheses, calls and chained "and"/"or" each make the tree one level deeper. Far beyond any real condition,
# and it keeps the parser and the evaluator (both recursive) well inside Python's recursion limit.
MAX_DEPTH = 100
COMPARISONS = ("!=", "<=", ">=", "=", "<", ">")

# --- reading the text --------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<reference>\$\{(?P<name>[A-Za-z_][\w.-]*)\})
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<text>'[^']*'|"[^"]*")
  | (?P<operator>!=|<=|>=|=|<|>)
  | (?P<word>[A-Za-z][\w-]*)
  | (?P<punctuation>[(),])
  | (?P<dot>\.)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    position: int


def _tokens(text: str) -> list[_Token]:
    tokens = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            if text[position] in "'\"":
                raise ExpressionError(_("The text is not closed with a quotation mark."), position)
            if text.startswith("${", position):
                raise ExpressionError(_("A question reference must look like ${name}."), position)
            raise ExpressionError(_("Unexpected character “%(character)s”.") % {"character": text[position]},
                                  position)
        kind = match.lastgroup or ""
        if kind == "name":  # the inner group of a reference
            kind = "reference"
        if kind != "space":
            tokens.append(_Token(kind, match.group(0), position))
        position = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.index = 0
        self.depth = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.current
        self.index += 1
        return token

    def expect(self, text: str) -> _Token:
        if self.current.text != text:
            raise ExpressionError(_("Expected “%(expected)s”.") % {"expected": text}, self.current.position)
        return self.advance()

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(_("The expression is nested too deeply."), self.current.position)

    def expression(self) -> Node:
        outer = self.depth
        self.deeper()
        node = self.conjunction()
        while self.current.kind == "word" and self.current.text == "or":
            self.advance()
            self.deeper()
            node = Logical("or", node, self.conjunction())
        self.depth = outer
        return node

    def conjunction(self) -> Node:
        outer = self.depth
        node = self.comparison()
        while self.current.kind == "word" and self.current.text == "and":
            self.advance()
            self.deeper()
            node = Logical("and", node, self.comparison())
        self.depth = outer
        return node

    def comparison(self) -> Node:
        node = self.primary()
        if self.current.kind == "operator":
            operator = self.advance().text
            node = Comparison(operator, node, self.primary())
            if self.current.kind == "operator":
                raise ExpressionError(_("Comparisons cannot be chained; join them with “and”."),
                                      self.current.position)
        return node

    def primary(self) -> Node:
        token = self.current
        if token.kind == "reference":
            self.advance()
            return Reference(token.text[2:-1])
        if token.kind == "dot":
            self.advance()
            return Reference("")
        if token.kind == "number":
            self.advance()
            return Literal(Decimal(token.text))
        if token.kind == "text":
            self.advance()
            return Literal(token.text[1:-1])
        if token.text == "(":
            self.advance()
            node = self.expression()
            self.expect(")")
            return node
        if token.kind == "word":
            return self.call()
        if token.kind == "end":
            raise ExpressionError(_("The expression ends too early."), token.position)
        raise ExpressionError(_("Unexpected “%(token)s”.") % {"token": token.text}, token.position)

    def call(self) -> Node:
        token = self.advance()
        if token.text not in FUNCTIONS:
            raise ExpressionError(_("Unknown function or word “%(word)s”.") % {"word": token.text},
                                  token.position)
        self.expect("(")
        arguments: list[Node] = []
        if self.current.text != ")":
            arguments.append(self.expression())
            while self.current.text == ",":
                self.advance()
                arguments.append(self.expression())
        closing = self.expect(")")
        if len(arguments) != FUNCTIONS[token.text]:
            expected = FUNCTIONS[token.text]
            raise ExpressionError(
                ngettext("%(function)s() takes %(expected)s argument, not %(given)s.",
                         "%(function)s() takes %(expected)s arguments, not %(given)s.", expected)
                % {"function": token.text, "expected": expected, "given": len(arguments)},
                closing.position)
        if token.text in ("selected", "count-selected") and not isinstance(arguments[0], Reference):
            raise ExpressionError(_("%(function)s() needs a question reference first.") % {"function": token.text},
                                  token.position)
        return Call(token.text, tuple(arguments))


@functools.lru_cache(maxsize=4096)
def parse(text: str) -> Node:
    """The syntax tree of ``text``, or ExpressionError with the position of the first problem.

    Cached: a page evaluates the same few conditions many times, and the trees are immutable."""
    parser = _Parser(text)
    node = parser.expression()
    if parser.current.kind != "end":
        raise ExpressionError(_("Unexpected “%(token)s”.") % {"token": parser.current.text},
                              parser.current.position)
    return node


def references(node: Node) -> set[str]:
    """The names of the questions an expression reads (not "." for the answer being checked)."""
    if isinstance(node, Reference):
        return {node.name} if node.name else set()
    if isinstance(node, Comparison | Logical):
        return references(node.left) | references(node.right)
    if isinstance(node, Call):
        return set().union(*(references(argument) for argument in node.arguments))
    return set()


# --- computing --------------------------------------------------------------------------------------

Answer = str | int | float | Decimal | list[str] | tuple[str, ...] | None


def _choices(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple | set):
        return [str(item) for item in value]
    return str(value).split()  # XLSForm keeps a multiple choice as space-separated values


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, str) and value.strip():
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return None
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(str(item) for item in value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _compare(operator: str, left: Any, right: Any) -> bool:
    if operator in ("<", "<=", ">", ">=") and "" in (_text(left), _text(right)):
        return False  # as in XLSForm: an unanswered question is neither more nor less than anything
    left_number, right_number = _number(left), _number(right)
    a: Any
    b: Any
    if left_number is not None and right_number is not None:
        a, b = left_number, right_number
    else:
        a, b = _text(left), _text(right)
    return {
        "=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b,
    }[operator]


def _truth(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    number = _number(value)
    if number is not None:
        return number != 0
    return _text(value) != ""


def evaluate(node: Node, answers: Mapping[str, Answer], current: Answer = None) -> Any:
    """The value of ``node`` for ``answers`` (question name → answer); ``current`` is what "." reads."""
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Reference):
        value = current if node.name == "" else answers.get(node.name)
        return "" if value is None else value
    if isinstance(node, Comparison):
        return _compare(node.operator, evaluate(node.left, answers, current), evaluate(node.right, answers, current))
    if isinstance(node, Logical):
        left = _truth(evaluate(node.left, answers, current))
        if node.operator == "and":
            return left and _truth(evaluate(node.right, answers, current))
        return left or _truth(evaluate(node.right, answers, current))
    if node.function == "not":
        return not _truth(evaluate(node.arguments[0], answers, current))
    chosen = _choices(evaluate(node.arguments[0], answers, current))
    if node.function == "count-selected":
        return Decimal(len(chosen))
    return _text(evaluate(node.arguments[1], answers, current)) in chosen


def holds(text_or_node: str | Node, answers: Mapping[str, Answer], current: Answer = None) -> bool:
    """Whether a condition holds; an empty condition always does (a question without skip logic)."""
    if isinstance(text_or_node, str):
        if not text_or_node.strip():
            return True
        text_or_node = parse(text_or_node)
    return _truth(evaluate(text_or_node, answers, current))
