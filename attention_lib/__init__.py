"""attention_lib: the helpers every notebook of the attention collection imports.

``import attention_lib`` needs numpy only, and nothing here seeds randomness or changes
matplotlib settings on import. The package's modules, in layers: a module may import from
its own layer and the layers above it, never from one below, and TensorFlow is imported by
``tensorflow_env`` alone. tests/test_layering.py reads this map and every module's
imports, and fails where they disagree.

The maths and the data: numpy only
    _checks          every argument check: errors that name the argument
    i18n             the language the library speaks: English, or Chinese when asked
    softmax          stage 2: scores to weights; the stable softmax and the seed's
    scores           stage 1: every score function, and the one score-mode dispatch
    masks            building masks: causal, padding, combined, additive
    mask_rules       applying them: masked softmax under Keras's rules, padded sequences
    core             attention and additive attention, as Keras's layers compute them
    multihead        multi-head attention step by step, a twin of MultiHeadAttention
    transformer      Vaswani et al. 2017: positional encoding, layer norm, the encoder block
    twins            numpy twins run on a Keras layer's own get_weights()
    local_attention  Luong et al. 2015: global and local-p attention
    glimpse          Mnih et al. 2014: the glimpse sensor, hard and soft attention
    abcnn            Yin et al. 2016: attention between two sentences
    reversal         the reversal task of notebook 05 and its metrics
    dates            dates as CLDR writes them (babel) to ISO dates: data, spans, metrics
    parallelism      a recurrent loop against self-attention: steps, work and time
    portable         printing float32 results the same on every CPU
    shapes           a text table of array shapes
    data             small data made in code (the seed's arrays, a toy translation)
    history_data     the milestones and references of notebooks 01 and 08 (text only)

TensorFlow: imported on first use, through tensorflow_env alone
    tensorflow_env   the one TensorFlow import and its quiet environment
    keras_check      numpy-versus-Keras cross-checks
    transformer_keras  the encoder block from Keras layers, checked against transformer
    seq2seq          the encoder-decoder models of notebook 05, training, decoding
    date_model       Bahdanau's encoder-decoder for the date task, with and without attention
    date_transformer  a small Transformer for the date task: cross-attention by head, causal decoder

What students see: matplotlib and ipywidgets
    plots            labelled heatmaps
    fonts            a font for Chinese text in figures
    diagrams         pictures of the idea: data flow, a decoder step, soft vs hard, masks
    widgets          live figures: the one mechanism (a canvas, a still picture)
    explorer         the attention explorer with its sliders and Keras panel
    mask_explorer    the mask explorer of notebook 07
    history          the timeline, glimpse figures and local-window explorer (01, 08)
    seq2seq_views    notebook 05's progress bar, plots and alignment explorer
    date_views       the date task's alignment heatmap and explorer (09, 10)

Around the notebooks
    collection       the map of the collection read from the notebooks and the README
    exercises        the checked exercises, one module per notebook
    lab_server       a Jupyter server extension: kernel websockets without Nagle's delay
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
