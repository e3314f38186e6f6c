"""Yin et al. 2016, ABCNN: attention between the feature maps of two sentences.

Feature maps are stored one row per word: x (s0, d) for sentence 0, y (s1, d) for
sentence 1. (The paper stores them one column per word, d x s; every matrix here is the
transpose of the paper's.)
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_float_array, check_features


def _feature_map(x: ArrayLike, name: str) -> np.ndarray:
    arr = as_float_array(x, name, min_ndim=2)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be a 2-D feature map (words, features); got shape "
                         f"{arr.shape}")
    return arr


def match_score(x: ArrayLike, y: ArrayLike) -> np.ndarray:
    """ABCNN's attention matrix A[i, j] = 1 / (1 + |x_i - y_j|), |.| the Euclidean
    distance between word i of sentence 0 and word j of sentence 1.

    Every entry lies in (0, 1]; it is 1 exactly when the two feature vectors are equal.
    Shapes: x (s0, d), y (s1, d) -> A (s0, s1).
    Introduced in notebooks/08_the_papers_in_code.ipynb.
    """
    a = _feature_map(x, "x")
    b = _feature_map(y, "y")
    check_features(a, "x", b, "y", "to measure the distance between two words")
    dist = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=-1))
    return 1.0 / (1.0 + dist)


def abcnn1_attention_maps(attention_matrix: ArrayLike, w0: ArrayLike, w1: ArrayLike
                          ) -> tuple[np.ndarray, np.ndarray]:
    """ABCNN-1's attention feature maps: F0 = A W0 for sentence 0, F1 = A^T W1 for
    sentence 1, each the same shape as its sentence's feature map.

    Word i of sentence 0 gets sum_j A[i, j] W0[j]: a mix of learned rows, one per word of
    the other sentence, weighted by how well word i matches each of them.
    Shapes: attention_matrix (s0, s1), w0 (s1, d), w1 (s0, d) ->
    (F0 (s0, d), F1 (s1, d)).
    Introduced in notebooks/08_the_papers_in_code.ipynb.
    """
    a = _feature_map(attention_matrix, "attention_matrix")
    m0 = _feature_map(w0, "w0")
    m1 = _feature_map(w1, "w1")
    s0, s1 = a.shape
    if m0.shape[0] != s1:
        raise ValueError(f"w0 has {m0.shape[0]} rows but sentence 1 has {s1} words; w0 "
                         f"must be (s1, d) (attention_matrix {a.shape}, w0 {m0.shape})")
    if m1.shape[0] != s0:
        raise ValueError(f"w1 has {m1.shape[0]} rows but sentence 0 has {s0} words; w1 "
                         f"must be (s0, d) (attention_matrix {a.shape}, w1 {m1.shape})")
    if m0.shape[1] != m1.shape[1]:
        raise ValueError(f"w0 has {m0.shape[1]} features but w1 has {m1.shape[1]}; both "
                         f"must match the sentences' d (w0 {m0.shape}, w1 {m1.shape})")
    return a @ m0, a.T @ m1


def abcnn1_inputs(x: ArrayLike, y: ArrayLike, w0: ArrayLike, w1: ArrayLike
                  ) -> tuple[np.ndarray, np.ndarray]:
    """What ABCNN-1's convolution sees: each sentence's feature map stacked with its
    attention feature map as a second channel.

    Shapes: x (s0, d), y (s1, d), w0 (s1, d), w1 (s0, d) ->
    (x_in (2, s0, d), y_in (2, s1, d)); channel 0 is the original map, 1 the attention map.
    Introduced in notebooks/08_the_papers_in_code.ipynb.
    """
    a = match_score(x, y)
    f0, f1 = abcnn1_attention_maps(a, w0, w1)
    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if f0.shape != xa.shape:
        raise ValueError(f"w0 has {f0.shape[1]} features but x has {xa.shape[1]}; the "
                         f"attention map must match the feature map (x {xa.shape}, "
                         f"w0 {np.shape(w0)})")
    return np.stack([xa, f0]), np.stack([ya, f1])
