"""The encoder-decoder models of notebook 05 and their training: two GRU encoder-decoders
of the same size (one reading only the encoder's final state, one with attention over
every encoder state), the training loop, greedy decoding and the attention weights.

Imports numpy, :mod:`attention_lib._checks` and the task from :mod:`attention_lib.reversal`.
TensorFlow is imported (quietly, through :func:`attention_lib.tensorflow_env.tensorflow`)
by the functions that build, train or run a model, and only when they are first called,
never when this module is imported.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from ._checks import as_int_array, check_bool, check_int, check_rng
from .reversal import (
    FIRST_TOKEN,
    PAD,
    START,
    ReversalData,
    reversal_data,
)

#: Examples decoded at once by greedy_decode and attention_weights (bounds peak memory).
BLOCK = 128


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

    attention = check_bool(attention, "attention")
    vocab_size = check_int(vocab_size, "vocab_size", minimum=2)
    max_len = check_int(max_len, "max_len", minimum=1)
    units = check_int(units, "units", minimum=1)
    embed_dim = check_int(embed_dim, "embed_dim", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
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
        raise TypeError(f"data must be a ReversalData from reversal.reversal_data; got "
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
    rng = check_rng(rng)
    steps = check_int(steps, "steps", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    report_every = check_int(report_every, "report_every", minimum=1)
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
    src = as_int_array(source, "source", 2)
    dec = as_int_array(decoder_input, "decoder_input", 2)
    if src.shape != dec.shape or src.shape[1] != model.max_len:
        raise ValueError(f"source and decoder_input must both be (n, {model.max_len}); "
                         f"got source {src.shape}, decoder_input {dec.shape}")
    src, dec = src.astype(np.int32), dec.astype(np.int32)
    return np.concatenate([np.asarray(model.alignment([src[rows], dec[rows]], training=False),
                                      dtype=np.float64) for rows in _blocks(len(src))])
