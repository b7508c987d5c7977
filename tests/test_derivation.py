"""第 5 章第 1 页：完整的数学推导。

期望值的来历写在每个测试里：手算、书的设置、数学性质（二次函数的中心差分是精确的、
乘除 2 在二进制里是精确的），或者在测试里另写一个逐元素的实现来对照。
"""

import math
import re

import numpy as np
import pytest

from conftest import printed_by
from snippets import derivation as d

NAMES = d.PARAMETER_NAMES

# 页面上不出现在输出里的小数，以及核对它的测试
PROSE_NUMBERS = {
    "0.05": "test_the_two_is_absorbed_into_alpha_bit_for_bit",
    "0.1": "test_book_training_follows_the_closed_form",
    "0.125": "test_exercise_bias",
    "0.2": "test_scalar_gradient_by_hand",
    "0.24": "test_chain_by_hand",
    "0.4": "test_chain_by_hand",
    "0.48": "test_chain_by_hand",
    "0.4000036562": "test_book_training_follows_the_closed_form",
    "0.5": "test_chain_by_hand",
    "0.6": "test_chain_by_hand",
    "0.8": "test_scalar_gradient_by_hand",
}


def hand_network():
    """一个能手算的小网络：X = [1, 2]，两个隐藏单元，一个输出。"""
    layer_0 = np.array([[1.0, 2.0]])
    labels = np.array([[0.5]])
    params = {
        "weights_0_1": np.array([[1.0, -1.0], [0.0, 1.0]]),
        "bias_1": np.array([[0.0, 0.5]]),
        "weights_1_2": np.array([[2.0], [1.0]]),
        "bias_2": np.array([[-1.0]]),
    }
    return layer_0, labels, params


def problem(batch_size, input_size, hidden_size, output_size, seed=0):
    """一个随机的小问题：输入、真实值（正态分布）和 init_network 的参数。"""
    rng = np.random.default_rng(seed)
    layer_0 = rng.normal(size=(batch_size, input_size))
    labels = rng.normal(size=(batch_size, output_size))
    return layer_0, labels, d.init_network(input_size, hidden_size, output_size, seed)


def loop_backward(layer_0, labels, params):
    """另写一遍反向传播：不用矩阵乘法，按下标一项一项套链式法则。"""
    W1, b1, W2, b2 = (params[name] for name in NAMES)
    n, input_size = layer_0.shape
    hidden_size, output_size = W2.shape
    grads = {name: np.zeros_like(params[name]) for name in NAMES}
    for i in range(n):
        z = [sum(layer_0[i, p] * W1[p, q] for p in range(input_size)) + b1[0, q] for q in range(hidden_size)]
        a = [max(value, 0.0) for value in z]
        for j in range(output_size):
            y_hat = sum(a[q] * W2[q, j] for q in range(hidden_size)) + b2[0, j]
            dE_dyhat = (y_hat - labels[i, j]) / n  # E = 1/(2n) Σ (ŷ − y)²
            grads["bias_2"][0, j] += dE_dyhat
            for q in range(hidden_size):
                grads["weights_1_2"][q, j] += dE_dyhat * a[q]
                if z[q] > 0:  # ReLU 打开时斜率 1，关闭时 0
                    grads["bias_1"][0, q] += dE_dyhat * W2[q, j]
                    for p in range(input_size):
                        grads["weights_0_1"][p, q] += dE_dyhat * W2[q, j] * layer_0[i, p]
    return grads


# ---------- 标量情形 ----------

def test_scalar_gradient_by_hand():
    # pred = 2 × 0.5 = 1，delta = 0.2，dE/dw = 2 · 0.2 · 2 = 0.8，E = 0.04；书的 weight_delta = 0.2 · 2 = 0.4
    assert 2 * 0.5 - 0.8 == pytest.approx(0.2, abs=1e-15)
    assert d.scalar_gradient(2, 0.5, 0.8) == pytest.approx(0.8, abs=1e-15)
    assert d.scalar_error(2, 0.5, 0.8) == pytest.approx(0.04, abs=1e-15)


