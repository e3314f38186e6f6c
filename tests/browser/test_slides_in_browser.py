"""Every notebook presented as slides, in a real JupyterLab in a real Chromium, the way a
teacher presents it (docs/teaching.md, "Presenting"): Run All, then the notebook toolbar's
deck button (jupyterlab-slideshow), then Space, slide after slide, to the end, on a
1280 x 720 screen with every request outside the JupyterLab server blocked.

On the way it checks that

* every slide and sub-slide fits the screen (the notebook's scroll height at most 720
  px), and the keyboard reaches every slide tools/slides.py says the notebook has;
* on each explorer's slide, the explorer is live: dragging its slider with the mouse (a
  dropdown, for an explorer without one) changes the canvas's pixels;
* nothing was fetched from outside (no web font, no script).

The Chinese edition (notebooks/zh-CN/, the same slide metadata) is presented the same way,
with JupyterLab's interface in Chinese (the ``lab-zh`` link), so a Chinese class's slides
fit too.

What each slide measured goes to artifacts/slides/NN.json (artifacts/slides/zh-CN/NN.json
for the Chinese edition; ``python tools/slides.py --fit`` reads them), and screenshots of
the first slide and of each explorer before and after the drag beside it (git ignores
artifacts/; the GitHub workflow uploads it).

    .venv/bin/python -m pytest tests/browser/test_slides_in_browser.py -v
"""

from __future__ import annotations

import json
import sys

import nbformat
import pytest
from labdriver import (
    ARTIFACTS,
    ROOT,
    ZH_NOTEBOOKS,
    NotebookPage,
    notebook_paths,
    pictures_differ,
)

sys.path.insert(0, str(ROOT / "tools"))
import slides  # noqa: E402  (tools/slides.py: the one place the slide rules live)

SHOTS = ARTIFACTS / "slides"
SCREEN = {"width": 1280, "height": 720}
NOTEBOOKS = notebook_paths()
#: (notebook, interface locale): every English notebook, then every Chinese one.
EDITIONS = ([(p, "en") for p in NOTEBOOKS]
            + [(p, "zh_CN") for p in notebook_paths(ZH_NOTEBOOKS)])

_MEASURE = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const cells = [...panel.querySelectorAll('.jp-Notebook .jp-Cell')];
  const outer = panel.querySelector('.jp-WindowedPanel-outer');
  return {
    active: cells.findIndex(c => c.classList.contains('jp-mod-active')),
    onscreen: cells.flatMap((c, i) => c.classList.contains('jp-deck-mod-onscreen') ? [i] : []),
    heights: cells.flatMap(c => c.classList.contains('jp-deck-mod-onscreen') ?
                                [Math.round(c.getBoundingClientRect().height)] : []),
    height: outer.scrollHeight,
    mode: document.body.dataset.jpDeckMode || null,
  };
}"""


@pytest.fixture
def server(request, lab_server):
    """The server of the edition under test (the English one, or the Chinese one)."""
    _path, locale = request.getfixturevalue("edition")
    return lab_server if locale == "en" else request.getfixturevalue("lab_server_zh")


@pytest.fixture
def screen(browser, server):
    """A 1280 x 720 page that may load nothing but the JupyterLab server's own URLs: any
    other request is aborted and listed in ``page.outside``."""
    lab_server = server
    context = browser.new_context(viewport=SCREEN)
    outside: list[str] = []

    def only_local(route):
        if route.request.url.startswith(lab_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    lab_server.stop_presenting()
    try:
        page = context.new_page()
        page.outside = outside
        yield page
    finally:
        context.close()
        lab_server.stop_presenting()
        lab_server.shutdown_kernels()


def start_deck(nb: NotebookPage) -> None:
    """Select the first cell, then click the notebook toolbar's deck button."""
    page = nb.page
    page.locator(f"{nb.PANEL} .jp-Cell").first.click()
    page.keyboard.press("Escape")
    page.locator(f"{nb.PANEL} [data-jp-item-name='deck'] button").first.click()
    page.wait_for_function("() => document.body.dataset.jpDeckMode === 'presenting'",
                           timeout=30_000)
    page.wait_for_timeout(1000)


def canvas_pixels(cell) -> bytes:
    """A PNG of the explorer's picture: its live canvas, else the last image it shows."""
    canvas = cell.locator("canvas.attention-figure")
    picture = canvas.last if canvas.count() else cell.locator(".jp-OutputArea-output img").last
    return picture.screenshot()


