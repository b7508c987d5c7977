"""第 3 章第 6 页：二阶导数、泰勒展开、海森矩阵、特征向量和特征值。

期望值的来源写在每个测试里：手算、闭式解（2×2 对称矩阵的特征值由迹和行列式算出；沿特征方向的分量
每一步乘以 1 − alpha·λ）、或者在测试里另写一份的独立算法（逐项手写的误差、复数步长求导、
二阶差分、在特征方向的坐标里另写的动量递推）。
"""

import math
import re

import numpy as np
import pytest

from conftest import assert_figures_draw_and_stay_light
from snippets import curvature as cv
from snippets import gradient as gd

START = np.array([1.5, 1.8])

# 页面上不在输出里的小数 → 核对它的测试
PROSE_NUMBERS = {
    "1.5": "test_mixed_figure_slopes_differ_by_f_ab",
    "1.8": "test_mixed_figure_slopes_differ_by_f_ab",
    "5.57": "test_mixed_figure_slopes_differ_by_f_ab",
    "4.08": "test_mixed_figure_slopes_differ_by_f_ab",
    "1.49": "test_mixed_figure_slopes_differ_by_f_ab",
    "0.6": "test_slices_bend_by_u_h_u_and_eigen_directions_are_the_extremes",
    "0.37": "test_eigen_figure_marks_the_extremes_and_u",
    "3.40": "test_eigen_figure_marks_the_extremes_and_u",
    "3.25": "test_eigen_figure_marks_the_extremes_and_u",
}


def block(output, first_line, length):
    """main() 输出里从 first_line 开始的 length 行。"""
    lines = output.splitlines()
    start = lines.index(first_line)
    return lines[start:start + length]


def hand_hill_error(a, b):
    """误差山的公式，逐个样本手写（不用矩阵）。"""
    samples = [((1.0, 0.8), 0.1), ((0.5, 1.2), -0.35), ((1.4, 0.6), 0.4)]
    return sum((x1 * a + x2 * b - y) ** 2 for (x1, x2), y in samples) / 3


# XᵀX 的三个数，逐项手算：1 + 0.25 + 1.96，0.8 + 0.6 + 0.84，0.64 + 1.44 + 0.36
XTX = np.array([[3.21, 2.24], [2.24, 2.44]])


def closed_form_eigen():
    """H = (2/3)·XᵀX 的两个特征值，由迹和行列式：λ = (tr ± √(tr² − 4·det)) / 2；
    特征向量 (q, λ − p) 化成单位长度，a 分量取正。"""
    p, q, s = 2 / 3 * XTX[0, 0], 2 / 3 * XTX[0, 1], 2 / 3 * XTX[1, 1]
    tr, det = p + s, p * s - q * q
    root = math.sqrt(tr * tr - 4 * det)
    small, large = (tr - root) / 2, (tr + root) / 2
    v1, v2 = [np.array([q, lam - p]) / math.hypot(q, lam - p) for lam in (small, large)]
    return small, large, v1 * np.sign(v1[0]), v2 * np.sign(v2[0])


# ---------------------------------------------------------------- 二阶导数

@pytest.mark.parametrize("input, weight", [(2, 0.1), (2, 0.7), (1, 0.5), (-1.5, 0.3), (0.5, -2.0)])
def test_second_derivative_of_one_weight_error_is_two_input_squared(input, weight):
    # E'(w) = 2x²·w − 2x·goal_pred 是一次函数，斜率 2x²：E'' = 2x²，和 w 无关
    measured = cv.second_derivative(lambda w: gd.error(input, w, 0.8), weight)
    assert measured == pytest.approx(2 * input ** 2, rel=1e-6)
    # 也就是斜率的变化率：用第一页的 slope 在两点之间量
    rise = gd.slope(input, weight + 0.3, 0.8) - gd.slope(input, weight, 0.8)
    assert rise / 0.3 == pytest.approx(2 * input ** 2)


