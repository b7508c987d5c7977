"""第 3 章　梯度下降（第 6 页）：误差山有多弯。二阶导数、泰勒展开、海森矩阵、特征向量和特征值。

误差山上 alpha 的上限、条件数和动量在下一页（snippets/valley.py）。

运行 `python -m snippets.curvature` 打印这一页的例子。
"""

# --8<-- [start:imports]
import math

import numpy as np

from snippets.gradient import HILL_GOALS, HILL_INPUTS, error, hill_error, hill_gradient, slope
from snippets.style import BLUE, GRAY, ORANGE, PURPLE, RED, new_figure
# --8<-- [end:imports]


# --8<-- [start:second_derivative]
def second_derivative(f, w, h=1e-4):
    """f 在 w 处的二阶导数的数值近似：斜率变了多少，再除以走过的距离 h。"""
    slope_right = (f(w + h) - f(w)) / h  # w 右边半步处的斜率
    slope_left = (f(w) - f(w - h)) / h  # w 左边半步处的斜率
    return (slope_right - slope_left) / h
# --8<-- [end:second_derivative]


# --8<-- [start:tanh_error]
def tanh_error(w, input=2, goal_pred=0.8):
    """导数与梯度一页的网络 input * weight 套上 tanh：预测是 tanh(input × w)，误差 E(w) = (预测 − 真实值)² 不再是抛物线。"""
    return (np.tanh(input * w) - goal_pred) ** 2


def tanh_error_derivatives(w, input=2, goal_pred=0.8):
    """E'(w) 和 E''(w)，按正文的推导：记 s = tanh(input × w)，s 对 w 的导数是 input × (1 − s²)。"""
    s = np.tanh(input * w)
    first = 2 * input * (s - goal_pred) * (1 - s ** 2)
    second = 2 * input ** 2 * (1 - s ** 2) * (1 + 2 * goal_pred * s - 3 * s ** 2)
    return first, second
# --8<-- [end:tanh_error]


# --8<-- [start:hill_hessian]
CAMP = np.array([0.5, -0.5])  # 误差山的营地 w*：HILL_GOALS 就是按这组权重算出来的


def hill_hessian():
    """误差山的海森矩阵 [[f_aa, f_ab], [f_ba, f_bb]]：对 f_a、f_b 的公式再各求一次偏导，得到 (2/3)·XᵀX。"""
    return 2 * HILL_INPUTS.T.dot(HILL_INPUTS) / len(HILL_GOALS)
# --8<-- [end:hill_hessian]


# --8<-- [start:eigen_directions]
def eigen_directions():
    """海森矩阵的特征值（从小到大）和对应的单位特征向量 v1、v2（每一列是一个，a 分量取正的那一头）。"""
    lambdas, vectors = np.linalg.eigh(hill_hessian())
    return lambdas, vectors * np.sign(vectors[0])  # vectors[0] 是两列的 a 分量；逐列乘上它的正负号，a 分量为负的那一列整列反向
# --8<-- [end:eigen_directions]


