"""第 3 章第 3 页：下山（更新公式、发散阈值）、等高线、碗。

期望值的来源写在每个测试里：手算、闭式解（海森矩阵的最大特征值）、或者另写的独立算法。
"""

import math

import numpy as np
import pytest

from conftest import assert_figures_draw_and_stay_light
from snippets import gradient_descent as gd

CAMP = np.array([0.5, -0.5])
START = np.array([1.5, 1.8])

# 页面上不在输出里的小数 → 核对它的测试
PROSE_NUMBERS = {
    "0.1": "test_the_two_layer_networks_zero_gradient_point_is_a_saddle",
    "0.9801": "test_the_two_layer_networks_zero_gradient_point_is_a_saddle",
    "1.5": "test_the_page_walks_from_1_5_1_8_with_alpha_0_2_to_the_camp",
    "1.8": "test_the_page_walks_from_1_5_1_8_with_alpha_0_2_to_the_camp",
    "0.2": "test_the_page_walks_from_1_5_1_8_with_alpha_0_2_to_the_camp",
    "0.5": "test_the_page_walks_from_1_5_1_8_with_alpha_0_2_to_the_camp",
    "-0.5": "test_the_page_walks_from_1_5_1_8_with_alpha_0_2_to_the_camp",
}


def test_the_page_walks_from_1_5_1_8_with_alpha_0_2_to_the_camp(main_output):
    # 真实值按 (0.5, -0.5) 算出，所以营地在那里；页面上的例子从 (1.5, 1.8) 出发、alpha = 0.2
    assert gd.hill_error(np.array([0.5, -0.5])) == pytest.approx(0, abs=1e-25)
    path, _ = gd.walk_down([1.5, 1.8], alpha=0.2, steps=25)
    assert gd.hill_error(path[-1]) < gd.hill_error(path[0])
    assert "第 25 步  权重 (+0.3939, -0.3741)  误差 0.004993" in main_output


# ---------------------------------------------------------------- 下山

def test_walk_goes_downhill_every_step_and_ends_near_camp():
    # 页面上的 alpha = 0.2
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
    assert 2 / largest == pytest.approx(0.5885, abs=1e-3)  # 第三页「回到误差山」算出的上限
    _, diverged_at = gd.walk_down(START, alpha=0.58, steps=400)
    assert diverged_at is None
    _, diverged_at = gd.walk_down(START, alpha=0.60, steps=400)
    assert diverged_at is not None


def test_walk_output_starts_at_the_start(main_output):
    assert "第  0 步  权重 (+1.5000, +1.8000)  误差 8.807200" in main_output


# ---------------------------------------------------------------- 碗

def test_the_hill_is_a_bowl_chords_never_dip_below():
    # 独立方法：二次函数的弦中点高出 (1/8)(p − q)ᵀH(p − q)，H = (2/3)XᵀX 的特征值都为正，所以恒 > 0
    hessian = 2 / 3 * gd.HILL_INPUTS.T.dot(gd.HILL_INPUTS)
    assert np.all(np.linalg.eigvalsh(hessian) > 0)
    rng = np.random.default_rng(1)
    for p, q in rng.uniform(-3, 3, size=(200, 2, 2)):
        assert gd.chord_gap(gd.hill_error, p, q) == pytest.approx((p - q).dot(hessian).dot(p - q) / 8, abs=1e-12)
        t = rng.uniform()  # 弦上任一处：高出 t(1 − t)/2 · (p − q)ᵀH(p − q)
        assert gd.chord_gap(gd.hill_error, p, q, t) == pytest.approx(t * (1 - t) / 2 * (p - q).dot(hessian).dot(p - q),
                                                                      abs=1e-12)


