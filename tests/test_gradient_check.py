"""第 5 章第 2 页：梯度检查。

期望值的来历写在每个测试里：数学性质（二次函数的中心差分是精确的、截断误差 ∝ h²、
舍入误差 ∝ ε/h、ε = 2^−52、tanh 的导数是 1 − tanh²），手算的相对误差，以及一个故意写错的
反向传播（检查必须能发现它）。
"""

import math
import re

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import assert_figures_draw_and_stay_light, printed_by
from snippets import derivation as d
from snippets import gradient_check as gc
from snippets.chain_rule import relu, relu2deriv

NAMES = d.PARAMETER_NAMES

# 页面上不出现在输出里的小数，以及核对它的测试
PROSE_NUMBERS = {
    "1.5": "test_epsilon_output",
}

ACTIVATIONS = {"relu": (relu, relu2deriv), "tanh": (np.tanh, gc.tanh2deriv)}


# ---------- 梯度检查 ----------

SHAPES = [(1, 3, 4, 1), (4, 3, 4, 1), (8, 5, 6, 3), (16, 10, 8, 2), (3, 1, 1, 1)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_check_passes_for_random_networks(shape, seed):
    layer_0, goal, params = gc.random_problem(*shape, seed=seed)
    errors = gc.gradient_check(layer_0, goal, params, h=1e-5)
    assert set(errors) == set(NAMES)
    assert max(errors.values()) < 1e-6


@settings(max_examples=25, deadline=None)
@given(
    batch_size=st.integers(1, 6),
    input_size=st.integers(1, 5),
    hidden_size=st.integers(1, 6),
    output_size=st.integers(1, 3),
    seed=st.integers(0, 2 ** 32 - 1),
    activation=st.sampled_from(["relu", "tanh"]),
)
def test_gradient_check_passes_for_any_shape_and_seed(batch_size, input_size, hidden_size, output_size, seed,
                                                      activation):
    assume(batch_size * hidden_size >= 2)  # 一个预激活值不可能有正有负（单独的测试见下）
    layer_0, goal, params = gc.random_problem(batch_size, input_size, hidden_size, output_size, seed=seed)
    errors = gc.gradient_check(layer_0, goal, params, 1e-5, *ACTIVATIONS[activation])
    assert max(errors.values()) < 1e-6


def test_a_problem_has_units_open_and_closed_so_a_missing_relu_derivative_is_caught():
    # 全部打开时 relu′ ≡ 1，忘了乘 relu2deriv 也能通过；random_problem 不造这样的问题
    for seed in range(200):
        layer_0, goal, params = gc.random_problem(1, 3, 4, 1, seed=seed)
        pre_activation = layer_0.dot(params["weights_0_1"]) + params["bias_1"]
        assert np.any(pre_activation > 0) and np.any(pre_activation < 0)
        errors = gc.gradient_check(layer_0, goal, params, activation2deriv=np.ones_like)
        assert max(errors["weights_0_1"], errors["bias_1"]) > 1e-3
    with pytest.raises(ValueError, match="batch_size × hidden_size"):
        gc.random_problem(1, 3, 1, 1)


def test_gradient_check_catches_a_wrong_backward():
    # 检查本身必须能失败：把 ReLU 的导数换成恒为 1（忘了乘 relu2deriv），W1 和 b1 就对不上；
    # W2、b2 的梯度不经过 layer_1_delta，照样对得上
    layer_0, goal, params = gc.random_problem(8, 3, 6, 2, seed=0)
    assert np.any(layer_0.dot(params["weights_0_1"]) + params["bias_1"] < 0)  # 确有关闭的单元
    errors = gc.gradient_check(layer_0, goal, params, activation2deriv=np.ones_like)
    assert errors["weights_0_1"] > 1e-3 and errors["bias_1"] > 1e-3
    assert errors["weights_1_2"] < 1e-9 and errors["bias_2"] < 1e-9


@pytest.mark.parametrize("batch_size", [2, 6, 11])
def test_forgetting_the_batch_average_gives_n_minus_1_over_n_plus_1(batch_size):
    # 不除以 n：每个梯度都大了 n 倍，相对误差 = (n − 1)‖g‖ / (n + 1)‖g‖，四组一起报警
    layer_0, goal, params = gc.random_problem(batch_size, 4, 5, 3, seed=0)
    right = d.backward(layer_0, goal, params)
    for name in NAMES:
        assert gc.relative_error(batch_size * right[name], right[name]) == pytest.approx(
            (batch_size - 1) / (batch_size + 1), rel=1e-12)


@pytest.mark.parametrize("batch_size", [2, 6, 11])
def test_mean_instead_of_sum_for_the_biases_alarms_only_b1_and_b2(batch_size):
    # 偏置的梯度用 mean 代替 sum：两个偏置的梯度变成 1/n 倍，相对误差 = (1 − 1/n) / (1 + 1/n) = (n − 1)/(n + 1)；
    # 两个权重的梯度没变，照样通过（动手试一试里给的对照答案）
    layer_0, goal, params = gc.random_problem(batch_size, 4, 5, 3, seed=0)
    right = d.backward(layer_0, goal, params)
    numeric = gc.numerical_gradients(layer_0, goal, params)
    for name in NAMES:
        wrong = right[name] / batch_size if name.startswith("bias") else right[name]
        error = gc.relative_error(wrong, numeric[name])
        if name.startswith("bias"):
            assert error == pytest.approx((batch_size - 1) / (batch_size + 1), rel=1e-6)
        else:
            assert error < 1e-9


def test_relative_error_is_about_half_the_size_of_the_mistake():
    # 页面说：错掉的部分是梯度长度的 r 倍时，相对误差约为 r/2；r = 1e-5 时约 5e-6，超过阈值
    rng = np.random.default_rng(0)
    gradient = rng.normal(size=(4, 3))
    for r in [1e-5, 1e-3, 1e-1]:
        mistake = rng.normal(size=(4, 3))
        mistake *= r * np.linalg.norm(gradient) / np.linalg.norm(mistake)
        error = gc.relative_error(gradient + mistake, gradient)
        assert r / (2 + r) <= error <= r / (2 - r)  # 三角不等式给出的上下界
    assert 1e-6 < 1e-5 / (2 + 1e-5)


def test_a_consistent_mistake_in_forward_and_backward_passes_the_check():
    # 页面说：forward 和 backward 一致地用错了激活函数，检查照样通过（它核对的是两者一致）
    layer_0, goal, params = gc.random_problem(5, 3, 4, 2, seed=3)
    errors = gc.gradient_check(layer_0, goal, params, 1e-5, np.tanh, gc.tanh2deriv)
    assert max(errors.values()) < 1e-6


def test_check_many_output_is_all_below_the_threshold(main_output):
    rows = re.findall(r"\)  \d    (.+)", main_output)
    assert len(rows) == 12
    values = [float(x) for row in rows for x in row.split()]
    assert len(values) == 48 and max(values) < 1e-6


def test_gradient_check_refuses_a_point_next_to_a_kink():
    layer_0, goal, params = gc.random_problem(4, 3, 5, 2, seed=0)
    pre_activation = layer_0.dot(params["weights_0_1"]) + params["bias_1"]
    params["bias_1"][0, 0] -= pre_activation[0, 0] - 1e-5 / 3
    with pytest.raises(ValueError, match="折点"):
        gc.gradient_check(layer_0, goal, params, h=1e-5)


def test_kink_example_output(main_output):
    # 跨过折点的差分混合了两段斜率：W1、b1 明显对不上；W2、b2 不经过那个折点，照样很准
    assert "离折点最近的预激活值: 3.3e-06（差分步长 h = 1e-05）" in main_output  # h/3
    errors = dict(re.findall(r"(\w+)\s+相对误差 (\S+)", main_output))
    assert float(errors["weights_0_1"]) > 1e-4 and float(errors["bias_1"]) > 1e-4
    assert float(errors["weights_1_2"]) < 1e-9 and float(errors["bias_2"]) < 1e-9


def test_random_problem_keeps_away_from_the_kink_and_has_an_open_unit():
    for seed in range(20):
        layer_0, goal, params = gc.random_problem(8, 4, 6, 2, seed=seed, margin=1e-3)
        pre_activation = layer_0.dot(params["weights_0_1"]) + params["bias_1"]
        assert np.min(np.abs(pre_activation)) >= 1e-3
        assert np.any(pre_activation > 0)


def test_all_units_closed_would_pass_vacuously():
    # 页面说：全部关闭时 W1、b1、W2 的梯度恒为 0，相对误差记为 0，检查会“通过”，其实什么也没有检查；b2 的梯度并不是 0
    layer_0, goal, params = gc.random_problem(8, 5, 6, 3, seed=0)
    params["bias_1"] -= 100
    gradients = d.backward(layer_0, goal, params)
    for name in ("weights_0_1", "bias_1", "weights_1_2"):
        assert np.all(gradients[name] == 0)
    assert np.max(np.abs(gradients["bias_2"])) > 0.1
    errors = gc.gradient_check(layer_0, goal, params)
    assert errors["weights_0_1"] == errors["bias_1"] == errors["weights_1_2"] == 0.0


def test_a_big_network_needs_a_smaller_margin():
    # 动手试一试说：(100, 10, 100, 3) 用默认的 margin 会报错，margin = 1e-4 就可以，检查也能做
    with pytest.raises(RuntimeError, match="margin"):
        gc.random_problem(100, 10, 100, 3)
    layer_0, goal, params = gc.random_problem(100, 10, 100, 3, margin=1e-4)
    assert gc.kink_reach(layer_0, 1e-5) < 1e-4 <= gc.kink_distance(layer_0, params)


def test_zero_gradient_output(main_output):
    # b2 调到最好的值后，∂E/∂b2 的真实值是 0：两边都只剩舍入误差，相对误差是 1 的量级，差的绝对值却不到 1e-15
    layer_0, goal, params = gc.random_problem(8, 5, 6, 3, seed=0)
    params["bias_2"] -= np.mean(d.forward(layer_0, params)[1] - goal, axis=0, keepdims=True)
    analytic = d.backward(layer_0, goal, params)["bias_2"]
    assert np.max(np.abs(analytic)) < 1e-15
    relative, absolute = re.search(r"相对误差 (\S+)，两者之差的绝对值最大 (\S+)", main_output).groups()
    assert float(relative) > 0.1 and float(absolute) < 1e-15
    # 页面给的尺度：差的绝对值不超过约 ε|E|/h（h = 1e-5）
    scale = np.finfo(float).eps * d.batch_error(d.forward(layer_0, params)[1], goal) / 1e-5
    assert float(absolute) < scale
    errors = dict(re.findall(r"(\w+) (\S+)", main_output.split("gradient_check:")[1].splitlines()[0]))
    assert float(errors["bias_2"]) > 0.1
    assert max(float(errors[name]) for name in ("weights_0_1", "bias_1", "weights_1_2")) < 1e-10


def test_relative_error_properties():
    # 在 0 和 1 之间（三角不等式），两者都为 0 时记为 0，同时放大不改变它
    a = np.array([[3.0, -4.0]])
    assert gc.relative_error(a, a) == 0.0
    assert gc.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert gc.relative_error(a, -a) == 1.0  # ‖2a‖ / (‖a‖ + ‖a‖)
    assert gc.relative_error(a, 1.01 * a) == pytest.approx(0.01 / 2.01)  # 0.01‖a‖ / 2.01‖a‖
    assert gc.relative_error(a, 2 * a) == gc.relative_error(2 * a, a)
    b = np.array([[2.5, 1.0]])
    assert gc.relative_error(1000 * a, 1000 * b) == pytest.approx(gc.relative_error(a, b), rel=1e-14)


def test_numerical_gradients_do_not_change_the_parameters():
    layer_0, goal, params = gc.random_problem(3, 2, 3, 1)
    before = {name: value.copy() for name, value in params.items()}
    gc.numerical_gradients(layer_0, goal, params)
    for name in NAMES:
        np.testing.assert_array_equal(params[name], before[name])


# ---------- 步长 h ----------

def test_epsilon_output(main_output):
    # ε = 2^−52；ε^(1/3) ≈ 6.06e-6；ε^(1/2) = 2^−26 ≈ 1.49e-8，练习的答案写作 1.5 × 10^−8
    assert np.finfo(float).eps == 2.0 ** -52
    assert round(2.0 ** -26 * 1e8, 1) == 1.5
    assert "ε = 2.220e-16" in main_output
    assert f"ε^(1/3) = {2.0 ** (-52 / 3):.2e}" in main_output and "6.06e-06" in main_output
    assert "ε^(1/2) = 1.49e-08" in main_output
    assert f"ε^(2/3) = {2.0 ** (-104 / 3):.1e}" in main_output and "3.7e-11" in main_output


def test_tanh_and_its_derivative_from_the_output():
    # tanh z = (eᶻ − e⁻ᶻ)/(eᶻ + e⁻ᶻ)，导数 1 − tanh² z（和中心差分对照）；经过原点，值在 −1 与 1 之间
    z = np.linspace(-4, 4, 17)
    assert np.allclose(np.tanh(z), (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)), rtol=1e-14, atol=1e-15)
    slope = (np.tanh(z + 1e-6) - np.tanh(z - 1e-6)) / 2e-6
    assert np.allclose(gc.tanh2deriv(np.tanh(z)), slope, atol=1e-9)
    assert np.tanh(0.0) == 0 and np.all(np.abs(np.tanh(z)) < 1)


