"""attention_lib.date_transformer: the small date Transformer, its masks, decoding and
weights (tiny models, a few steps: seconds)."""

import numpy as np
import pytest

from attention_lib import date_model, date_transformer, dates

SMALL = dict(d_model=16, num_heads=2, num_layers=2, d_ff=32, seed=0)


@pytest.fixture(scope="module")
def small_data():
    return dates.date_data(24, dates.day_range(), np.random.default_rng(0))


@pytest.fixture(scope="module")
def small_model(small_data):
    return date_transformer.build_date_transformer(small_data.vocab, **SMALL)


def padded(data, shape):
    """True where a source position is padding, broadcast to ``shape`` (..., S)."""
    pad = np.arange(data.source.shape[1]) >= data.lengths[:, None]          # (n, S)
    return np.broadcast_to(pad.reshape(len(data), *[1] * (len(shape) - 2), -1), shape)


def test_shapes(small_model, small_data):
    n, width = small_data.source.shape
    m = small_model
    logits = np.asarray(m.model([small_data.source, small_data.decoder_input]))
    assert logits.shape == (n, 10, dates.N_TARGET_TOKENS)
    pred = date_transformer.greedy_decode_transformer(m, small_data)
    assert pred.shape == (n, 10) and pred.dtype == np.int32
    cross = date_transformer.cross_attention_weights(m, small_data.source,
                                                     small_data.decoder_input)
    assert cross.shape == (n, 2, 10, width) and cross.dtype == np.float32
    own = date_transformer.decoder_self_attention_weights(m, small_data.source,
                                                          small_data.decoder_input)
    assert own.shape == (n, 2, 10, 10)
    maps = date_transformer.attention_maps(m, small_data.source, small_data.decoder_input)
    assert {k: [a.shape for a in v] for k, v in maps.items()} == {
        "encoder_self": [(n, 2, width, width)] * 2, "decoder_self": [(n, 2, 10, 10)] * 2,
        "cross": [(n, 2, 10, width)] * 2}
    np.testing.assert_array_equal(maps["cross"][1], cross)     # the last block by default
    np.testing.assert_array_equal(maps["decoder_self"][1], own)
    assert (m.name, m.d_model, m.key_dim, m.num_layers, m.attention) == (
        "transformer", 16, 8, 2, True)
    assert isinstance(m, date_model.DateModel)


def test_decoder_self_attention_is_causal(small_model, small_data):
    for layer in (0, 1):
        w = date_transformer.decoder_self_attention_weights(
            small_model, small_data.source, small_data.decoder_input, layer=layer)
        above = np.triu(np.ones((10, 10), bool), k=1)
        assert np.all(w[..., above] == 0)
        assert np.all(w[..., ~above] > 0)
        np.testing.assert_allclose(w.sum(axis=-1), 1.0, atol=1e-5)


def test_outputs_do_not_see_later_decoder_inputs(small_model, small_data):
    """Changing decoder inputs from position 5 on leaves logits 0 .. 4 as they were."""
    net = small_model.model
    a = np.asarray(net([small_data.source, small_data.decoder_input]))
    other = small_data.decoder_input.copy()
    other[:, 5:] = dates.FIRST_TARGET + 3
    b = np.asarray(net([small_data.source, other]))
    np.testing.assert_allclose(a[:, :5], b[:, :5], atol=1e-6)
    assert np.abs(a[:, 5:] - b[:, 5:]).max() > 1e-4


def test_cross_attention_rows_sum_to_one_and_skip_padding(small_model, small_data):
    maps = date_transformer.attention_maps(small_model, small_data.source,
                                           small_data.decoder_input)
    for w in maps["cross"]:
        np.testing.assert_allclose(w.sum(axis=-1), 1.0, atol=1e-5)
        assert np.all(w[padded(small_data, w.shape)] == 0) and np.all(w >= 0)
    for w in maps["encoder_self"]:
        keys = padded(small_data, w.shape)
        queries = np.swapaxes(keys, -1, -2)
        assert np.all(w[keys] == 0) and np.all(w[queries] == 0)
        np.testing.assert_allclose(w.sum(axis=-1)[~queries[..., 0]], 1.0, atol=1e-5)


