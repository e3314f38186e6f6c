"""Build the static site: the collection for students without a kernel.

    python tools/build_site.py [--out site] [--repo OWNER/REPO]      (make site)

Writes ``site/index.html`` (the notebooks in order, with their subtitles and times, read
by attention_lib.collection from the notebooks' first cells) and one HTML page per
notebook, made from the committed notebook (its saved outputs, figures embedded as PNG,
and its saved widget state) by nbconvert's HTML exporter with JupyterLab's look.

Nothing on a page is loaded from the network: the template (tools/site_template/)
drops the CDN scripts nbconvert would add (require.js, MathJax, mermaid, the widget
renderer). The explorers' pictures are saved in the notebook as their starting state;
their sliders need a kernel, so each live widget shows a note with a Binder link
instead. Links between notebooks point to their pages; ``../README.md`` points to the
index.

``--repo`` is the repository's GitHub address (owner/name) for the Binder links; the
default ``OWNER/REPO`` is the placeholder the README and docs/teaching.md use.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from attention_lib.collection import notebook_map

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
TEMPLATE = ROOT / "tools" / "site_template"


def binder_url(repo: str, notebook: str, branch: str = "main") -> str:
    """mybinder.org, opening JupyterLab at one notebook."""
    return (f"https://mybinder.org/v2/gh/{repo}/{branch}"
            f"?urlpath=lab/tree/notebooks/{notebook}")


def inline_markdown(text: str) -> str:
    """Escape, then render `code` spans (the subtitles use nothing else)."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def rewrite_links(page: str, repo: str) -> str:
    """Notebook links to pages, the README to the index, other ../ paths to GitHub."""
    page = re.sub(r'href="(\d\d_[a-z0-9_]+)\.ipynb', r'href="\1.html', page)
    page = page.replace('href="../README.md', 'href="index.html')
    return re.sub(r'href="\.\./([^"]+)"', rf'href="https://github.com/{repo}/blob/main/\1"',
                  page)


def nav(repo: str, notebook: str | None = None) -> str:
    links = ['<a href="index.html">All notebooks</a>']
    if notebook:
        links.append(f'<a href="{binder_url(repo, notebook)}">Run this notebook on Binder</a>')
    return "".join(links)


def build_page(info, exporter: HTMLExporter, repo: str) -> str:
    nb = nbformat.read(NOTEBOOKS / info.file, as_version=4)
    live = (f'<a href="{binder_url(repo, info.file)}">open this notebook on Binder</a> '
            "or in JupyterLab (<code>make lab</code>)")
    body, _ = exporter.from_notebook_node(nb, resources={
        "metadata": {"name": f"{info.number} · {info.title}"},
        "site_nav": nav(repo, info.file), "live_link": live})
    return rewrite_links(body, repo)


def build_index(infos, repo: str) -> str:
    rows = "\n".join(
        f'<tr><td>{i.number}</td><td><a href="{Path(i.file).stem}.html">'
        f"{html.escape(i.title)}</a></td><td>{inline_markdown(i.subtitle)}</td>"
        f'<td class="num">{i.minutes}</td>'
        f'<td><a href="{binder_url(repo, i.file)}">Binder</a></td></tr>' for i in infos)
    total = sum(i.minutes for i in infos)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Attention, computed</title>
<style>
 body {{ font-family: system-ui, sans-serif; max-width: 60em; margin: 2em auto;
        padding: 0 1em; line-height: 1.45; color: #222; }}
 table {{ border-collapse: collapse; }} td, th {{ padding: 6px 10px; vertical-align: top;
        border-bottom: 1px solid #ddd; text-align: left; }} td.num {{ text-align: right; }}
 code {{ background: #f3f3f3; padding: 0 3px; }}
</style></head>
<body>
<h1>Attention, computed</h1>
<p>Notebooks that teach the attention mechanism, in the order to read them. These pages
show each notebook as it was last run, with every figure; the sliders need a running
kernel, so open a notebook on Binder (or in JupyterLab, <code>make lab</code>) to move
them and to check your answers to the exercises.</p>
<table>
<thead><tr><th>#</th><th>notebook</th><th>what you do there</th><th>minutes</th>
<th>live</th></tr></thead>
<tbody>
{rows}
</tbody>
<tfoot><tr><td></td><td>all</td><td></td><td class="num">{total}</td><td></td></tr></tfoot>
</table>
</body></html>
"""


def build(out: Path, repo: str) -> list[Path]:
    """Write the site into ``out`` (emptied first); return the pages written."""
    infos = notebook_map(NOTEBOOKS)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    exporter = HTMLExporter(template_name="lab",
                            template_file=str(TEMPLATE / "site.html.j2"))
    written = []
    for info in infos:
        page = out / f"{Path(info.file).stem}.html"
        page.write_text(build_page(info, exporter, repo), encoding="utf-8")
        written.append(page)
    index = out / "index.html"
    index.write_text(build_index(infos, repo), encoding="utf-8")
    return [index, *written]


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
