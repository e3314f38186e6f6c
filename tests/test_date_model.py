"""attention_lib.date_model: the Bahdanau date models, training and decoding (tiny
models, a few steps: seconds)."""

import numpy as np
import pytest

from attention_lib import date_model, dates

SMALL = dict(units=8, embed_dim=4, seed=0)


@pytest.fixture(scope="module")
def small_data():
    return dates.date_data(24, dates.day_range(), np.random.default_rng(0))


@pytest.fixture(scope="module")
def small_models(small_data):
    vocab = small_data.vocab
    return (date_model.build_date_model(vocab, attention=False, **SMALL),
            date_model.build_date_model(vocab, attention=True, **SMALL))


def test_models_output_shapes(small_models, small_data):
    n, width = small_data.source.shape
    no_attention, attention = small_models
    for m in small_models:
        logits = np.asarray(m.model([small_data.source, small_data.decoder_input]))
        assert logits.shape == (n, 10, dates.N_TARGET_TOKENS)
    pred, weights = date_model.greedy_decode(attention, small_data)
    assert pred.shape == (n, 10) and pred.dtype == np.int32
    assert weights.shape == (n, 10, width)
    pred, weights = date_model.greedy_decode(no_attention, small_data)
    assert pred.shape == (n, 10) and weights is None
    assert (no_attention.name, attention.name) == ("no_attention", "attention")
    assert not no_attention.attention and attention.attention


def test_attention_rows_sum_to_one_and_skip_padding(small_models, small_data):
    _, attention = small_models
    padded = np.arange(small_data.source.shape[1])[None, None, :] >= \
        small_data.lengths[:, None, None]
    for w in (date_model.attention_weights(attention, small_data.source,
                                           small_data.decoder_input),
              date_model.greedy_decode(attention, small_data)[1]):
        np.testing.assert_allclose(w.sum(axis=-1), 1.0, atol=1e-5)
        assert np.all(w[np.broadcast_to(padded, w.shape)] < 1e-6)
        assert np.all(w >= 0)


def test_padding_changes_nothing(small_models, small_data):
    """A source cut to the batch's longest date gives the same logits as one padded to
    max_len: the encoder and the attention both skip padding (what train relies on)."""
    for m in small_models:
        width = int(small_data.lengths.max())
        full = np.asarray(m.model([small_data.source, small_data.decoder_input]))
        cut = np.asarray(m.model([small_data.source[:, :width], small_data.decoder_input]))
        np.testing.assert_allclose(cut, full, atol=1e-5)
        short = small_data.lengths <= 12
        one = np.asarray(m.model([small_data.source[short, :12],
                                  small_data.decoder_input[short]]))
        np.testing.assert_allclose(one, full[short], atol=1e-5)


def test_the_models_share_their_starting_weights(small_models):
    no_attention, attention = small_models
    for name in ("source_embedding", "encoder", "initial_state"):
        for a, b in zip(no_attention.model.get_layer(name).get_weights(),
                        attention.model.get_layer(name).get_weights(), strict=True):
            np.testing.assert_array_equal(a, b)
    plain = no_attention.model.get_layer("decoder")
    attending = attention.model.get_layer("decoder")
    for part in ("embedding", "cell", "to_logits"):
        for a, b in zip(getattr(plain, part).get_weights(),
                        getattr(attending, part).get_weights(), strict=True):
            np.testing.assert_array_equal(a, b)
    # Only W_a (U x A + A bias), U_a (2U x A) and v (A) are extra; here U = A = 8.
    assert attention.n_params - no_attention.n_params == 8 * 8 + 8 + 16 * 8 + 8


def test_greedy_decoding_feeds_back_its_own_predictions(small_models, small_data):
    _, attention = small_models
    pred, weights = date_model.greedy_decode(attention, small_data)
    fed = np.concatenate([np.full((len(pred), 1), dates.START, np.int32), pred[:, :-1]], 1)
    # Teacher forcing with the model's own outputs reproduces them, and their weights.
    logits = np.asarray(attention.model([small_data.source, fed]))
    np.testing.assert_array_equal(logits.argmax(-1), pred)
    np.testing.assert_allclose(date_model.attention_weights(attention, small_data.source, fed),
                               weights, atol=1e-6)


def test_the_query_is_the_previous_state(small_models, small_data):
    """Step 0's weights come from s_0 alone, before any output: the same whatever the
    decoder input; later steps depend on it."""
    _, attention = small_models
    a = date_model.attention_weights(attention, small_data.source, small_data.decoder_input)
    other = small_data.decoder_input.copy()
    other[:, 1:] = dates.FIRST_TARGET + 5
    b = date_model.attention_weights(attention, small_data.source, other)
    np.testing.assert_allclose(a[:, 0], b[:, 0], atol=1e-7)
    np.testing.assert_allclose(a[:, 1], b[:, 1], atol=1e-7)   # input 0 is START in both
    assert np.abs(a[:, 2:] - b[:, 2:]).max() > 1e-6


