"""第 4 章第 2 页：反向传播。

期望值的来历：
- 路灯网络打印的六个误差来自原书第 6 章「Putting it all Together」：伴随笔记本（Python 3）印出的全精度字符串，
  以及印刷版（Python 2 的 str 只保留 12 位有效数字，即 "%.12g"）；
- 笔记那三行错误代码的结果来自 numpy 的广播规则和矩阵乘法的形状规则，可以手推；
- 梯度用中心有限差分这一独立方法核对；
"""

import ast
import inspect
import math
import re
from pathlib import Path

import matplotlib.figure
import numpy as np
import pytest

from conftest import ROOT, printed_by
from snippets import backprop

# 原书第 6 章「Putting it all Together」（和「Backpropagation in Code」）在伴随笔记本里印出的误差（Python 3）
NOTEBOOK_ERRORS = ["0.6342311598444467", "0.35838407676317513", "0.0830183113303298",
                   "0.006467054957103705", "0.0003292669000750734", "1.5055622665134859e-05"]
# 同样的六个数在印刷版里的样子（Python 2 的 str 只保留 12 位有效数字）
BOOK_ERRORS = ["0.634231159844", "0.358384076763", "0.0830183113303",
               "0.0064670549571", "0.000329266900075", "1.50556226651e-05"]


# 页面上不出现在输出里的小数，以及核对它的测试
PROSE_NUMBERS = {
    "0.93": "test_after_epoch_40_the_error_shrinks_by_about_0_74_per_epoch",
    "0.74": "test_after_epoch_40_the_error_shrinks_by_about_0_74_per_epoch",
}

def book_network(seed=1, hidden_size=4):
    """书里的初始权重：np.random.seed(1) 之后依次取 3×4 和 4×1。"""
    np.random.seed(seed)
    weights_0_1 = 2 * np.random.random((3, hidden_size)) - 1
    weights_1_2 = 2 * np.random.random((hidden_size, 1)) - 1
    return weights_0_1, weights_1_2


# ---------- 路灯：和书一样的数 ----------

def test_streetlights_errors_are_the_notebooks_digit_for_digit():
    errors = backprop.train_streetlights()[2]
    assert len(errors) == 60
    printed = [errors[i] for i in range(60) if i % 10 == 9]
    assert [str(e) for e in printed] == NOTEBOOK_ERRORS
    assert ["%.12g" % e for e in printed] == BOOK_ERRORS


def test_main_prints_the_notebooks_lines_then_the_printed_books(main_output):
    lines = [line.removeprefix("Error:") for line in main_output.splitlines() if line.startswith("Error:")]
    assert lines == NOTEBOOK_ERRORS + BOOK_ERRORS


def test_streetlights_matches_an_independent_book_style_loop():
    """测试里另写一遍书的代码（书的符号：真实值 − 预测，+=），逐位相同：
    a − b 与 −(b − a) 在浮点数里精确相等，乘以 alpha、求和都只改变符号，所以两种写法一位不差。"""
    weights_0_1, weights_1_2 = book_network()
    expected = []
    for iteration in range(60):
        total = 0.0
        for i in range(4):
            layer_0 = backprop.streetlights[i:i + 1]
            hidden_in = layer_0 @ weights_0_1
            layer_1 = np.where(hidden_in > 0, hidden_in, 0.0)
            layer_2 = layer_1 @ weights_1_2
            goal = backprop.walk_vs_stop[i:i + 1]
            total += float(((layer_2 - goal) ** 2).sum())
            layer_2_delta = goal - layer_2
            layer_1_delta = (layer_2_delta @ weights_1_2.T) * (hidden_in > 0)
            weights_1_2 = weights_1_2 + 0.2 * (layer_1.T @ layer_2_delta)
            weights_0_1 = weights_0_1 + 0.2 * (layer_0.T @ layer_1_delta)
        expected.append(total)
    got_0_1, got_1_2, errors = backprop.train_streetlights()
    assert errors == expected
    np.testing.assert_array_equal(got_0_1, weights_0_1)
    np.testing.assert_array_equal(got_1_2, weights_1_2)


