"""The Chinese edition (notebooks/zh-CN/, issue 15): every notebook has a Chinese twin whose
code cannot drift from the English one, whose prose is Chinese, and which is committed
executed like any other. nbval re-executes the twins with the English notebooks (the
README's test command names notebooks/, which holds zh-CN/)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_notebooks_static import MACHINE_SPECIFIC, output_text

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ZH = ROOT / "notebooks" / "zh-CN"
TWINS = sorted(ZH.glob("[0-9][0-9]_*.ipynb"))
#: The one line a Chinese notebook's code adds: the first line of its first code cell.
DECLARED = "%env ATTENTION_LIB_LANGUAGE=zh-CN\n"
#: The least share of Chinese characters in a twin's prose (see prose_share).
LEAST_SHARE = 0.5


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def text(cell: dict) -> str:
    return "".join(cell["source"])


def prose_share(markdown: str) -> tuple[int, int]:
    """(Chinese characters, letters of English words) in prose: code blocks, code spans,
    math, links' targets and HTML tags left out."""
    prose = re.sub(r"```.*?```", " ", markdown, flags=re.DOTALL)
    prose = re.sub(r"`[^`]*`|\$\$.*?\$\$|\$[^$]*\$|\]\([^)]*\)|<[^>]*>", " ", prose,
                   flags=re.DOTALL)
    return (len(re.findall(r"[\u4e00-\u9fff]", prose)),
            sum(len(w) for w in re.findall(r"[A-Za-z]{2,}", prose)))


def test_every_english_notebook_has_a_chinese_twin():
    assert [p.name for p in TWINS] == [p.name for p in ENGLISH]


@pytest.mark.parametrize("path", TWINS, ids=lambda p: p.name)
def test_the_twin_runs_the_english_code(path):
    en, zh = load(ROOT / "notebooks" / path.name), load(path)
    assert len(zh["cells"]) == len(en["cells"]), f"{path.name}: cells differ in number"
    first = True
    for a, b in zip(en["cells"], zh["cells"], strict=True):
        where = f"{path.name}, cell {a.get('id')}"
        assert (a["cell_type"], a.get("id"), a["metadata"]) == (
            b["cell_type"], b.get("id"), b["metadata"]), f"{where}: type, id or metadata differ"
        if a["cell_type"] == "code":
            expected = DECLARED + text(a) if first else text(a)
            first = False
            assert text(b) == expected, f"{where}: the code differs from the English notebook's"
    assert zh["metadata"]["kernelspec"] == en["metadata"]["kernelspec"]


@pytest.mark.parametrize("path", TWINS, ids=lambda p: p.name)
def test_the_twin_is_committed_executed(path):
    nb = load(path)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1)), (
        f"{path.name} was not executed top to bottom before committing")
    assert "".join(code[0]["outputs"][0]["text"]).startswith("env: ATTENTION_LIB_LANGUAGE=zh-CN")
    for c in code:
        assert all(o["output_type"] != "error" for o in c["outputs"]), text(c)[:80]
    for out in output_text(nb):
        found = MACHINE_SPECIFIC.search(out)
        assert not found, f"{path.name} output holds {found.group(0)!r}"
        assert "missing from font" not in out, f"{path.name}: a figure drew boxes: {out[:200]}"
    # Saved by a kernel speaking Chinese: every exercise check answered in Chinese.
    checks = [c for c in code if re.search(r"^check\(", text(c), re.M)]
    for c in checks:
        said = "".join(output_text({"cells": [c]}))
        assert re.search(r"[\u4e00-\u9fff]", said), (
            f"{path.name}: the check in {text(c)[:60]!r} answered {said[:80]!r}")


@pytest.mark.parametrize("path", TWINS, ids=lambda p: p.name)
def test_the_twin_reads_in_chinese(path):
    nb = load(path)
    first = text(nb["cells"][0])
    assert first.startswith(f"# {path.name[:2]} · "), first[:40]
    for part in ("**你将学到**", "**前置知识：**", "**时间：**"):
        assert part in first, f"{path.name}: the first cell lacks {part}"
    markdown = "\n".join(text(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    for part in ("## 小结", "## 练习", "下一节："):
        assert part in markdown, f"{path.name} lacks {part!r}"
    for english in ("**You will learn**", "## Summary", "Solution to ", "Teacher's notes"):
        assert english not in markdown, f"{path.name} still says {english!r}"
    chinese, latin = prose_share(markdown)
    share = chinese / (chinese + latin)
    print(f"{path.name}: {chinese} Chinese characters, {latin} English letters, "
          f"Chinese share {share:.2f}")
    assert share >= LEAST_SHARE, f"{path.name}: only {share:.0%} of its prose is Chinese"


@pytest.mark.parametrize("path", TWINS, ids=lambda p: p.name)
def test_the_twins_links_resolve(path):
    for cell in load(path)["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text(cell)):
            if "://" not in target:
                assert (path.parent / target).exists(), f"{path.name} links to missing {target}"


def test_the_chinese_readme_lists_every_twin_with_its_binder_link():
    readme = (ROOT / "README.zh-CN.md").read_text(encoding="utf-8")
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_site", ROOT / "tools" / "build_site.py")
    build_site = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_site)
    for path in TWINS:
        assert f"](notebooks/zh-CN/{path.name})" in readme, path.name
        # The same link the site's Chinese pages give (one place: build_site.binder_url).
        url = build_site.binder_url("OWNER/REPO", path.name, language="zh-CN")
        assert "urlpath=lab-zh/tree/notebooks/zh-CN/" in url
        assert f"]({url})" in readme, path.name
    badge = build_site.binder_url("OWNER/REPO", TWINS[0].name, language="zh-CN")
    assert f"[![Binder](https://mybinder.org/badge_logo.svg)]({badge})" in readme
    first_line = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[0]
    assert "(README.zh-CN.md)" in first_line


def test_the_prose_share_counts_prose_only():
    assert prose_share("查询 `query` and $q \\cdot k$ [键](02_x.ipynb)") == (3, 3)
