"""第 5 章　完整的数学推导（第 1 页）。

运行 `python -m snippets.derivation` 打印这一页的例子。
"""

# --8<-- [start:imports]
import numpy as np

from snippets.checks import check_count, check_finite, check_positive, check_shape
from snippets.style import BLUE, GRAY, ORANGE, RED, new_figure
# --8<-- [end:imports]


# --8<-- [start:scalar_gradient]
def scalar_error(input, weight, goal_pred):
    """一个输入、一个权重：误差 E = (pred − goal_pred)²。"""
    check_finite(input=input, weight=weight, goal_pred=goal_pred)
    pred = input * weight
    return (pred - goal_pred) ** 2


def scalar_gradient(input, weight, goal_pred):
    """E 对权重的导数：dE/dw = 2 · (pred − goal_pred) · input。"""
    check_finite(input=input, weight=weight, goal_pred=goal_pred)
    pred = input * weight
    delta = pred - goal_pred
    return 2 * delta * input
# --8<-- [end:scalar_gradient]


# --8<-- [start:central_difference]
def central_difference(function, weight, h=1e-5):
    """数值导数：在 weight 两边各走 h，用两点连线的斜率近似切线的斜率。"""
    check_finite(weight=weight)
    check_positive(h=h)
    return (function(weight + h) - function(weight - h)) / (2 * h)
# --8<-- [end:central_difference]


# --8<-- [start:train_scalar]
def train_scalar(input, goal_pred, weight, alpha, iterations, factor=1):
    """书里的梯度下降：weight -= alpha * (factor * delta * input)。

    factor=1 是书的写法（没有 2），factor=2 用的是真正的导数。返回每一步之后的权重。
    """
    check_finite(input=input, goal_pred=goal_pred, weight=weight)
    check_positive(alpha=alpha, factor=factor)
    check_count(iterations=iterations)
    weights = [weight]
    for iteration in range(iterations):
        pred = input * weight
        delta = pred - goal_pred
        weight_delta = factor * delta * input
        weight = weight - alpha * weight_delta
        if not abs(weight) < 1e12:
            raise RuntimeError(f"训练发散了：第 {iteration + 1} 次迭代后权重已超过 1e12，请减小 alpha")
        weights.append(weight)
    return weights
# --8<-- [end:train_scalar]


# --8<-- [start:activations]
def relu(x):
    """ReLU：正数原样通过，负数变成 0。"""
    return (x > 0) * x


def relu2deriv(output):
    """ReLU 的导数，用 ReLU 的输出来算：输出 > 0 的地方斜率是 1，其余是 0。"""
    return output > 0


def tanh2deriv(output):
    """tanh 的导数，同样用输出来算：1 − tanh(z)²。（讨论步长 h 时要用一个光滑的激活函数。）"""
    return 1 - output ** 2


ACTIVATIONS = {"relu": (relu, relu2deriv), "tanh": (np.tanh, tanh2deriv)}
# --8<-- [end:activations]


# --8<-- [start:init_network]
PARAMETER_NAMES = ("weights_0_1", "bias_1", "weights_1_2", "bias_2")  # W1, b1, W2, b2


def init_network(input_size, hidden_size, output_size, seed=0):
    """两层网络的四组参数，都取 [−1, 1) 里的随机数（和书一样用 2·random − 1）。"""
    check_count(input_size=input_size, hidden_size=hidden_size, output_size=output_size)
    rng = np.random.default_rng(seed)
    return {
        "weights_0_1": 2 * rng.random((input_size, hidden_size)) - 1,  # W1：d×m
        "bias_1": 2 * rng.random((1, hidden_size)) - 1,  # b1：1×m
        "weights_1_2": 2 * rng.random((hidden_size, output_size)) - 1,  # W2：m×k
        "bias_2": 2 * rng.random((1, output_size)) - 1,  # b2：1×k
    }
# --8<-- [end:init_network]


