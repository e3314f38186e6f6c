"""The date translation models: a Bahdanau encoder-decoder that reads a date as people
write it (``2026年12月1日星期二``, ``Tuesday, December 1, 2026``) and writes its ISO
date, and the same model without attention; training, greedy decoding and the attention
weights.

Both models embed the source characters and read them with a bidirectional GRU, whose
states h_j (forward and backward joined) are the annotations of Bahdanau et al. (2015).
The decoder is a GRU cell run a step at a time for the 10 output characters (a
``tf.while_loop`` in the custom layer ``BahdanauDecoder``: one copy of the step in the
graph, which keeps the training step's graph, and the process's memory, small). Its first
state is ``s_0 = tanh(W_s [h_fwd_final; h_bwd_final])``. At step i:

* with attention, the context c_i is ``keras.layers.AdditiveAttention`` over the
  annotations with the previous decoder state s_{i-1} as the query (as Bahdanau et al.
  score ``v^T tanh(W_a s_{i-1} + U_a h_j)``: the layer adds a projected query to
  projected keys, and its learned scale is v), padding masked;
* without attention, c_i is the encoder's final states ``[h_fwd_final; h_bwd_final]``,
  the same vector at every step (the bottleneck);
* then ``s_i = GRU(s_{i-1}, [embed(y_{i-1}); c_i])`` and the logits of y_i are
  ``Dense([s_i; c_i])`` (the paper's eq. 4, p(y_i) = g(y_{i-1}, s_i, c_i), with a plain
  linear layer for g).

So the weights a_i of output step i (row i of every weight matrix here) are the ones
used to produce output character i, computed before it from s_{i-1}.

y_{i-1} is the true previous character in training (teacher forcing) and the model's
own previous prediction in :func:`greedy_decode`. The models differ only in the
attention's three weights (W_a, U_a and v); everything else starts from the same seeded
numbers.

Memory: TensorFlow alone takes ~540 MB of a process; the choices here (the loop, the
fused Adam of :func:`train`, batches cut to their longest source) keep training and
decoding both models in one process under ~700 MB (benchmarks/date_model_training.py).

Imports numpy and the task from :mod:`attention_lib.dates`. TensorFlow is imported
(quietly, through :func:`attention_lib.tensorflow_env.tensorflow`) by the functions that
build, train or run a model, when they are first called, never on import.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ._checks import as_int_array, check_bool, check_int, check_positive_float, check_rng
from .dates import N_TARGET_TOKENS, PAD, START, TARGET_LEN, DateData, Vocabulary

#: Examples decoded at once by greedy_decode and attention_weights (bounds peak memory).
BLOCK = 512


@dataclasses.dataclass
class DateModel:
    """A date encoder-decoder (see the module docstring).

    ``model`` maps [source (n, S), decoder_input (n, 10)] to logits (n, 10, 13) with
    teacher forcing, for sources of any width S (up to ``vocab.max_len``, padded with 0);
    ``greedy`` maps source to the greedy predictions (n, 10) and, for the attention model,
    the weights (n, 10 output steps, S source positions) it used; ``alignment``
    (attention only) maps the teacher-forcing inputs to the weights. The decoder layer is
    ``model.get_layer("decoder")``."""

    name: str
    model: Any
    greedy: Any
    alignment: Any | None
    vocab: Vocabulary
    units: int
    embed_dim: int

    @property
    def attention(self) -> bool:
        return self.alignment is not None

    @property
    def n_params(self) -> int:
        return int(self.model.count_params())


def build_date_model(vocab: Vocabulary, *, attention: bool, units: int = 64,
                     embed_dim: int = 32, attention_units: int | None = None,
                     seed: int = 0) -> DateModel:
    """The date encoder-decoder for sources of ``vocab`` (its characters; any width up to
    its max_len): ``units`` in each GRU direction and in the decoder, ``attention_units``
    (``units`` by default) in the additive score. Weights start from ``seed``: two models
    built with the same seed share every starting weight but the attention's."""
    from .tensorflow_env import tensorflow

    if not isinstance(vocab, Vocabulary):
        raise TypeError(f"vocab must be a Vocabulary from dates.vocabulary(); got "
                        f"{type(vocab).__name__}")
    attention = check_bool(attention, "attention")
    units = check_int(units, "units", minimum=1)
    embed_dim = check_int(embed_dim, "embed_dim", minimum=1)
    attention_units = units if attention_units is None else check_int(
        attention_units, "attention_units", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    tf = tensorflow()
    keras, layers, ops = tf.keras, tf.keras.layers, tf.keras.ops
    init = keras.initializers

    def glorot(k: int) -> Any:
        return init.GlorotUniform(seed=seed * 100 + k)

    def orthogonal(k: int) -> Any:
        return init.Orthogonal(seed=seed * 100 + k)

    # Sources of any width: train() cuts each batch to its longest source.
    source = keras.Input((None,), dtype="int32", name="source")
    decoder_input = keras.Input((TARGET_LEN,), dtype="int32", name="decoder_input")
    embedded = layers.Embedding(vocab.size, embed_dim, mask_zero=True,
                                embeddings_initializer=init.RandomUniform(
                                    -0.05, 0.05, seed=seed * 100 + 1),
                                name="source_embedding")(source)
    encoder = layers.Bidirectional(
        layers.GRU(units, return_sequences=True, return_state=True,
                   kernel_initializer=glorot(2), recurrent_initializer=orthogonal(3)),
        backward_layer=layers.GRU(units, return_sequences=True, return_state=True,
                                  go_backwards=True, kernel_initializer=glorot(4),
                                  recurrent_initializer=orthogonal(5)),
        name="encoder")
    annotations, forward_final, backward_final = encoder(embedded)
    final = layers.Concatenate(name="final_states")([forward_final, backward_final])
    initial_state = layers.Dense(units, activation="tanh", kernel_initializer=glorot(6),
                                 name="initial_state")(final)
    source_mask = layers.Lambda(lambda s: ops.not_equal(s, PAD), name="source_mask")(source)
    decoder = _decoder_class()(units, embed_dim, attention_units if attention else 0, seed,
                               name="decoder")
    encoded = [annotations, source_mask, initial_state, final]
    logits, teacher_weights = decoder(encoded + [decoder_input])
    predictions, greedy_weights = decoder(encoded)

    name = "attention" if attention else "no_attention"
    model = keras.Model([source, decoder_input], logits, name=name)
    if attention:
        greedy = keras.Model(source, [predictions, greedy_weights], name=f"{name}_greedy")
        alignment = keras.Model([source, decoder_input], teacher_weights,
                                name=f"{name}_weights")
    else:
        greedy = keras.Model(source, predictions, name=f"{name}_greedy")
        alignment = None
    return DateModel(name, model, greedy, alignment, vocab, units, embed_dim)


@functools.cache
def _decoder_class() -> type:
    """The decoder layer (defined on first use: it needs Keras)."""
    from .tensorflow_env import tensorflow

    tf = tensorflow()
    keras, layers = tf.keras, tf.keras.layers
    init = keras.initializers
    Layer: Any = layers.Layer

    class BahdanauDecoder(Layer):
        """The decoder of the module docstring, a step at a time for the 10 output
        characters (a ``tf.while_loop``: one copy of the step in the graph).

        Called on [annotations (n, S, 2U), source_mask (n, S), s_0 (n, U), final states
        (n, 2U), decoder_input (n, 10)] it teacher-forces and returns (logits (n, 10, 13),
        weights (n, 10, S)); without decoder_input it decodes greedily and returns
        (predictions (n, 10) int32, weights). ``attention_units`` 0: no attention, the
        final states are the context at every step, and the weights are zeros."""

        def __init__(self, units: int, embed_dim: int, attention_units: int, seed: int,
                     **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.units, self.embed_dim, self.attention_units = units, embed_dim, attention_units
            self.seed = seed

            def glorot(k: int) -> Any:
                return init.GlorotUniform(seed=seed * 100 + k)

            self.embedding = layers.Embedding(N_TARGET_TOKENS, embed_dim,
                                              embeddings_initializer=init.RandomUniform(
                                                  -0.05, 0.05, seed=seed * 100 + 7),
                                              name="target_embedding")
            self.cell = layers.GRUCell(units, kernel_initializer=glorot(8),
                                       recurrent_initializer=init.Orthogonal(
                                           seed=seed * 100 + 9), name="decoder_cell")
            self.to_logits = layers.Dense(N_TARGET_TOKENS, kernel_initializer=glorot(10),
                                          name="logits")
            if attention_units:
                self.to_keys = layers.Dense(attention_units, use_bias=False,  # U_a h_j
                                            kernel_initializer=glorot(11), name="keys")
                self.to_query = layers.Dense(attention_units,                  # W_a s
                                             kernel_initializer=glorot(12), name="query")
                self.attend = layers.AdditiveAttention(use_scale=True,         # v, softmax
                                                       name="attention")

        def build(self, input_shape: Any) -> None:
            # Every weight is made here, before the loop (none can be made inside it).
            width = input_shape[0][-1]                                  # 2U
            self.embedding.build((None,))
            self.cell.build((None, self.embed_dim + width))
            self.to_logits.build((None, self.units + width))
            if self.attention_units:
                a = self.attention_units
                self.to_keys.build((None, None, width))
                self.to_query.build((None, self.units))
                self.attend.build([(None, 1, a), (None, None, width), (None, None, a)])
                # The layer draws its scale v from Keras's global generator: seed it too.
                self.attend.scale.assign(
                    init.GlorotUniform(seed=self.seed * 100 + 13)((a,)))

        def compute_output_spec(self, inputs: Any, mask: Any = None) -> Any:
            annotations = inputs[0]
            n, width = annotations.shape[0], annotations.shape[1]
            weights = keras.KerasTensor((n, TARGET_LEN, width))
            if len(inputs) == 5:
                return keras.KerasTensor((n, TARGET_LEN, N_TARGET_TOKENS)), weights
            return keras.KerasTensor((n, TARGET_LEN), dtype="int32"), weights

        def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
            return None

        def call(self, inputs: Any, mask: Any = None) -> Any:
            # ``mask``: the Keras masks riding on the inputs; the source mask comes in
            # explicitly (inputs[1]) and nothing downstream is masked.
            annotations, source_mask, state, final = inputs[:4]
            teacher = len(inputs) == 5
            if teacher:
                previous_all = self.embedding(inputs[4])                # (n, 10, E)
            keys = self.to_keys(annotations) if self.attention_units else None
            n = tf.shape(annotations)[0]

            def body(i: Any, state: Any, token: Any, outputs: Any, weights: Any) -> Any:
                previous = previous_all[:, i] if teacher else self.embedding(token)
                if self.attention_units:
                    query = tf.expand_dims(self.to_query(state), 1)     # s_{i-1}
                    context, w = self.attend([query, annotations, keys],
                                             mask=[None, source_mask],
                                             return_attention_scores=True)
                    context, w = context[:, 0], w[:, 0]                 # (n, 2U), (n, S)
                else:
                    context = final
                    w = tf.zeros(tf.shape(annotations)[:2])
                state, _ = self.cell(tf.concat([previous, context], -1), [state])
                logits = self.to_logits(tf.concat([state, context], -1))
                token = tf.argmax(logits, -1, output_type=tf.int32)
                return (i + 1, state, token, outputs.write(i, logits if teacher else token),
                        weights.write(i, w))

            out_type = tf.float32 if teacher else tf.int32
            loop = (tf.constant(0), state, tf.fill([n], START),
                    tf.TensorArray(out_type, size=TARGET_LEN),
                    tf.TensorArray(tf.float32, size=TARGET_LEN))
            _, _, _, outputs, weights = tf.while_loop(lambda i, *_: i < TARGET_LEN, body,
                                                      loop)
            outputs = outputs.stack()                                   # (10, n, ...)
            outputs = (tf.transpose(outputs, [1, 0, 2]) if teacher
                       else tf.transpose(outputs, [1, 0]))
            return outputs, tf.transpose(weights.stack(), [1, 0, 2])

    return BahdanauDecoder


def _check_model(model: Any) -> DateModel:
    if not isinstance(model, DateModel):
        raise TypeError(f"model must be a DateModel from build_date_model; got "
                        f"{type(model).__name__}")
    return model


def _check_data(data: Any, model: DateModel) -> DateData:
    if not isinstance(data, DateData):
        raise TypeError(f"data must be a DateData from dates.date_data; got "
                        f"{type(data).__name__}")
    if data.vocab != model.vocab:
        raise ValueError(f"data was encoded with another vocabulary ({data.vocab.size} ids, "
                         f"max_len {data.vocab.max_len}) than the model's "
                         f"({model.vocab.size} ids, max_len {model.vocab.max_len}); pass "
                         "vocab= to date_data")
    return data


def n_steps(n_examples: int, epochs: int, batch_size: int, *, pool: int = 32) -> int:
    """The number of training steps of :func:`train` (its batches come from
    :func:`length_batches`): ``epochs`` times the batches of one epoch."""
    n_examples = check_int(n_examples, "n_examples", minimum=1)
    epochs = check_int(epochs, "epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    pool = check_int(pool, "pool", minimum=1)
    full, rest = divmod(n_examples, batch_size * pool)
    return epochs * (full * pool + math.ceil(rest / batch_size))


def train(model: DateModel, data: DateData, rng: np.random.Generator, *, epochs: int = 3,
          batch_size: int = 64, learning_rate: float = 3e-3,
          progress: Callable[[int, float], None] | None = None,
          report_every: int = 10) -> np.ndarray:
    """Train with teacher forcing and Adam (gradients clipped to norm 1) for ``epochs``
    passes over ``data``, in batches of similar length drawn by :func:`length_batches`
    from ``rng`` every epoch, each cut to its longest source. Two models trained with
    generators of the same seed see the same batches. Each call starts a fresh Adam.

    ``progress(step, loss)`` is called every ``report_every`` steps and after the last
    (:func:`n_steps` steps in all): the hook for a progress bar
    (``seq2seq_views.TrainingProgress(...).callback(name)`` takes this form).
    Returns the loss of every step, shape (n_steps,).
    """
    from .tensorflow_env import tensorflow

    model = _check_model(model)
    data = _check_data(data, model)
    rng = check_rng(rng)
    total = n_steps(len(data), epochs, batch_size)
    report_every = check_int(report_every, "report_every", minimum=1)
    learning_rate = check_positive_float(learning_rate, "learning_rate")
    if learning_rate >= 1:
        raise ValueError(f"learning_rate must be between 0 and 1; got {learning_rate}")
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be a function (step, loss) or None; got "
                        f"{type(progress).__name__}")
    tf = tensorflow()
    net = model.model
    weights = net.trainable_variables
    adam = _FusedAdam(tf, weights, learning_rate)
    spec = [tf.TensorSpec((None, None), tf.int32),
            tf.TensorSpec((None, TARGET_LEN), tf.int32),
            tf.TensorSpec((None, TARGET_LEN), tf.int32)]

    @tf.function(input_signature=spec)
    def step(source: Any, decoder_input: Any, target: Any) -> Any:
        with tf.GradientTape() as tape:
            logits = net([source, decoder_input], training=True)
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
                target, logits))
        adam.apply(tape.gradient(loss, weights))
        return loss

    losses = np.empty(total)
    lengths = data.lengths
    i = 0
    for _ in range(epochs):
        for rows in length_batches(lengths, batch_size, rng):
            width = int(lengths[rows].max())
            losses[i] = float(step(data.source[rows, :width], data.decoder_input[rows],
                                   data.target[rows]))
            i += 1
            if progress is not None and (i % report_every == 0 or i == total):
                progress(i, losses[i - 1])
    # The traced step (tens of MB) sits in reference cycles: free it now, before the next
    # model is traced, not whenever the collector next runs.
    del step
    gc.collect()
    return losses


