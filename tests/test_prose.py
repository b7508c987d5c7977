"""The prose held to the standard of the code: decided terms only, every decimal number accounted for, a glossary
that says where each term first appears.

- Retired terms: the Chinese prose of every page (outside code), of every notebook (markdown and comments), the
  Chinese strings and comments of every snippet and of the explorers' scripts must not use a variant the glossary
  retired.
- Numbers: every decimal number a page writes (prose, formulas, alt text, admonitions) appears in the text its
  build-time result blocks print, or is listed in ``PROSE_NUMBERS`` of the page's test module with a test that
  asserts it.
- Glossary: every decided term is on docs/glossary.md, linked to the first page in reading order that uses it.
- Provenance: every page with a snippet module links, beside its title, to its module and its tests (page chrome).

Each check has a control showing it can fail.
"""

import ast
import io
import re
import tokenize
from html import unescape

import pytest

from conftest import ROOT

DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
NOTEBOOKS = sorted((DOCS / "notebooks").glob("*.py"))
SNIPPETS = sorted((ROOT / "snippets").glob("*.py"))
SCRIPTS = sorted((DOCS / "javascripts").rglob("*.js"))  # the explorers' labels and messages
GLOSSARY = DOCS / "glossary.md"

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
INLINE_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
BARE_URL = re.compile(r"https?://\S+")


# ---------------------------------------------------------------- reading the prose


def prose_lines(markdown):
    """(line number, text) of a Markdown page without code: fences dropped, inline code and link targets blanked.

    Formulas, alt text, link text, tables and admonitions stay: they are prose a reader reads. Inline code becomes
    an empty pair of backticks, so the words around it keep their context: "目标 `goal_pred`" reads "目标 ``".
    """
    fence = None
    for number, line in enumerate(markdown.splitlines(), start=1):
        match = FENCE.match(line)
        if fence:
            if match and match[1].startswith(fence):
                fence = None
            continue
        if match:
            fence = match[1]
            continue
        line = INLINE_CODE.sub("``", line)
        line = LINK_TARGET.sub("]()", line)
        yield number, BARE_URL.sub("", line)


def python_prose(source):
    """(line number, text) of the comments and string literals of a Python file, inline code blanked.

    In a jupytext notebook the markdown cells are comments, so they are read too.
    """
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in (tokenize.COMMENT, tokenize.STRING) or token.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
            for offset, text in enumerate(token.string.splitlines()):
                yield token.start[0] + offset, INLINE_CODE.sub("``", text)


# ---------------------------------------------------------------- retired terms

RETIRED = {
    # 真实值：预测应该等于的那个值
    r"目标值": "真实值",
    r"标签": "真实值",
    r"目标(?=\s*(?:``|\d))|(?:比|减去|[−-]\s*)目标(?!权重)|预测[^。，；：\n]{0,6}目标(?!权重)": "真实值",
    # 一次更新是一步，用完全部训练数据一次是一轮
    r"迭代": "步（一次更新）或轮（用完全部训练数据一次）",
    r"\d+\s*遍|第\s*[\d一二三四五六七八九十]+\s*遍|每一?遍|遍数": "轮",
    # 原书的路灯数据
    r"红绿灯|信号灯": "路灯",
    # 从权重里减去的量是梯度，不是“增量”
    r"增量": "权重梯度（或梯度）",
    # ReLU 在 0 处的角不是拐点（拐点是凹凸改变的点）
    r"拐点": "折点（不可导点）",
    # Δ 只用于层的 delta（Δ1、Δ2）；权重的变化写 w − w₀ 或“权重的变化”
    r"Δ\s*[A-Za-zα-ω]|\\Delta\s*(?:[A-Za-z]|\\[a-z])": "w − w₀ 或 权重的变化（Δ 只用于层的 delta）",
    # 误差：别处叫 loss（损失），只有术语表提到这个词
    r"损失": "误差",
    # 二阶偏导数组成的矩阵是海森矩阵；它的特征向量的方向是特征方向（主方向在几何里另有所指）
    r"曲率矩阵": "海森矩阵",
    r"主方向": "特征方向",
}
RETIRED_PATTERNS = {re.compile(pattern): replacement for pattern, replacement in RETIRED.items()}
EXEMPT = {("docs/glossary.md", "损失"), ("docs/glossary.md", "标签")}  # the glossary names what others call it


