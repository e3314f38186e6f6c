"""The glossary has a row for every term the notebooks define, in both editions, and the
Chinese edition words its links and its terms one way (issue 15).

The rule a writer follows:

- A notebook defines a term where its prose writes it in bold, ``**term**``. Prose is the
  markdown outside folded ``<details>`` (teacher's notes, solutions), code and HTML, and not
  the glossary itself.
- Bold is also used for labels (anything ending in ``: . ? !``, such as ``**Time:**``),
  exercise numbers (``**02.1**``), numbers, the template's ``**You will learn**``, and the
  few names listed in NOT_TERMS below: a control or a button as it reads on screen, a
  caption, an emphasised phrase. Nothing else is bold.
- Every defined term is covered by a row of the glossary (notebook 00, "## Glossary ·
  术语表"): the row's English column holds the term's words in that order, case, a plural
  s, hyphens and a leading article aside. ``**hard attention**`` is covered by
  "soft / hard attention", ``**scores**`` by "attention scoring function, score".
- The Chinese twin bolds the same places (as many bold spans in each cell, in the same
  order), and the Chinese of each defined term is in the Chinese column of a row that
  covers the English term. A term the twin keeps in Latin letters (GRU, REINFORCE) is
  matched against the English column, and a gloss in brackets, 评分（scores）, is left aside.
- A link into the glossary points at ``00_start_here.ipynb#glossary`` and its text is
  "glossary" (术语表) or a term that is a row, ``[Dense](00_start_here.ipynb#glossary)``;
  ``[glossary](00_start_here.ipynb#glossary): RNN`` names RNN, which must be a row too.

The wording of the Chinese edition (the end of this file): a link to another notebook reads
``[笔记本 NN](…)`` or ``[笔记本 NN《full title》](…)``, dimensions are 一维, 二维, 三维, and
each term has one Chinese word (RETIRED lists the words given up).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
ZH = NOTEBOOKS / "zh-CN"
ENGLISH = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
START = "00_start_here.ipynb"
GLOSSARY_ID = "glossary"

#: Bold that is not a definition, by notebook: controls and buttons as they read on screen,
#: captions of a list or a table, emphasis. Keep it short: a name here must still be bold in
#: that notebook's prose (a test checks it). A name is listed even where a row happens to
#: hold its word ("uniform" is in "Glorot uniform"), so that no row stands for it by chance.
NOT_TERMS: dict[str, set[str]] = {
    "00_start_here.ipynb": {
        # captions of the list of what the collection teaches
        "Where attention came from", "What attention is", "The Keras API", "Then further",
        "Back to the papers",
        # the map's column, the ways to drive a slider, the controls and the folded solution
        "Time", "Drag", "Click the handle, then press the arrow keys", "Type a number",
        "first picture", "running kernel", "reset", "Solution",
    },
    "01_a_short_history.ipynb": {"Added by this collection", "choosing where to look"},
    "02_what_is_attention.ipynb": {
        # captions of the seed's five steps (Weights and Weighted sum are rows)
        "Input", "Query, key and value", "Repeat",
        "a look-up where every key answers a little, in proportion to how well it matches "
        "the query",
    },
    "03_three_stage_computation.ipynb": {"key = value", "cosine"},
    "04_keras_attention_api.ipynb": {
        "output", "value second, key third", "True means attend", "Keras's weights",
    },
    "05_why_attention.ipynb": {
        "all 30 source positions", "illustrative", "every", "anti-diagonal",
        "looking in the wrong place", "Before you run them",
    },
    "06_keras_attention_layers.ipynb": {"batched 3-D only", "only when called with training=True"},
    "07_masks_and_self_attention.ipynb": {
        "True = attend", "add", "every key the same weight, masked keys included", "length",
    },
    "08_the_papers_in_code.ipynb": {"sampled"},
    "09_learning_to_align_dates.ipynb": {"previous", "without attention", "uniform"},
    "10_from_attention_to_the_transformer.ipynb": set(),
}
#: The first cell's template label, bold in every notebook.
FORM = {"You will learn", "你将学到"}

CJK = re.compile(r"[\u4e00-\u9fff]")


# ---- reading the notebooks -------------------------------------------------------------

def markdown_cells(path: Path) -> list[tuple[str, str]]:
    """(cell id, source) of every markdown cell."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [(c.get("id", ""), "".join(c["source"])) for c in cells if c["cell_type"] == "markdown"]