def test_step_size_curve_is_a_v_for_tanh():
    steps = [1e-12, 1e-3, 1e-2, 1e-5, 1e-1]
    e12, e3, e2, e5, e1 = gc.step_size_errors(steps, np.tanh, gc.tanh2deriv)
    assert e12 > 1e-6  # 左边：舍入误差 ε/h 淹没了结果
    assert e5 < 1e-8  # 谷底在 1e-5 附近
    assert e1 > 1e-4  # 右边：截断误差
    assert 30 < e2 / e3 < 300  # h 放大 10 倍，截断误差约放大 10² 倍


def test_relu_has_no_truncation_error_until_a_kink_is_crossed():
    # 沿任何一个参数，ReLU 网络的 E 在两个折点之间是二次函数，中心差分在那里是精确的
    layer_0, goal, params = gc.random_problem(4, 3, 5, 2, seed=0)
    assert gc.kink_reach(layer_0, 1e-2) < gc.kink_distance(layer_0, params)  # h = 1e-2 还跨不过折点
    assert gc.kink_reach(layer_0, 1e-1) > gc.kink_distance(layer_0, params)  # h = 1e-1 会跨过
    small, safe, crossed = gc.step_size_errors([1e-12, 1e-2, 1e-1])
    assert small > 1e-6 and safe < 1e-10 and crossed > 1e-4