def test_the_corrected_network_learns_the_streetlights(main_output):
    weights_0_1, weights_1_2, errors = backprop.train_streetlights()
    assert errors[-1] < errors[0] / 1e4
    layer_1, layer_2 = backprop.forward(backprop.streetlights, weights_0_1, weights_1_2)
    # 误差是四个平方的和，1.5e-5 意味着每一行都偏离不到 sqrt(1.5e-5) ≈ 0.004
    np.testing.assert_allclose(layer_2, backprop.walk_vs_stop, atol=0.004)
    line = next(line for line in main_output.splitlines() if line.startswith("训练后的预测"))
    assert "[1.    0.999 0.003 0.   ]" in line


def test_the_books_settings():
    # 原书第 6 章「Putting it all Together」：alpha = 0.2，hidden_size = 4，60 轮，np.random.seed(1)
    defaults = {name: p.default for name, p in inspect.signature(backprop.train_streetlights).parameters.items()}
    assert defaults == {"alpha": 0.2, "hidden_size": 4, "iterations": 60, "seed": 1}


def test_the_data_is_the_books():
    np.testing.assert_array_equal(backprop.streetlights, [[1, 0, 1], [0, 1, 1], [0, 0, 1], [1, 1, 1]])
    assert backprop.walk_vs_stop.shape == (4, 1)
    np.testing.assert_array_equal(backprop.walk_vs_stop.ravel(), [1, 1, 0, 0])


def test_an_overflowing_step_stops_with_a_clear_message():
    # 权重是有限的 1e200，但前向传播溢出：layer_2 = 4 × 3e200 × 1e200 = inf
    weights_0_1, weights_1_2 = np.full((3, 4), 1e200), np.full((4, 1), 1e200)
    with np.errstate(over="ignore", invalid="ignore"):
        with pytest.raises(backprop.TrainingDiverged, match="alpha"):
            backprop.train_step(np.ones((1, 3)), np.ones((1, 1)), weights_0_1, weights_1_2, alpha=0.1)


# ---------- 笔记的错误代码 ----------

def test_seed_fixed_index_only_ever_trains_on_row_0():
    # 笔记的 layer_0 = image[0:1]：把第 0 行以外的数据换成任何东西，训练出的权重一位不变
    rng = np.random.default_rng(4)
    other_images = backprop.streetlights.astype(float).copy()
    other_labels = backprop.walk_vs_stop.astype(float).copy()
    other_images[1:] = rng.normal(size=(3, 3))
    other_labels[1:] = rng.normal(size=(3, 1))
    first = backprop.train_seed_fixed_row(backprop.streetlights, backprop.walk_vs_stop)
    second = backprop.train_seed_fixed_row(other_images, other_labels)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    # 第 0 行学会了，整套数据却没学会：四行的误差之和远高于正确训练（60 轮 × 4 行，同样 240 步）
    layer_2 = backprop.forward(backprop.streetlights, *first)[1]
    assert layer_2[0, 0] == pytest.approx(1.0, abs=1e-6)
    assert np.sum((layer_2 - backprop.walk_vs_stop) ** 2) > 0.5 > 1e3 * backprop.train_streetlights()[2][-1]


def test_main_prints_the_fixed_row_predictions(main_output):
    weights = backprop.train_seed_fixed_row(backprop.streetlights, backprop.walk_vs_stop, steps=240)
    layer_2 = backprop.forward(backprop.streetlights, *weights)[1]
    line = next(line for line in main_output.splitlines() if line.startswith("只学行 i = 0，学了 240 步之后"))
    assert str(layer_2.ravel().round(3)) in line
    total = np.sum((layer_2 - backprop.walk_vs_stop) ** 2).round(3)
    assert f"四行的误差之和: {total}" in main_output.splitlines()


def test_seed_typo_layger_1_is_a_name_error():
    namespace = {"layer_1": np.ones((1, 4)), "weight_1_2": np.ones((4, 1))}
    with pytest.raises(NameError, match="layger_1"):
        exec("layer_2 = layger_1 * weight_1_2", namespace)


def test_seed_first_line_cannot_broadcast_1x3_with_3x4():
    # 广播从最后一维对齐：3 对 4，既不相等也不是 1，numpy 报错
    weights_0_1, _ = book_network()
    with pytest.raises(ValueError, match="broadcast"):
        backprop.seed_layer_1(backprop.streetlights[0:1], weights_0_1)


