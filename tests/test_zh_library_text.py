"""The library's texts a student reads in a notebook speak Chinese when the language is
zh-CN (issue 15): every exercise checker on each of its paths (right, wrong value, wrong
shape, not answered, not a number, ...), and the Keras cross-check reports and tables.

English stays exactly as it was: ENGLISH below is what each path printed before the
Chinese was added, and the English notebooks' saved outputs of the checks and the
cross-checks are reproduced character for character."""

import ast
import json
import re
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from attention_lib import i18n, keras_check
from attention_lib.exercises import check
from attention_lib.exercises._core import _REGISTRY, spaced, verbatim

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
_SOLUTION = re.compile(r"<summary>Solution to (\d\d\.\d+)</summary>\s*```python\n(.*?)```",
                       re.DOTALL)
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
#: Three or more English words in a row: a sentence left untranslated. Code (`...`),
#: quoted strings ('1 Dec 2026') and identifiers (value_mask, float32) are not words here.
ENGLISH_RUN = re.compile(r"(?<![\w.])[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}(?![\w(])")


@pytest.fixture(autouse=True)
def english_after(monkeypatch):
    monkeypatch.delenv(i18n.ENV, raising=False)
    yield
    i18n.set_language(None)


def english_runs(text: str) -> list[str]:
    """The runs of English words in ``text`` outside code and quoted strings."""
    text = re.sub(r"`[^`]*`|'[^']*'", " ", text)
    return ENGLISH_RUN.findall(text)


def assert_chinese(text: str) -> None:
    """``text`` is Chinese: Han characters, no English sentence, and a space wherever
    Chinese meets a Latin letter or a digit (as the Chinese notebooks write them)."""
    assert HAN.search(text), text
    assert not english_runs(text), (english_runs(text), text)
    assert spaced(text) == text, text


def test_english_runs_finds_leftover_sentences():
    assert english_runs("还不对：your score = 5 is too high.") == ["is too high"]
    assert english_runs("Noted: your sentence is written down.") == [
        "your sentence is written down"]
    assert english_runs("the shape is right") == ["the shape is right"]
    assert not english_runs("你的预测应当是 True 或 False；value_mask 把它隐藏了，float32 的 "
                            "`return` 与 '1 Dec 2026'")


def test_spacing_between_chinese_and_code():
    assert spaced("dot_scores返回None，用`return`返回1/4的权重") == (
        "dot_scores 返回 None，用 `return` 返回 1/4 的权重")
    assert spaced("形状为(2, 3)的查询（在 1e-05 以内）") == "形状为 (2, 3) 的查询（在 1e-05 以内）"
    # A student's own text is copied as it is.
    assert spaced("得到的是 " + verbatim("'5个'") + "。") == "得到的是 '5个'。"


def solutions() -> dict:
    found: dict = {}
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                for ex_id, code in _SOLUTION.findall("".join(cell["source"])):
                    namespace: dict = {}
                    exec(code, namespace)
                    found[ex_id] = namespace["answer"]
    return found


def function_paths(solution) -> list[tuple[str, object]]:
    """The paths of a write-a-function exercise, from the notebook's solution."""
    def returns_none(*args):
        return None

    calls = {"n": 0}

    def none_on_case_2(*args):
        calls["n"] += 1
        return None if calls["n"] == 2 else solution(*args)

    def raises(*args):
        raise ValueError("bad input")

    def wrong_shape(*args):
        return np.zeros(7)

    def wrong_values(*args):
        out = np.array(solution(*args), dtype=float)
        out.flat[0] += 0.5
        return out

    def nan(*args):
        out = np.array(solution(*args), dtype=float)
        out.flat[0] = np.nan
        return out

    def text(*args):
        return "abc"

    return [("right", solution), ("not a function", 3), ("returns None", returns_none),
            ("None on case 2", none_on_case_2), ("raises", raises),
            ("wrong shape", wrong_shape), ("wrong values", wrong_values), ("NaN", nan),
            ("not numbers", text)]


NUMBER = [("not a number", "five"), ("an array", [1.0, 2.0]), ("a bool", True),
          ("not finite", np.inf)]
EXPLAIN = [("noted", "Because it can."), ("empty", "  "), ("not a str", 3)]
FUNCTIONS = ("00.3", "02.1", "03.1", "04.2", "05.1", "05.2", "05.3", "06.3", "07.3", "08.3",
             "09.2", "10.2")
EXPLAINED = ("01.3", "02.5", "03.4", "04.4", "06.5", "07.4", "09.3", "10.4")


def paths() -> dict[str, list[tuple[str, object]]]:
    """Every exercise's paths: (label, answer), each answer taking one branch of its
    checker. Built afresh for each use (a function answer may count its calls)."""
    sol = solutions()
    table: dict[str, list[tuple[str, object]]] = {
        "00.1": [("right", 3), ("too high", 5), ("too low", 2), *NUMBER],
        "00.2": [("right", sol["00.2"]), ("not numbers", "abc"), ("wrong shape", [0.5, 0.5]),
                 ("NaN", [np.nan, 0.0, 1.0]), ("sum", [0.5, 0.6, 0.1]),
                 ("negative", [-0.1, 0.1, 1.0]), ("wrong values", [0.1, 0.2, 0.7])],
        "01.1": [("right", 50), ("wrong", 25), *NUMBER],
        "01.2": [("right", 600), ("words", 50), ("target words", 20), ("source words", 30),
                 ("close", 620), ("too high", 6000), ("too low", 10), *NUMBER],
        "02.2": [("right", sol["02.2"]), ("sum", [0.5, 0.5, 0.5, 0.5]),
                 ("negative", [-0.5, 0.5, 0.5, 0.5]), ("wrong values", [0.25] * 4),
                 ("wrong shape", [0.5, 0.5]), ("not numbers", "abc")],
        "02.3": [("right", [-8.0, -4.0]), ("car not enough", [-4.0, -2.0]),
                 ("bus", [-3.0, 3.0]), ("dog", [3.0, 1.0]), ("blend", [-0.2, -1.3]),
                 ("wrong shape", [1.0, 2.0, 3.0]), ("not numbers", "car"),
                 ("NaN", [np.nan, 1.0])],
        "02.4": [("right", sol["02.4"]), ("wrong", 300.0), *NUMBER],
        "03.2": [("right", 0.125), ("sqrt d", 8.0), ("d", 64.0), ("1/d", 1 / 64),
                 ("not right", 0.2), *NUMBER],
        "03.3": [("right", sol["03.3"]), ("wrong", 0.9), *NUMBER],
        "04.1": [("right", sol["04.1"]), ("wrong shape", [1.0, 2.0]),
                 ("wrong values", np.zeros((2, 2)))],
        "04.3": [("right", [[0.5, 0.5], [0.5, 0.5]]), ("wrong", [[np.nan, np.nan], [0.0, 1.0]]),
                 ("wrong shape", [0.5, 0.5]), ("not numbers", "abc")],
        "05.4": [("right", False), ("wrong", True), ("not a bool", "no")],
        "06.1": [("right", (2, 4, 5, 7)), ("not whole numbers", "ab"), ("not a shape", 5),
                 ("axes", (2, 5, 7)), ("axis off", (2, 4, 7, 5))],
        "06.2": [("right", 186), ("value as query", 154), ("kernels", 160),
                 ("output to value", 208), ("close", 190), ("too high", 300),
                 ("too low", 100), *NUMBER],
        "06.4": [("right", 0.4), ("before dropout", 0.3), ("times keep", 0.225),
                 ("times rate", 0.075), ("over rate", 1.2), ("dropped", 0.0),
                 ("close", 0.41), ("too high", 0.9), ("too low", 0.1), *NUMBER],
        "07.1": [("right", sol["07.1"]), ("wrong values", np.zeros((4, 4))),
                 ("wrong shape", np.zeros(4))],
        "07.2": [("right", 0.25), ("one fifth", 0.2), ("one sixth", 1 / 6), ("zero", 0.0),
                 ("one", 1.0), ("not right", 0.3), *NUMBER],
        "08.1": [("right", sol["08.1"]), ("wrong values", np.zeros((3, 2))),
                 ("wrong shape", np.zeros((2, 3)))],
        "08.2": [("right", sol["08.2"]), ("too high", 0.9), ("too low", 0.01), *NUMBER],
        "08.4": [("right", sol["08.4"]), ("too low", 2000), ("too high", 5000), *NUMBER],
        "09.1": [("right", sol["09.1"]), ("wrong", 0.5), *NUMBER],
        "10.1": [("right", 0.0), ("wrong", 0.5), *NUMBER],
        "10.3": [("right", 64), ("one row", 4096 * 4 / 2**20), ("float64", 128),
                 ("megabytes", 4096 * 4096 * 4 / 1e6), ("close", 60), ("too high", 1000),
                 ("too low", 1), *NUMBER],
    }
    for ex_id in FUNCTIONS:
        table[ex_id] = function_paths(sol[ex_id])
    for ex_id in EXPLAINED:
        table[ex_id] = EXPLAIN
    return {ex_id: [("not answered", None), *rows] for ex_id, rows in table.items()}




