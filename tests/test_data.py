"""attention_lib.data: the toy translation of notebooks 01 and 08 aligns as its words do."""

import numpy as np
import pytest

from attention_lib import additive_score, softmax
from attention_lib.data import toy_translation


def test_the_toy_translation_aligns_each_word_with_its_translation():
    toy = toy_translation()
    assert tuple(toy.alignment.argmax(axis=1)) == toy.aligned_to == (0, 2, 1, 3)
    np.testing.assert_allclose(toy.alignment.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(toy.scores, additive_score(toy.queries, toy.annotations,
                                                          toy.w_query, toy.w_key, toy.v))
    np.testing.assert_allclose(toy.alignment, softmax(toy.scores))
    assert toy.queries.shape == (4, 4) and (toy.queries[:, -1] == 1).all()


def test_sharper_weights_give_a_sharper_alignment():
    soft, sharp = toy_translation(sharpness=1.0), toy_translation(sharpness=6.0)
    assert sharp.alignment.max(axis=1).mean() > soft.alignment.max(axis=1).mean()


def test_the_seed_changes_the_annotations_but_not_the_story():
    other = toy_translation(seed=1)
    assert not np.allclose(other.annotations, toy_translation().annotations)


@pytest.mark.parametrize("kwargs, message", [({"seed": -1}, "seed"),
                                             ({"sharpness": 0}, "sharpness"),
                                             ({"bias": -1.0}, "bias")])
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        toy_translation(**kwargs)
