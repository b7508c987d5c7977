"""第 3 章　梯度下降（第 5 页）：学习率 alpha。误差山上的上限在第 7 页（snippets/valley.py）。

运行 `python -m snippets.learning_rate` 打印这一页的例子。
"""

# --8<-- [start:imports]
import math

import numpy as np

from snippets.checks import check_count, check_finite, check_positive, check_shape
from snippets.gradient_descent import MAX_ERROR
from snippets.style import COLORS, GRAY, GREEN, RED, new_figure
# --8<-- [end:imports]


# --8<-- [start:train]
def train(input, goal_pred, weight, iterations, alpha=1.0, max_error=MAX_ERROR):
    """原书第 4 章「Breaking Gradient Descent」的训练循环：每一次先预测、记下误差，再更新权重。
    alpha = 1 就是那一节不乘学习率的代码（Now let's break it）。

    返回 (history, diverged_at)：history 是每一次预测的 (error, prediction)；
    误差超过发散阈值 max_error 或不再是有限数时立刻停止，diverged_at 是那一次预测的序号（从 1 数起），
    没有发散时为 None。
    """
    check_finite(input=input, goal_pred=goal_pred, weight=weight)  # 检查传进来的值：不合理就立刻报错
    check_count(iterations=iterations)
    check_positive(alpha=alpha, max_error=max_error)
    history = []
    for iteration in range(1, iterations + 1):
        prediction = input * weight
        error = (prediction - goal_pred) ** 2
        if not math.isfinite(error) or error > max_error:
            return history, iteration
        history.append((error, prediction))
        delta = prediction - goal_pred
        weight_delta = delta * input
        weight = weight - alpha * weight_delta
    return history, None


def trace_line(error, prediction):
    """和原书第 4 章「Breaking Gradient Descent」的代码相同的打印格式：Python 3 的 str() 给出能唯一确定这个浮点数的最短写法。"""
    return "Error:" + str(error) + " Prediction:" + str(prediction)


def divergence_message(diverged_at, max_error=MAX_ERROR):
    """train 发散时打印的说明：diverged_at 数的是预测（第 n 次预测之前已经走了 n − 1 步）。"""
    return f"训练发散：第 {diverged_at} 次预测的误差超过发散阈值 {max_error:g}，已停止。"
# --8<-- [end:train]


# --8<-- [start:two_rules]
def book_step(input, weight, goal_pred, alpha):
    """原书的规则（配套笔记本第 4 章「Breaking Gradient Descent」一节带 alpha 的代码）：weight -= alpha * weight_delta。"""
    delta = input * weight - goal_pred
    weight_delta = delta * input
    return weight - alpha * weight_delta


def derivative_step(input, weight, goal_pred, alpha):
    """按误差的导数 dE/dw = 2 × delta × input 走一步：同一个 alpha，步子是原书规则的 2 倍。"""
    delta = input * weight - goal_pred
    return weight - alpha * 2 * delta * input
# --8<-- [end:two_rules]


# --8<-- [start:show_steps]
def show_steps(step, alpha, input=2, goal_pred=0.8, weight=0.5, steps=4):
    """从 weight 出发，用 step（book_step 或 derivative_step）走几步，打印每一步的预测和误差。"""
    predictions = [input * weight]
    for _ in range(steps):
        weight = step(input, weight, goal_pred, alpha)
        predictions.append(input * weight)
    print("   预测 " + "  ".join(f"{p:.4f}" for p in predictions))
    print("   误差 " + "  ".join(f"{(p - goal_pred) ** 2:.4f}" for p in predictions))
# --8<-- [end:show_steps]


# --8<-- [start:multi_input_update]
def multi_input_update(input, goal_pred, weights, alpha):
    """多个输入、一个输出：预测是加权和，每个权重的 weight_delta 都是 delta × 自己的输入。

    返回 (prediction, delta, weight_deltas, 新的 weights)。
    """
    check_finite(input=input, goal_pred=goal_pred, weights=weights)  # 检查传进来的值：不合理就立刻报错
    check_positive(alpha=alpha)
    weights = np.asarray(weights, dtype=float)
    input = np.asarray(input, dtype=float)
    check_shape("weights", weights, (None,))
    check_shape("input", input, weights.shape)
    prediction = input.dot(weights)  # 加权和：8.5×0.1 + 0.65×0.2 + 1.2×(−0.1)
    delta = prediction - goal_pred
    weight_deltas = delta * input  # 逐个相乘：每个权重按自己的输入分担误差
    weights = weights - alpha * weight_deltas
    return prediction, delta, weight_deltas, weights
