"""第 5 章第 1 页：完整的数学推导。

期望值的来历写在每个测试里：手算、原书的设置、数学性质（整批的梯度是各样本梯度的平均、
Aᵀ B 是外积之和），或者在测试里另写一个逐元素的实现来对照。
"""

import math
import re

import numpy as np
import pytest

from conftest import assert_figures_draw_and_stay_light, printed_by
from snippets import chain_rule
from snippets import derivation as d
from snippets.backprop import TrainingDiverged

NAMES = d.PARAMETER_NAMES

# 页面上不出现在输出里的小数，以及核对它的测试
PROSE_NUMBERS = {
    "0.125": "test_exercise_bias",
}


def hand_network():
    """一个能手算的小网络：X = [1, 2]，两个隐藏单元，一个输出。"""
    layer_0 = np.array([[1.0, 2.0]])
    goal = np.array([[0.5]])
    params = {
        "weights_0_1": np.array([[1.0, -1.0], [0.0, 1.0]]),
        "bias_1": np.array([[0.0, 0.5]]),
        "weights_1_2": np.array([[2.0], [1.0]]),
        "bias_2": np.array([[-1.0]]),
    }
    return layer_0, goal, params


def problem(batch_size, input_size, hidden_size, output_size, seed=0):
    """一个随机的小问题：输入、真实值（正态分布）和 init_network 的参数。"""
    rng = np.random.default_rng(seed)
    layer_0 = rng.normal(size=(batch_size, input_size))
    goal = rng.normal(size=(batch_size, output_size))
    return layer_0, goal, d.init_network(input_size, hidden_size, output_size, seed)


def loop_backward(layer_0, goal, params):
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
            dE_dyhat = (y_hat - goal[i, j]) / n  # E = 1/(2n) Σ (ŷ − y)²
            grads["bias_2"][0, j] += dE_dyhat
            for q in range(hidden_size):
                grads["weights_1_2"][q, j] += dE_dyhat * a[q]
                if z[q] > 0:  # ReLU 打开时斜率 1，关闭时 0
                    grads["bias_1"][0, q] += dE_dyhat * W2[q, j]
                    for p in range(input_size):
                        grads["weights_0_1"][p, q] += dE_dyhat * W2[q, j] * layer_0[i, p]
    return grads


# ---------- 两层网络 ----------

def test_forward_and_error_by_hand():
    # Z1 = [1·1 + 2·0 + 0, 1·(−1) + 2·1 + 0.5] = [1, 1.5]，都 > 0，A1 = Z1
    # Ŷ = 1·2 + 1.5·1 − 1 = 2.5，E = (2.5 − 0.5)² / (2·1) = 2
    layer_0, goal, params = hand_network()
    layer_1, layer_2 = d.forward(layer_0, params)
    np.testing.assert_array_equal(layer_1, [[1.0, 1.5]])
    np.testing.assert_array_equal(layer_2, [[2.5]])
    assert d.batch_error(layer_2, goal) == 2.0


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
    layer_0, goal, params = hand_network()
    params["bias_1"] = np.array([[0.0, -2.0]])
    grads = d.backward(layer_0, goal, params)
    assert grads["bias_1"][0, 1] == 0.0
    assert np.all(grads["weights_0_1"][:, 1] == 0.0)
    assert grads["weights_1_2"][1, 0] == 0.0


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_backward_matches_an_index_by_index_implementation(seed):
    layer_0, goal, params = problem(5, 3, 4, 2, seed=seed)
    matrix = d.backward(layer_0, goal, params)
    loops = loop_backward(layer_0, goal, params)
    for name in NAMES:
        np.testing.assert_allclose(matrix[name], loops[name], rtol=1e-12, atol=1e-15)


def test_gradients_have_the_shapes_of_their_parameters(main_output):
    layer_0, goal, params = problem(5, 3, 4, 2)
    grads = d.backward(layer_0, goal, params)
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
    # n = 1、没有偏置时 (Ŷ − Y)/n 与原书的 layer_2 − walk_vs_stop[i:i+1] 是同一次运算，所以逐位相等
    np.random.seed(1)
    weights_0_1 = 2 * np.random.random((3, 4)) - 1
    layer_1 = np.maximum(d.streetlights[0:1].dot(weights_0_1), 0)
    assert np.any(layer_1 > 0)  # 第 0 行有打开的隐藏单元：比较的不是两个全零的矩阵
    assert "weights_1_2 的更新量与 α·∂E/∂W2 相差 0.0" in main_output
    assert "weights_0_1 的更新量与 α·∂E/∂W1 相差 0.0" in main_output


