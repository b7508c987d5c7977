"""第 4 章第 3 页：ReLU 的折点、死掉的单元和卡住的训练。

期望值的来历：
- relu2deriv 和 sigmoid 的导数用有限差分这一独立方法核对；
- “所有单元都关闭时误差是 2”“>= 0 的 delta”由手算（见各测试的注释）；
- 卡住的种子由测试里逐个种子独立训练得到；
- “去掉 ReLU 后误差不低于 1”由最小二乘手算（见该测试的注释）。
- 每轮累加的误差和固定权重在四行上的误差：后者用最小二乘的分解 E(p) = 1 + (p − p*)ᵀ XᵀX (p − p*) 算，
  测试里另写一轮训练的循环，不经过页面的代码。
"""

import math

import numpy as np
import pytest

from conftest import assert_figures_draw_and_stay_light, printed_by
from snippets import backprop, relu

# 页面上不出现在输出里的小数，以及核对它的测试
PROSE_NUMBERS = {
    "0.2": "test_a_huge_alpha_kills_every_hidden_unit",
    "0.5": "test_exercise_without_relu_never_beats_least_squares",
    "0.528": "test_dead_unit_demo_by_hand",
    "0.44": "test_dead_unit_demo_by_hand",
    "0.25": "test_sigmoid_and_its_derivative_from_the_output",
    "1.07": "test_the_linear_network_settles_above_the_least_squares_minimum",
    "1.12": "test_the_accumulated_error_is_not_the_error_of_fixed_weights",
    "1.01": "test_the_accumulated_error_is_not_the_error_of_fixed_weights",
}


@pytest.mark.parametrize("alpha", [2, 10])
def test_a_huge_alpha_kills_every_hidden_unit(alpha):
    # 所有隐藏单元都死了，预测全是 0：两行“走”各错 1，两行“停”不错，误差 = 1² + 1² = 2
    weights_0_1, weights_1_2, errors = backprop.train_streetlights(alpha=alpha)
    layer_1, layer_2 = backprop.forward(backprop.streetlights, weights_0_1, weights_1_2)
    assert np.all(layer_1 == 0)
    assert all(error == 2.0 for error in errors[1:])  # 页面上说：从第二轮起一直是 2
    # 坡度处处为 0：两个权重梯度全是 0，误差却是 2，不是最小值（alpha = 0.2 时降到 1e-4 以下）
    error, delta_0_1, delta_1_2 = backprop.backprop(backprop.streetlights, backprop.walk_vs_stop,
                                                    weights_0_1, weights_1_2)
    assert error == 2.0 and not delta_0_1.any() and not delta_1_2.any()
    assert backprop.train_streetlights(alpha=0.2)[2][-1] < 1e-4
    # 四周一片都是平地：隐藏层的输入离 0 至少 margin，每个权重挪动不到 margin / 3（每行最多 3 盏灯亮），
    # 输入仍然全是负数，坡度仍是 0，误差仍是 2
    margin = -np.max(backprop.streetlights.dot(weights_0_1))
    assert margin > 0
    rng = np.random.default_rng(5)
    for _ in range(20):
        nudge = rng.uniform(-1, 1, size=weights_0_1.shape) * margin / 3.1
        error, delta_0_1, delta_1_2 = backprop.backprop(backprop.streetlights, backprop.walk_vs_stop,
                                                        weights_0_1 + nudge, weights_1_2 + rng.normal(size=(4, 1)))
        assert error == 2.0 and not delta_0_1.any() and not delta_1_2.any()


def test_main_shows_the_run_stuck_with_dead_relus(main_output):
    assert "前 5 轮的误差: [29.4809, 2.0, 2.0, 2.0, 2.0]  第 60 轮: 2.0" in main_output.splitlines()
    assert "四行的隐藏层加权和全是负数: True" in main_output.splitlines()
    assert "这里的误差: 2.0  权重梯度最大的绝对值: 0.0 0.0" in main_output.splitlines()