@pytest.mark.parametrize("weight", [-1.0, 0.0, 0.4, 0.5, 3.0])
def test_central_difference_agrees_with_the_scalar_gradient(weight):
    # E(w) 是 w 的二次函数，中心差分对二次函数没有截断误差，剩下的只有舍入误差（约 ε/h）
    slope = d.central_difference(lambda w: d.scalar_error(2, w, 0.8), weight)
    assert slope == pytest.approx(d.scalar_gradient(2, weight, 0.8), abs=1e-9)


def test_scalar_example_prints_the_hand_numbers(main_output):
    assert "pred = 1.0" in main_output
    numbers = re.search(r"2·delta·input = (\S+)\n.*delta·input = (\S+)\n中心差分（h = 1e-5）= (\S+)", main_output)
    assert float(numbers[1]) == pytest.approx(0.8, abs=1e-15)
    assert float(numbers[2]) == pytest.approx(0.4, abs=1e-15)  # 正好是真导数的一半
    assert float(numbers[3]) == pytest.approx(0.8, abs=1e-9)


def test_the_two_is_absorbed_into_alpha_bit_for_bit():
    # alpha/2 与 2·delta 都只改指数位，乘积与 alpha·delta 是同一个实数、舍入到同一个 float
    assert 0.1 / 2 == 0.05  # 页面上的两个学习率
    for input, goal, weight, alpha in [(2, 0.8, 0.5, 0.1), (0.5, 0.8, 0.5, 0.3), (-1.5, 2.0, 7.0, 0.2)]:
        book = d.train_scalar(input, goal, weight, alpha, 50, factor=1)
        with_two = d.train_scalar(input, goal, weight, alpha / 2, 50, factor=2)
        assert book == with_two


def test_book_training_follows_the_closed_form():
    # w − 0.4 每步乘以 (1 − α·input²) = 1 − 0.1·4 = 0.6，所以 w_t = 0.4 + 0.1 · 0.6^t
    weights = d.train_scalar(2, 0.8, 0.5, 0.1, 20)
    assert len(weights) == 21
    for t, weight in enumerate(weights):
        assert weight == pytest.approx(0.4 + 0.1 * 0.6 ** t, abs=1e-15)
    assert round(weights[20], 10) == 0.4000036562  # 页面上写到 10 位小数


def test_drop_the_two_output(main_output):
    assert "20 步的权重逐位相同: True" in main_output
    line = re.search(r"第 20 步后  书的写法: (\S+)\s+带 2、α 减半: (\S+)", main_output)
    assert line[1] == line[2]
    assert float(line[1]) == pytest.approx(0.4 + 0.1 * 0.6 ** 20, abs=1e-15)


def test_scalar_training_that_diverges_stops_with_a_message():
    # α = 1、input = 2：w − 0.4 每步乘以 1 − 4 = −3，很快超过 1e12
    with pytest.raises(RuntimeError, match="发散"):
        d.train_scalar(2, 0.8, 0.5, 1.0, 100)


# ---------- 一层一个单元 ----------

def test_chain_by_hand():
    # x = 2, w1 = 0.5, w2 = 0.6, y = 1：z = 1, a = 1, ŷ = 0.6, E = ½ · 0.4² = ½ · 0.16 = 0.08
    # δ2 = −0.4, ∂E/∂w2 = δ2 · a = −0.4；δ1 = δ2 · w2 · 1 = −0.24, ∂E/∂w1 = δ1 · x = −0.48
    error, dE_dw1, dE_dw2 = d.chain(2.0, 1.0, 0.5, 0.6)
    assert error == pytest.approx(0.08, abs=1e-15)
    assert dE_dw2 == pytest.approx(-0.4, abs=1e-15)
    assert dE_dw1 == pytest.approx(-0.48, abs=1e-15)  # −0.24 × 2
    # δ1 = ∂E/∂z：同一个一层一个单元的网络里，backward 给出的 ∂E/∂b1 就是它
    params = {"weights_0_1": np.array([[0.5]]), "bias_1": np.zeros((1, 1)),
              "weights_1_2": np.array([[0.6]]), "bias_2": np.zeros((1, 1))}
    assert d.backward(np.array([[2.0]]), np.array([[1.0]]), params)["bias_1"][0, 0] == pytest.approx(-0.24, abs=1e-15)


