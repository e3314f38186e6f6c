"""The fixed-vector bottleneck, by experiment: a toy reversal task, two GRU
encoder-decoders of the same size (one reading only the encoder's final state, one with
attention over every encoder state), training, greedy decoding, accuracy by length, and
the alignment heatmap with a dropdown to pick the example.

The data, the accuracy and the plots need numpy and matplotlib only. TensorFlow is
imported (quietly, through :func:`attention_lib.tensorflow_env.tensorflow`) by the functions
that build, train or run a model, and only when they are first called.

Token ids: 0 is padding, 1 starts the decoder, 2 .. vocab_size + 1 are the letters
``a``, ``b``, ... that make up the sequences.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.image import AxesImage

from .plots import heatmap

PAD = 0
START = 1
FIRST_TOKEN = 2
#: Examples decoded at once by greedy_decode and attention_weights (bounds peak memory).
BLOCK = 128


# -- arguments ---------------------------------------------------------------------------

def _positive_int(x: Any, name: str, *, minimum: int = 1) -> int:
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, np.integer)):
        raise TypeError(f"{name} must be an integer; got {x!r} ({type(x).__name__})")
    if x < minimum:
        raise ValueError(f"{name} must be at least {minimum}; got {x}")
    return int(x)


def _check_rng(rng: Any) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, e.g. np.random.default_rng(0); "
                        f"got {type(rng).__name__}")
    return rng


def _int_array(x: Any, name: str, ndim: int) -> np.ndarray:
    arr = np.asarray(x)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer token ids or lengths; got dtype "
                        f"{arr.dtype} (shape {arr.shape})")
    if arr.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension{'s' if ndim > 1 else ''}; "
                         f"got shape {arr.shape}")
    return arr.astype(np.int64, copy=False)


def _lengths_for(lengths: Any, tokens: np.ndarray, name: str) -> np.ndarray:
    lens = _int_array(lengths, "lengths", 1)
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
    arr = _int_array(ids, "ids", 1)
    return " ".join(chr(ord("a") + int(t) - FIRST_TOKEN) for t in arr if t >= FIRST_TOKEN)


def _label(token: int) -> str:
    """One tick label per token id: its letter, or "pad" / "start" for the two others."""
    return {PAD: "pad", START: "start"}.get(int(token), chr(ord("a") + int(token) - FIRST_TOKEN))


def reversal_targets(source: Any, lengths: Any) -> np.ndarray:
    """The reversal of every padded source row: the first ``length`` tokens reversed,
    padding (0) after them.

    Shapes: source (n, T) int; lengths (n,). Returns (n, T) int32.
    Introduced in notebooks/05_why_attention.ipynb.
    """
    src = _int_array(source, "source", 2)
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
    n = _positive_int(n, "n")
    rng = _check_rng(rng)
    vocab_size = _positive_int(vocab_size, "vocab_size", minimum=2)
    min_len = _positive_int(min_len, "min_len")
    max_len = _positive_int(max_len, "max_len")
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
    min_len = _positive_int(min_len, "min_len")
    max_len = _positive_int(max_len, "max_len")
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
    Introduced in notebooks/05_why_attention.ipynb.
    """
    pred = _int_array(predictions, "predictions", 2)
    tgt = _int_array(target, "target", 2)
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
    from ._checks import as_float_array

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


# -- the models --------------------------------------------------------------------------

@dataclasses.dataclass
class Seq2Seq:
    """A Keras encoder-decoder: ``model`` maps [source, decoder_input] (n, T) to logits
    (n, T, vocab_size + 2); ``alignment`` (attention models only) maps the same inputs to
    the attention weights (n, T decoder steps, T source positions)."""

    name: str
    model: Any
    alignment: Any | None
    vocab_size: int
    max_len: int

    @property
    def n_params(self) -> int:
        return int(self.model.count_params())


