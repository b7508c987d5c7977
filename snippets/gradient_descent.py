"""第 3 章　梯度下降（第 3 页）：一步一步下山。更新公式、学习率、等高线上的路，以及什么样的山是碗。

运行 `python -m snippets.gradient_descent` 打印这一页的例子。
"""

# --8<-- [start:imports]
import math

import numpy as np

from snippets.checks import check_count, check_finite, check_positive, check_shape
from snippets.gradient import HILL_GOALS, HILL_INPUTS, START, hill_error, hill_gradient, hill_grid
from snippets.style import BLUE, GRAY, GREEN, ORANGE, PAPER, RED, new_figure
# --8<-- [end:imports]


# --8<-- [start:max_error]
MAX_ERROR = 1e6  # 发散阈值：误差超过它（或不再是有限数），就当作发散（一个实用的判断）

# --8<-- [end:max_error]


# --8<-- [start:walk_down]
def walk_down(start, alpha, steps, max_error=MAX_ERROR):
    """从 start 出发下山：每一步从权重里减去 alpha 倍的梯度，即沿 −∇f 走一步。

    返回 (path, diverged_at)：path 是走过的每个点；没有发散时 diverged_at 为 None，
    发散时是误差超过发散阈值 max_error（或不再是有限数）的那一步，从 1 数起。
    """
    check_finite(start=start)  # 检查传进来的值：不合理就立刻报错
    check_shape("start", start, (2,))
    check_positive(alpha=alpha, max_error=max_error)
    check_count(steps=steps)
    weights = np.array(start, dtype=float)
    path = [weights]
    for step in range(1, steps + 1):
        weights = weights - alpha * hill_gradient(weights)
        error = hill_error(weights)
        if not math.isfinite(error) or error > max_error:
            return np.array(path), step
        path.append(weights)
    return np.array(path), None
# --8<-- [end:walk_down]


# --8<-- [start:two_layer_error]
def two_layer_error(weights):
    """先乘 w₁、再乘 w₂ 的网络（第 4 章叫它两层网络）：预测 = w₂ · (w₁ · 1)，真实值 1。误差 (w₁w₂ − 1)²。"""
    weight_1, weight_2 = weights
    prediction = weight_2 * (weight_1 * 1.0)
    return (prediction - 1.0) ** 2
# --8<-- [end:two_layer_error]


# --8<-- [start:chord_gap]
def chord_gap(f, p, q, t=0.5):
    """从 p 往 q 走全程的 t（0 到 1）处，弦比曲面高出多少：(1 − t)·f(p) + t·f(q) − f((1 − t)·p + t·q)。

    碗上它永远不小于 0。
    """
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    return (1 - t) * f(p) + t * f(q) - f((1 - t) * p + t * q)
# --8<-- [end:chord_gap]


def main():
    # --8<-- [start:walk]
    path, diverged_at = walk_down(start=[1.5, 1.8], alpha=0.2, steps=25)
    for step in [0, 1, 2, 5, 10, 25]:
        a, b = path[step]
        print(f"第 {step:2} 步  权重 ({a:+.4f}, {b:+.4f})  误差 {hill_error(path[step]):.6f}")
    # --8<-- [end:walk]

    # --8<-- [start:bowl_check]
    rng = np.random.default_rng(0)  # 随机数生成器，种子 0：每次运行抽到同样的点
    pairs = rng.uniform(-3, 3, size=(1000, 2, 2))  # 1000 对随机的点 (p, q)：形状是 1000 对 × 2 个点 × 2 个坐标
    ts = rng.uniform(0, 1, size=1000)  # 每对点上，弦上随机的一处
    hill_gaps = [chord_gap(hill_error, p, q, t) for (p, q), t in zip(pairs, ts)]
    print(f"误差山：1000 对点、弦上随机的一处，弦比曲面高出的量最小是 {min(hill_gaps):.2e}")
    print(f"先乘 w₁ 再乘 w₂ 的网络：p = (−1, −1)，q = (1, 1)，误差 {two_layer_error([-1, -1]):.0f} 和 "
          f"{two_layer_error([1, 1]):.0f}，中点 (0, 0) 的误差 {two_layer_error([0, 0]):.0f}，"
          f"弦高出 {chord_gap(two_layer_error, [-1, -1], [1, 1]):+.0f}")
    # --8<-- [end:bowl_check]