def test_seed_first_line_is_silently_wrong_when_the_weights_are_square():
    # 1×3 与 3×3：最后一维都是 3，第一维 1 被拉成 3，得到 3×3（正确的是 1×3）
    layer_0 = np.array([[1.0, 0.0, 1.0]])
    weights = np.arange(9.0).reshape(3, 3)
    wrong = backprop.seed_layer_1(layer_0, weights)
    assert wrong.shape == (3, 3)
    np.testing.assert_array_equal(wrong, [[0, 0, 2], [3, 0, 5], [6, 0, 8]])  # 每一行逐元素乘 [1, 0, 1]
    assert backprop.relu(layer_0.dot(weights)).shape == (1, 3)


def test_seed_second_line_broadcasts_1x4_with_4x1_into_4x4():
    weights_0_1, weights_1_2 = book_network()
    layer_1 = backprop.relu(backprop.streetlights[0:1].dot(weights_0_1))
    wrong = backprop.seed_layer_2(layer_1, weights_1_2)
    assert wrong.shape == (4, 4)  # 应该是 1×1
    np.testing.assert_allclose(wrong, weights_1_2 * layer_1)  # 外积：第 j 行第 k 列是 w_j × l_k
    assert layer_1.dot(weights_1_2).shape == (1, 1)


def test_seed_delta_line_is_not_aligned_and_the_fix_has_the_shape_of_layer_1():
    weights_0_1, weights_1_2 = book_network()
    layer_1, layer_2 = backprop.forward(backprop.streetlights[0:1], weights_0_1, weights_1_2)
    layer_2_delta = layer_2 - backprop.walk_vs_stop[0:1]
    # (1×1).dot(4×1)：左边的列数 1 不等于右边的行数 4
    with pytest.raises(ValueError, match="not aligned"):
        backprop.seed_layer_1_delta(layer_2_delta, weights_1_2, layer_1)
    fixed = layer_2_delta.dot(weights_1_2.T) * backprop.relu2deriv(layer_1)
    assert fixed.shape == layer_1.shape == (1, 4)


def test_main_prints_what_each_seed_line_does(main_output):
    assert "layer_0 * weight_0_1（3×4）: ValueError: operands could not be broadcast" in main_output
    assert "layer_0 * weight_0_1（3×3）: 形状 (3, 3)" in main_output
    assert "layer_1 * weight_1_2       : 形状 (4, 4)" in main_output
    assert "layer_2_delta.T.dot(weight_1_2): ValueError: shapes (1,1) and (4,1) not aligned" in main_output


def test_main_prints_the_shape_table(main_output):
    # 每个 delta 与它的层同形，每一层的形状由矩阵乘法 (1×3)(3×4) = 1×4、(1×4)(4×1) = 1×1 决定
    expected = {"layer_0": "(1, 3)", "weights_0_1": "(3, 4)", "layer_1": "(1, 4)", "weights_1_2": "(4, 1)",
                "layer_2": "(1, 1)", "layer_2_delta": "(1, 1)", "layer_1_delta": "(1, 4)"}
    for name, shape in expected.items():
        assert any(line.split() == [name, "形状", *shape.split()] for line in main_output.splitlines()), name


def test_try_shape_reports_a_shape_or_the_error():
    assert backprop.try_shape(lambda: np.zeros((2, 5))) == "形状 (2, 5)"
    assert backprop.try_shape(lambda: np.ones(2) + np.ones(3)).startswith("ValueError: operands")


# ---------- relu 与 relu2deriv ----------

def test_relu_by_hand():
    np.testing.assert_array_equal(backprop.relu(np.array([-2.0, -0.5, 0.0, 0.5, 3.0])), [0, 0, 0, 0.5, 3])


# ---------- 反向传播的梯度 ----------

def test_backprop_weight_gradients_have_the_shapes_of_the_weights():
    rng = np.random.default_rng(2)
    layer_0, goal = rng.random((5, 7)), rng.random((5, 3))
    weights_0_1, weights_1_2 = rng.random((7, 4)) - 0.5, rng.random((4, 3)) - 0.5
    _, delta_0_1, delta_1_2 = backprop.backprop(layer_0, goal, weights_0_1, weights_1_2)
    assert delta_0_1.shape == (7, 4) and delta_1_2.shape == (4, 3)


