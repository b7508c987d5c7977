"""The two explorers on the chapter-3 pages, and that every number they show is the tested Python's.

* The α explorer (learning-rate page, ``docs/javascripts/explorers/alpha.js``) mirrors
  ``snippets.learning_rate.train``; the hill walker (gradient-descent page, ``hill.js``) mirrors
  ``snippets.gradient_descent.walk_down``, ``hill_gradient`` and ``hill_error``. Each page gets the
  example, the limits and the print formats from its module at build time (``sitebuild/explorers.py``).
* The browser tests (marker ``browser``) drive the widgets in headless Chromium over the built site
  served on 127.0.0.1: sliders and clicks change the path and the numbers, the regime label changes at
  the thresholds the page states, keyboard-only and touch use work, divergence is shown as divergence,
  axe-core finds nothing inside the widgets, nothing is logged to the console, and at 50 random
  settings per widget every number in the widget's table of full-precision values (and every number it
  prints) is compared with the Python function's.
* How close is close enough. The α explorer's arithmetic is plain float arithmetic on both sides, so its
  numbers agree to 1e-12 relative (in practice exactly, apart from a rare last bit of ``x ** 2``, which
  CPython sends to the C library's ``pow``). The hill walker's numbers come from numpy's ``dot``, which
  goes through BLAS: its fused multiply-adds round the last bit differently from plain arithmetic, and
  on another machine differently again. A weight or gradient component that crosses zero, or the error
  next to the camp, is a small difference of larger numbers, and there such a last bit is a large
  *relative* change. So each hill number is compared to 1e-12 relative to the size of the terms it was
  computed from: the weights on the walk so far, ``|x_i1 a| + |x_i2 b| + |y_i|`` per sample for the
  gradient and the error. (Most of them also agree to 1e-12 of their own size; the test counts them.)

``BROWSER_SITE_DIR=/path/to/site`` runs the browser tests against an existing build.
"""

import gzip
import json
import math
import os
import random
import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT, open_page, printed_by, show_scheme
from sitebuild.explorers import EXPLORERS, data_json
from snippets import gradient_descent, learning_rate

DOCS = ROOT / "docs"
WIDGETS_JS = DOCS / "javascripts" / "explorers"
STYLESHEET = DOCS / "stylesheets" / "explorers.css"
BUDGET = 30 * 1024  # gzip bytes of widget code and data a page may load


def explorer_json(name):
    """(snippet module, data) that the build puts on the page before explorer ``name``."""
    return EXPLORERS[name][0], json.loads(data_json(name))


# ---------------------------------------------------------------- the data, without a browser


def test_alpha_explorer_data_is_the_pages_example():
    module, data = explorer_json("alpha")
    assert module == "learning_rate"
    assert data["max_error"] == learning_rate.MAX_ERROR
    # the print formats are the functions' own, with the numbers left as {…} for the widget
    error, prediction = 0.0144, 0.92
    assert data["trace_line"].format(error=error, prediction=prediction) == learning_rate.trace_line(error, prediction)
    assert data["divergence_message"].format(n=48) == learning_rate.divergence_message(48)
    # the example is the one the page runs with alpha = 0.1: its last line is what main() prints
    history, _ = learning_rate.train(data["input"], data["goal_pred"], data["weight"], data["iterations"],
                                     alpha=data["alpha"])
    assert f"……\n{learning_rate.trace_line(*history[-1])}\n步数: 20  发散: False\n" in printed_by(learning_rate.main)


def test_hill_walker_data_is_the_pages_hill_and_walk():
    module, data = explorer_json("hill")
    assert module == "gradient_descent"
    assert np.array_equal(data["inputs"], gradient_descent.HILL_INPUTS)
    assert np.array_equal(data["goals"], gradient_descent.HILL_GOALS)
    assert data["max_error"] == gradient_descent.MAX_ERROR and data["max_error_text"] == "1e+06"
    path, _ = gradient_descent.walk_down(data["start"], data["alpha"], data["steps"])
    a, b = path[-1]
    last = f"第 {data['steps']:2} 步  权重 ({a:+.4f}, {b:+.4f})  误差 {gradient_descent.hill_error(path[-1]):.6f}"
    assert last in printed_by(gradient_descent.main).splitlines()