def main():
    # --8<-- [start:bend]
    for input, weights in [(2, [0.1, 0.4, 0.5, 0.7]), (1, [0.5, 0.8])]:
        for weight in weights:
            first = slope(input, weight, 0.8)  # 真实值 0.8；slope 和 error 是导数与梯度一页的函数
            # lambda w: … 是一个临时的一行函数：把 input 和真实值固定住，只让 w 变
            second = second_derivative(lambda w: error(input, w, 0.8), weight)
            print(f"input {input}  weight {weight}  斜率 {first:+.2f}  二阶导数（量出来）{second:.4f}  "
                  f"几何曲率 {second / (1 + first ** 2) ** 1.5:.4f}")
    # --8<-- [end:bend]

    # --8<-- [start:tanh_check]
    w, h = 0.2, 1e-5
    first, second = tanh_error_derivatives(w)
    print(f"E'(0.2)  公式 {first:+.6f}  量出来 {(tanh_error(w + h) - tanh_error(w - h)) / (2 * h):+.6f}")
    print(f"E''(0.2) 公式 {second:+.6f}  量出来 {second_derivative(tanh_error, w):+.6f}")
    # --8<-- [end:tanh_check]

    # --8<-- [start:taylor_table]
    print("  h       一次近似差多少  ÷h²       二次近似差多少  ÷h³")
    for h in [0.1, 0.05, 0.025, 0.0125]:
        exact = tanh_error(w + h)
        linear = tanh_error(w) + first * h  # 切线：一次近似
        quadratic = linear + second * h ** 2 / 2  # 再加上二阶项：二次近似
        print(f"  {h:<6}  {exact - linear:+.3e}      {(exact - linear) / h ** 2:+.4f}   "
              f"{exact - quadratic:+.3e}      {(exact - quadratic) / h ** 3:+.4f}")
    print(f"E''(0.2)/2 = {second / 2:+.4f}")
    # --8<-- [end:taylor_table]

    # --8<-- [start:xtx]
    X = HILL_INPUTS
    by_hand = [[sum(X[i, j] * X[i, k] for i in range(3)) for k in range(2)] for j in range(2)]  # Σ_i x_ij·x_ik
    print("逐项相加：     ", np.round(by_hand, 4).tolist())
    print("X.T.dot(X)：   ", X.T.dot(X).round(4).tolist())
    print("H = (2/3)·XᵀX：", hill_hessian().round(4).tolist())
    # --8<-- [end:xtx]

    # --8<-- [start:mixed_partials]
    point, h = np.array([1.5, 1.8]), 1e-5
    f_aa, f_ba = (hill_gradient(point + [h, 0]) - hill_gradient(point - [h, 0])) / (2 * h)  # 梯度随 a 变得多快
    f_ab, f_bb = (hill_gradient(point + [0, h]) - hill_gradient(point - [0, h])) / (2 * h)  # 梯度随 b 变得多快
    print("量出来：f_aa =", f_aa.round(6), " f_ab =", f_ab.round(6), " f_ba =", f_ba.round(6), " f_bb =", f_bb.round(6))
    # --8<-- [end:mixed_partials]

    # --8<-- [start:hill_taylor]
    point, H = np.array([1.5, 1.8]), hill_hessian()
    for d in [np.array([-0.3, 0.4]), np.array([1.0, -2.0])]:
        taylor = hill_error(point) + hill_gradient(point).dot(d) + d.dot(H).dot(d) / 2
        print("d =", d.tolist(), " f(w + d) =", hill_error(point + d).round(10), " 泰勒展开", taylor.round(10))
    # --8<-- [end:hill_taylor]

    # --8<-- [start:steepest_answers]
    point, H = np.array([1.5, 1.8]), hill_hessian()
    u = np.array([-0.6, 0.8])  # 最陡的方向一页走的方向：(−0.3, 0.4) 除以它的长度 0.5
    print("½ uᵀHu =", round(u.dot(H).dot(u) / 2, 4))
    f_a, f_b = hill_gradient(point)
    level = np.array([-f_b, f_a]) / np.hypot(f_a, f_b)  # 等高线的切线方向 ℓ，和 ∇f 垂直；np.hypot(x, y) 是 √(x² + y²)
    print("沿切线方向 ℓ：ℓᵀHℓ =", round(level.dot(H).dot(level), 4))
    for t in [0.1, 0.5]:
        print(f"沿切线走 {t}：f(w) + ½·{t}²·ℓᵀHℓ = {hill_error(point) + t ** 2 * level.dot(H).dot(level) / 2:.4f}")
    # --8<-- [end:steepest_answers]

    # --8<-- [start:eigen]
    lambdas, vectors = eigen_directions()
    v1, v2 = vectors.T
    for lam, v in zip(lambdas, vectors.T):
        print("λ =", lam.round(4), " v =", v.round(4).tolist(), " Hv =", H.dot(v).round(4).tolist(),
              " λv =", (lam * v).round(4).tolist())
    print("|v1| =", np.linalg.norm(v1).round(6), " |v2| =", np.linalg.norm(v2).round(6),
          " v1·v2 =", round(abs(v1.dot(v2)), 12))
    # --8<-- [end:eigen]

    # --8<-- [start:slices]
    for name, u in [("v1", v1), ("v2", v2), ("u", np.array([0.6, 0.8]))]:
        measured = second_derivative(lambda t: hill_error(np.array([1.5, 1.8]) + t * u), 0.0)  # 从起点沿 u 切开
        print(f"沿 {name}：uᵀHu = {u.dot(H).dot(u):.4f}  切面的二阶导数（量出来）{measured:.4f}")
    # --8<-- [end:slices]




# ---------------------------------------------------------------- 图

# --8<-- [start:plot_bend]
def plot_bend():
    """二阶导数：输入 1 和输入 2 的误差抛物线（最低点都放在 w = 0.4），和它们的斜率 E'(w)。

    斜率是一条直线，它的斜率就是二阶导数 2·input²：输入 2 的那条陡 4 倍，抛物线也弯得更厉害。
    """
    figure, (left, right) = new_figure(ncols=2, width=6.4, height=2.8)
    w = np.linspace(0.0, 0.8, 41)
    for input, color in [(1, BLUE), (2, ORANGE)]:
        goal_pred = 0.4 * input  # 最低点在 w = 0.4
        left.plot(w, error(input, w, goal_pred), color=color)
        right.plot(w, slope(input, w, goal_pred), color=color)
        label_at, offset = {1: (0.68, (4, -6)), 2: (0.66, (-6, 0))}[input]  # 文字放在曲线外侧
        left.annotate(f"input {input}", (label_at, error(input, label_at, goal_pred)), textcoords="offset points",
                      xytext=offset, ha="left" if input == 1 else "right", va="top" if input == 1 else "center",
                      color=color)
        right.annotate(f"E'' = {2 * input ** 2}", (0.75, slope(input, 0.75, goal_pred)), textcoords="offset points",
                       xytext=(-4, 2), ha="right", va="bottom", color=color)
    left.set_title("误差 E(w)")
    right.set_title("斜率 E'(w)")
    left.set_ylim(-0.02, 0.4)
    left.set_yticks([0])
    right.set_yticks([0])
    for ax in (left, right):
        ax.set_xticks([0, 0.4, 0.8])
        ax.set_xlabel("w")
        ax.grid(False)
    return figure