@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(attention="yes"), TypeError, "attention"),
    (dict(units=0), ValueError, "units"),
    (dict(embed_dim=2.0), TypeError, "embed_dim"),
    (dict(attention_units=0), ValueError, "attention_units"),
    (dict(seed=-1), ValueError, "seed"),
])
def test_build_bad_arguments(small_data, kwargs, exc, word):
    with pytest.raises(exc, match=word):
        date_model.build_date_model(small_data.vocab, **(dict(attention=True) | kwargs))
    with pytest.raises(TypeError, match="vocab"):
        date_model.build_date_model(small_data.vocab.chars, attention=True)


def test_train_reports_progress_and_is_repeatable(small_data):
    def run():
        m = date_model.build_date_model(small_data.vocab, attention=True, **SMALL)
        calls = []
        losses = date_model.train(m, small_data, np.random.default_rng(0), epochs=7,
                                  batch_size=8, progress=lambda s, loss: calls.append(s),
                                  report_every=5)
        return losses, calls

    losses, calls = run()
    assert losses.shape == (21,) == (date_model.n_steps(24, 7, 8),)
    assert np.isfinite(losses).all() and losses[-3:].mean() < losses[:3].mean()
    assert calls == [5, 10, 15, 20, 21]
    again, _ = run()
    np.testing.assert_allclose(again, losses, rtol=1e-6)


def test_a_small_model_learns_the_dates(small_data):
    """A few seconds of training on one format take the loss well down."""
    rng = np.random.default_rng(1)
    fmt = dates.date_formats([("zh_CN", "long")])
    data = dates.date_data(512, dates.day_range("2000-01-01", "2009-12-31"), rng, formats=fmt)
    m = date_model.build_date_model(data.vocab, attention=True, units=16, embed_dim=8)
    losses = date_model.train(m, data, rng, epochs=4, batch_size=32, learning_rate=1e-2)
    assert losses[-8:].mean() < 0.5 * losses[:8].mean()
    pred, _ = date_model.greedy_decode(m, data)
    right = (pred == data.target).mean(axis=0)
    assert right[[0, 1, 4, 7]].min() > 0.9  # '2', '0' and the dashes at least


@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(epochs=0), ValueError, "epochs"),
    (dict(batch_size=1.5), TypeError, "batch_size"),
    (dict(learning_rate=2.0), ValueError, "learning_rate"),
    (dict(learning_rate=0), ValueError, "learning_rate"),
    (dict(progress="bar"), TypeError, "progress"),
    (dict(rng=np.random.RandomState(0)), TypeError, "rng"),
])
def test_train_bad_arguments(small_models, small_data, kwargs, exc, word):
    args = dict(rng=np.random.default_rng(0)) | kwargs
    rng = args.pop("rng")
    with pytest.raises(exc, match=word):
        date_model.train(small_models[1], small_data, rng, **args)


def test_data_and_model_must_agree(small_models, small_data):
    _, attention = small_models
    other = dates.date_data(4, dates.day_range(), np.random.default_rng(0),
                            formats=dates.date_formats([("en_US", "short")]))
    with pytest.raises(ValueError, match="vocabulary"):
        date_model.greedy_decode(attention, other)
    with pytest.raises(TypeError, match="data"):
        date_model.greedy_decode(attention, small_data.source)
    with pytest.raises(TypeError, match="model"):
        date_model.greedy_decode(attention.model, small_data)
    with pytest.raises(ValueError, match="attention"):
        date_model.attention_weights(small_models[0], small_data.source,
                                     small_data.decoder_input)
    with pytest.raises(ValueError, match="decoder_input"):
        date_model.attention_weights(attention, small_data.source,
                                     small_data.decoder_input[:, :9])


def test_length_batches_cover_every_example_once():
    lengths = np.random.default_rng(0).integers(6, 30, size=1000)
    batches = date_model.length_batches(lengths, 32, np.random.default_rng(1), pool=8)
    assert len(batches) == date_model.n_steps(1000, 1, 32, pool=8)
    np.testing.assert_array_equal(np.sort(np.concatenate(batches)), np.arange(1000))
    # Sorted within pools, a batch pads far less than a random batch would.
    spread = np.mean([np.ptp(lengths[b]) for b in batches if len(b) == 32])
    assert spread < 0.25 * np.ptp(lengths)
    again = date_model.length_batches(lengths, 32, np.random.default_rng(1), pool=8)
    assert all(np.array_equal(a, b) for a, b in zip(batches, again, strict=True))


def test_importing_the_date_modules_loads_no_tensorflow(tmp_path):
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-c", "import sys\n"
                          "from attention_lib import dates, date_model\n"
                          "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))"],
                         cwd=tmp_path, check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"
