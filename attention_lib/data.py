"""Small data made in code: nothing is downloaded."""

from __future__ import annotations

import dataclasses

import numpy as np

from ._checks import check_int, check_positive_float
from .scores import additive_score
from .softmax import softmax


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


@dataclasses.dataclass(frozen=True)
class ToyTranslation:
    """A four-word translation with a Bahdanau alignment whose weights are set by hand.

    ``source`` and ``target`` are the words; ``aligned_to[i]`` is the source word that
    target word i translates. ``annotations`` (4, 3) stand in for a bidirectional
    encoder's states h_j; ``states`` (4, 3) are the decoder states s_{i-1} before each
    target word (the annotation of the word about to be translated, plus a little noise);
    ``queries`` (4, 4) are the states with a bias unit (a constant 1) appended. ``w_query``
    (4, 6), ``w_key`` (3, 6) and ``v`` (6,) are the additive score's weights, and
    ``scores`` and ``alignment`` (4, 4) its scores and their softmax over the source words.
    """

    source: tuple[str, ...]
    target: tuple[str, ...]
    aligned_to: tuple[int, ...]
    annotations: np.ndarray
    states: np.ndarray
    queries: np.ndarray
    w_query: np.ndarray
    w_key: np.ndarray
    v: np.ndarray
    scores: np.ndarray
    alignment: np.ndarray


def toy_translation(seed: int = 0, sharpness: float = 3.0, bias: float = 1.0) -> ToyTranslation:
    """"the black cat sleeps" -> "le chat noir dort", aligned by Bahdanau's additive score
    v^T tanh(W_q s_{i-1} + W_k h_j) with weights set by hand, not learned.

    With units in pairs, tanh(c (s_f - h_f) + b) + tanh(-c (s_f - h_f) + b) peaks at
    s_f = h_f for b > 0, so each target word's score is highest at the source word whose
    annotation its state is closest to. ``seed`` draws the annotations and the noise;
    ``sharpness`` is c and ``bias`` is b (it enters through the bias unit of the queries).
    Introduced in notebooks/01_a_short_history.ipynb.
    """
    c = check_positive_float(sharpness, "sharpness")
    b = check_positive_float(bias, "bias")
    rng = np.random.default_rng(check_int(seed, "seed", minimum=0))
    source, target = ("the", "black", "cat", "sleeps"), ("le", "chat", "noir", "dort")
    aligned_to = (0, 2, 1, 3)           # le-the, chat-cat, noir-black, dort-sleeps
    annotations = rng.normal(size=(4, 3))
    states = annotations[list(aligned_to)] + 0.1 * rng.normal(size=(4, 3))
    d = annotations.shape[1]
    eye = np.eye(d)
    w_query = np.vstack([np.hstack([c * eye, -c * eye]), np.full((1, 2 * d), b)])
    w_key = np.hstack([-c * eye, c * eye])
    v = np.ones(2 * d)
    queries = np.hstack([states, np.ones((len(target), 1))])
    scores = additive_score(queries, annotations, w_query, w_key, v)
    return ToyTranslation(source, target, aligned_to, annotations, states, queries,
                          w_query, w_key, v, scores, softmax(scores))
