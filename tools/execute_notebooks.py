"""Re-execute notebooks in place, saving their outputs and widget state.

    python tools/execute_notebooks.py                 # every notebook, in order
    python tools/execute_notebooks.py notebooks/04_keras_attention_api.ipynb

Each notebook runs in a fresh kernel with notebooks/ as its working directory. Cell
timing metadata is not recorded, so the saved file holds no timestamps.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from attention_lib import tensorflow_env

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


def coalesce_streams(outputs: list) -> list:
    """Join consecutive stdout (or stderr) chunks into one output, as nbval compares them:
    how the kernel happened to split a stream is not part of the result."""
    merged: list = []
    for out in outputs:
        if (out.output_type == "stream" and merged and merged[-1].output_type == "stream"
                and merged[-1].name == out.name):
            merged[-1].text += out.text
        else:
            merged.append(out)
    return merged


def run_notebook(nb: nbformat.NotebookNode, cwd: Path, timeout: int = 900,
                 store_widget_state: bool = True) -> float:
    """Run ``nb`` top to bottom in a fresh kernel with ``cwd`` as its working directory,
    filling in its outputs (streams joined as nbval compares them); return seconds taken.
    Raises nbclient's CellExecutionError, naming the cell, if a cell raises."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
    start = time.perf_counter()
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}},
                            record_timing=False, store_widget_state=store_widget_state)
    client.execute()
    elapsed = time.perf_counter() - start
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
    return elapsed


def execute(path: Path, timeout: int = 900) -> float:
    """Run one notebook top to bottom and save it with outputs; return seconds taken."""
    nb = nbformat.read(path, as_version=4)
    elapsed = run_notebook(nb, path.parent, timeout)
    nbformat.write(nb, path)
    return elapsed


def notebook_paths(argv: list[str] | None, description: str) -> list[Path]:
    """The notebooks named on the command line, or every notebooks/NN_*.ipynb; and the
    environment set for the TensorFlow kernels that will run them."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("paths", nargs="*", type=Path,
                        help="notebooks (default: every notebooks/NN_*.ipynb)")
    args = parser.parse_args(argv)
    tensorflow_env.quiet()  # for the kernels started below
    return args.paths or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def main(argv: list[str] | None = None) -> int:
    paths = notebook_paths(argv, __doc__.splitlines()[0])
    if not paths:
        print("no notebooks found", file=sys.stderr)
        return 1
    for i, path in enumerate(paths, start=1):
        print(f"[{i}/{len(paths)}] {path.name} ...", end=" ", flush=True)
        print(f"{execute(path.resolve()):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