# --8<-- [start:check_network]
def check_network(layer_0, params, labels=None, activation="relu"):
    """检查输入、参数（和真实值）的形状彼此相符，并且都是有限的数。"""
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation 应为 {sorted(ACTIVATIONS)} 之一，收到的是 {activation!r}")
    if not isinstance(params, dict) or sorted(params) != sorted(PARAMETER_NAMES):
        raise ValueError(f"params 应是含有 {', '.join(PARAMETER_NAMES)} 的字典")
    check_finite(layer_0=layer_0, **params)
    check_shape("layer_0", layer_0, (None, None))
    if len(layer_0) == 0:
        raise ValueError("layer_0 至少要有一行（一个样本）")
    input_size = np.shape(layer_0)[1]
    check_shape("weights_0_1", params["weights_0_1"], (input_size, None))
    hidden_size = np.shape(params["weights_0_1"])[1]
    check_shape("bias_1", params["bias_1"], (1, hidden_size))
    check_shape("weights_1_2", params["weights_1_2"], (hidden_size, None))
    output_size = np.shape(params["weights_1_2"])[1]
    check_shape("bias_2", params["bias_2"], (1, output_size))
    if labels is not None:
        check_finite(labels=labels)
        check_shape("labels", labels, (len(layer_0), output_size))
# --8<-- [end:check_network]


# --8<-- [start:forward]
def forward(layer_0, params, activation="relu"):
    """前向传播。layer_0 = X（n×d），返回 layer_1 = A1（n×m）和 layer_2 = Ŷ（n×k）。"""
    check_network(layer_0, params, activation=activation)
    activate, _ = ACTIVATIONS[activation]
    layer_1 = activate(layer_0.dot(params["weights_0_1"]) + params["bias_1"])  # A1 = relu(X W1 + b1)
    layer_2 = layer_1.dot(params["weights_1_2"]) + params["bias_2"]  # Ŷ = A1 W2 + b2
    return layer_1, layer_2


def batch_error(layer_2, labels):
    """本章的误差：E = 1/(2n) · Σ(Ŷ − Y)²，即每个样本平方误差之和的一半，再对 n 个样本取平均。"""
    check_finite(layer_2=layer_2, labels=labels)
    check_shape("labels", labels, np.shape(layer_2))
    n = len(labels)
    return np.sum((layer_2 - labels) ** 2) / (2 * n)
# --8<-- [end:forward]


# --8<-- [start:backward]
def backward(layer_0, labels, params, activation="relu"):
    """反向传播：返回 E 对四组参数的梯度，形状与参数相同。"""
    check_network(layer_0, params, labels, activation)
    _, activate2deriv = ACTIVATIONS[activation]
    layer_1, layer_2 = forward(layer_0, params, activation)
    n = len(layer_0)

    layer_2_delta = (layer_2 - labels) / n  # Δ2 = ∂E/∂Ŷ，n×k
    layer_1_delta = layer_2_delta.dot(params["weights_1_2"].T) * activate2deriv(layer_1)  # Δ1 = ∂E/∂Z1，n×m

    return {
        "weights_0_1": layer_0.T.dot(layer_1_delta),  # ∂E/∂W1 = Xᵀ Δ1，d×m
        "bias_1": layer_1_delta.sum(axis=0, keepdims=True),  # ∂E/∂b1 = 1ᵀ Δ1，1×m
        "weights_1_2": layer_1.T.dot(layer_2_delta),  # ∂E/∂W2 = A1ᵀ Δ2，m×k
        "bias_2": layer_2_delta.sum(axis=0, keepdims=True),  # ∂E/∂b2 = 1ᵀ Δ2，1×k
    }
# --8<-- [end:backward]


# --8<-- [start:random_problem]
def random_problem(batch_size, input_size, hidden_size, output_size, seed=0, margin=1e-3):
    """一个随机的小问题：输入、真实值和网络参数。

    参数会重新抽取，直到每个预激活值离 ReLU 的拐点都至少有 margin 远，
    并且至少有一个隐藏单元是打开的（全部关闭时梯度全是 0，检查不出任何东西）。
    """
    check_count(batch_size=batch_size, input_size=input_size)
    check_count(hidden_size=hidden_size, output_size=output_size)
    check_positive(margin=margin)
    rng = np.random.default_rng(seed)
    layer_0 = rng.normal(size=(batch_size, input_size))
    labels = rng.normal(size=(batch_size, output_size))
    for attempt in range(100):
        params = init_network(input_size, hidden_size, output_size, rng)
        pre_activation = layer_0.dot(params["weights_0_1"]) + params["bias_1"]
        if np.min(np.abs(pre_activation)) >= margin and np.any(pre_activation > 0):
            return layer_0, labels, params
    raise RuntimeError(f"抽了 100 次都有预激活值离拐点不到 margin={margin}：请减小 margin")
# --8<-- [end:random_problem]


