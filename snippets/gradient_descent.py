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


# --8<-- [start:walk_down]
MAX_ERROR = 1e6  # 误差超过这个上限（或不再是有限数）就判定为发散


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


def _contour(ax, A, B, E):
    ax.contour(A, B, E, levels=[0.05, 0.2, 0.5, 1, 2, 3.5, 5, 7, 9.5, 12.5],
               colors=GRAY, linewidths=0.7)
    ax.plot([0.5], [-0.5], "*", color=GREEN, markersize=12)
    ax.set_aspect("equal")


# --8<-- [start:plot_surface]
def plot_surface():
    """误差山的三维曲面，以及从山顶走到营地的路径。"""
    A, B, E = _hill_grid(22)  # 粗网格：图又轻又够看
    path, _ = walk_down(WALK_START, WALK_ALPHA, WALK_STEPS)
    path_errors = [hill_error(p) for p in path]

    figure, ax = new_figure(width=6.4, height=5.0, subplot_kw={"projection": "3d", "computed_zorder": False})
    ax.plot_surface(A, B, E, cmap="viridis", alpha=0.8, linewidth=0, rstride=1, cstride=1)
    ax.plot(path[:, 0], path[:, 1], path_errors, "o-", color=ORANGE, markersize=3,
            zorder=10, label=f"下山的路（alpha = {WALK_ALPHA}）")
    ax.plot([path[0, 0]], [path[0, 1]], [path_errors[0]], "o", color=RED, markersize=7,
            zorder=11, label="起点")
    ax.plot([0.5], [-0.5], [0], "*", color=GREEN, markersize=12, zorder=11,
            label="营地 (0.5, −0.5)")
    ax.set_xlabel("权重 a")
    ax.set_ylabel("权重 b")
    ax.set_zlabel("误差 f(a, b)")
    ax.view_init(elev=32, azim=-60)
    ax.set_title("误差山：看不见地图，只能感觉脚下的坡")
    ax.legend(loc="upper left", fontsize=9)
    return figure
# --8<-- [end:plot_surface]


# --8<-- [start:plot_contour]
def plot_contour():
    """同一座山的等高线图：每处的 −∇f 箭头指向最陡的下坡，路径顺着箭头走。"""
    A, B, E = _hill_grid(30)
    path, _ = walk_down(WALK_START, WALK_ALPHA, WALK_STEPS)
    a, b = np.meshgrid(np.linspace(-1.0, 2.0, 7), np.linspace(-2.0, 1.5, 8))
    gradients = np.array([hill_gradient(np.array([x, y])) for x, y in zip(a.ravel(), b.ravel())])

    figure, ax = new_figure(width=6.4, height=5.6)
    _contour(ax, A, B, E)
    ax.quiver(a.ravel(), b.ravel(), -gradients[:, 0], -gradients[:, 1], color=BLUE,
              angles="xy", scale_units="xy", scale=12, width=0.004, label="−∇f（长度按 1/12 画）")
    ax.plot(path[:, 0], path[:, 1], "o-", color=ORANGE, markersize=3, label="下山的路")
    ax.plot([path[0, 0]], [path[0, 1]], "o", color=RED, markersize=7, label="起点")
    ax.plot([], [], "*", color=GREEN, markersize=12, label="营地 (0.5, −0.5)")
    ax.set_xlabel("权重 a")
    ax.set_ylabel("权重 b")
    ax.set_title("等高线：箭头垂直于等高线，坡越陡越长")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=9)
    return figure
# --8<-- [end:plot_contour]


# --8<-- [start:plot_walk_frames]
def plot_walk_frames():
    """下山的几个瞬间：第 0、1、3、8、25 步。"""
    A, B, E = _hill_grid(30)
    path, _ = walk_down(WALK_START, WALK_ALPHA, WALK_STEPS)
    frames = [0, 1, 3, 8, 25]
    figure, axes = new_figure(ncols=len(frames), width=10, height=2.9, sharey=True)
    for ax, step in zip(axes, frames):
        _contour(ax, A, B, E)
        ax.plot(path[:step + 1, 0], path[:step + 1, 1], "-", color=ORANGE)
        ax.plot([path[step, 0]], [path[step, 1]], "o", color=RED, markersize=6)
        if step < WALK_STEPS:
            down = -WALK_ALPHA * hill_gradient(path[step])  # 下一步
            ax.annotate("", xy=path[step] + down, xytext=path[step],
                        arrowprops={"arrowstyle": "->", "color": BLUE, "lw": 1.5})
        ax.set_title(f"第 {step} 步\n误差 {hill_error(path[step]):.3f}", fontsize=10)
        ax.set_xlabel("a")
    axes[0].set_ylabel("b")
    return figure
# --8<-- [end:plot_walk_frames]


# --8<-- [start:plot_partials]
def plot_partials():
    """偏导数：固定一个权重，误差就成了另一个权重的一元函数，偏导数就是它的切线斜率。"""
    point = np.array(WALK_START)
    gradient = hill_gradient(point)
    figure, axes = new_figure(ncols=2, width=8.0, height=3.6, sharey=True)
    for axis, (ax, name, other) in enumerate(zip(axes, ["a", "b"], ["b", "a"])):
        values = np.linspace(*[(-1.5, 2.5), (-2.5, 2.0)][axis], 121)  # 与等高线图的范围相同
        errors = []
        for value in values:
            moved = point.copy()
            moved[axis] = value  # 只动这一个变量
            errors.append(hill_error(moved))
        ax.plot(values, errors, color=BLUE, label=f"f 沿 {name} 方向的切面（{other} = {point[1 - axis]}）")
        around = np.array([point[axis] - 0.8, point[axis] + 0.8])
        ax.plot(around, hill_error(point) + gradient[axis] * (around - point[axis]), "--", color=RED, lw=2,
                label=f"切线，斜率 f_{name} = {gradient[axis]:.3f}")
        ax.plot([point[axis]], [hill_error(point)], "o", color=ORANGE)
        ax.set_xlabel(f"权重 {name}")
        ax.legend(loc="upper center", fontsize=9)
    axes[0].set_ylabel("误差 f(a, b)")
    figure.suptitle(f"在 (a, b) = {tuple(point.tolist())} 处：固定一个，只动另一个")
    return figure
