"""The static site (tools/build_site.py, `make site`): an index in notebook order, a page
per notebook holding every figure the notebook saved, nothing loaded from the network,
and links that resolve."""

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("build_site", ROOT / "tools" / "build_site.py")
    build_site = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_site)
    out = tmp_path_factory.mktemp("site") / "site"
    build_site.build(out, "OWNER/REPO")
    return out


def page_of(site, path):
    return site / f"{path.stem}.html"


def test_index_lists_every_notebook_in_order(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    positions = [index.find(f'href="{p.stem}.html"') for p in NOTEBOOKS]
    assert all(pos >= 0 for pos in positions), "the index misses a notebook"
    assert positions == sorted(positions), "the index is not in notebook order"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_is_on_its_page(site, path):
    page = page_of(site, path)
    assert page.exists(), f"{page.name} was not built"
    text = page.read_text(encoding="utf-8")
    nb = nbformat.read(path, as_version=4)
    figures = [re.sub(r"\s", "", out["data"]["image/png"])
               for cell in nb.cells if cell.cell_type == "code"
               for out in cell.outputs if "image/png" in out.get("data", {})]
    missing = [i for i, png in enumerate(figures) if png not in text]
    assert not missing, f"{page.name} lacks figures {missing} of {len(figures)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_title_and_saved_widget_state_are_on_the_page(site, path):
    text = page_of(site, path).read_text(encoding="utf-8")
    first = nbformat.read(path, as_version=4).cells[0].source.splitlines()[0]
    assert first.removeprefix("# ") in text
    if "widgets" in nbformat.read(path, as_version=4).metadata:
        assert 'type="application/vnd.jupyter.widget-state+json"' in text


@pytest.mark.parametrize("name", ["index"] + [p.stem for p in NOTEBOOKS])
def test_nothing_is_loaded_from_the_network(site, name):
    text = (site / f"{name}.html").read_text(encoding="utf-8")
    external = re.findall(r"<(?:script|img|iframe)\b[^>]*\bsrc=[\"']?(?:https?:)?//[^>]*>"
                          r"|<link\b[^>]*\bhref=[\"']?(?:https?:)?//[^>]*>"
                          r"|@import\s+url\([\"']?(?:https?:)?//", text)
    assert not external, f"{name}.html loads {external[:3]}"


@pytest.mark.parametrize("name", ["index"] + [p.stem for p in NOTEBOOKS])
def test_relative_links_resolve(site, name):
    text = (site / f"{name}.html").read_text(encoding="utf-8")
    for target in re.findall(r'<a\b[^>]*\bhref="([^"#:]+)(?:#[^"]*)?"', text):
        assert (site / target).exists(), f"{name}.html links to missing {target}"


def test_the_collection_has_figures_to_check():
    total = sum("image/png" in out.get("data", {})
                for path in NOTEBOOKS for cell in nbformat.read(path, as_version=4).cells
                if cell.cell_type == "code" for out in cell.outputs)
    assert total >= len(NOTEBOOKS)