def test_train_step_averages_the_batch():
    # 同一行复制三份组成一批：平均后的权重梯度与单独一行相同，所以更新也相同
    rng = np.random.default_rng(3)
    row, goal = rng.random((1, 4)), rng.random((1, 2))
    weights = [rng.random((4, 3)) - 0.5, rng.random((3, 2)) - 0.5]
    single = [w.copy() for w in weights]
    batch = [w.copy() for w in weights]
    backprop.train_step(row, goal, *single, alpha=0.1)
    error = backprop.train_step(np.repeat(row, 3, axis=0), np.repeat(goal, 3, axis=0), *batch, alpha=0.1)
    for a, b in zip(single, batch):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    assert error == pytest.approx(3 * np.sum((backprop.forward(row, *weights)[1] - goal) ** 2))


# ---------- 练习 ----------

def test_the_books_other_sign_gives_identical_errors():
    assert backprop.train_streetlights_book_sign() == backprop.train_streetlights()[2]


# ---------- 图 ----------

def test_figures_are_drawn():
    for name, draw in backprop.FIGURES.items():
        figure = draw()
        assert isinstance(figure, matplotlib.figure.Figure), name


# ---------- 不合理的参数 ----------

@pytest.mark.parametrize("alpha", [0, -0.1, math.nan, math.inf, True])  # True 是 bool，不是数
def test_bad_alpha_is_rejected(alpha):
    with pytest.raises(ValueError, match="alpha"):
        backprop.train_streetlights(alpha=alpha)


@pytest.mark.parametrize("name", ["hidden_size", "iterations"])
@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_bad_counts_are_rejected(name, bad):
    with pytest.raises(ValueError, match=name):
        backprop.train_streetlights(**{name: bad})


def test_the_shown_train_step_has_no_argument_checks():
    # 参数检查只放在读者从笔记本里调用的函数里（train_streetlights、train_digits）；页面上展示的 train_step 只做一步
    import inspect

    assert "check_" not in inspect.getsource(backprop.train_step)
    assert "check_" not in inspect.getsource(backprop.backprop)


# ---------- 笔记本 ----------

def test_notebook_shows_every_figure_with_chinese_alt_text():
    # 每个画了图的单元都用 show(画图函数, "中文替代文字") 显示并关闭它；没有裸的 Figure 留作单元的结果
    text = (Path(__file__).parents[1] / "docs" / "notebooks" / "backprop.py").read_text(encoding="utf-8")
    assert "%config" not in text
    cells = [ast.parse(cell) for cell in text.split("# %%")[1:] if not cell.startswith(" [markdown]")]
    drawing = [cell for cell in cells if "new_figure" in {n.id for n in ast.walk(cell) if isinstance(n, ast.Name)}]
    assert drawing
    for cell in drawing:
        last = cell.body[-1]
        assert isinstance(last, ast.Expr) and isinstance(last.value, ast.Call), ast.unparse(last)
        assert ast.unparse(last.value.func) == "show" and len(last.value.args) == 2
        alt = last.value.args[1]
        assert isinstance(alt, ast.Constant) and len(re.findall(r"[\u4e00-\u9fff]", alt.value)) >= 8
    for cell in cells:
        last = cell.body[-1]
        assert not (isinstance(last, ast.Expr) and isinstance(last.value, ast.Name)), ast.unparse(last)


# ---------- 页面上新加的数 ----------

def test_with_the_books_seed_two_hidden_units_are_closed_for_every_row_from_the_start():
    # np.random.seed(1) 的初始 weights_0_1：第 1、3 列（从 1 数）对四行的加权和都是负数
    np.random.seed(1)
    weights_0_1 = 2 * np.random.random((3, 4)) - 1
    sums = backprop.streetlights.dot(weights_0_1)
    assert [bool(np.all(sums[:, j] < 0)) for j in range(4)] == [True, False, True, False]
    # 训练 60 轮之后，这两列的权重一点没变：它们得不到任何梯度
    trained, _, _ = backprop.train_streetlights()
    np.testing.assert_array_equal(trained[:, [0, 2]], weights_0_1[:, [0, 2]])


def test_after_epoch_40_the_error_shrinks_by_about_0_74_per_epoch():
    errors = backprop.train_streetlights()[2]
    ratios = [errors[i + 1] / errors[i] for i in range(40, 59)]
    assert all(0.72 < r < 0.76 for r in ratios)
    assert round((errors[59] / errors[40]) ** (1 / 19), 2) == 0.74  # 第 40 轮以后平均每轮乘以 0.74
    assert round((errors[19] / errors[0]) ** (1 / 19), 2) == 0.93  # 前 20 轮降得很慢


# ---------- 逐步演示：one_step、streetlights_steps、练习和没有 JavaScript 时的图 ----------

