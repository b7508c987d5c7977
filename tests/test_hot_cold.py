"""第 2 章：冷热学习。

期望值的来历：
- 原书第 4 章「Hot and Cold Learning」的设置（输入 0.5、真实值 0.8、起点权重 0.5、步长 0.001）下，最佳权重是 0.8 / 0.5 = 1.6，
  离起点 1.1，也就是 1100 步；走了 k 步后权重是 0.5 + 0.001k，预测是 0.5 × (0.5 + 0.001k)，
  误差是 (0.0005 × (1100 − k))²（浮点数的舍入除外）。
- 配套笔记本（Python 3）打印的最后一行是 Error:1.0799505792475652e-27 Prediction:0.7999999999999672；
  印刷版（Python 2，12 位有效数字）印成 Error:1.07995057925e-27 Prediction:0.8。
- 梯度下降每轮把 delta 乘以 (1 − alpha × input²)，误差乘以它的平方，所以轮数有闭式解。
"""

import hashlib
import math
import warnings
from fractions import Fraction

import matplotlib.figure
import pytest

from snippets import hot_cold

INPUT, WEIGHT, GOAL, STEP = 0.5, 0.5, 0.8, 0.001

# 页面正文写出、但页面输出里没有原样打印的小数，以及断言它们的测试
PROSE_NUMBERS = {
    "0.05": "test_the_closest_points_for_steps_0_3_and_0_15",
    "0.001": "test_weight_walks_up_by_one_step_each_iteration",
    "0.0005": "test_weight_walks_up_by_one_step_each_iteration",
    "2.5": "test_exercise_step_0_003",
    "3.3": "test_numbers_stated_in_the_prose",
    "0.3": "test_large_step_bounces_between_1_4_and_1_7",
    "0.2": "test_large_step_bounces_between_1_4_and_1_7",
    "2.0": "test_large_step_bounces_between_1_4_and_1_7",
    "0.4": "test_large_step_bounces_between_1_4_and_1_7",
    "0.01": "test_large_step_bounces_between_1_4_and_1_7",
    "0.15": "test_a_fixed_step_cannot_get_closer_than_the_step_allows",
    "0.003": "test_numbers_stated_in_the_prose",
    "0.11": "test_a_lucky_step_that_divides_the_distance_is_fast",
    "0.002": "test_numbers_stated_in_the_prose",
    "0.75": "test_numbers_stated_in_the_prose",
    "0.5625": "test_numbers_stated_in_the_prose",
    "37.9": "test_numbers_stated_in_the_prose",
    "0.1": "test_iterations_to_reach_matches_the_closed_forms",
    "0.975": "test_numbers_stated_in_the_prose",
    "0.950625": "test_numbers_stated_in_the_prose",
    "431.1": "test_numbers_stated_in_the_prose",
    "−0.55": "test_the_two_trials_measure_the_slope",
}
BOOK_LAST_LINE = "Error:1.0799505792475652e-27 Prediction:0.7999999999999672"  # 配套笔记本的最后一行


@pytest.fixture(scope="module")
def book_run():
    return hot_cold.hot_cold_learning(INPUT, WEIGHT, GOAL, STEP, iterations=1101)


def line(error, prediction):
    return "Error:" + str(error) + " Prediction:" + str(prediction)


# ---- 书里的 1101 轮 ----

def test_book_run_ends_with_the_books_last_line(book_run):
    errors, predictions, _ = book_run
    assert len(errors) == len(predictions) == 1101
    assert line(errors[-1], predictions[-1]) == BOOK_LAST_LINE


def test_book_run_first_line_by_hand(book_run):
    errors, predictions, _ = book_run
    # 0.5 × 0.5 = 0.25 在二进制里精确；(0.25 − 0.8)² = 0.3025，0.8 的舍入让末位多出 …005
    assert predictions[0] == 0.25
    assert errors[0] == pytest.approx(0.3025, abs=1e-15)
    assert line(errors[0], predictions[0]) == "Error:" + str((0.25 - 0.8) ** 2) + " Prediction:0.25"


def test_weight_walks_up_by_one_step_each_iteration(book_run):
    errors, predictions, weights = book_run
    # 前 1100 轮都在 1.6 的下方，往上一步总是更近：每轮权重加 0.001
    for k in range(1101):
        assert weights[k] == pytest.approx(0.5 + 0.001 * k, abs=1e-12)
        assert predictions[k] == pytest.approx(0.5 * (0.5 + 0.001 * k), abs=1e-12)
        assert errors[k] == pytest.approx((0.0005 * (1100 - k)) ** 2, abs=1e-12)