def prose(markdown: str) -> str:
    """The prose of a cell: folded <details>, code blocks and HTML tags left out, code spans
    kept as their text (unless they hold a *, which would read as emphasis)."""
    text = re.sub(r"<details>.*?</details>", " ", markdown, flags=re.DOTALL)
    text = re.sub(r"```.*?```", " ", text, flags=re.DOTALL)
    text = re.sub(r"`([^`\n]*)`", lambda m: "CODE" if "*" in m.group(1) else m.group(1), text)
    return re.sub(r"<[^>]+>", " ", text)


def bold_spans(markdown: str) -> list[str]:
    return [s.strip() for s in re.findall(r"\*\*([^*\n]+?)\*\*", prose(markdown))]


def is_label(span: str) -> bool:
    """Bold that mechanically is no term: a label, an exercise number, a number."""
    return (span.endswith((":", "：", ".", "。", "?", "？", "!", "！")) or span in FORM
            or re.fullmatch(r"\d\d\.\d", span) is not None
            or re.search(r"[A-Za-z]{2}|[\u4e00-\u9fff]", span) is None)


def is_term(span: str, notebook: str) -> bool:
    return not is_label(span) and span not in NOT_TERMS.get(notebook, set())


# ---- the glossary ------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    chinese: str
    english: str
    meaning: str
    section: str


def glossary_rows(path: Path) -> list[Row]:
    cells = [text for cid, text in markdown_cells(path) if cid == GLOSSARY_ID]
    assert len(cells) == 1, f"{path} has no cell with id {GLOSSARY_ID!r}"
    rows, section = [], ""
    for line in cells[0].splitlines():
        if line.startswith("### "):
            section = line[4:]
        elif line.startswith("| ") and not line.startswith("| 中文 |"):
            cells_ = [c.strip() for c in line.strip().strip("|").split(" | ")]
            assert len(cells_) == 3 and all(cells_), f"a glossary row needs three cells: {line}"
            chinese, english, meaning = cells_
            rows.append(Row(chinese, english, meaning, section))
    return rows


def words(text: str) -> list[str]:
    """Lower-case words, a plural s dropped, a leading article dropped."""
    found = [w[:-1] if w.endswith("s") and len(w) > 3 else w
             for w in re.findall(r"[a-z0-9_]+", text.lower())]
    return found[1:] if found[:1] in (["a"], ["an"], ["the"]) else found


def in_order(needle: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return bool(needle) and all(any(w == h for h in it) for w in needle)


def covering(term: str, rows: list[Row]) -> list[Row]:
    """The rows whose English column holds the term's words in order."""
    return [r for r in rows if in_order(words(term), words(r.english))]


def chinese_of(span: str) -> str:
    """A Chinese bold span without its bracketed gloss: 评分（scores） -> 评分."""
    return re.sub(r"（[^）]*）|\([^)]*\)", "", span).replace("`", "").strip()


def covers_chinese(span: str, row: Row) -> bool:
    term = chinese_of(span)
    if not CJK.search(term):
        return in_order(words(term), words(row.english))
    return term in row.chinese


EN_ROWS = glossary_rows(NOTEBOOKS / START)
ZH_ROWS = glossary_rows(ZH / START)


def uncovered(notebook: str, cells: list[tuple[str, str]], rows: list[Row]) -> list[str]:
    """The terms a notebook defines that no glossary row covers."""
    return [span for cid, text in cells if cid != GLOSSARY_ID for span in bold_spans(text)
            if is_term(span, notebook) and not covering(span, rows)]


def mismatches(notebook: str, en_cells: list[tuple[str, str]], zh_cells: list[tuple[str, str]],
               rows: list[Row]) -> list[str]:
    """Where the Chinese twin does not bold the same places, or words a defined term
    otherwise than the Chinese column of the row that covers it."""
    problems = []
    for (cid, en), (zid, zh) in zip(en_cells, zh_cells, strict=True):
        assert cid == zid
        if cid == GLOSSARY_ID:
            continue
        en_spans, zh_spans = bold_spans(en), bold_spans(zh)
        if len(en_spans) != len(zh_spans):
            problems.append(f"cell {cid}: {len(en_spans)} bold spans in English "
                            f"{en_spans}, {len(zh_spans)} in Chinese {zh_spans}")
            continue
        for span, zh_span in zip(en_spans, zh_spans, strict=True):
            found = covering(span, rows) if is_term(span, notebook) else []
            if found and not any(covers_chinese(zh_span, r) for r in found):
                problems.append(f"cell {cid}: **{span}** is **{zh_span}** in Chinese, but the "
                                f"glossary says {' or '.join(r.chinese for r in found)}")
    return problems


# ---- the tests: the glossary -------------------------------------------------------------

def test_the_glossary_is_a_set_of_tables_of_three_columns():
    assert len(EN_ROWS) >= 60
    assert len({r.english for r in EN_ROWS}) == len(EN_ROWS), "an English term has two rows"
    assert len({r.chinese for r in EN_ROWS}) == len(EN_ROWS), "a Chinese term has two rows"
    assert len({r.section for r in EN_ROWS}) >= 5


def test_both_editions_have_the_same_rows():
    """Notebook 00's two glossaries give the same Chinese and English for the same rows, in
    the same order and the same sections; only the meaning is in the reader's language."""
    assert [(r.chinese, r.english) for r in ZH_ROWS] == [(r.chinese, r.english) for r in EN_ROWS]
    assert len({r.section for r in ZH_ROWS}) == len({r.section for r in EN_ROWS})
    for zh in ZH_ROWS:
        assert CJK.search(zh.meaning), f"the Chinese glossary explains {zh.english} in English"


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.name)
def test_every_term_a_notebook_defines_is_a_row(path):
    missing = uncovered(path.name, markdown_cells(path), EN_ROWS)
    assert not missing, (
        f"{path.name} defines {missing} (bold in its prose), and no glossary row covers them: "
        f"add a row to both glossaries in {START}, or, if the bold is no term, list it in "
        f"NOT_TERMS in tests/test_glossary.py")