def explorer_pages():
    """{page source: explorer name} for every page with a ``data-explorer`` container."""
    pages = {}
    for page in sorted(DOCS.glob("*.md")):
        names = re.findall(r'data-explorer="(\w+)"', page.read_text(encoding="utf-8"))
        if names:
            pages[page.name] = names
    return pages


def modules_by_name():
    """The loader's map from explorer name to module file."""
    text = (WIDGETS_JS / "index.js").read_text(encoding="utf-8")
    return dict(re.findall(r'(\w+): "\./(\w+\.js)"', text))


def gzip_size(data):
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def page_weights():
    """gzip bytes of explorer code and data per page: the loader and stylesheet (every page loads them),
    the shared module, the page's widget module and the JSON the build puts before it (sitebuild/explorers.py)."""
    modules = modules_by_name()
    every_page = gzip_size((WIDGETS_JS / "index.js").read_bytes()) + gzip_size(STYLESHEET.read_bytes())
    weights = {}
    for page, names in explorer_pages().items():
        assert all(EXPLORERS[name][0] == Path(page).stem.replace("-", "_") for name in names), page
        files = {"common.js"} | {modules[name] for name in names}
        code = sum(gzip_size((WIDGETS_JS / f).read_bytes()) for f in files)
        data = sum(gzip_size(f'<script type="application/json" id="explorer-data-{name}">{data_json(name)}</script>'.encode())
                   for name in names)
        weights[page] = every_page + code + data
    return weights, every_page


def test_each_explorer_page_loads_under_30_kib_gzip():
    weights, every_page = page_weights()
    assert set(weights) == {"learning-rate.md", "gradient-descent.md"}
    over = {page: size for page, size in weights.items() if size > BUDGET}
    assert not over, f"explorer code and data over {BUDGET // 1024} KiB gzip: {over}"
    assert every_page < 3 * 1024, "the loader and stylesheet every page loads should stay small"


def test_every_explorer_module_says_what_it_mirrors():
    alpha = (WIDGETS_JS / "alpha.js").read_text(encoding="utf-8")
    hill = (WIDGETS_JS / "hill.js").read_text(encoding="utf-8")
    assert "snippets/learning_rate.py" in alpha and "train" in alpha
    assert "snippets/gradient_descent.py" in hill
    assert all(name in hill for name in ("walk_down", "hill_gradient", "hill_error"))
    code = "".join(path.read_text(encoding="utf-8") for path in WIDGETS_JS.glob("*.js"))
    imported = re.findall(r'(?:from|import\()\s*"([^"]+)"', code) + list(modules_by_name().values())
    assert imported and all(name.startswith("./") or name.endswith(".js") for name in imported), imported
    # nothing from another host: the only address is the SVG namespace, which is a name, not a request
    assert not re.search(r"https?://|//cdn|unpkg|jsdelivr", code.replace('"http://www.w3.org/2000/svg"', ""))


# ---------------------------------------------------------------- in the browser

browser_test = pytest.mark.browser


@pytest.fixture(scope="module")
def shots(screenshots):
    """The explorers' screenshots, in the session's screenshot folder."""
    folder = Path(os.environ["EXPLORER_SCREENSHOTS"]) if os.environ.get("EXPLORER_SCREENSHOTS") else screenshots / "explorers"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Visit:
    """One page in a fresh context (conftest's ``open_page``); on a clean exit, nothing was recorded."""

    def __init__(self, browser, server, url, width=1280, scheme="light", **options):
        self.context, self.page, self.record = open_page(browser, server, viewport={"width": width, "height": 900},
                                                         color_scheme=scheme, **options)
        self.page.set_default_timeout(15_000)
        self.page.goto(server + url, wait_until="load")
        if scheme == "dark":
            show_scheme(self.page, "dark")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.context.close()
        if exc[0] is None:
            problems = self.record["console"] + [f"request to another host: {u}" for u in self.record["foreign"]]
            assert problems == [], "\n".join(problems)


