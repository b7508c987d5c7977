"""The built site as a reader gets it: links, reproducibility, page weight, accessibility basics."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest


BUDGET = 200 * 1024  # bytes a page may weigh on its own: its HTML plus the images only it uses
CJK = re.compile(r"[\u4e00-\u9fff]")


class Page(HTMLParser):
    """Collects links, ids, images and the headings inside the article of one built page."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.links, self.ids, self.images, self.headings = [], set(), [], []
        self._article_depth = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key) and tag in ("a", "img", "link", "script", "source"):
                self.links.append((tag, attrs[key]))
        if tag == "article":
            self._article_depth += 1
        if self._article_depth:
            if tag == "img":
                self.images.append(attrs)
            if re.fullmatch(r"h[1-6]", tag):
                self.headings.append(int(tag[1]))

    def handle_endtag(self, tag):
        if tag == "article" and self._article_depth:
            self._article_depth -= 1


def pages(site):
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


@pytest.fixture(scope="module")
def parsed(built_site):
    return {page: Page(page.read_text(encoding="utf-8")) for page in pages(built_site)}


def local_target(site, page, url):
    """The file a relative link points to, and its fragment; None for other hosts and mailto:."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return page, unquote(parts.fragment)
    target = (page.parent / unquote(parts.path)).resolve()
    if target.is_dir() or parts.path.endswith("/"):
        target = target / "index.html"
    return target, unquote(parts.fragment)


def test_every_internal_link_and_anchor_resolves(built_site, parsed):
    broken = []
    for page, html in parsed.items():
        for tag, url in html.links:
            found = local_target(built_site, page, url)
            if found is None:
                continue
            target, fragment = found
            where = f"{page.relative_to(built_site)}: <{tag}> {url}"
            if not target.is_file():
                broken.append(f"{where} (no file)")
            elif fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else Page(target.read_text(encoding="utf-8")).ids
                if fragment not in ids:
                    broken.append(f"{where} (no anchor)")
    assert not broken, "\n".join(broken)


def test_two_clean_builds_are_byte_identical(built_site, clean_builds):
    """A second build with an empty cache redraws every figure and re-runs every notebook."""
    result = clean_builds[1]
    other = result.site
    assert result.returncode == 0, result.stderr
    # matplotlib's missing-glyph warning, in the build's log or in a notebook cell's output
    assert "missing from font" not in result.stdout + result.stderr
    assert not [p for p in other.rglob("*.html") if "missing from font" in p.read_text(encoding="utf-8")]
    ignore = {"sitemap.xml", "sitemap.xml.gz"}
    first = {p.relative_to(built_site) for p in built_site.rglob("*") if p.is_file() and p.name not in ignore}
    second = {p.relative_to(other) for p in other.rglob("*") if p.is_file() and p.name not in ignore}
    assert first == second
    differ = [str(p) for p in sorted(first) if (built_site / p).read_bytes() != (other / p).read_bytes()]
    assert not differ, f"files that differ between two clean builds: {differ}"


def page_weights(site, parsed):
    """{page: (own bytes, html bytes, images only it uses)} for every page.

    A figure's two palettes, ``n.svg`` and ``n-dark.svg``, count once, as the larger of the two:
    a reader's browser loads only the one for the palette in use (the other is ``display: none``
    and lazy; ``tests/test_figures_browser.py`` checks that it is not fetched).
    """
    users = {}
    for page, html in parsed.items():
        for tag, url in html.links:
            found = local_target(site, page, url)
            if tag == "img" and found and found[0].is_file():
                users.setdefault(found[0], set()).add(page)
    weights = {}
    for page in parsed:
        own_images = [img for img, who in users.items() if who == {page}]
        read = {}  # one entry per figure: the larger of its light and dark SVG
        for image in own_images:
            figure = image.with_name(image.name.replace("-dark.svg", ".svg"))
            read[figure] = max(read.get(figure, 0), image.stat().st_size)
        html_bytes = page.stat().st_size
        weights[page] = (html_bytes + sum(read.values()), html_bytes, own_images)
    return weights


def test_every_page_stays_within_its_budget(built_site, parsed):
    over = {
        str(page.relative_to(built_site)): own
        for page, (own, _, _) in page_weights(built_site, parsed).items()
        if own > BUDGET
    }
    assert not over, f"pages over {BUDGET // 1024} KiB of their own bytes: {over}"


def test_every_image_has_chinese_alt_text_and_a_size(built_site, parsed):
    for page, html in parsed.items():
        for image in html.images:
            where = f"{page.relative_to(built_site)}: {image.get('src')}"
            assert len(CJK.findall(image.get("alt") or "")) >= 8, f"{where}: no meaningful Chinese alt text"
            assert image.get("width", "").isdigit() and image.get("height", "").isdigit(), f"{where}: no size"


def test_heading_levels_do_not_skip(built_site, parsed):
    for page, html in parsed.items():
        levels = html.headings
        assert levels and levels[0] == 1, f"{page.relative_to(built_site)}: starts with h{levels[:1]}"
        skips = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
        assert not skips, f"{page.relative_to(built_site)}: heading levels skip {skips}"


def test_notebook_pages_carry_only_the_sites_css_and_scripts(built_site):
    """No inline JupyterLab CSS, no nbconvert script, no copy buttons; all the CSS they load stays under 40 KiB."""
    notebooks = sorted((built_site / "notebooks").glob("*/index.html"))
    assert len(notebooks) == 5
    for page in notebooks:
        html = page.read_text(encoding="utf-8")
        body = html[html.index('<div class="jupyter-wrapper">'):]
        assert "<style" not in html and "<script" not in body.split("</article>")[0], page
        assert "clipboard-copy" not in html and "jp-InputPrompt" not in html, page
        sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        own = [s for s in sheets if "stylesheets/" in s and "main." not in s and "palette." not in s]
        assert sum((page.parent / s).resolve().stat().st_size for s in own) < 40 * 1024, own
