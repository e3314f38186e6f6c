"""attention_lib.scores: each score function against a loop over (query, key) pairs, the
batch axes kept, and bad shapes rejected."""

import numpy as np
import pytest

from attention_lib import scores

rng = np.random.default_rng(0)
Q = rng.normal(size=(3, 4))
K = rng.normal(size=(5, 4))


def loop(fn):
    return np.array([[fn(q, k) for k in K] for q in Q])


def test_dot_score():
    np.testing.assert_allclose(scores.dot_score(Q, K), loop(np.dot))


def test_scaled_dot_score():
    np.testing.assert_allclose(scores.scaled_dot_score(Q, K), loop(np.dot) / 2.0)


def test_general_score():
    w = rng.normal(size=(4, 4))
    np.testing.assert_allclose(scores.general_score(Q, K, w), loop(lambda q, k: q @ w @ k))
    w2 = rng.normal(size=(4, 2))
    k2 = rng.normal(size=(5, 2))
    assert scores.general_score(Q, k2, w2).shape == (3, 5)


def test_concat_score_is_keras_formula():
    got = scores.concat_score(Q, K, scale=0.5, weight=2.0)
    np.testing.assert_allclose(got, loop(lambda q, k: 2.0 * np.tanh(0.5 * (q + k)).sum()))
    np.testing.assert_allclose(scores.concat_score(Q, K), loop(lambda q, k: np.tanh(q + k).sum()))


def test_keras_additive_score():
    s = rng.normal(size=4)
    np.testing.assert_allclose(scores.keras_additive_score(Q, K, s),
                               loop(lambda q, k: (s * np.tanh(q + k)).sum()))
    np.testing.assert_allclose(scores.keras_additive_score(Q, K), scores.concat_score(Q, K))


def test_additive_score_is_bahdanau():
    wq, wk, v = rng.normal(size=(4, 6)), rng.normal(size=(4, 6)), rng.normal(size=6)
    np.testing.assert_allclose(scores.additive_score(Q, K, wq, wk, v),
                               loop(lambda q, k: v @ np.tanh(q @ wq + k @ wk)))


def test_cosine_score_and_zero_vectors():
    got = scores.cosine_score(Q, K)
    np.testing.assert_allclose(got, loop(lambda q, k: q @ k / np.linalg.norm(q)
                                         / np.linalg.norm(k)))
    assert np.all(np.abs(got) <= 1 + 1e-12)
    zero = scores.cosine_score(np.zeros((1, 4)), K)
    np.testing.assert_array_equal(zero, np.zeros((1, 5)))


def test_batched_scores_keep_leading_axes():
    q = rng.normal(size=(2, 7, 3, 4))
    k = rng.normal(size=(2, 7, 5, 4))
    assert scores.dot_score(q, k).shape == (2, 7, 3, 5)
    np.testing.assert_allclose(scores.dot_score(q, k)[1, 3], scores.dot_score(q[1, 3], k[1, 3]))


@pytest.mark.parametrize("name", ["dot_score", "scaled_dot_score", "concat_score",
                                  "cosine_score", "keras_additive_score"])
def test_scores_reject_feature_mismatch(name):
    with pytest.raises(ValueError, match=r"key has 3 features but query has 4.*query \(3, 4\), "
                                         r"key \(5, 3\)"):
        getattr(scores, name)(Q, np.ones((5, 3)))


def test_scores_reject_batch_mismatch():
    with pytest.raises(ValueError, match=r"key has batch shape \(3,\) but query has \(2,\)"):
        scores.dot_score(np.ones((2, 3, 4)), np.ones((3, 5, 4)))


def test_scores_reject_rank_one():
    with pytest.raises(ValueError, match=r"query must have at least 2 dimensions; got shape"):
        scores.dot_score(np.ones(4), K)


def test_general_score_rejects_wrong_weight():
    with pytest.raises(ValueError, match=r"weight has shape \(3, 4\), expected .* \(4, 4\)"):
        scores.general_score(Q, K, np.ones((3, 4)))


def test_additive_score_rejects_wrong_shapes():
    wq, wk, v = np.ones((4, 6)), np.ones((4, 6)), np.ones(6)
    with pytest.raises(ValueError, match="w_query has shape"):
        scores.additive_score(Q, K, np.ones((3, 6)), wk, v)
    with pytest.raises(ValueError, match="w_key has 5 units but w_query has 6"):
        scores.additive_score(Q, K, wq, np.ones((4, 5)), v)
    with pytest.raises(ValueError, match=r"v has shape \(5,\), expected \(6,\)"):
        scores.additive_score(Q, K, wq, wk, np.ones(5))


def test_keras_additive_score_rejects_wrong_scale():
    with pytest.raises(ValueError, match=r"scale has shape \(3,\), expected \(4,\)"):
        scores.keras_additive_score(Q, K, np.ones(3))


def test_concat_score_rejects_bad_scalars():
    with pytest.raises(ValueError, match="scale must be finite"):
        scores.concat_score(Q, K, scale=np.inf)
    with pytest.raises(TypeError, match="weight must be a single real number"):
        scores.concat_score(Q, K, weight=[1.0, 2.0])
