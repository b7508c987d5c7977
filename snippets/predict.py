"""第 1 章　预测、比较和学习。

运行 `python -m snippets.predict` 打印本章的例子。
"""

# --8<-- [start:imports]
import numpy as np

from snippets.checks import check_finite
from snippets.style import BLUE, GRAY, GREEN, INK, ORANGE, RED, new_figure
# --8<-- [end:imports]


# --8<-- [start:neural_network]
def neural_network(input, weight):
    """最简单的神经网络：预测 = 输入 × 权重。"""
    prediction = input * weight
    return prediction
# --8<-- [end:neural_network]


# --8<-- [start:squared_error]
def squared_error(prediction, label):
    """比较：预测与真实值之差的平方。"""
    error = (prediction - label) ** 2
    return error
# --8<-- [end:squared_error]


# --8<-- [start:mean_squared_error]
def mean_squared_error(predictions, labels):
    """多个样本时，把每个样本的平方误差取平均。"""
    check_finite(predictions=predictions, labels=labels)  # 检查传进来的值：不合理就立刻报错
    # np.asarray 把一串数变成 numpy 数组：可以整体做减法、平方、求平均；shape 是它的形状（各维有多长）
    predictions = np.asarray(predictions, dtype=float)
    labels = np.asarray(labels, dtype=float)
    if predictions.shape != labels.shape:
        raise ValueError(f"predictions 与 labels 的形状不同：{predictions.shape} 对 {labels.shape}")
    return np.mean((predictions - labels) ** 2)
# --8<-- [end:mean_squared_error]


# --8<-- [start:error_for_weight]
def error_for_weight(weight, input=2, label=0.8):
    """固定输入和真实值，误差只随权重变化。"""
    check_finite(weight=weight, input=input, label=label)  # 检查传进来的值：不合理就立刻报错
    prediction = neural_network(input, weight)
    return squared_error(prediction, label)
# --8<-- [end:error_for_weight]


def main():
    # --8<-- [start:example]
    label = 0.8  # 真实值
    weight = 0.5  # 权重
    input = 2  # 输入

    prediction = neural_network(input, weight)
    error = squared_error(prediction, label)
    print("prediction =", prediction)
    print("error =", error)
    # --8<-- [end:example]

    # --8<-- [start:why_square]
    labels = [0.5, 0.5]
    predictions = [0.75, 0.25]  # 一个高了 0.25，一个低了 0.25
    raw = sum(p - l for p, l in zip(predictions, labels))
    squared = sum((p - l) ** 2 for p, l in zip(predictions, labels))
    print("直接相加的差:", raw)
    print("平方后再相加:", squared)
    # --8<-- [end:why_square]

    # --8<-- [start:which_way]
    for weight in [0.4, 0.5, 0.6]:
        error = error_for_weight(weight, input=2, label=0.8)
        print(f"weight = {weight}  error = {error:.4f}")
    # --8<-- [end:which_way]


def exercise_best_weight():
    # --8<-- [start:exercise_best_weight]
    input, label = 3, 0.9
    best_weight = label / input  # 预测恰好等于真实值时：input * weight == label
    print("最佳权重:", round(best_weight, 12))
    print("权重 0.5 时的误差:", round(error_for_weight(0.5, input, label), 12))
    # --8<-- [end:exercise_best_weight]


def exercise_mse():
    # --8<-- [start:exercise_mse]
    print("均方误差:", round(mean_squared_error([1.0, 0.5], [0.8, 0.8]), 12))
    # --8<-- [end:exercise_mse]


def exercise_slope():
    # --8<-- [start:exercise_slope]
    h = 1e-6  # 左右各挪一个很小的量 h，看误差变了多少
    slope = (error_for_weight(0.5 + h) - error_for_weight(0.5 - h)) / (2 * h)
    print("权重 0.5 处误差曲线的斜率约为:", round(slope, 6))
    # --8<-- [end:exercise_slope]


# --8<-- [start:plot_error_parabola]
def plot_error_parabola():
    """误差随权重变化的曲线：一条开口向上的抛物线。"""
    input, label, weight = 2, 0.8, 0.5
    best_weight = label / input
    weights = np.linspace(-0.1, 0.9, 201)
    errors = [error_for_weight(w, input, label) for w in weights]

    figure, ax = new_figure()
    ax.plot(weights, errors, color=BLUE, label="误差 = (输入 × 权重 − 真实值)²")
    ax.plot([weight], [error_for_weight(weight, input, label)], "o", color=ORANGE,
            label=f"例子：权重 {weight}，误差 0.04")
    ax.plot([best_weight], [0], "o", color=GREEN, label=f"最佳权重 {best_weight}，误差 0")
    slope = 2 * input * (input * weight - label)  # 这一点的切线斜率
    around = np.array([weight - 0.15, weight + 0.15])
    ax.plot(around, 0.04 + slope * (around - weight), "--", color=RED, label="例子处的切线（斜率 > 0）")
    ax.annotate("往左走，误差变小", xy=(0.42, 0.005), xytext=(0.62, 0.03), color=GRAY,
                arrowprops={"arrowstyle": "->", "color": GRAY})
    ax.set_xlabel("权重 weight")
    ax.set_ylabel("误差 error")
    ax.set_title("输入 2、真实值 0.8 时，误差随权重的变化")
    ax.legend(loc="upper center")
    return figure
# --8<-- [end:plot_error_parabola]


# --8<-- [start:plot_why_square]
def plot_why_square():
    """差、差的绝对值与差的平方：平方让误差永远非负，并放大大的偏差。"""
    differences = np.linspace(-1.5, 1.5, 301)
    figure, ax = new_figure()
    ax.plot(differences, differences, color=GRAY, label="差 = 预测 − 真实值（有正有负）")
    ax.plot(differences, np.abs(differences), color=ORANGE, label="差的绝对值")
    ax.plot(differences, differences ** 2, color=BLUE, label="差的平方（本站的误差）")
    ax.axhline(0, color=INK, linewidth=0.8)
    ax.set_xlabel("预测 − 真实值")
    ax.set_ylabel("误差")
    ax.set_title("为什么要平方")
    ax.legend(loc="upper center")
    return figure
# --8<-- [end:plot_why_square]


FIGURES = {
    "error_parabola": plot_error_parabola,
    "why_square": plot_why_square,
}

EXERCISES = [exercise_best_weight, exercise_mse, exercise_slope]

if __name__ == "__main__":
    main()
    for exercise in EXERCISES:
        exercise()