# --8<-- [end:multi_input_update]


def main():
    # --8<-- [start:no_alpha]
    history, diverged_at = train(input=2, goal_pred=0.8, weight=0.5, iterations=20)
    for error, prediction in history:
        print(trace_line(error, prediction))
    if diverged_at is not None:
        print(divergence_message(diverged_at))
    # --8<-- [end:no_alpha]

    # --8<-- [start:with_alpha]
    history, diverged_at = train(input=2, goal_pred=0.8, weight=0.5, iterations=20, alpha=0.1)
    for error, prediction in history[:4]:
        print(trace_line(error, prediction))
    print("……")
    print(trace_line(*history[-1]))  # *：把最后一项 (error, prediction) 拆成两个值传进去
    print("预测次数:", len(history), " 发散:", diverged_at is not None)
    # --8<-- [end:with_alpha]

    # --8<-- [start:regimes_book]
    input = 2
    print(f"原书的规则（weight_delta），input = {input}：delta 每步乘以 1 − α·x²，上限 2/x² = {2 / input ** 2}")
    for alpha in [0.1, 0.25, 0.45, 0.5, 0.55]:
        # {alpha:<5}：靠左对齐、占 5 个字符宽，让各行的数对齐
        print(f"alpha = {alpha:<5}  1 − α·x² = {1 - alpha * input ** 2:+.3g}")
        show_steps(book_step, alpha)
    # --8<-- [end:regimes_book]

    # --8<-- [start:regimes_derivative]
    input = 2
    print(f"误差的导数 2·delta·input，input = {input}：delta 每步乘以 1 − 2α·x²，上限 1/x² = {1 / input ** 2}")
    for alpha in [0.05, 0.125, 0.225, 0.25, 0.275]:
        print(f"alpha = {alpha:<5}  1 − 2α·x² = {1 - 2 * alpha * input ** 2:+.3g}")
        show_steps(derivative_step, alpha)
    # --8<-- [end:regimes_derivative]

    # --8<-- [start:seed_single_layer]
    alpha = 0.1
    label = 0.8  # 真实值（原笔记拼作 lable）
    weight = 0.5
    input = 2

    #单层weight_delta 权重误差计算
    prediction = input * weight
    delta = prediction - label
    weight_delta = alpha * (delta * input)  # 原笔记：学习率并进了 weight_delta
    weight = weight - weight_delta
    print("delta =", delta)
    print("weight_delta =", weight_delta)
    print("更新后的 weight =", weight)
    # --8<-- [end:seed_single_layer]

    # --8<-- [start:book_single_layer]
    weight = 0.5
    prediction = input * weight
    delta = prediction - label
    weight_delta = delta * input  # 原书：weight_delta 不含学习率
    weight -= weight_delta * alpha  # 更新时才乘 alpha
    print("weight_delta =", weight_delta)
    print("更新后的 weight =", weight)
    # --8<-- [end:book_single_layer]

    # --8<-- [start:multi_input]
    weights = np.array([0.1, 0.2, -0.1])
    toes, wlrec, nfans = 8.5, 0.65, 1.2  # 球员的平均脚趾数、胜率、球迷人数（百万）
    input = np.array([toes, wlrec, nfans])
    goal_pred = 1  # 这场比赛赢了
    alpha = 0.01

    prediction, delta, weight_deltas, weights = multi_input_update(input, goal_pred, weights, alpha)
    print("prediction:", prediction)
    print("delta:", delta)
    print("weight_deltas:", weight_deltas.tolist())
    print("更新后的 weights:", weights.tolist())
    # --8<-- [end:multi_input]


def exercise_small_input():
    # --8<-- [start:exercise_small_input]
    input = 0.5  # 原书第 4 章「Breaking Gradient Descent」第一段代码：不用学习率
    print("原书的规则：上限 2/x² =", 2 / input ** 2, "  一步到位 1/x² =", 1 / input ** 2)
    print("误差的导数：上限 1/x² =", 1 / input ** 2, "  一步到位 1/(2x²) =", 1 / (2 * input ** 2))
    print("alpha = 1 时 delta 每步乘以", 1 - 1 * input ** 2)
    history, _ = train(input=input, goal_pred=0.8, weight=0.5, iterations=3)
    for error, prediction in history:
        print(trace_line(error, prediction))
    # --8<-- [end:exercise_small_input]


