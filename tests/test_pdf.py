"""The book as one PDF (``sitebuild/pdf.py``), and the checks it must pass.

Fast checks: the PDF's metadata and the ids of its structure tree are rewritten the same way
every time, each against a small case and a control.

The ``browser`` tests need Debian's Chromium. The PDF of a ``PRINT_SITE=true`` build (its own
build, from the session's clean-build cache) is made twice, here and by the command line in
another process, side by side, and must be the same bytes; read once by pypdf, it holds every
page's h1 in the order of the navigation, numbered pages, a table of contents, solutions, code
and outputs, embedded fonts only (one of each, from the print page's pinned packages), no
missing glyph, and figures as vectors (``pdf_problems``, with controls for the missing-glyph
and raster checks).
"""

import posixpath
import re
import subprocess
import sys
import warnings
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT, open_page
from sitebuild.__main__ import strict_build
from sitebuild.archive import source_date_epoch
from sitebuild.pdf import (CHROMIUM, PRINT_DEADLINE, PRINT_PAGE, _WAIT_FOR_PAGE, again_if_stopped, make_pdf, normalize_pdf,
                           quiet_pypdf, with_chromium)

needs_chromium = pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"Chromium not found at {CHROMIUM}: skipped")


# ---------------------------------------------------------------- what a right PDF is


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


def walk_pdf(reader, operations=True):
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


def fonts_of(resources):
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

    quiet_pypdf()
    reader = pdf if isinstance(pdf, PdfReader) else PdfReader(str(pdf))
    problems, notdef, images, checked = [], {}, 0, set()
    for resources, operations in walk_pdf(reader):
        fonts = fonts_of(resources)
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
                    names = type3_names(current)
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


def type3_names(font):
    names, code = {}, 0
    for item in font.get("/Encoding", {}).get("/Differences", []):
        if isinstance(item, int):
            code = item
        else:
            names[code] = str(item)
            code += 1
    return names




# ---------------------------------------------------------------- small cases


def test_pdf_metadata_is_rewritten_the_same_every_time(tmp_path, monkeypatch):
    """Two PDFs that differ only in their dates and random ids come out the same."""
    from pypdf import PdfReader, PdfWriter

    raws = []
    for n in range(2):
        writer = PdfWriter()
        writer.add_blank_page(595, 842)
        writer.add_metadata({"/CreationDate": f"D:2026010{n + 1}000000Z", "/Producer": f"run {n}"})
        raws.append(tmp_path / f"raw{n}.pdf")
        writer.write(raws[-1])
    assert raws[0].read_bytes() != raws[1].read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    outs = [normalize_pdf(raw, tmp_path / f"out{n}.pdf", "下山之路", source_date_epoch()) for n, raw in enumerate(raws)]
    assert outs[0].read_bytes() == outs[1].read_bytes()
    meta = PdfReader(outs[0]).metadata
    assert meta.title == "下山之路" and meta["/CreationDate"] == "D:20231114221320Z"


def tagged_pdf(path, first_id, headers_of_second=0):
    """A page with a structure tree as Chromium writes it: two header cells named ``node<n>``
    from ``first_id`` on, in the sorted ``/IDTree``, and a data cell whose ``/Headers`` names one."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    names = [TextStringObject(f"node{first_id + n:08d}") for n in range(2)]
    cells = [writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/StructElem"),
                                                  NameObject("/S"): NameObject("/TH"), NameObject("/ID"): name}))
             for name in names]
    data = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/StructElem"), NameObject("/S"): NameObject("/TD"),
        NameObject("/A"): ArrayObject([DictionaryObject({NameObject("/O"): NameObject("/Table"),
                                                         NameObject("/Headers"): ArrayObject([names[headers_of_second]])})])}))
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([x for pair in zip(names, cells) for x in pair]),
                             NameObject("/Limits"): ArrayObject(names)})
    writer._root_object[NameObject("/StructTreeRoot")] = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/StructTreeRoot"), NameObject("/K"): ArrayObject([*cells, data]),
        NameObject("/IDTree"): tree, NameObject("/ParentTreeNextKey"): NumberObject(0)}))
    writer.write(path)
    return path


def test_pdf_structure_ids_are_renumbered_the_same_every_time(tmp_path, monkeypatch):
    """Chromium's structure ids start wherever its node counter stands; they come out 1, 2, ..."""
    from pypdf import PdfReader

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    raws = [tagged_pdf(tmp_path / f"raw{n}.pdf", first) for n, first in enumerate([153, 161])]
    assert raws[0].read_bytes() != raws[1].read_bytes()
    outs = [normalize_pdf(raw, tmp_path / f"out{n}.pdf", "下山之路", source_date_epoch()) for n, raw in enumerate(raws)]
    assert outs[0].read_bytes() == outs[1].read_bytes()
    root = PdfReader(outs[0]).trailer["/Root"]["/StructTreeRoot"]
    tree = root["/IDTree"]
    assert [str(x) for x in tree["/Names"][::2]] == [str(x) for x in tree["/Limits"]] == ["node00000001", "node00000002"]
    assert str(tree["/Names"][1].get_object()["/ID"]) == "node00000001"
    assert str(root["/K"][2].get_object()["/A"][0]["/Headers"][0]) == "node00000001"
    # control: a data cell that names the other header cell is a different document
    other = normalize_pdf(tagged_pdf(tmp_path / "raw2.pdf", 153, headers_of_second=1), tmp_path / "out2.pdf", "下山之路",
                          source_date_epoch())
    assert other.read_bytes() != outs[0].read_bytes()