def build_seq2seq(*, attention: bool, vocab_size: int = 8, max_len: int = 30,
                  units: int = 48, embed_dim: int = 16, seed: int = 0) -> Seq2Seq:
    """A GRU encoder-decoder for sequences padded to ``max_len``.

    Both kinds share everything but the context the output layer reads at each decoder
    step: with ``attention=False`` it is the encoder's final state (the same vector at
    every step: the bottleneck); with ``attention=True`` it is
    ``tf.keras.layers.Attention(use_scale=True)`` over all encoder states, the decoder
    state as the query and padded source positions masked. The decoder GRU starts from
    the encoder's final state in both. The weights are initialised from ``seed``, so two
    models built with the same seed start from the same numbers (the attention model has
    one extra weight, the scale, starting at 1).

    Introduced in notebooks/05_why_attention.ipynb.
    """
    from .tensorflow_env import tensorflow

    if not isinstance(attention, (bool, np.bool_)):
        raise TypeError(f"attention must be True or False; got {attention!r}")
    vocab_size = _positive_int(vocab_size, "vocab_size", minimum=2)
    max_len = _positive_int(max_len, "max_len")
    units = _positive_int(units, "units")
    embed_dim = _positive_int(embed_dim, "embed_dim")
    seed = _positive_int(seed, "seed", minimum=0)
    tf = tensorflow()
    keras, layers = tf.keras, tf.keras.layers
    init = keras.initializers

    def glorot(k: int) -> Any:
        return init.GlorotUniform(seed=seed * 100 + k)

    def gru(k: int, **kw: Any) -> Any:
        return layers.GRU(units, kernel_initializer=glorot(k),
                          recurrent_initializer=init.Orthogonal(seed=seed * 100 + k + 50),
                          **kw)

    n_tokens = vocab_size + FIRST_TOKEN
    source = keras.Input((max_len,), dtype="int32", name="source")
    decoder_input = keras.Input((max_len,), dtype="int32", name="decoder_input")
    embedded = layers.Embedding(n_tokens, embed_dim, mask_zero=True, name="source_embedding",
                                embeddings_initializer=init.RandomUniform(
                                    -0.05, 0.05, seed=seed * 100 + 1))(source)
    states, final_state = gru(2, return_sequences=True, return_state=True,
                              name="encoder")(embedded)
    dec_embedded = layers.Embedding(n_tokens, embed_dim, name="decoder_embedding",
                                    embeddings_initializer=init.RandomUniform(
                                        -0.05, 0.05, seed=seed * 100 + 3))(decoder_input)
    dec_states = gru(4, return_sequences=True, name="decoder")(
        dec_embedded, initial_state=final_state)
    weights = None
    if attention:
        source_mask = layers.Lambda(lambda s: keras.ops.not_equal(s, PAD),
                                    name="source_mask")(source)
        context, weights = layers.Attention(use_scale=True, name="attention")(
            [dec_states, embedded, states], mask=[None, source_mask],
            return_attention_scores=True)
    else:
        # The same final state, repeated for every decoder step.
        context = layers.RepeatVector(max_len, name="final_state_every_step")(final_state)
    both = layers.Concatenate(name="decoder_state_and_context")([dec_states, context])
    logits = layers.Dense(n_tokens, kernel_initializer=glorot(5), name="logits")(both)
    name = "attention" if attention else "bottleneck"
    model = keras.Model([source, decoder_input], logits, name=name)
    alignment = (keras.Model([source, decoder_input], weights, name=f"{name}_weights")
                 if attention else None)
    return Seq2Seq(name, model, alignment, vocab_size, max_len)


def _check_model(model: Any) -> Seq2Seq:
    if not isinstance(model, Seq2Seq):
        raise TypeError(f"model must be a Seq2Seq from build_seq2seq; got "
                        f"{type(model).__name__}")
    return model


def _check_data(data: Any, model: Seq2Seq) -> ReversalData:
    if not isinstance(data, ReversalData):
        raise TypeError(f"data must be a ReversalData from reversal_data; got "
                        f"{type(data).__name__}")
    if data.source.shape[1] != model.max_len:
        raise ValueError(f"data is padded to {data.source.shape[1]} but the model expects "
                         f"max_len {model.max_len} (source {data.source.shape})")
    if data.source.max() >= model.vocab_size + FIRST_TOKEN:
        raise ValueError(f"data holds token id {int(data.source.max())} but the model "
                         f"knows {model.vocab_size} letters (ids up to "
                         f"{model.vocab_size + FIRST_TOKEN - 1})")
    return data


