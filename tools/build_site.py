"""Build the static site: the collection for students without a kernel, in both editions.

    python tools/build_site.py [--out site] [--repo OWNER/REPO]      (make site)

Writes the English edition at the site's root (``site/index.html`` and one
``site/NN_name.html`` per notebook of notebooks/) and the Chinese edition one folder deeper
(``site/zh-CN/index.html`` and ``site/zh-CN/NN_name.html`` from notebooks/zh-CN/): the
site's folders mirror the notebooks' folders, so a link between two notebooks of one
edition keeps its relative form, and the English addresses stay what they were. An index
lists the notebooks in order, with their subtitles and times, read by
attention_lib.collection from the notebooks' first cells. A page is made from the
committed notebook (its saved outputs, figures embedded as PNG, and its saved widget
state) by nbconvert's HTML exporter with JupyterLab's look.

Every page, the indexes too, has a language switch in its nav bar: "中文" on an English
page and "English" on a Chinese page, linking to the same notebook (the same NN) in the
other edition. A Chinese page says ``<html lang="zh-CN">``, speaks Chinese in its nav and
notes, and sets a CJK font stack of system fonts (no web fonts).

Nothing on a page is loaded from the network: the template (tools/site_template/)
drops the CDN scripts nbconvert would add (require.js, MathJax, mermaid, the widget
renderer). The explorers' pictures are saved in the notebook as their starting state;
their sliders need a kernel, so each live widget shows a note with a Binder link
instead (a Chinese page's link opens the Chinese edition with JupyterLab's interface in
Chinese). Each relative link in a notebook is resolved from the notebook's own folder:
a notebook of either edition goes to its page, ``README.md`` to the English index,
``README.zh-CN.md`` to the Chinese index, any other file of the repository to GitHub.

``--repo`` is the repository's GitHub address (owner/name) for the Binder and GitHub
links; the default ``OWNER/REPO`` is the placeholder the README and docs/teaching.md use.
"""

import argparse
import html
import posixpath
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from attention_lib.collection import NotebookInfo, notebook_map

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
TEMPLATE = ROOT / "tools" / "site_template"

#: Chinese text in system fonts only: Latin letters from the usual UI fonts, then a
#: simplified-Chinese font on every platform (Linux, Adobe's build of the same font,
#: macOS, Windows). Naming the SC fonts before any generic family keeps a browser from
#: picking Japanese glyph forms for the Han characters.
CJK_FONTS = ('-apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, '
             '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
             'sans-serif')
CJK_CODE_FONTS = ('Menlo, Consolas, "DejaVu Sans Mono", "Noto Sans Mono CJK SC", '
                  '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", '
                  '"Microsoft YaHei", monospace')


@dataclass(frozen=True)
class Edition:
    """One language of the collection: where its notebooks are, where its pages go, and
    the words its pages use around the notebooks."""

    language: str      # the <html lang>, and binder_url's language
    source: str        # its notebooks' folder in the repository
    folder: str        # its pages' folder in the site ("" for the site's root)
    readme: str        # its README in the repository (links to it go to its index)
    name: str          # how a link to this edition is labelled (in its own language)
    texts: dict[str, str]

    @property
    def notebooks(self) -> Path:
        return ROOT / self.source

    def page(self, notebook: str) -> str:
        """The site path of a notebook's page, e.g. ``zh-CN/03_three_stage_computation.html``."""
        return posixpath.join(self.folder, Path(notebook).stem + ".html")

    @property
    def index(self) -> str:
        return posixpath.join(self.folder, "index.html")


ENGLISH = Edition(
    language="en", source="notebooks", folder="", readme="README.md", name="English",
    texts={
        "title": "Attention, computed",
        "intro": "Notebooks that teach the attention mechanism, in the order to read them. "
                 "These pages\nshow each notebook as it was last run, with every figure; "
                 "the sliders need a running\nkernel, so open a notebook on Binder (or in "
                 "JupyterLab, <code>make lab</code>) to move\nthem and to check your answers "
                 "to the exercises.",
        "columns": "<th>#</th><th>notebook</th><th>what you do there</th><th>minutes</th>\n"
                   "<th>live</th>",
        "total": "all",
        "all_notebooks": "All notebooks",
        "run_on_binder": "Run this notebook on Binder",
        "live_note": "<b>Live sliders here.</b> They need a running kernel: the picture "
                     "above is their starting\nstate. To move them, {link}.",
        "live_link": '<a href="{url}">open this notebook on Binder</a> '
                     "or in JupyterLab (<code>make lab</code>)",
    })