class _FusedAdam:
    """Adam (Kingma & Ba 2015; Keras's defaults beta_1 0.9, beta_2 0.999, epsilon 1e-7)
    with the gradients clipped to global norm 1, as TensorFlow's fused kernel: one
    ``ResourceApplyAdam`` op per weight. ``keras.optimizers.Adam`` computes the same
    update from about 25 small ops per weight, and those ~700 extra graph nodes cost this
    process about 35 MB more peak memory (measured with this model): too much next to the
    ~540 MB TensorFlow itself takes, with 700 MB the budget of a notebook."""

    def __init__(self, tf: Any, weights: list[Any], learning_rate: float) -> None:
        self.tf, self.learning_rate = tf, learning_rate
        self.handles = [getattr(w, "value", w).handle for w in weights]
        self.slots = [(tf.Variable(tf.zeros(w.shape), trainable=False),
                       tf.Variable(tf.zeros(w.shape), trainable=False)) for w in weights]
        self.powers = tf.Variable([1.0, 1.0], trainable=False)  # beta_1^t, beta_2^t

    def apply(self, grads: list[Any]) -> None:
        tf = self.tf
        # The embeddings' gradients come as IndexedSlices: the tables are small, go dense.
        grads, _ = tf.clip_by_global_norm([tf.convert_to_tensor(g) for g in grads], 1.0)
        powers = self.powers.assign(self.powers * [0.9, 0.999])
        for handle, (m, v), g in zip(self.handles, self.slots, grads, strict=True):
            tf.raw_ops.ResourceApplyAdam(var=handle, m=m.handle, v=v.handle,
                                         beta1_power=powers[0], beta2_power=powers[1],
                                         lr=self.learning_rate, beta1=0.9, beta2=0.999,
                                         epsilon=1e-7, grad=g)


