"""Every notebook of both editions in a real JupyterLab in a real Chromium: Run All shows
no error, every explorer redraws when a slider (or, for an explorer without one, a
dropdown) is moved with the keyboard, and the Keras panel (where shown) still agrees. The
Chinese edition (notebooks/zh-CN/) is opened as its Binder links open it, through the
``lab-zh`` link, and driven through JupyterLab's Chinese menus (运行 › 运行所有单元格). A
screenshot of each notebook goes to artifacts/screenshots/ and artifacts/screenshots/zh-CN/
(git ignores them; the GitHub workflow uploads them).

    .venv/bin/python -m pytest tests/browser -v
"""

from __future__ import annotations

import os

import pytest
from labdriver import (
    ARTIFACTS,
    ZH_NOTEBOOKS,
    NotebookPage,
    expected_explorers,
    notebook_paths,
    pictures_differ,
)

SCREENSHOTS = ARTIFACTS / "screenshots"
NOTEBOOKS = notebook_paths()
ZH = notebook_paths(ZH_NOTEBOOKS)
#: (notebook, interface locale): every English notebook, then every Chinese one.
EDITIONS = [(p, "en") for p in NOTEBOOKS] + [(p, "zh_CN") for p in ZH]
CHINESE_MENUS = ["文件", "编辑", "查看", "运行", "内核"]
#: The Keras panel's name, its word for agreement and for disagreement, by interface
#: (attention_lib.explorer writes them in the language of the kernel).
KERAS_PANEL = {"en": ("Keras panel", "agree within", "DIFFER"),
               "zh_CN": ("Keras 面板", "以内一致", "不一致")}


def test_there_are_notebooks_to_open():
    assert NOTEBOOKS, "no notebooks/NN_*.ipynb found"
    assert [p.name for p in ZH] == [p.name for p in NOTEBOOKS], "zh-CN/ lacks a twin"


@pytest.fixture
def server(request, lab_server):
    """The server of the edition under test (the English one, or the Chinese one)."""
    _path, locale = request.getfixturevalue("edition")
    if locale == "en":
        yield lab_server
        return
    zh = request.getfixturevalue("lab_server_zh")
    try:
        yield zh
    finally:
        zh.shutdown_kernels()


@pytest.mark.parametrize("edition", EDITIONS,
                         ids=lambda e: f"{'zh-CN/' if e[1] != 'en' else ''}{e[0].name}")
def test_run_all_and_move_every_explorer(page, server, edition):
    path, locale = edition
    nb = NotebookPage(page, server, path.name, locale)
    nb.open()
    if locale != "en":
        menus = nb.menu_bar()
        assert menus[:5] == CHINESE_MENUS, f"{path.name}: the interface is not Chinese: {menus}"
    result = nb.run_all()
    print(f"{path.name} ({locale}): Run All took {result.seconds:.1f} s")
    shots = SCREENSHOTS if locale == "en" else SCREENSHOTS / "zh-CN"
    nb.screenshot(shots / f"{path.stem}.png")
    assert result.errors == [], f"{path.name} shows errors:\n" + "\n---\n".join(result.errors)
    assert result.executed == result.code_cells, (
        f"{path.name}: only {result.executed} of {result.code_cells} code cells ran")

    explorers = nb.explorers()
    assert len(explorers) == expected_explorers(path), (
        f"{path.name}: found {len(explorers)} live explorers on the page, the saved "
        f"notebook has {expected_explorers(path)}")
    for explorer, i in explorers:
        # The live canvas starts as the still picture above it: the browser draws the
        # frame where the numpy painter does (sizes equal, cells and texts in place).
        same = nb.canvas_vs_still(explorer)
        if same is not None:
            print(f"{path.name}: explorer {i}: canvas {same}")
            assert same["canvas"] == same["still"], same
            assert same["differ"] < 0.05, (
                f"{path.name}: explorer {i}'s canvas differs from its still picture in "
                f"{same['differ']:.1%} of its pixels")
        before, after = nb.move_control(explorer, i)
        assert pictures_differ(before, after), (
            f"{path.name}: explorer {i}'s picture did not change after a key press on its control")
        text = explorer.inner_text()
        panel, agree, differ = KERAS_PANEL[locale]
        if panel in text:
            assert agree in text and differ not in text, (
                f"{path.name}: explorer {i}'s Keras panel no longer agrees: {text[-400:]}")
    assert nb.errors() == [], f"{path.name}: moving a slider raised an error"


def test_the_harness_sees_an_error(page, lab_server):
    """A cell that raises must show up as an error, and stop the run, or the test above
    could pass on a broken notebook."""
    lab_server.add_notebook("harness_check.ipynb", ["x = 1", "1 / 0", "y = 2"])
    nb = NotebookPage(page, lab_server, "harness_check.ipynb")
    nb.open()
    result = nb.run_all(timeout_ms=60_000)
    assert any("ZeroDivisionError" in e for e in result.errors), result.errors
    assert result.executed == 2 and result.code_cells == 3, result


def test_the_server_sends_without_nagle(lab_server):
    """The JupyterLab these tests drive is the one `make lab` starts: it loaded
    attention_lib.lab_server (TCP_NODELAY on kernel websockets; `make install` and the
    README's pip lines enable it), without which a slider move waits ~15 ms longer
    (benchmarks/browser_latency.py says so too).

    In an environment set up without that step the test skips and says how to enable it;
    under CI, where .ci/run installs with `make install`, a missing extension fails."""
    from attention_lib import lab_server as extension

    if not extension.config_path().exists():
        message = (f"attention_lib.lab_server is not enabled in this environment (no "
                   f"{extension.config_path()}): run `python -m attention_lib.lab_server "
                   f"install` for faster sliders")
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    assert lab_server.low_latency, (
        "attention_lib.lab_server is enabled but the server did not load it\n"
        + lab_server.log_tail())