@pytest.mark.parametrize("x, y, w1, w2", [(2.0, 1.0, 0.5, 0.6), (-1.5, 0.3, -0.8, 2.0), (0.7, -2.0, 1.3, -0.4),
                                          (1.0, 1.0, -0.5, 0.9)])
def test_chain_matches_finite_differences(x, y, w1, w2):
    # 沿一个权重、不跨过折点时 E 是二次函数，中心差分只剩舍入误差；最后一组 z < 0，单元死了，两边都是 0
    error, dE_dw1, dE_dw2 = d.chain(x, y, w1, w2)
    assert d.central_difference(lambda w: d.chain(x, y, w, w2)[0], w1) == pytest.approx(dE_dw1, abs=1e-9)
    assert d.central_difference(lambda w: d.chain(x, y, w1, w)[0], w2) == pytest.approx(dE_dw2, abs=1e-9)


def test_chain_is_the_two_layer_network_with_one_unit_per_layer():
    # 一层一个单元、没有偏置、n = 1：chain 的两个导数就是 backward 的 ∂E/∂W1、∂E/∂W2
    x, y, w1, w2 = 2.0, 1.0, 0.5, 0.6
    params = {"weights_0_1": np.array([[w1]]), "bias_1": np.zeros((1, 1)),
              "weights_1_2": np.array([[w2]]), "bias_2": np.zeros((1, 1))}
    grads = d.backward(np.array([[x]]), np.array([[y]]), params)
    _, dE_dw1, dE_dw2 = d.chain(x, y, w1, w2)
    assert grads["weights_0_1"][0, 0] == dE_dw1 and grads["weights_1_2"][0, 0] == dE_dw2


def test_chain_example_output(main_output):
    assert "E = 0.08   ∂E/∂w₁ = -0.48   ∂E/∂w₂ = -0.4" in main_output.splitlines()
    assert "中心差分：∂E/∂w₁ ≈ -0.4800000000   ∂E/∂w₂ ≈ -0.4000000000" in main_output.splitlines()


# ---------- 两层网络 ----------

def test_forward_and_error_by_hand():
    # Z1 = [1·1 + 2·0 + 0, 1·(−1) + 2·1 + 0.5] = [1, 1.5]，都 > 0，A1 = Z1
    # Ŷ = 1·2 + 1.5·1 − 1 = 2.5，E = (2.5 − 0.5)² / (2·1) = 2
    layer_0, labels, params = hand_network()
    layer_1, layer_2 = d.forward(layer_0, params)
    np.testing.assert_array_equal(layer_1, [[1.0, 1.5]])
    np.testing.assert_array_equal(layer_2, [[2.5]])
    assert d.batch_error(layer_2, labels) == 2.0


def test_backward_by_hand():
    # Δ2 = 2.5 − 0.5 = 2；∂E/∂W2 = A1ᵀΔ2 = [[2], [3]]；∂E/∂b2 = 2
    # Δ2 W2ᵀ = [4, 2]，两个单元都打开，Δ1 = [4, 2]；∂E/∂W1 = XᵀΔ1 = [[4, 2], [8, 4]]；∂E/∂b1 = [4, 2]
    grads = d.backward(*hand_network())
    np.testing.assert_array_equal(grads["weights_1_2"], [[2.0], [3.0]])
    np.testing.assert_array_equal(grads["bias_2"], [[2.0]])
    np.testing.assert_array_equal(grads["weights_0_1"], [[4.0, 2.0], [8.0, 4.0]])
    np.testing.assert_array_equal(grads["bias_1"], [[4.0, 2.0]])


def test_a_closed_relu_unit_passes_no_gradient():
    # 把 b1[1] 改成 −2：Z1[1] = −0.5 < 0，第二个单元关闭，它的 W1 列、b1 和 W2 行的梯度都是 0
    layer_0, labels, params = hand_network()
    params["bias_1"] = np.array([[0.0, -2.0]])
    grads = d.backward(layer_0, labels, params)
    assert grads["bias_1"][0, 1] == 0.0
    assert np.all(grads["weights_0_1"][:, 1] == 0.0)
    assert grads["weights_1_2"][1, 0] == 0.0


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_backward_matches_an_index_by_index_implementation(seed):
    layer_0, labels, params = problem(5, 3, 4, 2, seed=seed)
    matrix = d.backward(layer_0, labels, params)
    loops = loop_backward(layer_0, labels, params)
    for name in NAMES:
        np.testing.assert_allclose(matrix[name], loops[name], rtol=1e-12, atol=1e-15)