def book_style_steps(iterations=4):
    """测试里另写一遍原书的循环（书的符号：真实值 − 预测，+=），记下每一步之前的两个权重矩阵。"""
    weights_0_1, weights_1_2 = book_network()
    before = []
    for iteration in range(iterations):
        before.append([])
        for i in range(4):
            before[iteration].append((weights_0_1.copy(), weights_1_2.copy()))
            layer_0, goal = backprop.streetlights[i:i + 1], backprop.walk_vs_stop[i:i + 1]
            hidden_in = layer_0 @ weights_0_1
            layer_1 = np.where(hidden_in > 0, hidden_in, 0.0)
            layer_2_delta = goal - layer_1 @ weights_1_2
            layer_1_delta = (layer_2_delta @ weights_1_2.T) * (hidden_in > 0)
            weights_1_2 = weights_1_2 + 0.2 * (layer_1.T @ layer_2_delta)
            weights_0_1 = weights_0_1 + 0.2 * (layer_0.T @ layer_1_delta)
    return before


def test_one_step_is_forward_backprop_and_train_step_bit_for_bit():
    """one_step 只是把 train_step 的一步拆开：每个数都和页面上的函数算出的一位不差。"""
    rng = np.random.default_rng(7)
    for _ in range(50):
        layer_0 = rng.integers(0, 2, size=(1, 3))
        goal = rng.integers(0, 2, size=(1, 1))
        weights_0_1, weights_1_2 = rng.uniform(-1, 1, (3, 4)), rng.uniform(-1, 1, (4, 1))
        untouched = weights_0_1.copy(), weights_1_2.copy()
        step = backprop.one_step(layer_0, goal, weights_0_1, weights_1_2, alpha=0.2)
        np.testing.assert_array_equal(weights_0_1, untouched[0])  # 传入的权重没有被改动
        np.testing.assert_array_equal(weights_1_2, untouched[1])
        layer_1, layer_2 = backprop.forward(layer_0, weights_0_1, weights_1_2)
        np.testing.assert_array_equal(step["layer_1"], layer_1)
        np.testing.assert_array_equal(step["layer_2"], layer_2)
        np.testing.assert_array_equal(step["layer_1"], backprop.relu(step["z"]))
        error, weight_delta_0_1, weight_delta_1_2 = backprop.backprop(layer_0, goal, weights_0_1, weights_1_2)
        assert step["error"] == error
        np.testing.assert_array_equal(step["weight_delta_0_1"], weight_delta_0_1)
        np.testing.assert_array_equal(step["weight_delta_1_2"], weight_delta_1_2)
        trained = [weights_0_1.copy(), weights_1_2.copy()]
        assert backprop.train_step(layer_0, goal, *trained, alpha=0.2) == error
        np.testing.assert_array_equal(step["new_weights_0_1"], trained[0])
        np.testing.assert_array_equal(step["new_weights_1_2"], trained[1])
        # layer_1_delta 是传回的数乘以 relu2deriv
        np.testing.assert_array_equal(step["layer_1_delta"], step["passed_back"] * (step["z"] > 0))


def test_streetlights_steps_are_train_streetlights_step_by_step():
    steps = backprop.streetlights_steps()
    weights_0_1, weights_1_2, errors = backprop.train_streetlights()
    assert len(steps) == 60 and all(len(epoch) == 4 for epoch in steps)
    # train_streetlights 的 layer_2_error：从 0 起，把一轮四行的误差依次加起来
    sums = []
    for epoch in steps:
        layer_2_error = 0
        for step in epoch:
            layer_2_error += step["error"]
        sums.append(layer_2_error)
    assert sums == errors
    np.testing.assert_array_equal(steps[-1][-1]["new_weights_0_1"], weights_0_1)
    np.testing.assert_array_equal(steps[-1][-1]["new_weights_1_2"], weights_1_2)
    # 每一步从上一步更新后的权重出发，第一步从书里的初始权重出发
    np.testing.assert_array_equal(steps[0][0]["weights_0_1"], book_network()[0])
    for a, b in zip([s for epoch in steps for s in epoch], [s for epoch in steps for s in epoch][1:]):
        assert b["weights_0_1"] is a["new_weights_0_1"] and b["weights_1_2"] is a["new_weights_1_2"]
    defaults = {name: p.default for name, p in inspect.signature(backprop.streetlights_steps).parameters.items()}
    assert defaults == {name: p.default for name, p in inspect.signature(backprop.train_streetlights).parameters.items()}