def test_batch_gradient_is_the_mean_of_row_gradients():
    # E 是每行误差的平均，求导是线性的，所以整批梯度 = 每行梯度的平均（只差舍入）
    layer_0, goal, params = problem(6, 3, 4, 2, seed=7)
    whole = d.backward(layer_0, goal, params)
    for name in NAMES:
        rows = [d.backward(layer_0[i:i + 1], goal[i:i + 1], params)[name] for i in range(6)]
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
    goal = np.array([[1.0], [0.0], [0.0], [1.0]])
    params, errors = d.train(xnor, goal, 8, 0.2, 500, seed=0, use_bias=False)
    assert d.forward(xnor[:1], params)[1][0, 0] == 0.0
    assert min(errors) >= 0.125
    assert np.all(params["bias_1"] == 0) and np.all(params["bias_2"] == 0)
    # 停在 0.125 时，[0, 0] 这一行预测成 0，其余三行学对了：四行平方误差之和是 (0 − 1)² = 1 = 2·4·0.125，
    # 和 ReLU 一页卡在误差 1 时一样，是一行真实值为 1 的数据预测成 0
    predictions = d.forward(xnor, params)[1]
    np.testing.assert_allclose(predictions[1:], goal[1:], atol=1e-3)
    assert np.sum((predictions - goal) ** 2) == pytest.approx(2 * 4 * errors[-1], rel=1e-12)
    assert np.sum((predictions - goal) ** 2) == pytest.approx(1.0, abs=1e-5)
    # 开了偏置就能学会：误差一路降到接近 0，四个预测都接近真实值
    params, errors = d.train(xnor, goal, 8, 0.2, 500, seed=0, use_bias=True)
    assert errors[-1] < 1e-6 < errors[0]
    np.testing.assert_allclose(d.forward(xnor, params)[1], goal, atol=1e-3)
    printed = printed_by(d.exercise_bias)
    assert re.search(r"use_bias=False  最后的误差 0\.12500\d  预测 \[0\. ", printed)
    assert "use_bias=True   最后的误差 0.000000  预测 [1. 0. 0. 1.]" in printed


def test_with_bias_a_narrow_network_can_stick_at_the_mean():
    # 动手试一试的提示：有偏置、hidden_size = 2 时也会卡住，卡住的样子和不用偏置时不同
    xnor = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    goal = np.array([[1.0], [0.0], [0.0], [1.0]])
    # 对同或数据最好的线性函数（最小二乘，系数对应 1、x1、x2）是常数 0.5：
    # 同或 = 1 − x1 − x2 + 2·x1x2，而 x1x2 在四个角上的最好线性近似是 −1/4 + x1/2 + x2/2
    design = np.hstack([np.ones((4, 1)), xnor])
    coefficients = np.linalg.lstsq(design, goal, rcond=None)[0].ravel()
    np.testing.assert_allclose(coefficients, [0.5, 0.0, 0.0], atol=1e-12)
    assert d.batch_error(design.dot(coefficients)[:, None], goal) == pytest.approx(0.125, abs=1e-12)
    # 种子 4：一个单元对每一行都打开，另一个对每一行都关闭，网络是线性的，四行都预测 0.5，误差 0.125
    params, errors = d.train(xnor, goal, 2, 0.2, 500, seed=4, use_bias=True)
    pre_activation = xnor.dot(params["weights_0_1"]) + params["bias_1"]
    assert np.all(pre_activation > 0, axis=0).sum() + np.all(pre_activation <= 0, axis=0).sum() == 2
    np.testing.assert_allclose(d.forward(xnor, params)[1].ravel(), 0.5, atol=1e-3)
    assert errors[-1] == pytest.approx(0.125, abs=1e-5)
    # 种子 1：行 0、1、2 关闭所有单元，它们都预测 b2，b2 停在这三行真实值的平均 1/3；行 3 学对了，误差 1/12
    params, errors = d.train(xnor, goal, 2, 0.2, 500, seed=1, use_bias=True)
    pre_activation = xnor.dot(params["weights_0_1"]) + params["bias_1"]
    assert np.all(pre_activation[:3] <= 0)
    predictions = d.forward(xnor, params)[1].ravel()
    np.testing.assert_array_equal(predictions[:3], params["bias_2"][0, 0])
    np.testing.assert_allclose(predictions, [1 / 3, 1 / 3, 1 / 3, 1.0], atol=1e-3)
    assert errors[-1] == pytest.approx(1 / 12, abs=1e-5)


