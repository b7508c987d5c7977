"""第 4 章　反向传播（第 1 页）：链式法则。先是一条链，再是几条路径之和。

运行 `python -m snippets.chain_rule` 打印这一页的例子。
"""

# --8<-- [start:imports]
from snippets.style import BLUE, GRAY, GREEN, INK, ORANGE, PAPER, RED, new_figure
# --8<-- [end:imports]


# --8<-- [start:relu]
def relu(x):
    """ReLU：正数原样通过，负数和 0 变成 0。"""
    return (x > 0) * x  # x > 0 得到 True/False；乘法里 True 当 1、False 当 0


def relu2deriv(output):
    """ReLU 的导数，由 ReLU 的输出算出：输出大于 0 的地方是 1，其余是 0。"""
    return output > 0
# --8<-- [end:relu]


# --8<-- [start:chain]
def chain(x, y, w1, w2):
    """一层一个单元：x → z → a → ŷ → E，E = ½(ŷ − y)²。返回误差和它对两个权重 w₁、w₂ 的导数。"""
    z = x * w1
    a = relu(z)
    y_hat = a * w2
    error = 0.5 * (y_hat - y) ** 2

    dE_dy_hat = y_hat - y  # ∂E/∂ŷ = ŷ − y，就是 layer_2_delta
    dE_dw2 = dE_dy_hat * a  # ∂ŷ/∂w₂ = a
    dE_da = dE_dy_hat * w2  # ∂ŷ/∂a = w₂
    dE_dz = dE_da * relu2deriv(a)  # ∂a/∂z = relu′(z)；得到的就是 layer_1_delta
    dE_dw1 = dE_dz * x  # ∂z/∂w₁ = x
    return error, dE_dw1, dE_dw2
# --8<-- [end:chain]


# --8<-- [start:two_paths]
def two_paths(x, goals, w1, v):
    """一个隐藏单元连着两个输出：a 经过 ŷ₁ 和 ŷ₂ 两条路径影响 E = ½Σ(ŷⱼ − yⱼ)²。

    v 是 (v₁, v₂)。返回误差、两条路径各自的贡献、它们的和 ∂E/∂a，以及 ∂E/∂w₁。
    """
    z = x * w1
    a = relu(z)
    y_hats = [a * v_j for v_j in v]  # ŷⱼ = vⱼ · a
    error = sum(0.5 * (y_hat - y) ** 2 for y_hat, y in zip(y_hats, goals))

    deltas = [y_hat - y for y_hat, y in zip(y_hats, goals)]  # ∂E/∂ŷⱼ = ŷⱼ − yⱼ
    paths = [delta * v_j for delta, v_j in zip(deltas, v)]  # 每条路径：∂E/∂ŷⱼ · ∂ŷⱼ/∂a
    dE_da = sum(paths)  # 所有路径加起来
    dE_dw1 = dE_da * relu2deriv(a) * x  # 再沿 a → z → w₁ 这一段往回乘
    return error, paths, dE_da, dE_dw1
# --8<-- [end:two_paths]


# --8<-- [start:central_difference]
def central_difference(function, value, h=1e-6):
    """中心差分：在 value 两边各走 h，用两点连线的斜率近似切线的斜率。"""
    return (function(value + h) - function(value - h)) / (2 * h)
# --8<-- [end:central_difference]


# 页面上的两个例子
CHAIN = {"x": 2.0, "y": 1.0, "w1": 0.5, "w2": 0.6}
TWO_PATHS = {"x": 1.5, "goals": (1.0, -0.5), "w1": 0.8, "v": (0.5, -1.0)}


def main():
    # --8<-- [start:chain_example]
    x, y, w1, w2 = 2.0, 1.0, 0.5, 0.6
    error, dE_dw1, dE_dw2 = chain(x, y, w1, w2)
    print(f"E = {error:.4f}    ∂E/∂w₁ = {dE_dw1:.4f}    ∂E/∂w₂ = {dE_dw2:.4f}")

    # 核对：只挪一个权重，量误差变了多少（中心差分）
    numeric_w1 = central_difference(lambda w: chain(x, y, w, w2)[0], w1)
    numeric_w2 = central_difference(lambda w: chain(x, y, w1, w)[0], w2)
    print(f"中心差分：        ∂E/∂w₁ ≈ {numeric_w1:.4f}    ∂E/∂w₂ ≈ {numeric_w2:.4f}")
    # --8<-- [end:chain_example]

    # --8<-- [start:two_paths_example]
    x, goals, w1, v = 1.5, (1.0, -0.5), 0.8, (0.5, -1.0)
    error, paths, dE_da, dE_dw1 = two_paths(x, goals, w1, v)
    print(f"经过 ŷ₁ 的路径：{paths[0]:+.4f}")
    print(f"经过 ŷ₂ 的路径：{paths[1]:+.4f}")
    print(f"两条相加 ∂E/∂a = {dE_da:+.4f}    ∂E/∂w₁ = {dE_dw1:+.4f}")

    # 核对：a 只靠 w₁ 算出来，挪动 w₁ 就同时挪动了两条路径
    numeric = central_difference(lambda w: two_paths(x, goals, w, v)[0], w1)
    print(f"中心差分：                     ∂E/∂w₁ ≈ {numeric:+.4f}")
    only_first = paths[0] * relu2deriv(relu(x * w1)) * x
    print(f"只算第一条路径会得到 {only_first:+.4f}：方向都反了")
    # --8<-- [end:two_paths_example]


# ---------------------------------------------------------------- 练习

