"""第 3 章第 3 页：学习率 alpha、原笔记的单层代码与多个输入。

期望值的来源写在每个测试里：手算、书里的设置与书里打印的数、闭式解
（delta 每次乘以 1 − alpha·input²）、或者在测试里另写一遍的独立算法（逐项求和）。
"""

import math

import pytest

from conftest import assert_figures_draw_and_stay_light
from snippets import learning_rate as lr
from snippets import weight_delta as wd


# ---------------------------------------------------------------- 学习率

def test_without_alpha_errors_multiply_by_nine():
    # delta 每次乘以 1 − input² = −3，误差乘以 9：error_k = 0.04·9^k，prediction_k = 0.8 + 0.2·(−3)^k
    history, diverged_at = lr.train(input=2, goal_pred=0.8, weight=0.5, iterations=20)
    assert diverged_at == 9  # 0.04·9^7 ≈ 1.9e5 < 1e6 < 0.04·9^8 ≈ 1.7e6
    assert len(history) == 8
    for k, (error, prediction) in enumerate(history):
        assert error == pytest.approx(0.04 * 9 ** k, rel=1e-9)
        assert prediction == pytest.approx(0.8 + 0.2 * (-3) ** k, rel=1e-9)


def test_without_alpha_first_lines_match_the_book_exactly():
    # 书里（第 4 章）打印的前三行
    history, _ = lr.train(input=2, goal_pred=0.8, weight=0.5, iterations=3)
    assert [lr.trace_line(*h) for h in history] == [
        "Error:0.03999999999999998 Prediction:1.0",
        "Error:0.3599999999999998 Prediction:0.20000000000000018",
        "Error:3.2399999999999984 Prediction:2.5999999999999996",
    ]


def test_book_runs_all_twenty_without_a_bound_and_ends_above_1e16():
    # 书里不检查发散：把上限放到很大，20 次都跑完，最后的误差 0.04·9^19 ≈ 5.4e16
    history, diverged_at = lr.train(input=2, goal_pred=0.8, weight=0.5, iterations=20, max_error=1e300)
    assert diverged_at is None and len(history) == 20
    assert history[-1][0] == pytest.approx(0.04 * 9 ** 19, rel=1e-9)
    assert history[-1][0] > 1e16


def test_with_alpha_errors_multiply_by_point_three_six():
    # delta 每次乘以 1 − 0.1·4 = 0.6，误差乘以 0.36：error_k = 0.04·0.36^k
    history, diverged_at = lr.train(input=2, goal_pred=0.8, weight=0.5, iterations=20, alpha=0.1)
    assert diverged_at is None and len(history) == 20
    for k, (error, prediction) in enumerate(history):
        assert error == pytest.approx(0.04 * 0.36 ** k, rel=1e-9)
        assert prediction == pytest.approx(0.8 + 0.2 * 0.6 ** k, rel=1e-12)
    assert history[-1][0] == pytest.approx(1.4853e-10, rel=1e-4)  # 页面上说“约为 1.5e-10”


def test_divergence_is_caught_when_the_error_stops_being_finite():
    # 上限取最大的浮点数附近，只有 inf 能让训练停下：1e200 × 1e200 溢出成 inf
    history, diverged_at = lr.train(input=1e200, goal_pred=0.8, weight=1e200, iterations=5, max_error=1e308)
    assert history == [] and diverged_at == 1


def test_printed_training_never_shows_inf_or_nan(main_output):
    assert "inf" not in main_output.lower() and "nan" not in main_output.lower()
    lines = main_output.splitlines()
    first = lines.index("Error:0.03999999999999998 Prediction:1.0")
    trace = lines[first:first + 9]
    assert trace[2] == "Error:3.2399999999999984 Prediction:2.5999999999999996"
    assert all(line.startswith("Error:") for line in trace[:8])
    assert trace[8] == "训练发散：第 9 次迭代的误差超过上限 1e+06，已停止。"


