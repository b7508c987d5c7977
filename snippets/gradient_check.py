"""第 5 章　完整的数学推导（第 2 页）：梯度检查。

用中心差分把上一页 backward 算出的梯度重新算出来，逐组比较；再看 ReLU 的折点、差分步长 h 和接近 0 的梯度。

运行 `python -m snippets.gradient_check` 打印这一页的例子。
"""

# --8<-- [start:imports]
import numpy as np

from snippets.chain_rule import relu, relu2deriv
from snippets.checks import check_count, check_positive
from snippets.derivation import PARAMETER_NAMES, backward, batch_error, check_network, forward, init_network
from snippets.style import BLUE, GRAY, GREEN, ORANGE, RED, new_figure
# --8<-- [end:imports]


# --8<-- [start:random_problem]
def random_problem(batch_size, input_size, hidden_size, output_size, seed=0, margin=1e-3):
    """一个随机的小问题：输入、真实值和网络参数。

    参数会重新抽取，直到每个预激活值离 ReLU 的折点都至少有 margin 远，并且有打开的、也有关闭的
    （全部关闭时 W1、b1、W2 的梯度恒为 0，检查会“通过”，对这三组其实什么也没有检查；全部打开时 relu′ 处处是 1，
    忘了乘 relu2deriv 的反向传播也能通过）。
    """
    # 检查传进来的值：不合理就立刻报错
    check_count(batch_size=batch_size, input_size=input_size, hidden_size=hidden_size, output_size=output_size)
    check_positive(margin=margin)
    if batch_size * hidden_size < 2:
        raise ValueError("batch_size × hidden_size 至少要是 2：预激活值要有正有负，才能检查到 relu′ 的两种取值")
    rng = np.random.default_rng(seed)
    layer_0 = rng.normal(size=(batch_size, input_size))  # 正态分布的随机数，和上一页的小例子一样
    goal = rng.normal(size=(batch_size, output_size))
    for attempt in range(100):
        # seed 也可以是 rng 本身（default_rng 原样返回它）：同一个 rng 接着抽，每次的参数都不同
        params = init_network(input_size, hidden_size, output_size, rng)
        pre_activation = layer_0.dot(params["weights_0_1"]) + params["bias_1"]
        if np.min(np.abs(pre_activation)) >= margin and np.any(pre_activation > 0) and np.any(pre_activation < 0):
            return layer_0, goal, params
    raise RuntimeError(f"抽了 100 次，都没有抽到离折点至少 margin={margin}、又有正有负的预激活值："
                       f"预激活值有 batch_size × hidden_size 个，越多越难全部避开折点，请把 margin 调小")
# --8<-- [end:random_problem]


# --8<-- [start:numerical_gradients]
def numerical_gradients(layer_0, goal, params, h=1e-5, activation=relu):
    """中心差分：每个参数单独加 h、减 h，各算一次误差，(E₊ − E₋) / 2h 就是这个参数的数值梯度。"""
    params = {name: np.array(value, dtype=float) for name, value in params.items()}  # 不改调用者的参数
    gradients = {}
    for name in PARAMETER_NAMES:
        param = params[name]
        gradient = np.zeros_like(param)  # 和 param 同形、全是 0 的数组
        for index in np.ndindex(param.shape):  # 依次取出每个元素的下标：(0, 0)、(0, 1)、……
            original = param[index]
            param[index] = original + h
            error_plus = batch_error(forward(layer_0, params, activation)[1], goal)
            param[index] = original - h
            error_minus = batch_error(forward(layer_0, params, activation)[1], goal)
            param[index] = original
            gradient[index] = (error_plus - error_minus) / (2 * h)
        gradients[name] = gradient
    return gradients
# --8<-- [end:numerical_gradients]


# --8<-- [start:relative_error]
def relative_error(a, b):
    """相对误差 ‖a − b‖ / (‖a‖ + ‖b‖)，在 0 和 1 之间；两者都为 0 时记为 0。"""
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)
# --8<-- [end:relative_error]


# --8<-- [start:kink_distance]
def kink_distance(layer_0, params):
    """所有预激活值 Z1 = X W1 + b1 里，离 ReLU 的折点 0 最近的那个有多近。"""
    return float(np.min(np.abs(layer_0.dot(params["weights_0_1"]) + params["bias_1"])))


def kink_reach(layer_0, h):
    """给一个参数加减 h，最多能把某个 Z1 推动多远：改 W1[p, q] 推动 h·|X[i, p]|，改 b1 推动 h。"""
    return h * max(1.0, float(np.max(np.abs(layer_0))))
