"""The condition language under arbitrary input: a tree or an ``ExpressionError`` with a position inside the
text, never another exception; printed trees read back as themselves; evaluation never fails."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from evidens.surveys import expressions
from evidens.surveys.expressions import (
    MAX_DEPTH,
    Call,
    Comparison,
    ExpressionError,
    Literal,
    Logical,
    Node,
    Reference,
    evaluate,
    holds,
    parse,
)

MODEST = settings(max_examples=150, deadline=2000)

# Text made of the language's own pieces, so the parser gets past the first character often.
PIECES = st.sampled_from(["${a}", "${b_2}", ".", "=", "!=", "<", ">=", "and", "or", "not(", "selected(",
                          "count-selected(", "(", ")", ",", "'x'", '"y"', "12", "3.5", " ", "${", "'", "$", "@"])


def _check(text: str) -> None:
    try:
        node = parse(text)
    except ExpressionError as error:
        assert 0 <= error.position <= len(text)
        assert str(error)  # worded, with the position
        return
    evaluate(node, {})


@MODEST
@given(st.text(max_size=200))
def test_any_text_parses_or_raises_expression_error(text: str) -> None:
    _check(text)


@MODEST
@given(st.lists(PIECES, max_size=40).map("".join))
def test_any_sequence_of_tokens_parses_or_raises_expression_error(text: str) -> None:
    _check(text)


@pytest.mark.parametrize("text", [
    "(" * 5000 + "1" + ")" * 5000,
    "not(" * 3000 + "1" + ")" * 3000,
    "1 or " * 20000 + "1",
    "1 and " * 20000 + "1",
    "(" * 20000,
])
def test_deep_or_long_expressions_are_refused_not_a_recursion_error(text: str) -> None:
    with pytest.raises(ExpressionError) as raised:
        parse(text)
    assert 0 <= raised.value.position <= len(text)


def test_the_refusal_says_why_and_where() -> None:
    with translation.override("en"):
        with pytest.raises(ExpressionError) as raised:
            parse("(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1))
        assert str(raised.value) == "The expression is nested too deeply. (at character 101)"


def test_nesting_up_to_the_limit_still_reads_and_evaluates() -> None:
    depth = MAX_DEPTH - 1
    node = parse("(" * depth + "${a} = 1" + ")" * depth)
    assert holds(node, {"a": "1"})
    chain = parse(" or ".join(["${a} = 2"] * (MAX_DEPTH - 1) + ["${a} = 1"]))
    assert holds(chain, {"a": 1}) and not holds(chain, {"a": 3})


# --- printing a tree and reading it back ----------------------------------------------------------------------

NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.-]{0,8}", fullmatch=True)
TEXTS = st.text(st.characters(blacklist_characters="'", blacklist_categories=["Cs"]), max_size=10)
NUMBERS = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)

OPERANDS = st.one_of(
    NAMES.map(Reference), st.just(Reference("")), TEXTS.map(Literal), NUMBERS.map(Literal),
    NAMES.map(lambda name: Call("count-selected", (Reference(name),))),
)


def _trees(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    return st.one_of(
        st.builds(Comparison, st.sampled_from(expressions.COMPARISONS), OPERANDS, OPERANDS),
        st.builds(Logical, st.sampled_from(["and", "or"]), children, children),
        children.map(lambda node: Call("not", (node,))),
        st.builds(lambda name, value: Call("selected", (Reference(name), Literal(value))), NAMES, TEXTS),
    )


TREES = st.recursive(OPERANDS, _trees, max_leaves=12)


def _printed(node: Node) -> str:
    """The text of a tree, every compound part in parentheses (the reference printer for this test)."""
    if isinstance(node, Literal):
        return f"'{node.value}'" if isinstance(node.value, str) else format(node.value, "f")
    if isinstance(node, Reference):
        return "${" + node.name + "}" if node.name else "."
    if isinstance(node, Comparison | Logical):
        return f"({_printed(node.left)} {node.operator} {_printed(node.right)})"
    return f"{node.function}({', '.join(_printed(argument) for argument in node.arguments)})"


@MODEST
@given(TREES)
def test_a_printed_tree_reads_back_as_itself(node: Node) -> None:
    assert parse(_printed(node)) == node


@MODEST
@given(TREES, st.dictionaries(NAMES, st.one_of(st.none(), st.text(max_size=10), st.integers(), st.floats(),
                                               st.decimals(allow_nan=False), st.lists(st.text(max_size=5))),
                              max_size=5),
       st.one_of(st.none(), st.text(max_size=10), st.integers()))
def test_evaluation_never_fails_on_any_answers(node: Node, answers: dict[str, object], current: object) -> None:
    result = evaluate(node, answers, current)  # type: ignore[arg-type]  # answers of every kind, typed or not
    if isinstance(node, Comparison | Logical) or (isinstance(node, Call) and node.function != "count-selected"):
        assert isinstance(result, bool)


def test_numbers_read_as_decimals() -> None:
    assert parse("3.5") == Literal(Decimal("3.5"))
