"""Taking the book anywhere: the Pages workflow, the copy that reads from disk, the PDF.

Fast checks run everywhere: actionlint passes the workflow (and fails a broken one), every
action is pinned to a commit, permissions are least-privilege; the link check, the zip writer,
the PDF metadata rewrite and the renumbering of its structure ids each against a small case
and a control.

The ``browser`` tests need Debian's Chromium: the offline zip (two builds give the same
bytes; unzipped and opened from ``file://``, pages, figures, formulas, notebook pages and
Chinese search work and nothing is asked of any other host) and the PDF (two runs give the
same bytes, the second by the command line in its own process, side by side with the first;
every page's h1 in the text layer, page numbers, fonts embedded, no missing glyphs, figures
as vectors, all read from one pypdf reading), with controls for the missing-glyph and raster
checks.
"""

import hashlib
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

import publish
from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
ACTIONLINT = Path(sys.executable).parent / "actionlint"
CHROMIUM = publish.CHROMIUM
OFFICIAL = {"actions/checkout", "actions/setup-python", "actions/configure-pages",
            "actions/upload-pages-artifact", "actions/deploy-pages", "actions/cache"}


# ---------------------------------------------------------------- the workflow


def actionlint(path):
    # shellcheck and pyflakes are optional helpers of actionlint: off, so the result is the same on every machine.
    return subprocess.run([str(ACTIONLINT), "-no-color", "-shellcheck=", "-pyflakes=", str(path)],
                          capture_output=True, text=True)


def test_actionlint_passes_the_workflow():
    result = actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_fails_a_broken_workflow(tmp_path):
    """The control: an unknown permission, a job that needs a missing job, and a bad expression are caught."""
    broken = WORKFLOW.read_text(encoding="utf-8")
    broken = broken.replace("id-token: write", "id-tokens: write")
    broken = broken.replace("needs: build", "needs: biuld")
    broken = broken.replace("${{ steps.deployment.outputs.page_url }}", "${{ steps.deployment.outputs.page_url")
    path = tmp_path / "publish.yml"
    path.write_text(broken, encoding="utf-8")
    result = actionlint(path)
    assert result.returncode != 0
    for expected in ['"id-tokens"', '"biuld"', "page_url"]:
        assert expected in result.stdout, result.stdout


def workflow():
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_every_action_is_official_and_pinned_to_a_commit():
    uses = re.findall(r"^\s*(?:- )?uses: (\S+)(.*)$", WORKFLOW.read_text(encoding="utf-8"), re.M)
    assert uses
    for action, comment in uses:
        name, _, ref = action.partition("@")
        assert name in OFFICIAL, f"{action}: not one of the official actions"
        assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{action}: not pinned to a full commit SHA"
        assert re.fullmatch(r"\s*# v\d+(\.\d+)*", comment), f"{action}: no '# vX.Y.Z' comment naming the release"
    assert {a.partition("@")[0] for a, _ in uses} == OFFICIAL


def test_least_privilege_permissions():
    flow = workflow()
    assert flow["permissions"] == {"contents": "read"}
    granted = {name: job.get("permissions") for name, job in flow["jobs"].items()}
    assert granted.pop("deploy") == {"pages": "write", "id-token": "write"}
    assert all(p is None for p in granted.values()), f"only the deploy job may widen permissions: {granted}"


