"""第 3 章：梯度下降。

期望值的来源写在每个测试里：手算、书里的设置与书里打印的数、闭式解
（delta 每次乘以 1 − alpha·input²）、或者在测试里另写一遍的独立算法（有限差分、逐项求和）。
"""

import io
import math

import numpy as np
import pytest

from snippets import gradient_descent as gd

CAMP = np.array([0.5, -0.5])
START = np.array([1.5, 1.8])


def main_output(capsys):
    gd.main()
    return capsys.readouterr().out


def hand_hill_error(a, b):
    """误差山的公式，逐个样本手写一遍（不用矩阵）。"""
    samples = [((1.0, 0.8), 0.1), ((0.5, 1.2), -0.35), ((1.4, 0.6), 0.4)]
    return sum((x1 * a + x2 * b - y) ** 2 for (x1, x2), y in samples) / 3


# ---------------------------------------------------------------- 误差山与梯度

def test_the_hill_is_the_formula_on_the_page():
    for a, b in [(0.0, 0.0), (1.5, 1.8), (-1.2, 0.7), (2.5, -2.5)]:
        assert gd.hill_error(np.array([a, b])) == pytest.approx(hand_hill_error(a, b), rel=1e-12)


def test_camp_is_at_half_minus_half_with_zero_error_and_zero_slope():
    # 目标值按权重 (0.5, −0.5) 算出：1·0.5 + 0.8·(−0.5) = 0.1，0.5·0.5 − 1.2·0.5 = −0.35，1.4·0.5 − 0.6·0.5 = 0.4
    assert np.allclose(gd.HILL_INPUTS.dot(CAMP), gd.HILL_GOALS)
    assert gd.hill_error(CAMP) == pytest.approx(0, abs=1e-25)
    assert np.allclose(gd.hill_gradient(CAMP), 0, atol=1e-12)


def test_start_point_error_and_gradient_by_hand():
    # 三个样本在 (1.5, 1.8) 的 delta：2.94 − 0.1 = 2.84，2.91 + 0.35 = 3.26，2.52 + 0.26 = 2.78 ……逐项：
    # 1.0·1.5 + 0.8·1.8 = 2.94 → 2.84；0.5·1.5 + 1.2·1.8 = 2.91 → 3.26；1.4·1.5 + 0.6·1.8 = 3.18 → 2.78
    deltas = [2.84, 3.26, 2.78]
    assert gd.hill_error(START) == pytest.approx(sum(d * d for d in deltas) / 3)  # 26.4216 / 3 = 8.8072
    assert gd.hill_error(START) == pytest.approx(8.8072)
    f_a = 2 / 3 * (2.84 * 1.0 + 3.26 * 0.5 + 2.78 * 1.4)  # 5.574666…
    f_b = 2 / 3 * (2.84 * 0.8 + 3.26 * 1.2 + 2.78 * 0.6)  # 5.234666…
    assert gd.hill_gradient(START) == pytest.approx([f_a, f_b])


@pytest.mark.parametrize("point", [(0.0, 0.0), (1.5, 1.8), (-1.3, 0.4), (2.2, -2.1)])
def test_analytic_gradient_matches_forward_differences_written_here(point):
    # 独立方法：一侧差分（不是模块里的中心差分），步长 1e-7，误差 O(h)
    h = 1e-7
    a, b = point
    f_a = (hand_hill_error(a + h, b) - hand_hill_error(a, b)) / h
    f_b = (hand_hill_error(a, b + h) - hand_hill_error(a, b)) / h
    assert gd.hill_gradient(np.array(point)) == pytest.approx([f_a, f_b], abs=1e-5)


