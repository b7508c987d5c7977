"""第 3 章第 5 页：学习率 alpha、两种更新规则的五种情形、原笔记的单层代码与多个输入。

期望值的来源写在每个测试里：手算、原书的配套笔记本（iamtrask/Grokking-Deep-Learning）里原书代码的输出、
闭式解（delta 每一步乘以 1 − alpha·input²），或者在测试里另写一份的独立算法（逐项求和）。
"""

import math

import numpy as np

import pytest

from conftest import assert_figures_draw_and_stay_light
from snippets import learning_rate as lr
from snippets import weight_delta as wd

# 页面上不在输出里的小数 → 核对它的测试
PROSE_NUMBERS = {
    "74.1125": "test_multi_input_delta_shrinks_by_one_minus_alpha_x_dot_x",
    "0.027": "test_multi_input_delta_shrinks_by_one_minus_alpha_x_dot_x",
    "0.741125": "test_multi_input_delta_shrinks_by_one_minus_alpha_x_dot_x",
    "0.258875": "test_multi_input_delta_shrinks_by_one_minus_alpha_x_dot_x",
    "0.04": "test_without_alpha_errors_multiply_by_nine",
    "0.36": "test_without_alpha_errors_multiply_by_nine",
    "3.24": "test_without_alpha_errors_multiply_by_nine",
    "5.403406870691965": "test_book_runs_all_twenty_and_ends_where_the_notebook_ends",
    "1.5": "test_with_alpha_errors_multiply_by_point_three_six",
    "0.4": "test_overcorrection_figure_follows_the_factor",
    "0.2": "test_note_and_book_single_layer_give_the_same_weight",
    "0.35": "test_overcorrection_figure_follows_the_factor",
    "0.86": "test_multi_input_update_by_hand",
    "0.14": "test_multi_input_update_by_hand",
    "1.19": "test_multi_input_update_by_hand",
    "0.091": "test_multi_input_update_by_hand",
    "0.168": "test_multi_input_update_by_hand",
    "8.5": "test_multi_input_update_by_hand",
    "0.65": "test_multi_input_update_by_hand",
    "0.5625": "test_exercise_small_input",
    "0.98": "test_exercise_zero_input",
    "0.02": "test_exercise_zero_input",
}

# 原书的配套笔记本第 4 章「Breaking Gradient Descent」一节，第二段代码（Now let's break it：input 2，不乘学习率）的输出
BREAK_IT = """\
Error:0.03999999999999998 Prediction:1.0
Error:0.3599999999999998 Prediction:0.20000000000000018
Error:3.2399999999999984 Prediction:2.5999999999999996
Error:29.159999999999986 Prediction:-4.599999999999999
Error:262.4399999999999 Prediction:16.999999999999996
Error:2361.959999999998 Prediction:-47.79999999999998
Error:21257.639999999978 Prediction:146.59999999999994
Error:191318.75999999983 Prediction:-436.5999999999998
Error:1721868.839999999 Prediction:1312.9999999999995
Error:15496819.559999991 Prediction:-3935.799999999999
Error:139471376.03999993 Prediction:11810.599999999997
Error:1255242384.3599997 Prediction:-35428.59999999999
Error:11297181459.239996 Prediction:106288.99999999999
Error:101674633133.15994 Prediction:-318863.79999999993
Error:915071698198.4395 Prediction:956594.5999999997
Error:8235645283785.954 Prediction:-2869780.599999999
Error:74120807554073.56 Prediction:8609344.999999996
Error:667087267986662.1 Prediction:-25828031.799999986
Error:6003785411879960.0 Prediction:77484098.59999996
Error:5.403406870691965e+16 Prediction:-232452292.5999999""".splitlines()