# --8<-- [end:plot_bend]


# --8<-- [start:plot_taylor]
def plot_taylor(w0=0.2):
    """带 tanh 的小网络的误差、它在 w0 处的切线（一次近似）和二次近似。"""
    first, second = tanh_error_derivatives(w0)
    w = np.linspace(-0.35, 0.95, 53)
    figure, ax = new_figure(width=5.0, height=3.0)
    ax.plot(w, tanh_error(w), color=GRAY, linewidth=2.5, label="E(w)")
    ax.plot(w, tanh_error(w0) + first * (w - w0), color=BLUE, label="一次近似")
    ax.plot(w, tanh_error(w0) + first * (w - w0) + second * (w - w0) ** 2 / 2, "--", color=ORANGE,
            label="二次近似")
    ax.plot([w0], [tanh_error(w0)], "o", color=RED, markersize=6)
    ax.set_ylim(-0.1, 1.4)
    ax.set_xticks([0, w0, 0.8])
    ax.set_yticks([0, 1])
    ax.set_xlabel("w")
    ax.grid(False)
    ax.legend(loc="upper right")
    return figure
# --8<-- [end:plot_taylor]


# --8<-- [start:plot_mixed]
def plot_mixed(start=(1.5, 1.8), change=1.0):
    """混合偏导数：沿 a 的两个切面（b = 1.8 和 b = 0.8），a = 1.5 处的切线斜率相差 f_ab·change。"""
    a0, b0 = start
    figure, ax = new_figure(width=5.0, height=3.0)
    a = np.linspace(0.3, 2.5, 23)
    for b, color in [(b0, ORANGE), (b0 - change, BLUE)]:
        ax.plot(a, [hill_error(np.array([x, b])) for x in a], color=color)
        k = hill_gradient(np.array([a0, b]))[0]
        tangent = np.array([a0 - 0.5, a0 + 0.5])
        ax.plot(tangent, hill_error(np.array([a0, b])) + k * (tangent - a0), color=RED, linewidth=1.2)
        above = b == b0  # 上面那条的文字写在切线左上方，下面那条的写在右下方
        ax.annotate(f"b = {b:g}: f_a = {k:.2f}", (a0, hill_error(np.array([a0, b]))), textcoords="offset points",
                    xytext=(-10, 6) if above else (12, -14), ha="right" if above else "left", color=color)
    ax.set_xticks([1.5])
    ax.set_yticks([0, 10])
    ax.set_xlabel("权重 a")
    ax.set_ylabel("误差")
    ax.grid(False)
    return figure
# --8<-- [end:plot_mixed]


# --8<-- [start:plot_eigen]
def plot_eigen():
    """沿每个单位方向 u = (cos φ, sin φ) 切开误差山，切面的二阶导数 uᵀHu 随 φ 的变化；标出 v1、v2 和 u = (0.6, 0.8)。"""
    _, vectors = eigen_directions()
    H = hill_hessian()
    degrees = np.linspace(-90, 90, 61)
    units = np.stack([np.cos(np.radians(degrees)), np.sin(np.radians(degrees))], axis=1)
    figure, ax = new_figure(width=5.0, height=3.0)
    ax.plot(degrees, [u.dot(H).dot(u) for u in units], color=GRAY)
    for direction, color, name in [(vectors[:, 0], BLUE, "v1"), (vectors[:, 1], ORANGE, "v2"),
                                   (np.array([0.6, 0.8]), PURPLE, "u")]:
        angle = math.degrees(math.atan2(direction[1], direction[0]))
        bend = direction.dot(H).dot(direction)
        ax.plot([angle], [bend], "o", color=color, markersize=6)
        ax.annotate(name, (angle, bend), textcoords="offset points", xytext=(0, 8 if name != "u" else -18),
                    ha="center", color=color)
    ax.set_xlim(-90, 90)
    ax.set_ylim(0, 4)
    ax.set_xticks([-90, 0, 90])
    ax.set_yticks([0, 2, 4])
    ax.set_xlabel("φ（度）")
    ax.set_ylabel("$u^T H u$")
    ax.grid(False)
    return figure
# --8<-- [end:plot_eigen]


FIGURES = {
    "bend": plot_bend,
    "taylor": plot_taylor,
    "mixed": plot_mixed,
    "eigen": plot_eigen,
}

EXERCISES = []

if __name__ == "__main__":
    main()
    for exercise in EXERCISES:
        exercise()
