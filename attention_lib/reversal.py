"""The reversal task and its metrics: the toy data notebook 05 trains on and the
numbers it reports, numpy only.

Random sequences of letters to reverse (padded, with the decoder's teacher-forcing input),
the length thirds, per-token accuracy (overall, by length, by position), the share of
attention on the anti-diagonal, and the test examples the alignment explorer shows.
Imports numpy and :mod:`attention_lib._checks` only: no matplotlib, ipywidgets or
TensorFlow, so the exercises of notebook 05 run without a model.

Token ids: 0 is padding, 1 starts the decoder, 2 .. vocab_size + 1 are the letters
``a``, ``b``, ... that make up the sequences.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._checks import as_float_array, as_int_array, check_int, check_rng

PAD = 0
START = 1
FIRST_TOKEN = 2


# -- arguments ---------------------------------------------------------------------------
def _lengths_for(lengths: Any, tokens: np.ndarray, name: str) -> np.ndarray:
    lens = as_int_array(lengths, "lengths", 1)
    if lens.shape[0] != tokens.shape[0]:
        raise ValueError(f"lengths has {lens.shape[0]} entries but {name} has "
                         f"{tokens.shape[0]} rows ({name} {tokens.shape}, lengths "
                         f"{lens.shape}); give one length per sequence")
    if (lens < 1).any() or (lens > tokens.shape[1]).any():
        bad = int(np.argmax((lens < 1) | (lens > tokens.shape[1])))
        raise ValueError(f"lengths[{bad}] = {lens[bad]} is outside 1 .. {tokens.shape[1]}, "
                         f"the width of {name} {tokens.shape}")
    return lens


# -- the task ----------------------------------------------------------------------------

def token_string(ids: Sequence[int] | np.ndarray) -> str:
    """Letters for token ids (2 -> "a", 3 -> "b", ...); padding and start are skipped.

    Introduced in notebooks/05_why_attention.ipynb.
    """
    arr = as_int_array(ids, "ids", 1)
    return " ".join(chr(ord("a") + int(t) - FIRST_TOKEN) for t in arr if t >= FIRST_TOKEN)



def reversal_targets(source: Any, lengths: Any) -> np.ndarray:
    """The reversal of every padded source row: the first ``length`` tokens reversed,
    padding (0) after them.

    Shapes: source (n, T) int; lengths (n,). Returns (n, T) int32.
    """
    src = as_int_array(source, "source", 2)
    lens = _lengths_for(lengths, src, "source")
    n, width = src.shape
    pos = np.arange(width)
    # target[i, t] = source[i, length_i - 1 - t] for t < length_i
    idx = np.clip(lens[:, None] - 1 - pos[None, :], 0, width - 1)
    target = np.take_along_axis(src, idx, axis=1)
    return np.where(pos[None, :] < lens[:, None], target, PAD).astype(np.int32)


@dataclasses.dataclass(frozen=True)
class ReversalData:
    """A batch of the reversal task, padded to ``max_len``.

    source (n, max_len): the tokens, then padding; decoder_input (n, max_len): START,
    then the target shifted right by one (teacher forcing); target (n, max_len): the
    source reversed, then padding; lengths (n,).
    """

    source: np.ndarray
    decoder_input: np.ndarray
    target: np.ndarray
    lengths: np.ndarray

    def __len__(self) -> int:
        return int(self.lengths.shape[0])


def reversal_data(n: int, rng: np.random.Generator, *, vocab_size: int = 8,
                  min_len: int = 5, max_len: int = 30) -> ReversalData:
    """``n`` random sequences to reverse, lengths drawn uniformly from min_len .. max_len,
    tokens uniformly from ``vocab_size`` letters.

    Shapes: every array (n, max_len) int32, lengths (n,).
    Introduced in notebooks/05_why_attention.ipynb.
    """
    n = check_int(n, "n", minimum=1)
    rng = check_rng(rng)
    vocab_size = check_int(vocab_size, "vocab_size", minimum=2)
    min_len = check_int(min_len, "min_len", minimum=1)
    max_len = check_int(max_len, "max_len", minimum=1)
    if min_len > max_len:
        raise ValueError(f"min_len must be at most max_len; got min_len={min_len}, "
                         f"max_len={max_len}")
    lengths = rng.integers(min_len, max_len + 1, size=n)
    tokens = rng.integers(FIRST_TOKEN, FIRST_TOKEN + vocab_size, size=(n, max_len))
    source = np.where(np.arange(max_len)[None, :] < lengths[:, None], tokens, PAD)
    source = source.astype(np.int32)
    target = reversal_targets(source, lengths)
    decoder_input = np.concatenate([np.full((n, 1), START, np.int32), target[:, :-1]], 1)
    return ReversalData(source, decoder_input, target, lengths.astype(np.int32))


def length_thirds(min_len: int = 5, max_len: int = 30) -> list[range]:
    """The lengths min_len .. max_len cut into short, middle and long thirds (the middle
    one is shortest when they do not divide evenly).

    Introduced in notebooks/05_why_attention.ipynb.
    """
    min_len = check_int(min_len, "min_len", minimum=1)
    max_len = check_int(max_len, "max_len", minimum=1)
    if max_len - min_len < 2:
        raise ValueError(f"need at least 3 lengths to cut into thirds; got min_len="
                         f"{min_len}, max_len={max_len}")
    n = max_len - min_len + 1
    size = -(-n // 3)  # the outer thirds get the extra lengths
    return [range(min_len, min_len + size), range(min_len + size, max_len + 1 - size),
            range(max_len + 1 - size, max_len + 1)]


# -- accuracy ----------------------------------------------------------------------------

def token_accuracy(predictions: Any, target: Any, lengths: Any) -> np.ndarray:
    """Per-sequence accuracy: the share of the first ``length`` tokens predicted right
    (padding is not counted).

    Shapes: predictions, target (n, T) int; lengths (n,). Returns (n,) floats in [0, 1].
    """
    pred = as_int_array(predictions, "predictions", 2)
    tgt = as_int_array(target, "target", 2)
    if pred.shape != tgt.shape:
        raise ValueError(f"predictions has shape {pred.shape} but target has shape "
                         f"{tgt.shape}; they must match")
    lens = _lengths_for(lengths, tgt, "target")
    real = np.arange(tgt.shape[1])[None, :] < lens[:, None]
    return ((pred == tgt) & real).sum(axis=1) / lens


def accuracy_by_length(predictions: Any, target: Any, lengths: Any
                       ) -> dict[int, float]:
    """Per-token accuracy for each sequence length present: {length: share right},
    pooling the tokens of every sequence of that length.

    Shapes: predictions, target (n, T) int; lengths (n,).
    Introduced in notebooks/05_why_attention.ipynb.
    """
    per_seq = token_accuracy(predictions, target, lengths)
    lens = np.asarray(lengths)
    # Every sequence of one length has the same number of tokens: the mean of the
    # per-sequence accuracies is the pooled per-token accuracy.
    return {int(length): float(per_seq[lens == length].mean())
            for length in np.unique(lens)}


def accuracy_of(by_length: dict[int, float], lengths: Sequence[int]) -> float:
    """The per-token accuracy over a set of lengths (each length weighted by its number
    of tokens), from :func:`accuracy_by_length`'s {length: accuracy}.

    Introduced in notebooks/05_why_attention.ipynb.
    """
    wanted = [int(n) for n in lengths]
    missing = [n for n in wanted if n not in by_length]
    if not wanted or missing:
        raise ValueError(f"lengths must be non-empty and present in by_length; missing "
                         f"{missing} (by_length has {sorted(by_length)})")
    return float(sum(by_length[n] * n for n in wanted) / sum(wanted))


def accuracy_by_position(predictions: Any, target: Any, lengths: Any) -> np.ndarray:
    """Per-token accuracy at each output position t = 0, 1, ..., over the sequences long
    enough to have that position; NaN where none is.

    Shapes: predictions, target (n, T) int; lengths (n,). Returns (T,).
    Introduced in notebooks/05_why_attention.ipynb.
    """
    token_accuracy(predictions, target, lengths)  # the same argument checks
    pred, tgt = np.asarray(predictions), np.asarray(target)
    real = np.arange(tgt.shape[1])[None, :] < np.asarray(lengths)[:, None]
    right = ((pred == tgt) & real).sum(axis=0)
    count = real.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, right / np.maximum(count, 1), np.nan)


def anti_diagonal_share(weights: Any, lengths: Any) -> float:
    """The share of decoder steps (padding left out) whose largest attention weight is on
    the source position a reversal needs: step t of a length-L sequence on position
    L - 1 - t.

    Shapes: weights (n, T decoder steps, T source positions); lengths (n,).
    Introduced in notebooks/05_why_attention.ipynb.
    """
    w = as_float_array(weights, "weights", min_ndim=3)
    if w.ndim != 3:
        raise ValueError(f"weights must be (n, decoder steps, source positions); got shape "
                         f"{w.shape}")
    lens = _lengths_for(lengths, w[:, :, 0].astype(np.int64), "weights")
    if (lens > w.shape[2]).any():
        raise ValueError(f"a length exceeds the {w.shape[2]} source positions of weights "
                         f"{w.shape}")
    t = np.arange(w.shape[1])
    real = t[None, :] < lens[:, None]
    hit = w.argmax(axis=-1) == (lens[:, None] - 1 - t[None, :])
    return float((hit & real).sum() / real.sum())


# -- the examples the alignment explorer shows -------------------------------------------

@dataclasses.dataclass(frozen=True)
class Example:
    """One test example for the alignment explorer
    (:class:`attention_lib.seq2seq_views.AlignmentExplorer`): its tokens (padding cut
    off), the model's output tokens and its attention weights (len(output), len(source)).
    """

    source: np.ndarray
    output: np.ndarray
    target: np.ndarray
    weights: np.ndarray

    @property
    def label(self) -> str:
        right = int((self.output == self.target).sum())
        return f"length {len(self.source)}: {right}/{len(self.target)} tokens right"


def examples_from(data: ReversalData, predictions: np.ndarray, weights: np.ndarray,
                  indices: Sequence[int]) -> list[Example]:
    """Cut the chosen test examples to their length: source, the model's output, the
    target and the (length x length) block of the weights.

    Shapes: predictions (n, T); weights (n, T, T). Introduced in notebooks/05_why_attention.ipynb.
    """
    w = np.asarray(weights, dtype=float)
    n, width = data.source.shape
    if np.shape(predictions) != (n, width) or w.shape != (n, width, width):
        raise ValueError(f"predictions must be ({n}, {width}) and weights ({n}, {width}, "
                         f"{width}) for this data; got {np.shape(predictions)} and {w.shape}")
    out = []
    for i in indices:
        i = check_int(i, "indices[...]", minimum=0)
        if i >= n:
            raise ValueError(f"index {i} is out of range for {n} examples")
        length = int(data.lengths[i])
        out.append(Example(data.source[i, :length].copy(), predictions[i, :length].copy(),
                           data.target[i, :length].copy(), w[i, :length, :length].copy()))
    return out
