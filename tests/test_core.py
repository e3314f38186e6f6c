"""attention() and additive_attention(): the computation, the masks, and bad input."""

import numpy as np
import pytest

from attention_lib import additive_attention, attention, softmax
from attention_lib.data import seed_arrays

S = seed_arrays()
rng = np.random.default_rng(1)


def reference(q, v, k):
    """Three stages written out with loops: score, softmax, weighted sum."""
    scores = np.array([[qi @ kj for kj in k] for qi in q])
    w = np.exp(scores - scores.max(axis=1, keepdims=True))
    w /= w.sum(axis=1, keepdims=True)
    return np.array([sum(w[i, j] * v[j] for j in range(len(v))) for i in range(len(q))]), w


def test_seed_experiment_1_key_defaults_to_value():
    out, w = attention(S["query"], S["value"])
    ref_out, ref_w = reference(S["query"], S["value"], S["value"])
    np.testing.assert_allclose(out, ref_out)
    np.testing.assert_allclose(w, ref_w)
    np.testing.assert_allclose(w, [[0.5, 0.5], [3.3535013e-04, 9.9966465e-01]], atol=1e-9)


def test_seed_experiment_2_query_value_key_order():
    out, w = attention(S["query"], S["value"], S["key"])
    ref_out, ref_w = reference(S["query"], S["value"], S["key"])
    np.testing.assert_allclose(out, ref_out)
    np.testing.assert_allclose(w, ref_w)
    swapped, _ = attention(S["query"], S["key"], S["value"])
    assert not np.allclose(out, swapped)


def test_score_modes_and_scale():
    q, k, v = rng.normal(size=(3, 4)), rng.normal(size=(5, 4)), rng.normal(size=(5, 2))
    _, w_dot = attention(q, v, k)
    _, w_scaled = attention(q, v, k, score_mode="scaled_dot")
    _, w_half = attention(q, v, k, scale=0.5)
    np.testing.assert_allclose(w_scaled, w_half)
    np.testing.assert_allclose(w_dot, softmax(q @ k.T))
    _, w_cos = attention(q, v, k, score_mode="cosine", scale=3.0)
    qn = q / np.linalg.norm(q, axis=1, keepdims=True)
    kn = k / np.linalg.norm(k, axis=1, keepdims=True)
    np.testing.assert_allclose(w_cos, softmax(3.0 * qn @ kn.T))
    _, w_cat = attention(q, v, k, score_mode="concat", scale=0.7, concat_weight=1.5)
    cat = 1.5 * np.tanh(0.7 * (q[:, None, :] + k[None, :, :])).sum(-1)
    np.testing.assert_allclose(w_cat, softmax(cat))


def test_value_mask_gives_zero_weight_and_renormalises():
    q, v = rng.normal(size=(2, 3)), rng.normal(size=(4, 3))
    mask = np.array([True, False, True, False])
    out, w = attention(q, v, value_mask=mask)
    np.testing.assert_array_equal(w[:, ~mask], 0.0)
    _, w_sub = attention(q, v[mask])
    np.testing.assert_allclose(w[:, mask], w_sub)
    np.testing.assert_allclose(out, w_sub @ v[mask])


def test_fully_masked_row_is_uniform_like_keras():
    q, v = rng.normal(size=(2, 3)), rng.normal(size=(4, 3))
    out, w = attention(q, v, value_mask=np.zeros(4, bool))
    np.testing.assert_allclose(w, np.full((2, 4), 0.25))
    np.testing.assert_allclose(out, np.tile(v.mean(axis=0), (2, 1)))


def test_query_mask_zeroes_output_rows_only():
    q, v = rng.normal(size=(3, 3)), rng.normal(size=(4, 3))
    out, w = attention(q, v, query_mask=np.array([True, False, True]))
    ref_out, ref_w = attention(q, v)
    np.testing.assert_array_equal(out[1], 0.0)
    np.testing.assert_allclose(out[[0, 2]], ref_out[[0, 2]])
    np.testing.assert_allclose(w, ref_w)


def test_causal_mask_with_value_mask():
    x = rng.normal(size=(4, 3))
    _, w = attention(x, x, use_causal_mask=True, value_mask=np.array([False, True, True, True]))
    np.testing.assert_allclose(w[0], 0.25)            # row 0 sees only key 0, which is masked
    assert np.all(np.triu(w[1:], k=2) == 0)
    assert np.all(w[1:, 0] == 0)
    np.testing.assert_allclose(w.sum(axis=-1), 1.0)


def test_batched_input_with_several_leading_axes():
    q = rng.normal(size=(2, 3, 4, 5))
    v = rng.normal(size=(2, 3, 6, 2))
    k = rng.normal(size=(2, 3, 6, 5))
    vm = rng.random(size=(2, 3, 6)) > 0.3
    out, w = attention(q, v, k, value_mask=vm, use_causal_mask=True)
    assert out.shape == (2, 3, 4, 2) and w.shape == (2, 3, 4, 6)
    o11, w11 = attention(q[1, 2], v[1, 2], k[1, 2], value_mask=vm[1, 2], use_causal_mask=True)
    np.testing.assert_allclose(out[1, 2], o11)
    np.testing.assert_allclose(w[1, 2], w11)