def test_relu2deriv_of_the_output_equals_the_derivative_at_the_input():
    # ReLU 的输出 > 0 恰好当输入 > 0，所以从输出就能得到导数
    x = np.random.default_rng(0).normal(size=1000)
    np.testing.assert_array_equal(relu.relu2deriv(relu.relu(x)), x > 0)
    # 与有限差分的导数一致（避开 0 附近）
    h = 1e-6
    away = x[np.abs(x) > 1e-3]
    slope = (relu.relu(away + h) - relu.relu(away - h)) / (2 * h)
    np.testing.assert_allclose(slope, relu.relu2deriv(relu.relu(away)), atol=1e-9)


def test_greater_or_equal_would_be_always_true_on_relu_outputs():
    x = np.random.default_rng(1).normal(size=1000)
    assert np.all(relu.relu(x) >= 0)  # 所以 “>= 0” 的导数恒为 1，等于没有 ReLU
    assert not np.all(relu.relu2deriv(relu.relu(x)))


def test_dead_unit_demo_by_hand(main_output):
    # layer_0 = [1, 0, 1]：隐藏层输入 = 第 1 行 + 第 3 行 = [0.6, −0.3, 0.3, −0.2]
    # layer_1 = [0.6, 0, 0.3, 0]；layer_2 = 0.6×0.3 + 0.3×(−0.2) = 0.12；delta = 0.12 − 1 = −0.88
    # delta × weights_1_2.T = −0.88 × [0.3, 0.6, −0.2, 0.5] = [−0.264, −0.528, 0.176, −0.44]
    assert "layer_1 = [[ 0.6 -0.   0.3 -0. ]]" in main_output
    assert "用 > 0 : layer_1_delta = [[-0.264 -0.     0.176 -0.   ]]" in main_output
    assert "用 >= 0: layer_1_delta = [[-0.264 -0.528  0.176 -0.44 ]]" in main_output
    layer_2_delta = np.array([[0.12 - 1.0]])
    np.testing.assert_allclose(layer_2_delta.dot([[0.3, 0.6, -0.2, 0.5]]), [[-0.264, -0.528, 0.176, -0.44]])
    # 关闭的单元的输入是 −0.3，挪 1e-6 仍然是负数，ReLU 输出仍是 0，误差一点不变
    assert "挪动关闭的单元的权重后，误差的变化: 0.0" in main_output


def test_exercise_without_relu_never_beats_least_squares():
    # 没有 ReLU，网络是 layer_0 · (weights_0_1 · weights_1_2)，一个线性函数 a·x1 + b·x2 + c（第三盏灯恒亮）。
    # 最小二乘：∂E/∂a − ∂E/∂b = 2(a − b) = 0 得 a = b；∂E/∂a = 0 → 3a + 2c = 1，∂E/∂c = 0 → a + c = 0.5，故 a = 0、c = 0.5，
    # 四个预测都是 0.5，平方误差之和 = 4 × 0.25 = 1。
    best = np.linalg.lstsq(backprop.streetlights, backprop.walk_vs_stop, rcond=None)[0]
    np.testing.assert_allclose(best.ravel(), [0, 0, 0.5], atol=1e-12)  # a = b = 0，c = 0.5
    errors = relu.train_streetlights_without_relu()[2]
    assert min(errors) >= 1.0 - 1e-12
    assert backprop.train_streetlights()[2][-1] < 1e-4  # 有 ReLU 就能远低于 1
    output = printed_by(relu.exercise_without_relu).splitlines()
    line = next(line for line in output if line.startswith("任何线性网络的最小误差"))
    assert float(line.split(":")[1]) == pytest.approx(1.0, abs=1e-12)


def test_sigmoid_and_its_derivative_from_the_output():
    # σ(0) = 1/2，σ'(0) = 1/4；σ(±2) = 1/(1 + e^∓2)；导数 s(1 − s) 与一侧差分一致
    assert relu.sigmoid(0.0) == 0.5 and relu.sigmoid2deriv(0.5) == 0.25
    assert relu.sigmoid(2.0) == pytest.approx(1 / (1 + math.exp(-2)))
    assert relu.sigmoid(2.0) == pytest.approx(0.8808, abs=5e-5)
    h = 1e-7
    for x in [-2.0, 0.3, 2.0]:
        forward = (relu.sigmoid(x + h) - relu.sigmoid(x)) / h
        assert relu.sigmoid2deriv(relu.sigmoid(x)) == pytest.approx(forward, abs=1e-6)