# --8<-- [start:train]
def train(layer_0, labels, hidden_size, alpha, iterations, seed=0, use_bias=True):
    """整批梯度下降：每次迭代用全部样本算一次梯度，四组参数一起更新。

    use_bias=False 时两个偏置始终为 0（也就是种子笔记里的写法）。返回参数和每次迭代的误差。
    """
    check_finite(layer_0=layer_0, labels=labels)
    check_positive(alpha=alpha)
    check_count(hidden_size=hidden_size, iterations=iterations)
    params = init_network(np.shape(layer_0)[1], hidden_size, np.shape(labels)[1], seed)
    if not use_bias:
        params["bias_1"][:] = 0
        params["bias_2"][:] = 0
    errors = []
    for iteration in range(iterations):
        error = batch_error(forward(layer_0, params)[1], labels)
        errors.append(error)
        gradients = backward(layer_0, labels, params)
        for name in PARAMETER_NAMES:
            if use_bias or name.startswith("weights"):
                params[name] = params[name] - alpha * gradients[name]
        if not np.all([np.all(np.abs(p) < 1e12) for p in params.values()]):
            raise RuntimeError(f"训练发散了：第 {iteration + 1} 次迭代后有参数超过 1e12，请减小 alpha")
    return params, errors
# --8<-- [end:train]


def main():
    # --8<-- [start:scalar_example]
    input, weight, goal_pred = 2, 0.5, 0.8  # 第 1 章的例子

    pred = input * weight
    delta = pred - goal_pred
    print("pred =", pred, " delta =", delta)
    print("真正的导数 2·delta·input =", scalar_gradient(input, weight, goal_pred))
    print("书里的 weight_delta = delta·input =", delta * input)
    slope = central_difference(lambda w: scalar_error(input, w, goal_pred), weight)
    print(f"中心差分（h = 1e-5）= {slope:.10f}")
    # --8<-- [end:scalar_example]

    # --8<-- [start:drop_the_two]
    book = train_scalar(input=2, goal_pred=0.8, weight=0.5, alpha=0.1, iterations=20, factor=1)
    with_two = train_scalar(input=2, goal_pred=0.8, weight=0.5, alpha=0.05, iterations=20, factor=2)
    for step in [1, 2, 3, 20]:
        print(f"第 {step:2d} 步后  书的写法: {book[step]!r:<20}  带 2、α 减半: {with_two[step]!r}")
    print("20 步的权重逐位相同:", book == with_two)
    # --8<-- [end:drop_the_two]

    # --8<-- [start:shapes]
    layer_0, labels, params = random_problem(batch_size=5, input_size=3, hidden_size=4, output_size=2)
    layer_1, layer_2 = forward(layer_0, params)
    gradients = backward(layer_0, labels, params)
    print("X  = layer_0 ", layer_0.shape, "   Y = labels ", labels.shape)
    print("A1 = layer_1 ", layer_1.shape, "   Ŷ = layer_2", layer_2.shape)
    for name in PARAMETER_NAMES:
        print(f"{name:<12} {params[name].shape}   梯度 {gradients[name].shape}")
    print(f"E = {batch_error(layer_2, labels):.6f}")
    # --8<-- [end:shapes]

    # --8<-- [start:book_lines]
    alpha = 0.1
    layer_0, label = layer_0[0:1], labels[0:1]  # 书里一次只取一行：n = 1
    weights_0_1, weights_1_2 = params["weights_0_1"], params["weights_1_2"]
    layer_1, layer_2 = forward(layer_0, params)

    layer_2_delta = layer_2 - label
    layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1)
    book_step_1_2 = alpha * layer_1.T.dot(layer_2_delta)
    book_step_0_1 = alpha * layer_0.T.dot(layer_1_delta)

    gradients = backward(layer_0, label, params)
    print("weights_1_2 的更新量与 α·∂E/∂W2 相差", np.max(np.abs(book_step_1_2 - alpha * gradients["weights_1_2"])))
    print("weights_0_1 的更新量与 α·∂E/∂W1 相差", np.max(np.abs(book_step_0_1 - alpha * gradients["weights_0_1"])))
    # --8<-- [end:book_lines]


def exercise_bias():
    # --8<-- [start:exercise_bias]
    xnor_inputs = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    xnor_labels = np.array([[1.0], [0.0], [0.0], [1.0]])  # 同为 0 或同为 1 时是 1
    for use_bias in [False, True]:
        params, errors = train(xnor_inputs, xnor_labels, hidden_size=8, alpha=0.2,
                               iterations=500, seed=0, use_bias=use_bias)
        predictions = forward(xnor_inputs, params)[1].ravel()
        print(f"use_bias={use_bias!s:<5}  最后的误差 {errors[-1]:.6f}  预测 {np.round(predictions, 3)}")
    # --8<-- [end:exercise_bias]


