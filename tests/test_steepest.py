"""第 3 章第 2 页：线性近似、单位向量、方向导数和最陡的方向。

期望值的来源写在每个测试里：二次函数的闭式（½ sᵀHs，H 另用逐项求和算出）、一侧差分、细网格上找最大值。
"""

import math

import numpy as np
import pytest

from conftest import assert_figures_draw_and_stay_light
from snippets import gradient as hill
from snippets import steepest as gd

START = np.array([1.5, 1.8])

# 页面上不在输出里的小数 → 核对它的测试
PROSE_NUMBERS = {
    "0.36": "test_unit_vectors_have_length_one_and_the_right_angle",
    "0.64": "test_unit_vectors_have_length_one_and_the_right_angle",
    "7.65": "test_directional_derivative_is_gradient_dot_u_and_largest_along_the_gradient",
    "1.5": "test_the_page_stands_at_1_5_1_8",
    "1.8": "test_the_page_stands_at_1_5_1_8",
    "0.6": "test_unit_vectors_have_length_one_and_the_right_angle",
    "0.8": "test_unit_vectors_have_length_one_and_the_right_angle",
}


def test_the_page_stands_at_1_5_1_8(main_output):
    # 这一页的例子都站在上一页的起点 (1.5, 1.8)：误差 8.8072（上一页的手算）
    assert np.array_equal(hill.START, [1.5, 1.8])
    assert hand_hill_error(1.5, 1.8) == pytest.approx(8.8072)
    assert "φ =  43.2°  u = (+0.729, +0.685)  ∇f·u = +7.6471  中心差分 +7.6471" in main_output


def hand_hill_error(a, b):
    """误差山的公式，逐个样本手写（不用矩阵）。"""
    samples = [((1.0, 0.8), 0.1), ((0.5, 1.2), -0.35), ((1.4, 0.6), 0.4)]
    return sum((x1 * a + x2 * b - y) ** 2 for (x1, x2), y in samples) / 3


def test_linear_approximation_misses_by_half_the_second_order_term():
    # 误差山是二次函数：f(w + d) − f(w) − ∇f·d 恰好等于 ½ dᵀHd，H = (2/3)XᵀX（另用逐项求和算出）
    hessian = 2 / 3 * sum(np.outer(x, x) for x in [(1.0, 0.8), (0.5, 1.2), (1.4, 0.6)])
    for scale in [1, 0.1, 0.01]:
        d = scale * np.array([-0.3, 0.4])
        gap = hand_hill_error(*(START + d)) - hand_hill_error(*START) - hill.hill_gradient(START).dot(d)
        assert gap == pytest.approx(0.5 * d.dot(hessian).dot(d), rel=1e-6)
    # 页面上打印的比值：½ uᵀHu，u = (−0.6, 0.8)：½(0.36·2.14 − 2·0.48·(2/3)·2.24 + 0.64·(2/3)·2.44) = 0.188933
    u = np.array([-0.6, 0.8])
    assert 0.5 * u.dot(hessian).dot(u) == pytest.approx(0.188933, abs=1e-6)


def test_linear_change_output_shrinks_like_the_square_of_the_step(main_output):
    rows = [line.split() for line in main_output.splitlines() if line.startswith("  (") and "." in line]
    gaps = [float(row[4]) for row in rows]
    ratios = [float(row[5]) for row in rows]
    assert len(rows) == 3
    assert gaps[0] / gaps[1] == pytest.approx(100, rel=1e-6) and gaps[1] / gaps[2] == pytest.approx(100, rel=1e-4)
    assert ratios == [0.1889, 0.1889, 0.1889]


def test_unit_vectors_have_length_one_and_the_right_angle():
    for angle in [0, 30, 43.2, 90, 180, 223.2, 359]:
        u = gd.unit_vector(angle)
        assert np.linalg.norm(u) == pytest.approx(1)
        assert math.degrees(math.atan2(u[1], u[0])) % 360 == pytest.approx(angle % 360)
    assert gd.unit_vector(0) == pytest.approx([1, 0]) and gd.unit_vector(90) == pytest.approx([0, 1], abs=1e-15)
    assert 0.6 ** 2 == pytest.approx(0.36) and 0.8 ** 2 == pytest.approx(0.64)  # (0.6, 0.8) 是单位向量：0.36 + 0.64 = 1