# --8<-- [end:plot_partials]


def _plot_weight_steps(cases, title):
    """左：误差随“权重改变量 Δw”的变化（Δw = 0 是现在）；右：这一步 −weight_delta 的方向和大小。"""
    figure, (left, right) = new_figure(ncols=2, width=8.0, height=3.4)
    changes = np.linspace(-0.6, 0.6, 121)
    for color, (input, weight) in zip(COLORS, cases):
        delta, weight_delta, _ = weight_step(input, weight, goal_pred=0.8)
        left.plot(changes, (delta + input * changes) ** 2, color=color, label=f"input = {input:g}")
        left.plot([0], [delta ** 2], "o", color=color)  # 现在的位置
        right.annotate("", xy=(-weight_delta, input), xytext=(0, input),
                       arrowprops={"arrowstyle": "->", "color": color, "lw": 2})
        right.plot([0], [input], "o", color=color)
        right.text(-weight_delta / 2, input + 0.12, f"−weight_delta = {-weight_delta:+.2f}",
                   ha="center", color=color, fontsize=9)
    left.set_ylim(-0.02, 0.9)
    left.set_xlabel("权重的改变量 Δw")
    left.set_ylabel("误差")
    left.legend(loc="upper center", fontsize=9)
    inputs = [input for input, _ in cases]
    right.set_xlim(-0.5, 0.5)
    right.set_ylim(min(inputs) - 0.5, max(inputs) + 0.5)
    right.axvline(0, color=GRAY, linewidth=0.8)
    right.set_xlabel("这一步权重改变多少（−weight_delta）")
    right.set_ylabel("input")
    figure.suptitle(title)
    return figure


# --8<-- [start:plot_properties]
def plot_scaling():
    """缩放：预测都比目标高 0.2，输入越大，误差曲线越陡，这一步也越大。"""
    return _plot_weight_steps([(0.5, 2.0), (1.0, 1.0), (2.0, 0.5)], "缩放：输入越大，步子越大")


def plot_negative():
    """负值反转：输入一正一负，同样的“预测太高”，权重却往相反方向改。"""
    return _plot_weight_steps([(1.0, 1.0), (-1.0, -1.0)], "负值反转：输入为负，权重的方向反过来")


def plot_stop():
    """停止：输入为 0 时误差与权重无关，曲线是平的，权重不动。"""
    return _plot_weight_steps([(1.0, 1.0), (0.0, 0.5)], "停止：输入为 0，权重不动")
# --8<-- [end:plot_properties]


# --8<-- [start:plot_learning_rates]
def plot_learning_rates():
    """input 2、目标 0.8、初始权重 0.5，几种学习率下误差与预测随迭代的变化。"""
    figure, (left, right) = new_figure(ncols=2, width=9.0, height=3.8)
    for color, alpha in zip(COLORS, [0.01, 0.1, 0.45, 0.6, 1.0]):
        history, diverged_at = train(input=2, goal_pred=0.8, weight=0.5, iterations=20, alpha=alpha)
        errors = [error for error, _ in history]
        predictions = [prediction for _, prediction in history]
        factor = 1 - alpha * 2 ** 2
        label = f"alpha = {alpha:g}（delta 每次 ×{factor:+.2f}）"
        if alpha == 1.0:
            label = "不用 alpha（= 1，delta 每次 ×−3）"
        steps = range(1, len(history) + 1)
        left.semilogy(steps, errors, "o-", color=color, markersize=3, label=label)
        if diverged_at is None and abs(factor) < 1:  # 右图只画收敛的几条
            right.plot(steps, predictions, "o-", color=color, markersize=3, label=f"alpha = {alpha:g}")
        if diverged_at is not None:
            left.plot([len(history)], [errors[-1]], "x", color=color, markersize=10, mew=2)
    left.axhline(MAX_ERROR, color=RED, linestyle=":", linewidth=1)
    left.text(20, MAX_ERROR * 2, "发散上限", color=RED, ha="right", fontsize=9)
    left.set_xlabel("迭代次数")
    left.set_ylabel("误差（对数坐标）")
    left.set_xticks([1, 5, 10, 15, 20])
    left.legend(loc="lower left", fontsize=8)
    right.axhline(0.8, color=GRAY, linestyle="--", linewidth=1)
    right.text(20, 0.74, "目标 0.8", color=GRAY, ha="right", va="top", fontsize=9)
    right.set_title("收敛的几条：预测怎样走向目标", fontsize=10)
    right.legend(loc="upper right", fontsize=8)
    right.set_xticks([1, 5, 10, 15, 20])
    right.set_xlabel("迭代次数")
    right.set_ylabel("预测")
    figure.suptitle("学习率：太小走得慢，适中收敛，太大来回越跳越远")
    return figure
# --8<-- [end:plot_learning_rates]


FIGURES = {
    "surface": plot_surface,
    "contour": plot_contour,
    "walk_frames": plot_walk_frames,
    "partials": plot_partials,
    "scaling": plot_scaling,
    "negative": plot_negative,
    "stop": plot_stop,
    "learning_rates": plot_learning_rates,
}

if __name__ == "__main__":
    main()