# 同一节的第三段代码（alpha = 0.1）的输出
WITH_ALPHA = """\
Error:0.03999999999999998 Prediction:1.0
Error:0.0144 Prediction:0.92
Error:0.005183999999999993 Prediction:0.872
Error:0.0018662400000000014 Prediction:0.8432000000000001
Error:0.0006718464000000028 Prediction:0.8259200000000001
Error:0.00024186470400000033 Prediction:0.815552
Error:8.70712934399997e-05 Prediction:0.8093312
Error:3.134566563839939e-05 Prediction:0.80559872
Error:1.1284439629823931e-05 Prediction:0.803359232
Error:4.062398266736526e-06 Prediction:0.8020155392
Error:1.4624633760252567e-06 Prediction:0.8012093235200001
Error:5.264868153690924e-07 Prediction:0.8007255941120001
Error:1.8953525353291194e-07 Prediction:0.8004353564672001
Error:6.82326912718715e-08 Prediction:0.8002612138803201
Error:2.456376885786678e-08 Prediction:0.8001567283281921
Error:8.842956788836216e-09 Prediction:0.8000940369969153
Error:3.1834644439835434e-09 Prediction:0.8000564221981492
Error:1.1460471998340758e-09 Prediction:0.8000338533188895
Error:4.125769919393652e-10 Prediction:0.8000203119913337
Error:1.485277170987127e-10 Prediction:0.8000121871948003""".splitlines()

# 同一节第一段代码（input 0.5，不乘学习率）输出的前三行
SMALL_INPUT = """\
Error:0.30250000000000005 Prediction:0.25
Error:0.17015625000000004 Prediction:0.3875
Error:0.095712890625 Prediction:0.49062500000000003""".splitlines()


def block(output, first_line, length):
    """main() 输出里从 first_line 开始的 length 行。"""
    lines = output.splitlines()
    start = lines.index(first_line)
    return lines[start:start + length]


# ---------------------------------------------------------------- 没有 alpha / alpha = 0.1

def test_without_alpha_errors_multiply_by_nine():
    # delta 每一步乘以 1 − input² = −3，误差乘以 9：error_k = 0.04·9^k（0.04、0.36、3.24……），
    # prediction_k = 0.8 + 0.2·(−3)^k
    history, diverged_at = lr.train(input=2, goal_pred=0.8, weight=0.5, iterations=20)
    assert diverged_at == 9  # 0.04·9^7 ≈ 1.9e5 < 1e6 < 0.04·9^8 ≈ 1.7e6
    assert len(history) == 8
    for k, (error, prediction) in enumerate(history):
        assert error == pytest.approx(0.04 * 9 ** k, rel=1e-9)
        assert prediction == pytest.approx(0.8 + 0.2 * (-3) ** k, rel=1e-9)
    assert [round(error, 12) for error, _ in history[:3]] == [0.04, 0.36, 3.24]


def test_without_alpha_lines_match_the_companion_notebook(main_output):
    history, _ = lr.train(input=2, goal_pred=0.8, weight=0.5, iterations=20)
    assert [lr.trace_line(*h) for h in history] == BREAK_IT[:8]
    assert block(main_output, BREAK_IT[0], 9) == BREAK_IT[:8] + ["训练发散：第 9 次预测的误差超过发散阈值 1e+06，已停止。"]


def test_book_runs_all_twenty_and_ends_where_the_notebook_ends():
    # 原书不检查发散：把发散阈值放到很大，20 步都走完，和配套笔记本的 20 行逐行相同；
    # 最后的误差 0.04·9^19 ≈ 5.4e16，配套笔记本打印为 5.403406870691965e+16
    history, diverged_at = lr.train(input=2, goal_pred=0.8, weight=0.5, iterations=20, max_error=1e300)
    assert diverged_at is None
    assert [lr.trace_line(*h) for h in history] == BREAK_IT
    assert str(history[-1][0]) == "5.403406870691965e+16"
    assert history[-1][0] == pytest.approx(0.04 * 9 ** 19, rel=1e-9)


def test_python_2_would_print_twelve_significant_digits():
    # Python 2 的 str(float) 是 '%.12g'（整数值再补上 .0）：印刷版的第一行是 Error:0.04 Prediction:1.0
    error, prediction = lr.train(input=2, goal_pred=0.8, weight=0.5, iterations=1)[0][0]
    assert "%.12g" % error == "0.04" and "%.12g" % prediction == "1"
    assert str(error) == "0.03999999999999998"  # Python 3：完整精度