def test_exercise_forward_difference():
    printed = printed_by(gc.exercise_forward_difference)
    rows = re.findall(r"h = (\S+)   前向差分 (\S+)   中心差分 (\S+)", printed)
    assert [h for h, _, _ in rows] == ["1e-03", "1e-05", "1e-07"]
    forward = [float(f) for _, f, _ in rows]
    central = [float(c) for _, _, c in rows]
    # 前向差分的截断误差 ∝ h：h 缩小 100 倍，误差也约缩小 100 倍
    assert 50 < forward[0] / forward[1] < 200
    # E 对 W2 是二次函数，中心差分没有截断误差，在 h = 1e-3 时只剩很小的舍入误差
    assert central[0] < 1e-10 and central[0] < forward[0] / 1e6
    # 只剩舍入误差 ∝ ε/h：h 越小越不准（相邻两档差 100 倍，远大于舍入噪声的起伏）
    assert central[0] < central[1] < central[2]


def test_relu_and_tanh_curves_nearly_coincide_on_the_left():
    # 页面说：h 小时两条曲线“几乎重合”（都是舍入误差），不是一模一样
    steps = np.logspace(-12, -7, 6)
    smooth = np.array(gc.step_size_errors(steps, np.tanh, gc.tanh2deriv))
    kinked = np.array(gc.step_size_errors(steps))
    ratio = kinked / smooth
    assert np.all((0.2 < ratio) & (ratio < 5)) and not np.allclose(ratio, 1)