def test_last_prediction_is_just_below_the_goal(book_run):
    errors, predictions, weights = book_run
    # 1100 次加 0.001 的舍入让权重略小于 1.6，所以预测略小于 0.8，误差是这点差的平方
    assert weights[1100] < 1.6 and predictions[-1] < 0.8
    assert 0.8 - predictions[-1] < 1e-12
    assert errors[-1] == pytest.approx((predictions[-1] - 0.8) ** 2, rel=1e-12)
    # 略低于 1.6 时往上一步（差 0.001 − ε）比往下一步（差 0.001 + ε）近，所以最后一轮又往上走到 1.601
    assert weights[1101] == pytest.approx(1.601, abs=1e-12)


def test_main_prints_the_trace_the_page_shows(main_output, book_run):
    errors, predictions, _ = book_run
    out = main_output.splitlines()
    expected = [line(e, p) for e, p in zip(errors[:3], predictions[:3])]
    expected += ["……（中间省略 1095 行）……"]  # 1101 − 3 − 3 = 1095
    expected += [line(e, p) for e, p in zip(errors[-3:], predictions[-3:])]
    assert out[:7] == expected
    assert out[6] == BOOK_LAST_LINE
    assert out[7] == "第 1101 轮（iteration = 1100）预测时的权重: " + str(hot_cold.hot_cold_learning(
        INPUT, WEIGHT, GOAL, STEP, 1101)[2][1100])
    assert out[9] == "1101 轮一共做的预测次数: 3303"  # 每轮 3 次预测 × 1101 轮
    assert 3 * 1101 - 2 == 3301  # 页面：最后一轮误差已够小就停、不再试左右时，少两次预测


# 配套笔记本 Chapter4 - Gradient Descent - Intro to Neural Learning.ipynb（Python 3）里与本站不同的两行，
# 行号从 1 数起；本站算出的是 Error:0.0976562499999999 和 Error:0.00731025000000401
NOTEBOOK_DIFFERENT_LINES = {
    476: "Error:0.09765624999999989 Prediction:0.4875000000000002",
    930: "Error:0.007310250000004009 Prediction:0.7144999999999766",
}


def test_the_printed_book_shows_the_same_last_line_with_12_digits(book_run):
    # 印刷版用 Python 2，str(float) 保留 12 位有效数字，即 "%.12g"
    errors, predictions, _ = book_run
    assert "Error:%.12g Prediction:%.12g" % (errors[-1], predictions[-1]) == (
        "Error:1.07995057925e-27 Prediction:0.8"
    )


@pytest.mark.parametrize("line_number", sorted(NOTEBOOK_DIFFERENT_LINES))
def test_where_the_notebook_differs_this_site_prints_the_correctly_rounded_square(book_run, line_number):
    errors, predictions, _ = book_run
    notebook_error, notebook_prediction = NOTEBOOK_DIFFERENT_LINES[line_number].split(" ")
    i = line_number - 1
    assert notebook_prediction == "Prediction:" + str(predictions[i])  # 预测一样
    exact = (Fraction(predictions[i]) - Fraction(GOAL)) ** 2  # 分数算出的精确平方
    assert errors[i] == float(exact)  # 本站：精确值舍入到最近的浮点数
    notebook = float(notebook_error.removeprefix("Error:"))
    assert notebook == math.nextafter(errors[i], 0)  # 笔记本：小一个最低位


def test_every_other_line_is_the_notebooks(book_run):
    # 配套笔记本的 1101 行输出，把上面两行换成本站的（正确舍入的）值之后，SHA-256 是下面这个数；
    # 它算自笔记本的输出，不是本站的运行结果。前三行、后三行也逐字写在这里对照
    errors, predictions, _ = book_run
    lines = [line(e, p) for e, p in zip(errors, predictions)]
    assert lines[:3] == [
        "Error:0.30250000000000005 Prediction:0.25",
        "Error:0.3019502500000001 Prediction:0.2505",
        "Error:0.30140100000000003 Prediction:0.251",
    ]
    assert lines[-3:] == [
        "Error:1.000000000065505e-06 Prediction:0.7989999999999673",
        "Error:2.5000000003280753e-07 Prediction:0.7994999999999672",
        BOOK_LAST_LINE,
    ]
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    assert digest == "35181923b44c9ffad0247364bf51fa880e90eced9c5e0f07311e5595f6b0c21b"


