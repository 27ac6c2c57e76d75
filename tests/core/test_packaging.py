"""The installed package carries every file the source tree has: templates, static files, catalogues, data.

The suite runs from the working tree, where a file left out of ``package-data`` is still found; an installation
from the wheel (the deployment guide's ``pip install .``) would fail on it at run time.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_holds_every_file_of_the_package(tmp_path: Path) -> None:
    # A copy: setuptools builds in the source folder, and a build/ left there from before would hide a gap.
    source_copy = tmp_path / "source"
    shutil.copytree(ROOT / "evidens", source_copy / "evidens", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source_copy / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(tmp_path), str(source_copy)], check=True, capture_output=True, timeout=300)
    [wheel] = tmp_path.glob("evidens-*.whl")
    packaged = set(zipfile.ZipFile(wheel).namelist())
    source = {path.relative_to(ROOT).as_posix() for path in (ROOT / "evidens").rglob("*")
              if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"}

    assert source - packaged == set()