def test_workflow_tests_builds_and_deploys_on_push_to_main():
    flow = workflow()
    assert flow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key "on" as True
    jobs = flow["jobs"]
    run = lambda job: "\n".join(step.get("run", "") for step in jobs[job]["steps"])  # noqa: E731
    assert "python3 dev.py test" in run("test")
    assert "chromium" in run("test") and jobs["test"]["container"].startswith("debian:")
    assert "python3 dev.py build" in run("build")
    assert jobs["build"]["needs"] == "test" and jobs["deploy"]["needs"] == "build"
    upload = next(s for s in jobs["build"]["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "site"
    cached = "\n".join(str(s.get("with", {}).get("path", "")) for j in jobs.values() for s in j["steps"])
    assert "~/.cache/pip" in cached and ".cache" in cached
    assert any(s.get("with", {}).get("cache") == "pip" for s in jobs["build"]["steps"])


# ---------------------------------------------------------------- offline copy: small cases


def test_vendored_polyfill_is_the_recorded_file():
    recorded = re.search(r"`shim.js` sha256: `([0-9a-f]{64})`", (publish.SHIM.parent / "README.md").read_text())
    assert recorded and hashlib.sha256(publish.SHIM.read_bytes()).hexdigest() == recorded[1]
    assert "MIT" in (publish.SHIM.parent / "README.md").read_text() and (publish.SHIM.parent / "LICENSE").is_file()


def small_site(folder, page):
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "page.html").write_text("<p>x</p>", encoding="utf-8")
    (folder / "a.png").write_bytes(b"png")
    (folder / "index.html").write_text(page, encoding="utf-8")
    return folder


def test_link_check_passes_links_to_files(tmp_path):
    site = small_site(tmp_path, '<a href="sub/page.html#x">p</a><img src="a.png"><a href="#top">t</a>'
                                '<a href="https://example.com/">elsewhere</a><img src="data:image/png;base64,AA==">')
    assert publish.check_offline_links(site) == []


def test_link_check_fails_folder_links_missing_files_and_other_hosts(tmp_path):
    """The control: each of these would break the copy read from disk."""
    site = small_site(tmp_path, '<a href="sub/">folder</a><a href="sub">folder</a><img src="b.png">'
                                '<script src="https://cdn.example.com/x.js"></script><link href="/abs.css">')
    problems = "\n".join(publish.check_offline_links(site))
    assert problems.count("is a folder") == 2
    for expected in ["b.png does not exist", "cdn.example.com/x.js from another host", "/abs.css is absolute"]:
        assert expected in problems


def test_zip_is_byte_reproducible_with_fixed_times_and_sorted_entries(tmp_path, monkeypatch):
    site = small_site(tmp_path / "site", "<p>首页</p>")
    (site / "sitemap.xml").write_text("<urlset/>")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = publish.write_zip(site, tmp_path / "1.zip")
    (site / "a.png").touch()  # a new mtime must not matter
    second = publish.write_zip(site, tmp_path / "2.zip")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        assert names == sorted(names) == ["xiashan/a.png", "xiashan/index.html", "xiashan/sub/page.html"]
        assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # control: the epoch does reach the zip
    assert publish.write_zip(site, tmp_path / "3.zip").read_bytes() != first.read_bytes()


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
    outs = [publish.normalize_pdf(raw, tmp_path / f"out{n}.pdf", "下山之路") for n, raw in enumerate(raws)]
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
    outs = [publish.normalize_pdf(raw, tmp_path / f"out{n}.pdf", "下山之路") for n, raw in enumerate(raws)]
    assert outs[0].read_bytes() == outs[1].read_bytes()
    root = PdfReader(outs[0]).trailer["/Root"]["/StructTreeRoot"]
    tree = root["/IDTree"]
    assert [str(x) for x in tree["/Names"][::2]] == [str(x) for x in tree["/Limits"]] == ["node00000001", "node00000002"]
    assert str(tree["/Names"][1].get_object()["/ID"]) == "node00000001"
    assert str(root["/K"][2].get_object()["/A"][0]["/Headers"][0]) == "node00000001"
    # control: a data cell that names the other header cell is a different document
    other = publish.normalize_pdf(tagged_pdf(tmp_path / "raw2.pdf", 153, headers_of_second=1), tmp_path / "out2.pdf", "下山之路")
    assert other.read_bytes() != outs[0].read_bytes()


# ---------------------------------------------------------------- with Chromium

needs_chromium = pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"Chromium not found at {CHROMIUM}: skipped")
browser_test = [pytest.mark.browser, needs_chromium]


