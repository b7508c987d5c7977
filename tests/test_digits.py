"""第 4 章第 4 页：真实的数据，手写数字。

期望值的来历：
- 梯度用中心有限差分这一独立方法核对（测试里另写的前向传播）；
- 手写数字的准确率门槛 0.9：十个类别，瞎猜是 0.1；0.9 意味着错的不到十分之一；
- 三种梯度下降的步数按 1500 张图和批的大小数出来，逐个样本的训练与测试里另写的逐行循环逐位相同；
- 乘加次数按矩阵乘法 (a×b)·(b×c) 做 a·b·c 次乘加手算。
"""

import inspect

import matplotlib.figure
import math

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


# 页面上不出现在输出里的小数，以及核对它的测试
PROSE_NUMBERS = {
    "0.1": "test_the_hidden_layer_has_40_units_like_the_books_chapter_8",
    "1.39": "test_work_per_epoch_by_hand",
    "0.7": "test_a_finer_alpha_narrows_the_mini_batch_gap_but_one_example_still_leads",
}


@pytest.fixture(scope="module")
def digits():
    return dg.load_digit_split()


@pytest.fixture(scope="module")
def trained():
    """本章训练好的数字网络（trained_digits()），和页面、图上的一样。"""
    return dg.trained_digits()


@pytest.fixture(scope="module")
def sweeps(digits):
    """每种批量的 alpha 扫描：{方式: (最好的 alpha, {alpha: 最后的误差或 None})}，整个文件只扫一次。"""
    return {name: dg.best_alpha(digits[0], digits[1], batch_size) for name, batch_size in dg.BATCH_SIZES.items()}


@pytest.fixture(scope="module")
def swept(sweeps):
    """dg.best_alpha 换成查上面那一次扫描的结果（同样的训练集、同样的 ALPHAS），别的函数照常调用它。"""
    by_batch_size = {dg.BATCH_SIZES[name]: result for name, result in sweeps.items()}

    def looked_up(images, labels, batch_size, alphas=dg.ALPHAS, epochs=10):
        assert len(images) == 1500 and list(alphas) == dg.ALPHAS and epochs == 10
        return by_batch_size[batch_size]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dg, "best_alpha", looked_up)
        yield


@pytest.fixture(scope="module")
def curves(swept):
    """三种梯度下降各用扫出的 alpha 在同一份训练集上学 10 轮的误差曲线，和页面、图上的一样。"""
    return dg.batch_size_curves()


@pytest.fixture(scope="module")
def main_output(swept):
    """main() 打印的内容（扫描用上面那一次）。"""
    return printed_by(dg.main)


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


def test_main_states_the_digits_accuracy(main_output, trained):
    test_images, test_labels, weights_0_1, weights_1_2 = trained
    correct = np.sum(dg.predict_digits(test_images, weights_0_1, weights_1_2) == test_labels.argmax(axis=1))
    line = next(line for line in main_output.splitlines() if line.startswith("测试集"))
    assert line == f"测试集 297 张图，认对 {correct} 张，准确率 {correct / 297:.3f}"
    assert correct / 297 > 0.9


def test_the_hidden_layer_has_40_units_like_the_books_chapter_8():
    # 40 个隐藏单元（原书第 8 章「3 Layer Network on MNIST」的 hidden_size = 40），不会和 64 个输入混淆
    assert inspect.signature(dg.train_digits).parameters["hidden_size"].default == 40
    weights_0_1, weights_1_2 = dg.init_weights(64, 40, 10)
    assert weights_0_1.shape == (64, 40) and weights_1_2.shape == (40, 10)
    # 0.2 · random − 0.1：都在 [−0.1, 0.1) 里
    assert weights_0_1.min() >= -0.1 and weights_0_1.max() < 0.1


def test_training_makes_the_digits_error_smaller(digits):
    train_images, train_labels, _, _ = digits
    rng = np.random.default_rng(0)
    before = [0.2 * rng.random((64, 40)) - 0.1, 0.2 * rng.random((40, 10)) - 0.1]
    after = dg.train_digits(train_images, train_labels)  # 同一个种子、同样的初始化
    error_before = backprop.backprop(train_images, train_labels, *before)[0]
    error_after = backprop.backprop(train_images, train_labels, *after)[0]
    assert error_after < error_before / 3


# ---------- 全批量、小批量、逐个样本 ----------

