"""Shapes at every step: a plain text table of what shape each array has (the arrays of
:func:`attention_lib.multihead.multi_head_steps`, say)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike


def shape_table(arrays: Mapping[str, ArrayLike], notes: Mapping[str, str] | None = None
                ) -> str:
    """A text table with one line per array: its name, its shape and an optional note.

    Introduced in notebooks/06_keras_attention_layers.ipynb.
    """
    if not isinstance(arrays, Mapping) or not arrays:
        raise TypeError("arrays must be a non-empty dict of name -> array")
    notes = {} if notes is None else dict(notes)
    unknown = sorted(set(notes) - set(arrays))
    if unknown:
        raise ValueError(f"notes names arrays that are not in arrays: {unknown}")
    width = max(len(str(name)) for name in arrays)
    shapes = {name: str(tuple(np.shape(a))) for name, a in arrays.items()}
    swidth = max(len(s) for s in shapes.values())
    lines = []
    for name in arrays:
        note = notes.get(name, "")
        lines.append(f"{name:<{width}}  {shapes[name]:<{swidth}}  {note}".rstrip())
    return "\n".join(lines)