@pytest.fixture(scope="module")
def offline_zip(clean_build, tmp_path_factory):
    """The offline copy, built with what the session's clean build computed (its cache)."""
    folder = tmp_path_factory.mktemp("offline")
    return publish.make_offline_zip(folder / "site-offline.zip", cache_dir=clean_build.cache)


@pytest.fixture(scope="module")
def unzipped(offline_zip, tmp_path_factory):
    where = tmp_path_factory.mktemp("unzipped anywhere")  # a space in the path, as on many desktops
    with zipfile.ZipFile(offline_zip) as archive:
        archive.extractall(where)
    return where / publish.ZIP_FOLDER


@pytest.mark.browser
@needs_chromium
def test_offline_zip_is_byte_reproducible(offline_zip, clean_build, tmp_path):
    again = publish.make_offline_zip(tmp_path / "again.zip", cache_dir=clean_build.cache)
    assert again.read_bytes() == offline_zip.read_bytes()


@pytest.mark.browser
@needs_chromium
def test_offline_copy_has_every_page_as_a_file(unzipped):
    from test_browser import PAGES

    for url in PAGES:
        path = unzipped / ("index.html" if url == "" else url.rstrip("/") + ".html")
        assert path.is_file(), f"{url or '/'}: no {path.name} in the offline copy"
    assert publish.check_offline_links(unzipped) == []
    assert not (unzipped / "sitemap.xml").exists() and not (unzipped / "404.html").exists()


