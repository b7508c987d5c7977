"""第 3 章　梯度下降（第 7 页）：狭长的山谷。误差山上 alpha 的上限、之字形、条件数、最好的固定学习率和动量。

海森矩阵和它的特征向量在上一页（snippets/curvature.py）。运行 `python -m snippets.valley` 打印这一页的例子。
"""

# --8<-- [start:imports]
import math

import numpy as np

from snippets.checks import check_count, check_finite, check_fraction, check_positive, check_shape
from snippets.curvature import CAMP, eigen_directions, hill_hessian
from snippets.gradient_descent import MAX_ERROR, hill_error, hill_gradient, walk_down
from snippets.style import BLUE, GRAY, GREEN, ORANGE, RED, new_figure
# --8<-- [end:imports]


# --8<-- [start:momentum]
def walk_with_momentum(start, alpha, beta, steps, max_error=MAX_ERROR):
    """带动量下山：速度 m（代码里叫 velocity）记着前几步的方向。每一步 m = beta·m − alpha·∇f(w)，再 w = w + m。

    beta = 0 时就是 walk_down。返回值也和 walk_down 一样：(path, diverged_at)。
    """
    check_finite(start=start)  # 检查传进来的值：不合理就立刻报错
    check_shape("start", start, (2,))
    check_positive(alpha=alpha, max_error=max_error)
    check_fraction(beta=beta)
    check_count(steps=steps)
    weights = np.array(start, dtype=float)
    velocity = np.zeros(2)  # 从静止出发
    path = [weights]
    for step in range(1, steps + 1):
        velocity = beta * velocity - alpha * hill_gradient(weights)
        weights = weights + velocity
        error = hill_error(weights)
        if not math.isfinite(error) or error > max_error:
            return np.array(path), step
        path.append(weights)
    return np.array(path), None


def steps_to_reach(path, tolerance=1e-10):
    """路上第一个误差低于 tolerance 的点是第几步（起点是第 0 步）；一直没低于时为 None。"""
    for step, weights in enumerate(path):
        if hill_error(weights) < tolerance:
            return step
    return None
# --8<-- [end:momentum]


def main():
    # --8<-- [start:gradient_is_h_offset]
    for point in [np.array([1.5, 1.8]), np.array([-2.0, 0.3])]:
        print("w =", point.tolist(), " ∇f(w) =", hill_gradient(point).round(6).tolist(),
              " H·(w − w*) =", hill_hessian().dot(point - CAMP).round(6).tolist())
    # --8<-- [end:gradient_is_h_offset]

    # --8<-- [start:one_step]
    lambdas, vectors = eigen_directions()  # 上一页：λ1 < λ2，单位特征向量 v1、v2 是 vectors 的两列
    alpha = 0.2
    before = (np.array([1.5, 1.8]) - CAMP).dot(vectors)  # 起点的 (c1, c2)
    path, _ = walk_down([1.5, 1.8], alpha, steps=1)
    after = (path[1] - CAMP).dot(vectors)  # 走一步之后的 (c1, c2)
    print("c1·v1 + c2·v2 =", vectors.dot(before).round(10).tolist(), "= w − w*")
    print("(c1, c2)：走之前", before.round(4).tolist(), " 走一步后", after.round(4).tolist())
    print("之比", (after / before).round(4).tolist(), " 1 − alpha·λ =", (1 - alpha * lambdas).round(4).tolist())
    # --8<-- [end:one_step]

    # --8<-- [start:hill_limit]
    limit = 2 / lambdas[1]
    print(f"alpha 的上限 2/λ2 = {limit:.4f}")
    for alpha in [0.2, 0.55, 0.6]:
        flat, steep = 1 - alpha * lambdas
        print(f"alpha = {alpha:<4}  每步乘以：沿 v2（弯得厉害）{steep:+.3f}  沿 v1（平缓）{flat:+.3f}")
    # --8<-- [end:hill_limit]

    # --8<-- [start:hill_offsets]
    path, _ = walk_down([1.5, 1.8], alpha=0.55, steps=4)
    # path 的每一行都减去 CAMP（numpy 会把 CAMP 对齐到每一行去减）
    offsets = (path - CAMP).dot(vectors)  # 每一步的 (c1, c2)：离营地的偏移在 v1、v2 上的分量
    for step, (c1, c2) in enumerate(offsets):
        print(f"第 {step} 步  c2（沿 v2）{c2:+.4f}  c1（沿 v1）{c1:+.4f}")
    ratios = offsets[1:] / offsets[:-1]  # 后一步除以前一步：offsets[1:] 去掉第一行，offsets[:-1] 去掉最后一行
    # ratios 的每一行是一步，第 0 列是 c1、第 1 列是 c2 的比值；[:, 1] 取出整个第 1 列
    print("相邻两步之比：c2", ratios[:, 1].round(3).tolist(), " c1", ratios[:, 0].round(3).tolist())
    # --8<-- [end:hill_offsets]

    # --8<-- [start:hill_edge]
    for alpha in [limit - 0.01, limit + 0.01]:
        path, diverged_at = walk_down([1.5, 1.8], alpha, steps=300)
        if diverged_at is None:
            print(f"alpha = {alpha:.4f}：走完 300 步，误差 {hill_error(path[-1]):.1e}")
        else:
            print(f"alpha = {alpha:.4f}：训练发散：走到第 {diverged_at} 步，误差超过发散阈值 {MAX_ERROR:g}，已停止。")
    # --8<-- [end:hill_edge]

    # --8<-- [start:condition]
    kappa = lambdas[1] / lambdas[0]
    best = 2 / (lambdas[0] + lambdas[1])
    print(f"条件数 κ = λ2/λ1 = {kappa:.2f}")
    print(f"alpha* = 2/(λ1 + λ2) = {best:.4f}  每步乘以：沿 v2 {1 - best * lambdas[1]:+.4f}  "
          f"沿 v1 {1 - best * lambdas[0]:+.4f}")
    print(f"(κ − 1)/(κ + 1) = {(kappa - 1) / (kappa + 1):.4f}")
    path, _ = walk_down([1.5, 1.8], best, steps=6)
    distances = np.linalg.norm(path - CAMP, axis=1)  # 每一步离营地的距离（axis=1：每一行各算一个长度）
    print("相邻两步离营地的距离之比：", (distances[1:] / distances[:-1]).round(4).tolist())
    # --8<-- [end:condition]

    # --8<-- [start:momentum_demo]
    root1, root2 = np.sqrt(lambdas)
    alpha_m = 4 / (root1 + root2) ** 2
    beta = ((root2 - root1) / (root2 + root1)) ** 2
    print(f"动量：alpha = 4/(√λ1 + √λ2)² = {alpha_m:.4f}  beta = ((√λ2 − √λ1)/(√λ2 + √λ1))² = {beta:.4f}")
    walks = [(f"梯度下降，alpha = {alpha}", walk_down([1.5, 1.8], alpha, steps=300)[0]) for alpha in [0.2, 0.55]]
    walks.append((f"梯度下降，alpha* = {best:.4f}", walk_down([1.5, 1.8], best, steps=300)[0]))
    walks.append(("动量", walk_with_momentum([1.5, 1.8], alpha_m, beta, steps=300)[0]))
    for name, path in walks:
        print(f"{name}：误差在第 {steps_to_reach(path)} 步第一次低于 1e-10")
    # --8<-- [end:momentum_demo]