def test_steps_per_epoch_are_counted_from_the_batch_size(digits, monkeypatch):
    # 1500 张图：全批量一轮 1 步，每批 20 张一轮 75 步，逐个样本一轮 1500 步
    assert dg.BATCH_SIZES == {"全批量": 1500, "小批量": 20, "逐个样本": 1}
    calls = []

    def counting_step(layer_0, *args):
        calls.append(len(layer_0))
        return backprop.train_step(layer_0, *args)

    monkeypatch.setattr(dg, "train_step", counting_step)
    for batch_size, steps in [(1500, 1), (20, 75), (1, 1500)]:
        calls.clear()
        dg.error_curve(digits[0], digits[1], batch_size, epochs=1)
        assert len(calls) == steps and set(calls) == {batch_size}


def test_stochastic_curve_is_the_books_row_by_row_loop(digits):
    # 逐个样本 = 原书的写法：每一行前向、反向、更新；测试里另写一遍，权重逐位相同（一行时除以 1 不改变任何数）
    images, labels = digits[0][:50], digits[1][:50]
    weights_0_1, weights_1_2 = dg.init_weights(64, 40, 10)
    for i in range(len(images)):
        layer_0, goal = images[i:i + 1], labels[i:i + 1]
        layer_1 = np.maximum(layer_0 @ weights_0_1, 0)
        layer_2_delta = layer_1 @ weights_1_2 - goal
        layer_1_delta = (layer_2_delta @ weights_1_2.T) * (layer_1 > 0)
        weights_1_2 = weights_1_2 - 0.1 * (layer_1.T @ layer_2_delta)
        weights_0_1 = weights_0_1 - 0.1 * (layer_0.T @ layer_1_delta)
    epochs_seen, errors = dg.error_curve(images, labels, 1, epochs=1, every=50)
    assert list(epochs_seen) == [0.0, 1.0]
    assert errors[-1] == dg.digits_error(images, labels, weights_0_1, weights_1_2)


def test_curves_are_measured_every_100_images(curves):
    for _, epochs_seen, errors in curves.values():
        assert len(errors) == len(epochs_seen)
        assert epochs_seen[0] == 0 and epochs_seen[-1] == 10
    assert len(curves["全批量"][1]) == 11  # 一步 1500 张图：每一轮末尾量一次
    assert len(curves["逐个样本"][1]) == 151  # 10 轮 × 15 次 + 开头一次
    # 同样的初始权重：三条曲线从同一个误差出发
    assert len({float(errors[0]) for _, _, errors in curves.values()}) == 1


def test_the_sweep_picks_each_regimes_best_stable_alpha(sweeps, digits):
    # 独立地再算一遍“稳定”：每轮结束时的误差都严格下降；逐个样本 α = 0.3 时单元全部死掉（误差停在 1）
    assert {name: best for name, (best, _) in sweeps.items()} == {"全批量": 0.3, "小批量": 0.3, "逐个样本": 0.1}
    for name, (best, final) in sweeps.items():
        stable = {alpha: error for alpha, error in final.items() if error is not None}
        assert best == min(stable, key=stable.get)
        assert list(final) == dg.ALPHAS
    errors = dg.epoch_errors(digits[0], digits[1], 1, 0.3)
    assert errors[-1] == pytest.approx(1.0, abs=1e-9) and sweeps["逐个样本"][1][0.3] is None
    errors = dg.epoch_errors(digits[0], digits[1], 20, 1.0)  # 小批量 α = 1：有一轮误差回升
    assert np.any(np.diff(errors) >= 0) and sweeps["小批量"][1][1.0] is None


def test_per_epoch_one_example_at_a_time_learns_most_at_its_best_alpha(curves):
    # 各用最好的 alpha：10 轮后逐个样本最低，全批量最高（一轮只走一步）
    final = {name: errors[-1] for name, (_, _, errors) in curves.items()}
    assert final["逐个样本"] < final["小批量"] < final["全批量"] < curves["全批量"][2][0]
    assert round(final["逐个样本"], 3) == 0.079 and round(final["小批量"], 3) == 0.122
    assert round(final["全批量"], 3) == 0.792


def test_the_full_batch_curve_never_rises_and_the_others_jitter(curves):
    # 全批量在它的 alpha 下每一步都让误差下降；另外两个每 100 张图量一次，有起有伏
    rises = {name: int(np.sum(np.diff(errors) > 0)) for name, (_, _, errors) in curves.items()}
    assert rises["全批量"] == 0 and rises["小批量"] > 0 and rises["逐个样本"] > 0


