"""The slide structure every notebook is presented with (issue 14), in one place.

    python tools/slides.py                  # give every cell without a slide type one
    python tools/slides.py --reset          # recompute every cell's type from the rules
    python tools/slides.py notebooks/03_three_stage_computation.ipynb
    python tools/slides.py --fit artifacts/slides/*.json   # shrink what the browser found too tall

A teacher presents a notebook with jupyterlab-slideshow (docs/teaching.md, "Presenting"),
which reads the cell metadata ``{"slideshow": {"slide_type": ...}}`` that Jupyter's
Property Inspector writes (RISE and nbconvert's slides read the same key). The rules,
from the cell alone and the one before it:

* ``slide``: the title cell, every ``## `` heading, and every explorer (a code cell whose
  saved output is a live widget with a slider or a dropdown): an explorer has a slide
  of its own, and its teacher's notes follow it. On its slide the explorer's still
  picture (the first state, shown above the live canvas for a page without a kernel) is
  hidden once the live canvas is drawn: the slide shows the explorer once, full size;
* ``subslide``: every ``### `` heading, a paragraph that follows code (one idea and its
  code per sub-slide), and whatever follows a skipped cell or an explorer;
* ``notes``: a teacher's notes cell (what to ask, what to drag, what to watch for),
  folded in a ``<details>`` block so it does not clutter a student's page; the slides do
  not show it;
* ``skip``: the folded "Under the hood" sections, the exercises' solutions and the
  glossary, which a teacher opens in the notebook, not on the projector;
* no type (RISE's ``-``): everything else continues the slide above it. The tool never
  saves ``-``: jupyterlab-slideshow 0.3.4 reads a saved ``"-"`` as a type it does not
  know and leaves the cell off every slide.

Cells that already have a type keep it (``--reset`` recomputes them). A slide that the
browser finds taller than a 1280 x 720 screen (tests/browser/test_slides_in_browser.py
writes what it measured to artifacts/slides/NN.json) is fitted by ``--fit``: the cells of
that slide are shown smaller while presenting, by the same factor (``zoom`` in the cell
metadata that jupyterlab-fonts applies only in deck mode, as the deck's own design tools
write it; a student's page is unchanged), and a slide that would need less than
:data:`MIN_ZOOM` is first split into sub-slides at its cells. The Chinese edition
(notebooks/zh-CN/, artifacts/slides/zh-CN/NN.json) shares the English notebook's slide
metadata, so ``--fit`` fits both editions of a notebook to the taller of the two
measurements (:func:`merge_reports`). tests/test_slides.py checks the rules on the
committed notebooks.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

SLIDE_TYPES = ("slide", "subslide", "fragment", "-", "skip", "notes")
# Each with its wording in the Chinese edition (notebooks/zh-CN/).
_SKIPPED = re.compile(r'^(<details><summary>(Solution to |Under the hood|\d\d\.\d+ 的解答|幕后细节)'
                      r'|<a id="glossary"></a>)')
NOTES = re.compile(r"^<details><summary>(Teacher's notes|教师备注)</summary>")


def slide_type(cell) -> str | None:
    """The cell's slide type as saved, or None."""
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type")


def widget_state(nb) -> dict:
    return (nb.get("metadata", {}).get("widgets", {})
            .get("application/vnd.jupyter.widget-state+json", {}).get("state", {}))


def explorer_cells(nb) -> list[int]:
    """Indices of the code cells whose saved outputs show an explorer: a live widget view
    that holds a slider or a dropdown (read from the notebook's saved widget state)."""
    state = widget_state(nb)

    def has_control(model_id: str, seen: set[str]) -> bool:
        if model_id in seen or model_id not in state:
            return False
        seen.add(model_id)
        model = state[model_id]
        if model.get("model_name", "").endswith(("SliderModel", "DropdownModel")):
            return True
        children = model.get("state", {}).get("children", [])
        return any(has_control(c.removeprefix("IPY_MODEL_"), seen) for c in children)

    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if view and has_control(view["model_id"], set()):
                found.append(i)
                break
    return found


