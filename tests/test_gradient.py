"""第 3 章第 1 页：一个权重的导数、误差山的偏导数与梯度。

期望值的来源写在每个测试里：手算、闭式解、或者在测试里另写一份的独立算法（逐项求和的误差、一侧差分）。
"""

import math

import numpy as np
import pytest

from conftest import assert_figures_draw_and_stay_light
from snippets import gradient as gd

CAMP = np.array([0.5, -0.5])
START = np.array([1.5, 1.8])

# 页面上不在输出里的小数 → 核对它的测试
PROSE_NUMBERS = {
    "5.57": "test_slices_are_parabolas_whose_tangents_have_the_partial_derivatives",
    "5.23": "test_slices_are_parabolas_whose_tangents_have_the_partial_derivatives",
}


def hand_hill_error(a, b):
    """误差山的公式，逐个样本手写（不用矩阵）。"""
    samples = [((1.0, 0.8), 0.1), ((0.5, 1.2), -0.35), ((1.4, 0.6), 0.4)]
    return sum((x1 * a + x2 * b - y) ** 2 for (x1, x2), y in samples) / 3


# ---------------------------------------------------------------- 一个权重

def test_one_weight_error_and_slope_by_hand():
    # E(w) = (2w − 0.8)²，dE/dw = 2·(2w − 0.8)·2：幂函数法则加链式法则
    assert gd.error(2, 0.5, 0.8) == pytest.approx(0.04)  # 预测 1.0，delta 0.2
    assert gd.slope(2, 0.5, 0.8) == pytest.approx(0.8)  # 2 × 0.2 × 2
    assert gd.error(2, 0.4, 0.8) == 0 and gd.slope(2, 0.4, 0.8) == 0  # 最低点：2 × 0.4 = 0.8
    # 关于最低点 0.4 对称的两点：误差相同，斜率相反
    assert gd.error(2, 0.1, 0.8) == pytest.approx(0.36) and gd.error(2, 0.7, 0.8) == pytest.approx(0.36)
    assert gd.slope(2, 0.1, 0.8) == pytest.approx(-2.4) and gd.slope(2, 0.7, 0.8) == pytest.approx(2.4)
    assert gd.slope(2, 0.25, 0.8) == pytest.approx(-1.2)  # 2 × (0.5 − 0.8) × 2


@pytest.mark.parametrize("input, weight, goal_pred", [(2, 0.5, 0.8), (-1.5, 0.3, 0.2), (0.5, -2.0, 1.0)])
def test_one_weight_slope_matches_a_forward_difference(input, weight, goal_pred):
    # 独立方法：一侧差分 (E(w + h) − E(w)) / h，这里直接写出误差的式子
    h = 1e-7
    forward = (((input * (weight + h) - goal_pred) ** 2) - (input * weight - goal_pred) ** 2) / h
    assert gd.slope(input, weight, goal_pred) == pytest.approx(forward, abs=1e-5)


def test_slopes_output(main_output):
    assert "weight = 0.1   误差 0.3600  斜率：公式 -2.4  量出来 -2.400000" in main_output
    assert "weight = 0.25  误差 0.0900  斜率：公式 -1.2  量出来 -1.200000" in main_output
    assert "weight = 0.5   误差 0.0400  斜率：公式 +0.8  量出来 +0.800000" in main_output
    assert "weight = 0.7   误差 0.3600  斜率：公式 +2.4  量出来 +2.400000" in main_output


# ---------------------------------------------------------------- 误差山与梯度

def test_the_hill_is_the_formula_on_the_page():
    for a, b in [(0.0, 0.0), (1.5, 1.8), (-1.2, 0.7), (2.5, -2.5)]:
        assert gd.hill_error(np.array([a, b])) == pytest.approx(hand_hill_error(a, b), rel=1e-12)


def test_camp_is_at_half_minus_half_with_zero_error_and_zero_slope():
    # 真实值按权重 (0.5, −0.5) 算出：1·0.5 + 0.8·(−0.5) = 0.1，0.5·0.5 − 1.2·0.5 = −0.35，1.4·0.5 − 0.6·0.5 = 0.4
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