# --8<-- [end:kink_distance]


# --8<-- [start:gradient_check]
def gradient_check(layer_0, goal, params, h=1e-5, activation=relu, activation2deriv=relu2deriv):
    """比较反向传播与中心差分，返回每组参数的相对误差。

    用 ReLU 时，如果有预激活值在 h 能推到的范围内，就拒绝检查：那里的差分可能跨过折点，结果不可信。
    """
    # 检查传进来的值：不合理就立刻报错（params 要四组齐全、形状和 layer_0、goal 对得上；h 必须是正数）
    check_network(layer_0, goal, params)
    check_positive(h=h)
    if activation is relu and kink_distance(layer_0, params) <= kink_reach(layer_0, h):
        raise ValueError(
            f"有预激活值离 ReLU 的折点只有 {kink_distance(layer_0, params):.1e}，"
            f"不超过差分步长 h 能推到的 {kink_reach(layer_0, h):.1e}：换一个点，或者跳过它"
        )
    analytic = backward(layer_0, goal, params, activation, activation2deriv)
    numeric = numerical_gradients(layer_0, goal, params, h, activation)
    return {name: relative_error(analytic[name], numeric[name]) for name in PARAMETER_NAMES}
# --8<-- [end:gradient_check]


# --8<-- [start:tanh]
def tanh2deriv(output):
    """tanh 的导数，用 tanh 的输出来算：1 − tanh(z)²。"""
    return 1 - output ** 2
# --8<-- [end:tanh]


# --8<-- [start:step_size_errors]
def step_size_errors(steps, activation=relu, activation2deriv=relu2deriv, seed=0):
    """对同一个随机小网络，用不同的差分步长 h 做梯度检查，返回每个 h 下四组参数里最大的相对误差。

    这里直接调用 numerical_gradients，不做折点检查：大的 h 跨过折点时会发生什么，正是要看的。
    """
    layer_0, goal, params = random_problem(4, 3, 5, 2, seed=seed)
    analytic = backward(layer_0, goal, params, activation, activation2deriv)
    worst = []
    for h in steps:
        numeric = numerical_gradients(layer_0, goal, params, h, activation)
        worst.append(max(relative_error(analytic[name], numeric[name]) for name in PARAMETER_NAMES))
    return worst
# --8<-- [end:step_size_errors]


def main():
    # --8<-- [start:check_many]
    print("     形状 n,d,m,k  种子    W1        b1        W2        b2")
    for shape in [(1, 3, 4, 1), (4, 3, 4, 1), (8, 5, 6, 3), (16, 10, 8, 2)]:
        for seed in [0, 1, 2]:
            layer_0, goal, params = random_problem(*shape, seed=seed)
            errors = gradient_check(layer_0, goal, params, h=1e-5)
            row = "  ".join(f"{errors[name]:.1e}" for name in PARAMETER_NAMES)
            print(f"{str(shape):>16}  {seed}    {row}")
    # --8<-- [end:check_many]

    # --8<-- [start:kink_example]
    h = 1e-5
    layer_0, goal, params = random_problem(4, 3, 5, 2, seed=0)
    pre_activation = layer_0.dot(params["weights_0_1"]) + params["bias_1"]
    params["bias_1"][0, 0] -= pre_activation[0, 0] - h / 3  # 把第 1 个样本的第 1 个隐藏单元挪到 Z1 = h/3
    print(f"离折点最近的预激活值: {kink_distance(layer_0, params):.1e}（差分步长 h = {h:.0e}）")
    analytic = backward(layer_0, goal, params)
    numeric = numerical_gradients(layer_0, goal, params, h)
    for name in PARAMETER_NAMES:
        print(f"{name:<12} 相对误差 {relative_error(analytic[name], numeric[name]):.1e}")
    # --8<-- [end:kink_example]

    # --8<-- [start:epsilon]
    epsilon = np.finfo(float).eps
    print(f"float64 的机器精度 ε = {epsilon:.3e}")
    print(f"中心差分的最佳差分步长约为 ε^(1/3) = {epsilon ** (1 / 3):.2e}")
    print(f"那里数值梯度的偏离量约为 ε^(2/3) = {epsilon ** (2 / 3):.1e}")
    print(f"前向差分的最佳差分步长约为 ε^(1/2) = {epsilon ** (1 / 2):.2e}")
    # --8<-- [end:epsilon]

    # --8<-- [start:zero_gradient]
    layer_0, goal, params = random_problem(8, 5, 6, 3, seed=0)
    layer_2 = forward(layer_0, params)[1]
    params["bias_2"] -= np.mean(layer_2 - goal, axis=0, keepdims=True)  # b2 取最好的值：∂E/∂b2 = 0
    analytic = backward(layer_0, goal, params)["bias_2"]
    numeric = numerical_gradients(layer_0, goal, params)["bias_2"]
    print("反向传播的 ∂E/∂b2:", "  ".join(f"{g:.1e}" for g in analytic.ravel()))
    print("数值梯度 ∂E/∂b2:  ", "  ".join(f"{g:.1e}" for g in numeric.ravel()))
    print(f"相对误差 {relative_error(analytic, numeric):.1e}，两者之差的绝对值最大 {np.max(np.abs(analytic - numeric)):.1e}")
    errors = gradient_check(layer_0, goal, params)
    print("gradient_check:", "  ".join(f"{name} {errors[name]:.1e}" for name in PARAMETER_NAMES))
    # --8<-- [end:zero_gradient]