def exercise_perpendicular_slice():
    # --8<-- [start:exercise_perpendicular_slice]
    H = hill_hessian()  # 上一页的海森矩阵
    u, u_perp = np.array([0.6, 0.8]), np.array([0.8, -0.6])  # 互相垂直的两个单位方向
    print("uᵀHu + u⊥ᵀHu⊥ =", u.dot(H).dot(u).round(4), "+", u_perp.dot(H).dot(u_perp).round(4), "=",
          (u.dot(H).dot(u) + u_perp.dot(H).dot(u_perp)).round(4))
    print("λ1 + λ2 =", eigen_directions()[0].sum().round(4), " f_aa + f_bb =", (H[0, 0] + H[1, 1]).round(4))
    # --8<-- [end:exercise_perpendicular_slice]


def exercise_hill_one_step():
    # --8<-- [start:exercise_hill_one_step]
    lambdas, vectors = eigen_directions()
    alpha = 1 / lambdas[1]  # 沿 v2：1 − alpha·λ2 = 0
    print(f"alpha = 1/λ2 = {alpha:.4f}")
    path, _ = walk_down([1.5, 1.8], alpha, steps=3)
    for step, (c1, c2) in enumerate((path - CAMP).dot(vectors)):
        print(f"第 {step} 步  c2（沿 v2）{c2:+.4f}  c1（沿 v1）{c1:+.4f}")
    # --8<-- [end:exercise_hill_one_step]


def exercise_round_bowl():
    # --8<-- [start:exercise_round_bowl]
    X = np.array([[1.0, 0.5], [0.5, 1.0], [1.0, -1.0]])  # 两列互相垂直、一样长
    goals = X.dot(CAMP)  # 营地仍在 (0.5, −0.5)
    H = 2 * X.T.dot(X) / len(goals)
    lambdas = np.linalg.eigvalsh(H)  # 对称矩阵的特征值，从小到大（eigh 只要特征值时的写法）
    print("H =", H.round(4).tolist(), "  特征值", lambdas.round(4).tolist(), f"  κ = {lambdas[1] / lambdas[0]:.4f}")
    best = 2 / (lambdas[0] + lambdas[1])
    w = np.array([1.5, 1.8])
    gradient = 2 * X.T.dot(X.dot(w) - goals) / len(goals)
    print(f"alpha* = {best:.4f}  从 (1.5, 1.8) 走一步到 {(w - best * gradient).round(10).tolist()}")
    # --8<-- [end:exercise_round_bowl]


# ---------------------------------------------------------------- 图

def _hill_grid(a_range, b_range, size):
    """误差山在一个方格上的高度，画等高线用。"""
    a, b = np.meshgrid(np.linspace(*a_range, size), np.linspace(*b_range, size))
    E = np.array([[hill_error(np.array([x, y])) for x, y in zip(ra, rb)] for ra, rb in zip(a, b)])
    return a, b, E