def visit(browser, server, url, **options):
    v = Visit(browser, server, url, **options)
    if options.get("java_script_enabled", True):
        v.page.wait_for_selector(".explorer--ready")
    return v


SET = """([id, value]) => {
  const input = document.getElementById(id);
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  return input.value;
}"""

STATE = """(name) => {
  const box = document.querySelector(`[data-explorer="${name}"]`);
  const svgs = Array.from(box.querySelectorAll("svg"));
  return {
    dataset: { ...box.dataset },
    values: Object.fromEntries(Array.from(box.querySelectorAll("input[type=range]")).map(i => [i.id, i.value])),
    rows: Array.from(box.querySelectorAll(".explorer__table tbody tr"))
      .map(tr => Array.from(tr.cells).map(td => td.textContent)),
    printed: box.querySelector(".explorer__printed").textContent,
    status: box.querySelector(".explorer__regime").textContent,
    svgs: svgs.map(svg => svg.innerHTML),
    html: box.innerHTML,
    text: box.innerText,
  };
}"""


def state(page, name):
    return page.evaluate(STATE, name)


def page_output(page, starts_with):
    """Text of the page's own build-time output block that starts with ``starts_with``."""
    return page.evaluate(
        """(start) => Array.from(document.querySelectorAll("article pre code"))
             .filter(code => !code.closest(".explorer") && code.textContent.startsWith(start))
             .map(code => code.textContent)""", starts_with)


def assert_no_nan(seen):
    assert not re.search(r"NaN|Infinity|undefined", seen["html"]), "NaN, Infinity or undefined in the widget"


NUMBER = re.compile(r"-?(?:\d+\.\d*(?:e[+-]\d+)?|\d+e[+-]\d+|\d+)")


def assert_same_print(shown, expected, rel=1e-12):
    """Same lines, same words; each number within ``rel`` (the α explorer prints full-precision reprs)."""
    shown_lines, expected_lines = shown.splitlines(), expected.splitlines()
    assert len(shown_lines) == len(expected_lines), (shown, expected)
    for got, want in zip(shown_lines, expected_lines):
        assert NUMBER.sub("#", got) == NUMBER.sub("#", want), (got, want)
        for g, w in zip(NUMBER.findall(got), NUMBER.findall(want)):
            assert math.isclose(float(g), float(w), rel_tol=rel), (got, want)


# ---------------------------------------------------------------- the α explorer

ALPHA_PAGE = "learning-rate/"
ALPHA = "alpha-explorer-alpha"
WEIGHT = "alpha-explorer-weight"
ITERATIONS = "alpha-explorer-iterations"


def python_regime(alpha, input=2):
    """The page's rule: delta is multiplied by 1 − alpha × input² each iteration."""
    factor = 1 - alpha * input ** 2
    if factor > 0:
        return "单调收敛"
    if factor == 0:
        return "一步到位"
    if factor > -1:
        return "来回跳着收敛"
    return "原地来回跳" if factor == -1 else "发散"


def python_printed(history, diverged_at):
    """What the page's with_alpha block prints for this run (all lines when there are at most 5),
    then the divergence message as the no_alpha block prints it."""
    lines = [learning_rate.trace_line(*step) for step in history]
    if len(lines) > 5:
        lines = lines[:4] + ["……", lines[-1]]
    lines.append(f"步数: {len(history)}  发散: {diverged_at is not None}")
    if diverged_at is not None:
        lines.append(learning_rate.divergence_message(diverged_at))
    return "\n".join(lines)


