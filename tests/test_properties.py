"""Properties that hold for every input: weights are a distribution, attention does not
care about the order of key/value pairs, causal weights never look ahead."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from attention_lib import SCORE_MODES, attention

from strategies import attention_case


@settings(max_examples=200)
@given(case=attention_case(), mode=st.sampled_from(SCORE_MODES),
       scale=st.one_of(st.none(), st.floats(0.01, 10)))
def test_weight_rows_are_non_negative_and_sum_to_one(case, mode, scale):
    case["score_mode"] = mode
    out, w = attention(**case, scale=scale)
    assert np.all(w >= 0)
    np.testing.assert_allclose(w.sum(axis=-1), 1.0, rtol=0, atol=1e-12)
    assert np.isfinite(out).all()


@settings(max_examples=200)
@given(case=attention_case(), mode=st.sampled_from(SCORE_MODES), data=st.data())
def test_permuting_key_value_pairs_leaves_output_unchanged(case, mode, data):
    case.update(score_mode=mode, use_causal_mask=False)   # causal masks depend on order
    tv = case["value"].shape[-2]
    perm = np.array(data.draw(st.permutations(range(tv))))
    out, w = attention(**case)
    permuted = dict(case)
    permuted["value"] = case["value"][..., perm, :]
    if case["key"] is not None:
        permuted["key"] = case["key"][..., perm, :]
    if case["value_mask"] is not None:
        permuted["value_mask"] = case["value_mask"][..., perm]
    out_p, w_p = attention(**permuted)
    np.testing.assert_allclose(out_p, out, atol=1e-12)
    np.testing.assert_allclose(w_p, w[..., perm], atol=1e-12)


@settings(max_examples=200)
@given(case=attention_case(), mode=st.sampled_from(SCORE_MODES))
def test_causal_weights_are_zero_above_the_diagonal(case, mode):
    # With a causal mask alone every row sees key 0, so no row is fully masked.
    case.update(score_mode=mode, use_causal_mask=True, value_mask=None)
    _, w = attention(**case)
    tq, tv = w.shape[-2:]
    above = np.triu(np.ones((tq, tv), dtype=bool), k=1)
    assert np.all(w[..., above] == 0)
    assert np.all(w[..., ~above] > 0)


@settings(max_examples=200)
@given(case=attention_case(), mode=st.sampled_from(SCORE_MODES))
def test_masked_keys_get_zero_weight_unless_the_whole_row_is_masked(case, mode):
    case["score_mode"] = mode
    _, w = attention(**case)
    allowed = np.ones(w.shape, dtype=bool)
    if case["value_mask"] is not None:
        allowed &= case["value_mask"][..., None, :]
    if case["use_causal_mask"]:
        allowed &= np.tril(np.ones(w.shape[-2:], dtype=bool))
    full = ~allowed.any(axis=-1)
    assert np.all(w[~allowed & ~full[..., None]] == 0)
    np.testing.assert_allclose(w[full], 1.0 / w.shape[-1])