# ---------------------------------------------------------------- 图
# 每张图都尽量少用文字、少画点：图是 SVG，每个汉字都要存成一条路径。

WALK_ALPHA = 0.2
WALK_STEPS = 25


# --8<-- [start:plot_contour]
def plot_contour():
    """同一座山的等高线图：每处的 −∇f 箭头指向最陡的下坡，路径顺着箭头走。"""
    A, B, E = hill_grid(30)
    path, _ = walk_down(START, WALK_ALPHA, WALK_STEPS)
    a, b = np.meshgrid(np.linspace(-1.0, 2.0, 4), np.linspace(-2.0, 1.5, 5))
    gradients = np.array([hill_gradient(np.array([x, y])) for x, y in zip(a.ravel(), b.ravel())])

    figure, ax = new_figure(width=5.0, height=5.0)
    ax.contour(A, B, E, levels=[0.05, 0.3, 1, 2.5, 5, 8.5, 12.5], colors=GRAY, linewidths=0.7)
    ax.quiver(a.ravel(), b.ravel(), -gradients[:, 0], -gradients[:, 1], color=BLUE,
              angles="xy", scale_units="xy", scale=10, width=0.006, label="−∇f")
    ax.plot(path[:, 0], path[:, 1], "o-", color=ORANGE, markersize=2.5, label="下山的路")
    ax.plot([path[0, 0]], [path[0, 1]], "o", color=RED, markersize=7, label="起点")
    ax.plot([0.5], [-0.5], "*", color=GREEN, markersize=13, label="营地")
    ax.set_aspect("equal")
    ax.grid(False)
    ax.set_xticks([-1, 0, 1, 2])
    ax.set_yticks([-2, -1, 0, 1, 2])
    ax.set_xlabel("权重 a")
    ax.set_ylabel("权重 b")
    ax.legend(loc="lower left", ncol=2, facecolor=PAPER, framealpha=0.9, frameon=True)
    return figure
# --8<-- [end:plot_contour]


# --8<-- [start:plot_bowl]
def plot_bowl():
    """左：误差山沿一条直线的切面，弦（虚线）在曲线上方：碗。右：先乘 w₁、再乘 w₂ 的网络沿 w₁ = w₂ 的切面，弦在曲线下方：不是碗。"""
    t = np.linspace(0, 1, 41)
    p, q = np.array([-1.0, 1.5]), np.array([2.0, -2.0])
    along_hill = [hill_error(p + s * (q - p)) for s in t]
    w = np.linspace(-1.4, 1.4, 57)
    along_two_layer = [two_layer_error([x, x]) for x in w]

    figure, (left, right) = new_figure(ncols=2, width=6.4, height=2.9)
    left.plot(t, along_hill, color=BLUE)
    left.plot([0, 1], [along_hill[0], along_hill[-1]], "--o", color=ORANGE, markersize=4)
    left.set_title("误差山：碗")
    left.set_xlabel("从 p 走到 q")
    left.set_ylabel("误差")
    left.set_xticks([0, 1], ["p", "q"])
    right.plot(w, along_two_layer, color=BLUE)
    right.plot([-1, 1], [0, 0], "--o", color=ORANGE, markersize=4)
    right.plot([0], [two_layer_error([0, 0])], "o", color=RED, markersize=5)
    right.set_title("先乘 $w_1$ 再乘 $w_2$：不是碗")
    right.set_xlabel("$w_1 = w_2$")
    right.set_xticks([-1, 0, 1])
    right.set_ylim(-0.25, 2.2)
    for ax in (left, right):
        ax.grid(False)
    return figure
# --8<-- [end:plot_bowl]


FIGURES = {
    "contour": plot_contour,
    "bowl": plot_bowl,
}

EXERCISES = []

if __name__ == "__main__":
    main()
    for exercise in EXERCISES:
        exercise()
