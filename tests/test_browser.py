"""The built site as a reader sees it: headless Chromium over a local HTTP server.

For every page: no console errors, no request to another host, every image loaded,
formulas already typeset as MathML (no raw TeX left, no typesetting script), no serious
or critical axe-core violations, and a full-page screenshot for a person to look at (the
run prints the folder).
For every figure: its Chinese text is drawn with glyphs of the font that was asked for,
never with a missing-glyph box. Across the site: search finds the chapters, the
light/dark toggle works, and at 320, 390 and 1280 px no page is wider than the window and
every display formula and code block fits or scrolls in its own box (a formula that
scrolls shows a shadow at the side that has more, and takes the keyboard focus).

Chromium is Debian's ``/usr/bin/chromium`` driven by playwright-python; without it the
whole module is skipped with a message saying so. ``BROWSER_SITE_DIR=/path/to/site``
runs the tests against an existing build instead of a fresh strict build.

This build is meant to be served over HTTP; the copy read from ``file://`` (an
``OFFLINE=true`` build) is tested in ``test_offline.py``.
"""

import base64
import functools
import io
import os
import re
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import CHROMIUM, NO_TRANSITIONS, ROOT, open_page, search as search_box

if not CHROMIUM.is_file():
    pytest.skip(
        f"Chromium not found at {CHROMIUM}: browser tests skipped (apt-get install chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: browser tests skipped")

pytestmark = pytest.mark.browser

DOCS = ROOT / "docs"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


# ---------------------------------------------------------------- what the site should hold


def page_url(source):
    """The site URL (relative to the root) of a page's source file in ``docs/``."""
    path = source.relative_to(DOCS).with_suffix("")
    if path.name == "index":
        path = path.parent
    return "" if str(path) == "." else f"{path.as_posix()}/"


def expected_pages():
    """Every page the site should have: Markdown pages and jupytext notebook pages."""
    sources = sorted(DOCS.rglob("*.md")) + sorted((DOCS / "notebooks").glob("*.py"))
    return {page_url(source): source for source in sources}


PAGES = expected_pages()


def expected_figures():
    """Every figure's SVG in the site: ``figures/<module>/<name>.svg`` and its dark twin ``<name>-dark.svg``."""
    from sitebuild.cache import page_modules
    from sitebuild.figures import VARIANTS, figure_names

    return sorted(
        f"figures/{module}/{name}{suffix}.svg"
        for module in page_modules(ROOT / "snippets")
        for name in figure_names(ROOT / "snippets" / f"{module}.py")
        for suffix in VARIANTS.values()
    )


FIGURES = expected_figures()

_CODE = re.compile(r"^(`{3,}|~{3,}).*?^\1\s*$|`[^`\n]+`", re.S | re.M)
_MD_MATH = re.compile(r"\$\$|\\\(|\\\[|\\begin\{|(?<![\\$\w])\$(?=\S)[^$\n]+?(?<=\S)\$(?!\w)")


def source_has_formulas(source):
    """Whether a page's source holds TeX that the build should typeset."""
    if source.suffix == ".md":
        return bool(_MD_MATH.search(_CODE.sub("", source.read_text(encoding="utf-8"))))
    import jupytext

    notebook = jupytext.read(source)
    return any(cell.cell_type == "markdown" and _MD_MATH.search(_CODE.sub("", cell.source)) for cell in notebook.cells)


def slug(url):
    return url.strip("/").replace("/", "-") or "index"


# ---------------------------------------------------------------- server, browser, visits


SCRIPTS = "() => Array.from(document.scripts).map(s => s.src).filter(Boolean)"
TYPESETTER = re.compile(r"mathjax|katex|tex-(chtml|svg|mml)|mml-(chtml|svg)", re.I)

LOAD_ALL_IMAGES = """async () => {
  const images = Array.from(document.images);
  for (const img of images) img.loading = "eager";
  await Promise.all(images.map(img => img.decode().catch(() => null)));
  return images.map(img => ({src: img.getAttribute("src").slice(0, 120), complete: img.complete,
                             naturalWidth: img.naturalWidth}));
}"""

