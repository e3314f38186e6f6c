"""The history of attention, 2014 to 2017, as reference text: the seed article's five
milestones and its references [10], [21]-[24] in full.

Data only (the standard library, nothing to draw): the figures of notebooks 01 and 08 that show
it are in :mod:`attention_lib.history`, which imports these names, so
``history.MILESTONES`` and ``history.REFERENCES`` work as before. Each milestone's title
and idea have their Chinese beside them, for the timeline of the Chinese edition; the
references are citations and stay as published.
"""

from __future__ import annotations

import dataclasses

__all__ = ["MILESTONES", "REFERENCES", "Milestone"]


@dataclasses.dataclass(frozen=True)
class Milestone:
    """One paper on the timeline: year, who, the seed's reference number, one idea; the
    title and the idea in Chinese too (empty: the timeline shows the English), where a
    newline marks a line break in the timeline's box."""

    year: int
    who: str
    ref: int
    title: str
    idea: str
    title_zh: str = ""
    idea_zh: str = ""


#: The seed article's five milestones (section 1), in order.
MILESTONES = (
    Milestone(2014, "Mnih et al.", 21, "Recurrent models of visual attention",
              "look at a few glimpses, choosing where to look next (hard attention)",
              "视觉注意力的循环模型", "只瞥视几次，每次都选择\n下一次看哪里（硬注意力）"),
    Milestone(2014, "Bahdanau et al.", 22, "Jointly learning to align and translate",
              "additive attention: every source word scored by "
              "v^T\u00a0tanh(W_q\u00a0q\u00a0+\u00a0W_k\u00a0k)",
              "联合学习对齐与翻译",
              "加性注意力：\n每个源词的评分为\n"
              "v^T\u00a0tanh(W_q\u00a0q\u00a0+\u00a0W_k\u00a0k)"),
    Milestone(2015, "Luong et al.", 23, "Effective approaches to attention-based NMT",
              "dot, general and concat scores; global (all words) vs local (a window)",
              "基于注意力的\n神经机器翻译的有效方法",
              "dot、general 和 concat\n三种评分；全局（所有词）\n与局部（一个窗口）"),
    Milestone(2016, "Yin et al.", 24, "ABCNN",
              "an attention matrix between two sentences' CNN feature maps",
              "ABCNN", "两个句子的 CNN 特征图\n之间的注意力矩阵"),
    Milestone(2017, "Vaswani et al.", 10, "Attention is all you need",
              "self-attention alone, scaled dot products, many heads: the Transformer",
              "注意力就是你所需要的一切", "只用自注意力、缩放点积\n和多个头：Transformer"),
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