def open_from_disk(browser):
    """A page whose every request is recorded; anything but ``file:``/``data:`` is refused."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    record = {"requests": [], "refused": [], "errors": []}
    context.on("request", lambda r: record["requests"].append(r.url))

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            record["refused"].append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("console", lambda m: m.type == "error" and record["errors"].append(m.text))
    page.on("pageerror", lambda e: record["errors"].append(f"uncaught: {e}"))
    return context, page, record


READY = """async () => {
  for (const img of document.images) img.loading = "eager";
  const images = await Promise.all(Array.from(document.images).map(img => img.decode().then(() => true, () => false)));
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  await document.fonts.ready;
  const article = document.querySelector("article") || document.body;
  return {
    images: images.length, broken: Array.from(document.images).filter(i => !i.naturalWidth).map(i => i.src),
    math: article.querySelectorAll("mjx-container, math").length,
    mathErrors: article.querySelectorAll("mjx-merror, merror").length,
    rawTex: (article.innerText.match(/\\\\\\(|\\\\\\[|\\$\\$/g) || []).length,
    h1: (article.querySelector("h1") || {}).textContent || "",
  };
}"""


def search(page, query):
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.dispatch_event("keyup")
    page.locator(".md-search-result__meta").filter(has_text=re.compile(r"\d|没有")).wait_for()
    return page.locator(".md-search-result__item > a.md-search-result__link").evaluate_all(
        "links => links.map(a => a.href)")


@pytest.mark.browser
@needs_chromium
def test_offline_copy_works_from_disk(unzipped, tmp_path_factory):
    """Open index.html from file://, follow the navigation, read figures, formulas, a notebook, search."""
    shots = tmp_path_factory.mktemp("offline-screenshots")
    record = publish.with_chromium(lambda browser: read_from_disk(browser, unzipped, shots))
    print(f"\noffline screenshots in {shots}")
    assert record["errors"] == []
    assert record["refused"] == []
    assert [u for u in record["requests"] if not u.startswith(("file:", "data:"))] == []
    assert len(record["requests"]) > 20


def read_from_disk(browser, unzipped, shots):
    context, page, record = open_from_disk(browser)
    try:
        page.goto((unzipped / "index.html").as_uri(), wait_until="load")
        page.locator("nav.md-nav--primary label.md-nav__link", has_text="完整的数学推导").first.click()
        page.locator("nav.md-nav--primary a.md-nav__link[href='derivation.html']").first.click()
        page.wait_for_load_state("load")
        assert page.url == (unzipped / "derivation.html").as_uri()
        seen = page.evaluate(READY)
        assert seen["math"] > 10 and seen["mathErrors"] == 0 and seen["rawTex"] == 0, seen
        page.screenshot(path=shots / "derivation.png", full_page=False)

        page.locator("a.md-footer__link--next").click()  # the next page, by the footer link
        page.wait_for_load_state("load")
        assert page.url == (unzipped / "gradient-check.html").as_uri()

        page.goto((unzipped / "backprop.html").as_uri(), wait_until="load")
        seen = page.evaluate(READY)
        assert seen["images"] > 0 and seen["broken"] == [], seen

        page.goto((unzipped / "notebooks" / "predict.html").as_uri(), wait_until="load")
        seen = page.evaluate(READY)
        assert seen["h1"].startswith("动手试一试") and seen["images"] > 0 and seen["broken"] == [], seen
        download = page.locator("a[href$='.ipynb']").first.get_attribute("href")
        assert (unzipped / "notebooks" / download).is_file()

        for query, expected in [("梯度", "gradient-descent.html"), ("反向传播", "backprop.html")]:
            found = search(page, query)
            assert any(expected in url for url in found), f"searching {query} found {found}"
            assert all(url.startswith(unzipped.as_uri()) for url in found)
            page.keyboard.press("Escape")
        page.screenshot(path=shots / "search.png")
    finally:
        context.close()
    return record


# ---------------------------------------------------------------- the PDF


@pytest.fixture(scope="module")
def pdf_runs(built_site, tmp_path_factory):
    """The PDF of the built site made twice, side by side: here, and by the command line in a
    process of its own (a Chromium, a scratch folder and a font subset of its own).

    Yields ``(the PDF made here, the running command, where it writes)``.
    """
    folder = tmp_path_factory.mktemp("pdf")
    again = folder / "again.pdf"
    command = subprocess.Popen([sys.executable, str(ROOT / "publish.py"), "pdf", "--site", str(built_site),
                                "--out", str(again)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        yield publish.make_pdf(folder / "xiashan.pdf", site=built_site), command, again
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

    publish._quiet_pypdf()
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

    sections = publish.nav_pages(built_site)
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
    book = "".join((built_site / p).read_text(encoding="utf-8") for _, ps in publish.nav_pages(built_site) for p in ps)
    book = re.sub(r'src="(?:\.\./)+', 'src="', book)
    assert publish.pdf_problems(pdf_reader, publish.pictures_inside_svgs(built_site, book)) == []
    fonts, drawn = {}, set()  # embedded font programs by name; names of the fonts Type 3 glyphs were drawn from
    for resources, _ in publish._walk_pdf(pdf_reader, operations=False):
        for font in publish._fonts(resources).values():
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
def test_pdf_is_byte_reproducible(pdf_runs):
    """A second run, end to end in another process, gives the same bytes (last of the PDF
    tests, so that the other tests read the PDF while that run finishes)."""
    pdf, command, again = pdf_runs
    out, err = command.communicate()
    assert command.returncode == 0, out + err
    assert again.read_bytes() == pdf.read_bytes()


def print_tiny(tmp_path, body):
    page = tmp_path / "tiny.html"
    page.write_text(f'<!doctype html><meta charset="utf-8"><body style="font: 20px sans-serif">{body}</body>',
                    encoding="utf-8")
    return publish.print_page("a tiny page", page, tmp_path / "tiny.pdf")


@pytest.mark.browser
@needs_chromium
def test_missing_glyph_check_control(tmp_path):
    """A character no font has is drawn as .notdef, and the check says so; plain text passes."""
    assert publish.pdf_problems(print_tiny(tmp_path, "gradient 0.5")) == []
    problems = publish.pdf_problems(print_tiny(tmp_path, "gradient \U0010fffd"))
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
    assert publish.pdf_problems(print_tiny(tmp_path, f'<img src="data:image/svg+xml;base64,{svg}">')) == []
    problems = publish.pdf_problems(
        print_tiny(tmp_path, f'<img src="data:image/png;base64,{base64.b64encode(png.getvalue()).decode()}">'))
    assert any("raster" in p for p in problems), problems
