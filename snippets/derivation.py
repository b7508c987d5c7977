"""第 5 章　完整的数学推导（第 1 页）：两层网络一次处理一批样本时的矩阵形式、偏置和批量平均。

运行 `python -m snippets.derivation` 打印这一页的例子。
"""

# --8<-- [start:imports]
import numpy as np

from snippets import backprop
from snippets.backprop import TrainingDiverged, streetlights, walk_vs_stop
from snippets.chain_rule import relu, relu2deriv
from snippets.checks import check_count, check_finite, check_positive, check_shape
from snippets.style import BLUE, GRAY, ORANGE, PAPER, new_figure
# --8<-- [end:imports]


# --8<-- [start:init_network]
PARAMETER_NAMES = ("weights_0_1", "bias_1", "weights_1_2", "bias_2")  # W1, b1, W2, b2


def init_network(input_size, hidden_size, output_size, seed=0):
    """两层网络的四组参数，都取 [−1, 1) 里的随机数（和原书第 6 章一样用 2·random − 1）。"""
    rng = np.random.default_rng(seed)
    return {
        "weights_0_1": 2 * rng.random((input_size, hidden_size)) - 1,  # W1：d×m
        "bias_1": 2 * rng.random((1, hidden_size)) - 1,  # b1：1×m
        "weights_1_2": 2 * rng.random((hidden_size, output_size)) - 1,  # W2：m×k
        "bias_2": 2 * rng.random((1, output_size)) - 1,  # b2：1×k
    }
# --8<-- [end:init_network]


# --8<-- [start:forward]
def forward(layer_0, params, activation=relu):
    """前向传播。layer_0 = X（n×d），返回 layer_1 = A1（n×m）和 layer_2 = Ŷ（n×k）。"""
    layer_1 = activation(layer_0.dot(params["weights_0_1"]) + params["bias_1"])  # A1 = relu(X W1 + 1 b1)
    layer_2 = layer_1.dot(params["weights_1_2"]) + params["bias_2"]  # Ŷ = A1 W2 + 1 b2
    return layer_1, layer_2


def batch_error(layer_2, goal):
    """本章的误差：E = 1/(2n) · Σ(Ŷ − Y)²，每个样本各个输出的平方误差之和的一半，再对 n 个样本取平均。"""
    n = len(goal)
    return np.sum((layer_2 - goal) ** 2) / (2 * n)
# --8<-- [end:forward]


# --8<-- [start:checks]
def check_network(layer_0, goal, params):
    """反向传播一页的 check_network（输入、真实值、两个权重矩阵），再加上四组参数齐全、两个偏置的形状。"""
    if not isinstance(params, dict) or sorted(params) != sorted(PARAMETER_NAMES):
        raise ValueError(f"params 应是含有 {', '.join(PARAMETER_NAMES)} 的字典")
    backprop.check_network(layer_0, goal, params["weights_0_1"], params["weights_1_2"])
    if len(layer_0) == 0:
        raise ValueError("layer_0 至少要有一行（一个样本）")
    check_finite(bias_1=params["bias_1"], bias_2=params["bias_2"])
    check_shape("bias_1", params["bias_1"], (1, np.shape(params["weights_0_1"])[1]))
    check_shape("bias_2", params["bias_2"], (1, np.shape(params["weights_1_2"])[1]))


def check_training(layer_0, goal, hidden_size, alpha, iterations):
    """传给 train 的值：输入和真实值是行数相同、不为空的二维数组，alpha 为正，hidden_size 和 iterations 是正整数。"""
    check_finite(layer_0=layer_0, goal=goal)
    check_shape("layer_0", layer_0, (None, None))
    check_shape("goal", goal, (len(layer_0), None))
    if len(layer_0) == 0:
        raise ValueError("layer_0 至少要有一行（一个样本）")
    check_positive(alpha=alpha)
    check_count(hidden_size=hidden_size, iterations=iterations)
# --8<-- [end:checks]