def is_notes(cell) -> bool:
    return cell.cell_type == "markdown" and bool(NOTES.match(cell.source))


def rule_type(nb, i: int, explorers: set[int]) -> str:
    """The slide type the rules give cell ``i`` (see the module docstring)."""
    cell = nb.cells[i]
    if i == 0 or i in explorers:
        return "slide"
    if cell.cell_type == "markdown":
        if is_notes(cell):
            return "notes"
        if _SKIPPED.match(cell.source):
            return "skip"
        if cell.source.startswith("## "):
            return "slide"
        if cell.source.startswith("### "):
            return "subslide"
    j = i - 1  # the cell before, teacher's notes passed over (the slides do not show them)
    while j > 0 and is_notes(nb.cells[j]):
        j -= 1
    before = nb.cells[j]
    if cell.cell_type == "markdown" and before.cell_type == "code":
        return "subslide"
    if rule_type(nb, j, explorers) == "skip" or j in explorers:
        return "subslide"
    return "-"


def assign(nb, *, reset: bool = False) -> int:
    """Give the cells their slide types (only those without one, unless ``reset``).
    Returns how many cells changed."""
    explorers = set(explorer_cells(nb))
    changed = 0
    for i in explorers:
        if not hides_still(nb.cells[i]):
            hide_still(nb.cells[i])
            changed += 1
    for i, cell in enumerate(nb.cells):
        if slide_type(cell) is not None and not reset:
            continue
        new = rule_type(nb, i, explorers)
        if (slide_type(cell) or "-") != new:
            changed += 1
        if new == "-":  # jupyterlab-slideshow reads a saved "-" as no slide at all
            cell.metadata.pop("slideshow", None)
        else:
            cell.metadata["slideshow"] = {"slide_type": new}
    return changed


def slides(nb) -> list[list[int]]:
    """The cells each slide or sub-slide shows, in order (notes and skipped cells left
    out): what a 1280 x 720 screen must hold at once."""
    groups: list[list[int]] = []
    for i, cell in enumerate(nb.cells):
        kind = slide_type(cell) or "-"
        if kind in ("notes", "skip"):
            continue
        if kind in ("slide", "subslide") or not groups:
            groups.append([])
        groups[-1].append(i)
    return groups


#: The height a slide is fitted to (px): the screen is 720, and 60 px are left for fonts that
#: set a little larger elsewhere.
FIT_HEIGHT = 660
#: The smallest zoom ``--fit`` uses; a slide that needs less is split first.
MIN_ZOOM = 75
FONTS = "@deathbeds/jupyterlab-fonts"
PRESENTING = "body[data-jp-deck-mode='presenting'] &"
#: An explorer's still picture: the output just above its live canvas.
STILL = ".jp-OutputArea-child:has(+ .jp-OutputArea-child canvas.attention-figure)"


def zoom(cell) -> int:
    """The cell's zoom while presenting, in percent (100 without one)."""
    styles = cell.get("metadata", {}).get(FONTS, {}).get("styles", {}).get("", {})
    value = styles.get(PRESENTING, {}).get("zoom", "100%")
    return int(str(value).rstrip("%"))


def _styles(cell) -> dict:
    return cell.metadata.setdefault(FONTS, {}).setdefault("styles", {})


def _tidy(cell) -> None:
    if not cell.metadata.get(FONTS, {}).get("styles"):
        cell.metadata.pop(FONTS, None)


def set_zoom(cell, percent: int) -> None:
    """Show the cell at ``percent`` while presenting (100: as on a student's page)."""
    styles = _styles(cell)
    if percent >= 100:
        styles.pop("", None)
    else:
        styles[""] = {PRESENTING: {"zoom": f"{percent}%"}}
    _tidy(cell)


def hides_still(cell) -> bool:
    return STILL in cell.get("metadata", {}).get(FONTS, {}).get("styles", {})