def test_directional_derivative_is_gradient_dot_u_and_largest_along_the_gradient():
    # 独立方法：一侧差分量出沿 u 的斜率；在 0..360° 的细网格上找最大值，应在梯度方向、等于 |∇f|
    gradient = hill.hill_gradient(START)
    h = 1e-7
    for angle in range(0, 360, 15):
        u = gd.unit_vector(angle)
        forward = (hand_hill_error(*(START + h * u)) - hand_hill_error(*START)) / h
        assert gradient.dot(u) == pytest.approx(forward, abs=1e-5)
    angles = np.linspace(0, 360, 36001)
    slopes = [gradient.dot(gd.unit_vector(angle)) for angle in angles]
    best = angles[int(np.argmax(slopes))]
    assert max(slopes) == pytest.approx(np.hypot(*gradient), rel=1e-8)
    assert round(max(slopes), 2) == 7.65 and round(min(slopes), 2) == -7.65
    assert best == pytest.approx(math.degrees(math.atan2(gradient[1], gradient[0])), abs=0.01)
    assert min(slopes) == pytest.approx(-np.hypot(*gradient), rel=1e-8)


def test_directions_output(main_output):
    # |∇f| = √(5.574667² + 5.234667²) = 7.6471；夹角 atan2(5.234667, 5.574667) = 43.2°
    assert "|∇f| = 7.6471，∇f 与 a 轴的夹角 ψ = 43.2°" in main_output
    assert "φ =  43.2°  u = (+0.729, +0.685)  ∇f·u = +7.6471  中心差分 +7.6471" in main_output
    assert "φ = 223.2°  u = (-0.729, -0.685)  ∇f·u = -7.6471  中心差分 -7.6471" in main_output
    assert "φ =   0.0°  u = (+1.000, +0.000)  ∇f·u = +5.5747  中心差分 +5.5747" in main_output


def test_level_direction_is_perpendicular_and_the_error_rises_only_to_second_order(capsys):
    gd.exercise_level_direction()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("u = (-0.6845, +0.7290)  长度 1.0000")  # (−f_b, f_a)/|∇f| = (−5.2347, 5.5747)/7.6471
    # 走 t 后误差增加 ½ t² uᵀHu（一次项为 0）：t = 0.1 → 8.8072 + 0.005·uᵀHu
    hessian = 2 / 3 * sum(np.outer(x, x) for x in [(1.0, 0.8), (0.5, 1.2), (1.4, 0.6)])
    f_a, f_b = hill.hill_gradient(START)
    u = np.array([-f_b, f_a]) / np.hypot(f_a, f_b)
    for t, line in zip([0.1, 0.5], lines[2:]):
        expected = 8.8072 + 0.5 * t * t * u.dot(hessian).dot(u)
        assert line == f"沿 u 走 {t}：误差从 8.8072 变成 {expected:.4f}"


# ---------------------------------------------------------------- 图

def test_figures_draw_and_stay_light():
    assert_figures_draw_and_stay_light(gd, max_bytes=60_000)


def test_tangent_plane_is_the_linear_approximation():
    import matplotlib.pyplot as plt

    figure = gd.plot_tangent_plane()
    ax = figure.axes[0]
    surface, plane = [c for c in ax.collections][:2]
    # 切平面在起点处的高度和误差山相同，斜率是 (f_a, f_b)：在网格的三个点上核对
    segments = np.concatenate(plane._segments3d)
    f_a, f_b = hill.hill_gradient(START)
    for a, b, z in segments[:: max(1, len(segments) // 7)]:
        assert z == pytest.approx(8.8072 + f_a * (a - 1.5) + f_b * (b - 1.8))
    plt.close(figure)


def test_directions_figure_marks_the_extremes_at_the_gradient():
    import matplotlib.pyplot as plt

    figure = gd.plot_directions()
    ax = figure.axes[0]
    gradient = hill.hill_gradient(START)
    angle = math.degrees(math.atan2(gradient[1], gradient[0]))
    points = [line.get_xydata()[0] for line in ax.get_lines() if len(line.get_xdata()) == 1]
    assert any(x == pytest.approx(angle) and y == pytest.approx(np.hypot(*gradient)) for x, y in points)
    assert any(x == pytest.approx(angle + 180) and y == pytest.approx(-np.hypot(*gradient)) for x, y in points)
    plt.close(figure)
