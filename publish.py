"""Take the book anywhere: a copy that reads from disk, and the whole book as one PDF.

    python3 dev.py offline   # site-offline.zip: unzip anywhere, open xiashan/index.html from disk
    python3 dev.py pdf       # xiashan.pdf: every page in reading order, for print or a reader

(or ``python publish.py offline|pdf [--site DIR] [--out FILE]`` from the project's virtualenv;
``--site`` reuses a finished build instead of building again).

How it works
------------
* The offline copy is a strict MkDocs build with ``OFFLINE=true``, which turns on
  mkdocs-material's ``offline`` plugin (see ``mkdocs.yml``). That plugin writes pages as
  ``page.html`` instead of ``page/index.html`` (a browser reading ``file://`` does not open a
  folder's ``index.html``) and inlines the search index into ``search/search_index.js``.
  Search runs in a web worker, which ``file://`` pages may not start; the plugin would fetch
  the iframe-worker polyfill from a CDN for that. This module is also listed under ``hooks:``
  in ``mkdocs.yml``, and in an offline build it ships the vendored copy of that polyfill
  (``vendor/iframe-worker/``, MIT, version and checksum in its README) instead, so nothing is
  fetched from another host. A page read from ``file://`` may not load a font file, so the
  math font is inlined into ``stylesheets/math.css`` as a ``data:`` URL and not preloaded;
  nor JavaScript modules, so the explorers are left out and their static figures stay.
  Notebook pages are written by mkdocs-jupyter, whose links are not rewritten by MkDocs:
  they were written for directory URLs, so the hook rebases them.
* ``check_offline_links`` then reads every page: each local link must name a file that
  exists (no ``folder/`` links left), and no page may load anything from another host.
* The zip is byte-for-byte repeatable: entries sorted, one timestamp for all of them
  (``SOURCE_DATE_EPOCH``, else the time of the last commit), fixed permissions. Sitemaps are
  left out (they name the build date and are of no use without a server).
* The PDF is printed by Chromium (Debian's ``/usr/bin/chromium``, driven by playwright) from
  one print page assembled out of the built site: the pages in the order of the site's
  navigation (read from the built home page), each page's article with its ids prefixed so
  they stay unique, links between pages turned into links inside the PDF, solutions
  (``<details>``) opened, notebook pages included with their outputs. The page's own
  stylesheets and scripts are kept, so formulas are typeset the same way as on the site.
  Text is set in fonts from pinned PyPI packages (Noto Sans CJK SC from ``noto-cjk-sans-otc``,
  DejaVu from matplotlib); formulas keep the site's STIX Two Math, and what it lacks (Chinese
  words inside a formula, ``\\mathtt`` names) falls back to those fonts rather than to the
  machine's ``math`` and sans-serif fonts, so the PDF does not depend on the fonts of the
  machine. Page numbers come from CSS page-margin boxes. The table of contents needs the
  page each part starts on, which only the printed PDF knows: it is printed once, the pages
  are read back from the PDF's named destinations, the numbers are filled in, and it is
  printed again.
* Chromium stamps each PDF with the time and a random document id, and names the elements
  of its structure tree after DOM node ids, whose counter stands somewhere different each
  time the page is printed; ``normalize_pdf`` rewrites the metadata with pypdf (dates from
  ``SOURCE_DATE_EPOCH``, an id that is a hash of the content) and numbers the structure ids
  from 1 in their order, so two runs give the same bytes.
"""

import argparse
import hashlib
import html
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent
SHIM = ROOT / "vendor" / "iframe-worker" / "shim.js"
SHIM_SITE_PATH = "assets/javascripts/iframe-worker/shim.js"
ZIP_FOLDER = "xiashan"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
FALLBACK_EPOCH = 1735689600  # 2025-01-01, when neither SOURCE_DATE_EPOCH nor git can say


# ---------------------------------------------------------------- MkDocs hook (offline builds only)


def _offline(config):
    """Whether material's ``offline`` plugin is on in this build."""
    from material.plugins.offline.plugin import OfflinePlugin

    return any(isinstance(p, OfflinePlugin) and p.config.enabled for p in config.plugins.values())


@event_priority(100)  # before the offline plugin, which adds the CDN polyfill unless one is listed
def on_config(config):
    if _offline(config):
        polyfills = config.extra.get("polyfills") or []
        if SHIM_SITE_PATH not in polyfills:
            config.extra["polyfills"] = [*polyfills, SHIM_SITE_PATH]
        # A page read from file:// may not load JavaScript modules: the explorers are left out,
        # and their pages show the static figure each explorer would replace.
        config.extra_javascript[:] = [s for s in config.extra_javascript if getattr(s, "type", "") != "module"]
    return config


MATH_CSS = "stylesheets/math.css"
_FONT_PRELOAD = re.compile(r'<link rel="preload" href="[^"]*" as="font" type="font/woff2" crossorigin>')


