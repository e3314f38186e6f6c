"""Hypothesis strategies for attention inputs: shapes, batched or not, masks."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

BATCHES = [(), (2,), (2, 3)]


def values(shape: tuple[int, ...], bound: float = 2.0) -> st.SearchStrategy[np.ndarray]:
    """float32-representable numbers in [-bound, bound], as float64 arrays."""
    return hnp.arrays(np.float32, shape,
                      elements=st.floats(-bound, bound, width=32)).map(
        lambda a: a.astype(np.float64))


@st.composite
def attention_case(draw, max_t: int = 5, max_d: int = 5, with_masks: bool = True) -> dict:
    """One call of attention(): inputs, masks and options, any batch shape."""
    batch = draw(st.sampled_from(BATCHES))
    tq, tv = draw(st.integers(1, max_t)), draw(st.integers(1, max_t))
    d = draw(st.integers(1, max_d))
    with_key = draw(st.booleans())
    dv = draw(st.integers(1, 4)) if with_key else d   # value is the key when none is given
    case = {
        "query": draw(values(batch + (tq, d))),
        "value": draw(values(batch + (tv, dv))),
        "key": draw(values(batch + (tv, d))) if with_key else None,
        "score_mode": draw(st.sampled_from(["dot", "concat"])),
        "use_causal_mask": draw(st.booleans()) if with_masks else False,
        "query_mask": None,
        "value_mask": None,
    }
    if with_masks:
        case["query_mask"] = draw(st.one_of(st.none(), hnp.arrays(bool, batch + (tq,))))
        case["value_mask"] = draw(st.one_of(st.none(), hnp.arrays(bool, batch + (tv,))))
    return case
