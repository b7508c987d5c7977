"""第 3 章　梯度下降（第 1 页）：脚下的坡。一个权重的导数，两个权重的偏导数和梯度。

运行 `python -m snippets.gradient` 打印这一页的例子。
"""

# --8<-- [start:imports]
import numpy as np

from snippets.style import BLUE, GRAY, ORANGE, RED, new_figure
# --8<-- [end:imports]


# --8<-- [start:one_weight]
def error(input, weight, goal_pred):
    """一个输入、一个权重时的误差。把 weight 当作变量，画出来是一条抛物线。"""
    prediction = input * weight
    return (prediction - goal_pred) ** 2


def slope(input, weight, goal_pred):
    """误差对权重的导数 dE/dw = 2 × delta × input：抛物线在 weight 处的斜率。"""
    delta = input * weight - goal_pred
    return 2 * delta * input
# --8<-- [end:one_weight]


# --8<-- [start:hill]
# 误差山：两个权重 (a, b)；训练数据有三个样本，每个样本有两个输入。
HILL_INPUTS = np.array([[1.0, 0.8],
                        [0.5, 1.2],
                        [1.4, 0.6]])
HILL_GOALS = np.array([0.1, -0.35, 0.4])  # 真实值：按权重 (0.5, -0.5) 算出，那里的预测全对


def hill_error(weights):
    """误差 f(a, b)：三个样本的均方误差。weights 是 (a, b)。"""
    predictions = HILL_INPUTS.dot(weights)  # 每一行：x1·a + x2·b
    return np.mean((predictions - HILL_GOALS) ** 2)
# --8<-- [end:hill]


# --8<-- [start:hill_gradient]
def hill_gradient(weights):
    """梯度 (f_a, f_b)：按求导公式算出的两个偏导数（下文记作 ∇f）。"""
    deltas = HILL_INPUTS.dot(weights) - HILL_GOALS  # 每个样本的 delta = 预测 − 真实值
    return 2 * HILL_INPUTS.T.dot(deltas) / len(HILL_GOALS)
# --8<-- [end:hill_gradient]


# --8<-- [start:numerical_slope]
def numerical_slope(f, point, direction, h=1e-5):
    """沿 direction 方向的斜率的中心差分（下一页叫它方向导数）：往前、往后各走 h，看 f 变了多少。

    direction 取 (1, 0) 就是固定 b、只动 a，得到偏导数 f_a；取 (0, 1) 得到 f_b。
    """
    direction = np.asarray(direction, dtype=float)
    step = h * direction / np.linalg.norm(direction)  # np.linalg.norm 是 (d₁, d₂) 这组数的长度 √(d₁² + d₂²)（下一页细讲）：沿 direction 挪开长度 h
    return (f(point + step) - f(point - step)) / (2 * h)
# --8<-- [end:numerical_slope]


START = np.array([1.5, 1.8])  # 登山者站的地方：下一页从这里出发下山


def main():
    # --8<-- [start:slopes]
    input, goal_pred = 2, 0.8  # 原书第 4 章的例子：最低点在 weight = 0.8 / 2 = 0.4
    h = 1e-5
    for weight in [0.1, 0.25, 0.4, 0.5, 0.7]:
        measured = (error(input, weight + h, goal_pred) - error(input, weight - h, goal_pred)) / (2 * h)
        print(f"weight = {weight:<4}  误差 {error(input, weight, goal_pred):.4f}  "
              f"斜率：公式 {slope(input, weight, goal_pred):+.4g}  量出来 {measured:+.6f}")
    # --8<-- [end:slopes]

    # --8<-- [start:t_dot]
    point = np.array([1.5, 1.8])  # (a, b)，登山者站的地方
    deltas = HILL_INPUTS.dot(point) - HILL_GOALS
    print("三个样本的 delta：", deltas.round(4).tolist())
    print("HILL_INPUTS.T：", HILL_INPUTS.T.tolist())
    by_hand = [sum(deltas[i] * HILL_INPUTS[i, 0] for i in range(3)),  # Σ delta_i · x_i1
               sum(deltas[i] * HILL_INPUTS[i, 1] for i in range(3))]  # Σ delta_i · x_i2
    print("逐项相加：        ", np.round(by_hand, 4).tolist())
    print("HILL_INPUTS.T.dot(deltas)：", HILL_INPUTS.T.dot(deltas).round(4).tolist())
    # --8<-- [end:t_dot]

    # --8<-- [start:partials_check]
    point = np.array([1.5, 1.8])
    gradient = hill_gradient(point)
    numeric_a = numerical_slope(hill_error, point, [1, 0])  # 固定 b，只动 a
    numeric_b = numerical_slope(hill_error, point, [0, 1])  # 固定 a，只动 b
    print(f"f(a, b) 在 (a, b) = {tuple(point.tolist())} 处 = {hill_error(point):.6f}")
    print(f"f_a：公式 {gradient[0]:.10f}   中心差分 {numeric_a:.10f}   相差 {abs(gradient[0] - numeric_a):.1e}")
    print(f"f_b：公式 {gradient[1]:.10f}   中心差分 {numeric_b:.10f}   相差 {abs(gradient[1] - numeric_b):.1e}")
    # --8<-- [end:partials_check]



# ---------------------------------------------------------------- 图
# 每张图都尽量少用文字、少画点：图是 SVG，每个汉字都要存成一条路径。

TANGENT_WEIGHTS = (0.1, 0.25, 0.4, 0.7)  # 一个权重的图里画切线的位置