def test_alpha_1_is_the_books_direction_and_amount_listing():
    # 原书第 4 章「Calculating Both Direction and Amount from Error」：同样的设置，
    # weight = weight - (pred - goal_pred) * input，跑 20 轮；配套笔记本打印的第一行和最后一行
    errors, predictions, _ = hot_cold.gradient_descent(INPUT, WEIGHT, GOAL, alpha=1, iterations=20)
    assert line(errors[0], predictions[0]) == "Error:0.30250000000000005 Prediction:0.25"
    assert line(errors[-1], predictions[-1]) == "Error:5.408208020258491e-06 Prediction:0.7976744445781151"


# ---- 步长太大 ----

def test_large_step_bounces_between_1_4_and_1_7(main_output):
    # 0.5 → 0.8 → 1.1 → 1.4 → 1.7；1.7 处往下到 1.4（差 0.2）比往上到 2.0（差 0.4）近，
    # 1.4 处往上到 1.7（差 0.1）比往下到 1.1（差 0.5）近，于是来回跳
    errors, _, weights = hot_cold.hot_cold_learning(INPUT, WEIGHT, GOAL, 0.3, iterations=10)
    assert weights == pytest.approx([0.5, 0.8, 1.1, 1.4, 1.7, 1.4, 1.7, 1.4, 1.7, 1.4, 1.7])
    best = GOAL / INPUT  # 1.6
    assert abs(1.7 - 0.3 - best) == pytest.approx(0.2) and abs(1.7 + 0.3 - best) == pytest.approx(0.4)
    assert 1.7 + 0.3 == pytest.approx(2.0)
    assert abs(1.4 + 0.3 - best) == pytest.approx(0.1) and abs(1.4 - 0.3 - best) == pytest.approx(0.5)
    assert (0.5 * 0.2) ** 2 == pytest.approx(0.01) and errors[3] == pytest.approx(0.01)
    assert (0.5 * 0.1) ** 2 == pytest.approx(0.0025) and errors[4] == pytest.approx(0.0025)
    out = main_output
    # 误差：(0.5 × 0.2)² = 0.01，(0.5 × 0.1)² = 0.0025
    assert "第 4 轮  weight = 1.4  error = 0.0100" in out
    assert "第 5 轮  weight = 1.7  error = 0.0025" in out
    assert "第 10 轮  weight = 1.4  error = 0.0100" in out


@pytest.mark.parametrize("step_amount", ["0.3", "0.15", "0.07", "0.003"])
def test_a_fixed_step_cannot_get_closer_than_the_step_allows(step_amount):
    # 权重只能落在 0.5 + k × 步长 上；离 1.6 最近的那个点差 min(r, 步长 − r)，r = 1.1 mod 步长（用分数精确计算）
    step = Fraction(step_amount)
    r = Fraction("1.1") % step
    closest = min(r, step - r)
    errors, _, _ = hot_cold.hot_cold_learning(INPUT, WEIGHT, GOAL, float(step), iterations=2000)
    assert min(errors) == pytest.approx(float((Fraction(1, 2) * closest) ** 2), rel=1e-6)
    assert closest > 0  # 这些步长都走不到 1.6，误差有一个大于 0 的下限


def test_the_closest_points_for_steps_0_3_and_0_15():
    # 1.1 = 3 × 0.3 + 0.2，d = min(0.2, 0.1) = 0.1；1.1 = 7 × 0.15 + 0.05，d = min(0.05, 0.1) = 0.05
    for step, d in [("0.3", Fraction("0.1")), ("0.15", Fraction("0.05"))]:
        r = Fraction("1.1") % Fraction(step)
        assert min(r, Fraction(step) - r) == d


# ---- 冷热学习与梯度下降：误差低于 1e-10 要多少次预测 ----

def gd_iterations_closed_form(alpha, threshold=1e-10):
    """第 n 轮的误差 = 0.3025 × r^n，r = (1 − alpha × 0.25)²；第一次低于 threshold 的 n 再加 1 就是轮数。"""
    x = math.log(threshold / 0.3025) / math.log((1 - alpha * INPUT**2) ** 2)
    assert abs(x - round(x)) > 1e-3  # 离整数够远，浮点舍入不会改变结果
    return math.floor(x) + 1 + 1