def test_nine_of_twenty_seeds_get_stuck(main_output):
    # 独立计算：seed 0..19 各训练 60 轮；卡住的停在 1.0（一行该走的数据让所有单元关闭）、
    # 约 1.32（只剩一个单元，对每一行都打开）或 2.0（两行该走的数据都让所有单元关闭）
    stuck = {}
    for seed in range(20):
        error = backprop.train_streetlights(seed=seed)[2][-1]
        if error >= 0.01:
            stuck[seed] = round(float(error), 2)
    assert stuck == {2: 1.0, 3: 1.0, 5: 1.33, 8: 1.0, 9: 1.32, 15: 1.0, 16: 2.0, 17: 1.0, 18: 1.0}
    assert "卡住的种子和第 60 轮的误差: " + str(stuck) in main_output


def test_the_stuck_seeds_are_still_stuck_after_1000_epochs_and_a_slow_seed_is_not():
    # 卡住，不只是学得慢：训练到 1000 轮，这 9 个种子的误差仍停在第 60 轮的值附近。误差为 1 或 2 的种子，
    # 分别有一行或两行该走的数据让四个单元全都关闭（加权和都不大于 0），这样的行预测 0，各错 1。
    expected = {2: 1.0, 3: 1.0, 5: 1.32, 8: 1.0, 9: 1.32, 15: 1.0, 16: 2.0, 17: 1.0, 18: 1.0}
    for seed, value in expected.items():
        weights_0_1, weights_1_2, errors = backprop.train_streetlights(seed=seed, iterations=1000)
        assert errors[-1] == pytest.approx(value, abs=0.01), seed
        if value in (1.0, 2.0):
            closed = np.all(backprop.streetlights.dot(weights_0_1) <= 0, axis=1)  # 该停的行关闭了也不错
            assert np.sum(closed & (backprop.walk_vs_stop.ravel() == 1)) == value, seed
    # 第 60 轮误差还在 1 附近，并不一定是卡住：种子 124 学得慢，再学几十轮就降到接近 0
    errors = backprop.train_streetlights(seed=124, iterations=150)[2]
    assert 0.99 < errors[59] < 1.05
    assert errors[-1] < 1e-5


def test_the_linear_network_settles_above_the_least_squares_minimum():
    # 最小二乘：∂E/∂a − ∂E/∂b = 2(a − b) = 0 → a = b，∂E/∂a = 0 → 3a + 2c = 1，∂E/∂c = 0 → a + c = 0.5，
    # 所以 a = 0，c = 0.5，误差 4 × 0.25 = 1。逐行训练、α 固定时停在 1 之上：α 越小越接近 1
    X = backprop.streetlights.astype(float)
    best = np.linalg.solve(X.T.dot(X), X.T.dot(backprop.walk_vs_stop))
    np.testing.assert_allclose(best.ravel(), [0, 0, 0.5], atol=1e-12)
    a, c = 0.0, 0.5
    assert 3 * a + 2 * c == 1 and a + c == 0.5
    long_run = {alpha: relu.train_streetlights_without_relu(alpha=alpha, iterations=5000)[2][-1] for alpha in (0.2, 0.05)}
    assert long_run[0.2] == pytest.approx(1.3243, abs=1e-4)
    assert long_run[0.05] == pytest.approx(1.0744, abs=1e-4)
    assert 1 < long_run[0.05] < long_run[0.2]
    assert round(long_run[0.05], 2) == 1.07 and round(long_run[0.2], 2) == 1.32


def _error_of_fixed_weights(product):
    """四行平方误差之和，用最小二乘的分解算（不跑网络）：E(p) = 1 + (p − p*)ᵀ XᵀX (p − p*)，p* = (0, 0, 0.5)。

    在最低点 p* 处残差 X p* − y 与 X 的每一列正交（这就是 ∂E/∂p = 0），所以交叉项为 0，E(p*) = 1。
    """
    X = backprop.streetlights.astype(float)
    offset = product.ravel() - np.array([0.0, 0.0, 0.5])
    return 1.0 + offset.dot(X.T.dot(X)).dot(offset)