def test_bend_output_and_geometric_curvature(main_output):
    # 几何曲率 E''/(1 + E'²)^{3/2}：w = 0.5 处 E' = 2·(1 − 0.8)·2 = 0.8，8 / 1.64^1.5 = 3.8091；
    # 只在斜率为 0 的最低点（w = 0.4）等于 E'' = 8
    assert 8 / 1.64 ** 1.5 == pytest.approx(3.8091, abs=5e-5)
    assert block(main_output, "input 2  weight 0.1  斜率 -2.40  二阶导数（量出来）8.0000  几何曲率 0.4552", 6) == [
        "input 2  weight 0.1  斜率 -2.40  二阶导数（量出来）8.0000  几何曲率 0.4552",
        "input 2  weight 0.4  斜率 +0.00  二阶导数（量出来）8.0000  几何曲率 8.0000",
        "input 2  weight 0.5  斜率 +0.80  二阶导数（量出来）8.0000  几何曲率 3.8091",
        "input 2  weight 0.7  斜率 +2.40  二阶导数（量出来）8.0000  几何曲率 0.4552",
        "input 1  weight 0.5  斜率 -0.60  二阶导数（量出来）2.0000  几何曲率 1.2610",
        "input 1  weight 0.8  斜率 +0.00  二阶导数（量出来）2.0000  几何曲率 2.0000",
    ]
    assert 8 / (1 + 2.4 ** 2) ** 1.5 == pytest.approx(0.4552, abs=5e-5)
    assert 2 / (1 + 0.6 ** 2) ** 1.5 == pytest.approx(1.2610, abs=5e-5)


def test_bend_figure_slopes_are_straight_lines_with_slope_two_input_squared():
    import matplotlib.pyplot as plt

    figure = cv.plot_bend()
    left, right = figure.axes
    for line, input in zip(right.get_lines()[:2], [1, 2]):
        w, slope = line.get_data()
        assert np.allclose(np.diff(slope) / np.diff(w), 2 * input ** 2)  # 斜率线的斜率 = E''
        assert np.interp(0.4, w, slope) == pytest.approx(0, abs=1e-12)  # 最低点都在 0.4
    plt.close(figure)


# ---------------------------------------------------------------- 泰勒展开

def complex_step(f, x, h=1e-20):
    """解析函数的导数：Im f(x + ih) / h，没有相减，精确到舍入（独立于差分）。"""
    return f(x + 1j * h).imag / h


def test_tanh_derivative_and_the_error_derivatives():
    for z in [-1.2, 0.0, 0.4, 2.0]:
        assert complex_step(np.tanh, z) == pytest.approx(1 - np.tanh(z) ** 2, rel=1e-12)
    for w in [-0.4, 0.0, 0.2, 0.55, 0.9]:
        first, second = cv.tanh_error_derivatives(w)
        assert first == pytest.approx(complex_step(cv.tanh_error, w), rel=1e-10, abs=1e-12)
        # E'' 由 E' 的复数步长量出（E' 用另一种写法：链式法则，不乘开）
        def e_prime(v):
            t = np.tanh(2 * v)
            return 2 * (t - 0.8) * 2 * (1 - t ** 2)
        assert second == pytest.approx(complex_step(e_prime, w), rel=1e-10, abs=1e-12)


def test_tanh_check_output(main_output):
    first, second = cv.tanh_error_derivatives(0.2)
    assert block(main_output, f"E'(0.2)  公式 {first:+.6f}  量出来 {first:+.6f}", 2) == [
        f"E'(0.2)  公式 {first:+.6f}  量出来 {first:+.6f}", f"E''(0.2) 公式 {second:+.6f}  量出来 {second:+.6f}"]


def third_derivative(w):
    """E'''(w)：对 E'' 的公式取复数步长（独立于泰勒表）。"""
    return complex_step(lambda v: cv.tanh_error_derivatives(v)[1], w)


