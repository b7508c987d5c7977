"""第 3 章　梯度下降（第 3 页）：学习率 alpha。

运行 `python -m snippets.learning_rate` 打印这一页的例子。
"""

# --8<-- [start:imports]
import math

import numpy as np

from snippets.checks import check_count, check_finite, check_positive, check_shape
from snippets.gradient_descent import MAX_ERROR
from snippets.style import COLORS, RED, new_figure
# --8<-- [end:imports]


# --8<-- [start:train]
def train(input, goal_pred, weight, iterations, alpha=1.0, max_error=MAX_ERROR):
    """书里的训练循环：每次迭代先预测、记下误差，再更新权重。alpha = 1 就是不用学习率。

    返回 (history, diverged_at)：history 是每次迭代的 (error, prediction)；
    误差超过 max_error 或不再是有限数时立刻停止，diverged_at 是那次迭代的序号（从 1 数起），
    没有发散时为 None。
    """
    check_finite(input=input, goal_pred=goal_pred, weight=weight)
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
        weight_delta = alpha * (delta * input)
        weight = weight - weight_delta
    return history, None


def trace_line(error, prediction):
    """与书里相同的打印格式，方便对照。"""
    return "Error:" + str(error) + " Prediction:" + str(prediction)


def divergence_message(diverged_at, max_error=MAX_ERROR):
    """发散时打印的说明。"""
    return f"训练发散：第 {diverged_at} 次迭代的误差超过上限 {max_error:g}，已停止。"
# --8<-- [end:train]


# --8<-- [start:multi_input_update]
def multi_input_update(input, goal_pred, weights, alpha):
    """多个输入、一个输出：预测是加权和，每个权重的 weight_delta 都是 delta × 自己的输入。

    返回 (prediction, delta, weight_deltas, 新的 weights)。
    """
    check_finite(input=input, goal_pred=goal_pred, weights=weights)
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
    print(trace_line(*history[-1]))
    print("迭代次数:", len(history), " 发散:", diverged_at is not None)
    print("最后一次的误差:", history[-1][0])
    # --8<-- [end:with_alpha]

    # --8<-- [start:seed_single_layer]
    alpha = 0.1
    label = 0.8  # 真实值（原笔记拼作 lable）
    weight = 0.5
    input = 2

    prediction = input * weight
    delta = prediction - label
    weight_delta = alpha * (delta * input)
    weight = weight - weight_delta
    print("delta =", delta)
    print("weight_delta =", weight_delta)
    print("更新后的 weight =", weight)
    # --8<-- [end:seed_single_layer]

    # --8<-- [start:multi_input]
    weights = np.array([0.1, 0.2, -0.1])
    toes, wlrec, nfans = 8.5, 0.65, 1.2  # 平均脚趾数、胜率、球迷人数（百万）
    input = np.array([toes, wlrec, nfans])
    goal_pred = 1  # 这场比赛赢了
    alpha = 0.01

    prediction, delta, weight_deltas, weights = multi_input_update(input, goal_pred, weights, alpha)
    print("prediction:", prediction)
    print("delta:", delta)
    print("weight_deltas:", weight_deltas.tolist())
    print("更新后的 weights:", weights.tolist())
    # --8<-- [end:multi_input]


def exercise_alpha_range():
    # --8<-- [start:exercise_alpha_range]
    # 每次迭代，delta 乘以 (1 − alpha × input²)；它的绝对值小于 1 才会收敛
    input = 2
    limit = 2 / input ** 2
    print("收敛的条件：0 < alpha <", limit)
    for alpha in [0.45, 0.55]:
        history, diverged_at = train(input=input, goal_pred=0.8, weight=0.5,
                                     iterations=100, alpha=alpha)
        if diverged_at is None:
            print(f"alpha = {alpha}：100 次迭代后误差 {history[-1][0]:.3e}")
        else:
            print(f"alpha = {alpha}：" + divergence_message(diverged_at))
    # --8<-- [end:exercise_alpha_range]


def exercise_one_step():
    # --8<-- [start:exercise_one_step]
    # alpha = 1 / input² 时 1 − alpha × input² = 0：一步就走到目标
    input = 2
    alpha = 1 / input ** 2
    history, diverged_at = train(input=input, goal_pred=0.8, weight=0.5, iterations=3, alpha=alpha)
    for error, prediction in history:
        print(trace_line(error, prediction))
    # --8<-- [end:exercise_one_step]


def exercise_zero_input():
    # --8<-- [start:exercise_zero_input]
    weights = np.array([0.1, 0.2, -0.1])
    input = np.array([8.5, 0.65, 0.0])  # 这一场没有球迷数据，填了 0
    prediction, delta, weight_deltas, new_weights = multi_input_update(
        input, goal_pred=1, weights=weights, alpha=0.01)
    for name, old, new in zip(["toes", "wlrec", "nfans"], weights, new_weights):
        print(f"{name:5}  {old:+.4f} → {new:+.6f}  变了吗：{old != new}")
    # --8<-- [end:exercise_zero_input]


# --8<-- [start:plot_learning_rates]
def plot_learning_rates(alphas=(0.01, 0.1, 0.45, 0.6, 1.0), iterations=20):
    """input 2、目标 0.8、初始权重 0.5：几种学习率下，误差随迭代的变化（对数坐标）。"""
    figure, ax = new_figure(width=5.6, height=3.4)
    for color, alpha in zip(COLORS, alphas):
        history, diverged_at = train(input=2, goal_pred=0.8, weight=0.5,
                                     iterations=iterations, alpha=alpha)
        errors = [error for error, _ in history]
        ax.semilogy(range(1, len(errors) + 1), errors, "o-", color=color, markersize=2.5,
                    label=f"alpha = {alpha:g}" + ("（不用）" if alpha == 1 else ""))
        if diverged_at is not None:  # 发散：在停下的地方画一个叉
            ax.plot([len(errors)], [errors[-1]], "x", color=color, markersize=9, mew=2)
    ax.axhline(MAX_ERROR, color=RED, linestyle=":", linewidth=1)
    ax.set_xlabel("迭代次数")
    ax.set_ylabel("误差")
    ax.legend(loc="center left", bbox_to_anchor=(1, 0.5))
    return figure
# --8<-- [end:plot_learning_rates]


def explorer_data():
    """页面上学习率小实验的数据：例子的参数，和 trace_line、divergence_message 的打印格式。

    小实验（docs/javascripts/explorers/alpha.js）用 JavaScript 重复 train 的更新规则；
    浏览器测试在 50 组随机设置下，把它显示的每个数和 train 的结果逐个比较。
    """
    # --8<-- [start:explorer_data]
    import json

    data = {"input": 2, "goal_pred": 0.8, "weight": 0.5, "iterations": 20, "alpha": 0.1,
            "max_error": MAX_ERROR,
            "trace_line": trace_line("{error}", "{prediction}"),
            "divergence_message": divergence_message("{n}")}
    print('<script type="application/json" id="alpha-explorer-data">'
          + json.dumps(data, ensure_ascii=False) + "</script>")
    # --8<-- [end:explorer_data]


FIGURES = {
    "learning_rates": plot_learning_rates,
}

EXERCISES = [exercise_alpha_range, exercise_one_step, exercise_zero_input]

if __name__ == "__main__":
    main()
    for exercise in EXERCISES:
        exercise()