def test_figures_draw_and_stay_light():
    assert_figures_draw_and_stay_light(gc, max_bytes=80_000)


# ---------- 不合理的参数：random_problem 和 gradient_check（动手试一试里调用） ----------

@pytest.mark.parametrize("bad", [0, -0.1, math.nan, math.inf])
def test_non_positive_h_and_margin_are_rejected(bad):
    layer_0, goal, params = gc.random_problem(2, 2, 2, 1)
    with pytest.raises(ValueError, match="h"):
        gc.gradient_check(layer_0, goal, params, h=bad)
    with pytest.raises(ValueError, match="margin"):
        gc.random_problem(2, 2, 2, 1, margin=bad)


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_bad_counts_are_rejected(bad):
    with pytest.raises(ValueError, match="batch_size"):
        gc.random_problem(bad, 2, 2, 1)
    with pytest.raises(ValueError, match="input_size"):
        gc.random_problem(2, bad, 2, 1)
    with pytest.raises(ValueError, match="hidden_size"):
        gc.random_problem(2, 2, bad, 1)
    with pytest.raises(ValueError, match="output_size"):
        gc.random_problem(2, 2, 2, bad)


def test_gradient_check_rejects_a_bad_network():
    layer_0, goal, params = gc.random_problem(3, 2, 4, 1)
    with pytest.raises(ValueError, match="goal"):
        gc.gradient_check(layer_0, np.full((3, 1), np.nan), params)
    with pytest.raises(ValueError, match="weights_0_1"):
        gc.gradient_check(np.ones((3, 5)), goal, params)
    with pytest.raises(ValueError, match="bias_2"):
        gc.gradient_check(layer_0, goal, dict(params, bias_2=np.ones((2, 1))))