def test_a_definition_the_glossary_lacks_fails():
    """Adding a bold term to a notebook's prose without a row is caught; labels, exercise
    numbers, bold in folded solutions and another notebook's controls are told apart."""
    cells = markdown_cells(NOTEBOOKS / "02_what_is_attention.ipynb")
    assert uncovered("02_what_is_attention.ipynb", cells, EN_ROWS) == []
    fake = ("An **attention sink** is a token that takes weight from every query. "
            "**Note:** **02.9** **3** <details>**hidden term**</details> `**code**` "
            "**reset** **soft attention** **keys**")
    assert uncovered("02_what_is_attention.ipynb", [*cells, ("fake", fake)], EN_ROWS) == [
        "attention sink", "reset"]
    assert uncovered("00_start_here.ipynb", [("fake", fake)], EN_ROWS) == ["attention sink"]


def test_the_exceptions_are_few_and_still_needed():
    """Every name in NOT_TERMS is bold in that notebook's prose (an exception that is no
    longer bold is taken out), and nearly none is a term the glossary has."""
    assert set(NOT_TERMS) == {p.name for p in ENGLISH}
    by_chance = []
    for name, spans in NOT_TERMS.items():
        bold = {s for _, text in markdown_cells(NOTEBOOKS / name) for s in bold_spans(text)}
        for span in spans:
            assert span in bold, f"{name}: {span!r} is no longer bold there"
            if covering(span, EN_ROWS):
                by_chance.append(span)
    assert by_chance == ["uniform"], by_chance
    assert sum(len(s) for s in NOT_TERMS.values()) <= 50


def test_the_rows_cover_as_described():
    rows = EN_ROWS
    assert [r.chinese for r in covering("hard attention", rows)] == ["软注意力 / 硬注意力"]
    assert [r.chinese for r in covering("scores", rows)] == ["注意力评分函数"]
    assert [r.chinese for r in covering("The three stages", rows)] == ["三个阶段"]
    assert covering("attention sink", rows) == [] and covering("head attention", rows) != []
    assert covering("attention multi-head", rows) == [], "words out of order"
    row = covering("bidirectional GRU", rows)[0]
    assert covers_chinese("双向 GRU", row) and covers_chinese("双向", row)
    assert covers_chinese("GRU", covering("GRU", rows)[0]), "Latin letters: the English column"
    assert covers_chinese("评分（scores）", covering("scores", rows)[0])
    assert not covers_chinese("分数", covering("scores", rows)[0])


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.name)
def test_the_twin_defines_the_same_terms_in_the_glossary_words(path):
    problems = mismatches(path.name, markdown_cells(path), markdown_cells(ZH / path.name), ZH_ROWS)
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


def test_a_twin_that_words_a_term_otherwise_fails():
    en = [("c1", "The **query** and the **key**."), ("c2", "**Time:** a **cosine** score")]
    good = [("c1", "**查询**和**键**。"), ("c2", "**时间：** **cosine** 评分")]
    assert mismatches("03_three_stage_computation.ipynb", en, good, ZH_ROWS) == []
    worded = [("c1", "**询问**和**键**。"), good[1]]
    assert ["询问" in p for p in mismatches("03_three_stage_computation.ipynb", en, worded,
                                            ZH_ROWS)] == [True]
    dropped = [("c1", "查询和**键**。"), good[1]]
    assert "1 in Chinese" in mismatches("03_three_stage_computation.ipynb", en, dropped,
                                        ZH_ROWS)[0]