def test_with_alpha_all_twenty_lines_match_the_companion_notebook(main_output):
    history, diverged_at = lr.train(input=2, goal_pred=0.8, weight=0.5, iterations=20, alpha=0.1)
    assert diverged_at is None
    assert [lr.trace_line(*h) for h in history] == WITH_ALPHA
    lines = main_output.splitlines()
    shown = lines[lines.index("……") - 4:lines.index("……") + 3]
    assert shown == WITH_ALPHA[:4] + ["……", WITH_ALPHA[-1], "预测次数: 20  发散: False"]


def test_with_alpha_errors_multiply_by_point_three_six():
    # delta 每一步乘以 1 − 0.1·4 = 0.6，误差乘以 0.36：error_k = 0.04·0.36^k
    history, _ = lr.train(input=2, goal_pred=0.8, weight=0.5, iterations=20, alpha=0.1)
    for k, (error, prediction) in enumerate(history):
        assert error == pytest.approx(0.04 * 0.36 ** k, rel=1e-9)
        assert prediction == pytest.approx(0.8 + 0.2 * 0.6 ** k, rel=1e-12)
    assert f"{history[-1][0]:.1e}" == "1.5e-10"  # 页面：“约为 1.5 × 10^-10”
    assert f"{0.04 * 0.36 ** 19:.1e}" == "1.5e-10"


def test_divergence_is_caught_when_the_error_stops_being_finite():
    # 发散阈值取最大的浮点数附近，只有 inf 能让训练停下：1e200 × 1e200 溢出成 inf
    history, diverged_at = lr.train(input=1e200, goal_pred=0.8, weight=1e200, iterations=5, max_error=1e308)
    assert history == [] and diverged_at == 1


def test_printed_training_never_shows_inf_or_nan(main_output):
    assert "inf" not in main_output.lower() and "nan" not in main_output.lower()


# ---------------------------------------------------------------- 两种规则，五种情形

BOOK_ALPHAS = [0.1, 0.25, 0.45, 0.5, 0.55]
DERIVATIVE_ALPHAS = [0.05, 0.125, 0.225, 0.25, 0.275]
# 手算的因子：原书的规则 1 − 4·alpha，误差的导数 1 − 8·alpha；两行一样，正是五种情形
FACTORS = [0.6, 0, -0.8, -1, -1.2]


def expected_regime_lines(factor):
    """从因子手算：预测 0.8 + 0.2·r^k，误差 0.04·r^(2k)，k = 0..4。"""
    predictions = [0.8 + 0.2 * factor ** k for k in range(5)]
    errors = [0.04 * factor ** (2 * k) for k in range(5)]
    return ["   预测 " + "  ".join(f"{p:.4f}" for p in predictions),
            "   误差 " + "  ".join(f"{e:.4f}" for e in errors)]


@pytest.mark.parametrize("rule, alphas, header, symbol", [
    ("book", BOOK_ALPHAS, "原书的规则（weight_delta），input = 2：delta 每步乘以 1 − α·x²，上限 2/x² = 0.5", "1 − α·x²"),
    ("derivative", DERIVATIVE_ALPHAS, "误差的导数 2·delta·input，input = 2：delta 每步乘以 1 − 2α·x²，上限 1/x² = 0.25",
     "1 − 2α·x²"),
])
def test_regime_output_follows_the_factor_by_hand(main_output, rule, alphas, header, symbol):
    lines = block(main_output, header, 16)
    for i, (alpha, factor) in enumerate(zip(alphas, FACTORS)):
        assert lines[1 + 3 * i] == f"alpha = {alpha:<5}  {symbol} = {factor:+.3g}"
        assert lines[2 + 3 * i: 4 + 3 * i] == expected_regime_lines(factor)


def test_the_limits_halve_for_the_true_derivative():
    x = 2
    assert 1 / x ** 2 == 0.25 and 2 / x ** 2 == 0.5  # 原书的规则：一步到位、上限
    assert 1 / (2 * x ** 2) == 0.125 and 1 / x ** 2 == 0.25  # 误差的导数：各减半
    for alpha in [0.05, 0.1, 0.3, 0.45]:
        for weight in [0.5, -1.3, 2.0]:
            assert lr.derivative_step(x, weight, 0.8, alpha / 2) == pytest.approx(lr.book_step(x, weight, 0.8, alpha))


