"""第 3 章　梯度下降（第 1 页）：沿着斜坡一小步一小步地下山。

运行 `python -m snippets.gradient_descent` 打印这一页的例子。
"""

# --8<-- [start:imports]
import math

import numpy as np

from snippets.checks import check_count, check_finite, check_positive, check_shape
from snippets.style import BLUE, GRAY, GREEN, ORANGE, RED, new_figure
# --8<-- [end:imports]


# --8<-- [start:hill]
# 一座“误差山”：两个权重、三个样本，每个样本有两个输入。
HILL_INPUTS = np.array([[1.0, 0.8],
                        [0.5, 1.2],
                        [1.4, 0.6]])
HILL_GOALS = np.array([0.1, -0.35, 0.4])  # 权重取 (0.5, -0.5) 时预测恰好全对


def hill_error(weights):
    """误差 f(a, b)：三个样本的均方误差，a、b 是两个权重。"""
    check_finite(weights=weights)
    check_shape("weights", weights, (2,))
    predictions = HILL_INPUTS.dot(weights)
    return np.mean((predictions - HILL_GOALS) ** 2)


def hill_gradient(weights):
    """梯度 ∇f(a, b) = (f_a, f_b)，用求导公式算出的两个偏导数。"""
    check_finite(weights=weights)
    check_shape("weights", weights, (2,))
    deltas = HILL_INPUTS.dot(weights) - HILL_GOALS  # 每个样本的 预测 − 目标
    return 2 * HILL_INPUTS.T.dot(deltas) / len(HILL_GOALS)
# --8<-- [end:hill]


# --8<-- [start:numerical_slope]
def numerical_slope(f, point, direction, h=1e-5):
    """沿 direction 方向的斜率（方向导数）的数值近似：往前、往后各走 h，看 f 变了多少。

    direction 取 (1, 0) 就是固定 b、只动 a，得到偏导数 f_a；取 (0, 1) 得到 f_b。
    """
    check_finite(point=point, direction=direction)
    check_positive(h=h)
    point = np.asarray(point, dtype=float)
    direction = np.asarray(direction, dtype=float)
    check_shape("direction", direction, point.shape)
    length = np.linalg.norm(direction)
    if length == 0:
        raise ValueError("direction 不能是零向量")
    step = h * direction / length
    return (f(point + step) - f(point - step)) / (2 * h)
# --8<-- [end:numerical_slope]


# --8<-- [start:max_error]
MAX_ERROR = 1e6  # 误差超过这个上限（或不再是有限数）就判定为发散

# --8<-- [end:max_error]


# --8<-- [start:walk_down]
def walk_down(start, alpha, steps, max_error=MAX_ERROR):
    """从 start 出发下山：每一步都沿 −∇f 走 alpha 倍的梯度。

    返回 (path, diverged_at)：path 是走过的每个点；没有发散时 diverged_at 为 None。
    """
    check_finite(start=start)
    check_shape("start", start, (2,))
    check_positive(alpha=alpha, max_error=max_error)
    check_count(steps=steps)
    weights = np.array(start, dtype=float)
    path = [weights]
    for step in range(1, steps + 1):
        weights = weights - alpha * hill_gradient(weights)
        # 直接算误差，不经过 hill_error：发散时权重可能已经是 inf，那里的检查会先报错
        error = np.mean((HILL_INPUTS.dot(weights) - HILL_GOALS) ** 2)
        if not math.isfinite(error) or error > max_error:
            return np.array(path), step
        path.append(weights)
    return np.array(path), None
# --8<-- [end:walk_down]


def main():
    # --8<-- [start:gradient_check]
    point = np.array([1.5, 1.8])  # (a, b)，下山的起点
    gradient = hill_gradient(point)
    numeric_a = numerical_slope(hill_error, point, [1, 0])  # 固定 b，只动 a
    numeric_b = numerical_slope(hill_error, point, [0, 1])  # 固定 a，只动 b
    print(f"f(a, b) 在 (a, b) = {tuple(point.tolist())} 处 = {hill_error(point):.6f}")
    print(f"f_a：公式 {gradient[0]:.10f}   数值 {numeric_a:.10f}   相差 {abs(gradient[0] - numeric_a):.1e}")
    print(f"f_b：公式 {gradient[1]:.10f}   数值 {numeric_b:.10f}   相差 {abs(gradient[1] - numeric_b):.1e}")

    u = np.array([0.6, 0.8])  # 一个单位长度的方向
    combined = 0.6 * gradient[0] + 0.8 * gradient[1]  # 偏导数的合成 ∇f · u
    numeric_u = numerical_slope(hill_error, point, u)
    print(f"沿 u = (0.6, 0.8)：0.6·f_a + 0.8·f_b = {combined:.10f}   数值 {numeric_u:.10f}")
    # --8<-- [end:gradient_check]

    # --8<-- [start:walk]
    path, diverged_at = walk_down(start=[1.5, 1.8], alpha=0.2, steps=25)
    for step in [0, 1, 2, 5, 10, 25]:
        a, b = path[step]
        print(f"第 {step:2} 步  权重 ({a:+.4f}, {b:+.4f})  误差 {hill_error(path[step]):.6f}")
    # --8<-- [end:walk]