def test_gradient_descent_shrinks_the_error_by_a_constant_factor():
    for alpha in [0.1, 1, 2]:
        errors, _, _ = hot_cold.gradient_descent(INPUT, WEIGHT, GOAL, alpha, iterations=20)
        for before, after in zip(errors, errors[1:]):
            assert after / before == pytest.approx((1 - alpha * INPUT**2) ** 2, rel=1e-6)


def test_iterations_to_reach_matches_the_closed_forms():
    # 冷热学习：第 k 轮误差 (0.0005 × (1100 − k))²，k < 1100 时至少 2.5e-7，k = 1100 时只剩舍入 → 1101 轮
    errors, _, _ = hot_cold.hot_cold_learning(INPUT, WEIGHT, GOAL, STEP, iterations=3000)
    assert hot_cold.iterations_to_reach(errors, 1e-10) == 1100 + 1
    for alpha in [0.1, 1]:
        errors, _, _ = hot_cold.gradient_descent(INPUT, WEIGHT, GOAL, alpha, iterations=3000)
        assert hot_cold.iterations_to_reach(errors, 1e-10) == gd_iterations_closed_form(alpha)
    assert gd_iterations_closed_form(1) == 39 and gd_iterations_closed_form(0.1) == 433


def test_iterations_to_reach_counts_from_one():
    assert hot_cold.iterations_to_reach([5.0, 2.0, 0.5], 1.0) == 3
    assert hot_cold.iterations_to_reach([0.5], 1.0) == 1
    assert hot_cold.iterations_to_reach([5.0, 2.0], 1.0) is None


def test_comparison_table_is_printed_as_markdown(main_output):
    out = main_output.splitlines()
    table = [l for l in out if l.startswith("|")]
    assert table[0] == "| 方法 | 步长或 alpha | 每轮预测次数 | 轮数 | 预测总次数 |"
    assert table[1] == "| --- | --- | ---: | ---: | ---: |"
    # 冷热学习：1101 轮 × 3 次；0.003 的最小误差见上面的 (0.5 × 0.001)² = 2.5e-7；梯度下降：闭式解 × 1 次
    assert table[2] == "| 冷热学习 | step_amount = 0.001 | 3 | 1101 | 3303 |"
    assert table[3] == "| 冷热学习 | step_amount = 0.003 | 3 | 2000 轮内达不到（最小误差 2.5e-07） | — |"
    n = gd_iterations_closed_form(0.1)
    assert table[4] == f"| 梯度下降 | alpha = 0.1 | 1 | {n} | {n} |"
    n = gd_iterations_closed_form(1)
    assert table[5] == f"| 梯度下降 | alpha = 1 | 1 | {n} | {n} |"
    assert len(table) == 6


# ---- 练习 ----

def test_exercise_step_0_003(capsys):
    hot_cold.exercise_step_0_003()
    out = capsys.readouterr().out.splitlines()
    # 0.5 + 366 × 0.003 = 1.598（差 0.002），0.5 + 367 × 0.003 = 1.601（差 0.001）：两点之间来回跳；
    # 最小误差 (0.5 × 0.001)² = 2.5e-7
    assert float(out[0].removeprefix("最小误差: ")) == pytest.approx(2.5e-7, rel=1e-6)
    assert out[1] in ("最后 4 轮的权重: [1.601, 1.598, 1.601, 1.598]", "最后 4 轮的权重: [1.598, 1.601, 1.598, 1.601]")
    assert out[2] == "误差低于 1e-10 要跑的轮数: None"


def test_exercise_scaled_step_is_gradient_descent_at_three_times_the_cost(capsys):
    hot_cold.exercise_scaled_step()
    out = capsys.readouterr().out.splitlines()
    # 步长 |delta| × input 与 alpha = 1 的梯度下降每轮走的距离 |alpha × input × delta| 相同，
    # 方向也相同（都往误差小的一边），所以轮数相同：39（闭式解）；前 38 轮各 3 次预测，最后一轮误差已够小，只做 1 次
    n = gd_iterations_closed_form(1)
    assert n == 39
    assert out[0].startswith(f"轮数: {n}  预测总次数: {3 * (n - 1) + 1}  误差: ")
    assert float(out[0].rsplit(" ", 1)[1]) < 1e-10
    assert out[1] == f"梯度下降（alpha = 1）的轮数: {n}"


