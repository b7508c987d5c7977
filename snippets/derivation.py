"""第 5 章　完整的数学推导（第 1 页）。

运行 `python -m snippets.derivation` 打印这一页的例子。
"""

# --8<-- [start:imports]
import numpy as np

from snippets.backprop import streetlights, walk_vs_stop
from snippets.checks import check_count, check_finite, check_positive, check_shape
from snippets.style import BLUE, GRAY, ORANGE, PAPER, new_figure
# --8<-- [end:imports]


# --8<-- [start:scalar_gradient]
def scalar_error(input, weight, goal_pred):
    """一个输入、一个权重：误差 E = (pred − goal_pred)²。"""
    pred = input * weight
    return (pred - goal_pred) ** 2


def scalar_gradient(input, weight, goal_pred):
    """E 对权重的导数：dE/dw = 2 · (pred − goal_pred) · input。"""
    pred = input * weight
    delta = pred - goal_pred
    return 2 * delta * input
# --8<-- [end:scalar_gradient]


# --8<-- [start:central_difference]
def central_difference(function, weight, h=1e-5):
    """数值导数：在 weight 两边各走 h，用两点连线的斜率近似切线的斜率。"""
    return (function(weight + h) - function(weight - h)) / (2 * h)
# --8<-- [end:central_difference]


# --8<-- [start:train_scalar]
def train_scalar(input, goal_pred, weight, alpha, steps, factor=1):
    """原书第 4 章的梯度下降：weight -= alpha * (factor * delta * input)。

    factor=1 是书的写法（没有 2），factor=2 用的是真正的导数。返回起点和每一步之后的权重。
    """
    check_finite(input=input, goal_pred=goal_pred, weight=weight)
    check_positive(alpha=alpha, factor=factor)
    check_count(steps=steps)
    weights = [weight]
    for step in range(steps):
        pred = input * weight
        delta = pred - goal_pred
        weight_delta = factor * delta * input
        weight = weight - alpha * weight_delta
        if not abs(weight) < 1e12:
            raise RuntimeError(f"训练发散了：第 {step + 1} 步后权重已超过 1e12，请减小 alpha")
        weights.append(weight)
    return weights
# --8<-- [end:train_scalar]


# --8<-- [start:chain]
def chain(x, y, weight_0_1, weight_1_2):
    """一层一个单元：x → z → a → ŷ → E。返回误差和它对两个权重的导数。"""
    z = x * weight_0_1
    a = max(z, 0.0)  # relu
    y_hat = a * weight_1_2
    error = 0.5 * (y_hat - y) ** 2

    dE_dy_hat = y_hat - y  # ∂E/∂ŷ = ŷ − y，就是 layer_2_delta
    dE_dweight_1_2 = dE_dy_hat * a  # ∂ŷ/∂w₂ = a
    dE_da = dE_dy_hat * weight_1_2  # ∂ŷ/∂a = w₂
    dE_dz = dE_da * (z > 0)  # ∂a/∂z = relu′(z)；得到的就是 layer_1_delta
    dE_dweight_0_1 = dE_dz * x  # ∂z/∂w₁ = x
    return error, dE_dweight_0_1, dE_dweight_1_2
# --8<-- [end:chain]


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
    """两层网络的四组参数，都取 [−1, 1) 里的随机数（和原书第 6 章一样用 2·random − 1）。"""
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


# --8<-- [start:outer_prod]
def outer_prod(a, b):
    """外积：第 i 行第 j 列是 a[i] × b[j]（原书第 5 章的 outer_prod 做的就是这件事）。"""
    return np.array([[a_i * b_j for b_j in b] for a_i in a])
# --8<-- [end:outer_prod]


