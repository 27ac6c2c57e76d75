"""The survey condition language. Expected values follow XLSForm's rules, worked out by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from evidens.surveys.expressions import (
    Call,
    Comparison,
    ExpressionError,
    Literal,
    Logical,
    Reference,
    evaluate,
    holds,
    parse,
    references,
)


def test_the_tree_of_a_typical_skip_condition() -> None:
    assert parse("${member} = 'yes' and ${size} >= 1000") == Logical(
        "and",
        Comparison("=", Reference("member"), Literal("yes")),
        Comparison(">=", Reference("size"), Literal(Decimal("1000"))),
    )


def test_and_binds_tighter_than_or() -> None:
    # a or (b and c), not (a or b) and c
    assert parse("${a} = 1 or ${b} = 1 and ${c} = 1") == Logical(
        "or",
        Comparison("=", Reference("a"), Literal(Decimal(1))),
        Logical("and", Comparison("=", Reference("b"), Literal(Decimal(1))),
                Comparison("=", Reference("c"), Literal(Decimal(1)))),
    )


def test_functions_and_the_current_answer() -> None:
    assert parse("not(selected(${kanaler}, 'web'))") == Call(
        "not", (Call("selected", (Reference("kanaler"), Literal("web"))),))
    assert parse(". <= 10") == Comparison("<=", Reference(""), Literal(Decimal(10)))
    assert parse('count-selected(${k}) > 2') == Comparison(
        ">", Call("count-selected", (Reference("k"),)), Literal(Decimal(2)))


def test_references_lists_the_questions_read() -> None:
    node = parse("(${a} = 1 or selected(${b}, 'x')) and . != ${c}")
    assert references(node) == {"a", "b", "c"}


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("${a} = ", 7, "slutter for tidligt"),          # nothing after the operator
        ("${a} = 'ja", 7, "anførselstegn"),             # the quote at 7 is never closed
        ("${a} == 1", 6, "Uventet"),                    # the second "=" of "=="
        ("${a} = 1 and", 12, "slutter for tidligt"),
        ("(${a} = 1", 9, "Forventede"),                 # the missing ")" at the end
        ("${a} = 1)", 8, "Uventet"),
        ("seleted(${a}, 'x')", 0, "Ukendt"),            # a misspelt function name
        ("selected(${a})", 13, "argument"),             # the closing parenthesis of a call with 1 of 2
        ("selected('x', ${a})", 0, "spørgsmålshenvisning"),
        ("1 < ${a} < 5", 9, "kædes"),                   # a < b < c
        ("${a b} = 1", 0, "henvisning til et spørgsmål"),
        ("${a} = 1 & ${b} = 2", 9, "Uventet tegn"),
    ],
)
def test_a_malformed_expression_names_the_place_of_the_error(text: str, position: int, words: str) -> None:
    with pytest.raises(ExpressionError) as raised:
        parse(text)
    assert raised.value.position == position
    assert words in str(raised.value)
    assert f"tegn {position + 1}" in str(raised.value)  # the user counts from 1


ANSWERS: dict[str, Any] = {
    "member": "yes",
    "size": "2500",            # numbers arrive as text from the form
    "kanaler": "web kurser",   # XLSForm's space-separated multiple choice
    "netvaerk": ["drift", "byg"],
    "navn": "Åse",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${member} = 'yes'", True),
        ("${member} != 'yes'", False),
        ("${size} > 999", True),             # 2500 > 999 as numbers, though "2500" < "999" as text
        ("${size} >= 2500.0", True),
        ("${navn} < 'B'", False),            # text comparison: "Å" comes after "B"
        ("selected(${kanaler}, 'web')", True),
        ("selected(${kanaler}, 'we')", False),   # whole values only
        ("selected(${netvaerk}, 'byg')", True),
        ("count-selected(${kanaler}) = 2", True),
        ("count-selected(${ukendt}) = 0", True),
        ("${ukendt} = ''", True),            # unanswered reads as empty text
        ("${ukendt} > 3", False),
        ("not(${member} = 'no')", True),
        ("${member} = 'no' or ${size} > 1000 and selected(${kanaler}, 'kurser')", True),
        ("(${member} = 'no' or ${size} > 1000) and selected(${kanaler}, 'radio')", False),
    ],
)
def test_evaluation(text: str, expected: bool) -> None:
    assert holds(text, ANSWERS) is expected


def test_constraints_read_the_answer_being_checked() -> None:
    assert holds(". >= 0 and . <= 10", {}, current="7")
    assert not holds(". >= 0 and . <= 10", {}, current="11")
    assert not holds(". >= 0", {}, current="")    # no answer is not a number, and "" < "0" as text


def test_an_empty_condition_always_holds() -> None:
    assert holds("", {}) and holds("   ", {})


def test_count_selected_is_a_number() -> None:
    assert evaluate(parse("count-selected(${netvaerk})"), ANSWERS) == Decimal(2)


def test_an_unanswered_question_is_neither_less_nor_more_than_a_number() -> None:
    assert not holds("${q} <= 2", {})
    assert not holds("${q} > 2", {"q": ""})
    assert holds("${q} != 2", {})
    assert holds("${q} = ''", {})
