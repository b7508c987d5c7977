"""The explorers (the chapter-3 pages' two and the backprop page's stepper), and that every number they show is
the tested Python's.

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
* The backprop stepper (``stepper.js``) mirrors ``snippets.backprop.one_step`` and ``streetlights_steps``
  (``train_streetlights``, one step per row). The build sends it only the streetlights, the seed's starting
  weights, alpha and the number of epochs; it trains from them itself, so comparing what it shows with the
  Python compares two computations (a control shows that sending every step instead would also break the
  30 KiB budget). At every phase of the first three epochs, walked one phase at a time, and at 50 random
  (epoch, row, phase) jumps, every number it shows is compared with ``one_step``'s: the full-precision
  table, each edge's number as a screen reader hears it and the readout shows it, the short numbers on
  the picture (Python's ``:.3g``), and what the picture says (lit lamps, open and closed units, each
  edge's kind, sign and thickness, the error curve's points); the live region says the phase and the
  numbers that changed, and no more. Keyboard (tab order, visible focus, ← →, ↑ ↓, the jump form), touch
  (a tap on each edge, targets of 24 px), 320/390/1280 px in both schemes (screenshots), axe, no script;
  each check with a control that makes it fail.
* How close is close enough. The α explorer's arithmetic is plain float arithmetic on both sides, so its
  numbers agree to 1e-12 relative (in practice exactly, apart from a rare last bit of ``x ** 2``, which
  CPython sends to the C library's ``pow``). The hill walker's numbers come from numpy's ``dot``, which
  goes through BLAS: its fused multiply-adds round the last bit differently from plain arithmetic, and
  on another machine differently again. A weight or gradient component that crosses zero, or the error
  next to the camp, is a small difference of larger numbers, and there such a last bit is a large
  *relative* change. So each hill number is compared to 1e-12 relative to the size of the terms it was
  computed from: the weights on the walk so far, ``|x_i1 a| + |x_i2 b| + |y_i|`` per sample for the
  gradient and the error. (Most of them also agree to 1e-12 of their own size; the test counts them.)
  The stepper's numbers are held to the same rule (``step_scales``: the terms of each sum of products in
  one_step, carried forward through the step; the largest weight so far for a weight). With the build's
  OpenBLAS kernel (Haswell, ``sitebuild/blas.py``) all 16,320 numbers of the 240 steps agree bit for bit;
  with OpenBLAS's own choice on an AVX-512 machine (``OPENBLAS_CORETYPE=SkylakeX``) about one in six
  differs in its last bits from epoch 8 on, every one within that rule, and all but a few within 1e-12 of
  its own size (the tests count them). A control shows the check fails on a number off in its 10th digit.

``BROWSER_SITE_DIR=/path/to/site`` runs the browser tests against an existing build.
"""

import gzip
import inspect
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
from snippets import backprop, gradient_descent, learning_rate

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
    assert f"……\n{learning_rate.trace_line(*history[-1])}\n预测次数: 20  发散: False\n" in printed_by(learning_rate.main)


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


def module_stylesheets(module):
    """The stylesheets a widget module loads itself (``loadStylesheet``), only on its own page."""
    text = (WIDGETS_JS / module).read_text(encoding="utf-8")
    return [DOCS / "stylesheets" / name for name in re.findall(r'"\.\./\.\./stylesheets/([\w-]+\.css)"', text)]


def page_weights(data_of=data_json):
    """gzip bytes of explorer code and data per page: the loader and stylesheet (every page loads them),
    the shared module, the page's widget module with the stylesheet it loads, and the JSON the build puts
    before it (``data_of(name)``: sitebuild/explorers.py's)."""
    modules = modules_by_name()
    every_page = gzip_size((WIDGETS_JS / "index.js").read_bytes()) + gzip_size(STYLESHEET.read_bytes())
    weights = {}
    for page, names in explorer_pages().items():
        assert all(EXPLORERS[name][0] == Path(page).stem.replace("-", "_") for name in names), page
        files = [WIDGETS_JS / "common.js"] + [WIDGETS_JS / modules[name] for name in names]
        files += [css for name in names for css in module_stylesheets(modules[name])]
        code = sum(gzip_size(f.read_bytes()) for f in dict.fromkeys(files))
        data = sum(gzip_size(f'<script type="application/json" id="explorer-data-{name}">{data_of(name)}</script>'.encode())
                   for name in names)
        weights[page] = every_page + code + data
    return weights, every_page


def test_each_explorer_page_loads_under_30_kib_gzip():
    weights, every_page = page_weights()
    assert set(weights) == {"learning-rate.md", "gradient-descent.md", "backprop.md"}
    over = {page: size for page, size in weights.items() if size > BUDGET}
    assert not over, f"explorer code and data over {BUDGET // 1024} KiB gzip: {over}"
    assert every_page < 3 * 1024, "the loader and stylesheet every page loads should stay small"


