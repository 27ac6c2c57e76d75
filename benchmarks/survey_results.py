"""The full results report of a large survey, from a cold start: Evidens against pandas + SciPy on the same data.

A questionnaire of 60 questions (single and multiple choice, Likert, matrix, NPS, numbers, text) and 10,000
responses in 9 segments; the report is every question's result compared by segment, anonymous, so the small-group
folding and cell suppression run too. Each side runs in a fresh Python process (imports included, the way a
page or `evidens survey results` meets it) and reports its wall time and peak memory.

The peer computes the core of the same numbers the plain way: per choice question its shares with Wilson
intervals (statsmodels), and a pandas cross-table by segment with SciPy's chi-square test. It does no weighting,
suppression, NPS, matrix or ranking work, so it is a floor rather than an equal.

    .venv/bin/python benchmarks/survey_results.py --responses 10000 --questions 60
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SETUP = """
import os, random, resource, sys, time
started = time.perf_counter()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
sys.path.insert(0, {root!r})
import django
django.setup()
from evidens.surveys import definition as d

def survey(questions, seed=2030):
    rng = random.Random(seed)
    scale = d.likert_scale()
    made = []
    for number in range(questions):
        kind = number % 12
        name = f"q{{number}}"
        if kind in (0, 1, 2, 3):
            made.append(d.Question(name, d.SINGLE_CHOICE, {{"da": name}},
                                   choices=[d.Choice(str(v), {{"da": f"Valg {{v}}"}}) for v in range(1, 6)]))
        elif kind in (4, 5, 6):
            made.append(d.Question(name, d.LIKERT, {{"da": name}}, choices=scale, dont_know=True))
        elif kind in (7, 8):
            made.append(d.Question(name, d.MULTIPLE_CHOICE, {{"da": name}},
                                   choices=[d.Choice(f"c{{v}}", {{"da": f"Valg {{v}}"}}) for v in range(6)]))
        elif kind == 9:
            made.append(d.Question(name, d.MATRIX, {{"da": name}}, choices=scale, dont_know=True,
                                   items=[d.Item(f"i{{v}}", {{"da": f"Udsagn {{v}}"}}) for v in range(4)]))
        elif kind == 10:
            made.append(d.Question(name, d.NPS, {{"da": name}}))
        else:
            made.append(d.Question(name, d.LONG_TEXT, {{"da": name}}))
    questionnaire = d.SurveyDefinition(title={{"da": "Benchmark"}}, sections=[d.Section("s", {{"da": "S"}}, made)])
    return questionnaire, rng

def answers(questionnaire, rng, responses):
    segments = [f"Segment {{n}}" for n in range(9)]
    weights = [30, 20, 14, 10, 8, 7, 6, 4, 1]  # the last segment is small: folded for anonymity
    rows, groups = [], []
    for _ in range(responses):
        row = {{}}
        for _section, question in questionnaire.questions():
            if rng.random() < 0.08:
                continue  # not answered
            if question.type in (d.SINGLE_CHOICE, d.LIKERT):
                row[question.name] = rng.choice([c.value for c in question.choices])
            elif question.type == d.MULTIPLE_CHOICE:
                row[question.name] = [c.value for c in question.choices if rng.random() < 0.3] or ["c0"]
            elif question.type == d.MATRIX:
                row[question.name] = {{i.name: rng.choice([c.value for c in question.choices]) for i in question.items}}
            elif question.type == d.NPS:
                row[question.name] = rng.randint(0, 10)
            else:
                row[question.name] = "Et svar"
        rows.append(row)
        groups.append(rng.choices(segments, weights)[0])
    return rows, groups

questionnaire, rng = survey({questions})
rows, groups = answers(questionnaire, rng, {responses})
ready = time.perf_counter()
"""

EVIDENS = """
from evidens.surveys import results
shown = results.results(questionnaire, results.Respondents(rows, groups), results.Selection(by="segment"),
                        anonymous=True, threshold=5)
done = time.perf_counter()
assert len(shown.questions) == {questions}
"""

PEER = """
import pandas as pd
from scipy.stats import chi2_contingency
from statsmodels.stats.proportion import proportion_confint
frame = pd.DataFrame({{"segment": groups}})
for _section, question in questionnaire.questions():
    if question.type not in (d.SINGLE_CHOICE, d.LIKERT):
        continue
    values = pd.Series([row.get(question.name) for row in rows], name=question.name)
    counts = values.value_counts()
    n = int(counts.sum())
    low, high = proportion_confint(counts.to_numpy(), n, method="wilson")
    table = pd.crosstab(values, frame["segment"])
    chi2_contingency(table.to_numpy(), correction=False)
done = time.perf_counter()
"""

REPORT = """
import json
print(json.dumps({{"import_and_data": ready - started, "report": done - ready, "total": done - started,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def run(body: str, responses: int, questions: int) -> dict[str, float]:
    code = textwrap.dedent(SETUP + body + REPORT).format(root=str(ROOT), responses=responses, questions=questions)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                            timeout=1200)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, default=10000)
    parser.add_argument("--questions", type=int, default=60)
    arguments = parser.parse_args()
    from rich.console import Console
    from rich.table import Table

    measured = {"Evidens results report (by segment, anonymous)": run(EVIDENS, arguments.responses,
                                                                      arguments.questions),
                "pandas + SciPy, shares and cross-tables only": run(PEER, arguments.responses, arguments.questions)}
    table = Table(title=f"{arguments.responses:,} responses × {arguments.questions} questions, cold start")
    for heading in ("", "imports + data, s", "report, s", "process total, s", "peak memory, MB"):
        table.add_column(heading, justify="right" if heading else "left")
    for name, figures in measured.items():
        table.add_row(name, f"{figures['import_and_data']:.2f}", f"{figures['report']:.2f}",
                      f"{figures['total']:.2f}", f"{figures['peak_mb']:.0f}")
    Console().print(table)


if __name__ == "__main__":
    main()
