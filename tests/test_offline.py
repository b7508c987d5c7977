"""The copy that reads from disk (``sitebuild/offline.py``): its link check, its zip, and the copy itself.

Fast checks run everywhere: the vendored search-worker polyfill is the recorded file, the link
check and the zip writer each against a small case and a control.

The ``browser`` tests need Debian's Chromium: an offline build of the site (its own build:
``OFFLINE=true`` writes every page as ``page.html``, from the session's clean-build cache),
twice, gives the same zip; unzipped and opened from ``file://``, pages, figures, formulas,
notebook pages and Chinese search work and nothing is asked of any other host.
"""

import hashlib
import re
import zipfile

import pytest

from conftest import ROOT, open_page, search
from sitebuild.__main__ import strict_build
from sitebuild.archive import source_date_epoch
from sitebuild.offline import ZIP_FOLDER, check_offline_links, make_offline_zip
from sitebuild.pdf import CHROMIUM, with_chromium

SHIM = ROOT / "vendor" / "iframe-worker" / "shim.js"




def test_vendored_polyfill_is_the_recorded_file():
    recorded = re.search(r"`shim.js` sha256: `([0-9a-f]{64})`", (SHIM.parent / "README.md").read_text())
    assert recorded and hashlib.sha256(SHIM.read_bytes()).hexdigest() == recorded[1]
    assert "MIT" in (SHIM.parent / "README.md").read_text() and (SHIM.parent / "LICENSE").is_file()


def small_site(folder, page):
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "page.html").write_text("<p>x</p>", encoding="utf-8")
    (folder / "a.png").write_bytes(b"png")
    (folder / "index.html").write_text(page, encoding="utf-8")
    return folder


def test_link_check_passes_links_to_files(tmp_path):
    site = small_site(tmp_path, '<a href="sub/page.html#x">p</a><img src="a.png"><a href="#top">t</a>'
                                '<a href="https://example.com/">elsewhere</a><img src="data:image/png;base64,AA==">')
    assert check_offline_links(site) == []


def test_link_check_fails_folder_links_missing_files_and_other_hosts(tmp_path):
    """The control: each of these would break the copy read from disk."""
    site = small_site(tmp_path, '<a href="sub/">folder</a><a href="sub">folder</a><img src="b.png">'
                                '<script src="https://cdn.example.com/x.js"></script><link href="/abs.css">')
    problems = "\n".join(check_offline_links(site))
    assert problems.count("is a folder") == 2
    for expected in ["b.png does not exist", "cdn.example.com/x.js from another host", "/abs.css is absolute"]:
        assert expected in problems


def test_zip_is_byte_reproducible_with_fixed_times_and_sorted_entries(tmp_path, monkeypatch):
    site = small_site(tmp_path / "site", "<p>首页</p>")
    (site / "sitemap.xml").write_text("<urlset/>")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = make_offline_zip(site, tmp_path / "1.zip", source_date_epoch())
    (site / "a.png").touch()  # a new mtime must not matter
    second = make_offline_zip(site, tmp_path / "2.zip", source_date_epoch())
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        assert names == sorted(names) == ["xiashan/a.png", "xiashan/index.html", "xiashan/sub/page.html"]
        assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # control: the epoch does reach the zip
    assert make_offline_zip(site, tmp_path / "3.zip", source_date_epoch()).read_bytes() != first.read_bytes()


# ---------------------------------------------------------------- with Chromium

needs_chromium = pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"Chromium not found at {CHROMIUM}: skipped")


def offline_copy(clean_build, folder):
    """An offline build (it needs its own: OFFLINE=true writes page.html files), zipped."""
    site = strict_build(ROOT, folder / "site", cache_dir=clean_build.cache, OFFLINE="true")
    return make_offline_zip(site, folder / "site-offline.zip", source_date_epoch(ROOT))


@pytest.fixture(scope="module")
def offline_zip(clean_build, tmp_path_factory):
    """The offline copy, built with what the session's clean build computed (its cache)."""
    return offline_copy(clean_build, tmp_path_factory.mktemp("offline"))