def train(model: Seq2Seq, rng: np.random.Generator, *, steps: int = 400,
          batch_size: int = 32, learning_rate: float = 5e-3, min_len: int = 5,
          progress: Callable[[int, float], None] | None = None,
          report_every: int = 10) -> np.ndarray:
    """Train with teacher forcing and Adam on fresh random batches from ``rng``
    (lengths min_len .. model.max_len); padding is left out of the loss. Two models
    trained with generators of the same seed see the same batches.

    ``progress(step, loss)`` is called every ``report_every`` steps and after the last.
    Returns the loss of every step, shape (steps,).
    Introduced in notebooks/05_why_attention.ipynb.
    """
    from .tensorflow_env import tensorflow

    model = _check_model(model)
    rng = _check_rng(rng)
    steps = _positive_int(steps, "steps")
    batch_size = _positive_int(batch_size, "batch_size")
    report_every = _positive_int(report_every, "report_every")
    if not (isinstance(learning_rate, (int, float)) and 0 < learning_rate < 1):
        raise ValueError(f"learning_rate must be a number between 0 and 1; got "
                         f"{learning_rate!r}")
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be a function (step, loss) or None; got "
                        f"{type(progress).__name__}")
    tf = tensorflow()
    net = model.model
    optimizer = tf.keras.optimizers.Adam(learning_rate)
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    @tf.function
    def step(source: Any, decoder_input: Any, target: Any) -> Any:
        with tf.GradientTape() as tape:
            logits = net([source, decoder_input], training=True)
            real = tf.cast(tf.not_equal(target, PAD), tf.float32)
            loss = loss_fn(target, logits, sample_weight=real)
        grads = tape.gradient(loss, net.trainable_variables)
        optimizer.apply(grads, net.trainable_variables)
        return loss

    losses = np.empty(steps)
    for i in range(steps):
        batch = reversal_data(batch_size, rng, vocab_size=model.vocab_size,
                              min_len=min_len, max_len=model.max_len)
        losses[i] = float(step(batch.source, batch.decoder_input, batch.target))
        if progress is not None and ((i + 1) % report_every == 0 or i + 1 == steps):
            progress(i + 1, losses[i])
    return losses


def greedy_decode(model: Seq2Seq, data: ReversalData) -> tuple[np.ndarray, np.ndarray]:
    """Decode without teacher forcing: each step is fed the model's own previous
    prediction. Returns (predictions (n, T) int32, the decoder input that produced them
    (n, T): START then the predictions shifted right).

    Introduced in notebooks/05_why_attention.ipynb.
    """
    from .tensorflow_env import tensorflow

    model = _check_model(model)
    data = _check_data(data, model)
    tf = tensorflow()
    run = tf.function(lambda s, d: model.model([s, d], training=False))
    source = data.source
    decoder_input = np.zeros_like(source)
    decoder_input[:, 0] = START
    predictions = np.empty(source.shape, dtype=np.int32)
    # The decoder is causal: step t's output depends on inputs 0..t only, so filling the
    # input one step at a time and rerunning gives the step-by-step greedy decoding.
    # Blocks of examples keep the kernel's peak memory down (notebook 05 runs on Binder).
    for rows in _blocks(len(source)):
        src, dec = source[rows], decoder_input[rows]
        for t in range(model.max_len):
            logits = run(src, dec).numpy()
            if t + 1 < model.max_len:
                dec[:, t + 1] = logits[:, t].argmax(axis=-1)
        decoder_input[rows] = dec
        predictions[rows] = logits.argmax(axis=-1)
    return predictions, decoder_input


def _blocks(n: int, size: int = BLOCK) -> list[slice]:
    """Consecutive slices of at most ``size`` rows covering range(n)."""
    return [slice(i, min(i + size, n)) for i in range(0, n, size)]


