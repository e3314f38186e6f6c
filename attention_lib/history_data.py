"""The history of attention, 2014 to 2017, as reference text: the seed article's five
milestones and its references [10], [21]-[24] in full.

Data only (the standard library, nothing to draw): the figures of notebooks 01 and 08 that show
it are in :mod:`attention_lib.history`, which imports these names, so
``history.MILESTONES`` and ``history.REFERENCES`` work as before.
"""

from __future__ import annotations

import dataclasses

__all__ = ["MILESTONES", "REFERENCES", "Milestone"]


@dataclasses.dataclass(frozen=True)
class Milestone:
    """One paper on the timeline: year, who, the seed's reference number, one idea."""

    year: int
    who: str
    ref: int
    title: str
    idea: str


#: The seed article's five milestones (section 1), in order.
MILESTONES = (
    Milestone(2014, "Mnih et al.", 21, "Recurrent models of visual attention",
              "look at a few glimpses, choosing where to look next (hard attention)"),
    Milestone(2014, "Bahdanau et al.", 22, "Jointly learning to align and translate",
              "additive attention: every source word scored by "
              "v^T\u00a0tanh(W_q\u00a0q\u00a0+\u00a0W_k\u00a0k)"),
    Milestone(2015, "Luong et al.", 23, "Effective approaches to attention-based NMT",
              "dot, general and concat scores; global (all words) vs local (a window)"),
    Milestone(2016, "Yin et al.", 24, "ABCNN",
              "an attention matrix between two sentences' CNN feature maps"),
    Milestone(2017, "Vaswani et al.", 10, "Attention is all you need",
              "self-attention alone, scaled dot products, many heads: the Transformer"),
)

#: The seed's references [10], [21]-[24] in full (obvious typos corrected; see notebook 01).
REFERENCES = {
    10: "Vaswani A, Shazeer N, Parmar N, et al. Attention is all you need[C]//Advances in "
        "neural information processing systems. 2017: 5998-6008.",
    21: "Mnih V, Heess N, Graves A, Kavukcuoglu K. Recurrent models of visual "
        "attention[C]//Proceedings of Advances in neural information processing systems "
        "2014: 2204-2212.",
    22: "Bahdanau D, Cho K, Bengio Y. Neural Machine Translation by Jointly Learning to "
        "Align and Translate[J]. Computer Science, 2014.",
    23: "Luong M T, Pham H, Manning C D. Effective approaches to attention-based neural "
        "machine translation[C]//Proceedings of the 2015 conference on empirical methods "
        "in natural language processing. Lisbon, Portugal: Association for Computational "
        "Linguistics, 2015: 1412-1421.",
    24: "Yin W, Schütze H, Xiang B, et al. ABCNN: Attention-Based Convolutional Neural "
        "Network for Modeling Sentence Pairs[J]. Computer Science, 2015.",
}
