"""The committed notebooks, read as files: skeleton, outputs, links, no machine-specific
text, and TensorFlow only where the README says it is needed. (nbval re-executes them.)"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MACHINE_SPECIFIC = re.compile(
    r"/tmp/ipykernel_\d+|I0000 00:00|absl::InitializeLog|port\.cc:\d+\]|/root/|/home/\w+|"
    r"/work/|\.venv/|\d{4}-\d\d-\d\dT\d\d:\d\d|0x[0-9a-f]{8,}")


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def text_of(cell):
    return "".join(cell["source"])


def output_text(nb):
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            yield out.get("text", "") if isinstance(out.get("text"), str) else "".join(
                out.get("text", []))
            for mime, data in out.get("data", {}).items():
                if mime.startswith("text/"):
                    yield data if isinstance(data, str) else "".join(data)


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_name_and_skeleton(path):
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), path.name
    nb = load(path)
    first = text_of(nb["cells"][0])
    assert first.startswith(f"# {path.name[:2]} · "), first[:40]
    for part in ("**You will learn**", "**Before this", "**Time:**"):
        assert part in first, f"{path.name}: first cell lacks {part}"
    markdown = "\n".join(text_of(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    for heading in ("## Summary", "## Exercises", "Next:"):
        assert heading in markdown, f"{path.name} lacks {heading!r}"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_with_outputs_and_no_errors(path):
    nb = load(path)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code and all(c["execution_count"] is not None for c in code), \
        f"{path.name} was not executed top to bottom before committing"
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), f"{path.name} cells ran out of order"
    for c in code:
        assert all(o["output_type"] != "error" for o in c["outputs"]), text_of(c)[:80]
        assert "execution" not in c["metadata"], "cell timing metadata (timestamps) is saved"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_machine_specific_text(path):
    for text in output_text(load(path)):
        found = MACHINE_SPECIFIC.search(text)
        assert not found, f"{path.name} output holds {found.group(0)!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_relative_links_resolve(path):
    nb = load(path)
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text_of(cell)):
            if "://" in target:
                continue
            assert (path.parent / target).exists(), f"{path.name} links to missing {target}"


def readme_table():
    rows = {}
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*(\d\d)\s*\|.*\]\((notebooks/[^)]+)\).*\|\s*(yes|no)\s*\|\s*$", line)
        if m:
            rows[m.group(2)] = m.group(3)
    return rows


def test_readme_lists_every_notebook():
    rows = readme_table()
    assert sorted(rows) == sorted(f"notebooks/{p.name}" for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_tensorflow_only_where_the_readme_says(path):
    needs = readme_table().get(f"notebooks/{path.name}")
    code = "\n".join(text_of(c) for c in load(path)["cells"] if c["cell_type"] == "code")
    uses = bool(re.search(r"import tensorflow|keras_check|tensorflow\(\)|keras_panel=True",
                          code))
    if needs == "no":
        assert not uses, f"{path.name} is listed as not needing TensorFlow but uses it"
    elif needs == "yes":
        assert uses, f"{path.name} is listed as needing TensorFlow but never uses it"