def test_with_the_books_seed_units_1_and_3_pass_nothing_back_in_any_step():
    # 页面说：用原书的种子，第 1 个和第 3 个单元对每一行都关闭，反向时什么也传不回去
    for epoch in backprop.streetlights_steps():
        for step in epoch:
            assert np.all(step["z"][0, [0, 2]] < 0)
            assert not step["layer_1_delta"][0, [0, 2]].any() and not step["weight_delta_0_1"][:, [0, 2]].any()


def test_exercise_the_row_that_closes_every_unit():
    # 独立计算（测试自己的原书式循环）：第 1、2 轮喂行 i = 3（三盏灯都亮）之前，它对四个单元的加权和都是负数；
    # 第 3 轮时第 4 个单元的加权和变成正数
    before = book_style_steps()
    row = backprop.streetlights[3:4].astype(float)
    sums = [row @ before[iteration][3][0] for iteration in range(4)]
    assert np.all(sums[0] < 0) and np.all(sums[1] < 0)
    assert list(np.flatnonzero(sums[2][0] > 0)) == [3] and list(np.flatnonzero(sums[3][0] > 0)) == [3]
    assert sums[0][0, 3] < sums[1][0, 3] < 0 < sums[2][0, 3]  # 第 4 个单元的加权和被推大了
    steps = backprop.streetlights_steps()
    for iteration in (0, 1):
        step = steps[iteration][3]
        # 所有单元关闭：预测 0 = 真实值 0，delta 0，权重梯度全是 0，权重一个也不动
        assert step["layer_2"][0, 0] == 0 and step["error"] == 0 and step["layer_2_delta"][0, 0] == 0
        np.testing.assert_array_equal(step["new_weights_0_1"], step["weights_0_1"])
        np.testing.assert_array_equal(step["new_weights_1_2"], step["weights_1_2"])
    # 所以第 4 个单元的加权和的变化全来自别的行：前两轮里行 i = 3 的两步什么也没有改
    step = steps[2][3]
    # 第 3 轮：一个单元打开，三盏灯都亮，3 条通往它的连线加 1 条通往输出的连线有权重梯度，都为正（权重往小里拉）
    assert step["layer_2"][0, 0] > 0
    assert np.count_nonzero(step["weight_delta_0_1"]) == 3 and np.count_nonzero(step["weight_delta_1_2"]) == 1
    assert np.all(step["weight_delta_0_1"][:, 3] > 0) and step["weight_delta_1_2"][3, 0] > 0
    assert np.all(step["new_weights_0_1"][:, 3] < step["weights_0_1"][:, 3])
    lines = printed_by(backprop.exercise_all_closed_row).splitlines()
    assert lines[:2] == [f"第 {n} 轮：打开的单元 []，预测 0.0000，误差 0.000000，权重梯度不为 0 的连线 0 条" for n in (1, 2)]
    assert lines[2].startswith("第 3 轮：打开的单元 [4]，") and lines[2].endswith("权重梯度不为 0 的连线 4 条")
    assert f"预测 {step['layer_2'][0, 0]:.4f}" in lines[2] and lines[3].startswith("第 4 轮：打开的单元 [4]，")


def test_unit_4_stays_open_for_the_all_lights_row_from_epoch_3_to_47_as_the_notebook_says():
    # backprop 的 notebook 说：从第 3 轮起，第 4 个单元对行 i = 3 一直打开，到第 47 轮为止，之后才被推回关闭，
    # 训练到最后这一行让四个单元都关闭。用测试自己的原书式循环（book_style_steps）喂这一行之前的权重来数。
    before = book_style_steps(iterations=60)
    row = backprop.streetlights[3:4].astype(float)
    open_epochs = [iteration + 1 for iteration in range(60) if (row @ before[iteration][3][0])[0, 3] > 0]
    assert open_epochs == list(range(3, 48))
    notebook = (ROOT / "docs" / "notebooks" / "backprop.py").read_text(encoding="utf-8")
    assert "从第 3 轮起，第 4 个单元对这一行一直打开，到第 47 轮为止" in notebook


