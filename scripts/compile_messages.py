"""Compile the translation catalogues with polib, so no GNU gettext is needed to build them.

    python scripts/compile_messages.py           write every evidens/locale/*/LC_MESSAGES/*.mo
    python scripts/compile_messages.py --check   fail when an entry is untranslated or fuzzy, a
                                                 placeholder differs from the English, a .mo is
                                                 missing or stale, or the code has strings the
                                                 catalogue lacks (extracted into a scratch copy
                                                 with makemessages, which needs GNU gettext)
"""

from __future__ import annotations

import argparse
import gettext
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "evidens"
LOCALE_DIR = PACKAGE_DIR / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]|%[sdifr]|\{(\w*)\}")


def catalogues(locale_dir: Path) -> list[Path]:
    return sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))


def placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


def entry_problems(po_path: Path, po: polib.POFile) -> list[str]:
    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        where = f"{po_path}:{entry.linenum}"
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: fuzzy: {entry.msgid!r}")
        elif not entry.translated():
            problems.append(f"{where}: untranslated: {entry.msgid!r}")
        elif "python-format" in entry.flags or "python-brace-format" in entry.flags:
            if entry.msgid_plural:
                # A form may leave out the number ("én fil"), but never add a placeholder.
                allowed = set(placeholders(entry.msgid)) | set(placeholders(entry.msgid_plural))
                for target in entry.msgstr_plural.values():
                    if not set(placeholders(target)) <= allowed:
                        problems.append(f"{where}: unknown placeholder in {target!r}")
            elif placeholders(entry.msgstr) != placeholders(entry.msgid):
                problems.append(f"{where}: placeholders differ from the English: {entry.msgid!r}")
    return problems


def compiled_catalogue(data: bytes) -> dict[object, str]:
    catalogue = dict(gettext.GNUTranslations(io.BytesIO(data))._catalog)  # type: ignore[attr-defined]
    catalogue.pop("", None)  # the header; its field order differs between compilers
    return catalogue


def check(locale_dir: Path) -> int:
    paths = catalogues(locale_dir)
    if not paths:
        print(f"No catalogues under {locale_dir}.", file=sys.stderr)
        return 1
    problems: list[str] = []
    for po_path in paths:
        po = polib.pofile(str(po_path))
        problems.extend(entry_problems(po_path, po))
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists():
            problems.append(f"{mo_path}: missing; run `make messages`")
        elif compiled_catalogue(mo_path.read_bytes()) != compiled_catalogue(po.to_binary()):
            problems.append(f"{mo_path}: stale, it does not match {po_path.name}; run `make messages`")
        else:
            print(f"{po_path}: {len(po.translated_entries())} entries, complete and compiled.")
    if locale_dir == LOCALE_DIR:
        problems.extend(strings_not_in_catalogue())
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def strings_not_in_catalogue() -> list[str]:
    """Extract the code's strings into a scratch copy of the package and report what the catalogue lacks."""
    if shutil.which("xgettext") is None:
        return ["xgettext is missing, so new strings cannot be found: apt-get install gettext"]
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "evidens"
        shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo"))
        environment = {**os.environ, "EVIDENS_DATA_DIR": str(Path(scratch) / "data"),
                       "DJANGO_SETTINGS_MODULE": "evidens.settings"}
        subprocess.run([sys.executable, "-m", "evidens", "makemessages", "--all", "--no-obsolete",
                        "--verbosity", "0"], cwd=copy, env=environment, check=True)
        problems = []
        for po_path in catalogues(copy / "locale"):
            po = polib.pofile(str(po_path))
            for entry in po.untranslated_entries() + po.fuzzy_entries():
                problems.append(f"{po_path.relative_to(copy)}: not in the catalogue: {entry.msgid!r}; "
                                "run `make messages` and translate it")
        return problems


def compile_all(locale_dir: Path) -> int:
    paths = catalogues(locale_dir)
    for po_path in paths:
        po = polib.pofile(str(po_path))
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
        missing = len(po.untranslated_entries()) + len(po.fuzzy_entries())
        note = f"; {missing} untranslated or fuzzy entries left out" if missing else ""
        print(f"{po_path.with_suffix('.mo')}: {len(po.translated_entries())} entries{note}.")
    if not paths:
        print(f"No catalogues under {locale_dir}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="check instead of compiling")
    parser.add_argument("--locale-dir", type=Path, default=LOCALE_DIR)
    args = parser.parse_args(argv)
    return check(args.locale_dir) if args.check else compile_all(args.locale_dir)


if __name__ == "__main__":
    sys.exit(main())
