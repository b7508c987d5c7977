"""第 4 章第 2 页：真实的数据，手写数字。

期望值的来历：
- 梯度用中心有限差分这一独立方法核对（测试里另写的前向传播）；
- 手写数字的准确率门槛 0.9：十个类别，瞎猜是 0.1。
"""

import matplotlib.figure
import numpy as np
import pytest

from conftest import printed_by
from snippets import backprop
from snippets import digits as dg


def numerical_half_gradient(layer_0, goal, weights_0_1, weights_1_2, which, h=1e-5):
    """误差 E = Σ(layer_2 − goal)² 的中心差分梯度的一半（测试里独立写的前向传播）。"""

    def error(w01, w12):
        return np.sum((np.maximum(layer_0 @ w01, 0) @ w12 - goal) ** 2)

    target = weights_0_1 if which == 0 else weights_1_2
    gradient = np.zeros_like(target)
    for index in np.ndindex(target.shape):
        plus, minus = target.copy(), target.copy()
        plus[index] += h
        minus[index] -= h
        if which == 0:
            gradient[index] = (error(plus, weights_1_2) - error(minus, weights_1_2)) / (2 * h)
        else:
            gradient[index] = (error(weights_0_1, plus) - error(weights_0_1, minus)) / (2 * h)
    return gradient / 2  # E 是平方和，导数带一个 2；书的 delta 不带这个 2


@pytest.fixture(scope="module")
def digits():
    return dg.load_digit_split()


def test_backprop_matches_finite_differences_on_a_digits_batch(digits):
    train_images, train_labels, _, _ = digits
    rng = np.random.default_rng(7)
    weights_0_1 = 0.2 * rng.random((64, 10)) - 0.1
    weights_1_2 = 0.2 * rng.random((10, 10)) - 0.1
    layer_0, goal = train_images[:6], train_labels[:6]
    error, delta_0_1, delta_1_2 = backprop.backprop(layer_0, goal, weights_0_1, weights_1_2)
    assert error == pytest.approx(np.sum((backprop.forward(layer_0, weights_0_1, weights_1_2)[1] - goal) ** 2))
    # 中心差分的截断误差约 h² ≈ 1e-10，舍入误差约 1e-16 / h ≈ 1e-11，远小于容差
    for which, delta in [(0, delta_0_1), (1, delta_1_2)]:
        numeric = numerical_half_gradient(layer_0, goal, weights_0_1, weights_1_2, which)
        assert np.abs(delta).max() > 1e-3  # 不是全零，比较才有意义
        np.testing.assert_allclose(delta, numeric, rtol=1e-6, atol=1e-9)


# ---------- 手写数字 ----------

def test_digit_split_is_a_scaled_shuffled_partition(digits):
    train_images, train_labels, test_images, test_labels = digits
    assert train_images.shape == (1500, 64) and test_images.shape == (297, 64)  # 1797 = 1500 + 297
    assert train_labels.shape == (1500, 10) and test_labels.shape == (297, 10)
    assert train_images.min() == 0 and max(train_images.max(), test_images.max()) == 1  # 0–16 除以 16
    np.testing.assert_array_equal(np.concatenate([train_labels, test_labels]).sum(axis=1), 1)
    # 打乱不丢样本：每个数字的个数与原数据一致
    from sklearn.datasets import load_digits
    counts = np.bincount(load_digits().target, minlength=10)
    np.testing.assert_array_equal(np.concatenate([train_labels, test_labels]).sum(axis=0), counts)
    again = dg.load_digit_split()
    np.testing.assert_array_equal(again[0], train_images)  # 固定的种子，固定的划分


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_digits_accuracy_is_far_above_chance(seed):
    # 十个数字瞎猜的准确率是 0.1；0.9 的门槛远高于此，且对几个不同的划分和初始化都成立
    train_images, train_labels, test_images, test_labels = dg.load_digit_split(seed=seed)
    weights_0_1, weights_1_2 = dg.train_digits(train_images, train_labels, seed=seed)
    predictions = dg.predict_digits(test_images, weights_0_1, weights_1_2)
    assert np.mean(predictions == test_labels.argmax(axis=1)) > 0.9