def retired_terms(name, lines):
    """'file:line: 「variant」 → replacement' for every retired variant in (line number, text) pairs."""
    found = []
    for number, text in lines:
        for pattern, replacement in RETIRED_PATTERNS.items():
            for match in pattern.finditer(text):
                if (name, match[0]) not in EXEMPT:
                    found.append(f"{name}:{number}: 「{match[0]}」 → {replacement}")
    return found


def relative(path):
    return path.relative_to(ROOT).as_posix()


def prose_of(path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".js":  # identifiers are English: every Chinese word is in a string or a comment
        return enumerate(text.splitlines(), start=1)
    return prose_lines(text) if path.suffix == ".md" else python_prose(text)


@pytest.mark.parametrize("path", PAGES + NOTEBOOKS + SNIPPETS + SCRIPTS, ids=relative)
def test_no_retired_terms(path):
    found = retired_terms(relative(path), prose_of(path))
    assert not found, "retired terms (the decided term follows the arrow):\n" + "\n".join(found)


def test_the_retired_terms_check_can_fail():
    page = "真实值 0.8。\n\n```python\n# 代码里的 迭代 不算\n```\n\n预测比目标 0.8 高；训练 10 遍，第 3 次迭代。`标签` 是代码。\n"
    assert retired_terms("docs/made-up.md", prose_lines(page)) == [
        "docs/made-up.md:7: 「预测比目标」 → 真实值",
        "docs/made-up.md:7: 「迭代」 → 步（一次更新）或轮（用完全部训练数据一次）",
        "docs/made-up.md:7: 「10 遍」 → 轮",
    ]  # the fence on line 4 and the inline code on line 7 keep their words
    snippet = 'def f():\n    """每次迭代的误差。"""\n    return "拐点"  # 增量\n'
    assert retired_terms("snippets/made-up.py", python_prose(snippet)) == [
        "snippets/made-up.py:2: 「迭代」 → 步（一次更新）或轮（用完全部训练数据一次）",
        "snippets/made-up.py:3: 「拐点」 → 折点（不可导点）",
        "snippets/made-up.py:3: 「增量」 → 权重梯度（或梯度）",
    ]
    assert retired_terms("docs/made-up.md", prose_lines("把误差叫作损失。")) == ["docs/made-up.md:1: 「损失」 → 误差"]
    assert retired_terms("docs/glossary.md", prose_lines("别处叫损失（loss）。")) == []


def test_ordinary_words_are_not_retired_terms():
    page = "我们的目标是让误差变小。把公式再推一遍，算一遍。最佳权重 1.6 就是目标权重。Δ1、Δ₂ 和 \\(\\Delta_2\\) 是层的 delta。"
    assert retired_terms("docs/made-up.md", prose_lines(page)) == []


# ---------------------------------------------------------------- every decimal number accounted for

DECIMAL = re.compile(r"(?<![\d.])\d+\.\d+(?:[eE][-+−]?\d+)?(?!\d|\.\d)")
RESULT_BLOCK = re.compile(r'<div class="highlight"><pre><span></span><code>(.*?)</code></pre></div>', re.S)


def decimals(text):
    """The decimal numbers (with a decimal point) in ``text``, each with its sign when the sign is unary.

    ``−0.2`` and ``(-0.5`` keep their sign; in ``1 − 0.2`` and ``1-0.2`` the minus is an operator.
    """
    numbers = []
    for match in DECIMAL.finditer(text):
        start, number = match.start(), match[0]
        if start and text[start - 1] in "-−+" and (start == 1 or not re.match(r"[\w)\]}]", text[start - 2])):
            number = text[start - 1] + number
        numbers.append(number)
    return numbers


def normal(number):
    """A number as Python prints it: ASCII minus, no plus sign."""
    return number.replace("−", "-").lstrip("+")


def forms(number):
    """A number as written, then without its sign, then without its exponent: the forms an output or a table may
    hold it in (a page writes "−0.5" where the output prints "0.5" as a coordinate, or "5.4e+16" in full)."""
    unsigned = number.lstrip("-−+")
    return list(dict.fromkeys([number, unsigned, re.split(r"[eE]", unsigned)[0]]))


def page_decimals(markdown):
    """(line number, number as written) for every decimal number in a page's prose, formulas and alt text."""
    return [(line, number) for line, text in prose_lines(markdown) for number in decimals(text)]


def result_text(html):
    """The text printed by a built page's result blocks.

    markdown-exec renders what a block prints as a plain ``<div class="highlight"><pre><span></span><code>``
    block; shown source goes through Pygments, whose tokens are ``<span class=…>`` inside the code.
    """
    blocks = [body for body in RESULT_BLOCK.findall(html) if "<span class=" not in body]
    return unescape("\n".join(blocks))


def prose_number_table(test_source):
    """``PROSE_NUMBERS`` of a test module and the source of each of its test functions, read without importing it."""
    tree = ast.parse(test_source)
    table = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PROSE_NUMBERS" for t in node.targets):
            table = ast.literal_eval(node.value)
    functions = {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    }
    return table, functions


def asserts_literally(function, test_source, number):
    """Whether a test function's source (with its decorators) holds ``number`` as a literal and asserts something."""
    first = min([function.lineno] + [decorator.lineno for decorator in function.decorator_list])
    source = "\n".join(test_source.splitlines()[first - 1 : function.end_lineno])
    literal = re.compile(rf"(?<![\d.]){re.escape(normal(number).lstrip('-'))}(?!\d|\.\d)")
    return bool(literal.search(source)) and any(isinstance(node, ast.Assert) for node in ast.walk(function))


def unaccounted_numbers(page_name, markdown, output, test_source=""):
    """What is wrong with the decimal numbers of one page: numbers that are neither printed nor pinned by a test,
    table entries naming a missing test or one that does not assert the number, and entries the page no longer
    has."""
    printed = {normal(form) for n in decimals(output) for form in forms(n)}
    table, functions = prose_number_table(test_source) if test_source else ({}, {})
    problems = []
    written = page_decimals(markdown)
    for line, number in written:
        if any(normal(form) in printed for form in forms(number)):
            continue
        test = next((table[form] for form in forms(number) if form in table), None)
        if test is None:
            problems.append(f"{page_name}:{line}: {number} is neither printed by the page nor in PROSE_NUMBERS")
        elif test not in functions:
            problems.append(f"{page_name}:{line}: {number}: PROSE_NUMBERS names {test}, which does not exist")
        elif not any(asserts_literally(functions[test], test_source, form) for form in forms(number)):
            problems.append(f"{page_name}:{line}: {number}: {test} does not assert the literal {number}")
    on_page = {form for _, number in written for form in forms(number)}
    problems += [f"{page_name}: PROSE_NUMBERS lists {n}, which the page does not write" for n in table if n not in on_page]
    return problems


def module_of(page):
    return page.stem.replace("-", "_")


PAGES_WITH_MODULES = [page for page in PAGES if (ROOT / "snippets" / f"{module_of(page)}.py").is_file()]


@pytest.mark.parametrize("page", PAGES_WITH_MODULES, ids=lambda page: page.name)
def test_every_decimal_number_is_printed_or_pinned(page, built_site):
    html = (built_site / page.stem / "index.html").read_text(encoding="utf-8")
    test_module = ROOT / "tests" / f"test_{module_of(page)}.py"
    test_source = test_module.read_text(encoding="utf-8") if test_module.is_file() else ""
    problems = unaccounted_numbers(page.name, page.read_text(encoding="utf-8"), result_text(html), test_source)
    assert not problems, "\n".join(problems)


def test_result_text_is_what_the_blocks_print(built_site):
    # checked against a built page: chapter 1 prints "prediction = 1.0"; its shown source is not output
    text = result_text((built_site / "predict" / "index.html").read_text(encoding="utf-8"))
    assert "prediction = 1.0" in text
    assert "平方后再相加: 0.125" in text
    assert "def neural_network" not in text and "label = 0.8" not in text


MADE_UP_TESTS = '''
PROSE_NUMBERS = {"0.04": "test_error_by_hand", "−0.2": "test_signed", "0.7": "test_missing", "0.9": "test_no_literal"}


def test_error_by_hand():
    assert (1.0 - 0.8) ** 2 == pytest.approx(0.04)


def test_signed():
    assert 0.8 - 1.0 == pytest.approx(-0.2)


def test_no_literal():
    assert True
'''


def test_the_number_check_can_fail():
    page = (
        "预测是 1.0，误差 \\(0.2^2 = 0.04\\)，差是 −0.2。\n\n"
        "```python\nx = 3.14159\n```\n\n"
        "`2.71828` 在代码里；[链接](https://example.org/v1.5/)；![图：权重 0.75 的误差曲线](figures/a.svg)\n\n"
        "还有 0.7 和 0.9，以及 \\(1 - 0.333\\)。\n"
    )
    output = "prediction = 1.0\nerror = 0.03999999999999998\n"
    assert unaccounted_numbers("made-up.md", page, output, MADE_UP_TESTS) == [
        "made-up.md:1: 0.2 is neither printed by the page nor in PROSE_NUMBERS",  # 1.0 is printed, 0.04 and −0.2 pinned
        "made-up.md:7: 0.75 is neither printed by the page nor in PROSE_NUMBERS",  # alt text counts
        "made-up.md:9: 0.7: PROSE_NUMBERS names test_missing, which does not exist",
        "made-up.md:9: 0.9: test_no_literal does not assert the literal 0.9",
        "made-up.md:9: 0.333 is neither printed by the page nor in PROSE_NUMBERS",  # so do formulas
    ]
    # a number the page prints is accounted for; 0.04 is not printed (0.03999…) but pinned by a test
    assert unaccounted_numbers("made-up.md", "误差是 0.04，预测 1.0。", output, MADE_UP_TESTS) == [
        "made-up.md: PROSE_NUMBERS lists −0.2, which the page does not write",
        "made-up.md: PROSE_NUMBERS lists 0.7, which the page does not write",
        "made-up.md: PROSE_NUMBERS lists 0.9, which the page does not write",
    ]
    assert unaccounted_numbers("made-up.md", "预测 1.0。", output) == []
    assert unaccounted_numbers("made-up.md", "预测 1.00。", output) == [
        "made-up.md:1: 1.00 is neither printed by the page nor in PROSE_NUMBERS"
    ]


def test_decimals_keep_unary_signs_only():
    assert decimals("差是 −0.2，\\((-0.5, 1.5)\\)，1 − 0.25，1-0.75，2.5e-07，0.001k，1.6。") == [
        "−0.2", "-0.5", "1.5", "0.25", "0.75", "2.5e-07", "0.001", "1.6",
    ]
    assert decimals("第 1100 轮，10^{-16}，1e-10，predict.py") == []


# ---------------------------------------------------------------- the glossary

# the decided terms, each with the English used to name its test (docs/glossary.md lists them all)
DECIDED_TERMS = {
    "预测": "prediction", "权重": "weight", "输入": "input", "真实值": "label", "误差": "error",
    "均方误差": "mean-squared-error", "冷热学习": "hot-and-cold-learning", "步": "step", "轮": "epoch",
    "学习率": "learning-rate", "导数": "derivative", "偏导数": "partial-derivative", "梯度": "gradient",
    "方向导数": "directional-derivative", "梯度下降": "gradient-descent", "delta": "delta",
    "权重梯度": "weight-gradient", "发散": "divergence", "过度修正": "overcorrection", "隐藏层": "hidden-layer",
    "激活函数": "activation", "ReLU": "relu", "折点": "kink", "前向传播": "forward-propagation",
    "反向传播": "backpropagation", "链式法则": "chain-rule", "全批量": "full-batch", "小批量": "mini-batch",
    "逐个样本": "stochastic", "批": "batch", "偏置": "bias", "梯度检查": "gradient-check",
    "中心差分": "central-difference", "路灯": "streetlights", "误差曲面": "error-surface",
    "线性近似": "linear-approximation", "点积": "dot-product", "单位向量": "unit-vector", "碗": "bowl",
    "二阶导数": "second-derivative", "泰勒展开": "taylor-expansion", "海森矩阵": "hessian",
    "特征向量": "eigenvector", "特征值": "eigenvalue", "特征方向": "eigen-direction", "条件数": "condition-number", "动量": "momentum", "sigmoid": "sigmoid",
}

# Mathematical concepts that are taught before they are used: the page the glossary links is the page that teaches
# the concept; its first appearance there is defining (in bold, or in a heading), and no earlier page in reading
# order (the home page and the glossary aside) uses it at all.
TAUGHT_BEFORE_USED = [
    "导数", "偏导数", "梯度", "方向导数", "链式法则", "线性近似", "点积", "单位向量", "学习率", "碗",
    "二阶导数", "泰勒展开", "海森矩阵", "特征向量", "条件数", "动量", "sigmoid",
]
GLOSSARY_ROW = re.compile(r"^\|\s*(\*\*.+?)\|(.+?)\|(.+?)\|")
NAV_PAGE = re.compile(r"^\s*-\s*(?:[^:\n]+:\s*)?([\w/-]+\.(?:md|ipynb))\s*$", re.M)
BOLD = re.compile(r"\*\*(.+?)\*\*")


def reading_order(mkdocs_yml):
    """The pages of the nav, in reading order: Markdown pages and notebook pages."""
    return NAV_PAGE.findall(mkdocs_yml)


def glossary_rows(markdown):
    """(line number, terms, English, linked page) for each row of the glossary table; terms are the bold words."""
    rows = []
    for number, line in enumerate(markdown.splitlines(), start=1):
        match = GLOSSARY_ROW.match(line)
        if match:
            link = re.search(r"\]\(([\w/-]+\.md)(?:#[^)]*)?\)", match[3])
            rows.append((number, re.findall(r"\*\*(.+?)\*\*", match[1]), match[2].strip(), link and link[1]))
    return rows


def masked(text, longer_terms):
    """``text`` with every longer glossary term blanked, so 梯度 inside 梯度下降 is not a use of 梯度."""
    for longer in sorted(longer_terms, key=len, reverse=True):
        text = text.replace(longer, "\0" * len(longer))
    return text


def uses(text, term, longer_terms):
    """Whether ``text`` uses ``term`` other than inside a longer glossary term (梯度 inside 梯度下降 does not count)."""
    return term in masked(text, longer_terms)


def defines_first(text, term, longer_terms):
    """Whether the first use of ``term`` in ``text`` is a defining one: inside bold, or on a heading line."""
    text = masked(text, longer_terms)
    first = text.find(term)
    if first < 0:
        return False
    start = text.rfind("\n", 0, first) + 1
    line = text[start:].split("\n", 1)[0]
    if line.lstrip().startswith("#"):
        return True
    return any(start + bold.start() < first < start + bold.end() for bold in BOLD.finditer(line))


def glossary_problems(glossary, pages, order, taught=()):
    """(term, problem) for what is wrong with a glossary: a decided term missing, a row without English or a link,
    a term its page does not use, or a term an earlier page already uses; for a concept in ``taught``, a first
    appearance on its page that is not defining. ``pages`` maps page names (as the nav names them) to their prose."""
    rows = glossary_rows(glossary)
    terms = [term for _, row_terms, _, _ in rows for term in row_terms]
    problems = [(term, f"glossary: no row for {term}") for term in DECIDED_TERMS if term not in terms]
    read = [page for page in order if page not in ("index.md", "glossary.md")]
    prose = {page: pages[page] for page in read if page in pages}
    for line, row_terms, english, page in rows:
        for term in row_terms:
            if not re.search(r"[A-Za-z]", english):
                problems.append((term, f"glossary.md:{line}: no English for {term}"))
            if page not in prose:
                problems.append((term, f"glossary.md:{line}: {term} links to {page}, which is not a page in the nav"))
                continue
            longer = [other for other in terms if term in other and other != term]
            if not uses(prose[page], term, longer):
                problems.append((term, f"glossary.md:{line}: {term} does not appear on {page}"))
            elif term in taught and not defines_first(prose[page], term, longer):
                problems.append((term, f"glossary.md:{line}: {term} first appears on {page} without being defined "
                                       "(in bold or a heading)"))
            earlier = [p for p in read[: read.index(page)] if uses(prose[p], term, longer)]
            if earlier:
                problems.append((term, f"glossary.md:{line}: {term} first appears on {earlier[0]}, not on {page}"))
    problems += [(term, f"glossary: no row for {term}, a concept taught before it is used") for term in taught
                 if term not in terms]
    return problems


def notebook_page(source):
    """A notebook page's prose: the Markdown cells and comments of its jupytext source, as one string."""
    return "\n".join(text for _, text in python_prose(source))


def site_pages():
    """Every page of the site by the name the nav gives it, as its prose (code blanked)."""
    pages = {page.name: "\n".join(text for _, text in prose_lines(page.read_text(encoding="utf-8"))) for page in PAGES}
    for notebook in NOTEBOOKS:
        pages[f"notebooks/{notebook.stem}.ipynb"] = notebook_page(notebook.read_text(encoding="utf-8"))
    return pages


def test_the_glossary_is_in_the_nav_and_linked_from_the_home_page():
    order = reading_order((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert order[-1] == "glossary.md"
    assert "](glossary.md)" in (DOCS / "index.md").read_text(encoding="utf-8")


def test_the_glossary_names_loss():
    assert re.search(r"\bloss\b.*损失|损失.*\bloss\b", GLOSSARY.read_text(encoding="utf-8"))


def glossary_terms():
    """Every term the glossary should hold or holds, with an ASCII name for its test."""
    names = dict(DECIDED_TERMS)
    if GLOSSARY.exists():
        for _, terms, english, _ in glossary_rows(GLOSSARY.read_text(encoding="utf-8")):
            for term in terms:
                names.setdefault(term, re.sub(r"\W+", "-", english.split("(")[0].split(",")[0].strip().lower()))
    return names


@pytest.fixture(scope="module")
def glossary_report():
    order = reading_order((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    return glossary_problems(GLOSSARY.read_text(encoding="utf-8"), site_pages(), order, TAUGHT_BEFORE_USED)


@pytest.mark.parametrize("term", list(glossary_terms()), ids=list(glossary_terms().values()))
def test_the_glossary_says_where_each_term_first_appears(term, glossary_report):
    mine = [problem for about, problem in glossary_report if about == term]
    assert not mine, "\n".join(mine)


def test_the_reading_order_has_the_notebook_pages():
    order = reading_order((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    notebooks = [page for page in order if page.endswith(".ipynb")]
    assert notebooks and all(page in site_pages() for page in notebooks)


def test_the_glossary_check_can_fail():
    pages = {
        "a.md": "预测是输入乘以权重。梯度下降在后面讲。",
        "b.md": "梯度是斜率组成的向量，梯度下降沿它的反方向走。这里第一次说到偏置。",
    }
    glossary = (
        "| 术语 | English | 首次出现 | 说明 |\n| --- | --- | --- | --- |\n"
        "| **预测** | prediction | [a](a.md) | |\n"
        "| **梯度** | gradient | [b](b.md) | |\n"
        "| **梯度下降** | gradient descent | [b](b.md) | |\n"
        "| **偏置** | | [a](a.md) | |\n"
        "| **路灯** | streetlights | [c](c.md) | |\n"
    )
    problems = [p for _, p in glossary_problems(glossary, pages, ["index.md", "a.md", "b.md", "glossary.md"])]
    assert "glossary.md:5: 梯度下降 first appears on a.md, not on b.md" in problems
    assert not any("梯度 first" in p for p in problems)  # 梯度 inside 梯度下降 on a.md does not count
    assert "glossary.md:6: no English for 偏置" in problems
    assert "glossary.md:6: 偏置 does not appear on a.md" in problems
    assert "glossary.md:7: 路灯 links to c.md, which is not a page in the nav" in problems
    assert "glossary: no row for 权重" in problems
    assert not any("预测" in p for p in problems)


def test_the_taught_before_used_check_can_fail():
    glossary = (
        "| 术语 | English | 首次出现 | 说明 |\n| --- | --- | --- | --- |\n"
        "| **导数** | derivative | [b](b.md) | |\n"
        "| **梯度** | gradient | [b](b.md) | |\n"
        "| **动量** | momentum | [c](c.md) | |\n"
    )
    pages = {
        "a.md": "先做一次预测。",
        "b.md": "切线的斜率叫**导数**。偏导数排成的向量叫梯度。",  # 梯度 is used on its page, but not defined there
        "c.md": "## 动量\n\n加上动量，下山更快。",
        "notebooks/a.ipynb": "这里用到了导数。",  # a notebook page before b.md uses 导数
    }
    order = ["index.md", "a.md", "notebooks/a.ipynb", "b.md", "c.md", "glossary.md"]
    problems = [p for _, p in glossary_problems(glossary, pages, order, ["导数", "梯度", "动量", "条件数"])]
    assert "glossary.md:3: 导数 first appears on notebooks/a.ipynb, not on b.md" in problems
    assert "glossary.md:4: 梯度 first appears on b.md without being defined (in bold or a heading)" in problems
    assert not any("动量" in p for p in problems)  # defined in a heading
    assert "glossary: no row for 条件数, a concept taught before it is used" in problems
    assert not any("导数 first appears on b.md" in p for p in problems)  # bold: defining (偏导数 does not count)


# ---------------------------------------------------------------- where the numbers come from: page chrome

def provenance_problems(page_name, markdown, html, module):
    """A page with a snippet module links once to its own module and once to its tests, beside its title
    (the theme override, overrides/main.html); its lesson text no longer carries a box that says so."""
    problems = [f"{page_name}: the lesson still has a 「数字从哪里来」 box"] if "数字从哪里来" in markdown else []
    for target in (f"snippets/{module}.py", f"tests/test_{module}.py"):
        links = re.findall(rf'<a href="(?:\.\./)*{re.escape(target)}"[^>]*class="md-content__button', html)
        if len(links) != 1:
            problems.append(f"{page_name}: {len(links)} links to {target} beside the title, not 1")
    return problems


@pytest.mark.parametrize("page", PAGES_WITH_MODULES, ids=lambda page: page.name)
def test_every_page_says_once_where_its_numbers_come_from(page, built_site):
    built = built_site / page.stem / "index.html"
    assert not provenance_problems(page.name, page.read_text(encoding="utf-8"), built.read_text(encoding="utf-8"),
                                   module_of(page))
    for target in (f"snippets/{module_of(page)}.py", f"tests/test_{module_of(page)}.py"):  # the site holds both
        assert (built_site / target).read_bytes() == (ROOT / target).read_bytes()


def test_the_provenance_check_can_fail():
    link = '<a href="../{}" title="t" aria-label="t" class="md-content__button md-icon">'
    good = link.format("snippets/predict.py") + link.format("tests/test_predict.py") + "<h1>页</h1>"
    assert provenance_problems("predict.md", "# 页\n", good, "predict") == []
    assert provenance_problems("predict.md", "# 页\n", good.replace("predict.py", "hot_cold.py"), "predict")  # another module
    assert provenance_problems("predict.md", "# 页\n", good + good, "predict")  # twice
    assert provenance_problems("predict.md", "# 页\n", "<h1>页</h1>", "predict")  # missing
    assert provenance_problems("predict.md", '??? info "数字从哪里来"\n', good, "predict")  # the old box