def test_additive_attention_matches_formula():
    q, k, v = rng.normal(size=(3, 4)), rng.normal(size=(5, 4)), rng.normal(size=(5, 2))
    s = rng.normal(size=4)
    out, w = additive_attention(q, v, k, scale=s)
    scores = (s * np.tanh(q[:, None, :] + k[None, :, :])).sum(-1)
    np.testing.assert_allclose(w, softmax(scores))
    np.testing.assert_allclose(out, softmax(scores) @ v)


def test_integer_input_is_accepted():
    out, _ = attention([[1, 0, 1], [2, 3, 1]], [[2, 1, 1], [1, 4, 2]])
    np.testing.assert_allclose(out, attention(S["query"], S["value"])[0])


# --- Bad input: one test per kind, each message naming the argument and the shapes ---

Q, V, K = S["query"], S["value"], S["key"]


@pytest.mark.parametrize("kwargs, exc, message", [
    # wrong rank
    (dict(query=np.ones(3), value=V), ValueError,
     "query must have at least 2 dimensions; got shape (3,)"),
    (dict(query=Q, value=np.ones(3)), ValueError,
     "value must have at least 2 dimensions; got shape (3,)"),
    # mismatched feature sizes
    (dict(query=Q, value=V, key=np.ones((2, 4))), ValueError,
     "key has 4 features but query has 3; they must match for a dot score "
     "(query (2, 3), key (2, 4))"),
    (dict(query=Q, value=np.ones((2, 4))), ValueError,
     "value has 4 features but query has 3; they must match for a dot score (query (2, 3), "
     "value (2, 4)). With no key given, value is used as the key."),
    # key/value length mismatch
    (dict(query=Q, value=V, key=np.ones((5, 3))), ValueError,
     "key has 5 positions but value has 2; every key needs exactly one value "
     "(key (5, 3), value (2, 3))"),
    # batch mismatch
    (dict(query=np.ones((2, 2, 3)), value=np.ones((3, 2, 3))), ValueError,
     "value has batch shape (3,) but query has (2,); the leading axes must match "
     "(query (2, 2, 3), value (3, 2, 3))"),
    (dict(query=np.ones((2, 2, 3)), value=np.ones((2, 3))), ValueError,
     "value has batch shape () but query has (2,)"),
    # masks of the wrong shape or type
    (dict(query=Q, value=V, value_mask=np.ones(3, bool)), ValueError,
     "value_mask has shape (3,), expected (2,) (one entry per key: value (2, 3))"),
    (dict(query=Q, value=V, query_mask=np.ones((1, 2), bool)), ValueError,
     "query_mask has shape (1, 2), expected (2,) (one entry per query: query (2, 3))"),
    (dict(query=Q, value=V, value_mask=np.array([0.5, 1.0])), TypeError,
     "value_mask must be a boolean array (True = attend, False = masked), or 0/1 integers; "
     "got dtype float64"),
    (dict(query=Q, value=V, use_causal_mask="yes"), TypeError,
     "use_causal_mask must be True or False; got 'yes'"),
    # unknown score mode
    (dict(query=Q, value=V, score_mode="general"), ValueError,
     "score_mode must be one of 'dot', 'concat', 'scaled_dot', 'cosine'; got 'general'"),
    # empty sequences
    (dict(query=np.ones((0, 3)), value=V), ValueError,
     "query is empty (shape (0, 3)); every axis needs at least one entry"),
    (dict(query=Q, value=np.ones((0, 3))), ValueError, "value is empty (shape (0, 3))"),
    (dict(query=np.ones((2, 0)), value=np.ones((2, 0))), ValueError, "query is empty"),
    # NaN or infinite entries
    (dict(query=np.array([[1.0, np.nan, 1.0], [2, 3, 1]]), value=V), ValueError,
     "query contains NaN at index (0, 1) (shape (2, 3)); every entry must be a finite number"),
    (dict(query=Q, value=V, key=np.array([[1.0, 2.0, np.inf], [3, 1, 0.1]])), ValueError,
     "key contains an infinite value at index (0, 2)"),
    # non-numeric input
    (dict(query=np.array([["a", "b", "c"], ["d", "e", "f"]]), value=V), TypeError,
     "query must be a numeric array; got dtype <U1 (shape (2, 3))"),
    (dict(query=[[1, 2, 3], [4, 5]], value=V), ValueError,
     "query could not be read as an array"),
    (dict(query=np.ones((2, 3), bool), value=V), TypeError, "query must be numeric, not boolean"),
    (dict(query=Q.astype(complex), value=V), TypeError, "query must be real-valued"),
    (dict(query=None, value=V), TypeError, "query is None; expected a numeric array"),
    # bad scale
    (dict(query=Q, value=V, scale=float("nan")), ValueError, "scale must be finite; got nan"),
    (dict(query=Q, value=V, scale="2"), TypeError, "scale must be a single real number"),
])
def test_attention_rejects_bad_input_with_a_clear_message(kwargs, exc, message):
    with pytest.raises(exc) as info:
        attention(**kwargs)
    assert message in str(info.value)


def test_additive_attention_rejects_bad_input():
    with pytest.raises(ValueError, match="key has 4 features but query has 3"):
        additive_attention(Q, V, np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"scale has shape \(2,\), expected \(3,\)"):
        additive_attention(Q, V, scale=np.ones(2))
