"""A small Transformer on the date task of :mod:`attention_lib.date_model`: an
encoder-decoder (Vaswani et al. 2017) that reads ``2026年12月1日星期二`` or
``Tuesday, December 1, 2026`` and writes ``2026-12-01``, with cross-attention where the
GRU model has Bahdanau's additive attention.

Everything is built from Keras layers, post-norm as in the paper and in
:mod:`attention_lib.transformer`::

    x   = embed(source) * sqrt(d_model) + PE               PE: positional_encoding
    x   = EncoderBlock(x), num_layers times                 transformer_keras's block:
                                                            self-attention over the
                                                            source's characters
    y   = embed(decoder_input) * sqrt(d_model) + PE
    per decoder block, num_layers times:
    h1  = norm_1(y + SelfAttention(y, y, causal))           step i sees steps 0 .. i
    h2  = norm_2(h1 + CrossAttention(h1, x))                queries: the output steps;
                                                            keys and values: the source
    y   = norm_3(h2 + relu(h2 W1 + b1) W2 + b2)
    logits = Dense(13)(y)

Masks (True = attend, as in notebook 07's masks): the encoder's self-attention and the
cross-attention get the source's padding mask on their keys, (n, 1, S); the decoder's
self-attention gets ``use_causal_mask=True`` and nothing else. So no query row is ever
masked whole (the causal mask keeps the diagonal, every source has a character), and
``MultiHeadAttention``'s two paths agree: the decoder trains on the fused
``dot_product_attention`` one, the weights are read on the explicit one
(``return_attention_scores=True``; the encoder block always takes it) -- they differ
only on fully masked rows (:mod:`attention_lib.mask_rules`). The encoder's padded
positions still attend (to the real characters); nothing reads them, as the
cross-attention gives them weight 0.

Training is teacher forcing (the decoder input is START and the target shifted right),
by :func:`attention_lib.date_model.train` itself: a :class:`DateTransformer` is a
:class:`~attention_lib.date_model.DateModel`, so it gets the same length-sorted batches
cut to their longest source, the same fused Adam and the same gradient clipping.
:func:`train_transformer` calls it once per phase of a step-decay :data:`SCHEDULE`
(the GRU model learns the task at one rate in 3 epochs; this model needs about twice
the steps and a lower rate at the end).
:func:`greedy_decode_transformer` feeds the model its own predictions: the decoder
runs once per output step on the steps so far (a ``tf.while_loop``), and causality
makes row i of its last run the weights step i was made with.

The weights: :func:`cross_attention_weights` (n, heads, 10, S) of a decoder block,
:func:`decoder_self_attention_weights` (n, heads, 10, 10), :func:`attention_maps` all
of them and the encoder's, :func:`head_alignment` the share of each head's weight on
the fields (``dates.field_alignment``) without holding the weights. Memory: decoding
and reading run :data:`BLOCK` examples at a time in traced functions, kept on the
model; trained, decoded and measured on the test days, the model stays within
TensorFlow's ~540 MB plus ~100 MB (benchmarks/date_transformer_training.py).

Weights: every weight is drawn with numpy from ``seed`` (Glorot-uniform kernels, zero
biases, normal(0, 1/d_model) embeddings), none by Keras's initializers, so a model
depends on its seed alone, not on what the process built before. (Keras's seeded
initializers would not do for the attention: ``MultiHeadAttention`` clones its kernel
initializer for the query, key and value projections, and a seeded one makes the three
kernels equal.)

Imports numpy and the task; TensorFlow is imported (through
:func:`attention_lib.tensorflow_env.tensorflow`) when a model is first built.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ._checks import as_int_array, check_int, check_positive_float
from .date_model import DateModel, _by_length, _check_data, n_steps, train
from .dates import (
    N_TARGET_TOKENS,
    PAD,
    START,
    TARGET_LEN,
    DateData,
    Vocabulary,
    field_alignment,
)
from .multihead import init_multihead_weights
from .tensorflow_env import tensorflow
from .transformer import LAYER_NORM_EPSILON, positional_encoding
from .transformer_keras import keras_encoder_block

#: Examples decoded or read at once (bounds peak memory: the encoder's self-attention
#: of 512 examples alone is 512 x 8 heads x 29 x 29 floats).
BLOCK = 128
#: The training of benchmarks/date_transformer_training.py: (epochs, learning rate)
#: phases, a step decay, in batches of BATCH_SIZE.
SCHEDULE: tuple[tuple[int, float], ...] = ((3, 4e-3), (2, 1e-3), (1, 2.5e-4))
BATCH_SIZE = 64


@dataclasses.dataclass
class DateTransformer(DateModel):
    """A date Transformer (see the module docstring); a
    :class:`~attention_lib.date_model.DateModel`, so ``date_model.train``,
    ``date_model.greedy_decode`` and ``date_model.attention_weights`` take it too.

    ``model`` maps [source (n, S), decoder_input (n, 10)] to logits (n, 10, 13) with
    teacher forcing, any source width S up to max_len; ``greedy`` maps source to the
    greedy predictions (n, 10) and the head-averaged cross-attention weights of the last
    decoder block (n, 10, S) they were made with; ``alignment`` maps the teacher-forcing
    inputs to those weights; ``maps`` maps them to every attention map (see
    :func:`attention_maps`). ``units`` and ``embed_dim`` are both d_model."""

    num_heads: int
    num_layers: int
    d_ff: int
    maps: Any
    encoder_blocks: list[Any]
    decoder_blocks: list[Any]
    #: The traced functions of greedy decoding and of reading the weights, made once.
    functions: dict[str, Any] = dataclasses.field(default_factory=dict, repr=False)

    @property
    def d_model(self) -> int:
        return self.units

    @property
    def key_dim(self) -> int:
        return self.units // self.num_heads


def _glorot(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


@functools.cache
def _layer_classes() -> tuple[type, type, type]:
    """The token embedding, the decoder block and the weight-reading wrapper layers
    (defined on first use: they need Keras)."""
    tf = tensorflow()
    keras, layers, ops = tf.keras, tf.keras.layers, tf.keras.ops
    Layer: Any = layers.Layer

    class TokenEmbedding(Layer):
        """Token ids (n, T) -> (n, T, d_model): ``table[ids] * sqrt(d_model) + PE[:T]``,
        PE the sinusoidal encoding of :func:`attention_lib.transformer.
        positional_encoding` for up to ``max_len`` positions."""

        def __init__(self, n_ids: int, d_model: int, max_len: int, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.n_ids, self.d_model, self.max_len = n_ids, d_model, max_len
            self.positions = positional_encoding(max_len, d_model).astype(np.float32)

        def build(self, input_shape: Any) -> None:
            self.table = self.add_weight(shape=(self.n_ids, self.d_model),
                                         initializer="zeros", name="embeddings")
            super().build(input_shape)

        def call(self, ids: Any) -> Any:
            x = ops.take(self.table, ids, axis=0) * math.sqrt(self.d_model)
            return x + ops.convert_to_tensor(self.positions)[:ops.shape(ids)[1]]

        def compute_output_shape(self, input_shape: Any) -> Any:
            return (*input_shape, self.d_model)

    class DecoderBlock(Layer):
        """A post-norm decoder block: (n, 10, d_model) -> (n, 10, d_model), causal
        self-attention, cross-attention over the encoder's output, feed-forward, each
        with its residual and LayerNormalization.

        ``call(y, memory, memory_mask, return_attention_scores=False)``: memory
        (n, S, d_model), memory_mask (n, 1, S) True = attend; with
        ``return_attention_scores`` returns (out, self weights (n, N, 10, 10), cross
        weights (n, N, 10, S))."""

        def __init__(self, d_model: int, num_heads: int, key_dim: int, d_ff: int, *,
                     epsilon: float = LAYER_NORM_EPSILON, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.d_model, self.num_heads, self.key_dim, self.d_ff = (
                d_model, num_heads, key_dim, d_ff)
            # Zeros everywhere (no draw from Keras's generators): the weights are set
            # from numpy after the block is built.
            zero = dict(kernel_initializer="zeros", bias_initializer="zeros")
            self.self_attention = layers.MultiHeadAttention(
                num_heads, key_dim, name="self_attention", **zero)
            self.norm_1 = layers.LayerNormalization(epsilon=epsilon, name="norm_1")
            self.cross_attention = layers.MultiHeadAttention(
                num_heads, key_dim, name="cross_attention", **zero)
            self.norm_2 = layers.LayerNormalization(epsilon=epsilon, name="norm_2")
            self.ffn_hidden = layers.Dense(d_ff, activation="relu", name="ffn_hidden",
                                           **zero)
            self.ffn_output = layers.Dense(d_model, name="ffn_output", **zero)
            self.norm_3 = layers.LayerNormalization(epsilon=epsilon, name="norm_3")

        def build(self, input_shape: Any) -> None:
            shape = (None, None, self.d_model)
            self.self_attention.build(shape, shape)
            self.cross_attention.build(shape, shape)
            for norm in (self.norm_1, self.norm_2, self.norm_3):
                norm.build(shape)
            self.ffn_hidden.build(shape)
            self.ffn_output.build((None, None, self.d_ff))
            super().build(input_shape)

        def set_numpy_weights(self, rng: np.random.Generator) -> None:
            d, n, h = self.d_model, self.num_heads, self.key_dim

            def f32(arrays: list[np.ndarray]) -> list[np.ndarray]:
                return [a.astype(np.float32) for a in arrays]

            self.self_attention.set_weights(f32(init_multihead_weights(rng, d, n, h)))
            self.cross_attention.set_weights(f32(init_multihead_weights(rng, d, n, h)))
            self.ffn_hidden.set_weights(f32([_glorot(rng, d, self.d_ff),
                                             np.zeros(self.d_ff)]))
            self.ffn_output.set_weights(f32([_glorot(rng, self.d_ff, d), np.zeros(d)]))

        def call(self, y: Any, memory: Any, memory_mask: Any,
                 return_attention_scores: bool = False) -> Any:
            # The explicit path only when the weights are asked for (module docstring).
            scores = bool(return_attention_scores)
            a = self.self_attention(y, y, use_causal_mask=True,
                                    return_attention_scores=scores)
            a, self_w = a if scores else (a, None)
            h1 = self.norm_1(y + a)
            c = self.cross_attention(h1, memory, attention_mask=memory_mask,
                                     return_attention_scores=scores)
            c, cross_w = c if scores else (c, None)
            h2 = self.norm_2(h1 + c)
            out = self.norm_3(h2 + self.ffn_output(self.ffn_hidden(h2)))
            return (out, self_w, cross_w) if scores else out

        def compute_output_spec(self, y: Any, memory: Any, memory_mask: Any,
                                return_attention_scores: bool = False) -> Any:
            out = keras.KerasTensor(y.shape)
            if not return_attention_scores:
                return out
            n, t, s = y.shape[0], y.shape[1], memory.shape[1]
            return (out, keras.KerasTensor((n, self.num_heads, t, t)),
                    keras.KerasTensor((n, self.num_heads, t, s)))

    class Scores(Layer):
        """A block of the model called with ``return_attention_scores=True``: (out,
        weights...). A layer of its own because a Keras functional graph wants every
        call of a layer to return the same structure (it reads a layer's outputs from
        its first call), and the plain blocks return the output alone."""

        def __init__(self, block: Any, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.block = block

        def call(self, *args: Any) -> Any:
            if isinstance(self.block, DecoderBlock):
                y, memory, mask = args
                return self.block(y, memory, mask, return_attention_scores=True)
            x, mask = args
            return self.block(x, attention_mask=mask, return_attention_scores=True)

        def compute_output_spec(self, *args: Any) -> Any:
            if isinstance(self.block, DecoderBlock):
                y, memory, mask = args
                return self.block.compute_output_spec(y, memory, mask,
                                                      return_attention_scores=True)
            x = args[0]
            heads = self.block.attention.num_heads
            return (keras.KerasTensor(x.shape),
                    keras.KerasTensor((x.shape[0], heads, x.shape[1], x.shape[1])))

    return TokenEmbedding, DecoderBlock, Scores


def build_date_transformer(vocab: Vocabulary, *, d_model: int = 64, num_heads: int = 8,
                           num_layers: int = 1, d_ff: int = 128,
                           seed: int = 0) -> DateTransformer:
    """The date Transformer for sources of ``vocab``: ``num_layers`` (1 or 2) encoder
    blocks and as many decoder blocks, each attention with ``num_heads`` heads of
    d_model / num_heads features, feed-forward width ``d_ff``. Every weight is drawn from
    numpy generators seeded by ``seed``: the same seed, the same model, whatever the
    process built before."""
    if not isinstance(vocab, Vocabulary):
        raise TypeError(f"vocab must be a Vocabulary from dates.vocabulary(); got "
                        f"{type(vocab).__name__}")
    d_model = check_int(d_model, "d_model", minimum=2)
    num_heads = check_int(num_heads, "num_heads", minimum=1)
    num_layers = check_int(num_layers, "num_layers", minimum=1, maximum=2)
    d_ff = check_int(d_ff, "d_ff", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    if d_model % 2:
        raise ValueError(f"d_model must be even (the positional encoding pairs a sine "
                         f"and a cosine); got {d_model}")
    if d_model % num_heads:
        raise ValueError(f"d_model ({d_model}) must be a multiple of num_heads "
                         f"({num_heads}): each head gets d_model / num_heads features")
    key_dim = d_model // num_heads
    tf = tensorflow()
    keras, layers, ops = tf.keras, tf.keras.layers, tf.keras.ops
    TokenEmbedding, DecoderBlock, Scores = _layer_classes()

    # Seeds: one generator per part, seed * 100 + k (as date_model numbers its seeds).
    def rng(k: int) -> np.random.Generator:
        return np.random.default_rng(seed * 100 + k)

    source_embedding = TokenEmbedding(vocab.size, d_model, vocab.max_len,
                                      name="source_embedding")
    target_embedding = TokenEmbedding(N_TARGET_TOKENS, d_model, TARGET_LEN,
                                      name="target_embedding")
    for k, emb in enumerate((source_embedding, target_embedding)):
        emb.build((None, None))
        emb.table.assign(rng(1 + k).normal(0.0, d_model ** -0.5, size=emb.table.shape)
                         .astype(np.float32))
    encoder_blocks = [keras_encoder_block(d_model, num_heads, key_dim, d_ff,
                                          seed=seed * 100 + 10 + k)
                      for k in range(num_layers)]
    decoder_blocks = []
    for k in range(num_layers):
        block = DecoderBlock(d_model, num_heads, key_dim, d_ff, name=f"decoder_{k}")
        block.build((None, TARGET_LEN, d_model))
        block.set_numpy_weights(rng(20 + k))
        decoder_blocks.append(block)
    encoder_scores = [Scores(b, name=f"encoder_{k}_scores")
                      for k, b in enumerate(encoder_blocks)]
    decoder_scores = [Scores(b, name=f"decoder_{k}_scores")
                      for k, b in enumerate(decoder_blocks)]
    to_logits = layers.Dense(N_TARGET_TOKENS, kernel_initializer="zeros", name="logits")
    to_logits.build((None, None, d_model))
    to_logits.set_weights([_glorot(rng(30), d_model, N_TARGET_TOKENS).astype(np.float32),
                           np.zeros(N_TARGET_TOKENS, np.float32)])
    key_mask = layers.Lambda(lambda s: ops.expand_dims(ops.not_equal(s, PAD), 1),
                             name="source_mask")

    def encode(source: Any, scores: bool) -> tuple[Any, Any, list[Any]]:
        mask = key_mask(source)                                       # (n, 1, S)
        x, maps = source_embedding(source), []
        for block, with_scores in zip(encoder_blocks, encoder_scores, strict=True):
            if scores:
                x, w = with_scores(x, mask)
                maps.append(w)
            else:
                x = block(x, attention_mask=mask)
        return x, mask, maps

    def decode(memory: Any, mask: Any, decoder_input: Any,
               scores: bool) -> tuple[Any, list[Any], list[Any]]:
        y, self_maps, cross_maps = target_embedding(decoder_input), [], []
        for block, with_scores in zip(decoder_blocks, decoder_scores, strict=True):
            if scores:
                y, self_w, cross_w = with_scores(y, memory, mask)
                self_maps.append(self_w)
                cross_maps.append(cross_w)
            else:
                y = block(y, memory, mask)
        return to_logits(y), self_maps, cross_maps

    source = keras.Input((None,), dtype="int32", name="source")
    decoder_input = keras.Input((TARGET_LEN,), dtype="int32", name="decoder_input")
    memory, mask, _ = encode(source, scores=False)
    logits, _, _ = decode(memory, mask, decoder_input, scores=False)
    model = keras.Model([source, decoder_input], logits, name="transformer")

    memory_s, mask_s, encoder_maps = encode(source, scores=True)
    logits_s, self_maps, cross_maps = decode(memory_s, mask_s, decoder_input, scores=True)
    maps = keras.Model([source, decoder_input],
                       {"encoder_self": encoder_maps, "decoder_self": self_maps,
                        "cross": cross_maps, "logits": logits_s},
                       name="transformer_maps")
    # The weights carry the attention mask as their Keras mask (the softmax layer sets
    # it); the mean drops it (mask= a function giving None), without a warning.
    head_mean = layers.Lambda(lambda w: ops.mean(w, axis=1), name="head_mean",
                              mask=lambda inputs, mask: None)
    alignment = keras.Model([source, decoder_input], head_mean(cross_maps[-1]),
                            name="transformer_weights")

    # Greedy decoding: the encoder once, then the decoder once per output step.
    encoder = keras.Model(source, [memory, mask], name="transformer_encoder")
    memory_in = keras.Input((None, d_model), name="memory")
    mask_in = keras.Input((1, None), dtype="bool", name="memory_mask")
    step_logits, _, step_cross = decode(memory_in, mask_in, decoder_input, scores=True)
    step = keras.Model([memory_in, mask_in, decoder_input],
                       [step_logits, head_mean(step_cross[-1])], name="transformer_step")
    return DateTransformer(name="transformer", model=model, greedy=_greedy(encoder, step),
                           alignment=alignment, vocab=vocab, units=d_model,
                           embed_dim=d_model, num_heads=num_heads, num_layers=num_layers,
                           d_ff=d_ff, maps=maps, encoder_blocks=encoder_blocks,
                           decoder_blocks=decoder_blocks)


def _greedy(encoder: Any, step: Any) -> Callable[..., Any]:
    """source (n, S) -> (predictions (n, 10) int32, weights (n, 10, S)): step i runs the
    decoder on START and the predictions 0 .. i - 1 and takes the argmax of row i. The
    weights are those of the last run, whose input is the whole greedy one; by
    causality its row i is what step i computed."""
    tf = tensorflow()

    def greedy(source: Any, training: bool = False) -> Any:
        memory, mask = encoder(source, training=training)
        n, s = tf.shape(source)[0], tf.shape(source)[1]
        cols = tf.range(TARGET_LEN)[None, :]
        tokens = tf.where(cols == 0, START, tf.zeros([n, TARGET_LEN], tf.int32))

        def body(i: Any, tokens: Any, predictions: Any, weights: Any) -> Any:
            logits, weights = step([memory, mask, tokens], training=training)
            token = tf.argmax(logits[:, i], -1, output_type=tf.int32)[:, None]
            return (i + 1, tf.where(cols == i + 1, token, tokens),
                    tf.where(cols == i, token, predictions), weights)

        loop = (tf.constant(0), tokens, tf.zeros([n, TARGET_LEN], tf.int32),
                tf.zeros([n, TARGET_LEN, s]))
        _, _, predictions, weights = tf.while_loop(lambda i, *_: i < TARGET_LEN, body, loop)
        return predictions, weights

    return greedy


def _check_transformer(model: Any) -> DateTransformer:
    if not isinstance(model, DateTransformer):
        raise TypeError(f"model must be a DateTransformer from build_date_transformer; "
                        f"got {type(model).__name__}")
    return model


def _check_schedule(schedule: Any) -> tuple[tuple[int, float], ...]:
    try:
        phases = tuple((check_int(e, "schedule epochs", minimum=1),
                        check_positive_float(lr, "schedule learning rate"))
                       for e, lr in schedule)
    except (TypeError, ValueError) as err:
        if "schedule" in str(err):
            raise
        raise TypeError(f"schedule must be (epochs, learning_rate) pairs, e.g. "
                        f"{SCHEDULE}; got {schedule!r}") from None
    if not phases:
        raise ValueError(f"schedule must hold at least one (epochs, learning_rate) pair, "
                         f"e.g. {SCHEDULE}; got {schedule!r}")
    if any(lr >= 1 for _, lr in phases):
        raise ValueError(f"schedule learning rates must be between 0 and 1; got "
                         f"{[lr for _, lr in phases]}")
    return phases


def train_transformer(model: DateTransformer, data: DateData, rng: np.random.Generator, *,
                      schedule: Any = SCHEDULE, batch_size: int = BATCH_SIZE,
                      progress: Callable[[int, float], None] | None = None,
                      report_every: int = 10) -> np.ndarray:
    """Train with teacher forcing by :func:`attention_lib.date_model.train` (Adam with the
    gradients clipped to norm 1, length-sorted batches drawn from ``rng`` every epoch),
    once per phase of ``schedule``: (epochs, learning rate) pairs, a step decay (each
    phase starts a fresh Adam). The default, :data:`SCHEDULE`, is the one
    benchmarks/date_transformer_training.py measures.

    ``progress(step, loss)`` is called every ``report_every`` steps and after the last,
    with steps counted over the whole schedule. Returns the loss of every step."""
    model = _check_transformer(model)
    phases = _check_schedule(schedule)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    report_every = check_int(report_every, "report_every", minimum=1)
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be a function (step, loss) or None; got "
                        f"{type(progress).__name__}")
    n = len(data) if isinstance(data, DateData) else 1
    total = sum(n_steps(n, epochs, batch_size) for epochs, _ in phases)
    losses, done = [], 0
    for epochs, learning_rate in phases:
        steps = n_steps(n, epochs, batch_size)

        def report(step: int, loss: float, offset: int = done) -> None:
            i = offset + step
            if progress is not None and (i % report_every == 0 or i == total):
                progress(i, loss)

        losses.append(train(model, data, rng, epochs=epochs, batch_size=batch_size,
                            learning_rate=learning_rate, progress=report, report_every=1))
        done += steps
    return np.concatenate(losses)


def _function(model: DateTransformer, name: str) -> Any:
    """The model's traced 'greedy' (source -> predictions) or 'maps' ([source,
    decoder_input] -> every map) function, traced on first use and kept: one trace for
    every width and batch (a graph, not Keras's eager calls: about 100 MB less peak
    memory reading the test set's weights)."""
    if name not in model.functions:
        tf = tensorflow()
        source = tf.TensorSpec((None, None), tf.int32)
        if name == "greedy":
            model.functions[name] = tf.function(
                lambda s: model.greedy(s, training=False)[0], input_signature=[source])
        else:
            model.functions[name] = tf.function(
                lambda s, d: model.maps([s, d], training=False),
                input_signature=[source, tf.TensorSpec((None, TARGET_LEN), tf.int32)])
    return model.functions[name]


def greedy_decode_transformer(model: DateTransformer, data: DateData) -> np.ndarray:
    """The greedy predictions (n, 10) int32 target ids, each step fed the model's own
    previous prediction, :data:`BLOCK` sources of similar length at a time, each block
    cut to its longest source. (``date_model.greedy_decode(model, data)`` gives the same
    predictions with the head-averaged cross-attention weights they were made with, in
    larger blocks: more memory.)"""
    model = _check_transformer(model)
    data = _check_data(data, model)
    run = _function(model, "greedy")
    predictions = np.empty((len(data), TARGET_LEN), np.int32)
    lengths = data.lengths
    for rows in _by_length(lengths, BLOCK):
        predictions[rows] = np.asarray(run(data.source[rows, :int(lengths[rows].max())]))
    return predictions


def attention_maps(model: DateTransformer, source: Any,
                   decoder_input: Any) -> dict[str, list[np.ndarray]]:
    """Every attention map with teacher forcing on ``decoder_input`` (n, 10), one array
    per block, float32 as the model computes them: 'encoder_self' (n, heads, max_len,
    max_len), 'decoder_self' (n, heads, 10, 10), 'cross' (n, heads, 10 output steps,
    max_len source positions). Each row sums to 1 over the source's characters (padding
    keys get 0), but the encoder's rows of padding positions, which are all 0 here (the
    model computes them, and nothing reads them)."""
    model = _check_transformer(model)
    return _read_maps(model, source, decoder_input,
                      [(key, k) for key in ("encoder_self", "decoder_self", "cross")
                       for k in range(model.num_layers)])


def _read_maps(model: DateTransformer, source: Any, decoder_input: Any,
               wanted: list[tuple[str, int]]) -> dict[str, list[np.ndarray]]:
    """The maps ``wanted`` ((kind, block) pairs), computed :data:`BLOCK` examples of
    similar length at a time, each block cut to its longest source, and only those
    kept: {kind: [array per wanted block, in order]}."""
    src = as_int_array(source, "source", 2)
    dec = as_int_array(decoder_input, "decoder_input", 2)
    width = model.vocab.max_len
    if src.shape[1] != width or src.shape[0] == 0:
        raise ValueError(f"source must be (n, {width}), n >= 1; got {src.shape}")
    if dec.shape != (src.shape[0], TARGET_LEN):
        raise ValueError(f"decoder_input must be (n, {TARGET_LEN}) with the n = "
                         f"{src.shape[0]} of source; got {dec.shape}")
    if src.min() < 0 or src.max() >= model.vocab.size:
        raise ValueError(f"source ids must lie in 0 .. {model.vocab.size - 1}; got "
                         f"{src.min()} .. {src.max()}")
    if dec.min() < 0 or dec.max() >= N_TARGET_TOKENS:
        raise ValueError(f"decoder_input ids must lie in 0 .. {N_TARGET_TOKENS - 1}; got "
                         f"{dec.min()} .. {dec.max()}")
    lengths = (src != PAD).sum(axis=1)
    if lengths.min() == 0:
        raise ValueError(f"source row {int(np.argmin(lengths))} is all padding; every "
                         "source needs at least one character")
    n, heads = len(src), model.num_heads
    shapes = {"encoder_self": (width, width), "decoder_self": (TARGET_LEN, TARGET_LEN),
              "cross": (TARGET_LEN, width)}
    result = [np.zeros((n, heads, *shapes[key]), np.float32) for key, _ in wanted]
    src, dec = src.astype(np.int32), dec.astype(np.int32)
    run = _function(model, "maps")
    for rows in _by_length(lengths, BLOCK):
        cut = int(lengths[rows].max())
        out = run(src[rows, :cut], dec[rows])
        for array, (key, k) in zip(result, wanted, strict=True):
            w = np.asarray(out[key][k])
            if key == "encoder_self":
                w = w * (np.arange(cut) < lengths[rows, None])[:, None, :, None]
                array[rows, :, :cut, :cut] = w
            elif key == "cross":
                array[rows, :, :, :cut] = w
            else:
                array[rows] = w
    grouped: dict[str, list[np.ndarray]] = {}
    for array, (key, _) in zip(result, wanted, strict=True):
        grouped.setdefault(key, []).append(array)
    return grouped


def head_alignment(model: DateTransformer, data: DateData, decoder_input: Any = None, *,
                   layer: int = -1) -> np.ndarray:
    """(n, heads, 3): for each head of decoder block ``layer``'s cross-attention, the
    share of the year's, month's and day's output steps' weight that lands on that
    field's characters (:func:`attention_lib.dates.field_alignment`), with teacher
    forcing on ``decoder_input`` (``data.decoder_input`` by default; pass START and the
    greedy predictions to measure the weights they were made with). The share is linear
    in the weights, so the mean over the heads is the share of the head-averaged weights.
    Read :data:`BLOCK` examples at a time: the weights themselves are never all held."""
    model = _check_transformer(model)
    data = _check_data(data, model)
    k = _layer(model, layer)
    dec = data.decoder_input if decoder_input is None else decoder_input
    out = np.empty((len(data), model.num_heads, 3))
    for start in range(0, len(data), BLOCK):
        rows = slice(start, start + BLOCK)
        w = _read_maps(model, data.source[rows], np.asarray(dec)[rows],
                       [("cross", k)])["cross"][0]
        for h in range(model.num_heads):
            out[rows, h] = field_alignment(w[:, h], data.spans[rows])
    return out


def _layer(model: DateTransformer, layer: Any) -> int:
    k = check_int(layer, "layer", minimum=-model.num_layers, maximum=model.num_layers - 1)
    return k % model.num_layers


def cross_attention_weights(model: DateTransformer, source: Any, decoder_input: Any, *,
                            layer: int = -1) -> np.ndarray:
    """The cross-attention weights (n, heads, 10 output steps, max_len source positions)
    of decoder block ``layer`` (the last by default) with teacher forcing on
    ``decoder_input``; each row sums to 1 over the source's characters, padding gets 0.
    Their mean over the heads is ``date_model.attention_weights(model, ...)``."""
    model = _check_transformer(model)
    k = _layer(model, layer)
    return _read_maps(model, source, decoder_input, [("cross", k)])["cross"][0]


def decoder_self_attention_weights(model: DateTransformer, source: Any, decoder_input: Any,
                                   *, layer: int = -1) -> np.ndarray:
    """The decoder's causal self-attention weights (n, heads, 10, 10) of block ``layer``
    (the last by default): row i is output step i, over decoder inputs 0 .. i; zero above
    the diagonal."""
    model = _check_transformer(model)
    k = _layer(model, layer)
    return _read_maps(model, source, decoder_input, [("decoder_self", k)])["decoder_self"][0]