def exercise_forward_difference():
    # --8<-- [start:exercise_forward_difference]
    layer_0, goal, params = random_problem(batch_size=4, input_size=3, hidden_size=5, output_size=2, seed=0)
    analytic = backward(layer_0, goal, params)["weights_1_2"]
    for h in [1e-3, 1e-5, 1e-7]:
        params_plus = {name: value.copy() for name, value in params.items()}
        forward_diff = np.zeros_like(analytic)
        error = batch_error(forward(layer_0, params)[1], goal)
        for index in np.ndindex(analytic.shape):
            params_plus["weights_1_2"][index] += h
            forward_diff[index] = (batch_error(forward(layer_0, params_plus)[1], goal) - error) / h
            params_plus["weights_1_2"][index] = params["weights_1_2"][index]
        central = numerical_gradients(layer_0, goal, params, h)["weights_1_2"]
        print(f"h = {h:.0e}   前向差分 {relative_error(analytic, forward_diff):.1e}"
              f"   中心差分 {relative_error(analytic, central):.1e}")
    # --8<-- [end:exercise_forward_difference]


# --8<-- [start:plot_step_size]
def plot_step_size():
    """梯度检查的相对误差随差分步长 h 的变化（双对数坐标）。"""
    steps = np.logspace(-12, -1, 45)
    epsilon = np.finfo(float).eps
    smooth = np.array(step_size_errors(steps, np.tanh, tanh2deriv))
    kinked = np.array(step_size_errors(steps, relu, relu2deriv))

    figure, ax = new_figure(height=5.2)
    ax.loglog(steps, smooth, "o-", color=BLUE, markersize=3, label="tanh（光滑）")
    ax.loglog(steps, kinked, "s-", color=ORANGE, markersize=3, label="ReLU")
    left, right = steps < 1e-8, steps > 1e-3
    # 两条参考线：舍入误差 ∝ ε/h，截断误差 ∝ h²；画在曲线上方 10 倍处，只看斜率
    ax.loglog(steps[left], 10 * smooth[5] * steps[5] / steps[left], "--", color=GRAY, label="斜率 −1：舍入误差 ∝ ε/h")
    ax.loglog(steps[right], 10 * smooth[-3] * (steps[right] / steps[-3]) ** 2, ":", color=GRAY, linewidth=2,
              label="斜率 2：截断误差 ∝ h²")
    optimum = epsilon ** (1 / 3)
    ax.axvline(optimum, color=GREEN, linewidth=1)
    ax.annotate(f"ε^(1/3) ≈ {optimum:.0e}", xy=(optimum, 1e-3), xytext=(optimum * 3, 1e-2), color=GREEN,
                arrowprops={"arrowstyle": "->", "color": GREEN})
    ax.axhline(1e-6, color=RED, linewidth=1, linestyle="--")
    ax.text(2e-7, 2e-6, "阈值 1e-6", color=RED)
    ax.set_xlabel("差分步长 h")
    ax.set_ylabel("相对误差（四组中最大）")
    figure.legend(loc="outside lower center", ncol=2)  # 图例放在图的下方，不挡曲线
    return figure
# --8<-- [end:plot_step_size]


FIGURES = {
    "step_size": plot_step_size,
}

EXERCISES = [exercise_forward_difference]

if __name__ == "__main__":
    main()
    for exercise in EXERCISES:
        exercise()