def test_numerical_slope_of_a_function_with_known_derivatives():
    # f(x, y) = x²y + sin y：f_x = 2xy，f_y = x² + cos y；沿 u 的方向导数 = ∇f·u/|u|
    def f(p):
        return p[0] ** 2 * p[1] + math.sin(p[1])

    x, y = 1.3, -0.7
    assert gd.numerical_slope(f, [x, y], [1, 0]) == pytest.approx(2 * x * y, rel=1e-8)
    assert gd.numerical_slope(f, [x, y], [0, 1]) == pytest.approx(x * x + math.cos(y), rel=1e-8)
    u = np.array([3.0, 4.0])  # 不是单位向量：函数会先把它化成 (0.6, 0.8)
    expected = (2 * x * y * 3 + (x * x + math.cos(y)) * 4) / 5
    assert gd.numerical_slope(f, [x, y], u) == pytest.approx(expected, rel=1e-8)


def test_gradient_check_output_agrees_and_states_the_start(capsys):
    lines = main_output(capsys).splitlines()
    assert lines[0] == "f(a, b) 在 (a, b) = (1.5, 1.8) 处 = 8.807200"  # 见上面的手算
    for line in lines[1:3]:
        # “相差 x.xe-yy”：中心差分对二次函数只有舍入误差，应远小于 1e-8
        assert float(line.rsplit("相差 ", 1)[1]) < 1e-8
    assert lines[1].startswith("f_a：公式 5.5746666667")  # 2/3 · 8.362
    assert lines[2].startswith("f_b：公式 5.2346666667")  # 2/3 · 7.852
    combined, numeric = [float(x) for x in lines[3].replace("数值", "=").split("=")[-2:]]
    assert combined == pytest.approx(0.6 * 5.574666666666 + 0.8 * 5.234666666666, abs=1e-9)
    assert numeric == pytest.approx(combined, abs=1e-8)


# ---------------------------------------------------------------- 下山

def test_walk_goes_downhill_every_step_and_ends_near_camp():
    path, diverged_at = gd.walk_down(START, alpha=0.2, steps=25)
    assert diverged_at is None and path.shape == (26, 2)
    errors = [gd.hill_error(p) for p in path]
    # 凸二次函数上，alpha < 2/λ_max 时每一步误差都下降
    assert all(later < earlier for earlier, later in zip(errors, errors[1:]))
    assert errors[-1] < 0.01 and np.linalg.norm(path[-1] - CAMP) < 0.2


def test_walk_steps_are_minus_alpha_times_gradient():
    path, _ = gd.walk_down(START, alpha=0.2, steps=3)
    for here, there in zip(path, path[1:]):
        assert there == pytest.approx(here - 0.2 * gd.hill_gradient(here))


def test_walk_diverges_above_two_over_the_largest_curvature():
    # 独立方法：误差山的海森矩阵是 (2/3)·XᵀX，沿最陡方向每步乘以 1 − alpha·λ_max，|…| > 1 即发散
    largest = np.linalg.eigvalsh(2 / 3 * gd.HILL_INPUTS.T.dot(gd.HILL_INPUTS)).max()
    assert 2 / largest == pytest.approx(0.5885, abs=1e-3)  # 笔记本里说“大约超过 0.59 就会发散”
    _, diverged_at = gd.walk_down(START, alpha=0.58, steps=400)
    assert diverged_at is None
    _, diverged_at = gd.walk_down(START, alpha=0.60, steps=400)
    assert diverged_at is not None


def test_walk_output_starts_at_the_start(capsys):
    out = main_output(capsys)
    assert "第  0 步  权重 (+1.5000, +1.8000)  误差 8.807200" in out


# ---------------------------------------------------------------- 三个性质

@pytest.mark.parametrize("input, weight", [(0.5, 2.0), (1.0, 1.0), (2.0, 0.5)])
def test_scaling_same_delta_step_proportional_to_input(input, weight):
    delta, weight_delta, new_weight = gd.weight_step(input, weight, goal_pred=0.8)
    assert delta == pytest.approx(0.2)  # 三个预测都是 1.0
    assert weight_delta == pytest.approx(0.2 * input)
    assert new_weight == pytest.approx(weight - 0.2 * input)