@pytest.fixture(scope="module")
def unzipped(offline_zip, tmp_path_factory):
    where = tmp_path_factory.mktemp("unzipped anywhere")  # a space in the path, as on many desktops
    with zipfile.ZipFile(offline_zip) as archive:
        archive.extractall(where)
    return where / ZIP_FOLDER


@pytest.mark.browser
@needs_chromium
def test_offline_zip_is_byte_reproducible(offline_zip, clean_build, tmp_path):
    again = offline_copy(clean_build, tmp_path)
    assert again.read_bytes() == offline_zip.read_bytes()


@pytest.mark.browser
@needs_chromium
def test_offline_copy_has_every_page_as_a_file(unzipped):
    from test_browser import PAGES  # noqa: PLC0415 -- the pages the browser tests visit

    for url in PAGES:
        path = unzipped / ("index.html" if url == "" else url.rstrip("/") + ".html")
        assert path.is_file(), f"{url or '/'}: no {path.name} in the offline copy"
    assert check_offline_links(unzipped) == []
    assert not (unzipped / "sitemap.xml").exists() and not (unzipped / "404.html").exists()


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


@pytest.mark.browser
@needs_chromium
def test_offline_copy_works_from_disk(unzipped, screenshots):
    """Open index.html from file://, follow the navigation, read figures, formulas, a notebook, search."""
    shots = screenshots / "offline"
    shots.mkdir()
    record = with_chromium(lambda browser: read_from_disk(browser, unzipped, shots))
    assert record["console"] == []
    assert record["foreign"] == []
    assert [u for u in record["requests"] if not u.startswith(("file:", "data:"))] == []
    assert len(record["requests"]) > 20


def read_from_disk(browser, unzipped, shots):
    context, page, record = open_page(browser, "file:")
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
        download = page.locator("a[href$='.zip']").first.get_attribute("href")
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




STATIC_FIGURE = """async (name) => {
  const box = document.querySelector(`[data-explorer="${name}"]`);
  if (!box) return null;
  const shown = Array.from(box.querySelectorAll("img")).filter(img => img.getClientRects().length > 0);
  const images = await Promise.all(shown.map(img => {
    img.loading = "eager";
    return img.decode().then(() => true, () => false)
      .then(ok => [img.getAttribute("src"), ok ? img.naturalWidth : 0, img.getBoundingClientRect().width]);
  }));
  return { ready: box.classList.contains("explorer--ready"), images };
}"""


def static_figure_problems(page, name="stepper", figure="figures/backprop/one_step.svg"):
    """What keeps a page from showing explorer ``name``'s static figure: no explorer, the widget mounted in its
    place, or the figure not shown (hidden, not loaded, no size)."""
    seen = page.evaluate(STATIC_FIGURE, name)
    if seen is None:
        return [f"no explorer {name} on the page"]
    problems = ["the widget replaced its static figure"] if seen["ready"] else []
    shown = [image for image in seen["images"] if image[0].split("#")[0].endswith(figure)]
    if len(shown) != 1 or not shown[0][1] or not shown[0][2]:
        problems.append(f"the static figure {figure} is not shown: {seen['images']}")
    return problems


@pytest.mark.browser
@needs_chromium
def test_offline_copy_shows_the_stepper_s_static_figure(unzipped):
    """A page read from disk loads no JavaScript module: the backprop stepper's place shows its figure of the
    first step. The control: the same check fails once that figure is hidden."""

    def work(browser):
        context, page, record = open_page(browser, "file:")
        try:
            page.goto((unzipped / "backprop.html").as_uri(), wait_until="load")
            problems = static_figure_problems(page)
            page.evaluate("""() => document.head.insertAdjacentHTML('beforeend',
              '<style>[data-explorer="stepper"] img { display: none !important }</style>')""")
            return problems, static_figure_problems(page), record
        finally:
            context.close()

    problems, control, record = with_chromium(work)
    assert problems == []
    assert record["console"] == [] and record["foreign"] == []
    assert any("is not shown" in problem for problem in control)