def check_alpha_numbers(seen, input=2, goal_pred=0.8):
    """Every number the α explorer shows, against snippets.learning_rate.train."""
    alpha, weight, iterations = (float(seen["values"][ALPHA]), float(seen["values"][WEIGHT]),
                                 int(seen["values"][ITERATIONS]))
    history, diverged_at = learning_rate.train(input, goal_pred, weight, iterations, alpha=alpha)
    assert seen["dataset"]["divergedAt"] == ("" if diverged_at is None else str(diverged_at))
    assert len(seen["rows"]) == len(history)
    for number, ((error, prediction), row) in enumerate(zip(history, seen["rows"]), 1):
        shown_iteration, shown_weight, shown_prediction, shown_error = row
        assert int(shown_iteration) == number
        assert math.isclose(float(shown_error), error, rel_tol=1e-12, abs_tol=0), (row, error)
        assert math.isclose(float(shown_prediction), prediction, rel_tol=1e-12), (row, prediction)
        # the weight is the one train predicted with: input × weight is its prediction
        assert math.isclose(input * float(shown_weight), prediction, rel_tol=1e-12), (row, prediction)
    assert_same_print(seen["printed"], python_printed(history, diverged_at))
    assert seen["dataset"]["regime"] == python_regime(alpha)
    factor = re.search(r"delta 每次乘以 ([−\d.]+)", seen["status"])
    if factor:
        assert math.isclose(float(factor[1].replace("−", "-")), round(1 - alpha * input ** 2, 4), abs_tol=1e-12)
    assert_no_nan(seen)
    return history, diverged_at


@browser_test
def test_alpha_explorer_at_0_1_shows_exactly_what_the_page_prints(browser, server):
    with visit(browser, server, ALPHA_PAGE) as v:
        seen = state(v.page, "alpha")
        assert seen["values"] == {ALPHA: "0.1", WEIGHT: "0.5", ITERATIONS: "20"}
        (printed,) = page_output(v.page, "Error:0.03999999999999998 Prediction:1.0\nError:0.0144")
        assert seen["printed"] == printed.rstrip("\n")  # the very same characters
        assert seen["dataset"]["regime"] == "单调收敛"
        check_alpha_numbers(seen)


@browser_test
def test_alpha_sliders_change_the_path_and_the_numbers(browser, server):
    with visit(browser, server, ALPHA_PAGE) as v:
        before = state(v.page, "alpha")
        for slider, value in [(ALPHA, "0.45"), (WEIGHT, "1.5"), (ITERATIONS, "35")]:
            v.page.evaluate(SET, [slider, value])
            after = state(v.page, "alpha")
            assert after["svgs"][0] != before["svgs"][0] or slider == ITERATIONS  # the steps on the parabola
            assert after["svgs"][1] != before["svgs"][1]  # the error per step
            assert after["printed"] != before["printed"] and after["rows"] != before["rows"]
            check_alpha_numbers(after)
            before = after


@browser_test
def test_alpha_regime_label_changes_at_the_thresholds_with_the_keyboard_only(browser, server):
    """From the keyboard alone: Tab reaches the sliders in order; arrow keys cross 1/x² = 0.25 and 2/x² = 0.5."""
    with visit(browser, server, ALPHA_PAGE) as v:
        page = v.page
        page.focus(f"#{ALPHA}")
        page.keyboard.press("Home")  # the smallest alpha, 0.01
        for _ in range(23):
            page.keyboard.press("ArrowRight")
        seen = []
        for _ in range(3):  # 0.24, 0.25, 0.26
            seen.append(state(page, "alpha"))
            page.keyboard.press("ArrowRight")
        for _ in range(22):
            page.keyboard.press("ArrowRight")
        for _ in range(3):  # 0.49, 0.5, 0.51
            seen.append(state(page, "alpha"))
            page.keyboard.press("ArrowRight")
        assert [s["values"][ALPHA] for s in seen] == ["0.24", "0.25", "0.26", "0.49", "0.5", "0.51"]
        assert [s["dataset"]["regime"] for s in seen] == ["单调收敛", "一步到位", "来回跳着收敛", "来回跳着收敛", "原地来回跳", "发散"]
        for s in seen:
            check_alpha_numbers(s)
        one_step = seen[1]["rows"]  # alpha = 1/x²: the first step lands on the goal
        assert one_step[1][2] == "0.8" and one_step[1][3] == "0.0"
        bouncing = [float(row[3]) for row in seen[4]["rows"]]  # alpha = 2/x²: the error neither falls nor grows
        assert all(math.isclose(error, 0.04, rel_tol=1e-9) for error in bouncing), bouncing

        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.id") == WEIGHT
        page.keyboard.press("ArrowRight")
        assert state(page, "alpha")["values"][WEIGHT] == "0.55"
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.id") == ITERATIONS
        page.keyboard.press("ArrowLeft")
        check_alpha_numbers(state(page, "alpha"))