def test_scaling_landing_errors_in_the_figure():
    # 走完一步后的误差 (delta − input·weight_delta)²：0.15² = 0.0225，0，(0.2 − 0.8)² = 0.36
    for (input, weight), expected in zip([(0.5, 2.0), (1.0, 1.0), (2.0, 0.5)], [0.0225, 0.0, 0.36]):
        _, _, new_weight = gd.weight_step(input, weight, goal_pred=0.8)
        assert (input * new_weight - 0.8) ** 2 == pytest.approx(expected, abs=1e-15)


def test_negative_input_flips_the_direction_and_both_reach_the_goal():
    _, up, w_pos = gd.weight_step(1.0, 1.0, goal_pred=0.8)
    _, down, w_neg = gd.weight_step(-1.0, -1.0, goal_pred=0.8)
    assert up == pytest.approx(0.2) and down == pytest.approx(-0.2)  # 大小相同、方向相反
    assert w_pos < 1.0 and w_neg > -1.0
    assert 1.0 * w_pos == pytest.approx(0.8) and -1.0 * w_neg == pytest.approx(0.8)


def test_zero_input_leaves_the_weight_alone():
    delta, weight_delta, new_weight = gd.weight_step(0.0, 0.5, goal_pred=0.8)
    assert delta == -0.8 and weight_delta == 0 and new_weight == 0.5
    assert math.copysign(1, weight_delta) == -1  # 页面上解释的 −0.0：−0.8 × 0 在浮点数里带负号


def test_property_demos_print_what_the_prose_says(capsys):
    out = main_output(capsys)
    assert "input = 0.5  delta = 0.2000  weight_delta = 0.1000  weight: 2.0 → 1.9000" in out
    assert "input = 2.0  delta = 0.2000  weight_delta = 0.4000  weight: 0.5 → 0.1000" in out
    assert "input = +1.0  weight_delta = +0.2000  weight: +1.0 → +0.8000  新的预测 0.8000" in out
    assert "input = -1.0  weight_delta = -0.2000  weight: -1.0 → -0.8000  新的预测 0.8000" in out
    assert "delta = -0.8  weight_delta = -0.0  weight: 0.5 → 0.5" in out
    assert "权重没有改变： True" in out


# ---------------------------------------------------------------- 学习率

def test_without_alpha_errors_multiply_by_nine():
    # delta 每次乘以 1 − input² = −3，误差乘以 9：error_k = 0.04·9^k，prediction_k = 0.8 + 0.2·(−3)^k
    history, diverged_at = gd.train(input=2, goal_pred=0.8, weight=0.5, iterations=20)
    assert diverged_at == 9  # 0.04·9^7 ≈ 1.9e5 < 1e6 < 0.04·9^8 ≈ 1.7e6
    assert len(history) == 8
    for k, (error, prediction) in enumerate(history):
        assert error == pytest.approx(0.04 * 9 ** k, rel=1e-9)
        assert prediction == pytest.approx(0.8 + 0.2 * (-3) ** k, rel=1e-9)


def test_without_alpha_first_lines_match_the_book_exactly():
    # 书里（第 4 章）打印的前三行
    history, _ = gd.train(input=2, goal_pred=0.8, weight=0.5, iterations=3)
    assert [gd.trace_line(*h) for h in history] == [
        "Error:0.03999999999999998 Prediction:1.0",
        "Error:0.3599999999999998 Prediction:0.20000000000000018",
        "Error:3.2399999999999984 Prediction:2.5999999999999996",
    ]


def test_book_runs_all_twenty_without_a_bound_and_ends_above_1e16():
    # 书里不检查发散：把上限放到很大，20 次都跑完，最后的误差 0.04·9^19 ≈ 5.4e16
    history, diverged_at = gd.train(input=2, goal_pred=0.8, weight=0.5, iterations=20, max_error=1e300)
    assert diverged_at is None and len(history) == 20
    assert history[-1][0] == pytest.approx(0.04 * 9 ** 19, rel=1e-9)
    assert history[-1][0] > 1e16