PAGE_FACTS = r"""() => {
  const article = document.querySelector("article.md-content__inner") || document.body;
  const skip = "pre, code, math, script, style, svg, .md-clipboard";
  const parts = [];
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip) || !parent.checkVisibility()) continue;
    parts.push(node.textContent);
  }
  const arithmatex = Array.from(article.querySelectorAll(".arithmatex"));
  return {
    text: parts.join(""),
    math: article.querySelectorAll("math").length,
    arithmatex: arithmatex.length,
    untypeset: arithmatex.filter(el => !el.querySelector("math")).map(el => el.textContent.slice(0, 80)),
    // TeX kept as text inside a formula
    texInMath: Array.from(article.querySelectorAll("math mtext"))
      .map(el => el.textContent).filter(text => text.includes("\\")),
    mathErrors: Array.from(article.querySelectorAll("math merror")).map(el => el.textContent),
  };
}"""


FIT_WIDTHS = [1280, 390, 320]  # CSS px: a desktop window, a phone, a small phone
ALL_RULES = {"resultTypes": ["violations"]}
# The rules whose outcome depends on the colours: run again in the dark scheme.
COLOUR_RULES = {**ALL_RULES, "runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}}


@functools.cache
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def start_axe(page, options=ALL_RULES):
    """Start axe-core on the page and return at once: runs on two pages take both cores."""
    page.evaluate(axe().axe_script)
    page.evaluate("options => { window.axeRun = axe.run(document, options); }", options)


def axe_violations(page):
    """The violations of the run ``start_axe`` started on the page, once it has finished."""
    return page.evaluate("() => window.axeRun.then(results => results.violations)")


@pytest.fixture(scope="session")
def visit(browser, server, screenshots):
    """``visit(url)`` loads a page once per session and returns what was seen there.

    Each page is loaded once, in its own context, and every per-page test reads the record:
    console errors, requests to other hosts, scripts, images, visible text, the formulas, a
    full-page screenshot, axe-core's violations in the light and the dark scheme, and what does
    not fit the window at 1280 px and, narrowed in place, at 390 and 320 px.
    """
    seen = {}

    def load(url):
        if url not in seen:
            try:
                seen[url] = _visit(browser, server, screenshots, url)
            except sync_api.Error as error:
                seen[url] = error
        if isinstance(seen[url], Exception):
            pytest.fail(f"loading {url or '/'} failed: {seen[url]}")
        return seen[url]

    return load


def _visit(browser, server, screenshots, url):
    context, page, record = open_page(browser, server)
    # the same page for a reader whose system is dark: material starts in its slate scheme
    dark_context, dark_page, dark_record = open_page(browser, server, color_scheme="dark")
    try:
        for each in (page, dark_page):
            each.goto(server + url, wait_until="load")
            if each.locator("[data-explorer]").count():  # what is checked includes the explorer, drawn
                each.wait_for_selector(".explorer--ready")
        record["scheme"] = dark_page.evaluate("() => document.body.dataset.mdColorScheme")
        record["scripts"] = page.evaluate(SCRIPTS)
        record["images"] = page.evaluate(LOAD_ALL_IMAGES)
        page.evaluate("() => document.fonts.ready.then(() => true)")
        record.update(page.evaluate(PAGE_FACTS))
        record["screenshot"] = screenshots / f"{slug(url)}.png"
        page.screenshot(path=record["screenshot"], full_page=True)
        start_axe(page)
        start_axe(dark_page, COLOUR_RULES)
        record["axe"] = {"light": axe_violations(page), "dark": axe_violations(dark_page)}
        record["fit"] = {}
        for width in FIT_WIDTHS:  # the window made narrower in place, as a reader's phone turned upright
            page.set_viewport_size({"width": width, "height": 800})
            record["fit"][width] = fit_problems(page, width)
    finally:
        context.close()
        dark_context.close()
    record["console"] += dark_record["console"]
    record["foreign"] += dark_record["foreign"]
    return record


def test_foreign_requests_and_console_errors_are_caught(browser, server):
    """The control for the per-page checks: a request to another host and a script error are seen."""
    context, page, record = open_page(browser, server)
    try:
        page.goto(server, wait_until="load")
        page.evaluate("""() => {
          const img = document.createElement("img");
          img.src = "https://cdn.example.com/x.png";
          document.body.append(img);
          setTimeout(() => { throw new Error("坏掉的脚本"); });
        }""")
        page.wait_for_timeout(300)
    finally:
        context.close()
    assert record["foreign"] == ["https://cdn.example.com/x.png"]
    assert any("坏掉的脚本" in line for line in record["console"]), record["console"]


# ---------------------------------------------------------------- every page

page_params = pytest.mark.parametrize("url", sorted(PAGES), ids=lambda url: url or "/")


def test_every_built_page_is_covered(site_dir):
    built = {
        page_url(DOCS / path.relative_to(site_dir).with_suffix(".md"))
        for path in site_dir.rglob("index.html")
        if path.relative_to(site_dir).parts[0] not in ("assets", "search")
    }
    assert built == set(PAGES), "the built pages and the pages these tests visit differ"


@page_params
def test_no_console_errors(visit, url):
    assert visit(url)["console"] == []


@page_params
def test_no_request_to_another_host(visit, url):
    assert visit(url)["foreign"] == []


@page_params
def test_every_image_loaded(visit, url):
    images = visit(url)["images"]
    broken = [image["src"] for image in images if not image["complete"] or image["naturalWidth"] == 0]
    assert not broken, f"images that did not load: {broken}"


RAW_TEX = re.compile(r"\\[()\[\]]|\$\$|\\[A-Za-z]{2,}|\$[^$\n]*[\\^_{}][^$\n]*\$")


def test_raw_tex_pattern():
    """The control for the raw-TeX check: what it catches, and prose it leaves alone."""
    for raw in [r"预测是 \(2 \times 0.5\)", "$$ E = mc^2 $$", r"\frac{1}{2}", "$w_1$ 是权重", r"\[ x \]"]:
        assert RAW_TEX.search(raw), raw
    for prose in ["价格是 $5", "误差 0.04，权重 0.5", "5 $ 和 6 $"]:
        assert not RAW_TEX.search(prose), prose


@page_params
def test_formulas_are_typeset(visit, url):
    seen = visit(url)
    assert not [src for src in seen["scripts"] if TYPESETTER.search(src)], "a page loads a typesetting script"
    raw = [seen["text"][max(0, m.start() - 30) : m.end() + 30] for m in RAW_TEX.finditer(seen["text"])]
    assert not raw, f"raw TeX in the visible text: {raw}"
    assert seen["untypeset"] == [], "arithmatex formulas left as TeX"
    assert seen["mathErrors"] == [], "formulas with errors"
    assert seen["texInMath"] == [], "TeX shown as text inside formulas"
    if source_has_formulas(PAGES[url]):
        assert seen["math"] > 0, "the page's source has formulas, but no <math> is on the page"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@page_params
def test_no_serious_accessibility_violations(visit, url, scheme):
    """axe-core in the default (light) scheme; its colour rules again in material's slate (dark) scheme."""
    assert visit(url)["scheme"] == "slate", "a reader whose system is dark does not get the dark scheme"
    found = [
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(
            f"    {node['target']}: {node['html'][:160]}\n      {' '.join(node['failureSummary'].split())[:300]}"
            for node in v["nodes"][:5]
        )
        for v in visit(url)["axe"][scheme]
        if v["impact"] in ("serious", "critical")
    ]
    assert not found, "axe-core:\n" + "\n".join(found)


@page_params
def test_full_page_screenshot_saved(visit, url):
    shot = visit(url)["screenshot"]
    assert shot.is_file() and shot.stat().st_size > 10_000, shot


# ---------------------------------------------------------------- Chinese glyphs in figures


@functools.cache
def asked_for_font():
    """PostScript name of the font the figures ask for (matplotlib names glyph paths after it)."""
    from matplotlib import font_manager

    from snippets.style import FONT_FAMILY

    path = font_manager.findfont(font_manager.FontProperties(family=[FONT_FAMILY]), fallback_to_default=False)
    return font_manager.get_font(path).postscript_name


SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def glyph_problems(svg_text, font):
    """What is wrong with the Chinese text of a matplotlib SVG drawn with ``svg.fonttype: path``.

    matplotlib writes each text as ``<g id="text_N"><!-- the text --> … <use xlink:href="#Font-gid"/>``,
    where ``Font`` is the PostScript name of the font that drew the glyph and ``gid`` its glyph
    index in hex. A character no font has is drawn as a box from matplotlib's LastResort font,
    or as glyph 0 (.notdef) of a font. Returns a list of problems, empty when all is well.
    """
    root = ET.fromstring(svg_text.encode(), parser=ET.XMLParser(target=ET.TreeBuilder(insert_comments=True)))
    problems, cjk_texts = [], 0
    for group in root.iter(f"{SVG_NS}g"):
        if not group.get("id", "").startswith("text_"):
            continue
        comments = [node.text.strip() for node in group if node.tag is ET.Comment]
        text = comments[0] if comments else ""
        glyphs = [use.get(XLINK_HREF, "")[1:] for use in group.iter(f"{SVG_NS}use")]
        boxes = [g for g in glyphs if g.startswith("LastResort") or g.endswith("-0")]
        if boxes:
            problems.append(f"{text!r}: missing-glyph boxes {sorted(set(boxes))}")
        wanted = len(CJK.findall(text))
        if wanted:
            cjk_texts += 1
            from_font = sum(g.startswith(f"{font}-") for g in glyphs)
            if from_font < wanted:
                others = sorted({g.rsplit("-", 1)[0] for g in glyphs if not g.startswith(f"{font}-")})
                problems.append(
                    f"{text!r}: {wanted} Chinese characters but {from_font} glyphs from {font} (others: {others})"
                )
    if CJK.search(svg_text) and not cjk_texts:
        problems.append("Chinese characters in the SVG, but no matplotlib text groups (not svg.fonttype 'path'?)")
    return problems


@pytest.mark.parametrize("figure", FIGURES)
def test_figure_chinese_text_has_real_glyphs(site_dir, figure):
    svg = (site_dir / figure).read_text(encoding="utf-8")
    assert CJK.search(svg), f"{figure} has no Chinese text: every figure is labelled in Chinese"
    assert glyph_problems(svg, asked_for_font()) == []


def test_every_built_figure_is_checked(site_dir):
    built = sorted(p.relative_to(site_dir).as_posix() for p in (site_dir / "figures").rglob("*.svg"))
    assert built == FIGURES


NOTEBOOK_PAGES = sorted(url for url in PAGES if url.startswith("notebooks/"))
DATA_SVG = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')


@pytest.mark.parametrize("url", NOTEBOOK_PAGES)
def test_notebook_figure_chinese_text_has_real_glyphs(site_dir, url):
    html = (site_dir / url / "index.html").read_text(encoding="utf-8")
    problems = []
    for number, data in enumerate(DATA_SVG.findall(html), 1):
        svg = base64.b64decode(data).decode("utf-8")
        problems += [f"figure {number}: {p}" for p in glyph_problems(svg, asked_for_font())]
    assert problems == []


def draw_chinese_figure(sans_serif):
    """A small figure with a Chinese title, in the site's style with ``font.sans-serif`` replaced."""
    import matplotlib.pyplot as plt

    from snippets.style import new_figure

    with plt.rc_context({"font.sans-serif": sans_serif}), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Glyph … missing from font(s)" is what the broken case is about
        figure, axes = new_figure()
        axes.plot([0, 1], [1, 0])
        axes.set_title("权重和误差 weight")
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg")
        plt.close(figure)
    return buffer.getvalue()


def test_glyph_check_passes_a_figure_drawn_with_the_cjk_font():
    from snippets.style import FONT_FAMILY

    assert glyph_problems(draw_chinese_figure([FONT_FAMILY, "DejaVu Sans"]), asked_for_font()) == []


def test_glyph_check_fails_a_figure_drawn_without_the_cjk_font():
    problems = glyph_problems(draw_chinese_figure(["DejaVu Sans"]), asked_for_font())
    assert any("missing-glyph boxes" in p and "权重和误差" in p for p in problems), problems
    assert any("5 Chinese characters but 0 glyphs" in p for p in problems), problems


# ---------------------------------------------------------------- across the site


def search(page, server, query):
    """The result pages of searching ``query``, as URLs relative to the root."""
    return {re.split(r"[?#]", href)[0].removeprefix(server) for href in search_box(page, query)}


@pytest.mark.parametrize(
    "query, chapter",
    [("权重", "predict/"), ("反向传播", "backprop/"), ("偏导数", "gradient-descent/")],
    ids=["weight", "backprop", "partial-derivative"],
)
def test_search_finds_the_chapter(browser, server, query, chapter):
    context, page, record = open_page(browser, server)
    try:
        page.goto(server, wait_until="load")
        found = search(page, server, query)
    finally:
        context.close()
    assert chapter in found, f"searching {query} found {sorted(found)}"
    assert record["foreign"] == [] and record["console"] == []


def test_light_dark_toggle(browser, server, screenshots):
    """The palette toggle switches default -> slate (kept after a reload) -> default."""
    context, page, record = open_page(browser, server)
    scheme = "() => document.body.getAttribute('data-md-color-scheme')"
    background = "() => getComputedStyle(document.body).backgroundColor"
    toggle = page.locator("form[data-md-component='palette'] label.md-header__button:visible")
    try:
        page.goto(server + "predict/", wait_until="load")
        page.add_style_tag(content=NO_TRANSITIONS)  # compare the colours themselves, not a fade
        assert page.evaluate(scheme) == "default"
        light = page.evaluate(background)
        toggle.click()
        page.wait_for_function(f"() => ({scheme})() === 'slate'")
        dark = page.evaluate(background)
        page.evaluate(LOAD_ALL_IMAGES)
        page.screenshot(path=screenshots / "predict-dark.png", full_page=True)
        page.reload(wait_until="load")
        page.add_style_tag(content=NO_TRANSITIONS)
        assert page.evaluate(scheme) == "slate", "the chosen scheme is not kept across pages"
        toggle.click()
        page.wait_for_function(f"() => ({scheme})() === 'default'")
        assert page.evaluate(background) == light
    finally:
        context.close()
    assert dark != light, f"the page background stayed {light} in the dark scheme"
    assert record["console"] == []


# ---------------------------------------------------------------- fitting a phone


FIT = """() => {
  const scrolls = el => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  const overflows = el => el.scrollWidth > el.clientWidth + 1;
  // a box whose content is wider than it is clipped unless it, its code or the box around it scrolls
  const clipped = el => overflows(el) && ![el, el.querySelector("code"), el.parentElement].some(e => e && scrolls(e));
  const name = el => el.tagName.toLowerCase() + ": " + (el.textContent || "").trim().slice(0, 50);
  const boxes = Array.from(document.querySelectorAll("article div.arithmatex, article pre"));
  const cues = Array.from(document.querySelectorAll("article div.arithmatex")).filter(overflows)
    .filter(el => getComputedStyle(el).backgroundImage.split("gradient").length < 5 || !el.hasAttribute("tabindex"));
  return {
    pageWidth: document.scrollingElement.scrollWidth,
    clipped: boxes.filter(clipped).map(name),
    scrollWithoutCue: cues.map(name),
  };
}"""


def fit_problems(page, width):
    """What does not fit a window ``width`` px wide: the page itself, clipped formulas or code, scrolls without a cue."""
    facts = page.evaluate(FIT)
    problems = [f"the page is {facts['pageWidth']} px wide"] if facts["pageWidth"] > width else []
    problems += [f"clipped: {box}" for box in facts["clipped"]]
    problems += [f"scrolls with no shadow or keyboard focus: {box}" for box in facts["scrollWithoutCue"]]
    return problems


@pytest.mark.parametrize("width", FIT_WIDTHS)
@page_params
def test_every_page_fits_the_window(visit, url, width):
    """No page is wider than the window; every display formula and code block fits or visibly scrolls."""
    assert visit(url)["fit"][width] == []


def test_fit_check_catches_a_page_too_wide_and_a_clipped_formula(browser, server):
    """The control: a formula box that cannot scroll, and a page made wider than the window, are both caught."""
    context, page, _ = open_page(browser, server, viewport={"width": 390, "height": 800})
    try:
        page.goto(server + "derivation/", wait_until="load")
        assert fit_problems(page, 390) == []
        page.add_style_tag(content=".md-typeset div.arithmatex { overflow: hidden !important; }")
        page.evaluate("() => document.querySelector('article').insertAdjacentHTML('beforeend', "
                      "'<div style=\"width: 600px\">宽</div>')")
        problems = fit_problems(page, 390)
        assert int(re.fullmatch(r"the page is (\d+) px wide", problems[0])[1]) > 600
        assert any(p.startswith("clipped: div") for p in problems)
    finally:
        context.close()