# --8<-- [start:train]
def train(layer_0, labels, hidden_size, alpha, iterations, seed=0, use_bias=True):
    """全批量梯度下降：每一步用全部样本算一次梯度，四组参数一起更新（一步就是一轮）。

    use_bias=False 时两个偏置始终为 0（也就是笔记里的写法）。返回参数和每一步之前的误差。
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
            raise RuntimeError(f"训练发散了：第 {iteration + 1} 步后有参数超过 1e12，请减小 alpha")
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
    book = train_scalar(input=2, goal_pred=0.8, weight=0.5, alpha=0.1, steps=20, factor=1)
    with_two = train_scalar(input=2, goal_pred=0.8, weight=0.5, alpha=0.05, steps=20, factor=2)
    for step in [1, 2, 3, 20]:
        print(f"第 {step:2d} 步后  书的写法: {book[step]!r:<20}  带 2、α 减半: {with_two[step]!r}")
    print("20 步的权重逐位相同:", book == with_two)
    # --8<-- [end:drop_the_two]

    # --8<-- [start:chain_example]
    x, y, weight_0_1, weight_1_2 = 2.0, 1.0, 0.5, 0.6
    error, dE_dweight_0_1, dE_dweight_1_2 = chain(x, y, weight_0_1, weight_1_2)
    print(f"E = {error:.4g}   ∂E/∂w₁ = {dE_dweight_0_1:.4g}   ∂E/∂w₂ = {dE_dweight_1_2:.4g}")
    slope_0_1 = central_difference(lambda w: chain(x, y, w, weight_1_2)[0], weight_0_1)
    slope_1_2 = central_difference(lambda w: chain(x, y, weight_0_1, w)[0], weight_1_2)
    print(f"中心差分：∂E/∂w₁ ≈ {slope_0_1:.10f}   ∂E/∂w₂ ≈ {slope_1_2:.10f}")
    # --8<-- [end:chain_example]

    # --8<-- [start:shapes]
    rng = np.random.default_rng(0)
    layer_0, labels = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))  # n = 5, d = 3, k = 2
    params = init_network(input_size=3, hidden_size=4, output_size=2, seed=0)  # m = 4
    layer_1, layer_2 = forward(layer_0, params)
    gradients = backward(layer_0, labels, params)
    print("X  = layer_0 ", layer_0.shape, "   Y = labels ", labels.shape)
    print("A1 = layer_1 ", layer_1.shape, "   Ŷ = layer_2", layer_2.shape)
    for name in PARAMETER_NAMES:
        print(f"{name:<12} {params[name].shape}   梯度 {gradients[name].shape}")
    print(f"E = {batch_error(layer_2, labels):.6f}")
    # --8<-- [end:shapes]

    # --8<-- [start:outer_products]
    n = len(layer_0)
    layer_2_delta = (layer_2 - labels) / n  # Δ2
    one_per_row = [outer_prod(layer_1[i], layer_2_delta[i]) for i in range(n)]  # 每行一个
    print("外积的个数:", len(one_per_row), "  每个的形状:", one_per_row[0].shape)
    difference = np.max(np.abs(sum(one_per_row) - layer_1.T.dot(layer_2_delta)))
    print(f"n 个外积之和与 layer_1.T.dot(layer_2_delta) 最多相差 {difference:.1e}")
    # --8<-- [end:outer_products]

    # --8<-- [start:book_lines]
    np.random.seed(1)  # 原书第 6 章的初始权重，没有偏置
    alpha, hidden_size = 0.2, 4
    weights_0_1 = 2 * np.random.random((3, hidden_size)) - 1
    weights_1_2 = 2 * np.random.random((hidden_size, 1)) - 1
    i = 0
    layer_0 = streetlights[i:i+1]  # 书里一次只取一行：n = 1

    layer_1 = relu(np.dot(layer_0, weights_0_1))
    layer_2 = np.dot(layer_1, weights_1_2)
    layer_2_delta = (layer_2 - walk_vs_stop[i:i+1])
    layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1)
    book_step_1_2 = alpha * layer_1.T.dot(layer_2_delta)
    book_step_0_1 = alpha * layer_0.T.dot(layer_1_delta)

    params = {"weights_0_1": weights_0_1, "bias_1": np.zeros((1, hidden_size)),
              "weights_1_2": weights_1_2, "bias_2": np.zeros((1, 1))}
    gradients = backward(layer_0, walk_vs_stop[i:i+1], params)
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



# --8<-- [start:plot_computation_graph]
def plot_computation_graph():
    """计算图，从上往下：中间一列是前向传播，右边往上的箭头是反向传播传回来的梯度。"""
    figure, ax = new_figure(width=5.4, height=5.8)  # 窄一些：手机上缩得少，字更大
    ax.set_axis_off()
    ax.set_xlim(0, 10)
    ax.set_ylim(0.3, 10.2)
    x = 2.7  # 前向传播的一列
    nodes = {
        "X": (9.3, "$X$  layer_0  n×d"),
        "Z1": (7.2, "$Z_1$  n×m"),
        "A1": (5.1, "$A_1$  layer_1  n×m"),
        "Y": (3.0, "$\\hat{Y}$  layer_2  n×k"),
        "E": (0.9, "$E$  1×1"),
    }
    for y, text in nodes.values():
        ax.text(x, y, text, ha="center", va="center",
                bbox={"boxstyle": "round,pad=0.4", "facecolor": PAPER, "edgecolor": BLUE})
    forward_labels = ["$XW_1+b_1$", "relu", "$A_1W_2+b_2$", "$\\Sigma(\\hat{Y}-Y)^2/2n$"]
    names = list(nodes)
    for (a, b), label in zip(zip(names, names[1:]), forward_labels):
        y0, y1 = nodes[a][0], nodes[b][0]
        ax.annotate("", xy=(x, y1 + 0.45), xytext=(x, y0 - 0.45),
                    arrowprops={"arrowstyle": "->", "color": BLUE, "linewidth": 1.5})
        ax.text(x + 0.2, (y0 + y1) / 2, label, ha="left", va="center", color=BLUE)
    for (a, b), label in [(("X", "Z1"), "$W_1,\\ b_1$"), (("A1", "Y"), "$W_2,\\ b_2$")]:
        y = (nodes[a][0] + nodes[b][0]) / 2
        ax.annotate(label, xy=(x - 0.15, y), xytext=(0, y), ha="left", va="center", color=GRAY,
                    arrowprops={"arrowstyle": "->", "color": GRAY, "linestyle": "--"})
    backward_labels = [
        ("E", "Y", "$\\Delta_2=(\\hat{Y}-Y)/n$"),
        ("Y", "A1", "$\\Delta_2 W_2^T$"),
        ("A1", "Z1", "$\\Delta_1=\\Delta_2W_2^T\\odot 1[Z_1>0]$"),
    ]
    for a, b, label in backward_labels:
        y0, y1 = nodes[a][0], nodes[b][0]
        ax.annotate("", xy=(5.5, y1 - 0.2), xytext=(5.5, y0 + 0.2),
                    arrowprops={"arrowstyle": "->", "color": ORANGE, "linewidth": 1.5,
                                "connectionstyle": "arc3,rad=-0.3"})
        ax.text(5.9, (y0 + y1) / 2, label, ha="left", va="center", color=ORANGE)
    ax.text(x, 10.0, "前向", ha="center", va="center", color=BLUE)
    ax.text(5.5, 10.0, "反向", ha="center", va="center", color=ORANGE)
    return figure
# --8<-- [end:plot_computation_graph]


FIGURES = {
    "computation_graph": plot_computation_graph,
}

EXERCISES = [exercise_bias]

if __name__ == "__main__":
    main()
    for exercise in EXERCISES:
        exercise()