def test_with_alpha_errors_multiply_by_point_three_six():
    # delta 每次乘以 1 − 0.1·4 = 0.6，误差乘以 0.36：error_k = 0.04·0.36^k
    history, diverged_at = gd.train(input=2, goal_pred=0.8, weight=0.5, iterations=20, alpha=0.1)
    assert diverged_at is None and len(history) == 20
    for k, (error, prediction) in enumerate(history):
        assert error == pytest.approx(0.04 * 0.36 ** k, rel=1e-9)
        assert prediction == pytest.approx(0.8 + 0.2 * 0.6 ** k, rel=1e-12)
    assert history[-1][0] == pytest.approx(1.4853e-10, rel=1e-4)  # 页面上说“约为 1.5e-10”


def test_divergence_is_caught_when_the_error_stops_being_finite():
    # 上限取最大的浮点数附近，只有 inf 能让训练停下：1e200 × 1e200 溢出成 inf
    history, diverged_at = gd.train(input=1e200, goal_pred=0.8, weight=1e200, iterations=5, max_error=1e308)
    assert history == [] and diverged_at == 1


def test_printed_training_never_shows_inf_or_nan(capsys):
    out = main_output(capsys)
    assert "inf" not in out.lower() and "nan" not in out.lower()
    lines = out.splitlines()
    first = lines.index("Error:0.03999999999999998 Prediction:1.0")
    trace = lines[first:first + 9]
    assert trace[2] == "Error:3.2399999999999984 Prediction:2.5999999999999996"
    assert all(line.startswith("Error:") for line in trace[:8])
    assert trace[8] == "训练发散：第 9 次迭代的误差超过上限 1e+06，已停止。"


def test_with_alpha_output_prints_the_last_error_in_full(capsys):
    lines = main_output(capsys).splitlines()
    last = next(line for line in lines if line.startswith("最后一次的误差: "))
    value = float(last.removeprefix("最后一次的误差: "))
    assert value == pytest.approx(0.04 * 0.36 ** 19, rel=1e-9)
    assert len(last.removeprefix("最后一次的误差: ")) > 15  # 完整的 repr，不是四舍五入过的
    assert "迭代次数: 20  发散: False" in lines


@pytest.mark.parametrize("alpha, converges", [(0.01, True), (0.1, True), (0.45, True), (0.6, False), (1.0, False)])
def test_learning_rates_in_the_figure_behave_as_the_factor_says(alpha, converges):
    factor = 1 - alpha * 4
    assert (abs(factor) < 1) == converges
    history, _ = gd.train(input=2, goal_pred=0.8, weight=0.5, iterations=20, alpha=alpha)
    assert (history[-1][0] < history[0][0]) == converges
    assert history[-1][0] == pytest.approx(0.04 * factor ** (2 * (len(history) - 1)), rel=1e-8)


# ---------------------------------------------------------------- 原笔记的代码与多输入

def test_seed_single_layer_step_by_hand(capsys):
    out = main_output(capsys)
    # delta = 1.0 − 0.8 ≈ 0.2，weight_delta = 0.1 · 0.2 · 2 ≈ 0.04，weight = 0.5 − 0.04 = 0.46
    lines = out.splitlines()
    start = lines.index("更新后的 weight = 0.46") - 2  # 这一段的三行输出
    delta = float(lines[start].removeprefix("delta = "))
    weight_delta = float(lines[start + 1].removeprefix("weight_delta = "))
    assert delta == pytest.approx(0.2, abs=1e-15)
    assert weight_delta == pytest.approx(0.04, abs=1e-15)
    assert "更新后的 weight = 0.46" in out


def test_multi_input_update_by_hand():
    weights = [0.1, 0.2, -0.1]
    input = [8.5, 0.65, 1.2]
    prediction, delta, weight_deltas, new_weights = gd.multi_input_update(input, 1, weights, alpha=0.01)
    # 书里的 w_sum：逐项相乘再相加（独立实现）
    w_sum = 0
    for i in range(3):
        w_sum += input[i] * weights[i]
    assert prediction == w_sum
    assert prediction == pytest.approx(0.86)  # 0.85 + 0.13 − 0.12
    assert delta == pytest.approx(-0.14)
    assert weight_deltas == pytest.approx([-1.19, -0.091, -0.168])  # −0.14 × (8.5, 0.65, 1.2)
    assert new_weights == pytest.approx([0.1119, 0.20091, -0.09832])  # w − 0.01 × weight_deltas
    assert weights == [0.1, 0.2, -0.1]  # 不改动传进来的列表