def on_files(files, config):
    if _offline(config):
        import base64

        from mkdocs.structure.files import File

        import mathrender

        files.append(File.generated(config, SHIM_SITE_PATH, abs_src_path=str(SHIM)))
        # A page read from file:// may not load a font file (Chromium treats it as another
        # origin): the math font goes into the stylesheet as a data: URL instead.
        sheet = files.get_file_from_path(MATH_CSS)
        font = "data:font/woff2;base64," + base64.b64encode(mathrender.FONT.read_bytes()).decode("ascii")
        css = sheet.content_string.replace(f"../{mathrender.FONT_URL}", font)
        if font not in css:
            raise RuntimeError(f"{MATH_CSS} no longer names ../{mathrender.FONT_URL}: the offline copy would lose its math font")
        files.remove(sheet)
        files.append(File.generated(config, MATH_CSS, content=css))
    return files


_URL_ATTR = re.compile(r'(\s(?:href|src)=")([^"]*)(")')


def on_post_page(output, page, config):
    """Offline builds: no font preload (the math font is inlined into its stylesheet)."""
    return output if config.use_directory_urls else _FONT_PRELOAD.sub("", output)


def on_page_content(html_text, page, config, files):
    """Offline builds: rebase the links of notebook pages, written for ``notebooks/x/``."""
    if config.use_directory_urls or page.file.src_uri.endswith(".md"):
        return html_text
    as_if = posixpath.dirname(page.file.src_uri) + "/" + Path(page.file.src_uri).stem + "/"
    here = posixpath.dirname(page.file.url)
    pages = {f.url for f in files.documentation_pages()}

    def rebase(match):
        url = match[2]
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path or url.startswith("/"):
            return match[0]
        target = posixpath.normpath(posixpath.join(as_if, parts.path))
        if parts.path.endswith("/") or target == ".":
            target = "index.html" if target == "." else target + "/index.html"
            if target not in pages and target.removesuffix("/index.html") + ".html" in pages:
                target = target.removesuffix("/index.html") + ".html"
        new = posixpath.relpath(target, here or ".")
        if parts.fragment:
            new += "#" + parts.fragment
        return match[1] + new + match[3]

    return _URL_ATTR.sub(rebase, html_text)


# ---------------------------------------------------------------- shared helpers


def source_date_epoch():
    """``SOURCE_DATE_EPOCH``, else the time of the last commit, else a fixed date."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            return int(out.stdout.strip())
    except OSError:
        pass
    return FALLBACK_EPOCH


def build(site_dir, offline=False, cache_dir=None):
    """A strict MkDocs build of this project into ``site_dir``; raises with MkDocs' output on failure."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": str(source_date_epoch())}
    env["OFFLINE"] = "true" if offline else "false"
    if cache_dir is not None:
        env["SITE_CACHE_DIR"] = str(cache_dir)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"strict build failed:\n{result.stdout}\n{result.stderr}")
    return Path(site_dir)


class _Links:
    """The URLs a page refers to: ``[(tag, attribute, url)]``, with the page's ``<base>`` if any."""

    def __init__(self, text):
        from html.parser import HTMLParser

        self.found = []
        links = self

        class Parser(HTMLParser):
            def handle_starttag(self, tag, attrs):
                for key, value in attrs:
                    if key in ("href", "src", "poster", "data") and value:
                        links.found.append((tag, key, value))
                    elif key == "srcset" and value:
                        links.found += [(tag, key, part.split()[0]) for part in value.split(",") if part.strip()]

        Parser(convert_charrefs=True).feed(text)


# Of use only to a server: the sitemaps (which also name the build date) and the 404 page
# (whose links start at the server's root).
OFFLINE_LEFT_OUT = {"404.html", "sitemap.xml", "sitemap.xml.gz"}


def check_offline_links(site, left_out=OFFLINE_LEFT_OUT):
    """Problems that would stop the copy in ``site`` from working from disk; empty when none.

    Every local URL must name an existing file (a folder URL such as ``backprop/`` does not
    open its ``index.html`` from disk), and nothing a page loads may come from another host
    (links a reader may follow to other sites are fine). Files in ``left_out`` are not read.
    """
    site = Path(site)
    problems = []
    for page in sorted(site.rglob("*.html")):
        where = page.relative_to(site).as_posix()
        if where in left_out:
            continue
        for tag, key, url in _Links(page.read_text(encoding="utf-8")).found:
            parts = urlsplit(url)
            if parts.scheme in ("data", "mailto", "javascript"):
                continue
            if parts.scheme or parts.netloc:
                if not (tag == "a" and key == "href"):
                    problems.append(f"{where}: <{tag} {key}> loads {url} from another host")
                continue
            if not parts.path:
                continue
            if parts.path.startswith("/"):
                problems.append(f"{where}: <{tag} {key}> {url} is absolute: it points at the root of the disk")
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if parts.path.endswith("/") or target.is_dir():
                problems.append(f"{where}: <{tag} {key}> {url} is a folder, not a file")
            elif not target.is_file():
                problems.append(f"{where}: <{tag} {key}> {url} does not exist")
    return problems


