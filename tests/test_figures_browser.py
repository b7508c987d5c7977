"""The figures as a reader sees them, in headless Chromium: legible on a phone, right for the palette.

* Size of the text. matplotlib writes each text of a figure as a group ``<g id="text_N">`` of
  glyph outlines (``svg.fonttype: path``), one ``<use>`` per glyph, placed so that 100 units of
  the glyph's own coordinates are one em. The test loads each figure's SVG into the page, at
  the width the ``<img>`` has there, and reads from the glyphs' screen transforms how many CSS
  pixels one em of each text takes: the text's font size as the reader gets it, whatever the
  rotation. (A glyph's tight box is smaller than its em: about 0.72 em for digits, 0.9 em for
  Chinese characters.) A text's size is its largest glyphs' (sub- and superscripts of a formula
  are drawn smaller on purpose). The rule: at a window 390 px wide no text is below 9 px; at
  1280 px none is above 16 px.
* The palette. Every figure of a page is there twice, drawn light and dark
  (``figures/m/n.svg#only-light`` and ``figures/m/n-dark.svg#only-dark``; a notebook's figures
  the same, as data URLs): in each of mkdocs-material's schemes the figure for it is shown and
  the other is ``display: none``, and the hidden one is never downloaded (the images are lazy).

Every page with figures is visited once, with JavaScript (the explorers replace their static
figure then) and, on pages with an explorer, once more without it (the static figure in its
box); in each visit the window is set to 390 and to 1280 px, each in the light and the dark
scheme. Controls: a figure with 6 px text at 390 px and one
with 17 px text at 1280 px are caught, and so is a page that shows both twins. The terminal
summary of the run has a table of the smallest and largest text of every figure.

The browser, the server and the site are the session's (``conftest.py``);
``BROWSER_SITE_DIR=/path/to/site`` runs against an existing build instead of a fresh strict build.
"""

import base64
import io
import re

import pytest

from conftest import CHROMIUM, ROOT, open_page, show_scheme

if not CHROMIUM.is_file():
    pytest.skip(f"Chromium not found at {CHROMIUM}: browser tests skipped (apt-get install chromium)",
                allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="playwright is not installed: browser tests skipped")

pytestmark = pytest.mark.browser

DOCS = ROOT / "docs"
SMALLEST, LARGEST = 9.0, 16.0  # CSS px: at 390 px nothing smaller, at 1280 px nothing larger
# 12 pt at a figure's natural size is exactly 16 px; the <img> width is that size rounded to whole pixels,
# which may scale it by up to 0.1 % (16.016 px), and floating point adds a hair
TOLERANCE = 0.05
WIDTHS = [390, 1280]
SCHEMES = ["light", "dark"]
FIGURE_SOURCE = re.compile(r"!\[[^\]]*\]\((?:\.\./)*figures/\w+/\w+\.svg\)")


def page_url(source):
    path = source.relative_to(DOCS).with_suffix("")
    return "" if path.name == "index" else f"{path.as_posix()}/"


def pages_with_figures(marker=None):
    """URL of every page that shows a figure: Markdown pages that link one, notebooks that call show().

    With ``marker``, only the Markdown pages whose source also holds that text.
    """
    found = [page_url(p) for p in sorted(DOCS.glob("*.md"))
             if FIGURE_SOURCE.search(text := p.read_text(encoding="utf-8")) and (marker is None or marker in text)]
    if marker is None:
        found += [page_url(p) for p in sorted((DOCS / "notebooks").glob("*.py"))
                  if "show(" in p.read_text(encoding="utf-8")]
    return found


PAGES = pages_with_figures()
EXPLORER_PAGES = pages_with_figures('data-explorer="')  # their static figure shows only without JavaScript


# ---------------------------------------------------------------- visits and measurements


SIZES = {}  # (width, scheme) -> {figure: (smallest, largest)}: the table printed at the end


@pytest.fixture(scope="module")
def report(request):
    class Report:
        def pytest_terminal_summary(self, terminalreporter):
            if not SIZES:
                return
            terminalreporter.write_sep("-", "figure text, CSS px (smallest at 390, largest at 1280)")
            figures = sorted({f for sizes in SIZES.values() for f in sizes})
            for figure in figures:
                cells = []
                for scheme in SCHEMES:
                    small = SIZES.get((390, scheme), {}).get(figure)
                    large = SIZES.get((1280, scheme), {}).get(figure)
                    cells.append(f"{scheme}: {small[0] if small else float('nan'):5.2f} / "
                                 f"{large[1] if large else float('nan'):5.2f}")
                terminalreporter.write_line(f"{figure:58} " + "   ".join(cells))

    if not request.config.pluginmanager.has_plugin("xiashan-figure-sizes"):
        request.config.pluginmanager.register(Report(), "xiashan-figure-sizes")


