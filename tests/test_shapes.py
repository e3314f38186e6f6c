"""Every step of multi-head attention (attention_lib.multihead.multi_head_steps) and the
shape table (attention_lib.shapes)."""

import math

import numpy as np
import pytest

from attention_lib.multihead import init_multihead_weights, multi_head_attention, multi_head_steps
from attention_lib.shapes import shape_table


def test_steps_have_keras_shapes_and_end_in_the_twin():
    rng = np.random.default_rng(0)
    w = init_multihead_weights(rng, 4, 3, 2, 5, key_features=6, output_features=7)
    q, v, k = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 5, 4)), rng.normal(size=(2, 5, 6))
    steps = multi_head_steps(q, v, k, weights=w, use_causal_mask=True)
    shapes = {name: a.shape for name, a in steps.items()}
    assert shapes == {"query": (2, 3, 4), "key": (2, 5, 6), "value": (2, 5, 4),
                      "query heads": (2, 3, 3, 2), "key heads": (2, 5, 3, 2),
                      "value heads": (2, 5, 3, 5), "scores": (2, 3, 3, 5),
                      "weights": (2, 3, 3, 5), "context": (2, 3, 3, 5), "output": (2, 3, 7)}
    out, weights = multi_head_attention(q, v, k, weights=w, use_causal_mask=True)
    np.testing.assert_allclose(steps["output"], out)
    np.testing.assert_allclose(steps["weights"], weights)
    # The scores are the scaled dot products of head 0, before the mask.
    qh, kh = q @ w[0][:, 0], k @ w[2][:, 0]
    np.testing.assert_allclose(steps["scores"][:, 0], qh @ kh.transpose(0, 2, 1) / math.sqrt(2),
                               atol=1e-12)
    np.testing.assert_allclose(np.einsum("btnh,nho->bto", steps["context"], w[6]) + w[7], out,
                               atol=1e-12)


def test_unbatched_steps_drop_the_batch_axis():
    rng = np.random.default_rng(1)
    w = init_multihead_weights(rng, 4, 2, 2)
    x = rng.normal(size=(3, 4))
    steps = multi_head_steps(x, x, weights=w)
    batched = multi_head_steps(x[None], x[None], weights=w)
    assert steps.keys() == batched.keys()
    for name in steps:
        np.testing.assert_array_equal(steps[name], batched[name][0])


def test_shape_table():
    text = shape_table({"q": np.ones((2, 3)), "scores": np.ones(4)}, {"q": "(Tq, d)"})
    assert text.splitlines() == ["q       (2, 3)  (Tq, d)", "scores  (4,)"]


@pytest.mark.parametrize("args, error, words", [
    (({},), TypeError, "arrays must be a non-empty dict"),
    (([np.ones(2)],), TypeError, "arrays must be a non-empty dict"),
    (({"a": np.ones(2)}, {"b": "x"}), ValueError, r"notes names arrays .*\['b'\]"),
])
def test_shape_table_rejects(args, error, words):
    with pytest.raises(error, match=words):
        shape_table(*args)