def test_the_static_figure_is_the_first_step_as_its_alt_text_says():
    """docs/backprop.md 里 one_step 图的替代文字说的每件事。"""
    step = backprop.streetlights_steps(iterations=1)[0][0]
    assert list(backprop.streetlights[0]) == [1, 0, 1] and backprop.walk_vs_stop[0, 0] == 1  # 灯 1 和灯 3 亮，真实值 1
    assert list(np.flatnonzero(step["z"][0] > 0)) == [1]  # 只有第 2 个单元打开
    assert not step["layer_1_delta"][0, [0, 2, 3]].any()  # 关闭的三个单元 Δ1 是 0
    assert list(zip(*np.nonzero(step["weight_delta_0_1"]))) == [(0, 1), (2, 1)]  # 灯 1、灯 3 → 单元 2
    assert list(np.flatnonzero(step["weight_delta_1_2"])) == [1]  # 单元 2 → 输出
    assert step["weight_delta_0_1"][0, 1] < 0 and step["weight_delta_0_1"][2, 1] < 0 and step["weight_delta_1_2"][1, 0] < 0
    alt = re.search(r"!\[([^\]]*)\]\(figures/backprop/one_step\.svg\)",
                    (Path(__file__).parents[1] / "docs" / "backprop.md").read_text(encoding="utf-8"))[1]
    for fact in ["第 1 轮，行 i = 0", "灯 1 和灯 3 亮，真实值 1", "只有第 2 个隐藏单元", "另外三个关闭", "layer_1_delta（图中的 Δ1）是 0",
                 "灯 1 和灯 3 通往单元 2 的两条、单元 2 通往输出的一条不为 0", "都是负数"]:
        assert fact in alt, fact
    assert backprop.signed(-0.0) == "0.000" and backprop.signed(-0.4598) == "−0.460"  # 图上没有 “−0.000”


@pytest.mark.skipif("avx512f" not in Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else True,
                    reason="OpenBLAS 的 AVX-512 算法只在支持 AVX-512 的 CPU 上运行")
def test_on_avx_512_five_of_the_six_printed_errors_differ_in_their_last_digits():
    """页面上的说明：换成 OpenBLAS 的 AVX-512 算法（SkylakeX），六行里有五行的最后一两位不同，第二行印成
    0.3583840767631751；它们和配套笔记本的数仍然相差不到 1e-13（相对），只是加法的次序不同带来的舍入。"""
    import json
    import os
    import subprocess
    import sys

    code = "import json; from snippets.backprop import train_streetlights; " \
           "print(json.dumps([str(e) for e in train_streetlights()[2][9::10]]))"
    env = {**os.environ, "OPENBLAS_CORETYPE": "SkylakeX", "OPENBLAS_NUM_THREADS": "1"}
    root = Path(__file__).resolve().parents[1]
    printed = json.loads(subprocess.run([sys.executable, "-c", code], env=env, cwd=root, check=True,
                                        capture_output=True, text=True).stdout)
    differ = [ours != book for ours, book in zip(printed, NOTEBOOK_ERRORS)]
    assert sum(differ) == 5
    assert printed[1] == "0.3583840767631751"
    for ours, book in zip(printed, NOTEBOOK_ERRORS):
        assert float(ours) == pytest.approx(float(book), rel=1e-13)


def test_zero_or_equal_initial_weights_cannot_train_the_hidden_layer():
    """页面：权重全取 0 时两个权重矩阵一步也不动；全取同一个非零的数时，各隐藏单元永远一样。
    依据：全 0 时加权和为 0，relu 和 relu2deriv 都给 0，两个权重梯度都是 0；全等时各列的计算逐位相同，
    所以每一步的更新也相同。这里逐行训练 10 轮核对。"""
    zeros_0_1, zeros_1_2 = np.zeros((3, 4)), np.zeros((4, 1))
    equal_0_1, equal_1_2 = np.full((3, 4), 0.3), np.full((4, 1), 0.3)
    for _ in range(10):
        for i in range(len(backprop.streetlights)):
            layer_0, goal = backprop.streetlights[i:i + 1], backprop.walk_vs_stop[i:i + 1]
            backprop.train_step(layer_0, goal, zeros_0_1, zeros_1_2, alpha=0.2)
            backprop.train_step(layer_0, goal, equal_0_1, equal_1_2, alpha=0.2)
    assert not zeros_0_1.any() and not zeros_1_2.any()
    assert (equal_0_1 != 0.3).any()  # 它们在学……
    assert (equal_0_1 == equal_0_1[:, :1]).all() and (equal_1_2 == equal_1_2[0]).all()  # ……可四个单元一模一样
