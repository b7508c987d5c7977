"""The whole book as one PDF: mkdocs-print-site-plugin's print page, printed by Chromium.

    python3 dev.py pdf       # xiashan.pdf: every page in reading order, for print or a reader

How it works
------------
* A build with ``PRINT_SITE=true`` turns on mkdocs-print-site-plugin (see ``mkdocs.yml``),
  which writes ``print_page/index.html`` in the theme's template: a cover
  (``overrides/print-cover.html``), a table of contents, then every page of the navigation in
  order, chapters as sections, heading ids prefixed by their page, links between pages turned
  into links inside the print page, image paths made relative to it. print-site writes that
  page after every other page's ``on_post_page``, so the plugin (``plugin.py``) gives it
  what that event gives every page: typeset formulas and figure sizes.
* What print-site does not do, ``make_pdf`` does, in one page of a headless Chromium
  (Debian's ``/usr/bin/chromium``, driven by playwright) that refuses every request off the
  disk: it opens the solutions (``<details>``); it sets the text in fonts from pinned PyPI
  packages (``PRINT_CSS`` with ``@font-face`` rules: Noto Sans CJK SC from
  ``noto-cjk-sans-otc`` cut to the book's characters, DejaVu from matplotlib; formulas keep
  the site's STIX Two Math, and what it lacks falls back to those fonts rather than to the
  machine's), so the PDF does not depend on the fonts of the machine; it numbers the pages
  (CSS page-margin boxes) and puts page numbers into the table of contents. Which page a part
  starts on only the printed PDF knows (Chromium has no ``target-counter()``): the book is
  printed, each part's page read back from the PDF's named destinations, the numbers filled
  in, and printed again until they settle. Bookmarks come from the headings (``outline``).
* Chromium stamps each PDF with the time and a random document id, and names the elements
  of its structure tree after DOM node ids, whose counter stands somewhere different each
  time the page is printed; ``normalize_pdf`` rewrites the metadata with pypdf (dates from
  ``SOURCE_DATE_EPOCH``, an id that is a hash of the content) and numbers the structure ids
  from 1 in their order, so two runs give the same bytes. ``tests/test_pdf.py`` checks the
  result: pages in order, numbered, solutions, code and outputs, fonts embedded, no missing
  glyph, vector figures.
* playwright puts no time limit on printing or on a script that waits for the page, and a
  Chromium can stop answering. Each wait in the page (images, fonts, animation frames) has a
  limit of ``WAIT_SECONDS`` and names what it still waited for; ``with_chromium`` kills the
  Chromium that has not finished after ``PRINT_DEADLINE`` seconds, and the book is printed
  once more with a new one (``again_if_stopped``, which says so). The command fails with a
  message instead of hanging.
"""

import hashlib
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PRINT_PAGE = "print_page/index.html"  # where print-site writes its page (print_page_basename in mkdocs.yml)


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


def font_faces(fonts_dir, text):
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
.md-header, .md-tabs, .md-sidebar, .md-footer, .md-banner, .md-dialog, .md-top { display: none !important; }
.md-main__inner, .md-content, .md-content__inner { margin: 0 !important; padding: 0 !important; max-width: none !important; }
.md-content__inner::before { display: none !important; }
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
.headerlink, .anchor-link, .md-clipboard, .md-code__nav, .md-source-file, .md-content__button,
clipboard-copy { display: none !important; }
/* print-site's page: the cover, its table of contents, a page break before each page of the site;
   a chapter's name stands over its first page, as a label */