def test_every_explorer_module_says_what_it_mirrors():
    alpha = (WIDGETS_JS / "alpha.js").read_text(encoding="utf-8")
    hill = (WIDGETS_JS / "hill.js").read_text(encoding="utf-8")
    assert "snippets/learning_rate.py" in alpha and "train" in alpha
    assert "snippets/gradient_descent.py" in hill
    assert all(name in hill for name in ("walk_down", "hill_gradient", "hill_error"))
    stepper = (WIDGETS_JS / "stepper.js").read_text(encoding="utf-8")
    assert "snippets/backprop.py" in stepper and "snippets/chain_rule.py" in stepper
    assert all(name in stepper for name in ("one_step", "streetlights_steps", "relu", "relu2deriv"))
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
    lines.append(f"预测次数: {len(history)}  发散: {diverged_at is not None}")
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
def test_hill_walker_leaving_the_map_is_not_called_divergence_while_the_error_falls(browser, server):
    """α = 0.55 from the default start zigzags off the map's edge, but stays below 2/λ2 ≈ 0.5885 (the valley page):
    the error falls, so the status must not say it grows; α = 0.7 both leaves the map and diverges (the test below)."""
    with visit(browser, server, HILL_PAGE) as v:
        v.page.evaluate(SET, [HILL_ALPHA, "0.55"])
        v.page.evaluate(SET, [HILL_STEPS, "60"])
        seen = state(v.page, "hill")
        path, diverged_at = check_hill_numbers(seen)
        errors = [gradient_descent.hill_error(w) for w in path]
        assert diverged_at is None and errors[-1] < errors[0]
        assert any(not (-1.5 <= a <= 2.5 and -2.5 <= b <= 2.0) for a, b in path)  # the map is a ∈ [−1.5, 2.5], b ∈ [−2.5, 2]
        assert "越来越大" not in seen["status"] and "路径暂时跑出了地图，但误差在下降。" in seen["status"]


@browser_test
def test_hill_walker_names_the_first_rise_even_when_the_error_ends_below_the_start(browser, server):
    """α = 0.59 is just above 2/λ2 ≈ 0.5885: from (−1.5, 1.85) (exactly: 25 falling steps, a rise at step 26)
    the error falls for some twenty steps, then rises, and after 60 steps is still below where it started.
    On a quadratic a rise means a factor |1 − αλ| > 1 (the learning-rate page), so the status must name the
    rise rather than stay silent, and from the rise on the error only grows."""
    with visit(browser, server, HILL_PAGE) as v:
        v.page.locator(".explorer__map").scroll_into_view_if_needed()
        v.page.mouse.click(*map_point(v.page, -1.5, 1.85))
        v.page.evaluate(SET, [HILL_ALPHA, "0.59"])
        v.page.evaluate(SET, [HILL_STEPS, "60"])
        seen = state(v.page, "hill")
        assert start_near(seen, -1.5, 1.85)
        path, diverged_at = check_hill_numbers(seen)
        errors = [gradient_descent.hill_error(w) for w in path]
        rise = next(k for k in range(1, len(errors)) if errors[k] > errors[k - 1])
        assert diverged_at is None and errors[-1] < errors[0] and all(e < f for e, f in zip(errors[rise:], errors[rise + 1:]))
        assert f"误差在第 {rise} 步回升：步子太大，照这样走下去迟早发散。" in seen["status"]


@browser_test
def test_hill_walker_divergence_is_shown_as_divergence(browser, server):
    with visit(browser, server, HILL_PAGE) as v:
        v.page.evaluate(SET, [HILL_ALPHA, "0.7"])
        v.page.evaluate(SET, [HILL_STEPS, "60"])
        seen = state(v.page, "hill")
        path, diverged_at = check_hill_numbers(seen)
        assert diverged_at is not None
        assert f"发散：第 {diverged_at} 步的误差超过发散阈值 1e+06" in seen["status"]
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


# ---------------------------------------------------------------- the backpropagation stepper

STEPPER_PAGE = "backprop/"
PHASES = ["forward", "compare", "backward", "gradient", "update"]
PHASE_NAMES = {"forward": "前向", "compare": "比较", "backward": "反向", "gradient": "权重梯度", "update": "更新"}
STEPS = backprop.streetlights_steps()  # every step of train_streetlights, by one_step: STEPS[epoch - 1][row]
EDGES = [("0_1", k, j) for k in range(3) for j in range(4)] + [("1_2", j, 0) for j in range(4)]


def largest_weights():
    """The largest |weight| of the training up to and including each step's update: the size of the terms a
    weight is the sum of (its start and every update so far)."""
    largest, out = 0.0, []
    for epoch in STEPS:
        out.append([])
        for step in epoch:
            largest = max(largest, *(np.abs(step[name]).max() for name in
                                     ("weights_0_1", "weights_1_2", "new_weights_0_1", "new_weights_1_2")))
            out[-1].append(largest)
    return out


LARGEST = largest_weights()


def running_errors(epoch, row):
    """train_streetlights' layer_2_error after row ``row`` of epoch ``epoch`` (from 1): 0, then each row's error."""
    layer_2_error = 0
    for step in STEPS[epoch - 1][: row + 1]:
        layer_2_error += step["error"]
    return layer_2_error


def stepper_value(key, epoch, row):
    """The Python value a ``data-key`` names: ``"z.0.1"`` is ``z[0, 1]`` of the step (epoch, row)."""
    step = STEPS[epoch - 1][row]
    name, *index = key.split(".")
    r, c = (int(index[0]), int(index[1])) if index else (0, 0)
    if name == "layer_0":
        return backprop.streetlights[row, c]
    if name == "goal":
        return backprop.walk_vs_stop[row, 0]
    if name == "relu2deriv":
        return backprop.relu2deriv(step["layer_1"])[0, c]
    if name == "layer_2_error":
        return running_errors(epoch, row)
    return step[name] if name == "error" else step[name][r, c]