CHINESE = Edition(
    language="zh-CN", source="notebooks/zh-CN", folder="zh-CN", readme="README.zh-CN.md",
    name="中文",
    texts={
        "title": "注意力，算出来",
        "intro": "讲解注意力机制的笔记本，按阅读的顺序排列。这些页面展示每个笔记本最后一次运行"
                 "的样子，包括其中的每一幅图；滑块需要一个运行中的内核，所以要拖动滑块、检查你"
                 "对练习的答案，请在 Binder 上打开笔记本（或在 JupyterLab 中打开："
                 "<code>make lab-zh</code>）。",
        "columns": "<th>#</th><th>笔记本</th><th>你在其中做什么</th><th>分钟</th>\n"
                   "<th>在线运行</th>",
        "total": "合计",
        "all_notebooks": "全部笔记本",
        "run_on_binder": "在 Binder 上运行这个笔记本",
        "live_note": "<b>这里是可以拖动的滑块。</b>它们需要一个运行中的内核：上面的图是它们的"
                     "初始状态。要拖动它们，请{link}。",
        "live_link": '<a href="{url}">在 Binder 上打开这个笔记本</a>'
                     "，或在 JupyterLab 中打开（<code>make lab-zh</code>）",
    })

EDITIONS = (ENGLISH, CHINESE)

_NOTEBOOK = re.compile(r"\d\d_[a-z0-9_]+\.ipynb")
_HREF = re.compile(r'href="([^"]*)"')
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
#: Where the nav bar goes in a page; filled after the links are rewritten, since the nav
#: bar's own links are site paths already.
_NAV_MARK = "<!-- site nav -->"


def binder_url(repo: str, notebook: str, branch: str = "main", *,
               language: str = "en") -> str:
    """mybinder.org, opening JupyterLab at one notebook of the ``language`` edition.

    ``language="en"`` opens ``notebooks/{notebook}``; ``"zh-CN"`` opens
    ``notebooks/zh-CN/{notebook}`` through the ``lab-zh`` handler, which shows
    JupyterLab's interface in Chinese.
    """
    if language == "en":
        path = f"lab/tree/notebooks/{notebook}"
    elif language == "zh-CN":
        path = f"lab-zh/tree/notebooks/zh-CN/{notebook}"
    else:
        raise ValueError(f"language must be 'en' or 'zh-CN'; got {language!r}")
    return f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath={path}"


def inline_markdown(text: str) -> str:
    """Escape, then render `code` spans; a [link](target) keeps only its text (the
    subtitles use nothing else, and the notebook a subtitle names has its own row)."""
    text = re.sub(r"\[([^\]]+)\]\([^)\s]+\)", r"\1", text)
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def site_target(path: str) -> str | None:
    """The site path that stands for a repository file, or None if the site lacks it."""
    folder, name = posixpath.split(path)
    for edition in EDITIONS:
        if folder == edition.source and _NOTEBOOK.fullmatch(name):
            return edition.page(name)
        if path == edition.readme:
            return edition.index
    return None


def relative(target: str, page: str) -> str:
    """The link from the site page ``page`` to the site path ``target``."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def rewrite_links(text: str, repo: str, edition: Edition, page: str) -> str:
    """Each relative link of ``edition``'s notebooks, resolved from their folder: a
    notebook to its page, a README to its index, any other file to GitHub. ``page`` is
    the site path of the page the links are on."""
    def rewrite(m: re.Match[str]) -> str:
        href = m.group(1)
        if not href or href.startswith(("#", "/")) or _SCHEME.match(href):
            return m.group(0)
        path, hash_, fragment = href.partition("#")
        resolved = posixpath.normpath(posixpath.join(edition.source, path))
        if resolved == ".." or resolved.startswith("../"):
            raise ValueError(f"{page}: the link {href!r} leaves the repository")
        target = site_target(resolved)
        if target is None:
            new = f"https://github.com/{repo}/blob/main/{resolved}"
        else:
            new = relative(target, page)
        return f'href="{new}{hash_}{fragment}"'
    return _HREF.sub(rewrite, text)


def other(edition: Edition) -> Edition:
    return CHINESE if edition is ENGLISH else ENGLISH


def counterpart(notebook: str | None, edition: Edition,
                maps: dict[str, list[NotebookInfo]]) -> str:
    """The site path of the same page (the same NN, or the index) in the other edition;
    its index if that edition lacks the notebook."""
    there = other(edition)
    if notebook is None:
        return there.index
    for info in maps[there.language]:
        if info.number == notebook[:2]:
            return there.page(info.file)
    return there.index


def nav(repo: str, edition: Edition, page: str, switch: str,
        notebook: str | None = None) -> str:
    """The nav bar: the index, the notebook on Binder, and the other edition's page."""
    texts, there = edition.texts, other(edition)
    links = [f'<a href="{relative(edition.index, page)}">{texts["all_notebooks"]}</a>']
    if notebook:
        url = binder_url(repo, notebook, language=edition.language)
        links.append(f'<a href="{url}">{texts["run_on_binder"]}</a>')
    links.append(f'<a class="site-language" href="{relative(switch, page)}" '
                 f'hreflang="{there.language}" lang="{there.language}">{there.name}</a>')
    return "".join(links)


