"""Small data made in code: nothing is downloaded."""

from __future__ import annotations

import numpy as np


def seed_arrays() -> dict[str, np.ndarray]:
    """The 2 x 3 query, value and key of the seed article's two experiments (section 5).

    Returns fresh copies each call: {"query": (2, 3), "value": (2, 3), "key": (2, 3)}.
    Introduced in notebooks/04_keras_attention_api.ipynb.
    """
    return {
        "query": np.array([[1, 0.0, 1], [2, 3, 1]]),
        "value": np.array([[2, 1.0, 1], [1, 4, 2]]),
        "key": np.array([[1, 2.0, 2], [3, 1, 0.1]]),
    }