def test_a_small_gradient_alarms_only_below_about_1e_5():
    """页面：相对误差约为舍入偏差 ε|E|/h ÷ 2‖g‖，h = 1e-5、|E| 约为 1 时，‖g‖ 小于约 1e-5 才会误报。
    把 b2 从最好的值挪开一点，∂E/∂b2 就是 Ŷ − Y 各列的平均 = 挪动的量（E 取了 1/n 的平均）：
    挪 1e-3（梯度 1e-3，比 1e-5 大 100 倍）时通过，挪 1e-8（小 1000 倍）时误报，而 backward 一点错也没有。"""
    layer_0, goal, params = gc.random_problem(8, 5, 6, 3, seed=0)
    layer_2 = d.forward(layer_0, params)[1]
    params["bias_2"] -= np.mean(layer_2 - goal, axis=0, keepdims=True)
    error = d.batch_error(d.forward(layer_0, params)[1], goal)
    assert 0.1 < error < 10  # |E| 在 1 左右
    for shift, alarms in [(1e-3, False), (1e-8, True)]:
        moved = {**params, "bias_2": params["bias_2"] + shift}
        analytic = d.backward(layer_0, goal, moved)["bias_2"]
        assert np.allclose(analytic, shift, rtol=1e-6, atol=0)  # 梯度就是挪动的量
        relative = gc.relative_error(analytic, gc.numerical_gradients(layer_0, goal, moved)["bias_2"])
        assert (relative > 1e-6) == alarms, (shift, relative)


def test_at_a_perfect_fit_the_rounding_floor_comes_from_the_predictions():
    # 页面说：误差很小时 ε|E|/h 这个估计不对；误差恰好为 0 时，估计是 0，两种算法的差却有 1e-17 到 1e-16。
    # 把真实值换成网络自己的预测，E 恰好是 0，真实的梯度也恰好是 0（每个 delta 都是 0）。
    # 数值梯度里 E(θ ± h) 的预测各带约 ε·|Ŷ| 的舍入，它不随 E 变小：差大于 0，但不超过 ε·|Ŷ|·|∂Ŷ/∂θ| 的量级。
    layer_0, goal, params = gc.random_problem(6, 4, 5, 3, seed=0)
    goal = d.forward(layer_0, params)[1].copy()
    assert d.batch_error(d.forward(layer_0, params)[1], goal) == 0.0
    analytic = d.backward(layer_0, goal, params)
    assert all(np.all(analytic[name] == 0) for name in d.PARAMETER_NAMES)
    numeric = gc.numerical_gradients(layer_0, goal, params, h=1e-5)
    differences = [np.max(np.abs(numeric[name])) for name in d.PARAMETER_NAMES]
    assert max(differences) > 1e-17  # 远大于 ε|E|/h = 0
    assert max(differences) < 1e-15  # 只是舍入那么大