def test_multi_input_output_matches_the_issue_values(capsys):
    out = main_output(capsys)
    # 书里第 5 章的例子：预测 0.8600000000000001，delta −0.1399999999999999（浮点舍入，见上面的手算）
    assert "prediction: 0.8600000000000001" in out
    assert "delta: -0.1399999999999999" in out
    assert "weight_deltas: [-1.18999999" in out


def test_multi_input_with_one_input_is_the_single_weight_step():
    # 只有一个输入时，向量版本与单权重版本必须一致
    _, _, _, weights = gd.multi_input_update([2.0], 0.8, [0.5], alpha=0.1)
    _, _, weight = gd.weight_step(2.0, 0.5, 0.8, alpha=0.1)
    assert weights[0] == weight


# ---------------------------------------------------------------- 练习

def test_exercise_alpha_range(capsys):
    gd.exercise_alpha_range()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "收敛的条件：0 < alpha < 0.5"  # |1 − 4·alpha| < 1
    # alpha = 0.45：误差每次乘以 0.64，100 次迭代后 0.04·0.64^99 ≈ 2.59e-21
    assert float(lines[1].split("误差 ")[1]) == pytest.approx(0.04 * 0.64 ** 99, rel=1e-3)
    # alpha = 0.55：误差每次乘以 1.44；0.04·1.44^46 ≈ 7.7e5 < 1e6 < 0.04·1.44^47 ≈ 1.1e6，第 48 次停下
    assert 0.04 * 1.44 ** 46 < 1e6 < 0.04 * 1.44 ** 47
    assert lines[2] == "alpha = 0.55：训练发散：第 48 次迭代的误差超过上限 1e+06，已停止。"


def test_exercise_one_step(capsys):
    gd.exercise_one_step()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Error:0.03999999999999998 Prediction:1.0"
    # alpha = 1/4 让因子 1 − alpha·4 = 0：第二次起误差为 0（最多差一点舍入）
    for line in lines[1:]:
        error, prediction = line.removeprefix("Error:").split(" Prediction:")
        assert float(error) == pytest.approx(0, abs=1e-30)
        assert float(prediction) == pytest.approx(0.8, abs=1e-15)


def test_exercise_zero_input(capsys):
    gd.exercise_zero_input()
    lines = capsys.readouterr().out.splitlines()
    # 预测 8.5·0.1 + 0.65·0.2 = 0.98，delta = −0.02：
    # toes 0.1 + 0.01·0.02·8.5 = 0.1017，wlrec 0.2 + 0.01·0.02·0.65 = 0.20013，nfans 不变
    assert lines == [
        "toes   +0.1000 → +0.101700  变了吗：True",
        "wlrec  +0.2000 → +0.200130  变了吗：True",
        "nfans  -0.1000 → -0.100000  变了吗：False",
    ]


# ---------------------------------------------------------------- 参数检查

@pytest.mark.parametrize("alpha", [0, -0.1, math.nan, math.inf])
def test_bad_alpha_is_rejected(alpha):
    with pytest.raises(ValueError, match="alpha"):
        gd.train(2, 0.8, 0.5, 20, alpha=alpha)
    with pytest.raises(ValueError, match="alpha"):
        gd.walk_down(START, alpha=alpha, steps=5)
    with pytest.raises(ValueError, match="alpha"):
        gd.weight_step(2, 0.5, 0.8, alpha=alpha)
    with pytest.raises(ValueError, match="alpha"):
        gd.multi_input_update([1.0], 0.8, [0.5], alpha=alpha)


