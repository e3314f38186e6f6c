"""The slide structure of every notebook (tools/slides.py; issue 14). The browser half,
that every slide fits a 1280 x 720 screen and every explorer is live on its slide, is
tests/browser/test_slides_in_browser.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import slides  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_is_a_deck(path):
    nb = nbformat.read(path, as_version=4)
    types = [slides.slide_type(c) for c in nb.cells]
    assert types[0] == "slide", f"{path.name}: the title cell must start the first slide"
    bad = {i: t for i, t in enumerate(types) if t is not None and t not in slides.SLIDE_TYPES}
    assert not bad, f"{path.name}: unknown slide types {bad}"
    dashes = [i for i, t in enumerate(types) if t == "-"]
    assert not dashes, (f"{path.name}: cells {dashes} save slide type '-', which "
                        "jupyterlab-slideshow leaves off every slide: remove the key")
    assert len(slides.slides(nb)) >= 5, f"{path.name}: fewer than 5 slides"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_explorers_have_a_slide_and_notes_of_their_own(path):
    nb = nbformat.read(path, as_version=4)
    for i in slides.explorer_cells(nb):
        assert slides.slide_type(nb.cells[i]) == "slide", (
            f"{path.name}: the explorer in cell {i} does not start a slide")
        assert slides.hides_still(nb.cells[i]), (
            f"{path.name}: the explorer in cell {i} would show its still picture on its slide")
        after = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
        assert after is not None and slides.is_notes(after), (
            f"{path.name}: the explorer in cell {i} is not followed by teacher's notes")
        assert slides.slide_type(after) == "notes", (
            f"{path.name}: cell {i + 1} holds teacher's notes but its slide type is "
            f"{slides.slide_type(after)!r}, so the slides would show it")
        text = after.source
        for part in ("**Ask:**", "**Drag:**", "**Watch for:**", "</details>"):
            assert part in text, f"{path.name}: the notes of the explorer in cell {i} lack {part}"
        # The explorer's slide shows the explorer alone: the next shown cell starts another.
        j = i + 1
        while j < len(nb.cells) and slides.slide_type(nb.cells[j]) in ("notes", "skip"):
            j += 1
        if j < len(nb.cells):
            assert slides.slide_type(nb.cells[j]) in ("slide", "subslide"), (
                f"{path.name}: cell {j} shares the slide of the explorer in cell {i}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notes_solutions_and_under_the_hood_stay_off_the_slides(path):
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        head = cell.source.split("\n", 1)[0]
        if slides.is_notes(cell):
            assert slides.slide_type(cell) == "notes", f"{path.name}: cell {i}"
        elif head.startswith(("<details><summary>Solution to",
                              "<details><summary>Under the hood")):
            assert slides.slide_type(cell) == "skip", (
                f"{path.name}: cell {i} ({head[:50]}) would be projected")
        zoom = slides.zoom(cell)
        assert slides.MIN_ZOOM <= zoom <= 100, f"{path.name}: cell {i} zoom {zoom}%"


def _nb(*cells):
    made = []
    for kind, source in cells:
        new = nbformat.v4.new_markdown_cell if kind == "md" else nbformat.v4.new_code_cell
        made.append(new(source))
    return nbformat.v4.new_notebook(cells=made)


def test_the_rules():
    nb = _nb(("md", "# 01 · Title"), ("code", "x = 1"), ("md", "A paragraph after code."),
             ("md", "Another, continuing."), ("md", "## A section"), ("md", "### A part"),
             ("code", "y = 2"), ("md", "<details><summary>Solution to 01.1</summary>"),
             ("code", "z = 3"), ("md", "<details><summary>Teacher's notes</summary>\n\n"
                                       "- **Ask:** a\n</details>"),
             ("md", "<details><summary>Under the hood: x</summary>"))
    slides.assign(nb, reset=True)
    assert [slides.slide_type(c) for c in nb.cells] == [
        "slide", None, "subslide", None, "slide", "subslide", None, "skip", "subslide",
        "notes", "skip"]
    assert slides.slides(nb) == [[0, 1], [2, 3], [4], [5, 6], [8]]
    assert all("slideshow" not in c.metadata for c in nb.cells if slides.slide_type(c) is None)


def test_assign_keeps_a_type_set_by_hand_unless_reset():
    nb = _nb(("md", "# 01 · Title"), ("code", "x = 1"), ("code", "y = 2"))
    slides.assign(nb)
    nb.cells[2].metadata["slideshow"] = {"slide_type": "subslide"}
    assert slides.assign(nb) == 0 and slides.slide_type(nb.cells[2]) == "subslide"
    assert slides.assign(nb, reset=True) == 1 and slides.slide_type(nb.cells[2]) is None


def test_fit_zooms_a_tall_slide_and_splits_a_very_tall_one():
    nb = _nb(("md", "# 01 · Title"), ("code", "a"), ("md", "## B"), ("code", "b"),
             ("code", "c"))
    slides.assign(nb, reset=True)
    heights = {0: 300, 1: 500, 2: 100, 3: 800, 4: 800}
    done = slides.fit(nb, [{"cells": [0, 1], "cell_heights": [300, 500], "height": 820},
                           {"cells": [2, 3, 4], "cell_heights": [100, 800, 800],
                            "height": 1720},
                           {"cells": [], "cell_heights": [], "height": 20}])
    assert done, done
    z = slides.zoom(nb.cells[0])
    assert z == slides.zoom(nb.cells[1]) and slides.MIN_ZOOM <= z < 100
    # The second slide needs less than MIN_ZOOM at once: it is split, and each sub-slide
    # (with the 20 px the notebook adds) fits at its zoom.
    assert slides.slide_type(nb.cells[4]) == "subslide"
    for group in slides.slides(nb):
        shown = sum(heights[i] * slides.zoom(nb.cells[i]) / 100 for i in group) + 20
        assert shown <= slides.FIT_HEIGHT + 20, (group, shown)
        assert all(slides.MIN_ZOOM <= slides.zoom(nb.cells[i]) <= 100 for i in group)
    # Zoomed heights are read back at 100%: fitting the fitted report changes nothing.
    again = slides.fit(nb, [{"cells": [0, 1], "cell_heights": [300 * z / 100, 500 * z / 100],
                             "height": 820 * z / 100}])
    assert again == []


def test_merge_reports_takes_the_taller_edition_of_each_slide():
    english = {"notebook": "02_x.ipynb", "slides": [
        {"cells": [0], "cell_heights": [300], "height": 320},
        {"cells": [1, 2], "cell_heights": [400, 238], "height": 658}]}
    chinese = {"notebook": "zh-CN/02_x.ipynb", "slides": [
        {"cells": [0], "cell_heights": [280], "height": 300},
        {"cells": [1, 2], "cell_heights": [380, 347], "height": 747}]}
    assert slides.merge_reports([english, chinese]) == [
        {"cells": [0], "cell_heights": [300], "height": 320},
        {"cells": [1, 2], "cell_heights": [400, 347], "height": 747}]
    assert slides.merge_reports([english]) == english["slides"]


def test_fit_writes_both_editions_alike(tmp_path, monkeypatch):
    """--fit with the Chinese report alone fits the English notebook too: the editions
    share their slide metadata (tests/test_zh_edition.py requires it)."""
    monkeypatch.setattr(slides, "NOTEBOOKS", tmp_path)
    (tmp_path / "zh-CN").mkdir()
    for folder in (tmp_path, tmp_path / "zh-CN"):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("a"),
                                             nbformat.v4.new_code_cell("b")])
        nbformat.write(nb, folder / "02_x.ipynb")
    report = tmp_path / "02.json"
    report.write_text(json.dumps({"notebook": "zh-CN/02_x.ipynb", "slides": [
        {"cells": [0, 1], "cell_heights": [300, 427], "height": 747}]}))
    assert slides.main(["--fit", str(report)]) == 0
    fitted = [nbformat.read(folder / "02_x.ipynb", as_version=4)
              for folder in (tmp_path, tmp_path / "zh-CN")]
    assert [c.metadata for c in fitted[0].cells] == [c.metadata for c in fitted[1].cells]
    assert slides.zoom(fitted[0].cells[1]) < 100