#print-site-cover-page { height: 230mm; display: flex; flex-direction: column; justify-content: center; text-align: center; }
#print-site-cover-page h1 { font-size: 36pt !important; margin-bottom: .4em !important; }
#print-site-cover-page p { font-size: 12pt; color: #444; margin: .3em 4em; }
#print-page-toc, section.print-page { break-before: page; }
section.print-page.md-section > section.print-page:first-of-type { break-before: avoid; }
section.print-page.md-section > h1 { color: #555; font-size: 10pt; font-weight: 400; margin: 0 0 .3em; }
#print-page-toc ul { list-style: none !important; margin: 0 !important; padding: 0; }
#print-page-toc li { margin: 0 !important; list-style: none !important; }
#print-page-toc nav nav { padding-left: 1.6em; }
#print-page-toc li:has(> nav) { margin-top: .8em !important; font-weight: 700; }
#print-page-toc li li { font-weight: 400; }
#print-page-toc .md-nav__link { display: flex; color: inherit !important; text-decoration: none !important; margin: 0; }
#print-page-toc .md-ellipsis { flex: 0 1 auto; }
#print-page-toc .xs-dots { flex: 1 1 auto; border-bottom: 1px dotted #999; margin: 0 .4em .35em; }
#print-page-toc .xs-page { flex: 0 0 auto; font-variant-numeric: tabular-nums; }
"""

# Every solution open; a dotted leader and a page number (placeholder: 00) after each entry of the table of contents.
PREPARE = """() => {
  for (const details of document.querySelectorAll("details")) details.open = true;
  for (const link of document.querySelectorAll('#print-page-toc a.md-nav__link[href^="#"]')) {
    link.insertAdjacentHTML("beforeend", '<span class="xs-dots"></span><span class="xs-page">00</span>');
  }
  return Array.from(document.querySelectorAll('#print-page-toc a.md-nav__link[href^="#"]'))
    .map(link => decodeURIComponent(link.getAttribute("href").slice(1)));
}"""

FILL_PAGE_NUMBERS = """(numbers) => {
  for (const link of document.querySelectorAll('#print-page-toc a.md-nav__link[href^="#"]')) {
    const number = numbers[decodeURIComponent(link.getAttribute("href").slice(1))];
    link.querySelector(".xs-page").textContent = String(number);
  }
}"""


# Everything the print needs, waited for with a time limit (``seconds``): playwright puts none on
# ``evaluate``, and a promise that never settles would hold the print for good. Each wait that
# runs out throws an error that names what it still waited for.
_WAIT_FOR_PAGE = """async (seconds) => {
  const within = (promise, what) => new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`${what()} after ${seconds} s`)), seconds * 1000);
    promise.then(value => { clearTimeout(timer); done(value); }, error => { clearTimeout(timer); fail(error); });
  });
  const images = Array.from(document.images);
  for (const img of images) img.loading = "eager";
  await within(Promise.all(images.filter(img => !img.complete).map(img => new Promise(done => {
    img.addEventListener("load", done, {once: true});
    img.addEventListener("error", done, {once: true});
  }))), () => "images still loading: " + images.filter(img => !img.complete).map(img => img.src.slice(0, 120)).join(", "));
  const broken = images.filter(img => img.getAttribute("src") && img.naturalWidth === 0).map(img => img.src.slice(0, 120));
  if (broken.length) throw new Error("images that did not load: " + broken.join(", "));
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await within(MathJax.startup.promise, () => "MathJax still typesetting");
  }
  const loading = () => "fonts still loading: " + Array.from(document.fonts).filter(f => f.status === "loading").map(f => f.family).join(", ");
  const settle = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  for (let round = 0; round < 2; round++) {  // a font that arrives can bring more text into view
    document.body.getBoundingClientRect();
    await within(document.fonts.ready, loading);
    await within(Promise.all(Array.from(document.fonts).map(f => f.status === "unloaded" ? null : f.loaded.catch(() => null))), loading);
    await within(settle(), () => "no animation frame");
  }
  return Array.from(document.fonts).filter(f => f.status === "error").map(f => f.family);
}"""
WAIT_SECONDS = 120  # for each of those waits
PRINT_DEADLINE = 300  # seconds for the whole of one ``with_chromium`` call (a print takes 20-50 s here)


def with_chromium(work, deadline=PRINT_DEADLINE):
    """``work(browser)`` with a headless Chromium, in a thread of its own; returns what it returns.

    playwright's sync API refuses to start where an event loop runs, as it does in a thread
    that already drives a browser (a test session may); a new thread has none.

    playwright puts no time limit on ``page.pdf`` or ``page.evaluate``, so a Chromium that
    stops answering would hold the caller for good. The thread is given ``deadline`` seconds:
    if it has not finished by then, the playwright driver it started and every process under
    it (the Chromium) are killed, which makes the call it waits on fail, and ``TimeoutError``
    says so. The driver is found as the child process that appeared when playwright started.
    """
    import threading

    import psutil

    me, outcome, driver = psutil.Process(), {}, []

    def run():
        from playwright.sync_api import sync_playwright

        try:  # the first error is the one the caller gets (closing a killed browser fails too)
            before = {child.pid for child in me.children()}
            with sync_playwright() as playwright:
                driver.extend(child for child in me.children() if child.pid not in before)
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
                try:
                    outcome["value"] = work(browser)
                except BaseException as error:
                    outcome["error"] = error
                finally:
                    browser.close()
        except BaseException as error:
            outcome.setdefault("error", error)

    thread = threading.Thread(target=run, name="chromium", daemon=True)
    thread.start()
    thread.join(deadline)
    if thread.is_alive():
        stop_process_trees(driver)
        thread.join(30)
        raise TimeoutError(f"Chromium did not finish in {deadline} s and was stopped"
                           f" ({outcome.get('error', 'no error from playwright')})")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def stop_process_trees(processes):
    """Kill each of ``processes`` (psutil) and everything under it; gone ones are skipped."""
    import psutil

    for process in processes:
        try:
            tree = [process, *process.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
        for each in tree:
            try:
                each.kill()
            except psutil.NoSuchProcess:
                pass


def quiet_pypdf():
    """pypdf warns about Chromium's trailer size (one off); the file reads fine."""
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)