class Visit:
    """A page in a fresh context (conftest's ``open_page``) at a window width, in material's light (default)
    or dark (slate) scheme."""

    def __init__(self, browser, server, url, width, scheme, java_script=True):
        self.context, self.page, record = open_page(browser, server, viewport={"width": width, "height": 800},
                                                    color_scheme=scheme, java_script_enabled=java_script)
        self.requests = record["requests"]
        self.page.goto(server + url, wait_until="load")
        self.show(width, scheme)
        if java_script and self.page.locator("[data-explorer]").count():
            self.page.wait_for_selector(".explorer--ready")
        self.page.evaluate("() => document.fonts.ready.then(() => true)")

    def show(self, width, scheme):
        """The same page at another window width and in another scheme."""
        self.page.set_viewport_size({"width": width, "height": 800})
        show_scheme(self.page, scheme)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.context.close()


# Every figure <img> of the article: where it is, whether it is shown, and the size in CSS px of
# each of its texts at the width it is shown (its SVG is loaded into the page at that width).
MEASURE = r"""async () => {
  const isFigure = src => /(^|\/)figures\/\w+\/[\w-]+\.svg(#[\w-]*)?$/.test(src)
    || src.startsWith("data:image/svg+xml");
  const images = Array.from(document.querySelectorAll("article img")).filter(img => isFigure(img.getAttribute("src")));
  const holder = document.createElement("div");
  holder.style.cssText = "position: absolute; left: -100000px; top: 0; visibility: hidden;";
  document.body.append(holder);
  const found = [];
  for (const img of images) {
    const src = img.getAttribute("src");
    const name = src.startsWith("data:") ? "data:" + src.slice(-40) : src.replace(/^(\.\.\/)+/, "");
    const fragment = src.includes("#") ? src.slice(src.lastIndexOf("#") + 1) : "";
    const shown = img.checkVisibility() && getComputedStyle(img).display !== "none";
    const record = {src: name, fragment, shown, width: img.getBoundingClientRect().width, texts: []};
    found.push(record);
    if (!shown) continue;
    const text = await (await fetch(img.src.split("#")[0])).text();
    const svg = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
    const box = svg.viewBox.baseVal;
    svg.setAttribute("width", record.width);
    svg.setAttribute("height", record.width * box.height / box.width);
    holder.replaceChildren(document.importNode(svg, true));
    for (const group of holder.querySelectorAll('g[id^="text_"]')) {
      const ems = Array.from(group.querySelectorAll("use")).map(use => {
        const m = use.getScreenCTM();
        return 100 * Math.hypot(m.a, m.b);  // 100 glyph units are one em, in any rotation
      });
      if (!ems.length) continue;
      const comment = Array.from(group.childNodes).find(node => node.nodeType === Node.COMMENT_NODE);
      record.texts.push({text: comment ? comment.textContent.trim() : "", px: Math.max(...ems)});
    }
  }
  holder.remove();
  return found;
}"""


def measure(page):
    return page.evaluate(MEASURE)


def size_problems(figures, width):
    """Texts of the shown figures that break the rule for this window width."""
    problems = []
    for figure in figures:
        if not figure["shown"]:
            continue
        for text in figure["texts"]:
            if width <= 390 and text["px"] < SMALLEST - TOLERANCE:
                problems.append(f"{figure['src']}: {text['text']!r} is {text['px']:.2f} px at {width}")
            if width >= 1280 and text["px"] > LARGEST + TOLERANCE:
                problems.append(f"{figure['src']}: {text['text']!r} is {text['px']:.2f} px at {width}")
    return problems


def palette_problems(figures, scheme):
    """Figures shown in the wrong scheme, or hidden in the right one; figures with no twin."""
    wanted, other = ("only-light", "only-dark") if scheme == "light" else ("only-dark", "only-light")
    problems = []
    for figure in figures:
        if figure["fragment"] not in (wanted, other):
            problems.append(f"{figure['src']}: neither #only-light nor #only-dark")
        elif figure["shown"] != (figure["fragment"] == wanted):
            problems.append(f"{figure['src']}: {'shown' if figure['shown'] else 'hidden'} in the {scheme} scheme")
    light = sum(f["fragment"] == "only-light" for f in figures)
    dark = sum(f["fragment"] == "only-dark" for f in figures)
    if light != dark:
        problems.append(f"{light} light figures but {dark} dark ones")
    return problems


def record_sizes(width, scheme, url, figures):
    """Keep each figure's smallest and largest text for the table (a light/dark pair counts as one figure)."""
    sizes = SIZES.setdefault((width, scheme), {})
    number = 0  # a notebook's figures are data URLs: name them by their place on the page
    for figure in figures:
        if figure["src"].startswith("data:"):
            number += figure["fragment"] != "only-dark"  # the dark twin follows its light figure
            key = f"{url} (figure {number})"
        else:
            key = figure["src"].split("#")[0].replace("-dark.svg", ".svg")
        if figure["shown"] and figure["texts"]:
            pixels = [t["px"] for t in figure["texts"]]
            old = sizes.get(key, (float("inf"), 0.0))
            sizes[key] = (min(old[0], min(pixels)), max(old[1], max(pixels)))