def test_one_example_at_a_time_at_alpha_0_3_loses_every_unit_by_epoch_3(digits):
    # 页面：α = 0.3 时成批地死掉，第 3 轮结束时 40 个隐藏单元全死，误差停在 1（预测恒为 0，one-hot 的那个 1 错了 1）
    images, labels = digits[0], digits[1]
    weights_0_1, weights_1_2 = dg.init_weights(64, 40, 10)
    alive = []
    for epoch in range(3):
        for i in range(len(images)):
            backprop.train_step(images[i:i + 1], labels[i:i + 1], weights_0_1, weights_1_2, 0.3)
        layer_1 = backprop.forward(images, weights_0_1, weights_1_2)[0]
        alive.append(int(np.sum(np.any(layer_1 > 0, axis=0))))
    assert alive == [7, 2, 0]  # 页面：第 1 轮结束时只剩 7 个活着，第 2 轮剩 2 个，第 3 轮全死
    assert dg.digits_error(images, labels, weights_0_1, weights_1_2) == 1.0


def test_work_per_epoch_by_hand():
    # 每张图：前向 64·40 + 40·10 = 2960，反向 10·40 + 2960 = 3360；每步更新 2960 个权重
    assert dg.work_per_epoch(1500) == (1500 * 6320 + 1 * 2960, 5)
    assert dg.work_per_epoch(20) == (1500 * 6320 + 75 * 2960, 375)
    assert dg.work_per_epoch(1) == (1500 * 6320 + 1500 * 2960, 7500)
    # 页面上打印的百万次：9.48、9.70、13.92
    assert [round(dg.work_per_epoch(b)[0] / 1e6, 2) for b in (1500, 20, 1)] == [9.48, 9.70, 13.92]
    assert round(100 * (dg.work_per_epoch(1)[0] / dg.work_per_epoch(1500)[0] - 1)) == 47  # 页面：多约 47%
    assert round(10 * dg.work_per_epoch(1)[0] / 1e8, 2) == 1.39  # 10 轮逐个样本：约 1.39 亿次
    assert 10 * dg.work_per_epoch(20)[0] < 1e8 and 10 * dg.work_per_epoch(1500)[0] < 1e8  # 另外两种不到 1 亿次


def test_main_prints_the_sweep_and_the_comparison(main_output, curves, sweeps):
    lines = main_output.splitlines()
    assert "0.619     0.380     0.208     0.122     —         —         0.3       小批量" in lines
    for name, (alpha, epochs_seen, errors) in curves.items():
        batch_size = dg.BATCH_SIZES[name]
        after_1 = errors[epochs_seen == 1][0]
        multiply_adds, products = dg.work_per_epoch(batch_size)
        expected = (f"{1500 // batch_size:8d}  {alpha:<4g}{after_1:10.3f}{errors[-1]:11.3f}"
                    f"{multiply_adds / 1e6:19.2f}{products:14d}  {name}")
        assert expected in lines, expected


def test_multiply_adds_counted_by_hand(digits):
    # (n×d)(d×m) 是 n·d·m 次乘加。n = 20, d = 64, m = 40, k = 10：
    # 前向 20·64·40 + 20·40·10 = 51200 + 8000；反向 (20·10·40) + (40·20·10) + (64·20·40) = 8000 + 8000 + 51200
    layer_0, goal = digits[0][:20], digits[1][:20]
    weights = dg.init_weights(64, 40, 10)
    log, delta_0_1, delta_1_2 = dg.count_multiply_adds(layer_0, goal, *weights)
    assert [(step, m) for step, _, _, m in log] == [("前向", 51200), ("前向", 8000),
                                                     ("反向", 8000), ("反向", 8000), ("反向", 51200)]
    _, expected_0_1, expected_1_2 = backprop.backprop(layer_0, goal, *weights)
    np.testing.assert_array_equal(delta_0_1, expected_0_1)
    np.testing.assert_array_equal(delta_1_2, expected_1_2)


def test_main_prints_the_cost(main_output):
    lines = main_output.splitlines()
    # 反向 67200 / 前向 59200 = 1.135…，印成 1.14
    assert "前向一共 59200 次，反向一共 67200 次，反向是前向的 1.14 倍" in lines
    # 64·40 + 40·10 = 2960 个权重，每个前向两次
    assert "用中心差分求同样的梯度：2960 个权重 × 2 次前向 = 5920 次前向，350464000 次乘加" in lines


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
    assert lines[3].endswith("=  0.0000000000")  # 隐藏单元 3 在这 5 张图上都关闭