def destination_pages(pdf):
    """``{named destination: 1-based page}`` of a PDF that Chromium printed.

    Chromium writes the ids that links point to as the catalog's ``/Dests`` dictionary (and a
    later version might use the ``/Names`` tree, which pypdf reads): both are read.
    """
    from pypdf import PdfReader

    quiet_pypdf()
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


def normalize_pdf(pdf, out, title, epoch):
    """Rewrite ``pdf`` into ``out`` with fixed metadata, structure ids and a content-derived id (same bytes each run)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ByteStringObject, NameObject, TextStringObject, ArrayObject

    quiet_pypdf()
    date = time.strftime("D:%Y%m%d%H%M%SZ", time.gmtime(epoch))
    reader = PdfReader(str(pdf))
    writer = PdfWriter(clone_from=reader)
    _renumber_node_ids(writer)
    if NameObject("/Metadata") in writer._root_object:
        del writer._root_object[NameObject("/Metadata")]  # XMP: Chromium's dates and random ids
    writer._info = None
    writer.add_metadata({
        "/Title": title, "/Creator": "sitebuild.pdf", "/Producer": "Chromium (Skia/PDF), pypdf",
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


def print_book(browser, book, scratch):
    """Print the print page ``book`` (module docstring) into ``scratch``; return ``(raw PDF, title)``."""
    page = browser.new_page()
    refused = []

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    try:
        page.emulate_media(media="print")  # lay out (and load fonts) for print before printing
        page.goto(Path(book).as_uri(), wait_until="load")
        anchors = page.evaluate(PREPARE)
        text = page.evaluate("() => document.body.innerText") + "0123456789"
        page.add_style_tag(content=f"{font_faces(Path(scratch) / 'fonts', text)}\n{PRINT_CSS}")
        failed_fonts = page.evaluate(_WAIT_FOR_PAGE, WAIT_SECONDS)
        if failed_fonts:
            raise RuntimeError(f"printing the book: fonts that did not load: {failed_fonts}")
        numbers = None
        for attempt in range(4):
            raw = Path(scratch) / f"raw-{attempt}.pdf"
            page.pdf(path=str(raw), prefer_css_page_size=True, print_background=True, outline=True, tagged=True)
            found = destination_pages(raw)
            wanted = {anchor: found.get(anchor) for anchor in anchors}
            missing = [a for a, n in wanted.items() if n is None]
            if missing:
                raise RuntimeError(f"the PDF has no destination for {missing}")
            if wanted == numbers:
                break
            numbers = wanted
            page.evaluate(FILL_PAGE_NUMBERS, numbers)
        else:
            raise RuntimeError("the table of contents did not settle on its page numbers")
        title = page.evaluate("() => document.querySelector('#print-site-cover-page h1').textContent.trim()")
    finally:
        page.context.close()
    if refused:
        raise RuntimeError(f"printing the book asked for other hosts: {refused}")
    return raw, title


def make_pdf(site, out, epoch):
    """The PDF of a build made with ``PRINT_SITE=true`` in ``site``, written to ``out``."""
    book = Path(site) / PRINT_PAGE
    if not book.is_file():
        raise RuntimeError(f"{book} does not exist: build with PRINT_SITE=true (python3 dev.py pdf does)")
    if not CHROMIUM.is_file():
        raise RuntimeError(f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)")

    def print_once():
        with tempfile.TemporaryDirectory(prefix="xiashan-pdf-") as scratch:
            raw, title = with_chromium(lambda browser: print_book(browser, book, scratch))
            return normalize_pdf(raw, out, title, epoch)

    return again_if_stopped(print_once, "printing the book")


def again_if_stopped(job, what, say=None):
    """``job()``; if its Chromium was stopped at the deadline (``TimeoutError`` from
    ``with_chromium``), says so and runs it once more, with a new Chromium. A second stop goes to
    the caller, and so does any other error at once (a wait in the page that ran out, a missing
    destination): those come from the page and would come again."""
    try:
        return job()
    except TimeoutError as error:
        (say or (lambda text: print(text, file=sys.stderr, flush=True)))(f"{what}: {error}; trying once more")
        return job()
