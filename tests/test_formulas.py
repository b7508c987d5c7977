"""Formulas typeset at build time (``sitebuild/formulas.py``): every formula of every page, the failure
that names page and formula, no TeX left behind, Chinese text kept, and the shipped font.

Fast and without a browser: the formulas come from ``docs/*.md`` through the site's own
Markdown extensions (``formulas.page_formulas``), not from a built site.
"""

import functools
import html
import re

import pytest

from conftest import ROOT
from sitebuild import formulas as mathrender

FONT = ROOT / "docs" / mathrender.FONT_URL


@functools.cache
def formulas():
    return mathrender.page_formulas(ROOT / "mkdocs.yml")


@functools.cache
def rendered():
    """``{page: [(arithmatex html, rendered html), …]}``"""
    pages = {}
    for page, formula in formulas():
        pages.setdefault(page, []).append((formula, mathrender.render_math(formula, page)))
    return pages


def test_formulas_are_found_on_the_pages_that_have_them():
    pages = {page for page, _ in formulas()}
    assert {"predict.md", "derivation.md", "backprop.md", "gradient-check.md"} <= pages
    assert len(formulas()) > 300


# the pages whose source has TeX delimiters (read cheaply here; the formulas are found when the tests run)
TEX_PAGES = sorted(p.name for p in (ROOT / "docs").glob("*.md") if re.search(r"\\[(\[]", p.read_text(encoding="utf-8")))


def test_the_pages_with_tex_are_the_pages_with_formulas():
    assert TEX_PAGES == sorted({page for page, _ in formulas()})


@pytest.mark.parametrize("page", TEX_PAGES)
def test_every_formula_of_the_page_typesets(page):
    assert rendered()[page]
    for formula, out in rendered()[page]:
        tag = re.match(r"<(span|div)", formula)[1]
        focus = ' tabindex="0"' if tag == "div" else ""
        assert re.fullmatch(rf'<{tag} class="arithmatex"{focus}><math( display="block")?>.*</math></{tag}>', out, re.S), out
        assert ('display="block"' in out) == (tag == "div")


RAW_TEX = re.compile(r"\\[()\[\]]|\$\$|\\[A-Za-z]+|\\[_{}&%#,;!]")


def test_no_tex_is_left_in_the_output():
    left = []
    for page, items in rendered().items():
        for _, out in items:
            text = html.unescape(re.sub(r"<[^>]+>", "", out))
            if RAW_TEX.search(text) or "annotation" in out:
                left.append(f"{page}: {text}")
    assert left == []


def test_a_broken_formula_fails_naming_the_page_and_the_formula():
    page = '<p>前文 <span class="arithmatex">\\(x\\)</span> 再 <span class="arithmatex">\\(\\frac{dE}{dw\\)</span></p>'
    with pytest.raises(mathrender.MathError) as failure:
        mathrender.render_math(page, "derivation.md")
    assert "derivation.md" in str(failure.value)
    assert "\\(\\frac{dE}{dw\\)" in str(failure.value)


def test_an_undefined_command_fails_too():
    with pytest.raises(mathrender.MathError, match=r"(?s)hot-cold\.md: .*\\steps"):
        mathrender.render_math('<div class="arithmatex">\\[\n\\steps = 1\n\\]</div>', "hot-cold.md")


def test_chinese_text_survives():
    out = mathrender.render_math('<span class="arithmatex">\\(w_{\\text{新}} = w - \\text{步长}\\)</span>', "x.md")
    assert "<mtext>新</mtext>" in out and "<mtext>步长</mtext>" in out
    assert any("<mtext>相对误差</mtext>" in out for _, out in rendered()["gradient-check.md"])


def test_tex_special_characters_are_escaped_for_html():
    out = mathrender.render_math('<span class="arithmatex">\\(x &lt; y \\text{ 且 } a \\&amp; b\\)</span>', "x.md")
    assert "<mo>&lt;</mo>" in out and "&amp;" in out


def test_what_chromium_ignores_is_rewritten():
    tex = r"\mathtt{layer\_1}^{\top} + \mathbf{1}\, \hat Y f'(x) \sum_{i=1}^n [-1, 1)"
    out = mathrender.tex_to_mathml(tex)
    assert '<mi mathvariant="normal" class="tt">layer_1</mi>' in out  # one identifier, code font
    assert "𝟏" in out and "monospace" not in out and 'mathvariant="bold"' not in out
    assert "ˆ" in out  # not the ASCII ^
    assert '<mrow><mi>f</mi><mo mathvariant="normal" lspace="0" rspace="0">′</mo></mrow>' in out
    assert '<mo lspace="0" rspace="0">=</mo>' in out  # i=1 under the sum, no space
    assert '<mo stretchy="false">[</mo><mo lspace="0" rspace="0">−</mo>' in out
    aligned = mathrender.tex_to_mathml(r"\begin{aligned} a &= b \\ cc &= d \end{aligned}", True)
    assert aligned.count("text-align: -webkit-right") == 2 and aligned.count("text-align: -webkit-left") == 2
    with pytest.raises(mathrender.MathError):
        mathrender.styled("+", "bold")


def test_the_font_is_preloaded_only_where_there_are_formulas():
    with_math = mathrender.render_math('<span class="arithmatex">\\(x\\)</span>', "a.md", "../assets/f.woff2")
    assert with_math.startswith('<link rel="preload" href="../assets/f.woff2" as="font" type="font/woff2" crossorigin>')
    assert mathrender.render_math("<p>没有公式</p>", "b.md", "../assets/f.woff2") == "<p>没有公式</p>"


def test_a_square_root_needs_the_radical_sign():
    # <msqrt> holds no "√" as text, yet the browser draws one from the math font
    assert "√" in mathrender.math_font_characters(mathrender.tex_to_mathml(r"\sqrt{\kappa}", False))
    assert "√" not in mathrender.math_font_characters(mathrender.tex_to_mathml(r"\kappa^2", False))


def test_the_shipped_font_has_every_character_the_formulas_use():
    from fontTools.ttLib import TTFont

    cmap = TTFont(FONT).getBestCmap()
    assert "MATH" in TTFont(FONT), "not an OpenType math font"
    needed = set()
    for items in rendered().values():
        for _, out in items:
            needed |= mathrender.math_font_characters(out)
    missing = sorted(c for c in needed if ord(c) not in cmap and c not in "\u2061")
    assert not missing, f"the font lacks {missing}: run `python -m sitebuild font`"


def test_typeset_formulas_are_kept_between_builds(tmp_path, monkeypatch):
    """A formula typeset once is read back from the cache file: the second build starts no JavaScript."""
    first_build = mathrender.Typesetter(ROOT / "requirements.txt")
    (tmp_path / "math-0000.json").write_text("{}", encoding="utf-8")  # a stale cache
    first = first_build(r"\frac{1}{2n}", True)
    first_build.save(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [first_build.cache_file(tmp_path).name]

    def no_katex(*args, **kwargs):
        raise AssertionError("KaTeX ran for a formula the cache holds")

    monkeypatch.setattr(mathrender.pykatex, "renderToString", no_katex)
    second_build = mathrender.Typesetter(ROOT / "requirements.txt")
    second_build.load(tmp_path)
    assert second_build(r"\frac{1}{2n}", True) == first
    with pytest.raises(AssertionError, match="KaTeX ran"):  # the control: a new formula does run KaTeX
        second_build(r"\frac{1}{3n}", True)