@pytest.mark.parametrize("step, alphas", [(lr.book_step, BOOK_ALPHAS), (lr.derivative_step, DERIVATIVE_ALPHAS)])
def test_each_regime_behaves_as_named(step, alphas):
    def deltas(alpha, steps=8):
        weight, out = 0.5, []
        for _ in range(steps + 1):
            out.append(2 * weight - 0.8)
            weight = step(2, weight, 0.8, alpha)
        return out

    monotone, exact, oscillating, bouncing, diverging = [deltas(a) for a in alphas]
    # 单调收敛：delta 一直为正、越来越小
    assert all(0 < later < earlier for earlier, later in zip(monotone, monotone[1:]))
    # 一步到位：一步之后 delta 为 0（最多差一点舍入）
    assert all(abs(d) < 1e-15 for d in exact[1:])
    # 来回跳着收敛：符号交替，绝对值变小
    assert all(e * l < 0 and abs(l) < abs(e) for e, l in zip(oscillating, oscillating[1:]))
    # 原地来回跳：符号交替，误差不变
    assert all(e * l < 0 and l * l == pytest.approx(0.04) for e, l in zip(bouncing, bouncing[1:]))
    # 发散：符号交替，绝对值变大
    assert all(e * l < 0 and abs(l) > abs(e) for e, l in zip(diverging, diverging[1:]))


def test_book_step_is_the_training_loop_step():
    history, _ = lr.train(input=2, goal_pred=0.8, weight=0.5, iterations=4, alpha=0.45)
    weight = 0.5
    for _, prediction in history:
        assert prediction == 2 * weight
        weight = lr.book_step(2, weight, 0.8, 0.45)


# ---------------------------------------------------------------- 用力过猛（图）、几种 alpha

def test_overcorrection_figure_follows_the_factor():
    # 最低点 w = 0.8 / 2 = 0.4；w_k − 0.4 = 0.1·r^k，r = 1 − 4·alpha（0.45 → −0.8，0.55 → −1.2）
    import matplotlib.pyplot as plt

    figure = lr.plot_overcorrection()
    for ax, factor in zip(figure.axes, [-0.8, -1.2]):
        points = [line for line in ax.get_lines() if line.get_marker() == "o"][0]
        weights, errors = points.get_data()
        assert weights == pytest.approx([0.4 + 0.1 * factor ** k for k in range(7)])
        assert errors == pytest.approx([(2 * w - 0.8) ** 2 for w in weights])
        assert [line.get_xdata()[0] for line in ax.get_lines() if line.get_linestyle() == ":"] == [0.4]
    # 右图：误差从 0.04 升到 0.04·1.44^6 ≈ 0.358，页面说“升到 0.35 以上”
    assert errors[0] == pytest.approx(0.04) and errors[-1] > 0.35
    plt.close(figure)


@pytest.mark.parametrize("alpha, converges", [(0.01, True), (0.1, True), (0.45, True), (0.6, False), (1.0, False)])
def test_learning_rates_in_the_notebook_figure_behave_as_the_factor_says(alpha, converges):
    # 动手试一试里 plot_learning_rates 画的几种 alpha；因子 1 − 4·alpha
    factor = 1 - alpha * 4
    assert (abs(factor) < 1) == converges
    history, _ = lr.train(input=2, goal_pred=0.8, weight=0.5, iterations=20, alpha=alpha)
    assert (history[-1][0] < history[0][0]) == converges
    assert history[-1][0] == pytest.approx(0.04 * factor ** (2 * (len(history) - 1)), rel=1e-8)


def test_alpha_at_the_limit_keeps_the_error_constant():
    history, diverged_at = lr.train(input=2, goal_pred=0.8, weight=0.5, iterations=20, alpha=0.5)
    assert diverged_at is None
    assert [error for error, _ in history] == pytest.approx([0.04] * 20)