def glossary_links(markdown: str) -> list[tuple[str, str, str]]:
    """(link text, anchor, the name after a colon) of the links to notebook 00."""
    return [(m.group(1), m.group(2) or "", m.group(3) or "") for m in re.finditer(
        r"\[([^\]]+)\]\(00_start_here\.ipynb(#[^)]*)?\)(?:[:：]\s*([A-Za-z][\w-]*|[\u4e00-\u9fff]+))?",
        markdown)]


@pytest.mark.parametrize("path", [*ENGLISH[1:], *sorted(ZH.glob("[0-9][0-9]_*.ipynb"))[1:]],
                         ids=lambda p: str(p.relative_to(NOTEBOOKS)))
def test_links_into_the_glossary_name_rows(path):
    rows = ZH_ROWS if path.parent == ZH else EN_ROWS
    links = [link for _, text in markdown_cells(path) for link in glossary_links(text)]
    for text, anchor, named in links:
        assert anchor == "#glossary", f"{path.name}: [{text}](00_start_here.ipynb{anchor})"
        for term in {text, named} - {"glossary", "术语表", ""}:
            found = (covering(term, rows) if not CJK.search(term)
                     else [r for r in rows if term in r.chinese])
            assert found, f"{path.name}: the glossary link names {term!r}, which is no row"


# ---- the tests: one wording in the Chinese edition ---------------------------------------

TWINS = sorted(ZH.glob("[0-9][0-9]_*.ipynb"))
#: Words the Chinese edition gave up, and the one it uses.
RETIRED = {
    "加权和": "加权求和 (the glossary's weighted sum)",
    "one-hot": "独热",
    "注意力分数": "注意力权重 (Keras calls them attention scores)",
    "本教程": "本合集", "整套教程": "本合集",
    "导览": "本合集的地图", "本合集的全貌": "本合集的地图",
}


def chinese_title(path: Path) -> str:
    first = markdown_cells(path)[0][1].splitlines()[0]
    return first.split(" · ", 1)[1]


def code_free(markdown: str) -> str:
    return re.sub(r"```.*?```|`[^`\n]*`", " ", markdown, flags=re.DOTALL)


@pytest.mark.parametrize("path", TWINS, ids=lambda p: p.name)
def test_the_twin_links_other_notebooks_one_way(path):
    """As d2l-zh names a section by its number (9.7节) and a title in 《》: a link to a
    notebook reads 笔记本 NN, or 笔记本 NN《its full title》; never 'NN · title'."""
    for cid, text in markdown_cells(path):
        for label, target, anchor in re.findall(
                r"\[([^\]]+)\]\((\d\d_[a-z0-9_]+\.ipynb)(#[^)]*)?\)", text):
            if target == START and anchor == "#glossary":
                continue
            want = rf"笔记本 {target[:2]}(《{re.escape(chinese_title(ZH / target))}》)?"
            assert re.fullmatch(want, label), f"{path.name}, cell {cid}: [{label}]({target})"


@pytest.mark.parametrize("path", TWINS, ids=lambda p: p.name)
def test_the_twin_words_each_thing_one_way(path):
    for cid, text in markdown_cells(path):
        if cid == GLOSSARY_ID:
            continue
        words_ = code_free(text)
        # the English beside a Chinese term, 独热（one-hot）, is no retired word
        glossed = re.sub(r"（[A-Za-z][^）]*）", " ", words_)
        for digit in re.findall(r"\d+\s*维|\b\d-?D\b", words_):
            pytest.fail(f"{path.name}, cell {cid}: {digit!r}; write 一维, 二维, 三维 (d2l-zh)")
        for old, new in RETIRED.items():
            assert old not in glossed, f"{path.name}, cell {cid}: {old!r}, the edition says {new}"
        # "X et al." in a sentence is "X 等人"; a citation keeps its form: (Vaswani et al., 2017)
        found = re.search(r"\w+ et al\.(?!,)", words_)
        assert not found, f"{path.name}, cell {cid}: {found.group(0)!r}, write 等人"


def test_the_wording_checks_can_fail():
    bad = "见 [08 · 论文中的代码](08_the_papers_in_code.ipynb)，对 2 维输入，Luong et al. 提出"
    assert re.findall(r"\d+\s*维", code_free(bad)) == ["2 维"]
    assert re.search(r"\w+ et al\.(?!,)", bad)
    assert not re.search(r"\w+ et al\.(?!,)", "（Vaswani et al., 2017）")
    assert not re.fullmatch(r"笔记本 08(《论文中的代码：五篇论文》)?", "08 · 论文中的代码")
    assert chinese_title(ZH / "08_the_papers_in_code.ipynb") == "论文中的代码：五篇论文"
