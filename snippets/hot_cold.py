"""第 2 章　冷热学习。

运行 `python -m snippets.hot_cold` 打印本章的例子。
"""

# --8<-- [start:imports]
from snippets.checks import check_count, check_finite, check_positive
from snippets.style import BLUE, GRAY, GREEN, ORANGE, RED, new_figure
# --8<-- [end:imports]


# --8<-- [start:hot_cold_step]
def hot_cold_step(input, weight, goal_prediction, step_amount):
    """冷热学习的一步：把权重往上试一步、往下试一步，哪边误差小就往哪边走。"""
    up_prediction = input * (weight + step_amount)  # 第 2 次预测
    up_error = (goal_prediction - up_prediction) ** 2
    down_prediction = input * (weight - step_amount)  # 第 3 次预测
    down_error = (goal_prediction - down_prediction) ** 2
    if down_error < up_error:
        weight = weight - step_amount
    if down_error > up_error:
        weight = weight + step_amount
    return weight
# --8<-- [end:hot_cold_step]


# --8<-- [start:hot_cold_learning]
def hot_cold_learning(input, weight, goal_prediction, step_amount, iterations):
    """按原书第 4 章「Hot and Cold Learning」的循环做冷热学习：
    每一轮先预测、记下误差和预测，再上下各试一次、移动权重。

    返回三个列表：每轮的误差 errors、每轮的预测 predictions，
    以及权重 weights（weights[0] 是起点，weights[i + 1] 是第 i + 1 轮移动之后的权重）。
    """
    check_finite(input=input, weight=weight, goal_prediction=goal_prediction)  # 检查传进来的值：不合理就立刻报错
    check_positive(step_amount=step_amount)
    check_count(iterations=iterations)
    errors, predictions, weights = [], [], [weight]
    for iteration in range(iterations):
        prediction = input * weight  # 第 1 次预测
        error = (prediction - goal_prediction) ** 2
        errors.append(error)
        predictions.append(prediction)
        weight = hot_cold_step(input, weight, goal_prediction, step_amount)
        weights.append(weight)
    return errors, predictions, weights
# --8<-- [end:hot_cold_learning]


# --8<-- [start:gradient_descent]
def gradient_descent(input, weight, goal_prediction, alpha, iterations):
    """同一个问题上的梯度下降（本站第 3 章细讲）：每轮只做 1 次预测，每一步的大小与 delta 成比例。

    更新沿用原书第 4 章的写法 weight -= alpha * input * delta（没有误差曲线斜率里的因子 2）。

    返回值与 hot_cold_learning 相同：errors、predictions、weights。
    """
    check_finite(input=input, weight=weight, goal_prediction=goal_prediction)  # 检查传进来的值：不合理就立刻报错
    check_positive(alpha=alpha)
    check_count(iterations=iterations)
    errors, predictions, weights = [], [], [weight]
    for iteration in range(iterations):
        prediction = input * weight  # 唯一的一次预测
        error = (prediction - goal_prediction) ** 2
        if errors and error > errors[0]:  # 误差比起点还大就停（学习率一页会算出：单个权重时 alpha · input² ≤ 2，误差就不会变大）
            raise ValueError(f"alpha = {alpha} 太大：第 {iteration + 1} 轮的误差 {error:.3g} 比第 1 轮（起点）的 "
                             f"{errors[0]:.3g} 还大，训练发散了，已停止")
        errors.append(error)
        predictions.append(prediction)
        delta = prediction - goal_prediction
        weight = weight - alpha * input * delta
        weights.append(weight)
    return errors, predictions, weights
# --8<-- [end:gradient_descent]


# --8<-- [start:iterations_to_reach]
def iterations_to_reach(errors, threshold):
    """要跑多少轮，记下的误差才第一次低于 threshold；一直达不到就返回 None。"""
    check_positive(threshold=threshold)  # 检查传进来的值：不合理就立刻报错
    for iteration, error in enumerate(errors):
        if error < threshold:
            return iteration + 1  # iteration 从 0 数起，所以这是第 iteration + 1 轮
    return None
# --8<-- [end:iterations_to_reach]


def main():
    # --8<-- [start:book_run]
    weight = 0.5
    input = 0.5
    goal_prediction = 0.8
    step_amount = 0.001

    errors, predictions, weights = hot_cold_learning(
        input, weight, goal_prediction, step_amount, iterations=1101
    )
    for error, prediction in zip(errors[:3], predictions[:3]):
        print("Error:" + str(error) + " Prediction:" + str(prediction))
    print("……（中间省略 1095 行）……")
    for error, prediction in zip(errors[-3:], predictions[-3:]):
        print("Error:" + str(error) + " Prediction:" + str(prediction))
    # --8<-- [end:book_run]

    # --8<-- [start:book_weights]
    print("第 1101 轮（iteration = 1100）预测时的权重:", weights[1100])
    print("最后一轮移动之后的权重:", weights[1101])
    print("1101 轮一共做的预测次数:", 3 * len(errors))
    # --8<-- [end:book_weights]

    # --8<-- [start:large_step]
    errors, predictions, weights = hot_cold_learning(
        input=0.5, weight=0.5, goal_prediction=0.8, step_amount=0.3, iterations=10
    )
    for iteration in range(10):
        print(f"第 {iteration + 1} 轮  weight = {weights[iteration]:.1f}  error = {errors[iteration]:.4f}")  # 轮数从 1 数起
    # --8<-- [end:large_step]

    # --8<-- [start:comparison]
    threshold = 1e-10
    print("| 方法 | 步长或 alpha | 每轮预测次数 | 轮数 | 预测总次数 |")
    print("| --- | --- | ---: | ---: | ---: |")
    for step_amount in [0.001, 0.003]:
        errors, _, _ = hot_cold_learning(0.5, 0.5, 0.8, step_amount, iterations=2000)
        iterations = iterations_to_reach(errors, threshold)
        if iterations is None:
            print(f"| 冷热学习 | step_amount = {step_amount} | 3 | 2000 轮内达不到"
                  f"（最小误差 {min(errors):.1e}） | — |")
        else:
            print(f"| 冷热学习 | step_amount = {step_amount} | 3 | {iterations} | {3 * iterations} |")
    for alpha in [0.1, 1]:
        errors, _, _ = gradient_descent(0.5, 0.5, 0.8, alpha, iterations=2000)
        iterations = iterations_to_reach(errors, threshold)
        print(f"| 梯度下降 | alpha = {alpha} | 1 | {iterations} | {iterations} |")
    # --8<-- [end:comparison]