# ---------------------------------------------------------------- the offline zip



def write_zip(site, out, folder=ZIP_FOLDER, epoch=None):
    """Zip ``site`` into ``out`` under ``folder/``, the same bytes every time for the same files."""
    epoch = source_date_epoch() if epoch is None else epoch
    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip dates start in 1980
    site = Path(site)
    files = sorted(
        p.relative_to(site).as_posix() for p in site.rglob("*")
        if p.is_file() and p.relative_to(site).as_posix() not in OFFLINE_LEFT_OUT
    )
    partial = Path(str(out) + ".part")
    partial.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(partial, "w") as archive:
        for name in files:
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the permissions below are read
            info.external_attr = 0o100644 << 16
            archive.writestr(info, (site / name).read_bytes(), compresslevel=9)
    partial.replace(out)
    return Path(out)


def make_offline_zip(out=ROOT / "site-offline.zip", site=None, cache_dir=None):
    """Build (unless ``site`` is an offline build already), check the links, write the zip.

    ``cache_dir`` is the build's cache of figures, outputs and notebooks (default: the project's).
    """
    with tempfile.TemporaryDirectory(prefix="xiashan-offline-") as scratch:
        site = Path(site) if site else build(Path(scratch) / "site", offline=True, cache_dir=cache_dir)
        problems = check_offline_links(site)
        if problems:
            raise RuntimeError("the offline copy would not work from disk:\n  " + "\n  ".join(problems))
        return write_zip(site, out)


# ---------------------------------------------------------------- the PDF


def nav_pages(site):
    """The site's pages in reading order, from the navigation of the built home page.

    Returns ``[(section title or None, [site path of each page, ...]), ...]``; a page that is
    not in a section (the home page) is a section of its own with no title.
    """
    from bs4 import BeautifulSoup

    home = BeautifulSoup((Path(site) / "index.html").read_text(encoding="utf-8"), "html.parser")
    nav = home.select_one("nav.md-nav--primary > ul.md-nav__list")
    sections, seen = [], set()
    for item in nav.find_all("li", recursive=False):
        nested = "md-nav__item--nested" in item.get("class", [])
        label = item.find(["label", "span"], class_="md-nav__link", recursive=False)
        links = [a["href"] for a in item.select("a.md-nav__link[href]")]
        if not nested:
            links = links[:1]  # the page itself; what follows is its own table of contents
        paths = []
        for href in links:
            path = _site_path("index.html", href)
            if path and path not in seen and (Path(site) / path).is_file():
                seen.add(path)
                paths.append(path)
        if paths:
            title = " ".join(label.get_text(" ", strip=True).split()) if nested and label else None
            sections.append((title, paths))
    return sections