def test_taylor_table_shrinks_like_h_squared_and_h_cubed(main_output):
    lines = block(main_output, "  h       一次近似差多少  ÷h²       二次近似差多少  ÷h³", 6)[1:]
    rows = [[float(x) for x in line.split()] for line in lines[:4]]
    hs, linear, per_h2, quadratic, per_h3 = np.array(rows).T
    assert hs.tolist() == [0.1, 0.05, 0.025, 0.0125]
    # h 减半：一次近似的差约为四分之一，二次近似的差约为八分之一
    assert np.all((3.7 < linear[:-1] / linear[1:]) & (linear[:-1] / linear[1:] < 4.1))
    assert np.all((7.5 < quadratic[:-1] / quadratic[1:]) & (quadratic[:-1] / quadratic[1:] < 8.5))
    # 除以 h² 趋于 E''(w)/2，除以 h³ 趋于 E'''(w)/6：离极限的距离和 h 成正比，h 减半它也约减半
    _, second = cv.tanh_error_derivatives(0.2)
    assert lines[4] == f"E''(0.2)/2 = {second / 2:+.4f}"
    gaps2, gaps3 = np.abs(per_h2 - second / 2), np.abs(per_h3 - third_derivative(0.2) / 6)
    for gaps in (gaps2, gaps3):
        assert np.all((0.4 < gaps[1:] / gaps[:-1]) & (gaps[1:] / gaps[:-1] < 0.6)), gaps


@pytest.mark.parametrize("h", [0.3, 0.1, -0.2, 0.0125])
def test_taylor_remainder_is_within_its_bound(h):
    # |R| ≤ M/6·|h|³，M 是 |E'''| 在 w 和 w + h 之间的最大值（在细网格上取，再留 1% 的余量）
    w = 0.2
    first, second = cv.tanh_error_derivatives(w)
    remainder = cv.tanh_error(w + h) - (cv.tanh_error(w) + first * h + second * h ** 2 / 2)
    M = max(abs(third_derivative(v)) for v in np.linspace(w, w + h, 2001)) * 1.01
    assert abs(remainder) <= M / 6 * abs(h) ** 3


def test_taylor_is_exact_for_a_quadratic():
    # 一个权重的误差是二次函数：E(w + h) = E + E'h + ½E''h²，对任何 h
    for h in [-3.0, 0.1, 2.5]:
        w = 0.3
        assert gd.error(2, w + h, 0.8) == pytest.approx(gd.error(2, w, 0.8) + gd.slope(2, w, 0.8) * h + 4 * h ** 2)


def test_taylor_figure_draws_the_error_and_its_two_approximations():
    import matplotlib.pyplot as plt

    figure = cv.plot_taylor()
    (ax,) = figure.axes
    curve, tangent, quadratic = ax.get_lines()[:3]
    w = curve.get_xdata()
    first, second = cv.tanh_error_derivatives(0.2)
    assert np.allclose(curve.get_ydata(), (np.tanh(2 * w) - 0.8) ** 2)
    assert np.allclose(tangent.get_ydata(), cv.tanh_error(0.2) + first * (w - 0.2))
    assert np.allclose(quadratic.get_ydata(), cv.tanh_error(0.2) + first * (w - 0.2) + second * (w - 0.2) ** 2 / 2)
    # 图的说明：离 0.2 远了才分开；右边误差曲线变平（tanh 压在 1 以下），抛物线往上翘
    assert curve.get_ydata()[-1] < 0.1 < quadratic.get_ydata()[-1]
    plt.close(figure)


# ---------------------------------------------------------------- 海森矩阵

def test_hessian_is_the_matrix_of_second_partial_derivatives():
    # 独立方法：对逐项手写的误差做二阶中心差分
    h = 1e-4
    f = hand_hill_error
    a, b = 0.3, -1.1
    f_aa = (f(a + h, b) - 2 * f(a, b) + f(a - h, b)) / h ** 2
    f_bb = (f(a, b + h) - 2 * f(a, b) + f(a, b - h)) / h ** 2
    f_ab = (f(a + h, b + h) - f(a + h, b - h) - f(a - h, b + h) + f(a - h, b - h)) / (4 * h * h)
    assert np.allclose(cv.hill_hessian(), [[f_aa, f_ab], [f_ab, f_bb]], atol=1e-5)
    assert np.allclose(cv.hill_hessian(), 2 / 3 * XTX, rtol=1e-12)