def test_main_states_the_digits_accuracy(main_output):
    test_images, test_labels, weights_0_1, weights_1_2 = dg.trained_digits()
    correct = np.sum(dg.predict_digits(test_images, weights_0_1, weights_1_2) == test_labels.argmax(axis=1))
    line = next(line for line in main_output.splitlines() if line.startswith("测试集"))
    assert line == f"测试集 297 张图，认对 {correct} 张，准确率 {correct / 297:.3f}"
    assert correct / 297 > 0.9


def test_training_makes_the_digits_error_smaller(digits):
    train_images, train_labels, _, _ = digits
    rng = np.random.default_rng(0)
    before = [0.2 * rng.random((64, 64)) - 0.1, 0.2 * rng.random((64, 10)) - 0.1]
    after = dg.train_digits(train_images, train_labels)  # 同一个种子、同样的初始化
    error_before = backprop.backprop(train_images, train_labels, *before)[0]
    error_after = backprop.backprop(train_images, train_labels, *after)[0]
    assert error_after < error_before / 3


# ---------- 练习 ----------

def test_exercise_3_gradient_check(digits):
    train_images, train_labels, _, _ = digits
    rng = np.random.default_rng(1)
    weights_0_1 = 0.2 * rng.random((64, 8)) - 0.1
    weights_1_2 = 0.2 * rng.random((8, 10)) - 0.1
    expected = numerical_half_gradient(train_images[:5], train_labels[:5], weights_0_1, weights_1_2, 0)
    for row, column in [(26, 0), (27, 1), (20, 2), (26, 3)]:
        half_slope, weight_delta = dg.check_weight_0_1(
            train_images[:5], train_labels[:5], weights_0_1, weights_1_2, row, column)
        assert half_slope == pytest.approx(weight_delta, rel=1e-6, abs=1e-10)
        assert weight_delta == pytest.approx(expected[row, column], rel=1e-6, abs=1e-10)
    lines = [line for line in printed_by(dg.exercise_gradient_check).splitlines() if line.startswith("weights_0_1[")]
    assert len(lines) == 4
    # 只挪一个权重且不越过 ReLU 的折角时，误差是它的二次函数，中心差分只剩 ~1e-11 的舍入误差，
    # 所以打印的 10 位小数应当一字不差（页面这样说）
    for line in lines:
        numbers = [part.split()[0] for part in line.split("=")[1:]]
        assert numbers[0] == numbers[1], line
    assert abs(float(lines[0].split("=")[1].split()[0])) > 1e-3  # 第一个例子的梯度不是 0
    assert lines[3].endswith("=  0.0000000000")  # 隐藏单元 3 在这批图上都是死的


# ---------- 图 ----------

def test_figures_are_drawn():
    for name, draw in dg.FIGURES.items():
        figure = draw()
        assert isinstance(figure, matplotlib.figure.Figure), name


def test_digit_figure_marks_exactly_the_wrong_predictions_in_red():
    figure = dg.plot_digit_predictions()
    titles = [ax.title for ax in figure.axes]
    assert len(titles) == 16
    wrong = [t for t in titles if "是" in t.get_text()]
    assert wrong and all(t.get_color() == dg.RED for t in wrong)
    assert all(t.get_color() == dg.GREEN for t in titles if t not in wrong)


# ---------- 不合理的参数 ----------

@pytest.mark.parametrize("name", ["hidden_size", "batch_size", "epochs"])
def test_bad_digit_training_counts_are_rejected(name, digits):
    with pytest.raises(ValueError, match=name):
        dg.train_digits(digits[0], digits[1], **{name: 0})


@pytest.mark.parametrize("train_size", [0, 1797, 5000])
def test_bad_train_size_is_rejected(train_size):
    with pytest.raises(ValueError, match="train_size"):
        dg.load_digit_split(train_size=train_size)


def test_bad_finite_difference_step_is_rejected():
    with pytest.raises(ValueError, match="h"):
        dg.check_weight_0_1(np.ones((1, 3)), np.ones((1, 1)), np.ones((3, 4)), np.ones((4, 1)), 0, 0, h=0)