# --8<-- [start:backward]
def backward(layer_0, goal, params, activation=relu, activation2deriv=relu2deriv):
    """反向传播：返回 E 对四组参数的梯度，形状与参数相同。"""
    layer_1, layer_2 = forward(layer_0, params, activation)
    n = len(layer_0)

    layer_2_delta = (layer_2 - goal) / n  # Δ2 = ∂E/∂Ŷ，n×k
    layer_1_delta = layer_2_delta.dot(params["weights_1_2"].T) * activation2deriv(layer_1)  # Δ1 = ∂E/∂Z1，n×m

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
def train(layer_0, goal, hidden_size, alpha, iterations, seed=0, use_bias=True):
    """全批量梯度下降：每一步用全部样本算一次梯度，四组参数一起更新（一步就是一轮）。

    use_bias=False 时两个偏置始终为 0（原笔记的写法）。返回训练后的参数和每一步之前的误差。
    """
    # 检查传进来的值：不合理就立刻报错（比如没有数据、layer_0 和 goal 的行数不同、alpha 不是正数）
    check_training(layer_0, goal, hidden_size, alpha, iterations)
    params = init_network(layer_0.shape[1], hidden_size, goal.shape[1], seed)
    if not use_bias:
        params["bias_1"][:] = 0
        params["bias_2"][:] = 0
    errors = []
    for iteration in range(iterations):
        error = batch_error(forward(layer_0, params)[1], goal)
        if not np.isfinite(error):
            raise TrainingDiverged(f"训练发散了：第 {iteration + 1} 步的误差是 {error}，请把 alpha（现在是 {alpha}）调小")
        errors.append(error)
        gradients = backward(layer_0, goal, params)
        for name in PARAMETER_NAMES:
            if use_bias or name.startswith("weights"):
                params[name] = params[name] - alpha * gradients[name]
    return params, errors
# --8<-- [end:train]


def main():
    # --8<-- [start:shapes]
    rng = np.random.default_rng(0)
    # rng.normal 抽正态分布的随机数：0 附近最多，离 0 越远越少，大多落在 −2 到 2 之间
    layer_0, goal = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))  # n = 5, d = 3, k = 2
    params = init_network(input_size=3, hidden_size=4, output_size=2, seed=0)  # m = 4
    layer_1, layer_2 = forward(layer_0, params)
    gradients = backward(layer_0, goal, params)
    print("X  = layer_0 ", layer_0.shape, "   Y = goal   ", goal.shape)
    print("A1 = layer_1 ", layer_1.shape, "   Ŷ = layer_2", layer_2.shape)
    for name in PARAMETER_NAMES:
        print(f"{name:<12} {params[name].shape}   梯度 {gradients[name].shape}")
    print(f"E = {batch_error(layer_2, goal):.6f}")
    # --8<-- [end:shapes]

    # --8<-- [start:outer_products]
    n = len(layer_0)
    layer_2_delta = (layer_2 - goal) / n  # Δ2
    one_per_row = [outer_prod(layer_1[i], layer_2_delta[i]) for i in range(n)]  # 每个样本一个
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
    layer_0 = streetlights[i:i+1]  # 原书一次只取一行：n = 1

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
    xnor_goal = np.array([[1.0], [0.0], [0.0], [1.0]])  # 两个输入相同时是 1
    for use_bias in [False, True]:
        params, errors = train(xnor_inputs, xnor_goal, hidden_size=8, alpha=0.2,
                               iterations=500, seed=0, use_bias=use_bias)
        predictions = forward(xnor_inputs, params)[1].ravel()
        # !s 把 True/False 按文字打印（不加它，:<5 会把 True 印成 1）
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
        "E": (0.9, "$E$  一个数"),
    }
    for y, text in nodes.values():
        ax.text(x, y, text, ha="center", va="center",
                bbox={"boxstyle": "round,pad=0.4", "facecolor": PAPER, "edgecolor": BLUE})
    forward_labels = ["$XW_1+\\mathbf{1}b_1$", "relu", "$A_1W_2+\\mathbf{1}b_2$", "$\\Sigma(\\hat{Y}-Y)^2/2n$"]
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
        ("Y", "A1", "$\\partial E/\\partial A_1=\\Delta_2 W_2^T$"),
        ("A1", "Z1", "$\\Delta_1=(\\Delta_2W_2^T)\\odot \\mathrm{relu}'(Z_1)$"),
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
