"""The map of the collection, read from the notebooks themselves: each notebook's first
cell states its number, title, one-line subtitle and time, and that is the one place
they are written. Notebook 00 shows this map, tools/build_site.py builds the static
site's index from it, and a test checks the README's table against it.

Introduced in notebooks/00_start_here.ipynb.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

_NAME = re.compile(r"(\d\d)_[a-z0-9_]+\.ipynb")
_TITLE = re.compile(r"^# (\d\d) · (.+)$", re.MULTILINE)
_SUBTITLE = re.compile(r"^> (.+)$", re.MULTILINE)
#: "**Time:** N minutes", or in a Chinese notebook (notebooks/zh-CN/) "**时间：** N 分钟".
_TIME = re.compile(r"\*\*(?:Time:|时间：)\*\*\s*(\d+)\s*(?:minutes|分钟)")


@dataclass(frozen=True)
class NotebookInfo:
    """One notebook of the collection, as its first cell describes it."""

    number: str
    title: str
    subtitle: str
    minutes: int
    file: str


def read_notebook_info(path: str | Path) -> NotebookInfo:
    """Number, title, subtitle and minutes from the first cell of one ``NN_name.ipynb``.

    The first cell must hold ``# NN · Title``, a ``> subtitle`` line and
    ``**Time:** N minutes`` (in a Chinese notebook ``**时间：** N 分钟``).
    """
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a str or Path; got {type(path).__name__}")
    path = Path(path)
    if not _NAME.fullmatch(path.name):
        raise ValueError(f"path must name a notebook NN_snake_case.ipynb; got {path.name!r}")
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"path {str(path)!r} does not exist") from None
    except json.JSONDecodeError as err:
        raise ValueError(f"path {path.name!r} is not a notebook (invalid JSON: {err})") from None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not cells:
        raise ValueError(f"path {path.name!r} has no cells")
    first = cells[0].get("source", "")
    first = first if isinstance(first, str) else "".join(first)
    found = {}
    for field, pattern in (("title", _TITLE), ("subtitle", _SUBTITLE), ("time", _TIME)):
        m = pattern.search(first)
        if m is None:
            raise ValueError(f"path {path.name!r}: its first cell has no {field} line "
                             "(expected '# NN · Title', '> subtitle', '**Time:** N minutes')")
        found[field] = m
    number = found["title"].group(1)
    if number != path.name[:2]:
        raise ValueError(f"path {path.name!r}: its title says {number}, its name "
                         f"{path.name[:2]}")
    return NotebookInfo(number=number, title=found["title"].group(2).strip(),
                        subtitle=found["subtitle"].group(1).strip(),
                        minutes=int(found["time"].group(1)), file=path.name)


def notebook_map(folder: str | Path = ".") -> list[NotebookInfo]:
    """Every ``NN_name.ipynb`` in ``folder`` (default: the working directory, which is
    notebooks/ for a running notebook), in order, with its title, subtitle and minutes.
    Introduced in notebooks/00_start_here.ipynb.
    """
    if not isinstance(folder, (str, Path)):
        raise TypeError(f"folder must be a str or Path; got {type(folder).__name__}")
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"folder {str(folder)!r} is not a directory")
    paths = sorted(p for p in folder.iterdir() if _NAME.fullmatch(p.name))
    if not paths:
        raise ValueError(f"folder {str(folder)!r} holds no NN_name.ipynb notebooks; "
                         "pass the notebooks/ folder")
    return [read_notebook_info(p) for p in paths]


_README_ROW = re.compile(r"^\|\s*\d\d\s*\|.*\]\(notebooks/([^)]+)\).*\|\s*(yes|no)\s*\|\s*$",
                         re.MULTILINE)


def readme_tensorflow_column(readme: str | Path) -> dict[str, bool]:
    """The README's notebook table, read once for the tests and the memory benchmark:
    notebook file name -> its "TensorFlow" column (True for yes)."""
    text = Path(readme).read_text(encoding="utf-8")
    return {name: answer == "yes" for name, answer in _README_ROW.findall(text)}