def step_scales(epoch, row):
    """Sizes of the terms each number of one step is computed from, carried forward (first order) through one_step:
    BLAS may round a sum of products differently, and a small difference of larger numbers is then a large
    relative change, which every number computed from it inherits."""
    step = STEPS[epoch - 1][row]
    x, goal = backprop.streetlights[row], backprop.walk_vs_stop[row, 0]
    weights_0_1, weights_1_2 = step["weights_0_1"], step["weights_1_2"][:, 0]
    layer_1, delta = step["layer_1"][0], abs(step["layer_2_delta"][0, 0])
    z = np.abs(x[:, None] * weights_0_1).sum(axis=0)  # |x_1 w_1j| + |x_2 w_2j| + |x_3 w_3j|
    layer_2 = (np.abs(layer_1) * np.abs(weights_1_2) + z * np.abs(weights_1_2)).sum()
    layer_2_delta = layer_2 + abs(goal)
    back = layer_2_delta * np.abs(weights_1_2)
    return {"z": z, "layer_1": z, "layer_2": layer_2, "layer_2_delta": layer_2_delta,
            "error": 2 * delta * layer_2_delta, "passed_back": back, "layer_1_delta": back,
            "weight_delta_1_2": z * delta + np.abs(layer_1) * layer_2_delta,
            "weight_delta_0_1": x[:, None] * back[None, :]}


def stepper_scale(key, epoch, row):
    """The size of the terms the number ``key`` (of the step (epoch, row)) is computed from (``step_scales``;
    for a weight, the largest weight so far; for layer_2_error, the sum of the rows' errors' scales)."""
    name, *index = key.split(".")
    if name == "layer_2_error":
        return sum(step_scales(epoch, i)["error"] for i in range(row + 1))
    scales = step_scales(epoch, row)
    if name not in scales:
        return LARGEST[epoch - 1][row]  # weights_0_1, weights_1_2 and the updated ones
    value = scales[name]
    r, c = (int(index[0]), int(index[1])) if index else (0, 0)
    if name in ("z", "layer_1", "passed_back", "layer_1_delta"):
        return value[c]
    if name == "weight_delta_1_2":
        return value[r]
    return value[r, c] if name == "weight_delta_0_1" else value


def short(x):
    """The stepper's short numbers: Python's :.3g, "−" for the minus sign, no negative zero."""
    return format(x + 0.0, ".3g").replace("-", "−")


def close_enough(got, key, epoch, row, counts=None):
    want = float(stepper_value(key, epoch, row))
    ok = abs(got - want) <= 1e-12 * max(abs(want), stepper_scale(key, epoch, row))
    if counts is not None:
        counts[abs(got - want) <= 1e-12 * abs(want)] += 1
    return ok


# the numbers each phase must show in full (a number that disappears from the widget is caught)
SHOWN = {
    "forward": [f"layer_0.0.{k}" for k in range(3)] + [f"{n}.0.{j}" for n in ("z", "layer_1") for j in range(4)]
    + ["layer_2.0.0"],
    "compare": ["goal.0.0", "layer_2_delta.0.0", "error", "layer_2_error"],
    "backward": [f"{n}.0.{j}" for n in ("passed_back", "relu2deriv", "layer_1_delta") for j in range(4)],
    "gradient": [f"weight_delta_1_2.{j}.0" for j in range(4)] + [f"weight_delta_0_1.{k}.{j}" for k in range(3)
                                                                 for j in range(4)],
    "update": [f"{p}weights_1_2.{j}.0" for p in ("", "new_") for j in range(4)]
    + [f"{p}weights_0_1.{k}.{j}" for p in ("", "new_") for k in range(3) for j in range(4)],
}

STEPPER_STATE = """() => {
  const box = document.querySelector('[data-explorer="stepper"]');
  return {
    dataset: { ...box.dataset },
    numbers: Array.from(box.querySelectorAll("[data-key]"))
      .map(el => [el.dataset.key, el.textContent, el.hasAttribute("data-short"), el.closest("table") !== null]),
    edges: Array.from(box.querySelectorAll(".stepper__edge")).map(g => ({
      edge: g.dataset.edge, label: g.getAttribute("aria-label"), keys: g.dataset.keys, kind: g.dataset.kind,
      sign: g.dataset.sign, idle: g.classList.contains("stepper__edge--idle"),
      width: Number(g.querySelector(".stepper__line").getAttribute("stroke-width")),
      selected: g.getAttribute("aria-selected") === "true", tabindex: g.getAttribute("tabindex") })),
    hidden: Array.from(box.querySelectorAll(".stepper__node--hidden")).map(c => c.classList.contains("stepper__node--open")),
    crosses: Array.from(box.querySelectorAll(".stepper__cross")).map(c => c.classList.contains("stepper__cross--shown")),
    lit: Array.from(box.querySelectorAll(".stepper__node--input")).map(c => c.classList.contains("stepper__node--lit")),
    readout: box.querySelector(".stepper__readout").textContent,
    readoutKeys: Array.from(box.querySelectorAll(".stepper__readout [data-key]")).map(el => el.dataset.key),
    status: box.querySelector(".stepper__status").textContent,
    live: box.querySelector(".stepper__status").getAttribute("aria-live"),
    dots: box.querySelectorAll(".explorer__plot .explorer__dot").length,
    current: Array.from(box.querySelectorAll(".stepper__phase")).map(b => b.getAttribute("aria-current")),
    epochInput: document.getElementById("stepper-epoch").value,
    rowSelect: document.getElementById("stepper-row").value,
    prevDisabled: box.querySelector(".stepper__move").disabled,
    nextDisabled: box.querySelectorAll(".stepper__move")[1].disabled,
    html: box.innerHTML,
  };
}"""


def stepper_state(page):
    return page.evaluate(STEPPER_STATE)


def where_of(seen):
    return int(seen["dataset"]["epoch"]), int(seen["dataset"]["row"]), seen["dataset"]["phase"]