def exercise_step_0_003():
    # --8<-- [start:exercise_step_0_003]
    errors, predictions, weights = hot_cold_learning(0.5, 0.5, 0.8, step_amount=0.003, iterations=2000)
    print("最小误差:", min(errors))
    print("最后 4 轮的权重:", [round(w, 3) for w in weights[-4:]])
    print("误差低于 1e-10 要跑的轮数:", iterations_to_reach(errors, 1e-10))
    # --8<-- [end:exercise_step_0_003]


def exercise_scaled_step():
    # --8<-- [start:exercise_scaled_step]
    weight, input, goal_prediction = 0.5, 0.5, 0.8
    for iteration in range(100):
        prediction = input * weight
        error = (prediction - goal_prediction) ** 2
        if error < 1e-10:
            break
        step_amount = abs(prediction - goal_prediction) * abs(input)  # 每一步移动的距离跟着 delta 变，不再固定
        weight = hot_cold_step(input, weight, goal_prediction, step_amount)
    print("轮数:", iteration + 1, " 预测总次数:", 3 * iteration + 1, " 误差:", error)  # 最后一轮只做了第 1 次预测

    gd_errors, _, _ = gradient_descent(input, 0.5, goal_prediction, alpha=1, iterations=100)
    print("梯度下降（alpha = 1）的轮数:", iterations_to_reach(gd_errors, 1e-10))
    # --8<-- [end:exercise_scaled_step]


def exercise_one_step():
    # --8<-- [start:exercise_one_step]
    input = 0.5
    alpha = 1 / input**2  # 让 alpha × input² = 1
    errors, predictions, weights = gradient_descent(input, 0.5, 0.8, alpha, iterations=3)
    print("alpha =", alpha)
    print("weights =", weights)
    print("errors =", errors)
    # --8<-- [end:exercise_one_step]


# --8<-- [start:plot_error_and_weight]
def plot_error_and_weight():
    """原书例子的 1101 轮：误差（对数刻度）一路下降，权重每轮加 0.001，直线走向最佳权重 1.6。"""
    errors, predictions, weights = hot_cold_learning(0.5, 0.5, 0.8, 0.001, 1101)
    rounds = range(1, len(errors) + 1)  # 轮数从 1 数起

    figure, (top, bottom) = new_figure(nrows=2, height=5.0, sharex=True)
    top.semilogy(rounds, errors, color=BLUE)
    top.axhline(1e-10, color=GRAY, linestyle=":")
    top.annotate("误差 1e-10", xy=(1, 1e-10), xytext=(0, 4), textcoords="offset points", color=GRAY)
    top.annotate(f"第 1101 轮：误差 {errors[-1]:.1e}", xy=(1101, errors[-1]), xytext=(520, 1e-22),
                 color=GRAY, arrowprops={"arrowstyle": "->", "color": GRAY})
    top.set_ylabel("误差（对数刻度）")

    bottom.plot(rounds, weights[:-1], color=ORANGE)
    bottom.axhline(0.8 / 0.5, color=GREEN, linestyle="--")
    bottom.annotate("最佳权重 1.6", xy=(1, 1.6), xytext=(0, -14), textcoords="offset points", color=GREEN)
    bottom.set_xlabel("轮数")
    bottom.set_ylabel("权重")
    return figure
# --8<-- [end:plot_error_and_weight]


# --8<-- [start:plot_large_step]
def plot_large_step():
    """步长太大：权重冲过 1.6 之后在它两侧来回跳，误差停在一个由步长和余数决定的水平上。"""
    iterations = 16
    figure, (top, bottom) = new_figure(nrows=2, height=5.6, sharex=True)
    for step_amount, color in [(0.3, RED), (0.15, BLUE)]:
        errors, predictions, weights = hot_cold_learning(0.5, 0.5, 0.8, step_amount, iterations)
        label = f"步长 {step_amount}"
        rounds = range(1, iterations + 1)  # 轮数从 1 数起
        top.plot(rounds, weights[:-1], "o-", color=color, markersize=3, label=label)
        bottom.semilogy(rounds, errors, "o-", color=color, markersize=3, label=label)
    top.axhline(1.6, color=GREEN, linestyle="--", label="最佳权重 1.6")
    top.set_ylabel("权重")
    top.legend(loc="lower right")
    bottom.set_xlabel("轮数")
    bottom.set_ylabel("误差（对数刻度）")
    return figure
# --8<-- [end:plot_large_step]


FIGURES = {
    "error_and_weight": plot_error_and_weight,
    "large_step": plot_large_step,
}

EXERCISES = [exercise_step_0_003, exercise_scaled_step, exercise_one_step]

if __name__ == "__main__":
    main()
    for exercise in EXERCISES:
        exercise()