ENGLISH = {
    ("00.1", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("00.1", "right"): (True, "Right! your score = 3."),
    ("00.1", "too high"): (False, "Not yet: your score = 5 is too high."),
    ("00.1", "too low"): (False, "Not yet: your score = 2 is too low."),
    ("00.1", "not a number"): (False,
        "Not yet: your score should be a single number; got 'five'."),
    ("00.1", "an array"): (False, "Not yet: your score should be a single number; got list."),
    ("00.1", "a bool"): (False, "Not yet: your score should be a single number; got bool."),
    ("00.1", "not finite"): (False, "Not yet: your score is inf; a finite number is expected."),
    ("00.2", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("00.2", "right"): (True, "Right! your weights matches, shape (3,)."),
    ("00.2", "not numbers"): (False,
        "Not yet: your weights should be an array of numbers; got str."),
    ("00.2", "wrong shape"): (False,
        "Not yet: your weights has shape (2,), but the answer has shape (3,). Check which "
        "axes you multiply or sum over."),
    ("00.2", "NaN"): (False,
        "Not yet: your weights holds a NaN or infinite value at (0,). Did something "
        "overflow?"),
    ("00.2", "sum"): (False,
        "Not yet: your weights sums to 1.2; attention weights must sum to 1."),
    ("00.2", "negative"): (False,
        "Not yet: your weights has a negative weight; softmax weights are never negative."),
    ("00.2", "wrong values"): (False,
        "Not yet: the shape is right, but 3 of 3 entries are off; the largest error is at "
        "index (1,)."),
    ("00.3", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("00.3", "right"): (True, "Right! dot_scores passes all 4 test cases."),
    ("00.3", "not a function"): (False, "Not yet: dot_scores should be a function; got int."),
    ("00.3", "returns None"): (False,
        "Not answered yet: dot_scores returns None. Write its body, `return` the result, "
        "and run the cell again."),
    ("00.3", "None on case 2"): (False,
        "Not yet: dot_scores returned None on test case 2; did you forget `return`?"),
    ("00.3", "raises"): (False,
        "Not yet: on test case 1 (inputs of shape (3,), (2, 3)) dot_scores raised "
        "ValueError: bad input"),
    ("00.3", "wrong shape"): (False,
        "Not yet: test case 1 (inputs of shape (3,), (2, 3)): dot_scores's result has "
        "shape (7,), but the answer has shape (2,). Check which axes you multiply or sum "
        "over."),
    ("00.3", "wrong values"): (False,
        "Not yet: test case 1 (inputs of shape (3,), (2, 3)): the shape is right, but 1 of "
        "2 entries are off; the largest error is at index (0,)."),
    ("00.3", "NaN"): (False,
        "Not yet: test case 1 (inputs of shape (3,), (2, 3)): dot_scores's result holds a "
        "NaN or infinite value at (0,). Did something overflow?"),
    ("00.3", "not numbers"): (False,
        "Not yet: test case 1 (inputs of shape (3,), (2, 3)): dot_scores's result should "
        "be an array of numbers; got str."),
    ("01.1", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("01.1", "right"): (True,
        "Right! you predicted 50; the run computed 50 (within 0). Every scale is shrunk to "
        "the same 5 x 5 square, so the glimpse holds 2 x 25 values whatever the image; the "
        "photograph has 307,200 pixels."),
    ("01.1", "wrong"): (False,
        "Not yet: you predicted 25; the run computed 50, more than 0 away. Every scale is "
        "shrunk to the same 5 x 5 square, so the glimpse holds 2 x 25 values whatever the "
        "image; the photograph has 307,200 pixels."),
    ("01.1", "not a number"): (False,
        "Not yet: your prediction should be a single number; got 'five'."),
    ("01.1", "an array"): (False, "Not yet: your prediction should be a single number; got list."),
    ("01.1", "a bool"): (False, "Not yet: your prediction should be a single number; got bool."),
    ("01.1", "not finite"): (False,
        "Not yet: you predicted inf; the run computed 50, more than 0 away. Every scale is "
        "shrunk to the same 5 x 5 square, so the glimpse holds 2 x 25 values whatever the "
        "image; the photograph has 307,200 pixels."),
    ("01.2", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("01.2", "right"): (True,
        "Right! your count = 600. One score per (target word, source word) pair."),
    ("01.2", "words"): (False,
        "Not yet: your count = 50 is the number of words, not of scores: each target word "
        "scores every source word."),
    ("01.2", "target words"): (False,
        "Not yet: your count = 20 is one score per target word; each target word scores "
        "every source word."),
    ("01.2", "source words"): (False,
        "Not yet: your count = 30 is the scores of one target word; there are more target "
        "words."),
    ("01.2", "close"): (False,
        "Not yet: your count = 620 is not right. Count the (target word, source word) "
        "pairs."),
    ("01.2", "too high"): (False,
        "Not yet: your count = 6000 is too high. Count the (target word, source word) "
        "pairs."),
    ("01.2", "too low"): (False,
        "Not yet: your count = 10 is too low. Count the (target word, source word) pairs."),
    ("01.2", "not a number"): (False,
        "Not yet: your count should be a single number; got 'five'."),
    ("01.2", "an array"): (False, "Not yet: your count should be a single number; got list."),
    ("01.2", "a bool"): (False, "Not yet: your count should be a single number; got bool."),
    ("01.2", "not finite"): (False, "Not yet: your count is inf; a finite number is expected."),
    ("01.3", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("01.3", "noted"): (True,
        "Noted: your sentence is written down. This checker can only see that it is not "
        "empty, not whether it is right: open the model answer below and compare."),
    ("01.3", "empty"): (False,
        "Not yet: your answer is empty: write a sentence between the quotes."),
    ("01.3", "not a str"): (False,
        "Not yet: your answer should be a sentence in quotes (a str); got int."),
    ("02.1", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("02.1", "right"): (True, "Right! hard_lookup passes all 4 test cases."),
    ("02.1", "not a function"): (False, "Not yet: hard_lookup should be a function; got int."),
    ("02.1", "returns None"): (False,
        "Not answered yet: hard_lookup returns None. Write its body, `return` the result, "
        "and run the cell again."),
    ("02.1", "None on case 2"): (False,
        "Not yet: hard_lookup returned None on test case 2; did you forget `return`?"),
    ("02.1", "raises"): (False,
        "Not yet: on test case 1 (inputs of shape (2,), (4, 2), (4, 1)) hard_lookup raised "
        "ValueError: bad input"),
    ("02.1", "wrong shape"): (False,
        "Not yet: test case 1 (inputs of shape (2,), (4, 2), (4, 1)): hard_lookup's result "
        "has shape (7,), but the answer has shape (1,). Check which axes you multiply or "
        "sum over."),
    ("02.1", "wrong values"): (False,
        "Not yet: test case 1 (inputs of shape (2,), (4, 2), (4, 1)): the shape is right, "
        "but 1 of 1 entries are off; the largest error is at index (0,)."),
    ("02.1", "NaN"): (False,
        "Not yet: test case 1 (inputs of shape (2,), (4, 2), (4, 1)): hard_lookup's result "
        "holds a NaN or infinite value at (0,). Did something overflow?"),
    ("02.1", "not numbers"): (False,
        "Not yet: test case 1 (inputs of shape (2,), (4, 2), (4, 1)): hard_lookup's result "
        "should be an array of numbers; got str."),
    ("02.2", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("02.2", "right"): (True, "Right! your weights matches, shape (4,)."),
    ("02.2", "sum"): (False,
        "Not yet: your weights sum to 2; the weights of a look-up must sum to 1."),
    ("02.2", "negative"): (False,
        "Not yet: your weights has a negative weight; softmax weights are never negative."),
    ("02.2", "wrong values"): (False,
        "Not yet: the shape is right, but 4 of 4 entries are off; the largest error is at "
        "index (3,)."),
    ("02.2", "wrong shape"): (False,
        "Not yet: your weights has shape (2,), but the answer has shape (4,). Check which "
        "axes you multiply or sum over."),
    ("02.2", "not numbers"): (False,
        "Not yet: your weights should be an array of numbers; got str."),
    ("02.3", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("02.3", "right"): (True,
        "Right! your query answers 1,526 kg (weights: cat 0.000, dog 0.000, car 0.998, bus "
        "0.002). Almost all the weight is on the car: its key must win over the bus's, "
        "which differs only in size, by a wide margin."),
    ("02.3", "car not enough"): (False,
        "Not yet: your query answers 1,998 kg (weights: cat 0.000, dog 0.000, car 0.953, "
        "bus 0.047); the car already has most of the weight, but not enough: what makes "
        "every other score much smaller than the car's?"),
    ("02.3", "bus"): (False,
        "Not yet: your query answers 11,885 kg (weights: cat 0.000, dog 0.000, car 0.011, "
        "bus 0.989); the bus adds the most kilograms. Which feature tells the car from the "
        "bus, and which sign of the query's number for it favours the car?"),
    ("02.3", "dog"): (False,
        "Not yet: your query answers 23 kg (weights: cat 0.269, dog 0.731, car 0.000, bus "
        "0.000); the dog adds the most kilograms. Which feature tells the car from the "
        "dog, and which sign of the query's number for it favours the car?"),
    ("02.3", "blend"): (False,
        "Not yet: your query answers 1,438 kg (weights: cat 0.385, dog 0.105, car 0.447, "
        "bus 0.064): close to 1500 kg, but by a blend of other words; the car itself "
        "should hold most of the weight."),
    ("02.3", "wrong shape"): (False,
        "Not yet: your query has shape (3,); a query here is two numbers, shape (2,), like "
        "the keys."),
    ("02.3", "not numbers"): (False,
        "Not yet: your query should be two numbers, like [1.0, -2.0]; got str."),
    ("02.3", "NaN"): (False, "Not yet: your query holds a NaN or infinite number."),
    ("02.4", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("02.4", "right"): (True,
        "Right! you predicted 3384 kg; the run computed 3332 kg (within 166.609). At scale "
        "0.01 the four scores differ by at most 0.042, so every weight is close to 1/4 and "
        "the answer is close to the plain average of the values, 3383.5 kg: the 12-tonne "
        "bus counts almost as much as the dog, and the puppy comes out heavier than the "
        "car."),
    ("02.4", "wrong"): (False,
        "Not yet: you predicted 300 kg; the run computed 3332 kg, more than 166.609 away. "
        "At scale 0.01 the four scores differ by at most 0.042, so every weight is close "
        "to 1/4 and the answer is close to the plain average of the values, 3383.5 kg: the "
        "12-tonne bus counts almost as much as the dog, and the puppy comes out heavier "
        "than the car."),
    ("02.4", "not a number"): (False,
        "Not yet: your prediction should be a single number; got 'five'."),
    ("02.4", "an array"): (False, "Not yet: your prediction should be a single number; got list."),
    ("02.4", "a bool"): (False, "Not yet: your prediction should be a single number; got bool."),
    ("02.4", "not finite"): (False,
        "Not yet: you predicted inf kg; the run computed 3332 kg, more than 166.609 away. "
        "At scale 0.01 the four scores differ by at most 0.042, so every weight is close "
        "to 1/4 and the answer is close to the plain average of the values, 3383.5 kg: the "
        "12-tonne bus counts almost as much as the dog, and the puppy comes out heavier "
        "than the car."),
    ("02.5", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("02.5", "noted"): (True,
        "Noted: your sentence is written down. This checker can only see that it is not "
        "empty, not whether it is right: open the model answer below and compare."),
    ("02.5", "empty"): (False,
        "Not yet: your answer is empty: write a sentence between the quotes."),
    ("02.5", "not a str"): (False,
        "Not yet: your answer should be a sentence in quotes (a str); got int."),
    ("03.1", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("03.1", "right"): (True, "Right! log_softmax passes all 4 test cases."),
    ("03.1", "not a function"): (False, "Not yet: log_softmax should be a function; got int."),
    ("03.1", "returns None"): (False,
        "Not answered yet: log_softmax returns None. Write its body, `return` the result, "
        "and run the cell again."),
    ("03.1", "None on case 2"): (False,
        "Not yet: log_softmax returned None on test case 2; did you forget `return`?"),
    ("03.1", "raises"): (False,
        "Not yet: on test case 1 (inputs of shape (2, 4)) log_softmax raised ValueError: "
        "bad input"),
    ("03.1", "wrong shape"): (False,
        "Not yet: test case 1 (inputs of shape (2, 4)): log_softmax's result has shape "
        "(7,), but the answer has shape (2, 4). Check which axes you multiply or sum over."),
    ("03.1", "wrong values"): (False,
        "Not yet: test case 1 (inputs of shape (2, 4)): the shape is right, but 1 of 8 "
        "entries are off; the largest error is at index (0, 0)."),
    ("03.1", "NaN"): (False,
        "Not yet: test case 1 (inputs of shape (2, 4)): log_softmax's result holds a NaN "
        "or infinite value at (0, 0). Did something overflow?"),
    ("03.1", "not numbers"): (False,
        "Not yet: test case 1 (inputs of shape (2, 4)): log_softmax's result should be an "
        "array of numbers; got str."),
    ("03.2", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("03.2", "right"): (True, "Right! your factor = 0.125."),
    ("03.2", "sqrt d"): (False,
        "Not yet: your factor = 8 is too high: that is sqrt(d) itself, the scores' "
        "standard deviation; you want to divide by it."),
    ("03.2", "d"): (False,
        "Not yet: your factor = 64 is too high: that is d, the scores' variance."),
    ("03.2", "1/d"): (False,
        "Not yet: your factor = 0.01562 is too low: multiplying by 1/d divides the "
        "variance by d squared."),
    ("03.2", "not right"): (False,
        "Not yet: your factor = 0.2 is not right. Hint: multiplying a score by c "
        "multiplies its variance by c squared."),
    ("03.2", "not a number"): (False,
        "Not yet: your factor should be a single number; got 'five'."),
    ("03.2", "an array"): (False, "Not yet: your factor should be a single number; got list."),
    ("03.2", "a bool"): (False, "Not yet: your factor should be a single number; got bool."),
    ("03.2", "not finite"): (False, "Not yet: your factor is inf; a finite number is expected."),
    ("03.3", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("03.3", "right"): (True,
        "Right! you predicted 0.2499; the run computed 0.2473 (within 0.05). Divided by "
        "sqrt(d), the scores have standard deviation 1 at every d, so the softmax over 16 "
        "keys stays soft: the best key gets far less than the 0.94 of the unscaled score "
        "at the same d, though more than the 0.0625 of uniform weights."),
    ("03.3", "wrong"): (False,
        "Not yet: you predicted 0.9; the run computed 0.2473, more than 0.05 away. Divided "
        "by sqrt(d), the scores have standard deviation 1 at every d, so the softmax over "
        "16 keys stays soft: the best key gets far less than the 0.94 of the unscaled "
        "score at the same d, though more than the 0.0625 of uniform weights."),
    ("03.3", "not a number"): (False,
        "Not yet: your prediction should be a single number; got 'five'."),
    ("03.3", "an array"): (False, "Not yet: your prediction should be a single number; got list."),
    ("03.3", "a bool"): (False, "Not yet: your prediction should be a single number; got bool."),
    ("03.3", "not finite"): (False,
        "Not yet: you predicted inf; the run computed 0.2473, more than 0.05 away. Divided "
        "by sqrt(d), the scores have standard deviation 1 at every d, so the softmax over "
        "16 keys stays soft: the best key gets far less than the 0.94 of the unscaled "
        "score at the same d, though more than the 0.0625 of uniform weights."),
    ("03.4", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("03.4", "noted"): (True,
        "Noted: your sentence is written down. This checker can only see that it is not "
        "empty, not whether it is right: open the model answer below and compare."),
    ("03.4", "empty"): (False,
        "Not yet: your answer is empty: write a sentence between the quotes."),
    ("03.4", "not a str"): (False,
        "Not yet: your answer should be a sentence in quotes (a str); got int."),
    ("04.1", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("04.1", "right"): (True, "Right! your score matrix matches, shape (2, 2)."),
    ("04.1", "wrong shape"): (False,
        "Not yet: your score matrix has shape (2,), but the answer has shape (2, 2). Check "
        "which axes you multiply or sum over."),
    ("04.1", "wrong values"): (False,
        "Not yet: the shape is right, but 4 of 4 entries are off; the largest error is at "
        "index (1, 1)."),
    ("04.2", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("04.2", "right"): (True, "Right! concat_scores passes all 4 test cases."),
    ("04.2", "not a function"): (False, "Not yet: concat_scores should be a function; got int."),
    ("04.2", "returns None"): (False,
        "Not answered yet: concat_scores returns None. Write its body, `return` the "
        "result, and run the cell again."),
    ("04.2", "None on case 2"): (False,
        "Not yet: concat_scores returned None on test case 2; did you forget `return`?"),
    ("04.2", "raises"): (False,
        "Not yet: on test case 1 (inputs of shape (2, 3), (2, 3), (), ()) concat_scores "
        "raised ValueError: bad input"),
    ("04.2", "wrong shape"): (False,
        "Not yet: test case 1 (inputs of shape (2, 3), (2, 3), (), ()): concat_scores's "
        "result has shape (7,), but the answer has shape (2, 2). Check which axes you "
        "multiply or sum over."),
    ("04.2", "wrong values"): (False,
        "Not yet: test case 1 (inputs of shape (2, 3), (2, 3), (), ()): the shape is "
        "right, but 1 of 4 entries are off; the largest error is at index (0, 0)."),
    ("04.2", "NaN"): (False,
        "Not yet: test case 1 (inputs of shape (2, 3), (2, 3), (), ()): concat_scores's "
        "result holds a NaN or infinite value at (0, 0). Did something overflow?"),
    ("04.2", "not numbers"): (False,
        "Not yet: test case 1 (inputs of shape (2, 3), (2, 3), (), ()): concat_scores's "
        "result should be an array of numbers; got str."),
    ("04.3", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("04.3", "right"): (True,
        "Right! the run gives [[0.5 0.5]\n [0.5 0.5]], as you predicted. Keras does not "
        "drop a masked key: it subtracts 1e9 from its score. With every key masked, every "
        "score drops by the same 1e9, and float32 (about 7 significant digits) cannot keep "
        "the small differences between them, so the scores are equal and the softmax gives "
        "each of the 2 keys 1/2. No NaN (nothing is divided by 0) and no zeros (softmax "
        "weights always sum to 1)."),
    ("04.3", "wrong"): (False,
        "Not yet: you predicted [[nan nan]\n [ 0.  1.]]; the run gives [[0.5 0.5]\n [0.5 "
        "0.5]]. Keras does not drop a masked key: it subtracts 1e9 from its score. With "
        "every key masked, every score drops by the same 1e9, and float32 (about 7 "
        "significant digits) cannot keep the small differences between them, so the scores "
        "are equal and the softmax gives each of the 2 keys 1/2. No NaN (nothing is "
        "divided by 0) and no zeros (softmax weights always sum to 1)."),
    ("04.3", "wrong shape"): (False,
        "Not yet: your prediction has shape (2,); the weights have shape (2, 2), one row "
        "per query, one column per key."),
    ("04.3", "not numbers"): (False,
        "Not yet: your prediction should be a (2, 2) array of numbers (np.nan is allowed); "
        "got str."),
    ("04.4", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("04.4", "noted"): (True,
        "Noted: your sentence is written down. This checker can only see that it is not "
        "empty, not whether it is right: open the model answer below and compare."),
    ("04.4", "empty"): (False,
        "Not yet: your answer is empty: write a sentence between the quotes."),
    ("04.4", "not a str"): (False,
        "Not yet: your answer should be a sentence in quotes (a str); got int."),
    ("05.1", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("05.1", "right"): (True, "Right! my_reversal_targets passes all 3 test cases."),
    ("05.1", "not a function"): (False,
        "Not yet: my_reversal_targets should be a function; got int."),
    ("05.1", "returns None"): (False,
        "Not answered yet: my_reversal_targets returns None. Write its body, `return` the "
        "result, and run the cell again."),
    ("05.1", "None on case 2"): (False,
        "Not yet: my_reversal_targets returned None on test case 2; did you forget "
        "`return`?"),
    ("05.1", "raises"): (False,
        "Not yet: on test case 1 (inputs of shape (1, 5), (1,)) my_reversal_targets raised "
        "ValueError: bad input"),
    ("05.1", "wrong shape"): (False,
        "Not yet: test case 1 (inputs of shape (1, 5), (1,)): my_reversal_targets's result "
        "has shape (7,), but the answer has shape (1, 5). Check which axes you multiply or "
        "sum over."),
    ("05.1", "wrong values"): (False,
        "Not yet: test case 1 (inputs of shape (1, 5), (1,)): the shape is right, but 1 of "
        "5 entries are off; the largest error is at index (0, 0)."),
    ("05.1", "NaN"): (False,
        "Not yet: test case 1 (inputs of shape (1, 5), (1,)): my_reversal_targets's result "
        "holds a NaN or infinite value at (0, 0). Did something overflow?"),
    ("05.1", "not numbers"): (False,
        "Not yet: test case 1 (inputs of shape (1, 5), (1,)): my_reversal_targets's result "
        "should be an array of numbers; got str."),
    ("05.2", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("05.2", "right"): (True, "Right! my_token_accuracy passes all 3 test cases."),
    ("05.2", "not a function"): (False,
        "Not yet: my_token_accuracy should be a function; got int."),
    ("05.2", "returns None"): (False,
        "Not answered yet: my_token_accuracy returns None. Write its body, `return` the "
        "result, and run the cell again."),
    ("05.2", "None on case 2"): (False,
        "Not yet: my_token_accuracy returned None on test case 2; did you forget `return`?"),
    ("05.2", "raises"): (False,
        "Not yet: on test case 1 (inputs of shape (1, 5), (1, 5), (1,)) my_token_accuracy "
        "raised ValueError: bad input"),
    ("05.2", "wrong shape"): (False,
        "Not yet: test case 1 (inputs of shape (1, 5), (1, 5), (1,)): my_token_accuracy's "
        "result has shape (7,), but the answer has shape (1,). Check which axes you "
        "multiply or sum over."),
    ("05.2", "wrong values"): (False,
        "Not yet: test case 1 (inputs of shape (1, 5), (1, 5), (1,)): the shape is right, "
        "but 1 of 1 entries are off; the largest error is at index (0,)."),
    ("05.2", "NaN"): (False,
        "Not yet: test case 1 (inputs of shape (1, 5), (1, 5), (1,)): my_token_accuracy's "
        "result holds a NaN or infinite value at (0,). Did something overflow?"),
    ("05.2", "not numbers"): (False,
        "Not yet: test case 1 (inputs of shape (1, 5), (1, 5), (1,)): my_token_accuracy's "
        "result should be an array of numbers; got str."),
    ("05.3", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("05.3", "right"): (True, "Right! my_anti_diagonal_share passes all 3 test cases."),
    ("05.3", "not a function"): (False,
        "Not yet: my_anti_diagonal_share should be a function; got int."),
    ("05.3", "returns None"): (False,
        "Not answered yet: my_anti_diagonal_share returns None. Write its body, `return` "
        "the result, and run the cell again."),
    ("05.3", "None on case 2"): (False,
        "Not yet: my_anti_diagonal_share returned None on test case 2; did you forget "
        "`return`?"),
    ("05.3", "raises"): (False,
        "Not yet: on test case 1 (inputs of shape (1, 3, 3), (1,)) my_anti_diagonal_share "
        "raised ValueError: bad input"),
    ("05.3", "wrong shape"): (False,
        "Not yet: test case 1 (inputs of shape (1, 3, 3), (1,)): my_anti_diagonal_share's "
        "result has shape (7,), but the answer has shape (). Check which axes you multiply "
        "or sum over."),
    ("05.3", "wrong values"): (False,
        "Not yet: test case 1 (inputs of shape (1, 3, 3), (1,)): the shape is right, but 1 "
        "of 1 entries are off; the largest error is at index ()."),
    ("05.3", "NaN"): (False,
        "Not yet: test case 1 (inputs of shape (1, 3, 3), (1,)): my_anti_diagonal_share's "
        "result holds a NaN or infinite value at (). Did something overflow?"),
    ("05.3", "not numbers"): (False,
        "Not yet: test case 1 (inputs of shape (1, 3, 3), (1,)): my_anti_diagonal_share's "
        "result should be an array of numbers; got str."),
    ("05.4", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("05.4", "right"): (True,
        "Right! you predicted False, and with 16 units the attention model does not lead "
        "by the margin after the same 400 steps. Attention lets the decoder read every "
        "source position, but where to read is learnt: the decoder state (the query) and "
        "the encoder states (the keys) must come to encode positions, and the 16-unit "
        "model has not learnt that yet. The cells below print how often its largest weight "
        "sits on the anti-diagonal; compare it with the 48-unit model's. Attention removes "
        "the bottleneck, not the need to learn the lookup."),
    ("05.4", "wrong"): (False,
        "Not yet: you predicted True, but with 16 units the attention model does not lead "
        "by the margin after the same 400 steps. Attention lets the decoder read every "
        "source position, but where to read is learnt: the decoder state (the query) and "
        "the encoder states (the keys) must come to encode positions, and the 16-unit "
        "model has not learnt that yet. The cells below print how often its largest weight "
        "sits on the anti-diagonal; compare it with the 48-unit model's. Attention removes "
        "the bottleneck, not the need to learn the lookup."),
    ("05.4", "not a bool"): (False, "Not yet: your prediction should be True or False; got 'no'."),
    ("06.1", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("06.1", "right"): (True, "Right! the scores have shape (2, 4, 5, 7)."),
    ("06.1", "not whole numbers"): (False,
        "Not yet: your shape should be a tuple of whole numbers, like (2, 3)."),
    ("06.1", "not a shape"): (False,
        "Not yet: your shape should be a tuple of whole numbers, like (2, 3)."),
    ("06.1", "axes"): (False,
        "Not yet: your shape has 3 axes; the scores have one for the batch, one for the "
        "heads, and one each for queries and keys."),
    ("06.1", "axis off"): (False,
        "Not yet: axis 2 of your shape is off; the order is (batch, heads, query "
        "positions, key positions)."),
    ("06.2", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("06.2", "right"): (True, "Right! your count = 186."),
    ("06.2", "value as query"): (False,
        "Not yet: your count = 154 is too low: that is the count for a value with 4 "
        "features, like the notebook's layer; here the value, and so the key, has 6."),
    ("06.2", "kernels"): (False,
        "Not yet: your count = 160 is too low: you counted only the kernels; each "
        "projection has a bias too."),
    ("06.2", "output to value"): (False,
        "Not yet: your count = 208 is too high: the output projection maps back to the "
        "query's 4 features, not the value's 6."),
    ("06.2", "close"): (False,
        "Not yet: your count = 190 is not right. Recount one kernel or one bias: the "
        "notebook's table of the eight arrays gives their shapes."),
    ("06.2", "too high"): (False,
        "Not yet: your count = 300 is too high. Recount one kernel or one bias: the "
        "notebook's table of the eight arrays gives their shapes."),
    ("06.2", "too low"): (False,
        "Not yet: your count = 100 is too low. Recount one kernel or one bias: the "
        "notebook's table of the eight arrays gives their shapes."),
    ("06.2", "not a number"): (False,
        "Not yet: your count should be a single number; got 'five'."),
    ("06.2", "an array"): (False, "Not yet: your count should be a single number; got list."),
    ("06.2", "a bool"): (False, "Not yet: your count should be a single number; got bool."),
    ("06.2", "not finite"): (False, "Not yet: your count is inf; a finite number is expected."),
    ("06.3", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("06.3", "right"): (True, "Right! my_additive_weights passes all 3 test cases."),
    ("06.3", "not a function"): (False,
        "Not yet: my_additive_weights should be a function; got int."),
    ("06.3", "returns None"): (False,
        "Not answered yet: my_additive_weights returns None. Write its body, `return` the "
        "result, and run the cell again."),
    ("06.3", "None on case 2"): (False,
        "Not yet: my_additive_weights returned None on test case 2; did you forget "
        "`return`?"),
    ("06.3", "raises"): (False,
        "Not yet: on test case 1 (inputs of shape (2, 4), (3, 2), (3, 4), (4,)) "
        "my_additive_weights raised ValueError: bad input"),
    ("06.3", "wrong shape"): (False,
        "Not yet: test case 1 (inputs of shape (2, 4), (3, 2), (3, 4), (4,)): "
        "my_additive_weights's result has shape (7,), but the answer has shape (2, 3). "
        "Check which axes you multiply or sum over."),
    ("06.3", "wrong values"): (False,
        "Not yet: test case 1 (inputs of shape (2, 4), (3, 2), (3, 4), (4,)): row (0,) of "
        "my_additive_weights's result sums to 1.5; attention weights must sum to 1."),
    ("06.3", "NaN"): (False,
        "Not yet: test case 1 (inputs of shape (2, 4), (3, 2), (3, 4), (4,)): "
        "my_additive_weights's result holds a NaN or infinite value at (0, 0). Did "
        "something overflow?"),
    ("06.3", "not numbers"): (False,
        "Not yet: test case 1 (inputs of shape (2, 4), (3, 2), (3, 4), (4,)): "
        "my_additive_weights's result should be an array of numbers; got str."),
    ("06.4", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("06.4", "right"): (True,
        "Right! your prediction = 0.4. Kept weights are divided by the keep probability 1 "
        "- rate, so that on average over the random draws each weight keeps its value."),
    ("06.4", "before dropout"): (False,
        "Not yet: your prediction = 0.3 is too low: that is the weight before dropout, but "
        "a kept weight is scaled up, so that the weight's expected value stays 0.3 when "
        "some are dropped."),
    ("06.4", "times keep"): (False,
        "Not yet: your prediction = 0.225 is too low: Keras does not multiply a kept "
        "weight by the keep probability; it divides by it."),
    ("06.4", "times rate"): (False,
        "Not yet: your prediction = 0.075 is too low: a kept weight is divided, not "
        "multiplied, by the keep probability 1 - rate."),
    ("06.4", "over rate"): (False,
        "Not yet: your prediction = 1.2 is too high: a kept weight is divided by the keep "
        "probability, 1 - rate, not by the rate."),
    ("06.4", "dropped"): (False,
        "Not yet: your prediction = 0 is too low: 0 is what a dropped weight becomes; this "
        "one is kept."),
    ("06.4", "close"): (False,
        "Not yet: your prediction = 0.41 is not right. Which number are the survivors "
        "divided by?"),
    ("06.4", "too high"): (False,
        "Not yet: your prediction = 0.9 is too high. Which number are the survivors "
        "divided by?"),
    ("06.4", "too low"): (False,
        "Not yet: your prediction = 0.1 is too low. Which number are the survivors divided "
        "by?"),
    ("06.4", "not a number"): (False,
        "Not yet: your prediction should be a single number; got 'five'."),
    ("06.4", "an array"): (False, "Not yet: your prediction should be a single number; got list."),
    ("06.4", "a bool"): (False, "Not yet: your prediction should be a single number; got bool."),
    ("06.4", "not finite"): (False,
        "Not yet: your prediction is inf; a finite number is expected."),
    ("06.5", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("06.5", "noted"): (True,
        "Noted: your sentence is written down. This checker can only see that it is not "
        "empty, not whether it is right: open the model answer below and compare."),
    ("06.5", "empty"): (False,
        "Not yet: your answer is empty: write a sentence between the quotes."),
    ("06.5", "not a str"): (False,
        "Not yet: your answer should be a sentence in quotes (a str); got int."),
    ("07.1", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("07.1", "right"): (True, "Right! your additive mask matches, shape (4, 4)."),
    ("07.1", "wrong values"): (False,
        "Not yet: the shape is right, but 7 of 16 entries are off; the largest error is at "
        "index (0, 1)."),
    ("07.1", "wrong shape"): (False,
        "Not yet: your additive mask has shape (4,), but the answer has shape (4, 4). "
        "Check which axes you multiply or sum over."),
    ("07.2", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("07.2", "right"): (True,
        "Right! your prediction = 0.25. Query 4 may see keys 0 to 4 (causal), key 4 is "
        "padding, so keys 0 to 3 share the weight equally."),
    ("07.2", "one fifth"): (False,
        "Not yet: your prediction = 0.2 is too low: 1/5 shares the weight over keys 0 to "
        "4, but key 4 is padding, and value_mask hides it."),
    ("07.2", "one sixth"): (False,
        "Not yet: your prediction = 0.1667 is too low: 1/6 shares the weight over all 6 "
        "keys, but the causal mask hides the keys after 4, and value_mask the padding."),
    ("07.2", "zero"): (False,
        "Not yet: your prediction = 0 is too low: key 0 is neither after query 4 nor "
        "padding, so it is not masked."),
    ("07.2", "one"): (False,
        "Not yet: your prediction = 1 is too high: with equal scores no allowed key gets "
        "all the weight."),
    ("07.2", "not right"): (False,
        "Not yet: your prediction = 0.3 is not right. With equal scores each key a query "
        "may see gets the same weight, 1 / (the number of such keys). Count the keys query "
        "4 may see: not after it, not padding."),
    ("07.2", "not a number"): (False,
        "Not yet: your prediction should be a single number; got 'five'."),
    ("07.2", "an array"): (False, "Not yet: your prediction should be a single number; got list."),
    ("07.2", "a bool"): (False, "Not yet: your prediction should be a single number; got bool."),
    ("07.2", "not finite"): (False,
        "Not yet: your prediction is inf; a finite number is expected."),
    ("07.3", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("07.3", "right"): (True, "Right! my_masked_softmax passes all 3 test cases."),
    ("07.3", "not a function"): (False,
        "Not yet: my_masked_softmax should be a function; got int."),
    ("07.3", "returns None"): (False,
        "Not answered yet: my_masked_softmax returns None. Write its body, `return` the "
        "result, and run the cell again."),
    ("07.3", "None on case 2"): (False,
        "Not yet: my_masked_softmax returned None on test case 2; did you forget `return`?"),
    ("07.3", "raises"): (False,
        "Not yet: on test case 1 (inputs of shape (3, 4), (3, 4)) my_masked_softmax raised "
        "ValueError: bad input"),
    ("07.3", "wrong shape"): (False,
        "Not yet: test case 1 (inputs of shape (3, 4), (3, 4)): my_masked_softmax's result "
        "has shape (7,), but the answer has shape (3, 4). Check which axes you multiply or "
        "sum over."),
    ("07.3", "wrong values"): (False,
        "Not yet: test case 1 (inputs of shape (3, 4), (3, 4)): the shape is right, but 1 "
        "of 12 entries are off; the largest error is at index (0, 0)."),
    ("07.3", "NaN"): (False,
        "Not yet: test case 1 (inputs of shape (3, 4), (3, 4)): my_masked_softmax's result "
        "holds a NaN or infinite value at (0, 0). Did something overflow?"),
    ("07.3", "not numbers"): (False,
        "Not yet: test case 1 (inputs of shape (3, 4), (3, 4)): my_masked_softmax's result "
        "should be an array of numbers; got str."),
    ("07.4", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("07.4", "noted"): (True,
        "Noted: your sentence is written down. This checker can only see that it is not "
        "empty, not whether it is right: open the model answer below and compare."),
    ("07.4", "empty"): (False,
        "Not yet: your answer is empty: write a sentence between the quotes."),
    ("07.4", "not a str"): (False,
        "Not yet: your answer should be a sentence in quotes (a str); got int."),
    ("08.1", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("08.1", "right"): (True, "Right! your attention matrix matches, shape (3, 2)."),
    ("08.1", "wrong values"): (False,
        "Not yet: the shape is right, but 6 of 6 entries are off; the largest error is at "
        "index (0, 0)."),
    ("08.1", "wrong shape"): (False,
        "Not yet: your attention matrix has shape (2, 3), but the answer has shape (3, 2). "
        "Check which axes you multiply or sum over."),
    ("08.2", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("08.2", "right"): (True, "Right! your Gaussian factor = 0.3247."),
    ("08.2", "too high"): (False, "Not yet: your Gaussian factor = 0.9 is too high."),
    ("08.2", "too low"): (False, "Not yet: your Gaussian factor = 0.01 is too low."),
    ("08.2", "not a number"): (False,
        "Not yet: your Gaussian factor should be a single number; got 'five'."),
    ("08.2", "an array"): (False,
        "Not yet: your Gaussian factor should be a single number; got list."),
    ("08.2", "a bool"): (False,
        "Not yet: your Gaussian factor should be a single number; got bool."),
    ("08.2", "not finite"): (False,
        "Not yet: your Gaussian factor is inf; a finite number is expected."),
    ("08.3", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("08.3", "right"): (True, "Right! my_bahdanau_scores passes all 4 test cases."),
    ("08.3", "not a function"): (False,
        "Not yet: my_bahdanau_scores should be a function; got int."),
    ("08.3", "returns None"): (False,
        "Not answered yet: my_bahdanau_scores returns None. Write its body, `return` the "
        "result, and run the cell again."),
    ("08.3", "None on case 2"): (False,
        "Not yet: my_bahdanau_scores returned None on test case 2; did you forget `return`?"),
    ("08.3", "raises"): (False,
        "Not yet: on test case 1 (inputs of shape (4, 4), (4, 3), (4, 6), (3, 6), (6,)) "
        "my_bahdanau_scores raised ValueError: bad input"),
    ("08.3", "wrong shape"): (False,
        "Not yet: test case 1 (inputs of shape (4, 4), (4, 3), (4, 6), (3, 6), (6,)): "
        "my_bahdanau_scores's result has shape (7,), but the answer has shape (4, 4). "
        "Check which axes you multiply or sum over."),
    ("08.3", "wrong values"): (False,
        "Not yet: test case 1 (inputs of shape (4, 4), (4, 3), (4, 6), (3, 6), (6,)): the "
        "shape is right, but 1 of 16 entries are off; the largest error is at index (0, 0)."),
    ("08.3", "NaN"): (False,
        "Not yet: test case 1 (inputs of shape (4, 4), (4, 3), (4, 6), (3, 6), (6,)): "
        "my_bahdanau_scores's result holds a NaN or infinite value at (0, 0). Did "
        "something overflow?"),
    ("08.3", "not numbers"): (False,
        "Not yet: test case 1 (inputs of shape (4, 4), (4, 3), (4, 6), (3, 6), (6,)): "
        "my_bahdanau_scores's result should be an array of numbers; got str."),
    ("08.4", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("08.4", "right"): (True, "Right! your count = 2160."),
    ("08.4", "too low"): (False, "Not yet: your count = 2000 is too low."),
    ("08.4", "too high"): (False, "Not yet: your count = 5000 is too high."),
    ("08.4", "not a number"): (False,
        "Not yet: your count should be a single number; got 'five'."),
    ("08.4", "an array"): (False, "Not yet: your count should be a single number; got list."),
    ("08.4", "a bool"): (False, "Not yet: your count should be a single number; got bool."),
    ("08.4", "not finite"): (False, "Not yet: your count is inf; a finite number is expected."),
    ("09.1", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("09.1", "right"): (True,
        "Right! you predicted 0.1; the run computed 0.1 (within 0.005). Uniform attention "
        "gives each of the 10 characters of '1 Dec 2026' the weight 1/10, and the day is 1 "
        "of them, so each of the day's output steps puts that share on it: the level a "
        "trained model must beat."),
    ("09.1", "wrong"): (False,
        "Not yet: you predicted 0.5; the run computed 0.1, more than 0.005 away. Uniform "
        "attention gives each of the 10 characters of '1 Dec 2026' the weight 1/10, and "
        "the day is 1 of them, so each of the day's output steps puts that share on it: "
        "the level a trained model must beat."),
    ("09.1", "not a number"): (False,
        "Not yet: your prediction should be a single number; got 'five'."),
    ("09.1", "an array"): (False, "Not yet: your prediction should be a single number; got list."),
    ("09.1", "a bool"): (False, "Not yet: your prediction should be a single number; got bool."),
    ("09.1", "not finite"): (False,
        "Not yet: you predicted inf; the run computed 0.1, more than 0.005 away. Uniform "
        "attention gives each of the 10 characters of '1 Dec 2026' the weight 1/10, and "
        "the day is 1 of them, so each of the day's output steps puts that share on it: "
        "the level a trained model must beat."),
    ("09.2", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("09.2", "right"): (True, "Right! my_field_share passes all 4 test cases."),
    ("09.2", "not a function"): (False, "Not yet: my_field_share should be a function; got int."),
    ("09.2", "returns None"): (False,
        "Not answered yet: my_field_share returns None. Write its body, `return` the "
        "result, and run the cell again."),
    ("09.2", "None on case 2"): (False,
        "Not yet: my_field_share returned None on test case 2; did you forget `return`?"),
    ("09.2", "raises"): (False,
        "Not yet: on test case 1 (inputs of shape (10, 12), (), (), (4,)) my_field_share "
        "raised ValueError: bad input"),
    ("09.2", "wrong shape"): (False,
        "Not yet: test case 1 (inputs of shape (10, 12), (), (), (4,)): my_field_share's "
        "result has shape (7,), but the answer has shape (). Check which axes you multiply "
        "or sum over."),
    ("09.2", "wrong values"): (False,
        "Not yet: test case 1 (inputs of shape (10, 12), (), (), (4,)): the shape is "
        "right, but 1 of 1 entries are off; the largest error is at index ()."),
    ("09.2", "NaN"): (False,
        "Not yet: test case 1 (inputs of shape (10, 12), (), (), (4,)): my_field_share's "
        "result holds a NaN or infinite value at (). Did something overflow?"),
    ("09.2", "not numbers"): (False,
        "Not yet: test case 1 (inputs of shape (10, 12), (), (), (4,)): my_field_share's "
        "result should be an array of numbers; got str."),
    ("09.3", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("09.3", "noted"): (True,
        "Noted: your sentence is written down. This checker can only see that it is not "
        "empty, not whether it is right: open the model answer below and compare."),
    ("09.3", "empty"): (False,
        "Not yet: your answer is empty: write a sentence between the quotes."),
    ("09.3", "not a str"): (False,
        "Not yet: your answer should be a sentence in quotes (a str); got int."),
    ("10.1", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("10.1", "right"): (True,
        "Right! you predicted 0; the run computed 2.776e-16 (within 1e-09). Self-attention "
        "is permutation-equivariant: every token meets the same others with the same "
        "scores in any order, so reversing the tokens reverses the outputs; the difference "
        "is float rounding, at most about 1e-15."),
    ("10.1", "wrong"): (False,
        "Not yet: you predicted 0.5; the run computed 2.776e-16, more than 1e-09 away. "
        "Self-attention is permutation-equivariant: every token meets the same others with "
        "the same scores in any order, so reversing the tokens reverses the outputs; the "
        "difference is float rounding, at most about 1e-15."),
    ("10.1", "not a number"): (False,
        "Not yet: your prediction should be a single number; got 'five'."),
    ("10.1", "an array"): (False, "Not yet: your prediction should be a single number; got list."),
    ("10.1", "a bool"): (False, "Not yet: your prediction should be a single number; got bool."),
    ("10.1", "not finite"): (False,
        "Not yet: you predicted inf; the run computed 2.776e-16, more than 1e-09 away. "
        "Self-attention is permutation-equivariant: every token meets the same others with "
        "the same scores in any order, so reversing the tokens reverses the outputs; the "
        "difference is float rounding, at most about 1e-15."),
    ("10.2", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("10.2", "right"): (True, "Right! my_positional_encoding passes all 4 test cases."),
    ("10.2", "not a function"): (False,
        "Not yet: my_positional_encoding should be a function; got int."),
    ("10.2", "returns None"): (False,
        "Not answered yet: my_positional_encoding returns None. Write its body, `return` "
        "the result, and run the cell again."),
    ("10.2", "None on case 2"): (False,
        "Not yet: my_positional_encoding returned None on test case 2; did you forget "
        "`return`?"),
    ("10.2", "raises"): (False,
        "Not yet: on test case 1 (inputs of shape (), ()) my_positional_encoding raised "
        "ValueError: bad input"),
    ("10.2", "wrong shape"): (False,
        "Not yet: test case 1 (inputs of shape (), ()): my_positional_encoding's result "
        "has shape (7,), but the answer has shape (1, 2). Check which axes you multiply or "
        "sum over."),
    ("10.2", "wrong values"): (False,
        "Not yet: test case 1 (inputs of shape (), ()): the shape is right, but 1 of 2 "
        "entries are off; the largest error is at index (0, 0)."),
    ("10.2", "NaN"): (False,
        "Not yet: test case 1 (inputs of shape (), ()): my_positional_encoding's result "
        "holds a NaN or infinite value at (0, 0). Did something overflow?"),
    ("10.2", "not numbers"): (False,
        "Not yet: test case 1 (inputs of shape (), ()): my_positional_encoding's result "
        "should be an array of numbers; got str."),
    ("10.3", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("10.3", "right"): (True,
        "Right! your size = 64. n^2 numbers: twice the length, four times the memory."),
    ("10.3", "one row"): (False,
        "Not yet: your size = 0.01562 is the size of one row; there are 4096 rows."),
    ("10.3", "float64"): (False,
        "Not yet: your size = 128 is the size in float64 (8 bytes); float32 takes 4."),
    ("10.3", "megabytes"): (False,
        "Not yet: your size = 67.11 is in megabytes (10^6 bytes); a MiB is 2^20 bytes."),
    ("10.3", "close"): (False,
        "Not yet: your size = 60 is not right. Count the numbers, times the bytes of one, "
        "over 2^20."),
    ("10.3", "too high"): (False,
        "Not yet: your size = 1000 is too high. Count the numbers, times the bytes of one, "
        "over 2^20."),
    ("10.3", "too low"): (False,
        "Not yet: your size = 1 is too low. Count the numbers, times the bytes of one, "
        "over 2^20."),
    ("10.3", "not a number"): (False, "Not yet: your size should be a single number; got 'five'."),
    ("10.3", "an array"): (False, "Not yet: your size should be a single number; got list."),
    ("10.3", "a bool"): (False, "Not yet: your size should be a single number; got bool."),
    ("10.3", "not finite"): (False, "Not yet: your size is inf; a finite number is expected."),
    ("10.4", "not answered"): (False,
        "Not answered yet: replace None with your answer and run the cell again."),
    ("10.4", "noted"): (True,
        "Noted: your sentence is written down. This checker can only see that it is not "
        "empty, not whether it is right: open the model answer below and compare."),
    ("10.4", "empty"): (False,
        "Not yet: your answer is empty: write a sentence between the quotes."),
    ("10.4", "not a str"): (False,
        "Not yet: your answer should be a sentence in quotes (a str); got int."),
}


def test_every_registered_exercise_has_its_paths_here():
    assert {ex_id for ex_id, _ in ENGLISH} == set(_REGISTRY) == set(paths())
    assert {(ex_id, label) for ex_id, rows in paths().items() for label, _ in rows} == set(ENGLISH)


@pytest.mark.parametrize("ex_id", sorted(_REGISTRY))
def test_english_is_what_it_was(ex_id):
    for label, answer in paths()[ex_id]:
        verdict = check(ex_id, answer)
        assert (verdict.ok, str(verdict)) == ENGLISH[ex_id, label], label


@pytest.mark.parametrize("ex_id", sorted(_REGISTRY))
def test_every_path_speaks_chinese(ex_id):
    i18n.set_language("zh-CN")
    for label, answer in paths()[ex_id]:
        verdict = check(ex_id, answer)
        text = str(verdict)
        ok, english = ENGLISH[ex_id, label]
        assert verdict.ok == ok, label           # the language never changes a verdict
        assert text != english, label
        assert_chinese(text)
        if english.startswith("Not answered yet"):
            assert text.startswith("还没有作答："), text
        else:
            word = {"Right! ": "正确！", "Noted: ": "已记下：", "Not yet: ": "还不对："}
            (prefix,) = [en for en in word if english.startswith(en)]
            assert text.startswith(word[prefix]), text


def test_some_chinese_hints_word_for_word():
    i18n.set_language("zh-CN")
    sol = paths()
    said = {(ex_id, label): str(check(ex_id, answer))
            for ex_id, rows in sol.items() for label, answer in rows}
    assert said["00.1", "too high"] == "还不对：你的评分 = 5，太大了。"
    assert said["00.2", "sum"] == "还不对：你的权重之和为 1.2；注意力权重之和必须为 1。"
    assert said["00.3", "returns None"] == (
        "还没有作答：dot_scores 返回 None。写出它的函数体，用 `return` 返回结果，"
        "再运行这个单元格。")
    assert said["00.3", "wrong shape"] == (
        "还不对：测试用例 1（输入的形状为 (3,), (2, 3)）：dot_scores 的结果的形状是 (7,)，但答案"
        "的形状是 (2,)。检查一下你在哪些轴上做乘法或求和。")
    assert said["00.3", "raises"] == (
        "还不对：在测试用例 1（输入的形状为 (3,), (2, 3)）上，dot_scores 引发了 ValueError："
        "bad input")
    assert said["01.2", "words"].startswith("还不对：你的计数 = 50，这是词的个数，")
    assert said["01.2", "right"] == "正确！你的计数 = 600。每个（目标词，源词）对有一个评分。"
    assert said["02.2", "sum"] == "还不对：你的权重之和为 2；一次查找的权重之和必须为 1。"
    assert said["02.3", "bus"].endswith("贡献千克数最多的是公共汽车。哪个特征把汽车与公共汽车"
                                        "区分开？查询在这个特征上取哪种符号才对汽车有利？")
    assert "（权重：cat 0.000，dog 0.000，car 0.998，bus 0.002）" in said["02.3", "right"]
    assert said["03.2", "not right"] == ("还不对：你的系数 = 0.2 不对。提示：评分乘以 c，它的"
                                         "方差就乘以 c 的平方。")
    assert said["06.1", "axis off"] == (
        "还不对：你的形状中轴 2 不对；轴的顺序是（批量，头，查询位置，键位置）。")
    assert said["10.3", "right"] == "正确！你的大小 = 64。n^2 个数：长度翻倍，内存就变为四倍。"
    assert said["02.4", "wrong"].startswith(
        "还不对：你预测的是 300 kg，运行算出的是 3332 kg，相差超过 166.609。缩放为 0.01 时，")


def test_a_students_own_text_is_copied_as_it_is():
    i18n.set_language("zh-CN")
    assert str(check("00.1", "5个")) == "还不对：你的评分应当是单个数；得到的是 '5个'。"
    assert str(check("05.4", "是")) == "还不对：你的预测应当是 True 或 False；得到的是 '是'。"

    def raises(*args):
        raise ValueError("形状a不对")

    assert str(check("00.3", raises)).endswith("dot_scores 引发了 ValueError：形状a不对")


def test_a_message_is_in_the_language_of_the_call():
    """The checker's message is written when the check runs; the verdict word follows the
    language when it prints (as a notebook re-run in the other language shows)."""
    english = check("00.1", 5)
    i18n.set_language("zh-CN")
    chinese = check("00.1", 5)
    assert chinese.message == "你的评分 = 5，太大了。" != english.message
    i18n.set_language("en")
    assert str(chinese) == "Not yet: 你的评分 = 5，太大了。"


# ---- the English notebooks' saved outputs ------------------------------------------------

def check_cells():
    """(notebook, cell index, cell source, saved output) of every cell whose last line is
    ``check(...)`` with its verdict saved as the cell's result."""
    for path in NOTEBOOKS:
        for i, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            results = [o for o in cell.get("outputs", []) if o["output_type"] == "execute_result"]
            source = "".join(cell["source"])
            if cell["cell_type"] == "code" and results and source.strip().split("\n")[-1] \
                    .startswith("check("):
                yield pytest.param(source, "".join(results[0]["data"]["text/plain"]),
                                   id=f"{path.stem[:2]}-cell{i}")


def run_cell(source: str):
    """The verdict a check cell shows: the cell's statements, then its last expression."""
    tree = ast.parse(source)
    namespace: dict = {"check": check, "np": np}
    exec(compile(ast.Module(tree.body[:-1], type_ignores=[]), "<cell>", "exec"), namespace)
    return eval(compile(ast.Expression(tree.body[-1].value), "<cell>", "eval"), namespace)


@pytest.mark.parametrize("source, saved", list(check_cells()))
def test_check_cells_print_their_saved_english_and_chinese_in_the_zh_edition(source, saved):
    assert str(run_cell(source)) == saved
    i18n.set_language("zh-CN")
    assert_chinese(str(run_cell(source)))


def test_every_notebook_with_exercises_shows_a_check():
    assert len(list(check_cells())) == len(_REGISTRY) + 1   # and notebook 00's demonstration


# ---- the Keras cross-check reports and tables ----------------------------------------------

_REPORT = re.compile(r"^(.+)  vs  (.+)\n  output  (\(.*?\)): \|numpy - keras\| within 1e-05\n"
                     r"  weights (\(.*?\)): \|numpy - keras\| within 1e-05\n  PASS$", re.MULTILINE)


def saved_text(notebook: str, cell: int) -> str:
    (path,) = (ROOT / "notebooks").glob(f"{notebook}_*.ipynb")
    outputs = json.loads(path.read_text(encoding="utf-8"))["cells"][cell]["outputs"]
    return "".join("".join(o["text"]) if o["output_type"] == "stream"
                   else "".join(o["data"].get("text/plain", "")) for o in outputs)


def passing(layer: str, twin: str, output_shape, weights_shape) -> keras_check.CrossCheck:
    out, w = np.zeros(output_shape), np.full(weights_shape, 0.5)
    return keras_check.CrossCheck(layer=layer, twin=twin, atol=keras_check.DEFAULT_ATOL,
                                  numpy_output=out, numpy_weights=w, keras_output=out + 1e-7,
                                  keras_weights=w, layer_weights=[])


SAVED_REPORTS = [("04", 25), ("06", 20), ("08", 22), ("08", 50), ("10", 12)]


@pytest.mark.parametrize("notebook, cell", SAVED_REPORTS)
def test_cross_check_reports_print_their_saved_english(notebook, cell):
    match = _REPORT.search(saved_text(notebook, cell))
    assert match, saved_text(notebook, cell)
    layer, twin, out, w = match.groups()
    report = passing(layer, twin, ast.literal_eval(out), ast.literal_eval(w))
    assert str(report) == repr(report) == match.group(0)


def test_a_cross_check_report_in_chinese():
    report = passing('Attention(use_scale=False, score_mode="dot")', "attention_lib.attention",
                     (2, 3), (2, 2))
    i18n.set_language("zh-CN")
    assert str(report) == ('Attention(use_scale=False, score_mode="dot")  与  '
                           "attention_lib.attention  对照\n"
                           "  输出  (2, 3)：|numpy - keras| 在 1e-05 以内\n"
                           "  权重  (2, 2)：|numpy - keras| 在 1e-05 以内\n"
                           "  通过")
    failing = keras_check.CrossCheck(**{**report.__dict__,
                                        "keras_weights": report.keras_weights + 2e-3})
    assert str(failing).splitlines()[2:] == ["  权重  (2, 2)：|numpy - keras| 2.0e-03 > 1e-05",
                                             "  未通过"]
    # The error stays English, as every error of the library does.
    with pytest.raises(AssertionError) as raised:
        failing.assert_ok()
    assert not HAN.search(str(raised.value)) and str(raised.value).endswith("  FAIL")


SAVED_TABLES = [("04", 38), ("06", 14), ("06", 28), ("06", 42)]


def saved_table(notebook: str, cell: int) -> tuple[str, list[str]]:
    """A cross-check table printed in a notebook, and its labels."""
    lines = saved_text(notebook, cell).split("\n")
    end = next(i for i, line in enumerate(lines[1:], 1) if not line.endswith("  PASS"))
    width = len(lines[0]) - len("  " + " " * 14 + "  " + " " * 14 + "  verdict")
    return "\n".join(lines[:end]), [line[:width].rstrip() for line in lines[1:end]]


@pytest.mark.parametrize("notebook, cell", SAVED_TABLES)
def test_cross_check_tables_print_their_saved_english(notebook, cell):
    table, labels = saved_table(notebook, cell)
    rows = [(label, passing("layer", "twin", (2, 3), (2, 2))) for label in labels]
    assert keras_check.cross_check_table(rows) == table


def columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_a_cross_check_table_in_chinese_lines_up():
    good = passing("layer", "twin", (2, 3), (2, 2))
    bad = keras_check.CrossCheck(**{**good.__dict__, "keras_output": good.keras_output + 1e-3})
    i18n.set_language("zh-CN")
    lines = keras_check.cross_check_table([("dot, use_scale", good), ("遮蔽 x", bad)]).split("\n")
    assert lines[0].split() == ["选项", "输出", "权重", "结论"]
    assert lines[1].split() == ["dot,", "use_scale", "在", "1e-05", "以内", "在", "1e-05", "以内",
                                "通过"]
    assert lines[2].split() == ["遮蔽", "x", "1.0e-03", ">", "1e-05", "在", "1e-05", "以内",
                                "未通过"]
    # Every column starts at the same place on the screen, Chinese taking two columns.
    ends = [columns(line[:line.rindex("  ") + 2]) for line in lines]
    assert len(set(ends)) == 1, lines


def test_the_encoder_block_report_in_both_languages():
    tk = pytest.importorskip("attention_lib.transformer_keras")
    from attention_lib.transformer import init_encoder_block_weights

    rng = np.random.default_rng(0)
    weights = init_encoder_block_weights(rng, 8, 2, 4, 16)
    x = rng.normal(size=(6, 8))
    english = tk.check_encoder_block(x, weights)
    assert str(english) == _REPORT.search(saved_text("10", 12)).group(0)
    i18n.set_language("zh-CN")
    chinese = str(tk.check_encoder_block(x, weights))
    assert chinese.startswith("编码器块 (MultiHeadAttention(num_heads=2, key_dim=4), "
                              "LayerNormalization(epsilon=0.001) x 2, Dense(16, relu), "
                              "Dense(8))  与  attention_lib.transformer.encoder_block  对照\n")
    assert chinese.endswith("\n  通过")