def announcement_problems(text, epoch, row, phase, moved):
    """What is wrong with what the live region says: the phase, the numbers that changed (in the widget's short
    form), where the step is when it moved to another row, and no more than that (not the whole network)."""
    step = STEPS[epoch - 1][row]
    problems = []
    if f"{PHASE_NAMES[phase]}：" not in text:
        problems.append(f"the phase {PHASE_NAMES[phase]} is not announced")
    lights = " ".join(str(x) for x in backprop.streetlights[row])
    where = f"第 {epoch} 轮，行 i = {row}：灯 {lights}，{'该走' if backprop.walk_vs_stop[row, 0] else '该停'}。"
    if moved != text.startswith(where):
        problems.append(f"where the step is should be said {'once, when it moves' if moved else 'only when it moves'}")
    opened = [str(j + 1) for j in range(4) if step["z"][0, j] > 0]
    closed = [str(j + 1) for j in range(4) if not step["z"][0, j] > 0]
    changed = {
        "forward": [f"预测 {short(step['layer_2'][0, 0])}",
                    f"单元 {'、'.join(opened)} 打开" if opened else "四个单元都关闭"],
        "compare": [f"Δ2 = {short(step['layer_2_delta'][0, 0])}", f"误差 {short(step['error'])}"],
        "backward": ["Δ1 = " + "，".join(short(v) for v in step["layer_1_delta"][0])]
        + ([f"关闭的单元 {'、'.join(closed)} 乘以 0"] if closed else []),
        "gradient": [f"{sum(stepper_value(f'weight_delta_{m}.{r}.{c}', epoch, row) != 0 for m, r, c in EDGES)} 条连线不为 0"],
        "update": [f"{sum(stepper_value(f'new_weights_{m}.{r}.{c}', epoch, row) != stepper_value(f'weights_{m}.{r}.{c}', epoch, row) for m, r, c in EDGES)} 个权重改变了"],
    }[phase]
    problems += [f"{words!r} is not announced" for words in changed if words not in text]
    said = text.removeprefix(where) if moved else text
    if len(said) > 90 or len(re.findall(r"\d+\.\d+", said)) > 5:
        problems.append(f"too chatty for a live region ({len(said)} characters): {said}")
    return problems


def check_stepper_numbers(seen, counts=None, moved=None):
    """Every number the stepper shows at its step and phase, against snippets.backprop.one_step; and what the
    picture says (open and closed units, each edge's kind, sign and thickness), the live region and the curve."""
    epoch, row, phase = where_of(seen)
    step = STEPS[epoch - 1][row]
    assert seen["current"] == ["step" if p == phase else None for p in PHASES]
    assert (seen["epochInput"], seen["rowSelect"]) == (str(epoch), str(row))
    shown = set()
    for key, text, is_short, in_table in seen["numbers"]:
        want = stepper_value(key, epoch, row)
        where = f"epoch {epoch}, row {row}, {phase}: {key} shows {text!r}, Python's is {want!r}"
        if is_short:
            assert text == short(float(want)), where
        elif key.startswith(("layer_0", "goal")):
            assert text == str(int(want)), where
        elif key.startswith("relu2deriv"):
            assert text == str(bool(want)), where
        else:
            assert re.fullmatch(r"-?\d\.?\d*(e[+-]\d+)?|-?\d+\.\d+(e[+-]\d+)?", text), where
            assert close_enough(float(text), key, epoch, row, counts), where
        if in_table:
            shown.add(key)
    assert set(SHOWN[phase]) <= shown, f"{phase}: the table lacks {sorted(set(SHOWN[phase]) - shown)}"
    assert set(SHOWN[phase]) == shown or phase == "forward"
    # the edges: the exact numbers of every edge, as a screen reader hears them (the readout shows the selected one)
    gradients = [stepper_value(f"weight_delta_{m}.{r}.{c}", epoch, row) for m, r, c in EDGES]
    for (m, r, c), edge, gradient in zip(EDGES, seen["edges"], gradients):
        assert edge["edge"] == f"{m}.{r}.{c}"
        keys = edge["keys"].split()
        numbers = edge["label"].rsplit("：", 1)[1].split(" → ")
        assert len(keys) == len(numbers) >= 1, edge
        for key, number in zip(keys, numbers):
            assert close_enough(float(number), key, epoch, row, counts), (epoch, row, phase, edge)
        expected = {"forward": [f"weights_{m}"], "compare": [f"weights_{m}"], "gradient": [f"weight_delta_{m}"],
                    "update": [f"weights_{m}", f"new_weights_{m}"],
                    "backward": ["passed_back" if m == "1_2" else f"weights_{m}"]}[phase]
        assert [key.split(".")[0] for key in keys] == expected, edge
        value = stepper_value(keys[-1], epoch, row)
        assert edge["sign"] == ("plus" if value > 0 else "minus" if value < 0 else "zero"), edge
        unit_open = step["z"][0, c if m == "0_1" else r] > 0
        if phase == "gradient":
            assert edge["kind"] == ("zero" if gradient == 0 else "gradient"), edge
        elif phase == "backward":
            assert edge["kind"] == ("back" if m == "1_2" else "back-on" if unit_open else "blocked"), edge
        elif phase == "update":
            assert edge["idle"] == (stepper_value(keys[1], epoch, row) == stepper_value(keys[0], epoch, row)), edge
        else:
            assert edge["idle"] == (backprop.streetlights[row, r] == 0 if m == "0_1" else not unit_open), edge
    if phase == "gradient":  # thicker edge, larger |weight gradient|
        by_size = sorted(zip(np.abs(gradients), [e["width"] for e in seen["edges"]]))
        assert all(w1 <= w2 for (_, w1), (_, w2) in zip(by_size, by_size[1:])), by_size
    selected = [n for n, e in enumerate(seen["edges"]) if e["selected"]]
    assert len(selected) == 1 and seen["edges"][selected[0]]["tabindex"] == "0"
    assert seen["readoutKeys"] == seen["edges"][selected[0]]["keys"].split()
    # the picture: lit lamps, open and closed units, a closed unit crossed out when nothing passes back
    assert seen["lit"] == [bool(x) for x in backprop.streetlights[row]]
    assert seen["hidden"] == [bool(z > 0) for z in step["z"][0]]
    assert seen["crosses"] == [phase == "backward" and not z > 0 for z in step["z"][0]]
    # the live region, and the error curve: one point per epoch whose four rows have been compared
    assert seen["live"] == "polite"
    if moved is not None:
        assert announcement_problems(seen["status"], epoch, row, phase, moved) == []
    done = epoch - 1 + (row == 3 and phase != "forward")
    assert seen["dots"] == done and seen["dataset"]["epochsDone"] == str(done)
    assert_no_nan(seen)
    return epoch, row, phase


