"""第 3 章　梯度下降（第 4 页）：weight_delta = delta × input，原书的代码为什么没有 2，以及它的三个性质。

运行 `python -m snippets.weight_delta` 打印这一页的例子。
"""

# --8<-- [start:imports]
import numpy as np

from snippets.style import COLORS, PAPER, new_figure
# --8<-- [end:imports]


# --8<-- [start:weight_step]
def weight_step(input, weight, goal_pred, alpha=1.0):
    """一个输入、一个权重时的一步梯度下降。返回 (delta, weight_delta, 新的 weight)。"""
    prediction = input * weight
    delta = prediction - goal_pred  # 预测比真实值高多少（负数表示低了）
    weight_delta = delta * input  # 缩放、负值反转、停止，都来自这里的 × input
    weight = weight - alpha * weight_delta  # 和原书一样，更新时才乘学习率
    return delta, weight_delta, weight
# --8<-- [end:weight_step]


# --8<-- [start:train_one_weight]
def train_one_weight(input, goal_pred, weight, alpha, steps, factor=1):
    """梯度下降走 steps 步：weight -= alpha * (factor * delta * input)。

    factor=1 是原书的写法（weight_delta，没有 2）；factor=2 用的是误差的导数 2·delta·input。
    返回起点和每一步之后的权重。
    """
    weights = [weight]
    for step in range(steps):
        delta = input * weight - goal_pred
        weight = weight - alpha * (factor * delta * input)
        weights.append(weight)
    return weights
# --8<-- [end:train_one_weight]


def main():
    # --8<-- [start:drop_the_two]
    book = train_one_weight(input=2, goal_pred=0.8, weight=0.5, alpha=0.1, steps=20, factor=1)
    with_two = train_one_weight(input=2, goal_pred=0.8, weight=0.5, alpha=0.05, steps=20, factor=2)
    for step in [1, 2, 3, 20]:
        # !r 打印出能唯一确定这个浮点数的最短写法；:<20 靠左对齐、占 20 个字符宽
        print(f"第 {step:2d} 步后  原书的写法 (α = 0.1): {book[step]!r:<20}  带 2、α = 0.05: {with_two[step]!r}")
    print("20 步的权重逐位相同:", book == with_two)
    # --8<-- [end:drop_the_two]

    # --8<-- [start:scaling_demo]
    goal_pred = 0.8
    # 三个网络的预测都是 1.0，都比真实值高了 0.2，只有输入不同
    for input, weight in [(0.5, 2.0), (1.0, 1.0), (2.0, 0.5)]:
        delta, weight_delta, new_weight = weight_step(input, weight, goal_pred)
        error_before = (input * weight - goal_pred) ** 2
        error_after = (input * new_weight - goal_pred) ** 2
        print(f"input = {input}  delta = {delta:.4g}  weight_delta = {weight_delta:.4g}  "
              f"weight: {weight} → {new_weight:.4g}  误差 {error_before:.4g} → {error_after:.4g}")
    # --8<-- [end:scaling_demo]

    # --8<-- [start:negative_demo]
    goal_pred = 0.8
    # 两个网络的预测都是 1.0（太高了），输入一正一负
    for input, weight in [(1.0, 1.0), (-1.0, -1.0)]:
        delta, weight_delta, new_weight = weight_step(input, weight, goal_pred)
        print(f"input = {input:+}  weight_delta = {weight_delta:+.4f}  "
              f"weight: {weight:+} → {new_weight:+.4f}  新的预测 {input * new_weight:.4f}")
    # --8<-- [end:negative_demo]

    # --8<-- [start:stop_demo]
    goal_pred = 0.8
    input, weight = 0.0, 0.5  # 输入为 0：预测永远是 0，和权重无关
    delta, weight_delta, new_weight = weight_step(input, weight, goal_pred)
    print(f"delta = {delta}  误差 {delta ** 2:.4g}  weight_delta = {weight_delta}  weight: {weight} → {new_weight}")
    print("权重没有改变：", new_weight == weight)
    # --8<-- [end:stop_demo]


# --8<-- [start:plot_properties]
def _plot_weight_steps(cases):
    """误差随权重的变化 w − w₀ 而变：实心点是现在的位置，箭头走了这一步 −weight_delta，空心点是落脚处。

    cases 是若干 (input, weight)；真实值都是 0.8，不乘学习率（alpha 取 1），
    和原书第 4 章「Learning is just Reducing Error」的代码一样。
    """
    figure, ax = new_figure(width=5.0, height=3.0)
    changes = np.linspace(-0.6, 0.6, 41)
    top = 0.3
    for color, (input, weight) in zip(COLORS, cases):
        delta, weight_delta, _ = weight_step(input, weight, goal_pred=0.8)
        ax.plot(changes, (delta + input * changes) ** 2, color=color, label=f"input = {input:g}")
        landing = (delta - input * weight_delta) ** 2  # 走完这一步后的误差
        ax.annotate("", xy=(-weight_delta, landing), xytext=(0, delta ** 2),
                    arrowprops={"arrowstyle": "->", "color": color, "lw": 1.5})
        if weight_delta != 0:
            ax.plot([-weight_delta], [landing], "o", color=color, markerfacecolor=PAPER)
        ax.plot([0], [delta ** 2], "o", color=color)
        top = max(top, delta ** 2, landing)
    ax.set_ylim(-0.02, 1.1 * top)
    ax.set_xlabel("权重的变化 $w - w_0$")
    ax.set_ylabel("误差")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1), ncol=len(cases))  # 图例放在图的上方
    return figure


def plot_scaling():
    """缩放：预测都比真实值高 0.2，输入越大，曲线越陡，这一步也越大。"""
    return _plot_weight_steps([(0.5, 2.0), (1.0, 1.0), (2.0, 0.5)])


def plot_negative():
    """负值反转：输入一正一负，同样是“预测太高”，权重却往相反方向改。"""
    return _plot_weight_steps([(1.0, 1.0), (-1.0, -1.0)])


def plot_stop():
    """停止：输入为 0 时误差与权重无关，曲线是平的，权重不动。"""
    return _plot_weight_steps([(1.0, 1.0), (0.0, 0.5)])
# --8<-- [end:plot_properties]


FIGURES = {
    "scaling": plot_scaling,
    "negative": plot_negative,
    "stop": plot_stop,
}

EXERCISES = []

if __name__ == "__main__":
    main()
    for exercise in EXERCISES:
        exercise()