def test_two_layer_error_is_not_a_bowl_and_is_flat_at_the_origin():
    assert gd.two_layer_error([1, 1]) == 0 and gd.two_layer_error([-1, -1]) == 0 and gd.two_layer_error([2, 0.5]) == 0
    assert gd.two_layer_error([0, 0]) == 1
    assert gd.chord_gap(gd.two_layer_error, [-1, -1], [1, 1]) == -1  # (0 + 0)/2 − 1
    # 原点的梯度：两个偏导数 2(w₁w₂ − 1)·w₂、2(w₁w₂ − 1)·w₁ 都是 0；中心差分也量出 0
    h = 1e-6
    for d in [(h, 0), (0, h)]:
        d = np.array(d)
        assert (gd.two_layer_error(d) - gd.two_layer_error(-d)) / (2 * h) == pytest.approx(0, abs=1e-12)


def test_bowl_check_output(main_output):
    assert "先乘 w₁ 再乘 w₂ 的网络：p = (−1, −1)，q = (1, 1)，误差 0 和 0，中点 (0, 0) 的误差 1，弦高出 -1" in main_output
    line = next(l for l in main_output.splitlines() if l.startswith("误差山：1000 对点"))
    assert float(line.rsplit(" ", 1)[1]) > 0


# ---------------------------------------------------------------- 参数检查

@pytest.mark.parametrize("alpha", [0, -0.1, math.nan, math.inf])
def test_bad_alpha_is_rejected(alpha):
    with pytest.raises(ValueError, match="alpha"):
        gd.walk_down(START, alpha=alpha, steps=5)


@pytest.mark.parametrize("iterations", [0, -3, 2.5, True, "20"])
def test_bad_iteration_counts_are_rejected(iterations):
    with pytest.raises(ValueError, match="steps"):
        gd.walk_down(START, 0.2, steps=iterations)


def test_bad_bound_is_rejected():
    with pytest.raises(ValueError, match="max_error"):
        gd.walk_down(START, 0.2, 5, max_error=-1)


def test_wrong_shapes_are_rejected():
    with pytest.raises(ValueError, match="start"):
        gd.walk_down([1.0, 2.0, 3.0], 0.2, 5)


# ---------------------------------------------------------------- 图

def test_figures_draw_and_stay_light():
    assert_figures_draw_and_stay_light(gd, max_bytes=80_000)


def test_bowl_figure_has_the_chord_above_on_the_left_and_below_on_the_right():
    import matplotlib.pyplot as plt

    figure = gd.plot_bowl()
    left, right = figure.axes
    curve, chord = left.get_lines()[:2]
    xs, ys = curve.get_data()
    chord_ys = np.interp(xs, *chord.get_data())
    assert np.all(chord_ys >= ys - 1e-12)
    curve, chord = right.get_lines()[:2]
    xs, ys = curve.get_data()
    assert ys[np.argmin(abs(xs))] == pytest.approx(1) and chord.get_ydata().tolist() == [0, 0]
    plt.close(figure)


def test_the_two_layer_networks_zero_gradient_point_is_a_saddle():
    """(0, 0) 处梯度为 0、误差 1；沿 w1 = w2 下降：(0.01 − 1)² = 0.9801，沿 w1 = −w2 上升：(−0.01 − 1)² = 1.0201。
    海森矩阵 [[2w2², 4w1w2 − 2], [4w1w2 − 2, 2w1²]] 在 (0, 0) 是 [[0, −2], [−2, 0]]，特征值 ±2：鞍点。"""
    assert gd.two_layer_error([0.0, 0.0]) == 1
    assert gd.two_layer_error([0.1, 0.1]) == pytest.approx(0.9801)
    assert gd.two_layer_error([0.1, -0.1]) == pytest.approx(1.0201)
    h = 1e-4
    f = gd.two_layer_error
    mixed = (f([h, h]) - f([h, -h]) - f([-h, h]) + f([-h, -h])) / (4 * h * h)
    pure_1 = (f([h, 0]) - 2 * f([0, 0]) + f([-h, 0])) / h ** 2
    assert pure_1 == pytest.approx(0, abs=1e-6) and mixed == pytest.approx(-2, abs=1e-6)
    assert sorted(np.linalg.eigvalsh([[pure_1, mixed], [mixed, pure_1]])) == pytest.approx([-2, 2], abs=1e-6)