def test_with_bias_and_two_hidden_units_15_of_seeds_0_to_19_stick():
    # 动手试一试的提示：“种子 0 到 19 里有 15 个会卡住，误差停在 1/16、1/12 或 1/8”。
    # 卡住时，关闭所有单元的行都预测 b2 = 这些行真实值的平均，其余行学对：
    # 两行（真实值 1 和 0）关闭：2 × 0.5² / (2 × 4) = 1/16；三行（1、0、0）关闭：(4/9 + 1/9 + 1/9) / 8 = 1/12；
    # 四行都预测 0.5（单元全死，或活着的单元对每一行都打开）：4 × 0.5² / 8 = 1/8
    xnor = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    goal = np.array([[1.0], [0.0], [0.0], [1.0]])
    stuck = 0
    for seed in range(20):
        _, errors = d.train(xnor, goal, 2, 0.2, 500, seed=seed, use_bias=True)
        if errors[-1] > 1e-3:
            stuck += 1
            assert min(abs(errors[-1] - e) for e in (1 / 16, 1 / 12, 1 / 8)) < 1e-4, (seed, errors[-1])
    assert stuck == 15


def test_training_that_diverges_stops_with_a_message():
    layer_0, goal, _ = problem(4, 3, 5, 2)
    with np.errstate(over="ignore", invalid="ignore"), pytest.raises(TrainingDiverged, match="发散"):
        d.train(layer_0, goal * 1000, 5, alpha=50.0, iterations=200)


def test_relu_is_the_chain_rule_pages_function():
    # 本页不重新定义 ReLU：forward 和 backward 默认用的就是链式法则一页的那两个函数
    assert d.relu is chain_rule.relu and d.relu2deriv is chain_rule.relu2deriv


def test_one_unit_per_layer_is_the_chain_of_the_chain_rule_page():
    # n = d = m = k = 1、没有偏置：backward 的 ∂E/∂W1、∂E/∂W2 就是链式法则一页 chain 的两个导数，
    # ∂E/∂b1 就是那条链上的 layer_1_delta（δ1 = (ŷ − y)·w2·relu′(z) = −0.4 × 0.6 × 1）
    for x, y, w1, w2 in [(2.0, 1.0, 0.5, 0.6), (-1.5, 0.3, -0.8, 2.0), (1.0, 1.0, -0.5, 0.9)]:
        params = {"weights_0_1": np.array([[w1]]), "bias_1": np.zeros((1, 1)),
                  "weights_1_2": np.array([[w2]]), "bias_2": np.zeros((1, 1))}
        grads = d.backward(np.array([[x]]), np.array([[y]]), params)
        error, dE_dw1, dE_dw2 = chain_rule.chain(x, y, w1, w2)
        assert grads["weights_0_1"][0, 0] == dE_dw1 and grads["weights_1_2"][0, 0] == dE_dw2
        assert d.batch_error(d.forward(np.array([[x]]), params)[1], np.array([[y]])) == error
    params = {"weights_0_1": np.array([[0.5]]), "bias_1": np.zeros((1, 1)),
              "weights_1_2": np.array([[0.6]]), "bias_2": np.zeros((1, 1))}
    assert d.backward(np.array([[2.0]]), np.array([[1.0]]), params)["bias_1"][0, 0] == pytest.approx(-0.24)


def test_the_error_is_half_the_mean_squared_error_for_one_output():
    # k = 1：E = ½ · (1/n) Σ (ŷ − y)²，第 1 章的均方误差的一半；k > 1：各输出的平方误差相加，再对样本平均
    rng = np.random.default_rng(4)
    layer_2, goal = rng.normal(size=(7, 1)), rng.normal(size=(7, 1))
    assert d.batch_error(layer_2, goal) == pytest.approx(0.5 * np.mean((layer_2 - goal) ** 2), rel=1e-14)
    layer_2, goal = rng.normal(size=(7, 3)), rng.normal(size=(7, 3))
    per_sample = np.sum((layer_2 - goal) ** 2, axis=1) / 2
    assert d.batch_error(layer_2, goal) == pytest.approx(np.mean(per_sample), rel=1e-14)


