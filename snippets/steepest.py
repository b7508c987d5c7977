"""第 3 章　梯度下降（第 2 页）：哪个方向最陡。线性近似、单位向量和方向导数，以及为什么负梯度是
下降最快的方向。

运行 `python -m snippets.steepest` 打印这一页的例子。
"""

# --8<-- [start:imports]
import math

import numpy as np

from snippets.gradient import START, hill_error, hill_gradient, hill_grid, numerical_slope, style_hill_3d
from snippets.style import BLUE, GRAY, GREEN, ORANGE, RED, new_figure
# --8<-- [end:imports]


# --8<-- [start:unit_vector]
def unit_vector(angle_degrees):
    """和 a 轴正方向夹角为 angle_degrees 度（φ）的单位向量 (cos φ, sin φ)：长度是 1。"""
    angle = math.radians(angle_degrees)
    return np.array([math.cos(angle), math.sin(angle)])
# --8<-- [end:unit_vector]


def main():
    # --8<-- [start:linear_change]
    point = np.array([1.5, 1.8])
    f_a, f_b = hill_gradient(point)
    print("  (d_a, d_b)             真实的变化    线性估计      两者之差     差 ÷ 步子长度²")
    for scale in [1, 0.1, 0.01]:
        step = scale * np.array([-0.3, 0.4])  # 往 a 减小、b 增大的方向走，步子长度 0.5 × scale
        actual = hill_error(point + step) - hill_error(point)
        linear = f_a * step[0] + f_b * step[1]
        print(f"  ({step[0]:+.3f}, {step[1]:+.3f})   {actual:+.7f}   {linear:+.7f}   "
              f"{actual - linear:.3e}    {(actual - linear) / np.sum(step ** 2):.4f}")
    # --8<-- [end:linear_change]

    # --8<-- [start:directions]
    point = np.array([1.5, 1.8])
    gradient = hill_gradient(point)
    length = np.linalg.norm(gradient)  # |∇f| = √(f_a² + f_b²)
    gradient_angle = math.degrees(math.atan2(gradient[1], gradient[0]))  # ψ：∇f 和 a 轴的夹角
    print(f"|∇f| = {length:.4f}，∇f 与 a 轴的夹角 ψ = {gradient_angle:.1f}°")
    for angle in [0, 90, 180, gradient_angle, gradient_angle + 180]:
        u = unit_vector(angle)
        formula = gradient.dot(u)  # ∇f · u
        measured = numerical_slope(hill_error, point, u)  # 沿 u 量出来的斜率
        print(f"φ = {angle % 360:5.1f}°  u = ({u[0]:+.3f}, {u[1]:+.3f})  ∇f·u = {formula:+.4f}  "
              f"中心差分 {measured:+.4f}")
    # --8<-- [end:directions]


# ---------------------------------------------------------------- 练习

def exercise_level_direction():
    # --8<-- [start:exercise_level_direction]
    # 在 (1.5, 1.8) 沿哪个方向走，误差暂时不变？和 ∇f 垂直的单位向量：(−f_b, f_a) / |∇f|。
    point = np.array([1.5, 1.8])
    f_a, f_b = hill_gradient(point)
    # math.hypot(f_a, f_b) 是 √(f_a² + f_b²)，即梯度的长度 |∇f|；点积 f_a·(−f_b) + f_b·f_a = 0
    level = np.array([-f_b, f_a]) / math.hypot(f_a, f_b)
    print(f"u = ({level[0]:+.4f}, {level[1]:+.4f})  长度 {np.linalg.norm(level):.4f}  ∇f·u = {hill_gradient(point).dot(level):+.1e}")
    print(f"沿 u 量出来的斜率：{numerical_slope(hill_error, point, level):+.1e}，沿 −u：{numerical_slope(hill_error, point, -level):+.1e}")
    for t in [0.1, 0.5]:
        print(f"沿 u 走 {t}：误差从 {hill_error(point):.4f} 变成 {hill_error(point + t * level):.4f}")
    # --8<-- [end:exercise_level_direction]


# ---------------------------------------------------------------- 图


# --8<-- [start:plot_tangent_plane]
def plot_tangent_plane():
    """凑近看，山坡像一块斜面：起点附近的误差山（灰）和它的切平面（橙）几乎重合，离远了才分开。"""
    a0, b0 = START
    f0 = hill_error(START)
    f_a, f_b = hill_gradient(START)
    A, B, E = hill_grid(7, a_range=(a0 - 1.2, a0 + 1.2), b_range=(b0 - 1.2, b0 + 1.2))
    plane = f0 + f_a * (A - a0) + f_b * (B - b0)  # 线性近似 f + f_a·s_a + f_b·s_b

    figure = new_figure(width=5.2, height=4.2)[0]
    figure.axes[0].remove()
    ax = figure.add_subplot(projection="3d", computed_zorder=False)
    ax.plot_wireframe(A, B, E, color=GRAY, linewidth=0.7)
    ax.plot_wireframe(A, B, plane, color=ORANGE, linewidth=0.9)
    ax.plot([a0], [b0], [f0], "o", color=RED, markersize=6)
    style_hill_3d(ax, elev=18, azim=-35, zoom=1.0)
    return figure
# --8<-- [end:plot_tangent_plane]


# --8<-- [start:plot_directions]
def plot_directions():
    """沿各个方向的斜率：方向导数 ∇f·u = |∇f| cos θ 随方向转一圈，最大 |∇f| 在梯度方向。"""
    gradient = hill_gradient(START)
    length = np.linalg.norm(gradient)
    gradient_angle = math.degrees(math.atan2(gradient[1], gradient[0]))
    angles = np.linspace(0, 360, 73)
    measured_at = np.arange(0, 360, 30)
    measured = [numerical_slope(hill_error, START, unit_vector(angle)) for angle in measured_at]

    figure, ax = new_figure(width=6.0, height=3.4)
    ax.plot(angles, [gradient.dot(unit_vector(angle)) for angle in angles], color=GRAY, label="$\\nabla f \\cdot u$")
    ax.plot(measured_at, measured, "o", color=BLUE, markersize=5, label="中心差分")
    ax.axhline(0, color=GRAY, linewidth=0.8)
    marks = [(gradient_angle, length, RED, "$\\nabla f$", (0, 8), "bottom"),
             (gradient_angle + 180, -length, GREEN, "$-\\nabla f$", (0, -8), "top")]
    for angle, value, color, text, offset, va in marks:
        ax.plot([angle], [value], "o", color=color, markersize=8)
        ax.annotate(text, (angle, value), textcoords="offset points", xytext=offset, ha="center", va=va, color=color)
    for angle in [gradient_angle + 90, gradient_angle + 270]:
        ax.plot([angle], [0], "s", color=ORANGE, markersize=6)
    ax.set_xlim(0, 360)
    ax.set_ylim(-length * 1.45, length * 1.45)
    ax.set_xticks([0, 90, 180, 270, 360])
    ax.set_xlabel("u 与 a 轴的夹角 φ（度）")
    ax.set_ylabel("沿 u 的斜率")
    ax.legend(loc="upper center", ncol=2)
    return figure
# --8<-- [end:plot_directions]


FIGURES = {
    "tangent_plane": plot_tangent_plane,
    "directions": plot_directions,
}

EXERCISES = [exercise_level_direction]

if __name__ == "__main__":
    main()
    for exercise in EXERCISES:
        exercise()