@pytest.mark.parametrize("iterations", [0, -3, 2.5, True, "20"])
def test_bad_iteration_counts_are_rejected(iterations):
    with pytest.raises(ValueError, match="iterations"):
        gd.train(2, 0.8, 0.5, iterations)
    with pytest.raises(ValueError, match="steps"):
        gd.walk_down(START, 0.2, steps=iterations)


@pytest.mark.parametrize("name", ["input", "goal_pred", "weight"])
@pytest.mark.parametrize("bad", [math.nan, math.inf, "2", None])
def test_non_finite_training_arguments_are_rejected(name, bad):
    arguments = {"input": 2, "goal_pred": 0.8, "weight": 0.5, "iterations": 5}
    arguments[name] = bad
    with pytest.raises(ValueError, match=name):
        gd.train(**arguments)


def test_bad_bound_is_rejected():
    with pytest.raises(ValueError, match="max_error"):
        gd.train(2, 0.8, 0.5, 5, max_error=0)
    with pytest.raises(ValueError, match="max_error"):
        gd.walk_down(START, 0.2, 5, max_error=-1)


def test_wrong_shapes_are_rejected():
    with pytest.raises(ValueError, match="input"):
        gd.multi_input_update([8.5, 0.65], 1, [0.1, 0.2, -0.1], alpha=0.01)
    with pytest.raises(ValueError, match="weights"):
        gd.multi_input_update([[8.5]], 1, [[0.1]], alpha=0.01)
    with pytest.raises(ValueError, match="weights"):
        gd.hill_error(np.array([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="weights"):
        gd.hill_gradient(np.array([1.0]))
    with pytest.raises(ValueError, match="start"):
        gd.walk_down([1.0, 2.0, 3.0], 0.2, 5)
    with pytest.raises(ValueError, match="direction"):
        gd.numerical_slope(gd.hill_error, [1.0, 2.0], [1.0, 0.0, 0.0])


def test_bad_slope_arguments_are_rejected():
    with pytest.raises(ValueError, match="direction"):
        gd.numerical_slope(gd.hill_error, [1.0, 2.0], [0, 0])
    with pytest.raises(ValueError, match="h"):
        gd.numerical_slope(gd.hill_error, [1.0, 2.0], [1, 0], h=0)
    with pytest.raises(ValueError, match="point"):
        gd.numerical_slope(gd.hill_error, [math.nan, 2.0], [1, 0])
    with pytest.raises(ValueError, match="weights"):
        gd.multi_input_update([1.0, 2.0], 1, [math.inf, 0.1], alpha=0.01)


# ---------------------------------------------------------------- 图

def test_figures_draw_and_stay_light():
    import matplotlib.pyplot as plt

    from snippets.style import save_svg

    # 别的测试模块可能还开着图：只看这里画的图有没有留下
    already_open = set(plt.get_fignums())
    for name, draw in gd.FIGURES.items():
        figure = draw()
        assert figure.number in plt.get_fignums(), name  # 画图函数返回的正是它新开的那张图
        buffer = io.BytesIO()
        save_svg(figure, buffer)
        # 三维图用粗网格（13×13），刻度也少，每张图都控制在 80 KB 以内
        assert len(buffer.getvalue()) < 80_000, name
        # save_svg 关掉了这张图，画图函数也没有另外留下别的图
        assert set(plt.get_fignums()) == already_open, name


def test_surface_is_three_dimensional_and_shows_the_walk():
    import matplotlib.pyplot as plt

    figure = gd.plot_surface()
    ax = figure.axes[0]
    assert ax.name == "3d"
    path, _ = gd.walk_down(gd.WALK_START, gd.WALK_ALPHA, gd.WALK_STEPS)
    walk_line = ax.get_lines()[0]
    xs, ys, zs = walk_line.get_data_3d()
    assert np.allclose(xs, path[:, 0]) and np.allclose(ys, path[:, 1])
    assert np.allclose(zs, [gd.hill_error(p) for p in path])
    plt.close(figure)