def test_xtx_and_mixed_partials_output(main_output):
    assert block(main_output, "逐项相加：      [[3.21, 2.24], [2.24, 2.44]]", 3) == [
        "逐项相加：      [[3.21, 2.24], [2.24, 2.44]]",
        "X.T.dot(X)：    [[3.21, 2.24], [2.24, 2.44]]",
        "H = (2/3)·XᵀX： [[2.14, 1.4933], [1.4933, 1.6267]]",  # 2/3 × (3.21, 2.24, 2.44)
    ]
    # f_ab（f_a 随 b）和 f_ba（f_b 随 a）分别量出，都是 (2/3)·2.24
    assert "量出来：f_aa = 2.14  f_ab = 1.493333  f_ba = 1.493333  f_bb = 1.626667" in main_output


def test_mixed_figure_slopes_differ_by_f_ab():
    # b 从 1.8 变到 0.8，a = 1.5 处沿 a 的斜率从 5.57 变成 4.08，差 f_ab = 1.49
    import matplotlib.pyplot as plt

    slope_18 = gd.hill_gradient(np.array([1.5, 1.8]))[0]
    slope_08 = gd.hill_gradient(np.array([1.5, 0.8]))[0]
    assert round(slope_18, 2) == 5.57 and round(slope_08, 2) == 4.08
    assert slope_18 - slope_08 == pytest.approx(2 / 3 * 2.24)
    assert round(2 / 3 * 2.24, 2) == 1.49
    figure = cv.plot_mixed()
    labels = [text.get_text() for text in figure.axes[0].texts]
    assert labels == ["b = 1.8: f_a = 5.57", "b = 0.8: f_a = 4.08"]
    plt.close(figure)


def test_two_variable_taylor_is_exact_on_the_hill(main_output):
    H = 2 / 3 * XTX
    rng = np.random.default_rng(3)
    for _ in range(20):
        w, d = rng.normal(size=2) * 2, rng.normal(size=2) * 2
        gradient = gd.hill_gradient(w)
        taylor = hand_hill_error(*w) + gradient @ d + d @ H @ d / 2
        assert hand_hill_error(*(w + d)) == pytest.approx(taylor, rel=1e-12, abs=1e-12)
    assert "d = [-0.3, 0.4]  f(w + d) = 9.2759  泰勒展开 9.2759" in main_output
    assert "d = [1.0, -2.0]  f(w + d) = 5.2492  泰勒展开 5.2492" in main_output
    assert hand_hill_error(1.2, 2.2) == pytest.approx(9.2759) and hand_hill_error(2.5, -0.2) == pytest.approx(5.2492)



def test_steepest_pages_ratio_and_tangent_walk_are_half_u_h_u(main_output):
    """最陡的方向一页的两个数由 ½·uᵀHu 给出：那一页量出的“差 ÷ 步子长度²”和沿切线走后的误差，
    在这里用逐项手写的误差重新量一遍（误差山是二次函数，两变量的泰勒展开精确）。"""
    H = 2 / 3 * XTX
    d = np.array([-0.3, 0.4])  # 长度 0.5，单位方向 (−0.6, 0.8)
    gradient = gd.hill_gradient(START)
    measured = (hand_hill_error(*(START + d)) - hand_hill_error(*START) - gradient @ d) / (d @ d)
    u = d / 0.5
    assert measured == pytest.approx(u @ H @ u / 2, rel=1e-12)
    assert "½ uᵀHu = 0.1889" in main_output and round(measured, 4) == 0.1889
    level = np.array([-gradient[1], gradient[0]]) / np.linalg.norm(gradient)
    assert level @ gradient == pytest.approx(0, abs=1e-12)
    assert level @ H @ level > 0  # 所以往切线的哪一边走，误差都升高
    for t in [0.1, 0.5]:
        for side in [level, -level]:
            walked = hand_hill_error(*(START + t * side))
            assert walked == pytest.approx(hand_hill_error(*START) + t * t * (level @ H @ level) / 2, rel=1e-12)
            assert walked > hand_hill_error(*START)
        assert f"沿切线走 {t}：f(w) + ½·{t}²·ℓᵀHℓ = {hand_hill_error(*(START + t * level)):.4f}" in main_output


# ---------------------------------------------------------------- 特征向量