def _site_path(page_path, url):
    """The site file a relative URL on ``page_path`` names (``x/`` means ``x/index.html``), or None."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith("/"):
        return None
    if not parts.path:
        return page_path
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), unquote(parts.path)))
    if path == ".":
        return "index.html"
    if parts.path.endswith("/") or parts.path in ("..", "."):
        path += "/index.html"
    return path


def _slug(page_path):
    stem = page_path.removesuffix("index.html").removesuffix(".html").strip("/")
    return "p-" + (stem.replace("/", "-") or "home")


def cjk_truetype(text, out):
    """Noto Sans CJK SC cut down to the characters of ``text``, with TrueType outlines, in ``out``.

    The font comes from the pinned ``noto-cjk-sans-otc`` package. Its outlines are CFF, which
    Chromium's PDF writer can only draw as unnamed Type 3 glyph sets; converted to TrueType
    (quadratic curves, within 1 unit of the originals) they are embedded as a real subset font.
    """
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTCollection, newTable
    from noto_cjk_sans_otc import FONT_PATH

    font = next((f for f in TTCollection(str(FONT_PATH), lazy=True).fonts
                 if f["name"].getDebugName(1) == "Noto Sans CJK SC"), None)
    if font is None:
        raise RuntimeError(f"no Noto Sans CJK SC in {FONT_PATH}")
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.layout_features = ["*"]
    options.drop_tables += ["VORG", "vhea", "vmtx"]
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes={ord(c) for c in text})
    cutter.subset(font)

    order, outlines = font.getGlyphOrder(), font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(outlines)
        outlines[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, glyphs
    del font["CFF "]
    glyf.compile(font)
    for name, glyph in glyphs.items():  # TrueType wants each glyph's left side bearing to be its xMin
        font["hmtx"][name] = (font["hmtx"][name][0], glyph.xMin if glyph.numberOfContours else 0)
    font["maxp"] = maxp = newTable("maxp")  # version 1.0; the counts are recalculated on saving
    maxp.tableVersion = 0x00010000
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 2.0, [], {}, order
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\0\1\0\0"
    font.recalcTimestamp = False  # keep the font's own dates, so the same text gives the same bytes
    font.save(str(out))
    return Path(out)


def _font_faces(fonts_dir, text):
    """``@font-face`` rules for fonts from pinned packages, written or copied into ``fonts_dir``."""
    import matplotlib

    fonts_dir.mkdir(parents=True, exist_ok=True)
    cjk = fonts_dir / "NotoSansCJKsc-Regular-subset.ttf"
    made_for = fonts_dir / "NotoSansCJKsc-Regular-subset.chars"  # the characters it was cut to
    chars = "".join(sorted(set(text)))
    if not (cjk.is_file() and made_for.is_file() and made_for.read_text(encoding="utf-8") == chars):
        cjk_truetype(chars, cjk)  # the book printed again has the same text: the font is cut once
        made_for.write_text(chars, encoding="utf-8")
    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    rules = [f'@font-face {{ font-family: "XS CJK"; src: url("{cjk.as_uri()}"); }}']
    for family, prefix in (("XS Sans", "DejaVuSans"), ("XS Mono", "DejaVuSansMono")):
        for suffix, weight, style in (("", 400, "normal"), ("-Bold", 700, "normal"),
                                      ("-Oblique", 400, "italic"), ("-BoldOblique", 700, "italic")):
            source = dejavu / f"{prefix}{suffix}.ttf"
            rules.append(f'@font-face {{ font-family: "{family}"; src: url("{source.as_uri()}"); '
                         f"font-weight: {weight}; font-style: {style}; }}")
    return "\n".join(rules)


PRINT_CSS = """
@page {
  size: A4;
  margin: 18mm 17mm 20mm 17mm;
  @bottom-center { content: counter(page); font: 9pt "XS Sans", "XS CJK"; color: #555; }
}
@page :first { @bottom-center { content: none; } }
html { font-size: 100% !important; }
body { margin: 0; background: #fff; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body, .md-typeset, .md-typeset :is(h1, h2, h3, h4, h5, h6, p, li, td, th, summary) {
  font-family: "XS Sans", "XS CJK", sans-serif !important;
}
pre, code, kbd, samp, pre *, code *, .jp-RenderedText pre, .highlight-ipynb pre {
  font-family: "XS Mono", "XS CJK", monospace !important;
}
.md-typeset math { font-family: "STIX Two Math", "XS Sans", "XS CJK" !important; }
.md-typeset math .tt { font-family: "XS Mono", "XS CJK" !important; }
.md-typeset { font-size: 10pt; line-height: 1.6; }
.md-typeset h1 { font-size: 20pt; margin: 0 0 1em; color: #222; font-weight: 700; }
.md-typeset h2 { font-size: 14pt; }
.md-typeset h3 { font-size: 12pt; }
.md-typeset :is(h1, h2, h3, h4) { break-after: avoid; }
.md-typeset :is(pre, figure, table, .admonition, img, .jp-Cell) { break-inside: avoid; }
.md-typeset pre > code, .jupyter-wrapper pre {
  white-space: pre-wrap !important; overflow-wrap: anywhere; overflow: visible !important;
  max-height: none !important;
}
.md-typeset .highlight pre > code { font-size: 8.5pt; }
.md-typeset img { max-width: 88%; max-height: 105mm; width: auto; height: auto; }
.md-typeset p > img:only-child { display: block; margin: .3em auto; }
.md-typeset details > summary::after { display: none; }
.headerlink, .anchor-link, .md-clipboard, .md-code__nav, .md-source-file, clipboard-copy { display: none !important; }
.xs-part { break-before: page; }
.xs-cover { height: 230mm; display: flex; flex-direction: column; justify-content: center; text-align: center; }
.xs-cover h1 { font-size: 36pt !important; margin-bottom: .4em !important; }
.xs-cover p { font-size: 12pt; color: #444; margin: .3em 4em; }
.xs-toc { break-before: page; }
.md-typeset .xs-toc ol { list-style: none !important; margin: 0 !important; padding: 0; }
.md-typeset .xs-toc li { margin: 0 !important; list-style: none !important; }
.xs-toc .xs-toc-section { margin-top: .8em; font-weight: 700; }
.xs-toc a { display: flex; color: inherit !important; text-decoration: none !important; }
.xs-toc a .xs-title { flex: 0 1 auto; }
.xs-toc a .xs-dots { flex: 1 1 auto; border-bottom: 1px dotted #999; margin: 0 .4em .35em; }
.xs-toc a .xs-page { flex: 0 0 auto; font-variant-numeric: tabular-nums; }
.md-typeset .xs-toc ol ol { padding-left: 1.6em !important; }
.xs-chapter-label { color: #555; font-size: 10pt; margin: 0 0 .3em; }
"""

_WAIT_FOR_PAGE = """async () => {
  for (const img of document.images) img.loading = "eager";
  await Promise.all(Array.from(document.images).map(img => img.decode().catch(() => null)));
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  const settle = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  for (let round = 0; round < 2; round++) {  // a font that arrives can bring more text into view
    document.body.getBoundingClientRect();
    await document.fonts.ready;
    await Promise.all(Array.from(document.fonts).map(f => f.status === "unloaded" ? null : f.loaded.catch(() => null)));
    await settle();
  }
  return Array.from(document.fonts).filter(f => f.status === "error").map(f => f.family);
}"""


def with_chromium(work):
    """``work(browser)`` with a headless Chromium, in a thread of its own; returns what it returns.

    playwright's sync API refuses to start where an event loop runs, as it does in a thread
    that already drives a browser (a test session may); a new thread has none.
    """
    from concurrent.futures import ThreadPoolExecutor

    def run():
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            try:
                return work(browser)
            finally:
                browser.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


def print_page(doc, book_html, out, browser=None):
    """Print ``book_html`` (a file) to ``out`` with Chromium; any request off the disk is refused.

    ``browser`` is a running Chromium to print in (a page of its own); without it, one is started.
    """
    refused = []

    def work(browser):
        page = browser.new_page()  # in a context of its own: nothing is shared with other prints

        def route(r):
            if r.request.url.startswith(("file:", "data:")):
                r.continue_()
            else:
                refused.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.emulate_media(media="print")  # lay out (and load fonts) for print before printing
        page.goto(Path(book_html).as_uri(), wait_until="load")
        failed_fonts = page.evaluate(_WAIT_FOR_PAGE)
        page.pdf(path=str(out), prefer_css_page_size=True, print_background=True, outline=True, tagged=True)
        page.context.close()
        return failed_fonts

    failed_fonts = work(browser) if browser is not None else with_chromium(work)
    if refused:
        raise RuntimeError(f"printing {doc} asked for other hosts: {refused}")
    if failed_fonts:
        raise RuntimeError(f"printing {doc}: fonts that did not load: {failed_fonts}")
    return Path(out)


def _head_assets(soup_pages):
    """Stylesheets of every page and the non-theme scripts of the chapter pages, as root-relative URLs."""
    styles, scripts = [], []
    for page_path, soup in soup_pages:
        for link in soup.select('link[rel="stylesheet"][href]'):
            href = _site_path(page_path, link["href"])
            if href and href not in styles:
                styles.append(href)
        for script in soup.select("script[src]"):
            src = _site_path(page_path, script["src"])
            if src and not src.startswith("assets/javascripts/") and src not in scripts:
                scripts.append(src)
    return styles, scripts


def book_contents(site):
    """Everything of the print page for the built ``site`` but its page numbers.

    Returns ``{"title", "description", "styles", "scripts", "toc": [(anchor, title, level), ...],
    "parts": [HTML of each page's section, ...], "body": the theme's <body> attributes}``;
    ``assemble_book`` turns it into the page.
    """
    from bs4 import BeautifulSoup

    site = Path(site)
    sections = nav_pages(site)
    book_pages = [p for _, paths in sections for p in paths]
    slugs = {p: _slug(p) for p in book_pages}
    soups = [(p, BeautifulSoup((site / p).read_text(encoding="utf-8"), "html.parser")) for p in book_pages]
    styles, scripts = _head_assets(soups)
    home = dict(soups)["index.html"] if "index.html" in dict(soups) else None
    site_name = (home.select_one("meta[property='og:site_name']") or {}).get("content") if home else None
    title = site_name or (home.title.get_text().split(" - ")[-1].strip() if home and home.title else "")
    description = (home.select_one('meta[name="description"]') or {}).get("content", "") if home else ""

    parts, toc = [], []
    for page_path, soup in soups:
        article = soup.select_one("article.md-content__inner")
        prefix = slugs[page_path]
        for tag in article.select("script, style, link, a.headerlink, a.anchor-link, .md-source-file"):
            tag.decompose()
        for tag in article.select('img[src$="#only-dark"]'):  # the book is printed in the light palette
            tag.decompose()
        for details in article.find_all("details"):
            details["open"] = ""
        for tag in article.find_all(True):
            if tag.has_attr("id"):
                tag["id"] = f"{prefix}--{tag['id']}"
            for key in ("for", "aria-labelledby", "aria-describedby", "aria-controls"):
                if tag.has_attr(key) and isinstance(tag[key], str):
                    tag[key] = " ".join(f"{prefix}--{v}" for v in tag[key].split())
            if tag.name == "img":
                tag.attrs.pop("loading", None)
            for key in ("src", "href"):
                if not tag.has_attr(key):
                    continue
                url = tag[key]
                parts_ = urlsplit(url)
                if parts_.scheme or parts_.netloc:
                    continue
                target = _site_path(page_path, url)
                if key == "src" or (tag.name != "a"):
                    tag[key] = target or url
                elif target in slugs:
                    fragment = unquote(parts_.fragment)
                    tag[key] = f"#{slugs[target]}--{fragment}" if fragment else f"#{slugs[target]}"
                elif target and (site / target).is_file():
                    tag.name = "span"  # a file of the site (a notebook download): text, not a link
                    del tag[key]
        h1 = article.find("h1")
        heading = h1.get_text(" ", strip=True) if h1 else page_path
        section_title = next((t for t, paths in sections if page_path in paths), None)
        label = ""
        if section_title and page_path == next(paths for t, paths in sections if t == section_title)[0]:
            anchor = f"{prefix}-chapter"
            toc.append((anchor, section_title, 1))
            label = f'<p class="xs-chapter-label" id="{anchor}">{html.escape(section_title)}</p>'
        toc.append((prefix, heading, 2 if section_title else 1))
        parts.append(f'<section class="xs-part" id="{prefix}">{label}{article.decode_contents()}</section>')
    # the theme's <body> attributes: its text direction (which its spacing rules select on) and palette
    body = " ".join(f'{key}="{html.escape(" ".join(value) if isinstance(value, list) else value)}"'
                    for key, value in soups[0][1].body.attrs.items())
    return {"title": title, "description": description, "styles": styles, "scripts": scripts,
            "toc": toc, "parts": parts, "body": body}


def assemble_book(site, fonts_dir, page_numbers=None, contents=None):
    """The print page for the built ``site``: ``(HTML text, [(anchor, title, level), ...])``.

    ``page_numbers`` maps a table-of-contents anchor to its page; without it, placeholders.
    ``contents`` is ``book_contents(site)`` when the caller has it already (it does not depend
    on the page numbers), so printing again does not read the site again.
    """
    contents = book_contents(site) if contents is None else contents
    title, description, toc, parts = (contents[k] for k in ("title", "description", "toc", "parts"))
    styles, scripts = contents["styles"], contents["scripts"]

    def number(anchor):
        return str(page_numbers[anchor]) if page_numbers and anchor in page_numbers else "00"

    items, open_sub = [], False
    for anchor, text, level in toc:
        entry = (f'<a href="#{anchor}"><span class="xs-title">{html.escape(text)}</span>'
                 f'<span class="xs-dots"></span><span class="xs-page">{number(anchor)}</span></a>')
        if level == 1:
            if open_sub:
                items.append("</ol></li>")
                open_sub = False
            cls = ' class="xs-toc-section"' if anchor.endswith("-chapter") else ""
            items.append(f"<li{cls}>{entry}")
            if anchor.endswith("-chapter"):
                items.append("<ol>")
                open_sub = True
            else:
                items.append("</li>")
        else:
            items.append(f"<li>{entry}</li>")
    if open_sub:
        items.append("</ol></li>")

    text = title + description + "目录" + "".join(t for _, t, _ in toc) + "".join(parts)
    head = [f'<link rel="stylesheet" href="{html.escape(s)}">' for s in styles]
    head += [f"<style>{_font_faces(fonts_dir, html.unescape(text))}\n{PRINT_CSS}</style>"]
    head += [f'<script src="{html.escape(s)}"></script>' for s in scripts]
    book = f"""<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
{chr(10).join(head)}
</head>
<body {contents["body"]}>
<div class="md-typeset xs-book">
<section class="xs-cover"><h1>{html.escape(title)}</h1><p>{html.escape(description)}</p></section>
<nav class="xs-toc" aria-label="目录"><h1>目录</h1><ol>{"".join(items)}</ol></nav>
{"".join(parts)}
</div>
</body>
</html>
"""
    return book, toc


def _quiet_pypdf():
    """pypdf warns about Chromium's trailer size (one off); the file reads fine."""
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)


def _destination_pages(pdf):
    """``{named destination: 1-based page}`` of a PDF that Chromium printed.

    Chromium writes the ids that links point to as the catalog's ``/Dests`` dictionary (and a
    later version might use the ``/Names`` tree, which pypdf reads): both are read.
    """
    from pypdf import PdfReader

    _quiet_pypdf()
    reader = PdfReader(str(pdf))
    pages = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages, 1)}
    found = {}
    dests = reader.trailer["/Root"].get("/Dests")
    for name, target in (dests.get_object().items() if dests is not None else []):
        target = target.get_object()
        if isinstance(target, dict):
            target = target["/D"]
        found[unquote(str(name).lstrip("/"))] = pages.get(target[0].idnum)
    for name, destination in reader.named_destinations.items():
        number = reader.get_destination_page_number(destination)
        if number is not None and number >= 0:
            found[unquote(str(name).lstrip("/"))] = number + 1
    return found


_NODE_ID = re.compile(r"node(\d{8})")


def _renumber_node_ids(writer):
    """Number the ids of the structure tree 1, 2, 3, ... in their order; returns how many.

    A tagged PDF from Chromium names structure elements (table header cells, which data
    cells point to with ``/Headers``) ``node<DOM node id>``. Those ids come from a counter
    that other work in the page draws on too, so the same page printed twice gives them a
    different start (``node00000153`` one time, ``node00000161`` the next, the same steps
    after that). They are renumbered by rank, which keeps their order, so the sorted
    ``/IDTree`` stays sorted.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject, TextStringObject

    found, places, seen = set(), [], set()

    def visit(container, key, value):
        if isinstance(value, IndirectObject):
            return
        if isinstance(value, (DictionaryObject, StreamObject)):
            if id(value) not in seen:
                seen.add(id(value))
                for k, v in list(value.items()):
                    visit(value, k, v)
        elif isinstance(value, ArrayObject):
            if id(value) not in seen:
                seen.add(id(value))
                for i, v in enumerate(value):
                    visit(value, i, v)
        elif isinstance(value, (str, bytes)):
            text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
            match = _NODE_ID.fullmatch(text)
            if match:
                found.add(int(match[1]))
                places.append((container, key, int(match[1])))

    for obj in writer._objects:
        if obj is not None:
            visit(None, None, obj)
    rank = {old: n for n, old in enumerate(sorted(found), 1)}
    for container, key, old in places:
        container[key] = TextStringObject(f"node{rank[old]:08d}")
    return len(rank)


def normalize_pdf(pdf, out, title, epoch=None):
    """Rewrite ``pdf`` into ``out`` with fixed metadata, structure ids and a content-derived id (same bytes each run)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ByteStringObject, NameObject, TextStringObject, ArrayObject

    _quiet_pypdf()
    epoch = source_date_epoch() if epoch is None else epoch
    date = time.strftime("D:%Y%m%d%H%M%SZ", time.gmtime(epoch))
    reader = PdfReader(str(pdf))
    writer = PdfWriter(clone_from=reader)
    _renumber_node_ids(writer)
    if NameObject("/Metadata") in writer._root_object:
        del writer._root_object[NameObject("/Metadata")]  # XMP: Chromium's dates and random ids
    writer._info = None
    writer.add_metadata({
        "/Title": title, "/Creator": "publish.py", "/Producer": "Chromium (Skia/PDF), pypdf",
        "/CreationDate": date, "/ModDate": date,
    })
    digest = hashlib.md5()
    for page in reader.pages:
        digest.update(page.get_contents().get_data() if page.get_contents() else b"")
    digest.update(f"{title} {epoch}".encode())
    identifier = ByteStringObject(digest.digest())
    writer._ID = ArrayObject([identifier, identifier])
    partial = Path(str(out) + ".part")
    partial.parent.mkdir(parents=True, exist_ok=True)
    with open(partial, "wb") as handle:
        writer.write(handle)
    partial.replace(out)
    return Path(out)


def _walk_pdf(reader, operations=True):
    """Every ``(resources, content stream operations)`` of the pages and of the forms they draw.

    With ``operations=False`` the streams are not parsed (``None`` in their place).
    """
    from pypdf.generic import ContentStream

    seen = set()

    def walk(resources, contents):
        resources = resources.get_object() if resources is not None else {}
        if contents is not None:
            yield resources, ContentStream(contents, reader).operations if operations else None
        for xobject in (resources.get("/XObject") or {}).values():
            ref = getattr(xobject, "idnum", None)
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form" and ref not in seen:
                seen.add(ref)
                yield from walk(xobject.get("/Resources"), xobject)

    for page in reader.pages:
        yield from walk(page.get("/Resources"), page.get_contents())


def _fonts(resources):
    return {name: font.get_object() for name, font in (resources.get("/Font") or {}).items()}


def pictures_inside_svgs(site, book):
    """How many raster pictures the SVG figures of the print page ``book`` carry inside them.

    A figure may show pixel data as such (the handwritten digits are 8x8 pictures): matplotlib
    embeds those in the SVG as ``<image>``, and the PDF has them as images too. Anything else
    raster in the PDF did not come from an SVG.
    """
    import base64

    count = 0
    for src in re.findall(r'<img[^>]*\ssrc="([^"]+)"', book):
        src, _, palette = src.partition("#")
        if palette == "only-dark":
            continue  # the print shows the light palette's figure; its dark twin is hidden
        if src.startswith("data:image/svg+xml;base64,"):
            count += base64.b64decode(src.split(",", 1)[1]).count(b"<image")
        elif src.endswith(".svg") and (Path(site) / unquote(src)).is_file():
            count += (Path(site) / unquote(src)).read_bytes().count(b"<image")
    return count


def pdf_problems(pdf, pictures_allowed=0):
    """What would make the PDF wrong to read or print; empty when all is well.

    * a font that is not embedded;
    * a missing glyph (the ``.notdef`` box, glyph 0) drawn anywhere: with the Type 0 fonts that
      Chromium writes a code is a glyph id, and its Type 3 fonts name glyph ``n`` ``/g<hex n>``;
    * a raster image (the figures are SVG and must stay vector): an image XObject or inline
      image, beyond the ``pictures_allowed`` that the SVGs themselves carry.

    ``pdf`` is a file or a ``PdfReader`` of one.
    """
    from pypdf import PdfReader

    _quiet_pypdf()
    reader = pdf if isinstance(pdf, PdfReader) else PdfReader(str(pdf))
    problems, notdef, images, checked = [], {}, 0, set()
    for resources, operations in _walk_pdf(reader):
        fonts = _fonts(resources)
        for name, font in fonts.items():
            base = str(font.get("/BaseFont", name))
            if id(font) in checked:
                continue
            checked.add(id(font))
            if font.get("/Subtype") == "/Type3":
                continue  # its glyphs are drawn by procedures inside the file
            described = font["/DescendantFonts"][0].get_object() if font.get("/Subtype") == "/Type0" else font
            descriptor = (described.get("/FontDescriptor") or {})
            if not any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")) if descriptor else True:
                problems.append(f"font {base} is not embedded")
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get_object().get("/Subtype") == "/Image":
                images += 1
        current = None
        for operands, operator in operations:
            if operator == b"Tf":
                current = fonts.get(operands[0])
            elif operator == b"INLINE IMAGE":
                images += 1
            elif operator in (b"Tj", b"TJ", b"'", b'"') and current is not None:
                strings = operands[0] if operator == b"TJ" else operands[-1:]
                data = b"".join(bytes(x.original_bytes if hasattr(x, "original_bytes") else x)
                                for x in strings if isinstance(x, (bytes, str)))
                if current.get("/Subtype") == "/Type0":
                    codes = [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2)]
                    zero = [c for c in codes if c == 0]
                elif current.get("/Subtype") == "/Type3":
                    names = _type3_names(current)
                    zero = [c for c in data if names.get(c) == "/g0"]
                else:
                    zero = []
                if zero:
                    base = str(current.get("/BaseFont", "Type 3 font"))
                    notdef[base] = notdef.get(base, 0) + len(zero)
    problems += [f"{count} missing glyph(s) (.notdef) drawn with {base}" for base, count in sorted(notdef.items())]
    if images > pictures_allowed:
        problems.append(f"{images} raster images where the SVG figures carry {pictures_allowed}: figures should be vector")
    return problems


def _type3_names(font):
    names, code = {}, 0
    for item in font.get("/Encoding", {}).get("/Differences", []):
        if isinstance(item, int):
            code = item
        else:
            names[code] = str(item)
            code += 1
    return names


def make_pdf(out=ROOT / "xiashan.pdf", site=None):
    """Build (unless ``site`` is given), assemble the print page, print it twice, fix the metadata."""
    if not CHROMIUM.is_file():
        raise RuntimeError(f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="xiashan-pdf-") as scratch:
        scratch = Path(scratch)
        built = Path(site) if site else build(scratch / "built")
        copy = scratch / "site"
        shutil.copytree(built, copy)  # the print page goes beside the pages; the build stays untouched
        fonts = scratch / "fonts"
        book_html = copy / "xiashan-print.html"
        contents = book_contents(copy)  # the same for every printing; only the page numbers change

        def print_until_settled(browser):
            numbers = None
            for attempt in range(3):
                book, toc = assemble_book(copy, fonts, numbers, contents)
                book_html.write_text(book, encoding="utf-8")
                raw = print_page("the book", book_html, scratch / f"raw-{attempt}.pdf", browser)
                found = _destination_pages(raw)
                wanted = {anchor: found.get(anchor) for anchor, _, _ in toc}
                missing = [a for a, n in wanted.items() if n is None]
                if missing:
                    raise RuntimeError(f"the PDF has no destination for {missing}")
                if wanted == numbers:
                    return book, raw
                numbers = wanted
            raise RuntimeError("the table of contents did not settle on its page numbers")

        book, raw = with_chromium(print_until_settled)  # one Chromium for every printing
        title = re.search(r"<title>(.*?)</title>", book)[1]
        problems = pdf_problems(raw, pictures_inside_svgs(copy, book))
        if problems:
            raise RuntimeError("the PDF is not right:\n  " + "\n  ".join(problems))
        return normalize_pdf(raw, out, html.unescape(title))


# ---------------------------------------------------------------- command line


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["offline", "pdf"])
    parser.add_argument("--site", help="use this finished build instead of building (offline: an OFFLINE=true build)")
    parser.add_argument("--out", help="where to write (default: site-offline.zip or xiashan.pdf in the project)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    if args.what == "offline":
        out = make_offline_zip(Path(args.out) if args.out else ROOT / "site-offline.zip", args.site)
        hint = f"unzip it anywhere and open {ZIP_FOLDER}/index.html"
    else:
        out = make_pdf(Path(args.out) if args.out else ROOT / "xiashan.pdf", args.site)
        hint = "every page of the book in reading order"
    size = out.stat().st_size / 1024 / 1024
    print(f"{out} ({size:.1f} MiB, {time.monotonic() - started:.0f} s): {hint}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
