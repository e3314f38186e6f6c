"""attention_lib.seq2seq: the two Keras models, training and decoding (tiny models, a
few steps: seconds)."""

import numpy as np
import pytest

from attention_lib import reversal, seq2seq

# -- the Keras models ----------------------------------------------------------------------

SMALL = dict(vocab_size=4, max_len=6, units=8, embed_dim=4, seed=0)


@pytest.fixture(scope="module")
def small_models():
    bottleneck = seq2seq.build_seq2seq(attention=False, **SMALL)
    attention = seq2seq.build_seq2seq(attention=True, **SMALL)
    return bottleneck, attention


@pytest.fixture(scope="module")
def small_data():
    return reversal.reversal_data(12, np.random.default_rng(0), vocab_size=4, min_len=2,
                                  max_len=6)


def test_models_output_shapes(small_models, small_data):
    for m in small_models:
        logits = np.asarray(m.model([small_data.source, small_data.decoder_input]))
        assert logits.shape == (12, 6, 4 + reversal.FIRST_TOKEN)
    bottleneck, attention = small_models
    assert bottleneck.alignment is None and attention.alignment is not None
    assert bottleneck.name == "bottleneck" and attention.name == "attention"


def test_models_share_their_starting_weights(small_models):
    bottleneck, attention = small_models
    for name in ("source_embedding", "encoder", "decoder_embedding", "decoder"):
        for a, b in zip(bottleneck.model.get_layer(name).get_weights(),
                        attention.model.get_layer(name).get_weights(), strict=True):
            np.testing.assert_array_equal(a, b)
    # Context of 8 (final state) vs 4 (embedding) into a Dense of 6 outputs, plus the scale.
    assert bottleneck.n_params - attention.n_params == (8 - 4) * 6 - 1


def test_attention_weights_rows_sum_to_one_and_skip_padding(small_models, small_data):
    _, attention = small_models
    w = seq2seq.attention_weights(attention, small_data.source, small_data.decoder_input)
    assert w.shape == (12, 6, 6)
    np.testing.assert_allclose(w.sum(axis=-1), 1.0, atol=1e-5)
    padded = np.arange(6)[None, None, :] >= small_data.lengths[:, None, None]
    assert np.all(w[np.broadcast_to(padded, w.shape)] < 1e-6)


def test_attention_weights_bad_arguments(small_models, small_data):
    bottleneck, attention = small_models
    with pytest.raises(ValueError, match="attention"):
        seq2seq.attention_weights(bottleneck, small_data.source, small_data.decoder_input)
    with pytest.raises(ValueError, match="source"):
        seq2seq.attention_weights(attention, small_data.source[:, :5],
                                  small_data.decoder_input[:, :5])
    with pytest.raises(TypeError, match="model"):
        seq2seq.attention_weights(attention.model, small_data.source,
                                  small_data.decoder_input)


@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(attention="yes"), TypeError, "attention"),
    (dict(units=0), ValueError, "units"),
    (dict(vocab_size=1), ValueError, "vocab_size"),
    (dict(embed_dim=2.0), TypeError, "embed_dim"),
    (dict(seed=-1), ValueError, "seed"),
])
def test_build_bad_arguments(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        seq2seq.build_seq2seq(**(dict(attention=True) | kwargs))


def test_train_reports_progress_and_is_repeatable():
    def run():
        m = seq2seq.build_seq2seq(attention=True, **SMALL)
        calls = []
        losses = seq2seq.train(m, np.random.default_rng(0), steps=7, batch_size=8,
                               min_len=2, progress=lambda s, loss: calls.append(s),
                               report_every=3)
        return losses, calls

    losses, calls = run()
    assert losses.shape == (7,) and np.isfinite(losses).all()
    assert calls == [3, 6, 7]
    again, _ = run()
    np.testing.assert_allclose(again, losses, rtol=1e-6)


@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(steps=0), ValueError, "steps"),
    (dict(batch_size=1.5), TypeError, "batch_size"),
    (dict(learning_rate=2.0), ValueError, "learning_rate"),
    (dict(progress="bar"), TypeError, "progress"),
    (dict(rng=np.random.RandomState(0)), TypeError, "rng"),
])
def test_train_bad_arguments(small_models, kwargs, exc, word):
    args = dict(rng=np.random.default_rng(0)) | kwargs
    rng = args.pop("rng")
    with pytest.raises(exc, match=word):
        seq2seq.train(small_models[1], rng, **args)


def test_greedy_decode_feeds_back_its_own_predictions(small_models, small_data):
    _, attention = small_models
    pred, dec = seq2seq.greedy_decode(attention, small_data)
    assert pred.shape == dec.shape == (12, 6)
    np.testing.assert_array_equal(dec[:, 0], reversal.START)
    np.testing.assert_array_equal(dec[:, 1:], pred[:, :-1])
    # Teacher forcing with the model's own outputs reproduces them: the decoder is causal.
    logits = np.asarray(attention.model([small_data.source, dec]))
    np.testing.assert_array_equal(logits.argmax(-1), pred)


def test_greedy_decode_bad_data(small_models):
    _, attention = small_models
    wide = reversal.reversal_data(3, np.random.default_rng(0), max_len=7)
    with pytest.raises(ValueError, match="max_len"):
        seq2seq.greedy_decode(attention, wide)
    many = reversal.reversal_data(3, np.random.default_rng(0), vocab_size=9, max_len=6)
    with pytest.raises(ValueError, match="letters"):
        seq2seq.greedy_decode(attention, many)
    with pytest.raises(TypeError, match="data"):
        seq2seq.greedy_decode(attention, many.source)