def test_eigen_output_matches_the_closed_form(main_output):
    small, large, v1, v2 = closed_form_eigen()
    lambdas, vectors = cv.eigen_directions()
    assert lambdas == pytest.approx([small, large]) and np.allclose(vectors.T, [v1, v2])
    H = 2 / 3 * XTX
    def line(lam, v):
        return f"λ = {lam:.4f}  v = {v.round(4).tolist()}  Hv = {(H @ v).round(4).tolist()}  λv = {(lam * v).round(4).tolist()}"
    assert block(main_output, line(small, v1), 3) == [line(small, v1), line(large, v2), "|v1| = 1.0  |v2| = 1.0  v1·v2 = 0.0"]
    assert abs(v1 @ v2) < 1e-15 and np.allclose(H @ v1, small * v1) and np.allclose(H @ v2, large * v2)
    assert round(small, 4) == 0.3681 and round(large, 4) == 3.3986


def test_slices_bend_by_u_h_u_and_eigen_directions_are_the_extremes(main_output):
    small, large, v1, v2 = closed_form_eigen()
    H = 2 / 3 * XTX
    # u = (0.6, 0.8)：2.14·0.36 + 2·1.4933·0.48 + 1.6267·0.64 = 3.2451，在两个特征值之间
    u = np.array([0.6, 0.8])
    assert u @ u == pytest.approx(1)  # 单位方向
    assert u @ H @ u == pytest.approx(3.2451, abs=5e-5)
    u_h_u = 2.14 * 0.36 + 2 * (2 / 3 * 2.24) * 0.48 + (2 / 3 * 2.44) * 0.64
    assert u_h_u == pytest.approx(3.2451, abs=5e-5)
    assert block(main_output, f"沿 v1：uᵀHu = {small:.4f}  切面的二阶导数（量出来）{small:.4f}", 3) == [
        f"沿 v1：uᵀHu = {small:.4f}  切面的二阶导数（量出来）{small:.4f}",
        f"沿 v2：uᵀHu = {large:.4f}  切面的二阶导数（量出来）{large:.4f}",
        "沿 u：uᵀHu = 3.2451  切面的二阶导数（量出来）3.2451",
    ]
    # 每个单位方向：uᵀHu = λ1 cos²γ + λ2 sin²γ，介于 λ1 和 λ2 之间；两端正是两个特征方向
    for theta in np.linspace(0, math.pi, 721):
        u = math.cos(theta) * v1 + math.sin(theta) * v2
        assert u @ H @ u == pytest.approx(small * math.cos(theta) ** 2 + large * math.sin(theta) ** 2)
        assert small - 1e-12 <= u @ H @ u <= large + 1e-12


def test_eigen_figure_marks_the_extremes_and_u():
    # 蓝点 v1 在最低处（约 0.37），橙点 v2 在最高处（约 3.40），紫点 u 约 3.25
    import matplotlib.pyplot as plt

    figure = cv.plot_eigen()
    (ax,) = figure.axes
    curve, *points = ax.get_lines()
    marks = [float(p.get_ydata()[0]) for p in points]
    assert [round(m, 2) for m in marks] == [0.37, 3.40, 3.25]
    assert marks[0] <= min(curve.get_ydata()) and marks[1] >= max(curve.get_ydata())  # 没有更平、更弯的方向
    plt.close(figure)


def test_the_hill_is_a_bowl_with_one_lowest_point():
    # 两个特征值都大于 0：任意两点之间的弦都不在曲面下方；营地之外处处比营地高
    rng = np.random.default_rng(7)
    for _ in range(200):
        p, q = rng.normal(size=2) * 3, rng.normal(size=2) * 3
        for t in np.linspace(0, 1, 11):
            assert gd.hill_error((1 - t) * p + t * q) <= (1 - t) * gd.hill_error(p) + t * gd.hill_error(q) + 1e-12
        assert gd.hill_error(p) > gd.hill_error(cv.CAMP) == pytest.approx(0, abs=1e-30)


# ---------------------------------------------------------------- 图

def test_figures_draw_and_stay_light():
    assert_figures_draw_and_stay_light(cv, max_bytes=80_000)