@browser_test
def test_alpha_divergence_is_shown_as_divergence(browser, server):
    with visit(browser, server, ALPHA_PAGE) as v:
        v.page.evaluate(SET, [ALPHA, "1"])  # the book's run without alpha: stops at iteration 9
        seen = state(v.page, "alpha")
        history, diverged_at = check_alpha_numbers(seen)
        assert diverged_at == 9 and seen["dataset"]["regime"] == "发散"
        assert learning_rate.divergence_message(9) in seen["status"]
        assert learning_rate.divergence_message(9) in seen["printed"]
        parabola, log = seen["svgs"]
        assert "clip-path" in parabola and "后面的点跑出了画面" in parabola  # the path is clipped, and says so
        assert "explorer__stop" in log and "explorer__limit" in log  # a cross at the stop, the limit drawn
        # every point that is drawn has finite coordinates
        coordinates = [float(c) for c in re.findall(r'c[xy]="([^"]+)"', parabola + log)]
        assert coordinates and all(math.isfinite(c) for c in coordinates)

        v.page.evaluate(SET, [ALPHA, "0.6"])  # diverging, but 20 iterations stay under the divergence threshold
        seen = state(v.page, "alpha")
        check_alpha_numbers(seen)
        assert seen["dataset"]["regime"] == "发散" and seen["dataset"]["divergedAt"] == ""
        assert "还没超过发散阈值" in seen["status"]


@browser_test
def test_alpha_explorer_matches_train_at_50_random_settings(browser, server):
    rng = random.Random(20240610)
    with visit(browser, server, ALPHA_PAGE) as v:
        for _ in range(50):
            alpha = str(Decimal(rng.randint(1, 100)) / 100)
            weight = str(Decimal(rng.randint(-20, 40) * 5) / 100)
            iterations = str(rng.randint(1, 100))
            for slider, value in [(ALPHA, alpha), (WEIGHT, weight), (ITERATIONS, iterations)]:
                v.page.evaluate(SET, [slider, value])
            seen = state(v.page, "alpha")
            assert float(seen["values"][ALPHA]) == float(alpha) and float(seen["values"][WEIGHT]) == float(weight)
            check_alpha_numbers(seen)


# ---------------------------------------------------------------- the hill walker

HILL_PAGE = "gradient-descent/"
HILL_ALPHA = "hill-walker-alpha"
HILL_STEPS = "hill-walker-steps"


def hill_scales(point):
    """Sizes of the terms the gradient components and the error at ``point`` are computed from."""
    X, y = gradient_descent.HILL_INPUTS, gradient_descent.HILL_GOALS
    terms = np.abs(X * point).sum(axis=1) + np.abs(y)  # |x_i1 a| + |x_i2 b| + |y_i| for each sample
    deltas = X.dot(point) - y
    return 2 * np.abs(X).T.dot(terms) / len(y), 2 * np.abs(deltas).dot(terms) / len(y)


