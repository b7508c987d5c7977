"""Shared helpers and fixtures: the project root, what a snippet prints, the two clean builds of the site
(started with the session; the tests that read them run last), and a browser over it: the one page-visit
harness (``open_page``), the one screenshot folder and its line in the run's summary (``screenshots``), and
material's search box (``search``)."""

import contextlib
import functools
import re
import http.server
import importlib
import io
import os
import threading
import subprocess
import sys
from pathlib import Path

import pytest

import sitebuild  # noqa: F401 -- one BLAS thread per process, as in the build (sitebuild/blas.py)

ROOT = Path(__file__).resolve().parent.parent


def start_build(site_dir, cache_dir=None, project=ROOT, niceness=0):
    """Start ``mkdocs build --strict`` in ``project`` into ``site_dir``; return the running process.

    Run from ``project``, so that a copy of the project imports its own ``snippets``;
    ``niceness`` lowers its priority (``os.nice``).
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if cache_dir is not None:
        env["SITE_CACHE_DIR"] = str(cache_dir)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)]
    return subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=(lambda: os.nice(niceness)) if niceness else None)


def finish(process):
    """Wait for a process from ``start_build``; return it with ``stdout`` and ``stderr`` as text."""
    process.stdout, process.stderr = process.communicate()
    return process


def build_site(site_dir, cache_dir=None, project=ROOT):
    """Run ``mkdocs build --strict`` in ``project`` into ``site_dir``; return the finished process."""
    return finish(start_build(site_dir, cache_dir, project))


def printed_by(function):
    """Everything ``function()`` prints, as one string."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        function()
    return buffer.getvalue()


def snippet_under_test(test_module):
    """The snippet module a test file checks: ``tests/test_<name>.py`` checks ``snippets/<name>.py``."""
    name = Path(test_module.__file__).stem.removeprefix("test_")
    return importlib.import_module(f"snippets.{name}")


def assert_figures_draw_and_stay_light(module, max_bytes):
    """Every figure in ``module.FIGURES`` draws, saves to an SVG under ``max_bytes`` and leaves no figure open."""
    import matplotlib.pyplot as plt

    from snippets.style import save_svg

    # 别的测试模块可能还开着图：只看这里画的图有没有留下
    already_open = set(plt.get_fignums())
    for name, draw in module.FIGURES.items():
        figure = draw()
        assert figure.number in plt.get_fignums(), name  # 画图函数返回的正是它新开的那张图
        buffer = io.BytesIO()
        save_svg(figure, buffer)
        assert len(buffer.getvalue()) < max_bytes, name
        # save_svg 关掉了这张图，画图函数也没有另外留下别的图
        assert set(plt.get_fignums()) == already_open, name


@pytest.fixture(scope="module")
def main_output(request):
    """What the tested snippet module's ``main()`` prints (run once per test file)."""
    return printed_by(snippet_under_test(request.module).main)


@pytest.fixture(scope="session")
def root():
    return ROOT


_early_builds = []  # the clean builds started with the session (pytest_sessionstart)


def start_clean_builds(tmp_path_factory):
    """Start two clean strict builds, each with its own empty cache.

    The second, which only the reproducibility test reads, runs at a lower priority: it takes
    what CPU the first build and the unit tests leave, and finishes while the site is tested.
    """
    builds = []
    for name, niceness in (("site", 0), ("site_again", 10)):
        site, cache = tmp_path_factory.mktemp(name), tmp_path_factory.mktemp(f"{name}_cache")
        builds.append(start_build(site, cache, niceness=niceness))
        builds[-1].site, builds[-1].cache = site, cache
    return builds


def _build_order(item):
    """0: reads no build; 1: reads the first clean build; 2: reads the second as well."""
    names = set(getattr(item, "fixturenames", ()))
    first = {"clean_build", "built_site"} | (set() if os.environ.get("BROWSER_SITE_DIR") else {"site_dir"})
    return 2 if "clean_builds" in names else 1 if first & names else 0


def pytest_collection_modifyitems(session, config, items):
    """The tests that read a build run after the unit tests, the one that reads both builds last;
    each file's tests keep their order."""
    items.sort(key=_build_order)


def pytest_sessionstart(session):
    """Start the clean builds before the tests are even collected: they use the core collecting leaves idle."""
    if not session.config.option.collectonly:
        _early_builds.extend(start_clean_builds(session.config._tmp_path_factory))


def pytest_collection_finish(session):
    """Stop the builds that no collected test reads (both for ``-k predict``, say)."""
    needed = max((_build_order(item) for item in session.items), default=0)
    _stop(_early_builds[needed:])
    del _early_builds[needed:]