def test_stepper_data_is_the_pages_network_and_nothing_computed():
    module, data = explorer_json("stepper")
    assert module == "backprop"
    # what the stepper needs to train by itself, and no step of the training
    assert set(data) == {"streetlights", "walk_vs_stop", "weights_0_1", "weights_1_2", "alpha", "iterations", "seed"}
    np.testing.assert_array_equal(data["streetlights"], backprop.streetlights)
    np.testing.assert_array_equal(data["walk_vs_stop"], backprop.walk_vs_stop)
    np.random.seed(1)  # the book's initial weights, drawn here independently of the snippet
    assert data["weights_0_1"] == (2 * np.random.random((3, 4)) - 1).tolist()
    assert data["weights_1_2"] == (2 * np.random.random((4, 1)) - 1).tolist()
    defaults = {name: p.default for name, p in inspect.signature(backprop.train_streetlights).parameters.items()}
    assert (data["alpha"], data["iterations"], data["seed"]) == (defaults["alpha"], defaults["iterations"], defaults["seed"])


def test_the_stepper_weighs_what_it_would_not_if_the_build_sent_every_step():
    """The control for the budget: had the build sent every number of the 240 steps instead of the starting
    weights (a parity test would then compare the Python with itself), the page would be over 30 KiB."""
    weights, _ = page_weights()
    assert weights["backprop.md"] <= BUDGET

    def every_step(name):
        if name != "stepper":
            return data_json(name)
        return json.dumps([[{k: np.asarray(v).tolist() for k, v in step.items()} for step in epoch] for epoch in STEPS])

    assert page_weights(every_step)[0]["backprop.md"] > BUDGET


def test_the_page_sends_the_reader_to_the_stepper_where_the_hidden_delta_is_explained():
    page = (DOCS / "backprop.md").read_text(encoding="utf-8")
    explained = page.index("$$\n\\mathtt{layer\\_1\\_delta}")  # the formula for the hidden layer's delta
    before = page[page.rindex("\n\n", 0, explained - 1):explained]
    assert "(#stepper)" in before and "「反向」阶段" in before and "关闭的单元" in before
    assert '<div class="explorer" data-explorer="stepper" id="stepper" markdown="1">' in page


def test_the_announcement_check_can_fail():
    """Controls for the live-region check: the whole network read out, the wrong phase, a wrong number."""
    step = STEPS[0][0]
    good = f"第 1 轮，行 i = 0：灯 1 0 1，该走。前向：单元 2 打开，单元 1、3、4 关闭；预测 {short(step['layer_2'][0, 0])}。"
    assert announcement_problems(good, 1, 0, "forward", moved=True) == []
    chatty = good + "权重：" + "，".join(short(w) for w in step["weights_0_1"].ravel())
    assert any("too chatty" in p for p in announcement_problems(chatty, 1, 0, "forward", moved=True))
    assert any("phase 比较" in p for p in announcement_problems(good, 1, 0, "compare", moved=True))
    assert announcement_problems(good.replace("0.392", "0.393"), 1, 0, "forward", moved=True) == [
        "'预测 0.392' is not announced"]
    assert any("only when it moves" in p for p in announcement_problems(good, 1, 0, "forward", moved=False))


NEXT = ".stepper__move.md-button--primary"


def jump(page, epoch, row, phase):
    """The jump control (epoch and row), then the phase's button."""
    page.fill("#stepper-epoch", str(epoch))
    page.select_option("#stepper-row", str(row))
    page.click(".stepper__jump button[type=submit]")
    page.click(f'.stepper__phase[data-phase="{phase}"]')


@browser_test
def test_stepper_walks_every_phase_of_three_epochs_with_python_s_numbers(browser, server):
    """From the start, one phase at a time (the button for the first epoch, the → key after that), every row
    of three epochs; then back with ←. At each phase every number shown is one_step's."""
    counts = {True: 0, False: 0}
    with visit(browser, server, STEPPER_PAGE) as v:
        page = v.page
        seen = stepper_state(page)
        assert where_of(seen) == (1, 0, "forward") and seen["prevDisabled"] and not seen["nextDisabled"]
        visited = [check_stepper_numbers(seen, counts, moved=True)]
        for n in range(1, 3 * 4 * 5):
            if n < 20:
                page.click(NEXT)
            else:
                page.keyboard.press("ArrowRight")
            seen = stepper_state(page)
            visited.append(check_stepper_numbers(seen, counts, moved=n % 5 == 0))
        assert visited == [(e, r, p) for e in (1, 2, 3) for r in range(4) for p in PHASES]
        for _ in range(6):
            page.keyboard.press("ArrowLeft")
        assert check_stepper_numbers(stepper_state(page), counts) == (3, 2, "gradient")
    assert counts[True] > 0.9 * (counts[True] + counts[False]), counts