def test_gradients_have_the_shapes_of_their_parameters(main_output):
    layer_0, labels, params = problem(5, 3, 4, 2)
    grads = d.backward(layer_0, labels, params)
    expected = {"weights_0_1": (3, 4), "bias_1": (1, 4), "weights_1_2": (4, 2), "bias_2": (1, 2)}
    for name, shape in expected.items():
        assert params[name].shape == grads[name].shape == shape
        assert f"{name:<12} {shape}   梯度 {shape}" in main_output
    assert "X  = layer_0  (5, 3)" in main_output and "Ŷ = layer_2 (5, 2)" in main_output


def test_outer_prod_by_hand_and_the_sum_over_rows():
    np.testing.assert_array_equal(d.outer_prod(np.array([1.0, 2.0]), np.array([3.0, -1.0, 0.5])),
                                  [[3.0, -1.0, 0.5], [6.0, -2.0, 1.0]])
    # Aᵀ B 的 (q, r) 元素是 Σ_i A[i, q] B[i, r]：每个样本贡献一个外积
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(7, 4)), rng.normal(size=(7, 2))
    np.testing.assert_allclose(sum(d.outer_prod(a[i], b[i]) for i in range(7)), a.T.dot(b), rtol=1e-13, atol=1e-15)


def test_outer_products_output(main_output):
    assert "外积的个数: 5   每个的形状: (4, 2)" in main_output.splitlines()
    difference = re.search(r"最多相差 (\S+)", main_output)[1]
    assert float(difference) < 1e-15  # 只差加法顺序带来的舍入


def test_book_lines_are_alpha_times_the_gradient_when_n_is_1(main_output):
    # n = 1、没有偏置时 (Ŷ − Y)/n 与书的 layer_2 − walk_vs_stop[i:i+1] 是同一次运算，所以逐位相等
    np.random.seed(1)
    weights_0_1 = 2 * np.random.random((3, 4)) - 1
    layer_1 = np.maximum(d.streetlights[0:1].dot(weights_0_1), 0)
    assert np.any(layer_1 > 0)  # 第 0 行有打开的隐藏单元：比较的不是两个全零的矩阵
    assert "weights_1_2 的更新量与 α·∂E/∂W2 相差 0.0" in main_output
    assert "weights_0_1 的更新量与 α·∂E/∂W1 相差 0.0" in main_output


def test_batch_gradient_is_the_mean_of_row_gradients():
    # E 是每行误差的平均，求导是线性的，所以整批梯度 = 每行梯度的平均（只差舍入）
    layer_0, labels, params = problem(6, 3, 4, 2, seed=7)
    whole = d.backward(layer_0, labels, params)
    for name in NAMES:
        rows = [d.backward(layer_0[i:i + 1], labels[i:i + 1], params)[name] for i in range(6)]
        np.testing.assert_allclose(whole[name], np.mean(rows, axis=0), rtol=1e-12, atol=1e-15)


def test_without_bias_a_zero_input_always_predicts_zero():
    # relu(0·W1 + 0) = 0，0·W2 + 0 = 0：不论权重是什么
    params = d.init_network(2, 8, 1, seed=5)
    params["bias_1"][:] = 0
    params["bias_2"][:] = 0
    assert d.forward(np.zeros((1, 2)), params)[1][0, 0] == 0.0