def move_on_slide(page, cell, timeout_ms: float = 30_000) -> tuple[bytes, bytes, str]:
    """Drag the explorer's first slider handle 80 px with the mouse (or pick the next
    option of its first dropdown); wait until its picture changes. Returns the pictures
    before and after, and what was moved."""
    before = canvas_pixels(cell)
    handles = cell.locator(".widget-slider:not([disabled]) .noUi-handle:not([disabled])")
    if handles.count():
        box = handles.first.bounding_box()
        assert box is not None, "the slider's handle is not on screen"
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        at_end = handles.first.get_attribute("aria-valuenow") == handles.first.get_attribute(
            "aria-valuemax")
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + (-80 if at_end else 80), y, steps=8)
        page.mouse.up()
        moved = "slider dragged"
    else:
        select = cell.locator(".widget-dropdown select:not([disabled])").first
        select.focus()
        for key in ("Alt+ArrowDown", "ArrowDown", "Enter"):
            page.keyboard.press(key)
        moved = "dropdown changed"
    after = before
    deadline = timeout_ms / 100
    for _ in range(int(deadline)):
        page.wait_for_timeout(100)
        after = canvas_pixels(cell)
        if pictures_differ(before, after):
            break
    return before, after, moved


@pytest.mark.parametrize("edition", EDITIONS,
                         ids=lambda e: f"{'zh-CN/' if e[1] != 'en' else ''}{e[0].name}")
def test_present_every_slide_and_move_every_explorer(screen, server, edition):
    path, locale = edition
    committed = nbformat.read(path, as_version=4)
    expected = slides.slides(committed)
    explorers = set(slides.explorer_cells(committed))
    nb = NotebookPage(screen, server, path.name, locale)
    nb.open()
    result = nb.run_all()
    assert result.errors == [], f"{path.name} shows errors:\n" + "\n---\n".join(result.errors)
    start_deck(nb)
    shots = SHOTS if locale == "en" else SHOTS / "zh-CN"
    shots.mkdir(parents=True, exist_ok=True)
    screen.screenshot(path=str(shots / f"{path.stem}_first_slide.png"))

    seen: dict[int, dict] = {}  # first cell of a slide -> what it measured
    moved: dict[int, str] = {}
    last = None
    for _ in range(4 * len(committed.cells) + 10):
        m = screen.evaluate(_MEASURE)
        assert m["mode"] == "presenting", f"{path.name}: the deck stopped at cell {m['active']}"
        if m["active"] == last:
            break  # Space no longer moves: the end of the deck
        last = m["active"]
        if m["onscreen"]:
            seen.setdefault(m["onscreen"][0], m)
        for i in explorers & set(m["onscreen"]) - set(moved):
            cell = screen.locator(f"{nb.PANEL} .jp-Notebook .jp-Cell").nth(i)
            screen.screenshot(path=str(shots / f"{path.stem}_explorer_{i}_before.png"))
            before, after, how = move_on_slide(screen, cell)
            screen.screenshot(path=str(shots / f"{path.stem}_explorer_{i}_after.png"))
            assert pictures_differ(before, after), (
                f"{path.name}: explorer in cell {i}: its picture did not change on its "
                f"slide after the {how.split()[0]} moved")
            moved[i] = how
        screen.keyboard.press("Space")
        screen.wait_for_timeout(300)

    report = [{"cells": m["onscreen"], "cell_heights": m["heights"], "height": m["height"]}
              for _, m in sorted(seen.items())]
    name = path.relative_to(ROOT / "notebooks").as_posix()  # zh-CN/NN_... for Chinese
    (shots / f"{path.stem}.json").write_text(json.dumps(
        {"notebook": name, "screen": SCREEN, "slides": report}, indent=1), encoding="utf-8")
    tallest = max(r["height"] for r in report)
    print(f"{path.name} ({locale}): {len(report)} slides, tallest {tallest} px; "
          f"explorers: {moved}")

    missing = [g[0] for g in expected if g[0] not in seen]
    assert not missing, f"{path.name}: Space never reached the slides starting at cells {missing}"
    assert set(moved) == explorers, f"{path.name}: explorers never shown on a slide: " \
        f"{sorted(explorers - set(moved))}"
    assert screen.outside == [], f"{path.name}: requests outside the server: {screen.outside}"
    assert nb.errors() == [], f"{path.name}: presenting raised an error"
    too_tall = [r for r in report if r["height"] > SCREEN["height"]]
    assert not too_tall, (f"{path.name}: slides taller than {SCREEN['height']} px (split them, "
                          f"or run tools/slides.py --fit): {too_tall}")