def attention_weights(model: Seq2Seq, source: np.ndarray, decoder_input: np.ndarray
                      ) -> np.ndarray:
    """The attention model's weights (n, T decoder steps, T source positions) for the
    given inputs; every row sums to 1 (padded source positions get 0).

    Introduced in notebooks/05_why_attention.ipynb.
    """
    model = _check_model(model)
    if model.alignment is None:
        raise ValueError(f"model {model.name!r} has no attention layer; build it with "
                         "build_seq2seq(attention=True)")
    src = _int_array(source, "source", 2)
    dec = _int_array(decoder_input, "decoder_input", 2)
    if src.shape != dec.shape or src.shape[1] != model.max_len:
        raise ValueError(f"source and decoder_input must both be (n, {model.max_len}); "
                         f"got source {src.shape}, decoder_input {dec.shape}")
    src, dec = src.astype(np.int32), dec.astype(np.int32)
    return np.concatenate([np.asarray(model.alignment([src[rows], dec[rows]], training=False),
                                      dtype=np.float64) for rows in _blocks(len(src))])


# -- progress ----------------------------------------------------------------------------

class TrainingProgress:
    """A progress bar and a one-line label for training several models in turn, live
    in JupyterLab.

    The text form (what a reader without widgets sees, and what nbval compares) is one
    fixed line; the bar's final state, saved with the notebook, holds no timings.
    Call :meth:`callback` for each model's ``progress`` argument and :meth:`finish` at the
    end. Introduced in notebooks/05_why_attention.ipynb.
    """

    def __init__(self, steps: int, names: Sequence[str]) -> None:
        import ipywidgets as widgets

        self.steps = _positive_int(steps, "steps")
        if isinstance(names, str) or not names:
            raise TypeError(f"names must be a non-empty list of model names; got {names!r}")
        self.names = [str(n) for n in names]
        self.bar = widgets.IntProgress(value=0, min=0, max=self.steps * len(self.names),
                                       description="training")
        self.label = widgets.HTML(value="starting")
        self.widget = widgets.HBox([self.bar, self.label])
        self._start = time.perf_counter()

    def callback(self, name: str) -> Callable[[int, float], None]:
        """The ``progress(step, loss)`` function for the model called ``name``."""
        if name not in self.names:
            raise ValueError(f"name must be one of {self.names}; got {name!r}")
        offset = self.names.index(name) * self.steps

        def update(step: int, loss: float) -> None:
            self.bar.value = offset + step
            rate = (offset + step) / max(time.perf_counter() - self._start, 1e-9)
            self.label.value = (f"{name}: step {step}/{self.steps}, loss {loss:.3f} "
                                f"({rate:.0f} steps/s)")
        return update

    def finish(self) -> None:
        """Fill the bar and leave a final label that is the same on every run."""
        self.bar.value = self.bar.max
        self.bar.bar_style = "success"
        n = len(self.names)
        self.label.value = (f"done: {n} model{'s' if n > 1 else ''} x {self.steps} steps "
                            f"({', '.join(self.names)})")

    def __repr__(self) -> str:
        return (f"TrainingProgress({' then '.join(self.names)}, {self.steps} steps each; "
                "the bar is live in JupyterLab)")

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(_Fixed(self.widget, repr(self)))


class _Fixed:
    """Display a widget with a fixed text/plain form."""

    def __init__(self, widget: Any, text: str) -> None:
        self.widget, self.text = widget, text

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = self.text
        return bundle


# -- plots -------------------------------------------------------------------------------

def plot_accuracy_by_length(ax: Axes, results: dict[str, dict[int, float]], *,
                            chance: float | None = None,
                            shade: Sequence[int] | None = None) -> None:
    """One line per model: per-token test accuracy (0 to 1) against sequence length.

    ``results`` maps a model name to :func:`accuracy_by_length`'s {length: accuracy};
    ``chance`` draws the guessing level; ``shade`` marks a range of lengths (e.g. the
    longest third). Introduced in notebooks/05_why_attention.ipynb.
    """
    if not isinstance(results, dict) or not results:
        raise TypeError("results must be a non-empty dict {model name: {length: accuracy}}")
    styles = ["o--", "s-", "^:", "d-."]
    for k, (name, by_length) in enumerate(results.items()):
        if not isinstance(by_length, dict) or not by_length:
            raise TypeError(f"results[{name!r}] must be a non-empty dict {{length: "
                            f"accuracy}}; got {type(by_length).__name__}")
        lengths = sorted(by_length)
        ax.plot(lengths, [by_length[n] for n in lengths], styles[k % len(styles)],
                label=name, markersize=4)
    if chance is not None:
        ax.axhline(chance, color="grey", linewidth=0.8, linestyle=":")
        ax.text(1.0, chance, " chance", color="grey", va="center", ha="left", fontsize=8,
                transform=ax.get_yaxis_transform())
    if shade is not None:
        span = [int(n) for n in shade]
        ax.axvspan(min(span) - 0.5, max(span) + 0.5, color="0.9", zorder=0)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("sequence length")
    ax.set_ylabel("per-token test accuracy")
    ax.legend(loc="center right")


