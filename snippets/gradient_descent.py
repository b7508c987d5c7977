"""第 3 章　梯度下降：沿着斜坡一小步一小步地下山。

运行 `python -m snippets.gradient_descent` 打印本章的例子。
"""

# --8<-- [start:imports]
import math

import numpy as np

from snippets.checks import check_count, check_finite, check_positive, check_shape
from snippets.style import BLUE, COLORS, GRAY, GREEN, ORANGE, RED, new_figure
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


# --8<-- [start:weight_step]
def weight_step(input, weight, goal_pred, alpha=1.0):
    """一个输入、一个权重时的一步梯度下降。返回 (delta, weight_delta, 新的 weight)。"""
    check_finite(input=input, weight=weight, goal_pred=goal_pred)
    check_positive(alpha=alpha)
    prediction = input * weight
    delta = prediction - goal_pred  # 预测比目标高多少（负数表示低了）
    weight_delta = alpha * (delta * input)  # 缩放、负值反转、停止，都来自这里的 × input
    weight = weight - weight_delta
    return delta, weight_delta, weight
# --8<-- [end:weight_step]


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

    # --8<-- [start:scaling_demo]
    goal_pred = 0.8
    # 三个网络的预测都是 1.0，都比目标高了 0.2，只有输入不同
    for input, weight in [(0.5, 2.0), (1.0, 1.0), (2.0, 0.5)]:
        delta, weight_delta, new_weight = weight_step(input, weight, goal_pred)
        print(f"input = {input}  delta = {delta:.4f}  weight_delta = {weight_delta:.4f}  "
              f"weight: {weight} → {new_weight:.4f}")
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
    print(f"delta = {delta}  weight_delta = {weight_delta}  weight: {weight} → {new_weight}")
    print("权重没有改变：", new_weight == weight)
    # --8<-- [end:stop_demo]

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


# --8<-- [start:plot_properties]
def _plot_weight_steps(cases):
    """误差随“权重改变量 Δw”的变化：实心点是现在的位置，箭头走了这一步 −weight_delta，空心点是落脚处。

    cases 是若干 (input, weight)；目标都是 0.8，alpha 取 1，与书里相同。
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
            ax.plot([-weight_delta], [landing], "o", color=color, markerfacecolor="white")
        ax.plot([0], [delta ** 2], "o", color=color)
        top = max(top, delta ** 2, landing)
    ax.set_ylim(-0.02, 1.35 * top)
    ax.set_xlabel("权重的改变量 Δw")
    ax.set_ylabel("误差")
    ax.legend(loc="upper center", ncol=len(cases))
    return figure


def plot_scaling():
    """缩放：预测都比目标高 0.2，输入越大，曲线越陡，这一步也越大。"""
    return _plot_weight_steps([(0.5, 2.0), (1.0, 1.0), (2.0, 0.5)])


def plot_negative():
    """负值反转：输入一正一负，同样是“预测太高”，权重却往相反方向改。"""
    return _plot_weight_steps([(1.0, 1.0), (-1.0, -1.0)])


def plot_stop():
    """停止：输入为 0 时误差与权重无关，曲线是平的，权重不动。"""
    return _plot_weight_steps([(1.0, 1.0), (0.0, 0.5)])
# --8<-- [end:plot_properties]


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


FIGURES = {
    "surface": plot_surface,
    "contour": plot_contour,
    "scaling": plot_scaling,
    "negative": plot_negative,
    "stop": plot_stop,
    "learning_rates": plot_learning_rates,
}

if __name__ == "__main__":
    main()
