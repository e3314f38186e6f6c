"""The static site (tools/build_site.py, `make site`), in both editions: an index in
notebook order, a page per notebook holding every figure the notebook saved, nothing
loaded from the network, links that resolve, and on every page a language switch to the
same page of the other edition (site/ for notebooks/, site/zh-CN/ for notebooks/zh-CN/)."""

import importlib.util
import re
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ZH_NOTEBOOKS = sorted((ROOT / "notebooks" / "zh-CN").glob("[0-9][0-9]_*.ipynb"))
#: Each edition's site folder, its <html lang> and its notebooks.
EDITIONS = {"en": ("", NOTEBOOKS), "zh-CN": ("zh-CN", ZH_NOTEBOOKS)}
#: (site folder, notebook) for every notebook of both editions.
ALL_NOTEBOOKS = [("", p) for p in NOTEBOOKS] + [("zh-CN", p) for p in ZH_NOTEBOOKS]
#: Every page of the site, as a path inside it.
PAGES = (["index.html"] + [f"{p.stem}.html" for p in NOTEBOOKS]
         + ["zh-CN/index.html"] + [f"zh-CN/{p.stem}.html" for p in ZH_NOTEBOOKS])
BINDER = "https://mybinder.org/v2/gh/OWNER/REPO/main?urlpath="
CJK = re.compile(r"[\u4e00-\u9fff]")


def language_of(page):
    return "zh-CN" if page.startswith("zh-CN/") else "en"


def notebook_id(item):
    folder, path = item
    return f"{folder}/{path.name}" if folder else path.name


def load_build_site():
    spec = importlib.util.spec_from_file_location("build_site", ROOT / "tools" / "build_site.py")
    build_site = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_site)
    return build_site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    load_build_site().build(out, "OWNER/REPO")
    return out


def page_of(site, folder, path):
    return site / folder / f"{path.stem}.html"


def read(site, page):
    return (site / page).read_text(encoding="utf-8")


def links(text):
    """The relative links of a page's <a> elements: (path, fragment)."""
    return re.findall(r'<a\b[^>]*\bhref="([^"#:]+)(?:#([^"]*))?"', text)


def switch_of(text):
    """The language switch: the link marked site-language inside the nav bar."""
    navs = re.findall(r'<nav class="site-nav">(.*?)</nav>', text, re.DOTALL)
    assert len(navs) == 1, f"{len(navs)} nav bars"
    found = re.findall(r'<a class="site-language" href="([^"]+)"[^>]*>([^<]+)</a>', navs[0])
    assert len(found) == 1, f"the nav bar has {len(found)} language switches"
    return found[0]


