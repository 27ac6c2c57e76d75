"""The vendored browser libraries: present, the versions the README declares, and the same
Vega-Lite as the specs' $schema and vl-convert's server-side rendering."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import vl_convert
from django.core.management import call_command

import evidens
from evidens.charts.render import VL_CONVERT_VERSION
from evidens.charts.specs import SCHEMA_URL, VEGA_LITE_VERSION

STATIC_DIR = Path(evidens.__file__).parent / "static"
VENDOR = STATIC_DIR / "vendor"
FILES = [
    "htmx/htmx.min.js",
    "htmx/LICENSE",
    "vega/vega.min.js",
    "vega/LICENSE.vega",
    "vega/vega-lite.min.js",
    "vega/vega-lite.min.js.map",
    "vega/LICENSE.vega-lite",
    "vega/vega-embed.min.js",
    "vega/vega-embed.min.js.map",
    "vega/LICENSE.vega-embed",
]


def declared_versions() -> dict[str, str]:
    """package -> version from the table in vendor/README.md."""
    rows = re.findall(r"^\| (htmx\.org|vega|vega-lite|vega-embed) \| ([0-9.]+) \|", (VENDOR / "README.md").read_text(),
                      re.M)
    return dict(rows)


def read(path: str) -> str:
    return (VENDOR / path).read_text(encoding="utf-8")


@pytest.mark.parametrize("path", FILES)
def test_vendored_file_exists_and_is_not_empty(path: str) -> None:
    file = VENDOR / path
    assert file.is_file(), file
    assert file.stat().st_size > 500, file


def test_readme_declares_all_four_packages() -> None:
    assert set(declared_versions()) == {"htmx.org", "vega", "vega-lite", "vega-embed"}
    assert declared_versions()["htmx.org"].startswith("2.")


def test_the_files_are_the_declared_versions() -> None:
    versions = declared_versions()
    vega_lite = re.match(r'!function\(.*?"use strict";var \w+="([0-9.]+)"', read("vega/vega-lite.min.js"), re.S)
    assert vega_lite and vega_lite.group(1) == versions["vega-lite"]
    vega = re.findall(r'\.version="([0-9.]+)"', read("vega/vega.min.js"))
    assert vega == [versions["vega"]]
    assert f'"{versions["vega-embed"]}"' in read("vega/vega-embed.min.js")
    assert f'version:"{versions["htmx.org"]}"' in read("htmx/htmx.min.js")


def test_specs_browser_and_vl_convert_use_the_same_vega_lite() -> None:
    versions = declared_versions()
    assert versions["vega-lite"] == VEGA_LITE_VERSION
    assert SCHEMA_URL.endswith(f"/v{versions['vega-lite']}.json")
    assert VL_CONVERT_VERSION in vl_convert.get_vegalite_versions()
    assert versions["vega-lite"].startswith(VL_CONVERT_VERSION + ".")
    assert vl_convert.get_vega_version() == versions["vega"]
    assert vl_convert.get_vega_embed_version() == versions["vega-embed"]


def test_the_browser_builds_are_umd_bundles_needing_only_each_other() -> None:
    # vega defines window.vega; vega-lite needs vega; vega-embed needs vega and vega-lite.
    assert ").vega={})" in read("vega/vega.min.js")[:400]
    assert 'define(["exports","vega"]' in read("vega/vega-lite.min.js")[:400]
    assert 'define(["vega","vega-lite"]' in read("vega/vega-embed.min.js")[:400]


def test_source_map_references_point_at_vendored_files() -> None:
    # Django's manifest storage follows these references during collectstatic.
    for path in ("vega/vega-lite.min.js", "vega/vega-embed.min.js", "vega/vega.min.js", "htmx/htmx.min.js"):
        for target in re.findall(r"//# sourceMappingURL=(\S+)", read(path)):
            assert (VENDOR / path).parent.joinpath(target).is_file(), (path, target)


def test_collectstatic_with_the_manifest_storage_takes_every_file(settings: Any, tmp_path: Path) -> None:
    settings.STATICFILES_DIRS = [STATIC_DIR]
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for path in ("css/evidens.css", "js/evidens-charts.js", "vendor/htmx/htmx.min.js", "vendor/vega/vega.min.js",
                 "vendor/vega/vega-lite.min.js", "vendor/vega/vega-embed.min.js"):
        assert path in manifest
        assert (tmp_path / manifest[path]).is_file()