# ---------- 图 ----------

def test_figures_are_drawn(trained, curves):
    data = {dg.trained_digits: trained, dg.batch_size_curves: curves}  # each figure's data, computed once here too
    for name, (compute, draw) in dg.FIGURES.items():
        figure = draw(data[compute])
        assert isinstance(figure, matplotlib.figure.Figure), name


def test_digit_figure_marks_exactly_the_wrong_predictions_in_red(trained):
    figure = dg.plot_digit_predictions(trained)
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


@pytest.mark.parametrize("alpha", [0, -0.1, math.nan, math.inf])
def test_bad_alpha_is_rejected(alpha, digits):
    with pytest.raises(ValueError, match="alpha"):
        dg.train_digits(digits[0], digits[1], alpha=alpha, epochs=1)


def test_wrong_shapes_are_rejected_with_the_argument_name(digits):
    images, labels = digits[0], digits[1]
    with pytest.raises(ValueError, match="images"):
        dg.train_digits(images[0], labels, epochs=1)  # 一维：不是一行一张图
    with pytest.raises(ValueError, match="labels"):
        dg.train_digits(images, labels[:-1], epochs=1)  # 少了一行真实值
    with pytest.raises(ValueError, match="labels"):
        dg.train_digits(images, labels[:, 0], epochs=1)


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_non_finite_values_are_rejected(bad, digits):
    images, labels = digits[0].copy(), digits[1].copy()
    images[3, 5] = bad
    with pytest.raises(ValueError, match="images"):
        dg.train_digits(images, labels, epochs=1)
    images, labels = digits[0], digits[1].copy()
    labels[0, 0] = bad
    with pytest.raises(ValueError, match="labels"):
        dg.train_digits(images, labels, epochs=1)


@pytest.mark.parametrize("train_size", [0, 1797, 5000])
def test_bad_train_size_is_rejected(train_size):
    with pytest.raises(ValueError, match="train_size"):
        dg.load_digit_split(train_size=train_size)


def test_bad_finite_difference_step_is_rejected():
    with pytest.raises(ValueError, match="h"):
        dg.check_weight_0_1(np.ones((1, 3)), np.ones((1, 1)), np.ones((3, 4)), np.ones((4, 1)), 0, 0, h=0)




def test_a_finer_alpha_narrows_the_mini_batch_gap_but_one_example_still_leads(digits, sweeps, curves):
    """页面：小批量取网格外的 α = 0.7 也稳定，10 轮后误差比 α = 0.3 低；同样的乘加次数下差距小了许多。
    同样的乘加次数：小批量 10 轮的乘加 ÷ 逐个样本每轮的乘加（work_per_epoch，手算见上）在 6 和 7 轮之间，
    所以逐个样本（α = 0.1，页面曲线上每轮结束的点）第 6 轮（少做了一些）和第 7 轮（多做了一些）都拿来比：
    两处都仍然领先，但差距不到 α = 0.3 时的一半。"""
    finer = dg.epoch_errors(digits[0], digits[1], 20, 0.7)
    coarse = sweeps["小批量"][1][0.3]  # 扫描里 α = 0.3 学 10 轮后的误差
    assert finer is not None and np.all(np.diff(finer) < 0)  # 稳定：每轮都比上一轮低
    assert finer[-1] < coarse
    alpha, epochs_seen, errors = curves["逐个样本"]
    assert alpha == 0.1
    epochs_of_equal_work = 10 * dg.work_per_epoch(20)[0] / dg.work_per_epoch(1)[0]
    assert 6 < epochs_of_equal_work < 7
    for epoch in (6, 7):
        (one,) = errors[epochs_seen == epoch]
        assert one < finer[-1]  # 逐个样本仍然领先……
        assert finer[-1] - one < (coarse - one) / 2  # ……但差距不到原来的一半


def test_unstable_alpha_1_is_bumpy_but_not_worse():
    # 页面说：“不稳定”指误差中途有回升；alpha = 1 时全批量和小批量第 10 轮后的误差比 alpha = 0.3 的还低
    images, labels, _, _ = dg.load_digit_split()
    for batch_size in (dg.BATCH_SIZES["全批量"], dg.BATCH_SIZES["小批量"]):
        bumpy = dg.epoch_errors(images, labels, batch_size, 1.0)
        steady = dg.epoch_errors(images, labels, batch_size, 0.3)
        assert np.any(np.diff(bumpy) > 0) and np.all(np.diff(steady) < 0)
        assert bumpy[-1] < steady[-1]
