"""The committed notebooks, read as files: skeleton, outputs, links, no machine-specific
text, and TensorFlow only where the README says it is needed. (nbval re-executes them.)"""

import json
import re
from pathlib import Path

import pytest

from attention_lib.collection import readme_tensorflow_column

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
    """notebooks/NN_name.ipynb -> "yes" or "no", the README table's TensorFlow column."""
    return {f"notebooks/{name}": "yes" if tf else "no"
            for name, tf in readme_tensorflow_column(ROOT / "README.md").items()}


def test_readme_lists_every_notebook():
    rows = readme_table()
    assert sorted(rows) == sorted(f"notebooks/{p.name}" for p in NOTEBOOKS)


#: Code that imports TensorFlow: directly, through keras_check, or through an explorer
#: with its Keras panel (``AttentionExplorer(..., keras=True)``).
USES_TENSORFLOW = re.compile(r"import tensorflow|keras_check|tensorflow\(\)|\bkeras=True")


def uses_tensorflow(code: str) -> bool:
    return bool(USES_TENSORFLOW.search(code))


@pytest.mark.parametrize("code, uses", [
    ("import tensorflow as tf", True),
    ("from attention_lib import keras_check", True),
    ("AttentionExplorer(q, v, k, keras=True)", True),
    ("AttentionExplorer(q, v, k)", False),
    ("AttentionExplorer(q, v, k, keras=False)", False),
    ("import numpy as np\nattention_lib.attention(q, v)", False),
])
def test_the_tensorflow_pattern(code, uses):
    assert uses_tensorflow(code) is uses


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_tensorflow_only_where_the_readme_says(path):
    needs = readme_table().get(f"notebooks/{path.name}")
    code = "\n".join(text_of(c) for c in load(path)["cells"] if c["cell_type"] == "code")
    uses = uses_tensorflow(code)
    if needs == "no":
        assert not uses, f"{path.name} is listed as not needing TensorFlow but uses it"
    elif needs == "yes":
        assert uses, f"{path.name} is listed as needing TensorFlow but never uses it"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_left_out_of_nbval_say_why(path):
    """nbval compares every output verbatim except in cells marked NBVAL_IGNORE_OUTPUT.
    The marker is kept for figures that truly change from one CPU to another (trained
    accuracies): such a cell says why in a comment, prints only text (no claim is hidden
    in it: claims are asserted, and assertions still run), and nothing else of nbval's
    markers is used."""
    for cell in load(path)["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = text_of(cell)
        markers = set(re.findall(r"^# *(NBVAL_\w+)", source, flags=re.MULTILINE))
        assert markers <= {"NBVAL_IGNORE_OUTPUT"}, f"{path.name}: {markers} in {source[:80]!r}"
        if markers:
            assert "nbval does not compare this output: " in source, (
                f"{path.name}: a cell left out of nbval's comparison must say why: "
                f"{source[:120]!r}")
            assert not re.search(r"^\s*(assert\b|np\.testing)", source, flags=re.MULTILINE), (
                f"{path.name}: keep assertions in a compared cell: {source[:120]!r}")
            assert all(o["output_type"] == "stream" for o in cell["outputs"]), source[:80]


def test_the_nbval_sanitizer_replaces_only_machine_text():
    """No blanket ignore: the sanitizer may replace paths and addresses, never numbers."""
    config = (ROOT / "tests" / "nbval_sanitize.cfg").read_text(encoding="utf-8")
    patterns = re.findall(r"^regex: *(.+)$", config, flags=re.MULTILINE)
    assert patterns == [r"/tmp/[\w/.-]+", r"0x[0-9a-f]{6,16}"], patterns