def test_exercise_bias():
    # 不开偏置：[0, 0] 的预测恒为 0，它的真实值是 1，误差至少 1² / (2·4) = 0.125
    xnor = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    labels = np.array([[1.0], [0.0], [0.0], [1.0]])
    params, errors = d.train(xnor, labels, 8, 0.2, 500, seed=0, use_bias=False)
    assert d.forward(xnor[:1], params)[1][0, 0] == 0.0
    assert min(errors) >= 0.125
    assert np.all(params["bias_1"] == 0) and np.all(params["bias_2"] == 0)
    # 开了偏置就能学会：误差一路降到接近 0，四个预测都接近真实值
    params, errors = d.train(xnor, labels, 8, 0.2, 500, seed=0, use_bias=True)
    assert errors[-1] < 1e-6 < errors[0]
    np.testing.assert_allclose(d.forward(xnor, params)[1], labels, atol=1e-3)
    printed = printed_by(d.exercise_bias)
    assert re.search(r"use_bias=False  最后的误差 0\.12500\d  预测 \[0\. ", printed)
    assert "use_bias=True   最后的误差 0.000000  预测 [1. 0. 0. 1.]" in printed


def test_training_that_diverges_stops_with_a_message():
    layer_0, labels, _ = problem(4, 3, 5, 2)
    with pytest.raises(RuntimeError, match="发散"):
        d.train(layer_0, labels * 1000, 5, alpha=50.0, iterations=200)


def test_figures_draw():
    for name, draw in d.FIGURES.items():
        figure = draw()
        assert figure.axes, name


# ---------- 不合理的参数 ----------

@pytest.mark.parametrize("bad", [math.nan, math.inf, "2", None])
def test_scalar_training_rejects_nonsense(bad):
    with pytest.raises(ValueError, match="input"):
        d.train_scalar(bad, 0.8, 0.5, 0.1, 5)
    with pytest.raises(ValueError, match="weight"):
        d.train_scalar(2, 0.8, bad, 0.1, 5)
    with pytest.raises(ValueError, match="goal_pred"):
        d.train_scalar(2, bad, 0.5, 0.1, 5)


@pytest.mark.parametrize("bad", [0, -0.1, math.nan, math.inf])
def test_non_positive_alpha_is_rejected(bad):
    with pytest.raises(ValueError, match="alpha"):
        d.train_scalar(2, 0.8, 0.5, bad, 5)
    layer_0, labels, params = problem(2, 2, 2, 1)
    with pytest.raises(ValueError, match="alpha"):
        d.train(layer_0, labels, 2, bad, 5)


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_counts_are_rejected(bad):
    with pytest.raises(ValueError, match="steps"):
        d.train_scalar(2, 0.8, 0.5, 0.1, bad)
    with pytest.raises(ValueError, match="hidden_size"):
        d.init_network(2, bad, 1)
    with pytest.raises(ValueError, match="output_size"):
        d.init_network(2, 2, bad)


def test_mismatched_shapes_are_rejected():
    layer_0, labels, params = problem(3, 2, 4, 1)
    with pytest.raises(ValueError, match="weights_0_1"):
        d.forward(np.ones((3, 5)), params)  # 5 个输入，W1 却只有 2 行
    with pytest.raises(ValueError, match="labels"):
        d.backward(layer_0, np.ones((3, 2)), params)
    with pytest.raises(ValueError, match="labels"):
        d.batch_error(np.ones((3, 1)), np.ones((2, 1)))
    with pytest.raises(ValueError, match="layer_0"):
        d.forward(np.ones(2), params)
    with pytest.raises(ValueError, match="layer_0"):
        d.forward(np.ones((0, 2)), params)
    wrong_bias = dict(params, bias_1=np.ones((4, 1)))
    with pytest.raises(ValueError, match="bias_1"):
        d.backward(layer_0, labels, wrong_bias)
    with pytest.raises(ValueError, match="params"):
        d.forward(layer_0, {"weights_0_1": params["weights_0_1"]})
    with pytest.raises(ValueError, match="activation"):
        d.forward(layer_0, params, activation="sigmoid")


def test_non_finite_network_values_are_rejected():
    layer_0, labels, params = problem(3, 2, 4, 1)
    with pytest.raises(ValueError, match="layer_0"):
        d.forward(np.full((3, 2), np.nan), params)
    with pytest.raises(ValueError, match="weights_1_2"):
        d.backward(layer_0, labels, dict(params, weights_1_2=np.full((4, 1), np.inf)))