def draw_alignment(ax: Axes, weights: Any, source: Any, output: Any, *,
                   title: str = "", colorbar: bool = True) -> AxesImage:
    """The alignment heatmap of one example: decoder steps down, source tokens across,
    weights on a fixed 0-to-1 scale, each axis labelled with its letters (an output of
    padding or start, which an untrained model can produce, is labelled so).

    Shapes: weights (n_out, n_src) with n_out = len(output), n_src = len(source); source
    and output are token ids (padding already cut off).
    Introduced in notebooks/05_why_attention.ipynb.
    """
    src = _int_array(source, "source", 1)
    out = _int_array(output, "output", 1)
    w = np.asarray(weights, dtype=float)
    if w.shape != (out.shape[0], src.shape[0]):
        raise ValueError(f"weights must be (len(output), len(source)) = "
                         f"({out.shape[0]}, {src.shape[0]}); got {w.shape}")
    image = heatmap(ax, w, row_labels=[_label(t) for t in out],
                    col_labels=[_label(t) for t in src], title=title,
                    xlabel="source token (encoder position)",
                    ylabel="output token (decoder step)", vmin=0.0, vmax=1.0,
                    annotate=False, colorbar=colorbar)
    ax.tick_params(labelsize=7)
    return image


@dataclasses.dataclass(frozen=True)
class Example:
    """One test example for the alignment explorer: its tokens (padding cut off), the
    model's output tokens and its attention weights (len(output), len(source))."""

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
        i = _positive_int(i, "indices[...]", minimum=0)
        if i >= n:
            raise ValueError(f"index {i} is out of range for {n} examples")
        length = int(data.lengths[i])
        out.append(Example(data.source[i, :length].copy(), predictions[i, :length].copy(),
                           data.target[i, :length].copy(), w[i, :length, :length].copy()))
    return out


class AlignmentExplorer:
    """A dropdown of test examples above the alignment heatmap of the chosen one.

    Displaying it shows a still picture of the first example (what GitHub shows), then
    the live dropdown and figure (see :class:`attention_lib.widgets.FigureExplorer`).
    ``image`` is the heatmap currently drawn; its data is the chosen example's weights.
    Introduced in notebooks/05_why_attention.ipynb.
    """

    def __init__(self, examples: Sequence[Example]) -> None:
        import ipywidgets as widgets

        from .widgets import FigureExplorer

        if not examples or not all(isinstance(e, Example) for e in examples):
            raise TypeError("examples must be a non-empty list of Example (see "
                            "examples_from)")
        self.examples = list(examples)
        self.dropdown = widgets.Dropdown(
            options=[(e.label, i) for i, e in enumerate(self.examples)], value=0,
            description="example", layout=widgets.Layout(width="320px"))
        self.figure = Figure(figsize=(6.4, 5.6), layout="constrained")
        self.ax = self.figure.subplots()
        self.image: AxesImage | None = None
        self._colorbar = False
        self.explorer = FigureExplorer(
            self.figure, self._update, {"example": self.dropdown},
            summary=f"AlignmentExplorer({len(self.examples)} test examples)")

    def _update(self, example: int) -> None:
        e = self.examples[example]
        self.ax.clear()
        self.image = draw_alignment(self.ax, e.weights, e.source, e.output,
                                    title=f"attention weights, {e.label}",
                                    colorbar=not self._colorbar)
        self._colorbar = True

    @property
    def png(self) -> bytes:
        """The PNG bytes of the picture currently shown."""
        return self.explorer.live.png

    def __repr__(self) -> str:
        return repr(self.explorer.widget)

    def _ipython_display_(self) -> None:
        self.explorer._ipython_display_()