# ---------------------------------------------------------------- 图
# 每张图都尽量少用文字、少画点：图是 SVG，每个汉字都要存成一条路径。

WALK_START = (1.5, 1.8)
WALK_ALPHA = 0.2
WALK_STEPS = 25


def _hill_grid(size=30):
    """在一个粗网格上算出误差，给曲面图和等高线图用。"""
    a = np.linspace(-1.5, 2.5, size)
    b = np.linspace(-2.5, 2.0, size)
    A, B = np.meshgrid(a, b)
    E = np.array([[hill_error(np.array([x, y])) for x, y in zip(row_a, row_b)]
                  for row_a, row_b in zip(A, B)])
    return A, B, E


# --8<-- [start:plot_surface]
def plot_surface():
    """误差山的三维网格图，以及从山顶附近走到营地的路径。"""
    A, B, E = _hill_grid(13)
    path, _ = walk_down(WALK_START, WALK_ALPHA, WALK_STEPS)
    path_errors = [hill_error(p) for p in path]

    figure, ax = new_figure(width=5.6, height=4.4,
                            subplot_kw={"projection": "3d", "computed_zorder": False})
    ax.plot_wireframe(A, B, E, color=GRAY, linewidth=0.6)
    ax.plot(path[:, 0], path[:, 1], path_errors, "o-", color=ORANGE, markersize=2.5, label="下山的路")
    ax.plot([path[0, 0]], [path[0, 1]], [path_errors[0]], "o", color=RED, markersize=7, label="起点")
    ax.plot([0.5], [-0.5], [0], "*", color=GREEN, markersize=13, label="营地")
    ax.set_xlabel("权重 a")
    ax.set_ylabel("权重 b")
    ax.set_zlabel("误差")
    ax.set_xticks([-1, 0, 1, 2])
    ax.set_yticks([-2, -1, 0, 1, 2])
    ax.set_zticks([0, 5, 10, 15])
    ax.view_init(elev=32, azim=-60)
    ax.legend(loc="upper left")
    return figure
# --8<-- [end:plot_surface]


# --8<-- [start:plot_contour]
def plot_contour():
    """同一座山的等高线图：每处的 −∇f 箭头指向最陡的下坡，路径顺着箭头走。"""
    A, B, E = _hill_grid(30)
    path, _ = walk_down(WALK_START, WALK_ALPHA, WALK_STEPS)
    a, b = np.meshgrid(np.linspace(-1.0, 2.0, 5), np.linspace(-2.0, 1.5, 6))
    gradients = np.array([hill_gradient(np.array([x, y])) for x, y in zip(a.ravel(), b.ravel())])

    figure, ax = new_figure(width=5.0, height=5.0)
    ax.contour(A, B, E, levels=[0.05, 0.2, 0.5, 1, 2, 3.5, 5, 7, 9.5, 12.5],
               colors=GRAY, linewidths=0.7)
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
    ax.legend(loc="lower left", ncol=2, facecolor="white", framealpha=0.9, frameon=True)
    return figure
# --8<-- [end:plot_contour]


def explorer_data():
    """页面上下山小实验的数据：误差山的样本、发散上限，和上面 walk 例子的起点、alpha、步数。

    小实验（docs/javascripts/explorers/hill.js）用 JavaScript 重复 walk_down、hill_gradient、
    hill_error；浏览器测试在 50 组随机设置下，把它显示的每个数和这三个函数的结果逐个比较。
    """
    # --8<-- [start:explorer_data]
    import json

    data = {"inputs": HILL_INPUTS.tolist(), "goals": HILL_GOALS.tolist(),
            "max_error": MAX_ERROR, "max_error_text": f"{MAX_ERROR:g}",
            "start": [1.5, 1.8], "alpha": 0.2, "steps": 25}
    print('<script type="application/json" id="hill-walker-data">'
          + json.dumps(data, ensure_ascii=False) + "</script>")
    # --8<-- [end:explorer_data]


FIGURES = {
    "surface": plot_surface,
    "contour": plot_contour,
}

EXERCISES = []

if __name__ == "__main__":
    main()
    for exercise in EXERCISES:
        exercise()