@browser_test
def test_stepper_matches_one_step_at_50_random_jumps(browser, server):
    rng = random.Random(20240617)
    counts = {True: 0, False: 0}
    with visit(browser, server, STEPPER_PAGE) as v:
        for _ in range(50):
            epoch, row, phase = rng.randint(1, 60), rng.randint(0, 3), rng.choice(PHASES)
            jump(v.page, epoch, row, phase)
            assert check_stepper_numbers(stepper_state(v.page), counts) == (epoch, row, phase)
        # the last step of the training: → goes no further
        jump(v.page, 60, 3, "update")
        v.page.keyboard.press("ArrowRight")
        seen = stepper_state(v.page)
        assert check_stepper_numbers(seen, counts) == (60, 3, "update") and seen["nextDisabled"]
        assert seen["dots"] == 60
    assert counts[True] > 0.9 * (counts[True] + counts[False]), counts


CORRUPT = """([selector, attribute, change]) => {
  const el = document.querySelector(`[data-explorer="stepper"] ${selector}`);
  const before = attribute ? el.getAttribute(attribute) : el.textContent;
  const after = before.replace(change[0], change[1]);
  if (attribute) el.setAttribute(attribute, after); else el.textContent = after;
  return [before, after];
}"""


@browser_test
def test_the_stepper_parity_check_can_fail(browser, server):
    """Controls for check_stepper_numbers: a full-precision number off in its 10th digit, an edge's number as a
    screen reader hears it, a short number on the picture, a lamp drawn lit that is dark, an edge of the wrong sign."""
    with visit(browser, server, STEPPER_PAGE) as v:
        page = v.page
        check_stepper_numbers(stepper_state(page))
        cases = [
            ('table [data-key="layer_2.0.0"]', None, ["0.3919432", "0.3919433"]),
            ('.stepper__edge[data-edge="0_1.0.1"]', "aria-label", ["0.44064898", "0.44064899"]),
            ('text [data-key="z.0.1"]', None, ["0.518", "0.519"]),
        ]
        for selector, attribute, change in cases:
            before, after = page.evaluate(CORRUPT, [selector, attribute, change])
            assert before != after, selector
            with pytest.raises(AssertionError):
                check_stepper_numbers(stepper_state(page))
            page.evaluate(CORRUPT, [selector, attribute, change[::-1]])
            check_stepper_numbers(stepper_state(page))
        page.evaluate("() => document.querySelectorAll('.stepper__node--input')[1].classList.add('stepper__node--lit')")
        with pytest.raises(AssertionError):
            check_stepper_numbers(stepper_state(page))
        page.evaluate("() => document.querySelectorAll('.stepper__node--input')[1].classList.remove('stepper__node--lit')")
        page.evaluate("() => document.querySelector('.stepper__edge').dataset.sign = 'plus'")
        with pytest.raises(AssertionError):
            check_stepper_numbers(stepper_state(page))


@browser_test
def test_stepper_answers_the_exercise(browser, server):
    """The exercise on the page is answered by stepping: row i = 3 closes every unit in epochs 1 and 2 and changes
    no weight; from epoch 3 unit 4 opens for it and 4 edges have a weight gradient."""
    with visit(browser, server, STEPPER_PAGE) as v:
        for epoch in (1, 2):
            jump(v.page, epoch, 3, "forward")
            assert check_stepper_numbers(stepper_state(v.page))
            assert stepper_state(v.page)["hidden"] == [False] * 4
            jump(v.page, epoch, 3, "gradient")
            assert [e["kind"] for e in stepper_state(v.page)["edges"]] == ["zero"] * 16
            jump(v.page, epoch, 3, "update")
            assert "更新：0 个权重改变了" in stepper_state(v.page)["status"]
        jump(v.page, 3, 3, "forward")
        assert stepper_state(v.page)["hidden"] == [False, False, False, True]
        jump(v.page, 3, 3, "gradient")
        seen = stepper_state(v.page)
        check_stepper_numbers(seen)
        assert [e["edge"] for e in seen["edges"] if e["kind"] == "gradient"] == ["0_1.0.3", "0_1.1.3", "0_1.2.3", "1_2.3.0"]
        assert all(e["sign"] == "plus" for e in seen["edges"] if e["kind"] == "gradient")