def test_a_print_stopped_at_the_deadline_is_tried_once_more_and_said():
    """``again_if_stopped``: a job stopped at the deadline runs once more, and the message says
    what was stopped; stopped twice, the second error reaches the caller; any other error is
    not retried (a page that cannot load would fail again)."""
    said, calls = [], []

    def stopped_then_fine():
        calls.append(1)
        if len(calls) == 1:
            raise TimeoutError("Chromium did not finish in 300 s and was stopped")
        return "the PDF"

    assert again_if_stopped(stopped_then_fine, "printing the book", said.append) == "the PDF"
    assert len(calls) == 2
    assert said == ["printing the book: Chromium did not finish in 300 s and was stopped; trying once more"]

    calls.clear()

    def always_stopped():
        calls.append(1)
        raise TimeoutError(f"stop {len(calls)}")

    with pytest.raises(TimeoutError, match="stop 2"):
        again_if_stopped(always_stopped, "printing the book", said.append)
    assert len(calls) == 2

    calls.clear()

    def broken():
        calls.append(1)
        raise RuntimeError("images that did not load: missing.svg")

    with pytest.raises(RuntimeError, match="missing.svg"):
        again_if_stopped(broken, "printing the book", said.append)
    assert len(calls) == 1


# ---------------------------------------------------------------- the book


@pytest.fixture(scope="module")
def print_site(clean_build, tmp_path_factory):
    """A build for the PDF, from the session's clean-build cache. It needs its own build: the print
    page exists only where PRINT_SITE=true turns print-site on, which adds its script to every page."""
    return strict_build(ROOT, tmp_path_factory.mktemp("print") / "site", cache_dir=clean_build.cache, PRINT_SITE="true")