def check_hill_numbers(seen, counts=None):
    """Every number the hill walker shows, against walk_down, hill_gradient and hill_error."""
    start = [float(seen["dataset"]["startA"]), float(seen["dataset"]["startB"])]
    alpha, steps = float(seen["values"][HILL_ALPHA]), int(seen["values"][HILL_STEPS])
    path, diverged_at = gradient_descent.walk_down(start, alpha, steps)
    assert seen["dataset"]["divergedAt"] == ("" if diverged_at is None else str(diverged_at))
    assert len(seen["rows"]) == len(path)
    largest = 0.0
    for k, (point, row) in enumerate(zip(path, seen["rows"])):
        assert int(row[0]) == k
        shown = [float(v) for v in row[1:]]
        gradient, error = gradient_descent.hill_gradient(point), gradient_descent.hill_error(point)
        gradient_scale, error_scale = hill_scales(point)
        largest = max(largest, *np.abs(point))
        wanted = [*point, *gradient, error]
        scales = [largest, largest, *gradient_scale, error_scale]
        for got, want, scale in zip(shown, wanted, scales):
            assert abs(got - want) <= 1e-12 * max(abs(want), scale), (k, row, wanted)
            if counts is not None:
                counts[abs(got - want) <= 1e-12 * abs(want)] += 1
    # the printed lines and the status line, in the page's formats
    lines = seen["printed"].splitlines()
    last = len(path) - 1
    chosen = sorted({k for k in (0, 1, 2, 5, 10, 25, 50) if k <= last} | {last})
    expected = [f"第 {k:2} 步  权重 ({path[k][0]:+.4f}, {path[k][1]:+.4f})  误差 {gradient_descent.hill_error(path[k]):.6f}"
                for k in chosen]
    assert lines[:len(expected)] == expected
    g = gradient_descent.hill_gradient(path[last])
    assert f"第 {last} 步的梯度 ∇f = ({g[0]:+.4f}, {g[1]:+.4f})，误差 {gradient_descent.hill_error(path[last]):.6f}" \
        in seen["status"]
    assert_no_nan(seen)
    return path, diverged_at


@browser_test
def test_hill_walker_starts_with_the_pages_walk(browser, server):
    with visit(browser, server, HILL_PAGE) as v:
        seen = state(v.page, "hill")
        assert (seen["dataset"]["startA"], seen["dataset"]["startB"]) == ("1.5", "1.8")
        assert seen["values"] == {HILL_ALPHA: "0.2", HILL_STEPS: "25"}
        (printed,) = page_output(v.page, "第  0 步")
        assert seen["printed"] == printed.rstrip("\n")  # the page's six lines, character for character
        check_hill_numbers(seen)


def map_point(page, a, b):
    """Viewport coordinates of the weights (a, b) on the contour map, scrolled into view."""
    page.locator(".explorer__map").scroll_into_view_if_needed()
    return page.evaluate(
        """([a, b]) => {
          const svg = document.querySelector(".explorer__map");
          // the map's own scale: LEFT + (a + 1.5) * 80, TOP + (2 - b) * 80 in viewBox units
          const point = new DOMPoint(44 + (a + 1.5) * 80, 10 + (2 - b) * 80).matrixTransform(svg.getScreenCTM());
          return [point.x, point.y];
        }""", [a, b])


def start_near(seen, a, b):
    """The start is (a, b) to within a pixel of the map (a click lands on a whole pixel; starts are rounded to 0.01)."""
    return (abs(float(seen["dataset"]["startA"]) - a) <= 0.02 and abs(float(seen["dataset"]["startB"]) - b) <= 0.02
            and re.fullmatch(r"-?\d\.\d{1,2}", seen["dataset"]["startA"]) is not None)


@browser_test
def test_hill_walker_click_and_sliders_change_the_path_and_the_numbers(browser, server):
    with visit(browser, server, HILL_PAGE) as v:
        before = state(v.page, "hill")
        v.page.mouse.click(*map_point(v.page, -1.0, -2.0))
        after = state(v.page, "hill")
        assert start_near(after, -1.0, -2.0)
        assert after["svgs"] != before["svgs"] and after["printed"] != before["printed"]
        check_hill_numbers(after)
        for slider, value in [(HILL_ALPHA, "0.5"), (HILL_STEPS, "40")]:
            v.page.evaluate(SET, [slider, value])
            changed = state(v.page, "hill")
            assert changed["svgs"] != after["svgs"] and changed["rows"] != after["rows"]
            check_hill_numbers(changed)
            after = changed