def test_the_fused_and_explicit_paths_agree(small_model, small_data):
    """Training runs MultiHeadAttention's fused path, the weights its explicit one: no row
    is fully masked, so the logits agree."""
    source, dec = small_data.source, small_data.decoder_input
    fused = np.asarray(small_model.model([source, dec]))
    explicit = np.asarray(small_model.maps([source, dec])["logits"])
    np.testing.assert_allclose(fused, explicit, atol=1e-5)


def test_padding_changes_nothing(small_model, small_data):
    """A source cut to the batch's longest date gives the logits of one padded to max_len
    (what date_model.train and the decoders rely on)."""
    net = small_model.model
    width = int(small_data.lengths.max())
    full = np.asarray(net([small_data.source, small_data.decoder_input]))
    cut = np.asarray(net([small_data.source[:, :width], small_data.decoder_input]))
    np.testing.assert_allclose(cut, full, atol=1e-5)


def test_greedy_decoding_feeds_back_its_own_predictions(small_model, small_data):
    m = small_model
    pred = date_transformer.greedy_decode_transformer(m, small_data)
    fed = np.concatenate([np.full((len(pred), 1), dates.START, np.int32), pred[:, :-1]], 1)
    logits = np.asarray(m.model([small_data.source, fed]))
    np.testing.assert_array_equal(logits.argmax(-1), pred)
    # date_model's decoder runs this model too, and returns the head-averaged weights.
    pred_2, weights = date_model.greedy_decode(m, small_data)
    assert weights is not None
    np.testing.assert_array_equal(pred_2, pred)
    heads = date_transformer.cross_attention_weights(m, small_data.source, fed)
    np.testing.assert_allclose(heads.mean(axis=1), weights, atol=1e-6)
    np.testing.assert_allclose(date_model.attention_weights(m, small_data.source, fed),
                               weights, atol=1e-6)


def test_head_alignment_is_field_alignment_per_head(small_model, small_data):
    m = small_model
    shares = date_transformer.head_alignment(m, small_data)
    assert shares.shape == (len(small_data), 2, 3)
    w = date_transformer.cross_attention_weights(m, small_data.source,
                                                 small_data.decoder_input, layer=-1)
    for h in range(2):
        np.testing.assert_allclose(shares[:, h], dates.field_alignment(w[:, h],
                                                                       small_data.spans))
    np.testing.assert_allclose(shares.mean(axis=1),
                               dates.field_alignment(w.mean(axis=1), small_data.spans))


def test_the_projections_are_seeded_apart(small_model):
    """Keras clones one seeded initializer for the query, key and value kernels (the
    same numbers three times); the numpy-drawn weights here differ."""
    block = small_model.decoder_blocks[0]
    for layer in (block.self_attention, block.cross_attention,
                  small_model.encoder_blocks[0].attention):
        q, _, k, _, v, *_ = layer.get_weights()
        assert not np.allclose(q, k) and not np.allclose(k, v)
    a, b = (blk.self_attention.get_weights()[0] for blk in small_model.decoder_blocks)
    assert not np.allclose(a, b)


def test_weights_depend_on_the_seed_alone(small_data):
    build = date_transformer.build_date_transformer
    first = build(small_data.vocab, **SMALL)
    other = build(small_data.vocab, **(SMALL | dict(seed=1)))
    again = build(small_data.vocab, **SMALL)
    for a, b, c in zip(first.model.get_weights(), again.model.get_weights(),
                       other.model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
        assert a.shape == c.shape
    assert any(not np.array_equal(a, c) for a, c in zip(
        first.model.get_weights(), other.model.get_weights(), strict=True))


def test_training_reports_progress_and_is_repeatable(small_data):
    def run():
        m = date_transformer.build_date_transformer(small_data.vocab, **SMALL)
        before = date_transformer.greedy_decode_transformer(m, small_data)  # traced now
        calls = []
        losses = date_transformer.train_transformer(
            m, small_data, np.random.default_rng(0), schedule=((1, 1e-2), (2, 3e-3)),
            batch_size=8, progress=lambda s, loss: calls.append(s), report_every=4)
        after = date_transformer.greedy_decode_transformer(m, small_data)
        fed = np.concatenate([np.full((len(after), 1), dates.START, np.int32),
                              after[:, :-1]], 1)
        # The traced decoder kept from before training runs the trained weights.
        logits = np.asarray(m.model([small_data.source, fed]))
        np.testing.assert_array_equal(logits.argmax(-1), after)
        assert not np.array_equal(before, after)
        return losses, calls, after

    losses, calls, pred = run()
    assert losses.shape == (9,) and np.isfinite(losses).all()
    assert losses[-3:].mean() < losses[:3].mean()
    assert calls == [4, 8, 9]
    again, _, pred_again = run()
    np.testing.assert_allclose(again, losses, rtol=1e-6)
    np.testing.assert_array_equal(pred_again, pred)


@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(d_model=15), ValueError, "d_model"),
    (dict(d_model=16.0), TypeError, "d_model"),
    (dict(num_heads=3), ValueError, "num_heads"),
    (dict(num_heads=0), ValueError, "num_heads"),
    (dict(num_layers=3), ValueError, "num_layers"),
    (dict(num_layers=0), ValueError, "num_layers"),
    (dict(d_ff=0), ValueError, "d_ff"),
    (dict(seed=-1), ValueError, "seed"),
])
def test_build_bad_arguments(small_data, kwargs, exc, word):
    with pytest.raises(exc, match=word):
        date_transformer.build_date_transformer(small_data.vocab, **(SMALL | kwargs))