# ---------------------------------------------------------------- 原笔记的代码与多输入

def test_note_and_book_single_layer_give_the_same_weight(main_output):
    # 原笔记：weight_delta = alpha * (delta*input)，weight = weight - weight_delta
    # 原书：weight_delta = delta * input，weight -= weight_delta * alpha
    # delta = 1.0 − 0.8 ≈ 0.2，alpha·delta·input ≈ 0.04，weight = 0.5 − 0.04 = 0.46
    delta = 2 * 0.5 - 0.8
    note = 0.5 - 0.1 * (delta * 2)
    book = 0.5
    book -= (delta * 2) * 0.1
    assert note == book == 0.46
    lines = block(main_output, f"delta = {delta}", 5)
    assert lines == [f"delta = {delta}", f"weight_delta = {0.1 * (delta * 2)}", "更新后的 weight = 0.46",
                     f"weight_delta = {delta * 2}", "更新后的 weight = 0.46"]
    assert 0.1 * (delta * 2) == pytest.approx(0.04, abs=1e-15)
    assert delta == pytest.approx(0.2)  # 预测 1.0 比真实值高了约 0.2


def test_multi_input_update_by_hand():
    weights = [0.1, 0.2, -0.1]
    input = [8.5, 0.65, 1.2]
    prediction, delta, weight_deltas, new_weights = lr.multi_input_update(input, 1, weights, alpha=0.01)
    # 原书的 w_sum：逐项相乘再相加（独立实现）
    w_sum = 0
    for i in range(3):
        w_sum += input[i] * weights[i]
    assert prediction == w_sum
    assert prediction == pytest.approx(0.86)  # 0.85 + 0.13 − 0.12
    assert delta == pytest.approx(-0.14)
    assert weight_deltas == pytest.approx([-1.19, -0.091, -0.168])  # −0.14 × (8.5, 0.65, 1.2)
    assert new_weights == pytest.approx([0.1119, 0.20091, -0.09832])  # w − 0.01 × weight_deltas
    assert weights == [0.1, 0.2, -0.1]  # 不改动传进来的列表


def test_multi_input_output_matches_the_companion_notebook(main_output):
    # 原书的配套笔记本第 5 章「Gradient Descent Learning with Multiple Inputs」打印的两行，
    # 以及「Let's Watch Several Steps of Learning」第一步的 Pred 和 Delta
    notebook_weights = "[0.1119, 0.20091, -0.09832]"
    notebook_deltas = "[-1.189999999999999, -0.09099999999999994, -0.16799999999999987]"
    assert f"weight_deltas: {notebook_deltas}" in main_output
    assert f"更新后的 weights: {notebook_weights}" in main_output
    assert "prediction: 0.8600000000000001" in main_output
    assert "delta: -0.1399999999999999" in main_output


def test_multi_input_with_one_input_is_the_single_weight_step():
    # 只有一个输入时，向量版本与单权重版本必须一致
    _, _, _, weights = lr.multi_input_update([2.0], 0.8, [0.5], alpha=0.1)
    _, _, weight = wd.weight_step(2.0, 0.5, 0.8, alpha=0.1)
    assert weights[0] == weight


# ---------------------------------------------------------------- 练习

def test_exercise_small_input(capsys):
    lr.exercise_small_input()
    lines = capsys.readouterr().out.splitlines()
    # x² = 0.25：上限 2/x² = 8，一步到位 4；误差的导数各减半
    assert lines[0] == "原书的规则：上限 2/x² = 8.0   一步到位 1/x² = 4.0"
    assert lines[1] == "误差的导数：上限 1/x² = 4.0   一步到位 1/(2x²) = 2.0"
    assert lines[2] == "alpha = 1 时 delta 每步乘以 0.75"
    assert lines[3:] == SMALL_INPUT
    # 误差每一步乘以 0.75² = 0.5625：0.3025 → 0.17015625
    assert 0.75 ** 2 == 0.5625 and 0.3025 * 0.5625 == pytest.approx(0.17015625)