def exercise_closed_unit():
    # --8<-- [start:exercise_closed_unit]
    # 把链的例子里的 w₁ 换成 −0.5：z < 0，这个单元关闭。两个导数各是多少？
    error, dE_dw1, dE_dw2 = chain(x=2.0, y=1.0, w1=-0.5, w2=0.6)
    print(f"E = {error:.4f}    ∂E/∂w₁ = {dE_dw1:.4f}    ∂E/∂w₂ = {dE_dw2:.4f}")
    # --8<-- [end:exercise_closed_unit]


def exercise_paths_cancel():
    # --8<-- [start:exercise_paths_cancel]
    # 两条路径的例子里只改 y₂，让两条路径正好抵消：y₂ = −1.0。
    error, paths, dE_da, dE_dw1 = two_paths(x=1.5, goals=(1.0, -1.0), w1=0.8, v=(0.5, -1.0))
    print(f"两条路径：{paths[0]:+.4f} 和 {paths[1]:+.4f}")
    print(f"∂E/∂a = {dE_da:+.4f}    ∂E/∂w₁ = {dE_dw1:+.4f}    误差 E = {error:.4f}")
    # --8<-- [end:exercise_paths_cancel]


# ---------------------------------------------------------------- 图

def _node(ax, x, y, text, color=BLUE):
    ax.text(x, y, text, ha="center", va="center", color=INK,
            bbox={"boxstyle": "circle,pad=0.3", "facecolor": PAPER, "edgecolor": color, "linewidth": 1.5})


def _edge(ax, start, end, label, color=GRAY, above=True, offset=0.42):
    """一条带箭头的边（前向的方向），边的上方或下方写着这一段的局部导数。"""
    ax.annotate("", xy=end, xytext=start,
                arrowprops={"arrowstyle": "->", "color": color, "linewidth": 1.4, "shrinkA": 16, "shrinkB": 16})
    mid_x, mid_y = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
    ax.text(mid_x, mid_y + (offset if above else -offset), label, ha="center", va="center", color=color)


# --8<-- [start:plot_chain]
def plot_chain():
    """一条链：每条边上是这一段的局部导数，把 E 到 w₁ 一路上的数乘起来就是 ∂E/∂w₁。"""
    p = CHAIN
    a = relu(p["x"] * p["w1"])
    y_hat = a * p["w2"]
    local = [p["x"], float(relu2deriv(a)), p["w2"], y_hat - p["y"]]  # 每一段的局部导数，在例子的数值上
    labels = [f"$x = {local[0]:g}$", f"relu$'(z) = {local[1]:g}$", f"$w_2 = {local[2]:g}$",
              f"$\\hat{{y}} - y = {local[3]:.1f}$"]
    figure, ax = new_figure(width=6.2, height=2.4)
    ax.set_axis_off()
    ax.set_xlim(0, 10)
    ax.set_ylim(-1.6, 1.4)
    xs = [0.8, 3.3, 5.6, 7.7, 9.5]
    names = ["$w_1$", "$z$", "$a$", "$\\hat{y}$", "$E$"]
    for x, name in zip(xs, names):
        _node(ax, x, 0, name, RED if name == "$E$" else BLUE)
    for left, right, label, above in zip(xs, xs[1:], labels, [True, False, True, False]):
        _edge(ax, (left, 0), (right, 0), label, ORANGE, above)
    product = local[3] * local[2] * local[1] * local[0]
    ax.text(5.0, -1.45, f"一路乘起来：$\\partial E/\\partial w_1 = {local[3]:.1f} \\times {local[2]:g} \\times {local[1]:g} "
            f"\\times {local[0]:g} = {product:.2f}$", ha="center", va="center", color=INK)
    return figure
# --8<-- [end:plot_chain]


# --8<-- [start:plot_two_paths]
def plot_two_paths():
    """两条路径：a 经过 ŷ₁ 和 ŷ₂ 都通到 E，∂E/∂a 是两条路径的乘积之和。"""
    p = TWO_PATHS
    _, paths, dE_da, _ = two_paths(p["x"], p["goals"], p["w1"], p["v"])
    a = relu(p["x"] * p["w1"])
    deltas = [a * v - y for v, y in zip(p["v"], p["goals"])]
    figure, ax = new_figure(width=6.2, height=3.6)
    ax.set_axis_off()
    ax.set_xlim(0, 10)
    ax.set_ylim(-2.6, 2.4)
    _node(ax, 1.2, 0, "$a$")
    _node(ax, 5.0, 1.4, "$\\hat{y}_1$")
    _node(ax, 5.0, -1.4, "$\\hat{y}_2$")
    _node(ax, 8.8, 0, "$E$", RED)
    for j, (y, color) in enumerate(zip([1.4, -1.4], [GREEN, ORANGE])):
        v, k = p["v"][j], j + 1
        _edge(ax, (1.2, 0), (5.0, y), f"$v_{k} = {v:g}$", color, above=(j == 0))
        _edge(ax, (5.0, y), (8.8, 0), f"$\\hat{{y}}_{k} - y_{k} = {deltas[j]:.1f}$", color, above=(j == 0),
              offset=0.8)
        factor = f"({v:g})" if v < 0 else f"{v:g}"
        ax.text(5.0, 2.25 if j == 0 else -2.3, f"路径 {k}：${deltas[j]:.1f} \\times {factor} = {paths[j]:+.1f}$",
                ha="center", va="center", color=color)
    ax.text(1.2, -0.9, f"$\\partial E/\\partial a$\n$= {paths[0]:+.1f} {paths[1]:+.1f}$\n$= {dE_da:+.1f}$",
            ha="center", va="top", color=INK)
    return figure
# --8<-- [end:plot_two_paths]


FIGURES = {
    "chain": plot_chain,
    "two_paths": plot_two_paths,
}

EXERCISES = [exercise_closed_unit, exercise_paths_cancel]

if __name__ == "__main__":
    main()
    for exercise in EXERCISES:
        exercise()