@pytest.fixture(scope="module")
def pdf_runs(print_site, tmp_path_factory):
    """The PDF of the print build made twice, side by side: here, and by the command line in a
    process of its own (a Chromium, a scratch folder and a font subset of its own).

    Yields ``(the PDF made here, the running command, where it writes)``.
    """
    folder = tmp_path_factory.mktemp("pdf")
    again = folder / "again.pdf"
    command = subprocess.Popen([sys.executable, "-m", "sitebuild", "pdf", "--site", str(print_site), "--out", str(again)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        yield make_pdf(print_site, folder / "xiashan.pdf", source_date_epoch(ROOT)), command, again
    finally:
        if command.returncode is None:  # not waited for by the test
            command.kill()
            command.communicate()


@pytest.fixture(scope="module")
def pdf(pdf_runs):
    return pdf_runs[0]


@pytest.fixture(scope="module")
def pdf_reader(pdf):
    """The PDF, read once by pypdf for every test that looks inside it."""
    from pypdf import PdfReader

    quiet_pypdf()
    return PdfReader(pdf)


@pytest.fixture(scope="module")
def pdf_text(pdf_reader):
    return [page.extract_text() for page in pdf_reader.pages]


def squash(text):
    return re.sub(r"\s+", "", text)


@pytest.mark.browser
@needs_chromium
def test_pdf_has_every_page_in_reading_order(pdf_text, built_site):
    from bs4 import BeautifulSoup

    sections = nav_pages(built_site)
    order = [p for _, paths in sections for p in paths]
    chapter_label = {paths[0]: squash(title) for title, paths in sections if title}
    assert len(order) >= 10
    assert len(order) + 2 <= len(pdf_text) <= 400, f"{len(pdf_text)} pages for {len(order)} site pages"
    squashed = [squash(t) for t in pdf_text]
    where = []
    for path in order:
        h1 = BeautifulSoup((built_site / path).read_text(encoding="utf-8"), "html.parser").select_one("article h1")
        title = squash(h1.get_text().replace("¶", ""))
        # each page of the site starts a page of the PDF: its h1 comes first, after the page
        # number and, on a chapter's first page, the chapter's name (a page whose first
        # heading merely mentions the title, such as 和梯度下降比一比, does not count)
        pages = [n for n, text in enumerate(squashed[2:], 3)
                 if text.startswith(f"{n}{chapter_label.get(path, '')}{title}")]
        assert pages, f"{path}: its h1 {title!r} does not head a page of the PDF"
        where.append(pages[0])
    assert where == sorted(where), "the pages are not in the order of the navigation"
    toc = squashed[1]
    assert "目录" in toc and all(squash(t) in toc for t in ["预测、比较和学习", "完整的数学推导"])


@pytest.mark.browser
@needs_chromium
def test_pdf_pages_are_numbered(pdf_text):
    unnumbered = [n for n, text in enumerate(pdf_text, 1) if n > 1 and not re.match(rf"\s*{n}\s*\n", text)]
    assert unnumbered == []


@pytest.mark.browser
@needs_chromium
def test_pdf_holds_solutions_code_outputs_and_notebooks(pdf_text, built_site):
    text = squash("".join(pdf_text))
    from bs4 import BeautifulSoup

    page = BeautifulSoup((built_site / "predict" / "index.html").read_text(encoding="utf-8"), "html.parser")
    solution = page.select_one("article details")
    assert solution is not None and squash(solution.get_text())[-40:] in text, "a solution inside <details> is missing"
    assert "defneural_network(input,weight):" in text
    assert "prediction=1.0" in text  # printed by the worked example at build time
    assert "fromsnippets.predictimport" in text  # a notebook cell (chapter pages hide their imports)


@pytest.mark.browser
@needs_chromium
def test_pdf_fonts_embedded_no_missing_glyphs_vector_figures(pdf_reader, built_site):
    book = "".join((built_site / p).read_text(encoding="utf-8") for _, ps in nav_pages(built_site) for p in ps)
    book = re.sub(r'src="(?:\.\./)+', 'src="', book)
    assert pdf_problems(pdf_reader, pictures_inside_svgs(built_site, book)) == []
    fonts, drawn = {}, set()  # embedded font programs by name; names of the fonts Type 3 glyphs were drawn from
    for resources, _ in walk_pdf(pdf_reader, operations=False):
        for font in fonts_of(resources).values():
            if font.get("/Subtype") == "/Type3":
                drawn.add(str(font["/FontDescriptor"].get_object()["/FontName"]))
            else:
                described = font["/DescendantFonts"][0].get_object() if font.get("/Subtype") == "/Type0" else font
                fonts.setdefault(str(font["/BaseFont"]), set()).add(described.raw_get("/FontDescriptor").idnum)
    assert any("NotoSansCJK" in name for name in fonts), f"no CJK font embedded: {sorted(fonts)}"
    # Only the fonts the print page brings: one of each (a second DejaVuSansMono, or Type 3
    # glyphs of a font not embedded, came from the machine's fonts), STIX for the formulas.
    plain = sorted(name.split("+", 1)[-1] for name, ids in fonts.items() for _ in ids)
    assert len(plain) == len(set(plain)), f"a font taken from the machine as well: {sorted(fonts)}"
    assert {"STIXTwoMath", "NotoSansCJKsc-Regular", "DejaVuSans", "DejaVuSansMono"} <= set(plain), plain
    assert {name.lstrip("/") for name in drawn} <= {name.lstrip("/") for name in fonts}, sorted(drawn)


@pytest.mark.browser
@needs_chromium
def test_pdf_shows_the_stepper_s_static_figure(print_site, pdf_text):
    """The print page, opened from disk as make_pdf opens it, loads no JavaScript module: the backprop stepper's
    place shows its figure of the first step, and the PDF has the sentence under it. The control: the same check
    fails once the figure is hidden."""
    from test_offline import static_figure_problems

    def work(browser):
        context, page, _ = open_page(browser, "file:")
        try:
            page.emulate_media(media="print")
            page.goto((print_site / PRINT_PAGE).as_uri(), wait_until="load")
            problems = static_figure_problems(page)
            page.evaluate("""() => document.head.insertAdjacentHTML('beforeend',
              '<style>[data-explorer="stepper"] img { display: none !important }</style>')""")
            return problems, static_figure_problems(page)
        finally:
            context.close()

    problems, control = with_chromium(work)
    assert problems == []
    assert any("is not shown" in problem for problem in control)
    assert "第1轮第一步（行i=0）的数" in squash("".join(pdf_text))


@pytest.mark.browser
@needs_chromium
def test_pdf_is_byte_reproducible(pdf_runs):
    """A second run, end to end in another process, gives the same bytes (last of the PDF
    tests, so that the other tests read the PDF while that run finishes)."""
    pdf, command, again = pdf_runs
    limit = 2 * PRINT_DEADLINE + 300  # the command stops its Chromium at the deadline and tries once more
    try:
        out, err = command.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        command.kill()
        out, err = command.communicate()
        pytest.fail(f"python -m sitebuild pdf did not finish in {limit} s:\n{out}{err}")
    assert command.returncode == 0, out + err
    if "trying once more" in err:  # passed on a second Chromium: shown in the run's warnings
        warnings.warn(f"python -m sitebuild pdf: {err.strip()}")
    assert again.read_bytes() == pdf.read_bytes()


def print_tiny(tmp_path, body):
    """A one-page PDF of ``body``, printed by Chromium as the book is."""
    page = tmp_path / "tiny.html"
    page.write_text(f'<!doctype html><meta charset="utf-8"><body style="font: 20px sans-serif">{body}</body>',
                    encoding="utf-8")

    def work(browser):
        tab = browser.new_page()
        tab.goto(page.as_uri(), wait_until="load")
        tab.pdf(path=str(tmp_path / "tiny.pdf"), print_background=True, tagged=True)
        tab.close()
        return tmp_path / "tiny.pdf"

    return with_chromium(work)


@pytest.mark.browser
@needs_chromium
def test_missing_glyph_check_control(tmp_path):
    """A character no font has is drawn as .notdef, and the check says so; plain text passes."""
    assert pdf_problems(print_tiny(tmp_path, "gradient 0.5")) == []
    problems = pdf_problems(print_tiny(tmp_path, "gradient \U0010fffd"))
    assert any("missing glyph" in p for p in problems), problems


@pytest.mark.browser
@needs_chromium
def test_raster_check_control(tmp_path):
    """A PNG in the page is a raster image in the PDF, and the check says so; an SVG is not."""
    import base64
    import io

    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(png, format="PNG")
    svg = base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8">'
                           b'<rect width="8" height="8" fill="red"/></svg>').decode()
    assert pdf_problems(print_tiny(tmp_path, f'<img src="data:image/svg+xml;base64,{svg}">')) == []
    problems = pdf_problems(
        print_tiny(tmp_path, f'<img src="data:image/png;base64,{base64.b64encode(png.getvalue()).decode()}">'))
    assert any("raster" in p for p in problems), problems


@pytest.mark.browser
@needs_chromium
def test_a_chromium_that_never_answers_is_stopped_at_the_deadline():
    """playwright gives ``evaluate`` (and ``pdf``) no time limit: a promise that never settles
    would hold the PDF for good. ``with_chromium`` kills the driver and its Chromium at the
    deadline, the waiting call fails, and no process of theirs is left."""
    import psutil

    me = psutil.Process()
    before = {child.pid for child in me.children(recursive=True)}

    def hang(browser):
        browser.new_page().evaluate("() => new Promise(() => {})")

    with pytest.raises(TimeoutError, match=r"did not finish in 3 s and was stopped \(.*Page\.evaluate"):
        with_chromium(hang, deadline=3)

    def left_running(child):
        """A new process still alive that is not Python (the session's clean builds, started
        earlier, may start notebook kernels meanwhile; those are theirs, not Chromium's)."""
        try:
            return (child.pid not in before and child.status() != psutil.STATUS_ZOMBIE
                    and not child.name().startswith("python"))
        except psutil.NoSuchProcess:
            return False

    left = [child for child in me.children(recursive=True) if left_running(child)]
    assert left == [], [child.name() for child in left]


@pytest.mark.browser
@needs_chromium
def test_the_wait_before_printing_names_an_image_that_never_arrives_or_does_not_load(tmp_path):
    """The print waits for every image, each wait with a time limit: an image whose request is
    never answered is named when the limit runs out, a broken one at once; a page whose images
    all load passes (the control)."""
    good = 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSI4IiBoZWlnaHQ9IjgiLz4='
    pages = {name: tmp_path / f"{name}.html" for name in ("fine", "never", "broken")}
    pages["fine"].write_text(f'<!doctype html><img src="{good}" loading="lazy" style="margin-top:3000px">')
    pages["never"].write_text(f'<!doctype html><img src="{good}"><img src="never.svg">')
    pages["broken"].write_text(f'<!doctype html><img src="{good}"><img src="missing.svg">')

    def wait(browser):
        page = browser.new_page()
        page.route("**/never.svg", lambda route: None)  # neither answered nor refused
        outcome = {}
        for name, path in pages.items():
            page.goto(path.as_uri(), wait_until="domcontentloaded")
            try:
                outcome[name] = page.evaluate(_WAIT_FOR_PAGE, 1)
            except Exception as error:  # playwright's Error: the message the page threw
                outcome[name] = str(error)
        page.close()
        return outcome

    outcome = with_chromium(wait, deadline=120)
    assert outcome["fine"] == []
    assert re.search(r"images still loading: file:///\S*never\.svg after 1 s", outcome["never"]), outcome["never"]
    assert re.search(r"images that did not load: file:///\S*missing\.svg", outcome["broken"]), outcome["broken"]