def test_exercise_zero_input(capsys):
    lr.exercise_zero_input()
    lines = capsys.readouterr().out.splitlines()
    # 预测 8.5·0.1 + 0.65·0.2 = 0.98，delta = −0.02：
    # toes 0.1 + 0.01·0.02·8.5 = 0.1017，wlrec 0.2 + 0.01·0.02·0.65 = 0.20013，nfans 不变
    prediction, delta, _, _ = lr.multi_input_update([8.5, 0.65, 0.0], 1, [0.1, 0.2, -0.1], alpha=0.01)
    assert prediction == pytest.approx(0.98) and delta == pytest.approx(-0.02)
    assert lines == [
        "toes   +0.1000 → +0.101700  变了吗：True",
        "wlrec  +0.2000 → +0.200130  变了吗：True",
        "nfans  -0.1000 → -0.100000  变了吗：False",
    ]


# ---------------------------------------------------------------- 参数检查

@pytest.mark.parametrize("alpha", [0, -0.1, math.nan, math.inf])
def test_bad_alpha_is_rejected(alpha):
    with pytest.raises(ValueError, match="alpha"):
        lr.train(2, 0.8, 0.5, 20, alpha=alpha)
    with pytest.raises(ValueError, match="alpha"):
        lr.multi_input_update([1.0], 0.8, [0.5], alpha=alpha)


@pytest.mark.parametrize("iterations", [0, -3, 2.5, True, "20"])
def test_bad_iteration_counts_are_rejected(iterations):
    with pytest.raises(ValueError, match="iterations"):
        lr.train(2, 0.8, 0.5, iterations)


@pytest.mark.parametrize("name", ["input", "goal_pred", "weight"])
@pytest.mark.parametrize("bad", [math.nan, math.inf, "2", None])
def test_non_finite_training_arguments_are_rejected(name, bad):
    arguments = {"input": 2, "goal_pred": 0.8, "weight": 0.5, "iterations": 5}
    arguments[name] = bad
    with pytest.raises(ValueError, match=name):
        lr.train(**arguments)


def test_bad_bound_is_rejected():
    with pytest.raises(ValueError, match="max_error"):
        lr.train(2, 0.8, 0.5, 5, max_error=0)


def test_wrong_shapes_are_rejected():
    with pytest.raises(ValueError, match="input"):
        lr.multi_input_update([8.5, 0.65], 1, [0.1, 0.2, -0.1], alpha=0.01)
    with pytest.raises(ValueError, match="weights"):
        lr.multi_input_update([[8.5]], 1, [[0.1]], alpha=0.01)


def test_non_finite_weights_are_rejected():
    with pytest.raises(ValueError, match="weights"):
        lr.multi_input_update([1.0, 2.0], 1, [math.inf, 0.1], alpha=0.01)


# ---------------------------------------------------------------- 图

def test_figures_draw_and_stay_light():
    assert_figures_draw_and_stay_light(lr, max_bytes=80_000)


def test_multi_input_delta_shrinks_by_one_minus_alpha_x_dot_x():
    """多输入时 delta 每步乘以 1 − α·(x·x)；x·x = 8.5² + 0.65² + 1.2² = 74.1125（手算），上限 2/74.1125 ≈ 0.027。"""
    input = np.array([8.5, 0.65, 1.2])
    assert input @ input == pytest.approx(74.1125)
    assert 2 / (input @ input) == pytest.approx(0.027, abs=5e-4)
    assert 0.01 * (input @ input) == pytest.approx(0.741125)
    assert 1 - 0.01 * (input @ input) == pytest.approx(0.258875)
    for alpha, converges in [(0.01, True), (0.026, True), (0.028, False)]:
        weights = np.array([0.1, 0.2, -0.1])
        deltas = []
        for _ in range(5):
            prediction, delta, _, weights = lr.multi_input_update(input, 1.0, weights, alpha)
            deltas.append(delta)
        for before, after in zip(deltas, deltas[1:]):
            assert after == pytest.approx(before * (1 - alpha * 74.1125))
        assert (abs(deltas[-1]) < abs(deltas[0])) == converges