FOCUS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const halo = el.querySelector && el.querySelector(".stepper__halo");
  const haloStyle = halo && getComputedStyle(halo);
  return {
    name: el.id || el.dataset.edge || el.dataset.phase || el.tagName.toLowerCase() + ":" + el.textContent.trim().slice(0, 12),
    role: el.getAttribute("role"),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1,
    halo: !!haloStyle && haloStyle.stroke !== "rgba(0, 0, 0, 0)" && haloStyle.strokeDasharray !== "none",
  };
}"""


def focus(page):
    return page.evaluate(FOCUS)


def focus_is_visible(seen):
    return seen["outline"] or seen["halo"]


@browser_test
def test_stepper_with_the_keyboard_only(browser, server):
    """Tab order, visible focus, ← → between phases, the jump control as a form, ↑ ↓ along the edges."""
    with visit(browser, server, STEPPER_PAGE) as v:
        page = v.page
        page.focus(NEXT)
        page.keyboard.press("Enter")  # buttons are buttons: Enter and Space
        page.keyboard.press(" ")
        assert where_of(stepper_state(page)) == (1, 0, "backward")
        page.keyboard.press("Shift+Tab")  # 上一阶段, enabled now
        order = [focus(page)]
        for _ in range(11):
            page.keyboard.press("Tab")
            order.append(focus(page))
        names = [f["name"] for f in order]
        assert names[:9] == ["button:← 上一阶段", "button:下一阶段 →", *PHASES, "stepper-epoch", "stepper-row"]
        assert names[9] == "button:跳过去" and names[10] == "0_1.0.0" and order[10]["role"] == "option"
        assert names[11].startswith("summary:")  # then the table of full-precision numbers
        assert all(focus_is_visible(f) for f in order), [f for f in order if not focus_is_visible(f)]
        page.keyboard.press("Shift+Tab")  # back to the edges
        # ← → on the edges (and on any button) step the phases; ↑ ↓ choose an edge, whose number is shown
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        seen = stepper_state(page)
        assert where_of(seen) == (1, 0, "gradient") and focus(page)["name"] == "0_1.0.2"
        assert seen["readout"].startswith("weights_0_1[0, 2]（灯 1 → 单元 3）权重梯度：")
        check_stepper_numbers(seen)
        page.keyboard.press("End")
        assert focus(page)["name"] == "1_2.3.0" and "单元 4 → 输出" in stepper_state(page)["readout"]
        page.keyboard.press("ArrowLeft")
        assert where_of(stepper_state(page)) == (1, 0, "backward")
        # the jump control: a number field and a select, with labels; Enter submits
        for _ in range(3):
            page.keyboard.press("Shift+Tab")
        assert focus(page)["name"] == "stepper-epoch"
        page.keyboard.press("ArrowLeft")  # inside the field, ← moves the caret: the phase stays
        assert where_of(stepper_state(page)) == (1, 0, "backward")
        page.keyboard.press("Control+a")
        page.keyboard.type("42")
        page.keyboard.press("Tab")
        page.keyboard.press("ArrowDown")  # the select: row i = 1
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")  # 跳过去
        seen = stepper_state(page)
        assert where_of(seen) == (42, 1, "forward")
        check_stepper_numbers(seen)
        labels = page.evaluate("""() => ["stepper-epoch", "stepper-row"].map(id =>
          document.querySelector(`label[for="${id}"]`).textContent)""")
        assert labels == ["第几轮（1–60）", "哪一行"]


@browser_test
def test_the_focus_check_can_fail(browser, server):
    """The control for the visible-focus check: with outlines and the edge's halo taken away, it fails."""
    with visit(browser, server, STEPPER_PAGE) as v:
        v.page.focus(NEXT)
        v.page.keyboard.press("Tab")
        assert focus_is_visible(focus(v.page))
        v.page.add_style_tag(content="* { outline: none !important } .stepper__halo { stroke: transparent !important }")
        assert not focus_is_visible(focus(v.page))
        v.page.focus(".stepper__edge[tabindex='0']")
        assert not focus_is_visible(focus(v.page))


TAP_POINTS = """() => {
  // for each edge, the point along it farthest from every other edge, in the window's coordinates
  const svg = document.querySelector(".stepper__network");
  const lines = Array.from(svg.querySelectorAll(".stepper__edge .stepper__line"))
    .map(l => ["x1", "y1", "x2", "y2"].map(a => Number(l.getAttribute(a))));
  const gap = ([px, py], [ax, ay, bx, by]) => {
    const dx = bx - ax, dy = by - ay;
    const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(px - ax - t * dx, py - ay - t * dy);
  };
  return lines.map((line, n) => {
    let best = null;
    for (let t = 0.25; t <= 0.75; t += 0.01) {
      const p = [line[0] + t * (line[2] - line[0]), line[1] + t * (line[3] - line[1])];
      const room = Math.min(...lines.filter((_, m) => m !== n).map(other => gap(p, other)));
      if (!best || room > best.room) best = { p, room };
    }
    const screen = new DOMPoint(...best.p).matrixTransform(svg.getScreenCTM());
    return { x: screen.x, y: screen.y, room: best.room * svg.getScreenCTM().a };
  });
}"""

TARGETS = """() => Array.from(document.querySelectorAll('[data-explorer="stepper"] :is(button, input, select, summary)'))
  .map(el => { const r = el.getBoundingClientRect(); return [el.textContent.trim().slice(0, 8) || el.id, r.width, r.height]; })"""


def small_targets(page):
    return [t for t in page.evaluate(TARGETS) if t[1] < 24 or t[2] < 24]


@browser_test
def test_stepper_by_touch(browser, server):
    """On a phone: a tap on an edge shows its number; a tap away from the edges changes nothing; the phase
    buttons answer taps; every control is at least 24 px each way (with a control that makes them smaller)."""
    with visit(browser, server, STEPPER_PAGE, width=390, has_touch=True, is_mobile=True) as v:
        page = v.page
        page.locator('.stepper__phase[data-phase="gradient"]').tap()
        page.locator(".stepper__network").scroll_into_view_if_needed()
        points = page.evaluate(TAP_POINTS)
        for n, point in enumerate(points):
            page.touchscreen.tap(point["x"], point["y"])
            seen = stepper_state(page)
            assert seen["edges"][n]["selected"], (n, point)
            m, r, c = EDGES[n]
            name = f"weights_{m}[{r}, {c}]"
            assert seen["readout"].startswith(name), seen["readout"]
            check_stepper_numbers(seen)  # the readout's number is the Python's
        before = stepper_state(page)["readout"]
        corner = page.evaluate("""() => { const svg = document.querySelector(".stepper__network");
          const p = new DOMPoint(4, 296).matrixTransform(svg.getScreenCTM()); return [p.x, p.y]; }""")
        page.touchscreen.tap(*corner)
        assert stepper_state(page)["readout"] == before
        assert small_targets(page) == []
        page.add_style_tag(content=".md-typeset .stepper__phase { min-height: 0 !important; padding: 0 !important; "
                                   "font-size: 8px !important; line-height: 1 !important }")
        assert {t[0] for t in small_targets(page)} >= {"1 前向", "5 更新"}