def test_transpose_dot_is_the_two_sums_of_the_formula(main_output):
    # 起点的 delta (2.84, 3.26, 2.78)：Σ delta·x1 = 2.84 + 1.63 + 3.892 = 8.362，Σ delta·x2 = 2.272 + 3.912 + 1.668 = 7.852
    deltas = gd.HILL_INPUTS.dot(START) - gd.HILL_GOALS
    assert gd.HILL_INPUTS.T.dot(deltas) == pytest.approx([8.362, 7.852])
    assert gd.hill_gradient(START) == pytest.approx([2 / 3 * 8.362, 2 / 3 * 7.852])
    assert "三个样本的 delta： [2.84, 3.26, 2.78]" in main_output
    assert "HILL_INPUTS.T： [[1.0, 0.5, 1.4], [0.8, 1.2, 0.6]]" in main_output
    assert "逐项相加：         [8.362, 7.852]" in main_output
    assert "HILL_INPUTS.T.dot(deltas)： [8.362, 7.852]" in main_output


def test_partials_check_output_agrees_and_states_the_start(main_output):
    lines = main_output.splitlines()
    lines = lines[lines.index("f(a, b) 在 (a, b) = (1.5, 1.8) 处 = 8.807200"):]
    assert lines[0] == "f(a, b) 在 (a, b) = (1.5, 1.8) 处 = 8.807200"  # 见上面的手算
    for line in lines[1:3]:
        # “相差 x.xe-yy”：中心差分对二次函数只有舍入误差，应远小于 1e-8
        assert float(line.rsplit("相差 ", 1)[1]) < 1e-8
    assert lines[1].startswith("f_a：公式 5.5746666667")  # 2/3 · 8.362
    assert lines[2].startswith("f_b：公式 5.2346666667")  # 2/3 · 7.852


# ---------------------------------------------------------------- 图

def test_figures_draw_and_stay_light():
    # 三维图用粗网格（11×11 以下），刻度也少，每张图都控制在 80 KB 以内
    assert_figures_draw_and_stay_light(gd, max_bytes=80_000)


def test_one_weight_figure_draws_the_tangents_with_the_slopes():
    import matplotlib.pyplot as plt

    figure = gd.plot_one_weight()
    lines = figure.axes[0].get_lines()
    tangents = [line for line in lines if len(line.get_xdata()) == 2]
    assert len(tangents) == len(gd.TANGENT_WEIGHTS)
    for line, w in zip(tangents, gd.TANGENT_WEIGHTS):
        (x0, x1), (y0, y1) = line.get_xdata(), line.get_ydata()
        assert (y1 - y0) / (x1 - x0) == pytest.approx(gd.slope(2, w, 0.8))
        assert (x0 + x1) / 2 == pytest.approx(w)  # 切线以切点为中点
    plt.close(figure)


def test_slices_are_parabolas_whose_tangents_have_the_partial_derivatives():
    # 固定 b = 1.8：切面是 a 的二次函数；它在 a = 1.5 的斜率（这里用一侧差分另外量出）就是 f_a ≈ 5.57，
    # 固定 a = 1.5 得到 f_b ≈ 5.23（见 test_start_point_error_and_gradient_by_hand 的手算）
    import matplotlib.pyplot as plt

    h = 1e-7
    along_a = (hand_hill_error(1.5 + h, 1.8) - hand_hill_error(1.5, 1.8)) / h
    along_b = (hand_hill_error(1.5, 1.8 + h) - hand_hill_error(1.5, 1.8)) / h
    assert round(along_a, 2) == 5.57 and round(along_b, 2) == 5.23

    figure = gd.plot_slices()
    left, right, hill = figure.axes
    assert hill.name == "3d"
    assert left.get_title() == "固定 b = 1.8\n斜率 f_a ≈ 5.57"
    assert right.get_title() == "固定 a = 1.5\n斜率 f_b ≈ 5.23"
    for ax, slope, fixed in [(left, along_a, lambda x: (x, 1.8)), (right, along_b, lambda y: (1.5, y))]:
        curve, tangent = ax.get_lines()[:2]
        xs, ys = curve.get_data()
        assert ys == pytest.approx([hand_hill_error(*fixed(x)) for x in xs])  # 切面就是误差山沿直线的高度
        (x0, x1), (y0, y1) = tangent.get_data()
        assert (y1 - y0) / (x1 - x0) == pytest.approx(slope, abs=1e-5)
    # 三维图上的两条曲线就是这两个切面，画在 b = 1.8 和 a = 1.5 上
    orange, blue = hill.get_lines()[:2]
    xs, ys, zs = orange.get_data_3d()
    assert np.all(ys == 1.8) and zs == pytest.approx([hand_hill_error(x, 1.8) for x in xs])
    xs, ys, zs = blue.get_data_3d()
    assert np.all(xs == 1.5) and zs == pytest.approx([hand_hill_error(1.5, y) for y in ys])
    plt.close(figure)