@browser_test
def test_hill_walker_with_the_keyboard_only(browser, server):
    with visit(browser, server, HILL_PAGE) as v:
        page = v.page
        page.focus(".explorer__map")
        assert page.evaluate("() => document.activeElement.classList.contains('explorer__map')")
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("Shift+ArrowDown")
        seen = state(page, "hill")
        assert (seen["dataset"]["startA"], seen["dataset"]["startB"]) == ("1.4", "1.89")
        check_hill_numbers(seen)
        for _ in range(40):  # the start stays on the map
            page.keyboard.press("ArrowRight")
        assert state(page, "hill")["dataset"]["startA"] == "2.5"
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.id") == HILL_ALPHA
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.id") == HILL_STEPS
        page.keyboard.press("End")
        seen = state(page, "hill")
        assert seen["values"] == {HILL_ALPHA: "0.21", HILL_STEPS: "60"}
        check_hill_numbers(seen)
        page.evaluate(SET, [HILL_STEPS, "6"])
        page.keyboard.press("Tab")  # the play button: Enter plays the walk from step 1 back to 6
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.querySelector('.explorer__play').textContent.includes('播放')")
        assert state(page, "hill")["values"][HILL_STEPS] == "6"


@browser_test
def test_hill_walker_by_touch(browser, server):
    with visit(browser, server, HILL_PAGE, width=390, has_touch=True, is_mobile=True) as v:
        v.page.locator(".explorer__map").scroll_into_view_if_needed()
        v.page.touchscreen.tap(*map_point(v.page, 2.0, -1.0))
        seen = state(v.page, "hill")
        assert start_near(seen, 2.0, -1.0)
        check_hill_numbers(seen)


@browser_test
def test_hill_walker_divergence_is_shown_as_divergence(browser, server):
    with visit(browser, server, HILL_PAGE) as v:
        v.page.evaluate(SET, [HILL_ALPHA, "0.7"])
        v.page.evaluate(SET, [HILL_STEPS, "60"])
        seen = state(v.page, "hill")
        path, diverged_at = check_hill_numbers(seen)
        assert diverged_at is not None
        assert f"发散：第 {diverged_at} 步的误差超过上限 1e+06" in seen["status"]
        map_svg, log = seen["svgs"]
        assert 'clip-path="url(#hill-walker-clip)"' in map_svg  # the path leaves the map, clipped at its edge
        assert "explorer__stop" in log and "explorer__limit" in log
        coordinates = [float(c) for c in re.findall(r'(?:c[xy]|x[12]|y[12])="([^"]+)"', map_svg + log)]
        assert coordinates and all(math.isfinite(c) for c in coordinates)


@browser_test
def test_hill_walker_matches_walk_down_at_50_random_settings(browser, server):
    rng = random.Random(20240611)
    counts = {True: 0, False: 0}
    with visit(browser, server, HILL_PAGE) as v:
        v.page.locator(".explorer__map").scroll_into_view_if_needed()
        box = v.page.locator(".explorer__map").bounding_box()
        for _ in range(50):
            v.page.evaluate(SET, [HILL_ALPHA, str(Decimal(rng.randint(1, 70)) / 100)])
            v.page.evaluate(SET, [HILL_STEPS, str(rng.randint(1, 60))])
            v.page.mouse.click(box["x"] + rng.uniform(0.1, 0.97) * box["width"],
                               box["y"] + rng.uniform(0.02, 0.9) * box["height"])
            check_hill_numbers(state(v.page, "hill"), counts)
    # most numbers agree to 1e-12 of their own size, not only of their terms'
    assert counts[True] > 0.9 * (counts[True] + counts[False]), counts


# ---------------------------------------------------------------- both: accessibility, layout, no script