def _one_more_epoch(weights_0_1, weights_1_2, alpha):
    """不带 ReLU 再逐行训练一轮（独立写的循环）：返回这一轮累加的误差，以及每更新一行后固定权重在四行上的误差。"""
    X, y = backprop.streetlights.astype(float), backprop.walk_vs_stop.astype(float)
    accumulated, after_each_row = 0.0, []
    for i in range(4):
        x = X[i:i + 1]
        hidden = x.dot(weights_0_1)
        residual = hidden.dot(weights_1_2) - y[i:i + 1]
        accumulated += residual.item() ** 2  # 这一行在自己更新之前量
        hidden_delta = residual.dot(weights_1_2.T)
        weights_1_2 = weights_1_2 - alpha * hidden.T.dot(residual)
        weights_0_1 = weights_0_1 - alpha * x.T.dot(hidden_delta)
        after_each_row.append(_error_of_fixed_weights(weights_0_1.dot(weights_1_2)))
    return accumulated, after_each_row


def test_the_accumulated_error_is_not_the_error_of_fixed_weights():
    # 每轮的误差是一边更新一边累加的；最小二乘的 1 是一组固定权重在四行上的误差。同一次训练，两种量法：
    results = {}
    for alpha in (0.2, 0.05):
        weights_0_1, weights_1_2, errors = relu.train_streetlights_without_relu(alpha=alpha, iterations=5000)
        layer_2 = backprop.streetlights.dot(weights_0_1).dot(weights_1_2)
        direct = np.sum((layer_2 - backprop.walk_vs_stop) ** 2)
        assert _error_of_fixed_weights(weights_0_1.dot(weights_1_2)) == pytest.approx(direct, abs=1e-12)
        accumulated, after_each_row = _one_more_epoch(weights_0_1, weights_1_2, alpha)
        # 已经绕成了圈：再走一轮，累加的误差和第 5000 轮相同
        assert accumulated == pytest.approx(errors[-1], abs=1e-6)
        # 固定权重的误差都高于最低点 1、低于累加的误差
        assert all(1 < error < accumulated for error in after_each_row + [direct])
        results[alpha] = accumulated, after_each_row, direct
    accumulated, after_each_row, end_of_epoch = results[0.2]
    assert round(accumulated, 2) == 1.32
    assert round(end_of_epoch, 2) == 1.12  # 一轮结束时的权重
    assert round(min(after_each_row), 2) == 1.01 and round(max(after_each_row), 2) == 1.12  # “在 1.01 到 1.12 之间”
    assert after_each_row[-1] == pytest.approx(end_of_epoch, abs=1e-9)  # 最后一行更新后，就是这一轮结束时的权重
    # 学习率越小，两种误差都越接近 1
    small_accumulated, small_after_each_row, _ = results[0.05]
    assert small_accumulated < accumulated and max(small_after_each_row) < min(after_each_row)
    output = printed_by(relu.exercise_without_relu)
    assert "alpha = 0.2：第 5000 轮累加的误差 1.3243，这一轮结束时的权重在四行上的误差 1.1205" in output


@pytest.mark.parametrize("seed", [5, 9])
def test_the_stuck_seeds_with_one_open_unit_train_like_the_linear_network(seed):
    # 种子 5、9：只有第 4 个单元活着，对每一行都打开，ReLU 什么也不做；训练下去，和线性网络绕同一个圈
    weights_0_1, weights_1_2, errors = backprop.train_streetlights(seed=seed)
    layer_1, layer_2 = backprop.forward(backprop.streetlights, weights_0_1, weights_1_2)
    assert np.all(layer_1[:, :3] == 0) and np.all(layer_1[:, 3] > 0)
    assert 1 < np.sum((layer_2 - backprop.walk_vs_stop) ** 2) < errors[-1]  # 固定权重的误差小于累加的误差
    long = backprop.train_streetlights(seed=seed, iterations=2000)[2][-1]
    linear = relu.train_streetlights_without_relu(iterations=2000)[2][-1]
    assert long == pytest.approx(linear, abs=1e-9)


def test_figures_draw_and_stay_light():
    assert_figures_draw_and_stay_light(relu, max_bytes=60_000)