def hill_grid(size=30, a_range=(-1.5, 2.5), b_range=(-2.5, 2.0)):
    """在一个网格上算出误差，给三维图和等高线图用：返回 (A, B, E) 三个二维数组。"""
    a = np.linspace(*a_range, size)
    b = np.linspace(*b_range, size)
    A, B = np.meshgrid(a, b)
    E = np.array([[hill_error(np.array([x, y])) for x, y in zip(row_a, row_b)]
                  for row_a, row_b in zip(A, B)])
    return A, B, E


def style_hill_3d(ax, elev, azim, zoom):
    """误差山的三维图：不画刻度和网格，三个轴写上“权重 a”“权重 b”“误差”，从仰角 elev、方位角 azim 看。"""
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_zticks([])
    ax.grid(False)
    ax.set_xlabel("权重 a", labelpad=-12)
    ax.set_ylabel("权重 b", labelpad=-12)
    ax.set_zlabel("误差", labelpad=-12)
    ax.view_init(elev=elev, azim=azim)
    ax.set_box_aspect(None, zoom=zoom)


def _tangent(ax, x0, y0, k, half_width, color):
    """在 (x0, y0) 处画一段斜率为 k 的切线。"""
    xs = np.array([x0 - half_width, x0 + half_width])
    ax.plot(xs, y0 + k * (xs - x0), color=color, linewidth=1.6)
    ax.plot([x0], [y0], "o", color=color, markersize=4)


# --8<-- [start:plot_one_weight]
def plot_one_weight():
    """一个权重：误差是一条抛物线，导数就是各点切线的斜率。"""
    input, goal_pred = 2, 0.8
    weights = np.linspace(-0.05, 0.85, 46)
    figure, ax = new_figure(width=5.0, height=2.8)
    ax.plot(weights, error(input, weights, goal_pred), color=GRAY)
    for w in TANGENT_WEIGHTS:
        k = slope(input, w, goal_pred)
        _tangent(ax, w, error(input, w, goal_pred), k, 0.07, ORANGE)
        side = "left" if k > 0 else "right" if k < 0 else "center"  # 文字放在曲线外侧
        offset = {"left": (10, -4), "right": (-10, -4), "center": (0, -16)}[side]
        ax.annotate(f"斜率 {k:+.3g}" if k else "斜率 0", (w, error(input, w, goal_pred)),
                    textcoords="offset points", xytext=offset, ha=side, color=ORANGE)
    ax.set_ylim(-0.1, 0.75)
    ax.set_xticks([0, 0.2, 0.4, 0.6, 0.8])
    ax.set_yticks([0, 0.2, 0.4, 0.6])
    ax.grid(False)
    ax.set_xlabel("权重 w")
    ax.set_ylabel("误差")
    return figure
# --8<-- [end:plot_one_weight]


# --8<-- [start:plot_slices]
def plot_slices():
    """切一刀：固定 b，误差是 a 的抛物线，切线斜率就是 f_a；固定 a 同理得到 f_b。

    上面是误差山的三维图，两条切线在山上的位置；下面两幅是两个切面。
    """
    a0, b0 = START
    start_error = hill_error(START)
    gradient = hill_gradient(START)
    A, B, E = hill_grid(8)
    a = np.linspace(-1.5, 2.5, 25)
    b = np.linspace(-2.5, 2.0, 25)
    along_a = [hill_error(np.array([x, b0])) for x in a]  # 固定 b = b0
    along_b = [hill_error(np.array([a0, y])) for y in b]  # 固定 a = a0

    figure, axes = new_figure(ncols=2, nrows=2, height=5.8, gridspec_kw={"height_ratios": [1.2, 1]})
    for ax in axes[0]:
        ax.remove()
    hill = figure.add_subplot(axes[0, 0].get_gridspec()[0, :], projection="3d", computed_zorder=False)
    hill.plot_wireframe(A, B, E, color=GRAY, linewidth=0.5)
    hill.plot(a, [b0] * len(a), along_a, color=ORANGE, linewidth=2)
    hill.plot([a0] * len(b), b, along_b, color=BLUE, linewidth=2)
    hill.plot([a0], [b0], [start_error], "o", color=RED, markersize=5)
    style_hill_3d(hill, elev=28, azim=-60, zoom=1.2)  # 刻度的数值看下面两幅图

    left, right = axes[1]
    left.plot(a, along_a, color=ORANGE)
    _tangent(left, a0, start_error, gradient[0], 0.6, RED)
    left.set_xticks([-1, 0, 1, 2])
    left.set_yticks([0, 5, 10, 15])
    left.set_xlabel("权重 a")
    left.set_ylabel("误差")
    left.set_title(f"固定 b = {b0}\n斜率 f_a ≈ {gradient[0]:.2f}")

    right.plot(b, along_b, color=BLUE)
    _tangent(right, b0, start_error, gradient[1], 0.6, RED)
    right.set_xticks([-2, -1, 0, 1, 2])
    right.set_yticks([0, 5, 10])
    right.set_xlabel("权重 b")
    right.set_title(f"固定 a = {a0}\n斜率 f_b ≈ {gradient[1]:.2f}")
    for ax in (left, right):
        ax.grid(False)
    return figure
# --8<-- [end:plot_slices]


FIGURES = {
    "one_weight": plot_one_weight,
    "slices": plot_slices,
}

EXERCISES = []

if __name__ == "__main__":
    main()
    for exercise in EXERCISES:
        exercise()