def test_wrong_gradients_can_have_the_right_shapes():
    # 页面说：漏乘 relu′、忘了除以 n，形状都还是对的，值却错了（要靠梯度检查才发现）
    layer_0, goal, params = problem(6, 3, 5, 2, seed=1)
    assert np.any(layer_0.dot(params["weights_0_1"]) + params["bias_1"] < 0)  # 确有关闭的单元
    right = d.backward(layer_0, goal, params)
    no_relu_slope = d.backward(layer_0, goal, params, activation2deriv=np.ones_like)
    for name in NAMES:
        without_n = len(layer_0) * right[name]  # 不除以 n：每个梯度都大了 n 倍
        assert no_relu_slope[name].shape == without_n.shape == params[name].shape
        assert not np.allclose(without_n, right[name])
    assert not np.allclose(no_relu_slope["weights_0_1"], right["weights_0_1"])


def test_the_third_streetlight_is_always_on():
    # 页面说：第三盏灯在四行里都是 1，所以 weights_0_1[2] 起了隐藏层偏置的作用
    assert np.all(d.streetlights[:, 2] == 1) and len(d.streetlights) == 4


def test_the_computation_graph_writes_relu_prime():
    import matplotlib.pyplot as plt

    figure = d.plot_computation_graph()
    texts = [t.get_text() for t in figure.axes[0].texts]
    plt.close(figure)
    assert "$\\Delta_1=(\\Delta_2W_2^T)\\odot \\mathrm{relu}'(Z_1)$" in texts
    assert "$\\partial E/\\partial A_1=\\Delta_2 W_2^T$" in texts
    assert not any("1[" in text for text in texts)


def test_figures_draw_and_stay_light():
    assert_figures_draw_and_stay_light(d, max_bytes=80_000)


# ---------- 不合理的参数：train（动手试一试里调用）和 check_network（梯度检查用） ----------

@pytest.mark.parametrize("bad", [0, -0.1, math.nan, math.inf])
def test_train_rejects_a_non_positive_alpha(bad):
    layer_0, goal, _ = problem(2, 2, 2, 1)
    with pytest.raises(ValueError, match="alpha"):
        d.train(layer_0, goal, 2, bad, 5)


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_train_rejects_bad_counts(bad):
    layer_0, goal, _ = problem(2, 2, 2, 1)
    with pytest.raises(ValueError, match="hidden_size"):
        d.train(layer_0, goal, bad, 0.1, 5)
    with pytest.raises(ValueError, match="iterations"):
        d.train(layer_0, goal, 2, 0.1, bad)


def test_train_rejects_bad_data():
    layer_0, goal, _ = problem(3, 2, 2, 1)
    with pytest.raises(ValueError, match="layer_0"):
        d.train(np.full((3, 2), np.nan), goal, 2, 0.1, 5)
    with pytest.raises(ValueError, match="layer_0"):
        d.train(np.ones(3), goal, 2, 0.1, 5)  # 一维：不知道哪一维是样本
    with pytest.raises(ValueError, match="layer_0"):
        d.train(np.ones((0, 2)), np.ones((0, 1)), 2, 0.1, 5)
    with pytest.raises(ValueError, match="goal"):
        d.train(layer_0, np.ones((2, 1)), 2, 0.1, 5)  # 3 个样本，2 个真实值
    with pytest.raises(ValueError, match="goal"):
        d.train(layer_0, np.full((3, 1), np.inf), 2, 0.1, 5)


def test_check_network_names_the_bad_argument():
    layer_0, goal, params = problem(3, 2, 4, 1)
    d.check_network(layer_0, goal, params)  # 合理的参数：不报错
    with pytest.raises(ValueError, match="weights_0_1"):
        d.check_network(np.ones((3, 5)), goal, params)  # 5 个输入，W1 却只有 2 行
    with pytest.raises(ValueError, match="goal"):
        d.check_network(layer_0, np.ones((3, 2)), params)
    with pytest.raises(ValueError, match="layer_0"):
        d.check_network(np.ones((0, 2)), np.ones((0, 1)), params)
    with pytest.raises(ValueError, match="bias_1"):
        d.check_network(layer_0, goal, dict(params, bias_1=np.ones((4, 1))))
    with pytest.raises(ValueError, match="bias_2"):
        d.check_network(layer_0, goal, dict(params, bias_2=np.full((1, 1), np.nan)))
    with pytest.raises(ValueError, match="params"):
        d.check_network(layer_0, goal, {"weights_0_1": params["weights_0_1"]})
    with pytest.raises(ValueError, match="weights_1_2"):
        d.check_network(layer_0, goal, dict(params, weights_1_2=np.full((4, 1), np.inf)))
