"""attention_lib: the helpers every notebook of the attention collection imports.

The maths is numpy only; TensorFlow is imported by ``attention_lib.tensorflow_env``
alone, and only when a Keras check or a model first needs it. Nothing here seeds
randomness or changes matplotlib settings on import.
"""

from .core import additive_attention, attention
from .masks import additive_mask, causal_mask, combine_masks, padding_mask
from .scores import (
                     SCORE_MODES,
                     additive_score,
                     concat_score,
                     cosine_score,
                     dot_score,
                     general_score,
                     keras_additive_score,
                     scaled_dot_score,
)
from .softmax import naive_softmax, softmax

__all__ = [
    "SCORE_MODES", "additive_attention", "additive_mask", "additive_score", "attention",
    "causal_mask", "combine_masks", "concat_score", "cosine_score", "dot_score",
    "general_score", "keras_additive_score", "naive_softmax", "padding_mask",
    "scaled_dot_score", "softmax",
]
__version__ = "0.1.0"
