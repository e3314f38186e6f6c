"""attention_lib.collection: the map read from the notebooks, and the README agreeing
with it."""

import json
import re
from pathlib import Path

import pytest

from attention_lib.collection import NotebookInfo, notebook_map, read_notebook_info

ROOT = Path(__file__).resolve().parents[1]
FIRST = "# 03 · Three stages\n\n> One line.\n\n**Time:** 30 minutes\n"


def write(folder, name, first=FIRST, raw=None):
    path = folder / name
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": first}]}
    path.write_text(raw if raw is not None else json.dumps(nb), encoding="utf-8")
    return path


def test_reads_the_first_cell(tmp_path):
    info = read_notebook_info(write(tmp_path, "03_three.ipynb"))
    assert info == NotebookInfo("03", "Three stages", "One line.", 30, "03_three.ipynb")


def test_source_as_list_of_lines(tmp_path):
    path = tmp_path / "03_three.ipynb"
    nb = {"cells": [{"cell_type": "markdown", "source": FIRST.splitlines(keepends=True)}]}
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert read_notebook_info(path).minutes == 30


def test_map_is_in_order_and_skips_other_files(tmp_path):
    write(tmp_path, "03_three.ipynb")
    write(tmp_path, "01_one.ipynb", FIRST.replace("03", "01").replace("30", "40"))
    write(tmp_path, "Untitled.ipynb")
    (tmp_path / "notes.txt").write_text("x")
    got = notebook_map(tmp_path)
    assert [(i.number, i.minutes) for i in got] == [("01", 40), ("03", 30)]


def test_path_type():
    with pytest.raises(TypeError, match="path"):
        read_notebook_info(3)


def test_path_name(tmp_path):
    with pytest.raises(ValueError, match="path .*NN_snake_case"):
        read_notebook_info(tmp_path / "notes.ipynb")


def test_path_missing(tmp_path):
    with pytest.raises(ValueError, match="path .* does not exist"):
        read_notebook_info(tmp_path / "01_gone.ipynb")


def test_path_not_json(tmp_path):
    with pytest.raises(ValueError, match="path .* not a notebook"):
        read_notebook_info(write(tmp_path, "01_bad.ipynb", raw="{not json"))


def test_path_no_cells(tmp_path):
    with pytest.raises(ValueError, match="path .* no cells"):
        read_notebook_info(write(tmp_path, "01_empty.ipynb", raw='{"cells": []}'))


@pytest.mark.parametrize("missing, field", [("**Time:** 30 minutes", "time"),
                                             ("> One line.", "subtitle"),
                                             ("# 03 · Three stages", "title")])
def test_first_cell_lacks_a_field(tmp_path, missing, field):
    path = write(tmp_path, "03_three.ipynb", FIRST.replace(missing, ""))
    with pytest.raises(ValueError, match=f"path .* no {field} line"):
        read_notebook_info(path)


def test_number_must_match_the_name(tmp_path):
    with pytest.raises(ValueError, match="title says 03, its name 04"):
        read_notebook_info(write(tmp_path, "04_three.ipynb"))


def test_folder_type():
    with pytest.raises(TypeError, match="folder"):
        notebook_map(None)


def test_folder_missing(tmp_path):
    with pytest.raises(ValueError, match="folder .* not a directory"):
        notebook_map(tmp_path / "nope")


def test_folder_without_notebooks(tmp_path):
    with pytest.raises(ValueError, match="folder .* holds no"):
        notebook_map(tmp_path)


def test_the_collection_reads():
    infos = notebook_map(ROOT / "notebooks")
    assert infos and all(i.minutes > 0 for i in infos)


def test_readme_minutes_match_the_notebooks():
    """The README's table repeats each notebook's time: it must say what the notebook says."""
    readme = {}
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*(\d\d)\s*\|.*\]\(notebooks/([^)]+)\).*\|\s*(\d+)\s*\|\s*(yes|no)\s*\|",
                     line)
        if m:
            readme[m.group(2)] = int(m.group(3))
    for info in notebook_map(ROOT / "notebooks"):
        if info.file in readme:  # test_notebooks_static checks every notebook is listed
            assert readme[info.file] == info.minutes, (
                f"README says {readme[info.file]} minutes for {info.file}, the notebook "
                f"says {info.minutes}")


def test_reads_a_chinese_first_cell(tmp_path):
    first = "# 03 · 注意力的三个阶段\n\n> 一句话。\n\n**时间：** 35 分钟\n"
    info = read_notebook_info(write(tmp_path, "03_three.ipynb", first=first))
    assert info == NotebookInfo("03", "注意力的三个阶段", "一句话。", 35, "03_three.ipynb")