WIDGETS = [(ALPHA_PAGE, "alpha"), (HILL_PAGE, "hill")]
widget_params = pytest.mark.parametrize("url, name", WIDGETS, ids=["alpha", "hill"])
COLOUR_RULES = {"resultTypes": ["violations"], "runOnly": {"type": "rule", "values": ["color-contrast"]}}


def axe_violations(page, name, options=None):
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, context=f'[data-explorer="{name}"]',
                      options=options or {"resultTypes": ["violations"]}).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']}: {[n['target'] for n in v['nodes'][:3]]}" for v in found]


@browser_test
@widget_params
def test_axe_finds_nothing_inside_the_widget(browser, server, url, name):
    with visit(browser, server, url) as v:
        page = v.page
        page.evaluate(f"() => document.querySelector('[data-explorer=\"{name}\"] details').open = true")
        assert axe_violations(page, name) == []
        # the diverging state has its own colours and messages
        page.evaluate(SET, [ALPHA if name == "alpha" else HILL_ALPHA, "0.7"])
        assert axe_violations(page, name) == []
        show_scheme(page, "dark")
        assert axe_violations(page, name, COLOUR_RULES) == []


SETTINGS = {  # the states a person should look at: oscillating and diverging α, the walker mid-path
    "alpha-oscillating": (ALPHA_PAGE, "alpha", [(ALPHA, "0.45")]),
    "alpha-diverging": (ALPHA_PAGE, "alpha", [(ALPHA, "0.6"), (ITERATIONS, "40")]),
    "hill-mid-path": (HILL_PAGE, "hill", [(HILL_STEPS, "8")]),
}


WIDGET_FACTS = """(name) => {
  const box = document.querySelector(`[data-explorer="${name}"]`);
  return {
    page: document.documentElement.scrollWidth, viewport: innerWidth,
    box: box.getBoundingClientRect().width,
    svgs: Array.from(box.querySelectorAll("svg")).map(svg => svg.getBoundingClientRect().width),
    inputs: Array.from(box.querySelectorAll("input")).map(i => i.getBoundingClientRect().width),
    background: getComputedStyle(box).backgroundColor,
    text: getComputedStyle(box).color,
  };
}"""


@browser_test
@pytest.mark.parametrize("shot", sorted(SETTINGS))
def test_widget_fits_and_is_drawn_at_each_width_and_scheme(browser, server, shots, shot):
    """At 390 and 1280 px, light and dark (the window resized and the scheme switched in place)."""
    url, name, settings = SETTINGS[shot]
    with visit(browser, server, url, width=390) as v:
        page = v.page
        for slider, value in settings:
            page.evaluate(SET, [slider, value])
        box = page.locator(f'[data-explorer="{name}"]')
        page.add_style_tag(content=".md-header { position: absolute !important; }")  # not over the widget
        for width in (390, 1280):
            for scheme in ("light", "dark"):
                page.set_viewport_size({"width": width, "height": 900})
                show_scheme(page, scheme)
                facts = page.evaluate(WIDGET_FACTS, name)
                where = f"{width} px, {scheme}: {facts}"
                assert facts["page"] <= facts["viewport"], f"the widget makes the page scroll sideways at {where}"
                assert all(w >= min(280, facts["box"] * 0.4) for w in facts["svgs"]), where
                assert all(w >= 80 for w in facts["inputs"]), where
                assert facts["background"] != facts["text"], where
                box.scroll_into_view_if_needed()
                box.screenshot(path=shots / f"{shot}-{scheme}-{width}.png")


@browser_test
@widget_params
def test_without_javascript_the_static_figure_stays(browser, server, url, name):
    with visit(browser, server, url, java_script_enabled=False) as v:
        image = v.page.locator(f'[data-explorer="{name}"] img:visible')  # the light figure; its dark twin is hidden
        image.scroll_into_view_if_needed()
        assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
        assert image.get_attribute("alt")
        assert v.page.locator(".explorer--ready").count() == 0