def exercise_batch_average():
    # --8<-- [start:exercise_batch_average]
    layer_0, labels, params = random_problem(batch_size=6, input_size=3, hidden_size=4, output_size=2, seed=7)
    whole_batch = backward(layer_0, labels, params)
    for name in PARAMETER_NAMES:
        one_row_each = [backward(layer_0[i:i + 1], labels[i:i + 1], params)[name] for i in range(6)]
        difference = np.max(np.abs(whole_batch[name] - np.mean(one_row_each, axis=0)))
        print(f"{name:<12} 整批梯度与 6 个单行梯度的平均相差 {difference:.1e}")
    # --8<-- [end:exercise_batch_average]


# --8<-- [start:plot_computation_graph]
def plot_computation_graph():
    """计算图：上面一行是前向传播，下面的箭头是反向传播传回来的梯度。"""
    figure, ax = new_figure(width=8.0, height=3.6)
    ax.set_axis_off()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 4.2)
    nodes = {
        "X": (0.6, 2.6, "$X$\nlayer_0\nn×d"),
        "Z1": (2.7, 2.6, "$Z_1$\nn×m"),
        "A1": (4.8, 2.6, "$A_1$\nlayer_1\nn×m"),
        "Y": (6.9, 2.6, "$\\hat{Y}$\nlayer_2\nn×k"),
        "E": (9.0, 2.6, "$E$\n1×1"),
    }
    for x, y, text in nodes.values():
        ax.text(x, y, text, ha="center", va="center", fontsize=10,
                bbox={"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": BLUE})
    forward_labels = ["$XW_1+b_1$", "relu", "$A_1W_2+b_2$", "$\\frac{1}{2n}\\Sigma(\\hat{Y}-Y)^2$"]
    names = list(nodes)
    for (a, b), label in zip(zip(names, names[1:]), forward_labels):
        (x0, y0, _), (x1, y1, _) = nodes[a], nodes[b]
        ax.annotate("", xy=(x1 - 0.6, y1), xytext=(x0 + 0.6, y0),
                    arrowprops={"arrowstyle": "->", "color": BLUE, "linewidth": 1.5})
        ax.text((x0 + x1) / 2, y0 + 0.15, label, ha="center", va="bottom", color=BLUE, fontsize=9)
    for x, label in [(1.65, "$W_1,\\ b_1$"), (5.85, "$W_2,\\ b_2$")]:
        ax.annotate(label, xy=(x, 3.2), xytext=(x, 4.0), ha="center", color=GRAY, fontsize=9,
                    arrowprops={"arrowstyle": "->", "color": GRAY, "linestyle": "--"})
    backward_labels = [
        ("E", "Y", "$\\Delta_2=(\\hat{Y}-Y)/n$"),
        ("Y", "A1", "$\\Delta_2 W_2^T$"),
        ("A1", "Z1", "$\\Delta_1=\\Delta_2W_2^T\\odot 1[Z_1>0]$"),
    ]
    for a, b, label in backward_labels:
        (x0, _, _), (x1, _, _) = nodes[a], nodes[b]
        ax.annotate("", xy=(x1 + 0.3, 1.45), xytext=(x0 - 0.3, 1.45),
                    arrowprops={"arrowstyle": "->", "color": ORANGE, "linewidth": 1.5,
                                "connectionstyle": "arc3,rad=-0.25"})
        ax.text((x0 + x1) / 2, 0.85, label, ha="center", color=ORANGE, fontsize=9)
    ax.text(5.85, 0.2, "$\\partial E/\\partial W_2=A_1^T\\Delta_2,\\ \\ \\partial E/\\partial b_2=1^T\\Delta_2$",
            ha="center", color=RED, fontsize=9)
    ax.text(1.65, 0.2, "$\\partial E/\\partial W_1=X^T\\Delta_1,\\ \\ \\partial E/\\partial b_1=1^T\\Delta_1$",
            ha="center", color=RED, fontsize=9)
    ax.text(9.0, 1.45, "反向（橙色）", ha="center", color=ORANGE, fontsize=9)
    ax.text(9.0, 3.7, "前向（蓝色）", ha="center", color=BLUE, fontsize=9)
    return figure
# --8<-- [end:plot_computation_graph]


FIGURES = {
    "computation_graph": plot_computation_graph,
}

EXERCISES = [exercise_bias, exercise_batch_average]

if __name__ == "__main__":
    main()
    for exercise in EXERCISES:
        exercise()