def exercise_zero_input():
    # --8<-- [start:exercise_zero_input]
    weights = np.array([0.1, 0.2, -0.1])
    input = np.array([8.5, 0.65, 0.0])  # 这一场没有球迷数据，填了 0
    prediction, delta, weight_deltas, new_weights = multi_input_update(
        input, goal_pred=1, weights=weights, alpha=0.01)
    for name, old, new in zip(["toes", "wlrec", "nfans"], weights, new_weights):
        print(f"{name:5}  {old:+.4f} → {new:+.6f}  变了吗：{old != new}")
    # --8<-- [end:exercise_zero_input]


# ---------------------------------------------------------------- 图

def _one_weight_path(alpha, steps, input=2, goal_pred=0.8, weight=0.5):
    """按原书的规则走 steps 步，返回每一步的权重。"""
    weights = [weight]
    for _ in range(steps):
        weights.append(book_step(input, weights[-1], goal_pred, alpha))
    return np.array(weights)


# --8<-- [start:plot_overcorrection]
def plot_overcorrection(alphas=(0.45, 0.55), steps=6):
    """过度修正：把每一步画在误差抛物线上（input 2、真实值 0.8、初始权重 0.5，原书的规则）。

    左边 alpha 低于上限，来回跳着靠近最低点（放大了看）；右边高于上限，来回跳着越跳越高。
    """
    figure, axes = new_figure(ncols=len(alphas), width=5.8, height=3.2)  # 也放在小实验的框里：比正文窄
    for ax, alpha, color in zip(axes, alphas, [GREEN, RED]):
        weights = _one_weight_path(alpha, steps)
        errors = (2 * weights - 0.8) ** 2
        reach = max(abs(weights - 0.4)) * 1.15  # 横轴只画到走过的范围
        curve = np.linspace(0.4 - reach, 0.4 + reach, 81)
        ax.plot(curve, (2 * curve - 0.8) ** 2, color=GRAY, linewidth=1)
        ax.axvline(0.4, color=GRAY, linestyle=":", linewidth=1)
        for k in range(steps):
            ax.annotate("", xy=(weights[k + 1], errors[k + 1]), xytext=(weights[k], errors[k]),
                        arrowprops={"arrowstyle": "->", "color": color, "lw": 1.2})
        ax.plot(weights, errors, "o", color=color, markersize=4)
        ax.annotate("起点", (weights[0], errors[0]), textcoords="offset points", xytext=(6, -4))
        ax.set_ylim(-0.03 * errors.max(), 1.15 * errors.max())
        ax.locator_params(axis="y", nbins=3)
        ax.grid(False)
        ax.set_title(f"alpha = {alpha:g}")
        ax.set_xlabel("权重 w")
    axes[0].set_ylabel("误差")
    return figure
# --8<-- [end:plot_overcorrection]


# --8<-- [start:plot_learning_rates]
def plot_learning_rates(alphas=(0.01, 0.1, 0.45, 0.5, 0.6, 1.0), iterations=20):
    """input 2、真实值 0.8、初始权重 0.5：几种学习率下，误差随预测次数的变化（对数坐标）。动手试一试里用它。"""
    figure, ax = new_figure(width=5.6, height=3.4)
    for color, alpha in zip(COLORS, alphas):
        history, diverged_at = train(input=2, goal_pred=0.8, weight=0.5,
                                     iterations=iterations, alpha=alpha)
        errors = [error for error, _ in history]
        ax.semilogy(range(1, len(errors) + 1), errors, "o-", color=color, markersize=2.5,
                    label=f"alpha = {alpha:g}" + ("（不乘学习率）" if alpha == 1 else ""))
        if diverged_at is not None:  # 发散：在停下的地方画一个叉
            ax.plot([len(errors)], [errors[-1]], "x", color=color, markersize=9, mew=2)
    ax.axhline(MAX_ERROR, color=RED, linestyle=":", linewidth=1)
    ax.set_xlabel("第几次预测")
    ax.set_ylabel("误差")
    ax.legend(loc="center left", bbox_to_anchor=(1, 0.5))
    return figure
# --8<-- [end:plot_learning_rates]




FIGURES = {
    "overcorrection": plot_overcorrection,
}

EXERCISES = [exercise_small_input, exercise_zero_input]

if __name__ == "__main__":
    main()
    for exercise in EXERCISES:
        exercise()