def test_the_editions_have_the_same_notebooks():
    assert len(NOTEBOOKS) == 11
    assert [p.name for p in ZH_NOTEBOOKS] == [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("language", EDITIONS)
def test_index_lists_every_notebook_in_order(site, language):
    folder, notebooks = EDITIONS[language]
    index = read(site, f"{folder}/index.html" if folder else "index.html")
    positions = [index.find(f'href="{p.stem}.html"') for p in notebooks]
    assert all(pos >= 0 for pos in positions), "the index misses a notebook"
    assert positions == sorted(positions), "the index is not in notebook order"


@pytest.mark.parametrize("item", ALL_NOTEBOOKS, ids=notebook_id)
def test_every_figure_is_on_its_page(site, item):
    page = page_of(site, *item)
    assert page.exists(), f"{page.name} was not built"
    text = page.read_text(encoding="utf-8")
    nb = nbformat.read(item[1], as_version=4)
    figures = [re.sub(r"\s", "", out["data"]["image/png"])
               for cell in nb.cells if cell.cell_type == "code"
               for out in cell.outputs if "image/png" in out.get("data", {})]
    missing = [i for i, png in enumerate(figures) if png not in text]
    assert not missing, f"{page.name} lacks figures {missing} of {len(figures)}"


@pytest.mark.parametrize("item", ALL_NOTEBOOKS, ids=notebook_id)
def test_the_title_and_saved_widget_state_are_on_the_page(site, item):
    text = page_of(site, *item).read_text(encoding="utf-8")
    nb = nbformat.read(item[1], as_version=4)
    first = nb.cells[0].source.splitlines()[0]
    assert first.removeprefix("# ") in text
    if "widgets" in nb.metadata:
        assert 'type="application/vnd.jupyter.widget-state+json"' in text


@pytest.mark.parametrize("page", PAGES)
def test_nothing_is_loaded_from_the_network(site, page):
    text = read(site, page)
    external = re.findall(r"<(?:script|img|iframe)\b[^>]*\bsrc=[\"']?(?:https?:)?//[^>]*>"
                          r"|<link\b[^>]*\bhref=[\"']?(?:https?:)?//[^>]*>"
                          r"|@import\s+url\([\"']?(?:https?:)?//"
                          r"|\burl\([\"']?(?:https?:)?//", text)
    assert not external, f"{page} loads {external[:3]}"


@pytest.mark.parametrize("page", PAGES)
def test_relative_links_resolve(site, page):
    """Every relative link names a page of the site (a notebook or a README linked as
    .ipynb or .md would be missing), and a link to a part of another page finds it."""
    text = read(site, page)
    here = (site / page).parent
    for target, fragment in links(text):
        assert (here / target).is_file(), f"{page} links to missing {target}"
        if fragment and target:
            ids = re.findall(r'\bid="([^"]+)"', (here / target).read_text(encoding="utf-8"))
            assert unquote(fragment) in ids, f"{page} links to missing {target}#{fragment}"


@pytest.mark.parametrize("page", PAGES)
def test_github_links_name_files_of_the_repository(site, page):
    """A link to another file of the repository goes to GitHub, resolved from the
    notebook's own folder (a Chinese notebook's ../../docs/... is docs/...)."""
    for path in re.findall(r'href="https://github\.com/OWNER/REPO/blob/main/([^"#]+)',
                           read(site, page)):
        assert (ROOT / path).exists(), f"{page} links to GitHub's {path}, not in the repository"


def test_the_guides_and_readmes_are_linked_in_each_language(site):
    en, zh = read(site, "00_start_here.html"), read(site, "zh-CN/00_start_here.html")
    assert 'href="https://github.com/OWNER/REPO/blob/main/docs/teaching.md"' in en
    assert 'href="https://github.com/OWNER/REPO/blob/main/docs/teaching.zh-CN.md"' in zh
    for text in (en, zh):
        assert "README" not in "".join(re.findall(r'href="([^"]*)"', text))
        assert ".ipynb" not in "".join(target for target, _ in links(text))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_the_language_switch_to_its_counterpart(site, page):
    text = read(site, page)
    language = language_of(page)
    assert f'<html lang="{language}">' in text
    href, label = switch_of(text)
    assert label == ("中文" if language == "en" else "English")
    target = ((site / page).parent / href).resolve()
    assert target.is_file(), f"{page}'s switch points to missing {href}"
    other = target.relative_to(site.resolve()).as_posix()
    assert language_of(other) != language, f"{page}'s switch stays in its edition: {other}"
    assert target.name == Path(page).name, f"{page}'s switch goes to {other}"
    assert f'<html lang="{language_of(other)}">' in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("page", [p for p in PAGES if p.startswith("zh-CN/")])
def test_chinese_pages_speak_chinese_and_stay_in_their_edition(site, page):
    text = read(site, page)
    href, _ = switch_of(text)
    for target, _ in links(text):
        resolved = ((site / page).parent / target).resolve()
        if target != href:
            assert resolved.parent == (site / "zh-CN").resolve(), \
                f"{page} links out of the Chinese edition: {target}"
    assert "Noto Sans CJK SC" in text and "Microsoft YaHei" in text
    nav = re.search(r'<nav class="site-nav">(.*?)</nav>', text, re.DOTALL).group(1)
    if page != "zh-CN/index.html":
        assert "全部笔记本" in nav and "All notebooks" not in nav
        assert "Binder" in nav and "Run this notebook" not in nav
    notes = re.findall(r'live-widget-note"[^>]*>(.*?)<script', text, re.DOTALL)
    for note in notes:
        assert "内核" in note and "make lab-zh" in note and "Live sliders" not in note


def test_english_pages_keep_their_words_and_fonts(site):
    text = read(site, "03_three_stage_computation.html")
    assert "<b>Live sliders here.</b> They need a running kernel" in text
    # The Chinese pages' font stack is not set here. (The saved widget state does name the
    # CJK font: the live canvas's script falls back to it for Chinese labels.)
    fonts = load_build_site().CJK_FONTS
    assert f"--jp-ui-font-family: {fonts}" not in text
    assert f"--jp-ui-font-family: {fonts}" in read(site, "zh-CN/03_three_stage_computation.html")
    assert "All notebooks" in text


def test_the_chinese_index_lists_every_notebook_with_its_title_and_time(site):
    index = read(site, "zh-CN/index.html")
    rows = re.findall(r'<tr><td>(\d\d)</td><td><a href="([^"]+)">([^<]+)</a></td>'
                      r'<td>.*?</td><td class="num">(\d+)</td><td><a href="([^"]+)">', index)
    assert len(rows) == len(ZH_NOTEBOOKS) == 11
    english = {p.name[:2]: nbformat.read(p, as_version=4).cells[0].source.splitlines()[0]
               for p in NOTEBOOKS}
    for (number, href, title, minutes, binder), path in zip(rows, ZH_NOTEBOOKS, strict=True):
        first = nbformat.read(path, as_version=4).cells[0].source
        assert number == path.name[:2] and href == f"{path.stem}.html"
        assert first.splitlines()[0] == f"# {number} · {title}"
        assert CJK.search(title) and title not in english[number], title
        assert re.search(rf"\*\*时间：\*\*\s*{minutes}\s*分钟", first), (path.name, minutes)
        assert binder == f"{BINDER}lab-zh/tree/notebooks/zh-CN/{path.name}"
    assert "合计" in index and "在线运行" in index


@pytest.mark.parametrize("page", PAGES)
def test_binder_links_open_the_pages_edition(site, page):
    urls = re.findall(r'href="(https://mybinder\.org/[^"]+)"', read(site, page))
    assert urls, f"{page} has no Binder link"
    if language_of(page) == "zh-CN":
        pattern = re.escape(BINDER + "lab-zh/tree/notebooks/zh-CN/") + r"(\d\d_[a-z0-9_]+\.ipynb)"
        folder = ROOT / "notebooks" / "zh-CN"
    else:
        pattern = re.escape(BINDER + "lab/tree/notebooks/") + r"(\d\d_[a-z0-9_]+\.ipynb)"
        folder = ROOT / "notebooks"
    for url in urls:
        m = re.fullmatch(pattern, url)
        assert m, f"{page}: {url}"
        assert (folder / m.group(1)).is_file(), url
        if not page.endswith("index.html"):
            assert m.group(1) == f"{Path(page).stem}.ipynb", f"{page} opens {url}"


def test_binder_url():
    binder_url = load_build_site().binder_url
    assert (binder_url("me/attention", "03_three_stage_computation.ipynb")
            == "https://mybinder.org/v2/gh/me/attention/main"
               "?urlpath=lab/tree/notebooks/03_three_stage_computation.ipynb")
    assert (binder_url("me/attention", "03_x.ipynb", "dev", language="zh-CN")
            == "https://mybinder.org/v2/gh/me/attention/dev"
               "?urlpath=lab-zh/tree/notebooks/zh-CN/03_x.ipynb")
    with pytest.raises(ValueError, match="language"):
        binder_url("me/attention", "03_x.ipynb", language="zh")


def test_the_collection_has_figures_to_check():
    for notebooks in (NOTEBOOKS, ZH_NOTEBOOKS):
        total = sum("image/png" in out.get("data", {})
                    for path in notebooks for cell in nbformat.read(path, as_version=4).cells
                    if cell.cell_type == "code" for out in cell.outputs)
        assert total >= len(notebooks)