def _stop(builds):
    for build in builds:
        if build.poll() is None:
            build.kill()
            build.communicate()


def pytest_unconfigure(config):
    """A run stopped early (``-x``, Ctrl-C) leaves no build running."""
    _stop(_early_builds)


@pytest.fixture(scope="session")
def clean_build():
    """The first clean strict build (started with the session), finished: the process with its
    site and cache folders (``process.site``, ``process.cache``)."""
    return finish(_early_builds[0])


@pytest.fixture(scope="session")
def clean_builds(clean_build):
    """Both clean strict builds, each made with its own empty cache, finished."""
    return [clean_build, finish(_early_builds[1])]


@pytest.fixture(scope="session")
def built_site(clean_build):
    """The site, built with ``--strict`` and an empty cache into a temporary folder."""
    assert clean_build.returncode == 0, f"strict build failed:\n{clean_build.stdout}\n{clean_build.stderr}"
    return clean_build.site


# ---------------------------------------------------------------- a browser over the built site

NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; animation: none !important; }"


def show_scheme(page, scheme):
    """Switch the page to material's light (``default``) or dark (``slate``) scheme at once, with no fade.

    Inserts ``NO_TRANSITIONS`` once, by script (playwright's ``add_style_tag`` waits for a load
    event that a page without JavaScript never sends).
    """
    page.evaluate("""([css, scheme]) => {
      if (!document.getElementById("no-transitions")) {
        const style = document.createElement("style");
        style.id = "no-transitions";
        style.textContent = css;
        document.head.append(style);
      }
      document.body.setAttribute("data-md-color-scheme", scheme);
    }""", [NO_TRANSITIONS, "slate" if scheme == "dark" else "default"])


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def site_dir(request):
    """The site the browser tests read: ``BROWSER_SITE_DIR`` if set, else the session's strict build."""
    override = os.environ.get("BROWSER_SITE_DIR")
    if override:
        return Path(override)
    return request.getfixturevalue("built_site")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the browser closing a connection early (a page closed mid-download) is not a failure


@pytest.fixture(scope="session")
def server(site_dir):
    """``http://127.0.0.1:<port>/`` serving the built site, for the whole session."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    httpd = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's) for every browser test of the session."""
    if not CHROMIUM.is_file():
        pytest.skip(f"Chromium not found at {CHROMIUM}: browser tests skipped (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: browser tests skipped")
    playwright = sync_api.sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield chromium
    chromium.close()
    playwright.stop()


class _ScreenshotReport:
    """Prints the screenshot folder, and how many pictures it holds, in the terminal summary of the run."""

    def __init__(self, folder):
        self.folder = folder

    def pytest_terminal_summary(self, terminalreporter):
        shots = sorted(self.folder.rglob("*.png"))
        terminalreporter.write_sep("-", "browser screenshots")
        terminalreporter.write_line(f"{len(shots)} screenshots in {self.folder}")


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory, request):
    """The one folder for the screenshots a person should look at (printed at the end of the run)."""
    folder = tmp_path_factory.mktemp("screenshots")
    request.config.pluginmanager.register(_ScreenshotReport(folder), "xiashan-screenshots")
    return folder


def open_page(browser, base, **context_options):
    """A fresh context and page; every request that does not start with ``base`` (the server's address, or
    ``"file:"``) is aborted and recorded, and so are console errors, uncaught errors and failed responses.

    Returns ``(context, page, record)``; ``record`` has ``console``, ``foreign`` and ``requests``.
    """
    options = {"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN", "color_scheme": "light"}
    context = browser.new_context(**{**options, **context_options})
    record = {"console": [], "foreign": [], "requests": []}
    allowed = (base, "data:") if isinstance(base, str) else (*base, "data:")

    def route(route):
        url = route.request.url
        if url.startswith(allowed):
            route.continue_()
        else:
            record["foreign"].append(url)
            route.abort()

    context.route("**/*", route)
    context.on("request", lambda r: record["requests"].append(r.url))
    page = context.new_page()
    page.set_default_timeout(20_000)

    def on_console(message):
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            record["console"].append(f"{message.text} ({where})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: record["console"].append(f"uncaught: {error}"))
    page.on("response", lambda r: r.status >= 400 and record["console"].append(f"HTTP {r.status}: {r.url}"))
    return context, page, record


def search(page, query):
    """Type ``query`` into material's search box; return the addresses of the result pages."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.dispatch_event("keyup")  # material searches on keyup; fill() only sends "input"
    page.locator(".md-search-result__meta").filter(has_text=re.compile(r"\d|没有")).wait_for()
    return page.locator(".md-search-result__item > a.md-search-result__link").evaluate_all(
        "links => links.map(a => a.href)")
