"""Charts as Vega-Lite specs (``specs``) and their rendering for paper (``render``).

Pure Python: nothing here imports Django. Templates show a spec with ``{% vega_chart %}``
(``evidens.core.templatetags.evidens_charts``); reports turn it into SVG/PNG with ``render``.
"""

from evidens.charts.specs import (
    DANISH_LOCALE,
    ENGLISH_LOCALE,
    SCHEMA_URL,
    VEGA_LITE_VERSION,
    BudgetRow,
    ChartLabels,
    PhaseRow,
    Spec,
    bar_chart,
    budget_bars,
    locale_for,
    phase_timeline,
)

__all__ = [
    "DANISH_LOCALE",
    "ENGLISH_LOCALE",
    "SCHEMA_URL",
    "VEGA_LITE_VERSION",
    "BudgetRow",
    "ChartLabels",
    "PhaseRow",
    "Spec",
    "bar_chart",
    "budget_bars",
    "locale_for",
    "phase_timeline",
]