# ---------------------------------------------------------------- every figure on every page


VISITS = [(url, True) for url in PAGES] + [(url, False) for url in EXPLORER_PAGES]


@pytest.mark.parametrize("url, java_script", VISITS,
                         ids=[url + ("" if js else "no-js") for url, js in VISITS])
def test_figure_text_is_legible_and_the_figure_is_the_palettes(browser, server, report, url, java_script):
    """At 390 px no figure text below 9 px, at 1280 px none above 16 px; each scheme shows its own figures.

    One visit per page: the window is resized and the scheme switched in place, as a reader
    turning a phone or pressing the toggle would.
    """
    problems = {}
    with Visit(browser, server, url, WIDTHS[0], SCHEMES[0], java_script) as v:
        for width in WIDTHS:
            for scheme in SCHEMES:
                v.show(width, scheme)
                figures = measure(v.page)
                where = f"{width} px, {scheme}"
                assert figures, f"{where}: no figure found"
                assert all(f["texts"] for f in figures if f["shown"]), f"{where}: a figure with no text groups"
                record_sizes(width, scheme, url, figures)
                if found := size_problems(figures, width) + palette_problems(figures, scheme):
                    problems[where] = found
    assert not problems, problems


def test_the_hidden_twin_is_not_downloaded(browser, server):
    """In each scheme only that scheme's figure files are fetched, even after scrolling past every figure."""
    url = next(u for u in PAGES if not u.startswith("notebooks/") and u not in EXPLORER_PAGES)
    for scheme in SCHEMES:
        with Visit(browser, server, url, 390, scheme) as v:
            for image in v.page.locator("article img").all():
                if image.is_visible():
                    image.scroll_into_view_if_needed()
            v.page.mouse.wheel(0, 100_000)
            v.page.wait_for_load_state("networkidle")
            svgs = [r for r in v.requests if "/figures/" in r]
        assert svgs, f"{url}: no figure was downloaded in the {scheme} scheme"
        if scheme == "light":
            assert not [r for r in svgs if r.endswith("-dark.svg")], svgs
        else:
            assert all(r.endswith("-dark.svg") for r in svgs), svgs


# ---------------------------------------------------------------- controls


def figure_with_text(points, width_inches=6.4):
    """An SVG data URL: a figure ``width_inches`` wide with one Chinese label of ``points`` pt."""
    import matplotlib.pyplot as plt

    from snippets.style import new_figure

    figure, ax = new_figure(width=width_inches, height=2.0)
    ax.plot([0, 1], [0, 1])
    ax.set_xlabel("权重 weight", fontsize=points)
    ax.tick_params(labelsize=points)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg")
    plt.close(figure)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


ADD_FIGURES = """([small, large]) => {
  const article = document.querySelector("article");
  for (const [src, fragment] of [[small, "only-light"], [large, "only-light"], [small, "only-dark"]]) {
    const img = document.createElement("img");
    img.src = src + "#" + fragment;
    img.alt = "对照用的图";
    article.append(img);
  }
}"""


def test_the_checks_catch_small_and_large_text_and_a_shown_twin(browser, server):
    """Controls: 6 px text at 390 and 20 px text at 1280 fail; a dark figure shown in the light scheme fails.

    A 6.4 in figure is 614 px wide; squeezed into a 358 px column its 7.7 pt text is 6 px. At
    1280 px the column is wider than the figure, which is shown at its own size: 13 pt is 17.3 px.
    """
    small, large = figure_with_text(7.7), figure_with_text(13)
    url = PAGES[0]
    with Visit(browser, server, url, 390, "light") as v:
        assert size_problems(measure(v.page), 390) == []
        v.page.evaluate(ADD_FIGURES, [small, large])
        v.page.add_style_tag(content='article img[src$="#only-dark"] { display: inline !important; }')
        figures = measure(v.page)
    control = [f for f in figures if f["src"].startswith("data:")]
    smallest = min(t["px"] for t in control[0]["texts"])
    assert 5.7 < smallest < 6.3, smallest
    problems = size_problems(figures, 390)
    label = [float(re.search(r"is ([\d.]+) px", p)[1]) for p in problems if "'权重 weight'" in p]
    assert len(label) == 2 and all(5.7 < px < 6.3 for px in label), problems  # the small figure and its shown twin
    assert any("shown in the light scheme" in p for p in palette_problems(figures, "light"))
    with Visit(browser, server, url, 1280, "light") as v:
        v.page.evaluate(ADD_FIGURES, [small, large])
        problems = size_problems(measure(v.page), 1280)
    label = [float(re.search(r"is ([\d.]+) px", p)[1]) for p in problems if "'权重 weight'" in p]
    assert len(label) == 1 and 17 < label[0] < 17.6, problems