# --8<-- [start:plot_hill_zigzag]
def plot_hill_zigzag(alphas=(0.55, 0.6), steps=12):
    """误差山上，alpha 略低于和略高于上限 2/λ2 时走的路，以及两个特征方向。"""
    _, vectors = eigen_directions()
    a, b, E = _hill_grid((-3, 4), (-4, 3.5), 22)
    figure, axes = new_figure(ncols=len(alphas), height=4.4, sharey=True)
    for ax, alpha, color in zip(axes, alphas, [GREEN, RED]):
        ax.contour(a, b, E, levels=[0.3, 2, 8], colors=GRAY, linewidths=0.6)
        for direction, style, name in zip(vectors.T, [":", "--"], ["v1", "v2"]):
            ends = CAMP + np.outer([-4, 4], direction)
            ax.plot(ends[:, 0], ends[:, 1], style, color=BLUE, linewidth=1, label=name)
        path, _ = walk_down([1.5, 1.8], alpha, steps)
        ax.plot(path[:, 0], path[:, 1], "o-", color=color, markersize=2.5, linewidth=0.8)
        ax.plot([1.5], [1.8], "o", color=ORANGE, markersize=6)
        ax.plot(*CAMP, "*", color=GREEN, markersize=11)
        ax.set_title(f"alpha = {alpha:g}")
        ax.set_xlim(-3, 4)
        ax.set_ylim(-4, 3.5)
        ax.set_xticks([-2, 0, 2])
        ax.set_yticks([-2, 0, 2])
        ax.set_box_aspect(7.5 / 7)  # 横轴 7、纵轴 7.5：两个方向一样的比例
        ax.grid(False)
        ax.set_xlabel("权重 a")
    axes[0].set_ylabel("权重 b")
    figure.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncol=2)
    return figure
# --8<-- [end:plot_hill_zigzag]


# --8<-- [start:plot_factors]
def plot_factors():
    """每个特征方向每步乘以的因子的绝对值 |1 − alpha·λ|，随 alpha 变化；两条线的较大者在 alpha* 处最小。"""
    lambdas, _ = eigen_directions()
    best = 2 / (lambdas[0] + lambdas[1])
    alpha = np.union1d(np.linspace(0, 0.65, 66), [1 / lambdas[1]])  # 含折点 1/λ2
    figure, ax = new_figure(width=5.4, height=3.2)
    ax.plot(alpha, np.abs(1 - alpha * lambdas[0]), color=BLUE, label="v1：|1 − αλ1|")
    ax.plot(alpha, np.abs(1 - alpha * lambdas[1]), color=ORANGE, label="v2：|1 − αλ2|")
    ax.axhline(1, color=RED, linestyle=":", linewidth=1)
    ax.axvline(2 / lambdas[1], color=RED, linestyle=":", linewidth=1)
    ax.plot([best], [1 - best * lambdas[0]], "o", color=GREEN, markersize=7)
    ax.annotate("α*", (best, 1 - best * lambdas[0]), textcoords="offset points", xytext=(0, -18),
                ha="center", color=GREEN)
    ax.set_xlim(0, 0.65)
    ax.set_ylim(0, 1.25)
    ax.set_xticks([0, 0.2, 0.4, 0.6])
    ax.set_yticks([0, 1])
    ax.set_xlabel("学习率 α")
    ax.grid(False)
    ax.legend(loc="lower left")
    return figure
# --8<-- [end:plot_factors]


# --8<-- [start:plot_momentum]
def plot_momentum(steps=60):
    """误差随步数的变化（对数刻度）：梯度下降取 alpha*，动量取经典的 alpha、beta。"""
    lambdas, _ = eigen_directions()
    root1, root2 = np.sqrt(lambdas)
    best = 2 / (lambdas[0] + lambdas[1])
    walks = [("梯度下降 α*", BLUE, walk_down([1.5, 1.8], best, steps)[0]),
             ("动量", ORANGE, walk_with_momentum([1.5, 1.8], 4 / (root1 + root2) ** 2,
                                                 ((root2 - root1) / (root2 + root1)) ** 2, steps)[0])]
    figure, ax = new_figure(width=5.4, height=3.0)
    for name, color, path in walks:
        ax.semilogy([hill_error(w) for w in path], color=color, linewidth=1.5, label=name)
    ax.axhline(1e-10, color=GRAY, linestyle=":", linewidth=1)
    ax.set_ylim(1e-16, 1e2)
    ax.set_yticks([1e-15, 1e-10, 1e-5, 1])
    ax.set_xticks([0, 20, 40, 60])
    ax.set_xlabel("步数")
    ax.set_ylabel("误差")
    ax.grid(False)
    ax.legend(loc="upper right")
    return figure
# --8<-- [end:plot_momentum]


FIGURES = {
    "hill_zigzag": plot_hill_zigzag,
    "factors": plot_factors,
    "momentum": plot_momentum,
}

EXERCISES = [exercise_perpendicular_slice, exercise_hill_one_step, exercise_round_bowl]

if __name__ == "__main__":
    main()
    for exercise in EXERCISES:
        exercise()