def test_with_alpha_output_prints_the_last_error_in_full(main_output):
    lines = main_output.splitlines()
    last = next(line for line in lines if line.startswith("最后一次的误差: "))
    value = float(last.removeprefix("最后一次的误差: "))
    assert value == pytest.approx(0.04 * 0.36 ** 19, rel=1e-9)
    assert len(last.removeprefix("最后一次的误差: ")) > 15  # 完整的 repr，不是四舍五入过的
    assert "迭代次数: 20  发散: False" in lines


@pytest.mark.parametrize("alpha, converges", [(0.01, True), (0.1, True), (0.45, True), (0.6, False), (1.0, False)])
def test_learning_rates_in_the_figure_behave_as_the_factor_says(alpha, converges):
    factor = 1 - alpha * 4
    assert (abs(factor) < 1) == converges
    history, _ = lr.train(input=2, goal_pred=0.8, weight=0.5, iterations=20, alpha=alpha)
    assert (history[-1][0] < history[0][0]) == converges
    assert history[-1][0] == pytest.approx(0.04 * factor ** (2 * (len(history) - 1)), rel=1e-8)


# ---------------------------------------------------------------- 原笔记的代码与多输入

def test_seed_single_layer_step_by_hand(main_output):
    # delta = 1.0 − 0.8 ≈ 0.2，weight_delta = 0.1 · 0.2 · 2 ≈ 0.04，weight = 0.5 − 0.04 = 0.46
    lines = main_output.splitlines()
    start = lines.index("更新后的 weight = 0.46") - 2  # 这一段的三行输出
    delta = float(lines[start].removeprefix("delta = "))
    weight_delta = float(lines[start + 1].removeprefix("weight_delta = "))
    assert delta == pytest.approx(0.2, abs=1e-15)
    assert weight_delta == pytest.approx(0.04, abs=1e-15)
    assert "更新后的 weight = 0.46" in main_output


def test_multi_input_update_by_hand():
    weights = [0.1, 0.2, -0.1]
    input = [8.5, 0.65, 1.2]
    prediction, delta, weight_deltas, new_weights = lr.multi_input_update(input, 1, weights, alpha=0.01)
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


def test_multi_input_output_matches_the_issue_values(main_output):
    # 书里第 5 章的例子：预测 0.8600000000000001，delta −0.1399999999999999（浮点舍入，见上面的手算）
    assert "prediction: 0.8600000000000001" in main_output
    assert "delta: -0.1399999999999999" in main_output
    assert "weight_deltas: [-1.18999999" in main_output


def test_multi_input_with_one_input_is_the_single_weight_step():
    # 只有一个输入时，向量版本与单权重版本必须一致
    _, _, _, weights = lr.multi_input_update([2.0], 0.8, [0.5], alpha=0.1)
    _, _, weight = wd.weight_step(2.0, 0.5, 0.8, alpha=0.1)
    assert weights[0] == weight


# ---------------------------------------------------------------- 练习

def test_exercise_alpha_range(capsys):
    lr.exercise_alpha_range()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "收敛的条件：0 < alpha < 0.5"  # |1 − 4·alpha| < 1
    # alpha = 0.45：误差每次乘以 0.64，100 次迭代后 0.04·0.64^99 ≈ 2.59e-21
    assert float(lines[1].split("误差 ")[1]) == pytest.approx(0.04 * 0.64 ** 99, rel=1e-3)
    # alpha = 0.55：误差每次乘以 1.44；0.04·1.44^46 ≈ 7.7e5 < 1e6 < 0.04·1.44^47 ≈ 1.1e6，第 48 次停下
    assert 0.04 * 1.44 ** 46 < 1e6 < 0.04 * 1.44 ** 47
    assert lines[2] == "alpha = 0.55：训练发散：第 48 次迭代的误差超过上限 1e+06，已停止。"


def test_exercise_one_step(capsys):
    lr.exercise_one_step()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Error:0.03999999999999998 Prediction:1.0"
    # alpha = 1/4 让因子 1 − alpha·4 = 0：第二次起误差为 0（最多差一点舍入）
    for line in lines[1:]:
        error, prediction = line.removeprefix("Error:").split(" Prediction:")
        assert float(error) == pytest.approx(0, abs=1e-30)
        assert float(prediction) == pytest.approx(0.8, abs=1e-15)


def test_exercise_zero_input(capsys):
    lr.exercise_zero_input()
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