def test_exercise_one_step(capsys):
    hot_cold.exercise_one_step()
    out = capsys.readouterr().out.splitlines()
    # alpha = 1 / 0.5² = 4；0.5 − 4 × 0.5 × (0.25 − 0.8) = 0.5 + 1.1 = 1.6，之后 delta = 0，权重不再动
    assert out[0] == "alpha = 4.0"
    weights = eval(out[1].removeprefix("weights = "))
    errors = eval(out[2].removeprefix("errors = "))
    assert weights == pytest.approx([0.5, 1.6, 1.6, 1.6], abs=1e-15)
    assert errors[0] == pytest.approx(0.3025) and max(errors[1:]) < 1e-30


# ---- 图 ----

def test_figures_draw_with_the_chinese_font():
    assert set(hot_cold.FIGURES) == {"error_and_weight", "large_step"}
    for name, draw in hot_cold.FIGURES.items():
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # 缺字形的警告会在这里变成失败
            figure = draw()
            figure.canvas.draw()
        assert isinstance(figure, matplotlib.figure.Figure), name
        assert len(figure.axes) == 2, name


# ---- 不合理的参数 ----

def test_hot_cold_step_only_computes():
    # 上下两边误差一样大时两个 if 都不成立，权重不动（0.25 和 0.75 离 0.5 一样远，二进制里都精确）
    assert hot_cold.hot_cold_step(1.0, 0.5, 0.5, 0.25) == 0.5
    # 展示用的一步不检查参数（检查放在 hot_cold_learning 里）：输入是 nan 时两边的误差都是 nan，
    # 两个比较都不成立，它不报错，权重也不动
    assert hot_cold.hot_cold_step(math.nan, 0.5, 0.8, 0.001) == 0.5


@pytest.mark.parametrize("bad", [math.nan, math.inf, "0.5", None])
def test_non_finite_numbers_are_rejected_with_their_names(bad):
    for name in ["input", "weight", "goal_prediction"]:
        arguments = {"input": INPUT, "weight": WEIGHT, "goal_prediction": GOAL}
        arguments[name] = bad
        with pytest.raises(ValueError, match=name):
            hot_cold.hot_cold_learning(step_amount=STEP, iterations=5, **arguments)
        with pytest.raises(ValueError, match=name):
            hot_cold.gradient_descent(alpha=0.1, iterations=5, **arguments)


@pytest.mark.parametrize("bad", [0, -0.001, math.nan])
def test_step_amount_and_alpha_must_be_positive(bad):
    with pytest.raises(ValueError, match="step_amount"):
        hot_cold.hot_cold_learning(INPUT, WEIGHT, GOAL, bad, 5)
    with pytest.raises(ValueError, match="alpha"):
        hot_cold.gradient_descent(INPUT, WEIGHT, GOAL, bad, 5)
    with pytest.raises(ValueError, match="threshold"):
        hot_cold.iterations_to_reach([1.0], bad)


@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_iterations_must_be_a_positive_integer(bad):
    with pytest.raises(ValueError, match="iterations"):
        hot_cold.hot_cold_learning(INPUT, WEIGHT, GOAL, STEP, bad)
    with pytest.raises(ValueError, match="iterations"):
        hot_cold.gradient_descent(INPUT, WEIGHT, GOAL, 0.1, bad)


def test_diverging_gradient_descent_stops_with_a_message():
    # alpha = 100：delta 每轮乘以 1 − 100 × 0.25 = −24，误差乘以 576，第 1 轮就比起点大
    with pytest.raises(ValueError, match="alpha = 100 太大.*第 1 轮.*发散"):
        hot_cold.gradient_descent(INPUT, WEIGHT, GOAL, 100, iterations=1000)
    # alpha = 9：delta 乘以 1 − 9 × 0.25 = −1.25，同样第 1 轮就停
    with pytest.raises(ValueError, match="alpha = 9 太大.*第 1 轮"):
        hot_cold.gradient_descent(INPUT, WEIGHT, GOAL, 9, iterations=1000)
    # alpha = 7：delta 乘以 1 − 7 × 0.25 = −0.75，|−0.75| < 1，来回跳但收敛，不会被当成发散
    errors, _, _ = hot_cold.gradient_descent(INPUT, WEIGHT, GOAL, 7, iterations=50)
    assert errors[-1] < 1e-10


# ---- 正文里说到的数 ----