STEPPER_FACTS = """() => {
  const box = document.querySelector('[data-explorer="stepper"]');
  const svg = box.querySelector(".stepper__network");
  const scale = svg.getScreenCTM().a;
  const texts = Array.from(svg.querySelectorAll("text")).filter(t => t.textContent.trim())
    .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  return {
    page: document.documentElement.scrollWidth, viewport: innerWidth, box: box.getBoundingClientRect().width,
    network: svg.getBoundingClientRect().width, curve: box.querySelector(".explorer__plot").getBoundingClientRect().width,
    smallestText: Math.min(...texts),
    background: getComputedStyle(box).backgroundColor, text: getComputedStyle(box).color,
  };
}"""


def stepper_layout_problems(page, width):
    """What does not fit at ``width``: the page scrolls sideways, the network or the curve squeezed, network
    text under 9 px, text the colour of the background."""
    facts = page.evaluate(STEPPER_FACTS)
    problems = []
    if facts["page"] > facts["viewport"]:
        problems.append(f"the page is {facts['page']} px wide at {width} px")
    if facts["network"] < min(240, facts["box"] * 0.45) or facts["curve"] < min(240, facts["box"] * 0.3):
        problems.append(f"the pictures are squeezed: {facts}")
    if facts["smallestText"] < 9:
        problems.append(f"network text of {facts['smallestText']:.1f} px")
    if facts["background"] == facts["text"]:
        problems.append("text the colour of the background")
    return problems


@browser_test
@pytest.mark.parametrize("phase", ["forward", "backward"])
def test_stepper_fits_and_is_drawn_at_each_width_and_scheme(browser, server, shots, phase):
    """At 320, 390 and 1280 px, light and dark (the window resized and the scheme switched in place), in the
    middle of the training (epoch 12, row i = 1: eleven points on the error curve)."""
    with visit(browser, server, STEPPER_PAGE, width=390) as v:
        page = v.page
        jump(page, 12, 1, phase)
        box = page.locator('[data-explorer="stepper"]')
        page.add_style_tag(content=".md-header { position: absolute !important; }")  # not over the widget
        for width in (320, 390, 1280):
            for scheme in ("light", "dark"):
                page.set_viewport_size({"width": width, "height": 900})
                show_scheme(page, scheme)
                assert stepper_layout_problems(page, width) == [], f"{width} px, {scheme}"
                box.scroll_into_view_if_needed()
                box.screenshot(path=shots / f"stepper-{phase}-{scheme}-{width}.png")
        check_stepper_numbers(stepper_state(page))


@browser_test
def test_the_stepper_layout_check_can_fail(browser, server):
    with visit(browser, server, STEPPER_PAGE, width=320) as v:
        assert stepper_layout_problems(v.page, 320) == []
        v.page.add_style_tag(content=".stepper__network { min-width: 700px }")
        assert any("px wide" in p for p in stepper_layout_problems(v.page, 320))
        v.page.add_style_tag(content=".stepper__network { min-width: 0 !important; width: 120px !important } "
                                     ".stepper__network text { font-size: 8px !important }")
        problems = stepper_layout_problems(v.page, 320)
        assert any("squeezed" in p for p in problems) and any("network text" in p for p in problems)


@browser_test
def test_axe_finds_nothing_inside_the_stepper(browser, server):
    with visit(browser, server, STEPPER_PAGE) as v:
        page = v.page
        page.evaluate("() => document.querySelector('[data-explorer=\"stepper\"] details').open = true")
        for phase in PHASES:
            page.click(f'.stepper__phase[data-phase="{phase}"]')
            assert axe_violations(page, "stepper") == [], phase
        show_scheme(page, "dark")
        for phase in ("forward", "backward", "gradient"):
            page.click(f'.stepper__phase[data-phase="{phase}"]')
            assert axe_violations(page, "stepper", COLOUR_RULES) == [], phase
        # the control: a nameless button and grey-on-grey text inside the widget are found
        page.evaluate("""() => document.querySelector('[data-explorer="stepper"] .stepper__controls')
          .insertAdjacentHTML('beforeend', '<button type="button"></button><span style="color:#333">低对比度</span>')""")
        found = " ".join(axe_violations(page, "stepper"))
        assert "button-name" in found and "color-contrast" in found


@browser_test
def test_a_console_error_fails_the_visit(browser, server):
    """The control for 'no console errors': every visit above ends by asserting there were none."""
    v = visit(browser, server, STEPPER_PAGE)
    v.page.evaluate("() => console.error('made up')")
    with pytest.raises(AssertionError, match="made up"):
        v.__exit__(None, None, None)


@browser_test
def test_without_javascript_the_stepper_shows_the_first_step(browser, server):
    with visit(browser, server, STEPPER_PAGE, java_script_enabled=False) as v:
        image = v.page.locator('[data-explorer="stepper"] img:visible')
        assert image.count() == 1 and image.get_attribute("src") == "../figures/backprop/one_step.svg#only-light"
        assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
        assert "第 1 轮" in image.get_attribute("alt") and "只有第 2 个隐藏单元" in image.get_attribute("alt")
        assert "第 1 轮第一步（行 i = 0）的数" in v.page.locator('[data-explorer="stepper"]').inner_text()
        # the control: with JavaScript the widget replaces the figure, and the same check finds no figure
    with visit(browser, server, STEPPER_PAGE) as v:
        assert v.page.locator('[data-explorer="stepper"] img:visible').count() == 0