def hide_still(cell) -> None:
    """While presenting, hide the still picture an explorer shows above its live canvas
    (the still is for a page without a kernel; the :has() rule matches only once the
    live canvas is drawn, so without a kernel the still stays)."""
    _styles(cell)[STILL] = {PRESENTING: {"display": "none"}}


def fit(nb, measured: list[dict]) -> list[str]:
    """Fit every measured slide taller than :data:`FIT_HEIGHT`: split it where one zoom
    would be below :data:`MIN_ZOOM`, then zoom each part's cells to fit. ``measured`` is
    the "slides" list of a browser report (cells, their heights at their zoom then).
    Returns what was done, one line a slide."""
    done = []
    for m in measured:
        if m["height"] <= FIT_HEIGHT:
            continue
        # Heights at 100%: the report measured them at the zoom each cell had.
        full = [h * 100 / zoom(nb.cells[i])
                for i, h in zip(m["cells"], m["cell_heights"], strict=True)]
        parts: list[list[int]] = [[]]
        total = 0.0
        for i, h in zip(m["cells"], full, strict=True):
            if parts[-1] and total + h > FIT_HEIGHT * 100 / MIN_ZOOM:
                parts.append([])
                total = 0.0
                nb.cells[i].metadata["slideshow"] = {"slide_type": "subslide"}
            parts[-1].append(i)
            total += h
        for part in parts:
            height = sum(full[m["cells"].index(i)] for i in part) + 20
            percent = min(100, max(MIN_ZOOM, int(FIT_HEIGHT * 100 // height)))
            for i in part:
                set_zoom(nb.cells[i], percent)
            done.append(f"cells {part}: {height:.0f} px at 100%, shown at {percent}%")
    return done


def editions(name: str) -> list[Path]:
    """The notebook ``name`` in every edition that has it: notebooks/, notebooks/zh-CN/."""
    return [p for p in (NOTEBOOKS / name, NOTEBOOKS / "zh-CN" / name) if p.is_file()]


def merge_reports(reports: list[dict]) -> list[dict]:
    """One "slides" list from browser reports of the same notebook in several editions
    (measured with the same slide metadata): each slide's cells at the largest height any
    edition measured, so one fit serves them all."""
    merged: dict[tuple[int, ...], dict] = {}
    for report in reports:
        for m in report["slides"]:
            key = tuple(m["cells"])
            if key not in merged:
                merged[key] = {"cells": list(key), "cell_heights": list(m["cell_heights"]),
                               "height": m["height"]}
                continue
            seen = merged[key]
            seen["cell_heights"] = [max(a, b) for a, b in
                                    zip(seen["cell_heights"], m["cell_heights"], strict=True)]
            seen["height"] = max(seen["height"], m["height"])
    return [merged[key] for key in sorted(merged)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--reset", action="store_true",
                        help="recompute every cell's slide type from the rules")
    parser.add_argument("--fit", action="store_true",
                        help="the paths are browser reports (artifacts/slides/NN.json): fit "
                             "the slides they found too tall")
    args = parser.parse_args(argv)
    if args.fit:
        reports: dict[str, list[dict]] = {}
        for report_path in args.paths:
            report = json.loads(report_path.read_text(encoding="utf-8"))
            reports.setdefault(Path(report["notebook"]).name, []).append(report)
        for name, group in sorted(reports.items()):
            measured = merge_reports(group)
            for path in editions(name):
                nb = nbformat.read(path, as_version=4)
                lines = fit(nb, measured)
                if lines:
                    nbformat.write(nb, path)
                print(f"{path.relative_to(NOTEBOOKS)}: "
                      + ("; ".join(lines) or "every slide fits"))
        return 0
    paths = args.paths or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        changed = assign(nb, reset=args.reset)
        if changed:
            nbformat.write(nb, path)
        print(f"{path.name}: {changed} cells changed, {len(slides(nb))} slides")
    return 0


if __name__ == "__main__":
    sys.exit(main())