def test_numbers_stated_in_the_prose():
    # 最后一行的预测比 0.8 小约 3.3e-14（0.8 − 0.7999999999999672），平方约 1.1e-27
    assert 0.8 - 0.7999999999999672 == pytest.approx(3.3e-14, abs=0.05e-14)
    # ln(1e-10 / 0.3025) / ln(0.75²) ≈ 37.9；ln(1e-10 / 0.3025) / ln(0.975²) ≈ 431.1
    assert math.log(1e-10 / 0.3025) / math.log(0.75**2) == pytest.approx(37.9, abs=0.05)
    assert math.log(1e-10 / 0.3025) / math.log(0.975**2) == pytest.approx(431.1, abs=0.05)
    # 预测次数之比：3303 / 433 > 7（不到七分之一），3303 / 39 > 80（不到八十分之一）
    assert 3 * 1101 / gd_iterations_closed_form(0.1) > 7
    assert 3 * 1101 / gd_iterations_closed_form(1) > 80
    # 轮数之比：alpha = 1 时 1101 / 39 ≈ 28（只剩约二十八分之一），alpha = 0.1 时 1101 / 433 ≈ 2.5（剩下四成左右）
    assert 20 < 1101 / gd_iterations_closed_form(1) < 30
    assert 2 < 1101 / gd_iterations_closed_form(0.1) < 3
    # 1.1 除以 0.003 的余数是 0.002，离 1.6 最近还差 min(0.002, 0.001) = 0.001
    assert Fraction("1.1") % Fraction("0.003") == Fraction("0.002")
    # 每轮误差乘的数：alpha = 1 时 (1 − 0.25)² = 0.75² = 0.5625，alpha = 0.1 时 0.975² = 0.950625
    assert (1 - 1 * INPUT**2) ** 2 == 0.75**2 == 0.5625
    assert (1 - 0.1 * INPUT**2) ** 2 == pytest.approx(0.950625) and 0.975**2 == pytest.approx(0.950625)


def test_the_two_trials_measure_the_slope():
    # 在权重 0.5、步长 0.001：(up_error − down_error) / (2 × 步长) 是中心差分；误差是二次函数，所以它恰好是斜率
    # 2 × delta × input = 2 × (0.25 − 0.8) × 0.5 = −0.55（用分数精确计算）
    w, s, x, y = Fraction(1, 2), Fraction(1, 1000), Fraction(1, 2), Fraction(4, 5)
    up, down = (x * (w + s) - y) ** 2, (x * (w - s) - y) ** 2
    assert (up - down) / (2 * s) == 2 * (x * w - y) * x == Fraction(-55, 100)
    assert float(Fraction(-55, 100)) == -0.55
    # 同样的算法用浮点数算（冷热学习里的两个误差），只差舍入
    up_error = (GOAL - INPUT * (WEIGHT + STEP)) ** 2
    down_error = (GOAL - INPUT * (WEIGHT - STEP)) ** 2
    assert (up_error - down_error) / (2 * STEP) == pytest.approx(-0.55, abs=1e-9)


def test_a_lucky_step_that_divides_the_distance_is_fast():
    # 1.1 = 10 × 0.11：第 10 轮移动之后权重到 1.6，第 11 轮记下的误差才低于 1e-10，共 11 轮、33 次预测
    errors, _, weights = hot_cold.hot_cold_learning(0.5, 0.5, 0.8, step_amount=0.11, iterations=20)
    assert hot_cold.iterations_to_reach(errors, 1e-10) == 11
    assert weights[10] == pytest.approx(1.6)


def test_a_smaller_step_can_stop_higher():
    # 余数决定下限：0.01 整除 1.1，能走到底；更小的 0.003 余 0.002，误差停在 (0.5 × 0.001)² = 2.5e-7
    fine, _, _ = hot_cold.hot_cold_learning(0.5, 0.5, 0.8, step_amount=0.01, iterations=200)
    coarse, _, _ = hot_cold.hot_cold_learning(0.5, 0.5, 0.8, step_amount=0.003, iterations=2000)
    assert min(fine) < 1e-20
    assert min(coarse) == pytest.approx(2.5e-7, rel=1e-6)


def test_the_weight_ends_below_1_6_because_each_addition_rounds():
    # 页面说：权重走到比 1.6 略小的地方，是 1100 次加法各自舍入积累的结果，不是因为 0.001 存得不精确。
    # 存下的 0.001 比真正的 0.001 略大：只用它、精确地加 1100 次，会落在 1.6 的上方。
    assert Fraction(0.001) > Fraction(1, 1000)
    assert Fraction(0.5) + 1100 * Fraction(0.001) > Fraction(8, 5)
    weights = hot_cold.hot_cold_learning(0.5, 0.5, 0.8, 0.001, 1101)[2]
    assert weights[1100] < 1.6 and Fraction(weights[1100]) < Fraction(8, 5)