def finish(text: str, repo: str, edition: Edition, page: str, nav_bar: str) -> str:
    """Rewrite the links, then fill in the nav bar and the page's language."""
    text = rewrite_links(text, repo, edition, page)
    if text.count(_NAV_MARK) != 1 or text.count('<html lang="en">') != 1:
        raise ValueError(f"{page}: the page lacks its nav bar's place or its <html lang>")
    return (text.replace(_NAV_MARK, nav_bar)
                .replace('<html lang="en">', f'<html lang="{edition.language}">'))


def page_css(edition: Edition) -> str:
    """CSS a Chinese page adds after JupyterLab's theme: the CJK font stacks."""
    if edition.language != "zh-CN":
        return ""
    return (f"<style>\n:root {{ --jp-ui-font-family: {CJK_FONTS};\n"
            f"        --jp-content-font-family: {CJK_FONTS};\n"
            f"        --jp-code-font-family: {CJK_CODE_FONTS}; }}\n</style>")


def build_page(info: NotebookInfo, exporter: HTMLExporter, repo: str, edition: Edition,
               maps: dict[str, list[NotebookInfo]]) -> str:
    nb = nbformat.read(edition.notebooks / info.file, as_version=4)
    texts, page = edition.texts, edition.page(info.file)
    live = texts["live_link"].format(
        url=binder_url(repo, info.file, language=edition.language))
    body, _ = exporter.from_notebook_node(nb, resources={
        "metadata": {"name": f"{info.number} · {info.title}"},
        "site_nav": _NAV_MARK, "site_css": page_css(edition),
        "live_note": texts["live_note"].format(link=live)})
    switch = counterpart(info.file, edition, maps)
    return finish(body, repo, edition, page, nav(repo, edition, page, switch, info.file))


def build_index(infos: list[NotebookInfo], repo: str, edition: Edition = ENGLISH) -> str:
    texts, page = edition.texts, edition.index
    # Each row links to its notebook as the notebooks do (NN_name.ipynb), so the one
    # link rewriting turns it into the page's address.
    rows = "\n".join(
        f'<tr><td>{i.number}</td><td><a href="{i.file}">'
        f"{html.escape(i.title)}</a></td><td>{inline_markdown(i.subtitle)}</td>"
        f'<td class="num">{i.minutes}</td>'
        f'<td><a href="{binder_url(repo, i.file, language=edition.language)}">Binder</a>'
        "</td></tr>" for i in infos)
    total = sum(i.minutes for i in infos)
    fonts = CJK_FONTS if edition.language == "zh-CN" else "system-ui, sans-serif"
    text = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{texts["title"]}</title>
<style>
 body {{ font-family: {fonts}; max-width: 60em; margin: 2em auto;
        padding: 0 1em; line-height: 1.45; color: #222; }}
 table {{ border-collapse: collapse; }} td, th {{ padding: 6px 10px; vertical-align: top;
        border-bottom: 1px solid #ddd; text-align: left; }} td.num {{ text-align: right; }}
 code {{ background: #f3f3f3; padding: 0 3px; }}
 .site-nav {{ display: flex; justify-content: flex-end; font-size: 14px; }}
</style></head>
<body>
<nav class="site-nav">{_NAV_MARK}</nav>
<h1>{texts["title"]}</h1>
<p>{texts["intro"]}</p>
<table>
<thead><tr>{texts["columns"]}</tr></thead>
<tbody>
{rows}
</tbody>
<tfoot><tr><td></td><td>{texts["total"]}</td><td></td><td class="num">{total}</td><td></td>
</tr></tfoot>
</table>
</body></html>
"""
    there = other(edition)
    switch = (f'<a class="site-language" href="{relative(there.index, page)}" '
              f'hreflang="{there.language}" lang="{there.language}">{there.name}</a>')
    return finish(text, repo, edition, page, switch)


def build(out: Path, repo: str) -> list[Path]:
    """Write the site into ``out`` (emptied first); return the pages written, each
    edition's index first."""
    maps = {edition.language: notebook_map(edition.notebooks) for edition in EDITIONS}
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    exporter = HTMLExporter(template_name="lab",
                            template_file=str(TEMPLATE / "site.html.j2"))
    written = []
    for edition in EDITIONS:
        infos = maps[edition.language]
        (out / edition.folder).mkdir(parents=True, exist_ok=True)
        index = out / edition.index
        index.write_text(build_index(infos, repo, edition), encoding="utf-8")
        written.append(index)
        for info in infos:
            page = out / edition.page(info.file)
            page.write_text(build_page(info, exporter, repo, edition, maps),
                            encoding="utf-8")
            written.append(page)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "site")
    parser.add_argument("--repo", default="OWNER/REPO",
                        help="GitHub owner/name for the Binder links")
    args = parser.parse_args(argv)
    for page in build(args.out, args.repo):
        print(f"{page}  {page.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