def test_build_needs_a_vocabulary(small_data):
    with pytest.raises(TypeError, match="vocab"):
        date_transformer.build_date_transformer(small_data.vocab.chars)


@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(schedule=()), ValueError, "schedule"),
    (dict(schedule=((0, 1e-3),)), ValueError, "schedule epochs"),
    (dict(schedule=((1, 2.0),)), ValueError, "schedule"),
    (dict(schedule=((1, -1e-3),)), ValueError, "schedule learning rate"),
    (dict(schedule=(1, 1e-3)), TypeError, "schedule"),
    (dict(batch_size=0), ValueError, "batch_size"),
    (dict(progress="bar"), TypeError, "progress"),
    (dict(report_every=0), ValueError, "report_every"),
])
def test_train_bad_arguments(small_model, small_data, kwargs, exc, word):
    with pytest.raises(exc, match=word):
        date_transformer.train_transformer(small_model, small_data,
                                           np.random.default_rng(0), **kwargs)


def test_models_and_data_must_fit(small_model, small_data):
    gru = date_model.build_date_model(small_data.vocab, attention=True, units=4,
                                      embed_dim=2)
    with pytest.raises(TypeError, match="model"):
        date_transformer.train_transformer(gru, small_data,  # type: ignore[arg-type]
                                           np.random.default_rng(0))
    with pytest.raises(TypeError, match="model"):
        date_transformer.greedy_decode_transformer(small_model.model, small_data)
    other = dates.date_data(4, dates.day_range(), np.random.default_rng(0),
                            formats=dates.date_formats([("en_US", "short")]))
    with pytest.raises(ValueError, match="vocabulary"):
        date_transformer.greedy_decode_transformer(small_model, other)
    with pytest.raises(TypeError, match="data"):
        date_transformer.head_alignment(small_model, small_data.source)


@pytest.mark.parametrize("change, exc, word", [
    (lambda s, d: (s[:, :10], d), ValueError, "source"),
    (lambda s, d: (s, d[:, :9]), ValueError, "decoder_input"),
    (lambda s, d: (s, d[:5]), ValueError, "decoder_input"),
    (lambda s, d: (s.astype(float), d), TypeError, "source"),
    (lambda s, d: (s, d + 20), ValueError, "decoder_input"),
    (lambda s, d: (s * 0, d), ValueError, "padding"),
])
def test_weight_readers_bad_arguments(small_model, small_data, change, exc, word):
    source, dec = change(small_data.source, small_data.decoder_input)
    for read in (date_transformer.cross_attention_weights,
                 date_transformer.decoder_self_attention_weights,
                 date_transformer.attention_maps):
        with pytest.raises(exc, match=word):
            read(small_model, source, dec)


@pytest.mark.parametrize("layer, exc", [(2, ValueError), (-3, ValueError),
                                        (1.0, TypeError)])
def test_layer_must_be_a_block(small_model, small_data, layer, exc):
    with pytest.raises(exc, match="layer"):
        date_transformer.cross_attention_weights(small_model, small_data.source,
                                                 small_data.decoder_input, layer=layer)
