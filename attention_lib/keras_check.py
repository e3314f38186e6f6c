"""Cross-checks against Keras: run a Keras attention layer and its numpy twin on the same
inputs, with the layer's own weights loaded into the twin, and report how far apart they
are.

TensorFlow is imported (through :mod:`attention_lib.tensorflow_env`) on the first
cross-check, not on import, so the numpy-only notebooks start fast;
``keras_check.tensorflow()`` is that import, for the notebooks.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_bool_array, as_float_array, check_bool, check_int, check_rate
from .core import additive_attention, attention
from .i18n import language
from .portable import FLOAT32_ATOL
from .tensorflow_env import tensorflow
from .twins import additive_attention_from_weights, attention_from_weights

#: The tolerance of every numpy-versus-Keras check: float32's, as for printing.
DEFAULT_ATOL = FLOAT32_ATOL


def _chinese() -> bool:
    """Whether the reports speak Chinese (attention_lib.i18n), read when one is made."""
    return language() == "zh-CN"


def _within(diff: float, atol: float, chinese: bool = False) -> str:
    """A difference said against the tolerance: "within 1e-05" ("在 1e-05 以内") when it
    passes. The figure itself is left out: its last digits, even its power of ten, change
    with the CPU (float32 rounding), while "within the tolerance" does not."""
    if diff <= atol:
        return f"在 {atol:g} 以内" if chinese else f"within {atol:g}"
    return f"{diff:.1e} > {atol:g}"


def _verdict(passed: bool, chinese: bool) -> str:
    if chinese:
        return "通过" if passed else "未通过"
    return "PASS" if passed else "FAIL"


def _width(text: str) -> int:
    """How many columns ``text`` takes in a monospaced font: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` columns (see :func:`_width`)."""
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


@dataclasses.dataclass
class CrossCheck:
    """How far a numpy twin is from its Keras layer on one set of inputs.

    Printing it gives a short report; ``passed`` says whether both the output and the
    weights agree within ``atol``. The arrays are kept for plotting or further checks.
    """

    layer: str
    twin: str
    atol: float
    numpy_output: np.ndarray
    numpy_weights: np.ndarray
    keras_output: np.ndarray
    keras_weights: np.ndarray
    layer_weights: list[np.ndarray]

    @property
    def max_diff_output(self) -> float:
        return float(np.max(np.abs(self.numpy_output - self.keras_output)))

    @property
    def max_diff_weights(self) -> float:
        return float(np.max(np.abs(self.numpy_weights - self.keras_weights)))

    @property
    def max_diff(self) -> float:
        return max(self.max_diff_output, self.max_diff_weights)

    @property
    def passed(self) -> bool:
        return self.max_diff <= self.atol

    def report(self, chinese: bool = False) -> str:
        """The printed report, in English or (``chinese``) in Chinese."""
        output = _within(self.max_diff_output, self.atol, chinese)
        weights = _within(self.max_diff_weights, self.atol, chinese)
        verdict = _verdict(self.passed, chinese)
        if chinese:
            return (f"{self.layer}  与  {self.twin}  对照\n"
                    f"  输出  {self.numpy_output.shape}：|numpy - keras| {output}\n"
                    f"  权重  {self.numpy_weights.shape}：|numpy - keras| {weights}\n"
                    f"  {verdict}")
        return (f"{self.layer}  vs  {self.twin}\n"
                f"  output  {self.numpy_output.shape}: |numpy - keras| {output}\n"
                f"  weights {self.numpy_weights.shape}: |numpy - keras| {weights}\n"
                f"  {verdict}")

    def __str__(self) -> str:
        return self.report(_chinese())

    __repr__ = __str__

    def assert_ok(self) -> CrossCheck:
        """Raise AssertionError unless the twin agrees with Keras; return self. The error
        speaks English, as every error of the library does."""
        if not self.passed:
            raise AssertionError(f"numpy twin and Keras disagree: largest difference "
                                 f"{self.max_diff:.3g} > atol {self.atol:g}\n"
                                 f"{self.report()}")
        return self


def _keras_masks(query_mask: Any, value_mask: Any, use_causal_mask: bool
                 ) -> list[Any] | None:
    """The ``mask=[query_mask, value_mask]`` argument for a Keras attention call."""
    if query_mask is None and value_mask is None:
        return None
    if value_mask is not None and np.ndim(value_mask) >= 3 and not use_causal_mask:
        # Keras 3.15 adds the query axis to a value_mask only when it is 2-D (batch, Tv),
        # so with two or more batch axes it fails to broadcast (or, when the shapes
        # happen to line up, masks the wrong entries). Giving it (..., 1, Tv) applies
        # the mask as documented. With use_causal_mask Keras expands the mask itself.
        value_mask = as_bool_array(value_mask, "value_mask")[..., None, :]
    return [None if query_mask is None else as_bool_array(query_mask, "query_mask"),
            None if value_mask is None else as_bool_array(value_mask, "value_mask")]


def _as_float32(x: ArrayLike | None, name: str) -> np.ndarray | None:
    """Keras computes in float32: round the inputs once so both sides see the same
    numbers."""
    if x is None:
        return None
    return as_float_array(x, name, min_ndim=2).astype(np.float32)


def _float32_inputs(query: ArrayLike, value: ArrayLike, key: ArrayLike | None
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    q, v = _as_float32(query, "query"), _as_float32(value, "value")
    assert q is not None and v is not None  # neither argument may be None
    return q, v, _as_float32(key, "key")


def _built_layer(layer: Any, make: Any, q: np.ndarray, v: np.ndarray,
                 k: np.ndarray | None) -> Any:
    """The given layer, or a new one from ``make(tf)``, built for these input shapes."""
    if layer is None:
        layer = make(tensorflow())
    if not layer.built:
        layer.build([q.shape, v.shape] + ([] if k is None else [k.shape]))
    return layer


def _require_scale_weight(use_scale: bool) -> None:
    if not use_scale:
        raise ValueError("scale was given but use_scale is False; pass use_scale=True "
                         "to give the layer a scale weight")


def _keras_call(layer: Any, q: np.ndarray, v: np.ndarray, k: np.ndarray | None,
                query_mask: Any, value_mask: Any, use_causal_mask: bool,
                out_shape: tuple[int, ...], w_shape: tuple[int, ...]
                ) -> tuple[np.ndarray, np.ndarray]:
    inputs = [q, v] if k is None else [q, v, k]
    out, w = layer(inputs, mask=_keras_masks(query_mask, value_mask, use_causal_mask),
                   return_attention_scores=True, use_causal_mask=use_causal_mask)
    # Keras gives unbatched input with a causal mask a leading axis of 1; compare values.
    return (np.asarray(out, dtype=np.float64).reshape(out_shape),
            np.asarray(w, dtype=np.float64).reshape(w_shape))


def _compare(layer: Any, label: str, twin: str,
             run_twin: Callable[[list[np.ndarray]], tuple[np.ndarray, np.ndarray]],
             inputs: tuple[np.ndarray, np.ndarray, np.ndarray | None], query_mask: Any,
             value_mask: Any, use_causal_mask: bool, atol: float) -> CrossCheck:
    """The one comparison path of the Attention and AdditiveAttention checks: the twin on
    the layer's own ``get_weights()``, the layer on the same inputs and masks."""
    layer_weights = layer.get_weights()
    np_out, np_w = run_twin(layer_weights)
    k_out, k_w = _keras_call(layer, *inputs, query_mask, value_mask, use_causal_mask,
                             np_out.shape, np_w.shape)
    return CrossCheck(layer=label, twin=twin, atol=atol, numpy_output=np_out,
                      numpy_weights=np_w, keras_output=k_out, keras_weights=k_w,
                      layer_weights=[np.asarray(w) for w in layer_weights])


def keras_attention(query: ArrayLike, value: ArrayLike, key: ArrayLike | None = None, *,
                    layer: Any = None, scale: float | None = None,
                    use_causal_mask: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Only Keras's half of :func:`check_attention`: run ``layer`` (a
    ``tf.keras.layers.Attention``, built here if it is not yet; None makes a dot-score
    one) on the inputs rounded to float32, with its ``scale`` weight set to ``scale``
    (None keeps it). Returns (output,
    weights) as float64 arrays shaped like :func:`attention_lib.attention`'s.

    For a caller that has already computed (and so checked) the numpy side on the same
    inputs, like the explorer's Keras panel on every slider move; anyone else wants
    :func:`check_attention`, which also checks the inputs and runs the twin.
    """
    q, v, k = _float32_inputs(query, value, key)
    layer = _built_layer(layer, lambda tf: tf.keras.layers.Attention(
        use_scale=scale is not None), q, v, k)
    if scale is not None:
        _require_scale_weight(layer.use_scale)
        layer.scale.assign(float(scale))
    lead = q.shape[:-2]
    return _keras_call(layer, q, v, k, None, None, use_causal_mask,
                       (*lead, q.shape[-2], v.shape[-1]), (*lead, q.shape[-2], v.shape[-2]))


def check_attention(query: ArrayLike, value: ArrayLike, key: ArrayLike | None = None, *,
                    use_scale: bool = False, score_mode: str = "dot",
                    scale: float | None = None, concat_weight: float | None = None,
                    query_mask: ArrayLike | None = None,
                    value_mask: ArrayLike | None = None, use_causal_mask: bool = False,
                    layer: Any = None, atol: float = DEFAULT_ATOL) -> CrossCheck:
    """Run ``tf.keras.layers.Attention`` and :func:`attention_lib.attention` on the same
    inputs and compare output and weights.

    ``scale`` and ``concat_weight`` set the layer's ``use_scale`` and
    ``concat_score_weight`` weights (None keeps Keras's initial value, 1.0). Pass a built
    ``layer`` to reuse it (its own ``use_scale`` and ``score_mode`` then apply). The
    layer's weights, read back with ``get_weights()``, are what the twin uses.

    Shapes as in :func:`attention_lib.attention`.
    Introduced in notebooks/04_keras_attention_api.ipynb.
    """
    # Our own checks first: a bad input gets our message, not a Keras stack trace.
    attention(query, value, key, score_mode=score_mode, scale=1.0 if use_scale else None,
              query_mask=query_mask, value_mask=value_mask,
              use_causal_mask=use_causal_mask)
    q, v, k = _float32_inputs(query, value, key)
    layer = _built_layer(layer, lambda tf: tf.keras.layers.Attention(
        use_scale=use_scale, score_mode=score_mode), q, v, k)
    use_scale, score_mode = layer.use_scale, layer.score_mode
    if scale is not None:
        _require_scale_weight(use_scale)
        layer.scale.assign(float(scale))
    if concat_weight is not None:
        if score_mode != "concat":
            raise ValueError("concat_weight was given but score_mode is not 'concat'")
        layer.concat_score_weight.assign(float(concat_weight))
    return _compare(
        layer, f'Attention(use_scale={use_scale}, score_mode="{score_mode}")',
        "attention_lib.attention",
        lambda weights: attention_from_weights(
            q, v, k, weights=weights, use_scale=use_scale, score_mode=score_mode,
            query_mask=query_mask, value_mask=value_mask, use_causal_mask=use_causal_mask),
        (q, v, k), query_mask, value_mask, use_causal_mask, atol)


def check_additive_attention(query: ArrayLike, value: ArrayLike,
                             key: ArrayLike | None = None, *, use_scale: bool = True,
                             scale: ArrayLike | None = None,
                             query_mask: ArrayLike | None = None,
                             value_mask: ArrayLike | None = None,
                             use_causal_mask: bool = False, layer: Any = None,
                             atol: float = DEFAULT_ATOL) -> CrossCheck:
    """Run ``tf.keras.layers.AdditiveAttention`` and
    :func:`attention_lib.additive_attention` on the same inputs and compare them.

    With ``use_scale`` the layer draws a (d,) scale vector (glorot uniform); ``scale``
    overrides it. The twin uses the layer's weights as ``get_weights()`` returns them.
    Introduced in notebooks/06_keras_attention_layers.ipynb.
    """
    additive_attention(query, value, key, query_mask=query_mask, value_mask=value_mask,
                       use_causal_mask=use_causal_mask)
    q, v, k = _float32_inputs(query, value, key)
    layer = _built_layer(layer, lambda tf: tf.keras.layers.AdditiveAttention(
        use_scale=use_scale), q, v, k)
    use_scale = layer.use_scale
    if scale is not None:
        _require_scale_weight(use_scale)
        s = as_float_array(scale, "scale")
        if s.shape != (q.shape[-1],):
            raise ValueError(f"scale has shape {s.shape}, expected ({q.shape[-1]},)")
        layer.scale.assign(s.astype(np.float32))
    return _compare(
        layer, f"AdditiveAttention(use_scale={use_scale})", "attention_lib.additive_attention",
        lambda weights: additive_attention_from_weights(
            q, v, k, weights=weights, use_scale=use_scale, query_mask=query_mask,
            value_mask=value_mask, use_causal_mask=use_causal_mask),
        (q, v, k), query_mask, value_mask, use_causal_mask, atol)


def check_multi_head_attention(query: ArrayLike, value: ArrayLike,
                               key: ArrayLike | None = None, *, num_heads: int = 2,
                               key_dim: int = 2, value_dim: int | None = None,
                               use_bias: bool = True,
                               attention_mask: ArrayLike | None = None,
                               use_causal_mask: bool = False, layer: Any = None,
                               atol: float = DEFAULT_ATOL) -> CrossCheck:
    """Run ``tf.keras.layers.MultiHeadAttention`` and
    :func:`attention_lib.multihead.multi_head_attention` on the same inputs and compare
    output and attention scores.

    The layer draws its own weights (call ``tf.keras.utils.set_random_seed`` first for
    repeatable ones); the twin runs on ``layer.get_weights()``. Pass a built ``layer``
    to reuse it (its own heads, key_dim, value_dim and use_bias then apply).
    Shapes as in :func:`attention_lib.multihead.multi_head_attention`; unbatched 2-D
    input is given to Keras with a batch axis of 1 and compared without it.
    Introduced in notebooks/06_keras_attention_layers.ipynb.
    """
    from .multihead import init_multihead_weights, multi_head_attention

    q, v, k = (_as_float32(query, "query"), _as_float32(value, "value"),
               _as_float32(key, "key"))
    if layer is None:
        num_heads = check_int(num_heads, "num_heads", minimum=1)
        key_dim = check_int(key_dim, "key_dim", minimum=1)
        value_dim = None if value_dim is None else check_int(value_dim, "value_dim", minimum=1)
        use_bias = check_bool(use_bias, "use_bias")
    else:
        num_heads, key_dim = layer.num_heads, layer.key_dim
        value_dim, use_bias = layer.value_dim, layer.use_bias
    # Our own checks first, with stand-in weights of the right shapes: a bad input gets
    # our message, not a Keras stack trace.
    assert q is not None and v is not None
    stand_in = init_multihead_weights(
        np.random.default_rng(0), q.shape[-1], num_heads, key_dim, value_dim,
        key_features=(v if k is None else k).shape[-1], value_features=v.shape[-1],
        use_bias=bool(use_bias))
    multi_head_attention(q, v, k, weights=stand_in, attention_mask=attention_mask,
                         use_causal_mask=use_causal_mask)
    unbatched = q.ndim == 2
    kq, kv, kk = ((q[None], v[None], None if k is None else k[None]) if unbatched
                  else (q, v, k))
    mask = None if attention_mask is None else np.asarray(attention_mask, dtype=bool)
    if mask is not None and unbatched:
        mask = mask[None]
    tf = tensorflow()
    if layer is None:
        layer = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=key_dim,
                                                   value_dim=value_dim, use_bias=use_bias)
    k_out, k_scores = layer(kq, kv, kk, attention_mask=mask, return_attention_scores=True,
                            use_causal_mask=use_causal_mask)
    layer_weights = [np.asarray(w) for w in layer.get_weights()]
    np_out, np_scores = multi_head_attention(
        q, v, k, weights=[w.astype(np.float64) for w in layer_weights],
        attention_mask=attention_mask, use_causal_mask=use_causal_mask)
    return CrossCheck(
        layer=(f"MultiHeadAttention(num_heads={num_heads}, key_dim={key_dim}, "
               f"value_dim={value_dim}, use_bias={use_bias})"),
        twin="attention_lib.multihead.multi_head_attention", atol=atol,
        numpy_output=np_out, numpy_weights=np_scores,
        keras_output=np.asarray(k_out, dtype=np.float64).reshape(np_out.shape),
        keras_weights=np.asarray(k_scores, dtype=np.float64).reshape(np_scores.shape),
        layer_weights=layer_weights)


def check_attention_dropout(query: ArrayLike, value: ArrayLike, key: ArrayLike | None = None,
                            *, rate: float | None = None, seed: int | None = None,
                            use_scale: bool = False,
                            score_mode: str = "dot", query_mask: ArrayLike | None = None,
                            value_mask: ArrayLike | None = None,
                            use_causal_mask: bool = False, layer: Any = None,
                            atol: float = DEFAULT_ATOL) -> CrossCheck:
    """Run ``tf.keras.layers.Attention(dropout=rate)`` in training mode and compare it
    with the twin's weights after the same dropout.

    Keras drops each weight with probability ``rate`` and divides the survivors by
    ``1 - rate`` (inverted dropout); it returns the dropped weights and computes the
    output from them. Which weights survived is random, so it is read back from Keras's
    weights (:func:`attention_lib.twins.recover_keep_mask`); the twin's inference
    weights then go through :func:`attention_lib.twins.apply_dropout` with that pattern,
    and the output is the dropped weights times the value (rows of masked queries 0).
    Pass a built ``layer`` to reuse it (its own dropout rate, scale and score mode then
    apply; ``rate`` is then ignored); ``seed`` is the layer's ``seed=`` for a new layer.
    Shapes as in :func:`attention_lib.attention`.
    Introduced in notebooks/06_keras_attention_layers.ipynb.
    """
    from .twins import apply_dropout, attention_from_weights, recover_keep_mask

    attention(query, value, key, score_mode=score_mode, scale=1.0 if use_scale else None,
              query_mask=query_mask, value_mask=value_mask,
              use_causal_mask=use_causal_mask)
    q, v, k = (_as_float32(query, "query"), _as_float32(value, "value"),
               _as_float32(key, "key"))
    assert q is not None and v is not None
    tf = tensorflow()
    if layer is None:
        if rate is None:
            raise ValueError("rate is needed to make a new layer (or pass a built layer "
                             "with its own dropout)")
        rate = check_rate(rate)
        layer = tf.keras.layers.Attention(use_scale=use_scale, score_mode=score_mode,
                                          dropout=rate, seed=seed)
    rate, use_scale, score_mode = float(layer.dropout), layer.use_scale, layer.score_mode
    if not layer.built:
        layer.build([q.shape, v.shape] + ([] if k is None else [k.shape]))
    weights = [np.asarray(w) for w in layer.get_weights()]
    _, np_w = attention_from_weights(q, v, k, weights=weights, use_scale=use_scale,
                                     score_mode=score_mode, value_mask=value_mask,
                                     use_causal_mask=use_causal_mask)
    k_out, k_w = layer([q, v] if k is None else [q, v, k],
                       mask=_keras_masks(query_mask, value_mask, use_causal_mask),
                       training=True,
                       return_attention_scores=True, use_causal_mask=use_causal_mask)
    k_w = np.asarray(k_w, dtype=np.float64).reshape(np_w.shape)
    dropped = apply_dropout(np_w, recover_keep_mask(k_w), rate)
    np_out = dropped @ v.astype(np.float64)
    if query_mask is not None:
        np_out = np.where(as_bool_array(query_mask, "query_mask")[..., None], np_out, 0.0)
    return CrossCheck(
        layer=(f'Attention(use_scale={use_scale}, score_mode="{score_mode}", '
               f"dropout={rate:g}), training=True"),
        twin="attention_lib.twins.apply_dropout", atol=atol, numpy_output=np_out,
        numpy_weights=dropped,
        keras_output=np.asarray(k_out, dtype=np.float64).reshape(np_out.shape),
        keras_weights=k_w, layer_weights=weights)


def cross_check_table(rows: Any) -> str:
    """A text table of cross-checks, one line each: a label, whether the output and the
    weights agree within the tolerance (said so, without the figure, whose digits change
    with the CPU) and the verdict.

    ``rows`` is a list of (label, :class:`CrossCheck`) pairs.
    Introduced in notebooks/06_keras_attention_layers.ipynb.
    """
    if isinstance(rows, (str, bytes, dict)) or not hasattr(rows, "__iter__"):
        raise TypeError(f"rows must be a list of (label, CrossCheck) pairs; got "
                        f"{type(rows).__name__}")
    rows = list(rows)
    if not rows:
        raise ValueError("rows is empty; give at least one (label, CrossCheck) pair")
    for i, row in enumerate(rows):
        if (not isinstance(row, tuple) or len(row) != 2
                or not isinstance(row[1], CrossCheck)):
            raise TypeError(f"rows[{i}] must be a (label, CrossCheck) pair; got {row!r}")
    chinese = _chinese()
    head = ("选项", "输出", "权重", "结论") if chinese else ("option", "output", "weights",
                                                      "verdict")
    cells = [(str(label), _within(check.max_diff_output, check.atol, chinese),
              _within(check.max_diff_weights, check.atol, chinese),
              _verdict(check.passed, chinese)) for label, check in rows]
    width = max(_width(head[0]), *(_width(label) for label, *_ in cells))
    # 14 columns fit "within 1e-05"; the Chinese columns widen to fit every entry.
    column = max(14, *(_width(c) for _, *pair, _ in cells for c in pair)) if chinese else 14
    lines = [f"{_pad(head[0], width)}  {_pad(head[1], column, right=True)}  "
             f"{_pad(head[2], column, right=True)}  {head[3]}"]
    for label, output, weights, verdict in cells:
        lines.append(f"{_pad(label, width)}  {_pad(output, column, right=True)}  "
                     f"{_pad(weights, column, right=True)}  {verdict}")
    return "\n".join(lines)