def length_batches(lengths: Any, batch_size: int, rng: np.random.Generator, *,
                   pool: int = 32) -> list[np.ndarray]:
    """One epoch's batches (index arrays) of examples of similar length: shuffle, sort
    each run of ``pool`` batches' worth of examples by length, cut it into batches and
    shuffle their order. A batch then pads only to its own longest source (about half
    the work of padding every batch to the longest date). Every index appears once."""
    lens = as_int_array(lengths, "lengths", 1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    rng = check_rng(rng)
    pool = check_int(pool, "pool", minimum=1)
    order = rng.permutation(len(lens))
    run = batch_size * pool
    batches = []
    for start in range(0, len(order), run):
        chunk = order[start:start + run]
        chunk = chunk[np.argsort(lens[chunk], kind="stable")]
        batches += [chunk[k:k + batch_size] for k in range(0, len(chunk), batch_size)]
    return [batches[k] for k in rng.permutation(len(batches))]


def _blocks(n: int, size: int = BLOCK) -> list[slice]:
    return [slice(i, min(i + size, n)) for i in range(0, n, size)]


def greedy_decode(model: DateModel, data: DateData) -> tuple[np.ndarray, np.ndarray | None]:
    """Decode without teacher forcing, each step fed the model's own previous prediction.
    Returns (predictions (n, 10) int32 target ids, the attention weights (n, 10, max_len)
    they were made with, or None for the model without attention). Every row of the
    weights sums to 1 over the source's characters (padding gets 0)."""
    from .tensorflow_env import tensorflow

    model = _check_model(model)
    data = _check_data(data, model)
    tf = tensorflow()
    run = tf.function(lambda s: model.greedy(s, training=False),
                      input_signature=[tf.TensorSpec((None, None), tf.int32)])
    n, width = data.source.shape
    predictions = np.empty((n, TARGET_LEN), np.int32)
    weights = np.zeros((n, TARGET_LEN, width)) if model.attention else None
    for rows in _by_length(data.lengths):
        cut = int(data.lengths[rows].max())
        out = run(data.source[rows, :cut])
        if weights is not None:
            predictions[rows] = np.asarray(out[0])
            weights[rows, :, :cut] = np.asarray(out[1])
        else:
            predictions[rows] = np.asarray(out)
    del run, out  # as in train: free the traced function now
    gc.collect()
    return predictions, weights


def _by_length(lengths: np.ndarray, size: int = BLOCK) -> list[np.ndarray]:
    """Blocks of at most ``size`` indices, shortest sources first (less padding)."""
    order = np.argsort(lengths, kind="stable")
    return [order[i:i + size] for i in range(0, len(order), size)]


def attention_weights(model: DateModel, source: Any, decoder_input: Any) -> np.ndarray:
    """The attention model's weights (n, 10 output steps, max_len source positions) with
    teacher forcing on ``decoder_input`` (n, 10); each row sums to 1, padding gets 0."""
    model = _check_model(model)
    if model.alignment is None:
        raise ValueError(f"model {model.name!r} has no attention layer; build it with "
                         "build_date_model(vocab, attention=True)")
    src = as_int_array(source, "source", 2)
    dec = as_int_array(decoder_input, "decoder_input", 2)
    if (src.shape[1] != model.vocab.max_len or dec.shape[1] != TARGET_LEN
            or src.shape[0] != dec.shape[0]):
        raise ValueError(f"source must be (n, {model.vocab.max_len}) and decoder_input "
                         f"(n, {TARGET_LEN}); got source {src.shape}, decoder_input "
                         f"{dec.shape}")
    src, dec = src.astype(np.int32), dec.astype(np.int32)
    return np.concatenate([np.asarray(model.alignment([src[rows], dec[rows]],
                                                      training=False), np.float64)
                           for rows in _blocks(len(src))])
