"""第 4 章　反向传播（第 3 页）：ReLU 的折点、死掉的单元和卡住的训练。

relu2deriv 为什么看输出、为什么是 `> 0`；另一个激活函数 sigmoid；学习率太大或初始权重不巧时，
隐藏单元全部关闭，训练停在一块坡度为 0 的平地上；去掉 ReLU，两层网络只剩一层的本事。

运行 `python -m snippets.relu` 打印这一页的例子。
"""

# --8<-- [start:imports]
import numpy as np

from snippets.backprop import backprop, forward, streetlights, train_streetlights, walk_vs_stop
from snippets.chain_rule import relu, relu2deriv
from snippets.style import BLUE, ORANGE, new_figure
# --8<-- [end:imports]


# --8<-- [start:sigmoid]
def sigmoid(z):
    """sigmoid：把任何数压到 0 和 1 之间的 S 形曲线，1 / (1 + e^(−z))。"""
    return 1 / (1 + np.exp(-z))


def sigmoid2deriv(output):
    """sigmoid 的导数，也只用输出 s 算：s · (1 − s)。"""
    return output * (1 - output)
# --8<-- [end:sigmoid]


# --8<-- [start:train_streetlights_without_relu]
def train_streetlights_without_relu(alpha=0.2, hidden_size=4, iterations=60, seed=1):
    """练习：把隐藏层的 ReLU 去掉（layer_1 = layer_0.dot(weights_0_1)），其余不变。

    和 train_streetlights 一样，返回训练后的两个权重矩阵，以及每一轮一边更新一边累加的误差。
    """
    np.random.seed(seed)
    weights_0_1 = 2 * np.random.random((3, hidden_size)) - 1
    weights_1_2 = 2 * np.random.random((hidden_size, 1)) - 1
    errors = []
    for iteration in range(iterations):
        layer_2_error = 0
        for i in range(len(streetlights)):
            layer_0 = streetlights[i:i + 1]
            layer_1 = layer_0.dot(weights_0_1)  # 没有 ReLU
            layer_2 = layer_1.dot(weights_1_2)
            layer_2_error += np.sum((layer_2 - walk_vs_stop[i:i + 1]) ** 2)
            layer_2_delta = layer_2 - walk_vs_stop[i:i + 1]
            layer_1_delta = layer_2_delta.dot(weights_1_2.T)  # 没有 ReLU，导数处处是 1
            weights_1_2 -= alpha * layer_1.T.dot(layer_2_delta)
            weights_0_1 -= alpha * layer_0.T.dot(layer_1_delta)
        errors.append(layer_2_error)
    return weights_0_1, weights_1_2, errors
# --8<-- [end:train_streetlights_without_relu]


def main():
    # --8<-- [start:dead_relus]
    weights_0_1, weights_1_2, errors = train_streetlights(alpha=2)
    print("前 5 轮的误差:", [round(float(e), 4) for e in errors[:5]], " 第 60 轮:", errors[-1])
    print("四行的隐藏层加权和全是负数:", np.all(streetlights.dot(weights_0_1) < 0))
    error, weight_delta_0_1, weight_delta_1_2 = backprop(streetlights, walk_vs_stop, weights_0_1, weights_1_2)
    print("这里的误差:", error, " 权重梯度最大的绝对值:",
          np.abs(weight_delta_0_1).max(), np.abs(weight_delta_1_2).max())
    # --8<-- [end:dead_relus]

    # --8<-- [start:stuck_seeds]
    final = {seed: train_streetlights(alpha=0.2, hidden_size=4, iterations=60, seed=seed)[2][-1] for seed in range(20)}
    print("学会了（第 60 轮误差 < 0.01）的种子:", [seed for seed, error in final.items() if error < 0.01])
    print("卡住的种子和第 60 轮的误差:", {seed: round(float(error), 2) for seed, error in final.items() if error >= 0.01})
    # --8<-- [end:stuck_seeds]

    # --8<-- [start:dead_unit]
    layer_0 = np.array([[1.0, 0.0, 1.0]])
    weights_0_1 = np.array([[0.5, -0.4, 0.1, 0.3],
                            [0.2, 0.7, -0.6, 0.1],
                            [0.1, 0.1, 0.2, -0.5]])
    weights_1_2 = np.array([[0.3], [0.6], [-0.2], [0.5]])
    goal = np.array([[1.0]])

    layer_1, layer_2 = forward(layer_0, weights_0_1, weights_1_2)
    layer_2_delta = layer_2 - goal
    print("layer_1 =", layer_1)  # 第 2、4 个单元的输出是 0：对这一行，它们是关闭的
    print("用 > 0 : layer_1_delta =", layer_2_delta.dot(weights_1_2.T) * (layer_1 > 0))
    print("用 >= 0: layer_1_delta =", layer_2_delta.dot(weights_1_2.T) * (layer_1 >= 0))

    # 把通往第 2 个单元的权重都挪动一点，误差变不变？
    error, weight_delta_0_1, weight_delta_1_2 = backprop(layer_0, goal, weights_0_1, weights_1_2)
    nudged = weights_0_1.copy()
    nudged[:, 1] += 1e-6
    nudged_error, _, _ = backprop(layer_0, goal, nudged, weights_1_2)
    print("挪动关闭的单元的权重后，误差的变化:", nudged_error - error)
    # --8<-- [end:dead_unit]

    # --8<-- [start:sigmoid_example]
    h = 1e-6
    for z in [-2.0, 0.0, 2.0]:
        s = sigmoid(z)
        measured = (sigmoid(z + h) - sigmoid(z - h)) / (2 * h)  # 中心差分
        print(f"z = {z:+.0f}  sigmoid = {s:.4f}  s·(1 − s) = {sigmoid2deriv(s):.6f}  中心差分 {measured:.6f}")
    # --8<-- [end:sigmoid_example]


def exercise_without_relu():
    # --8<-- [start:exercise_without_relu]
    weights_0_1, weights_1_2, errors = train_streetlights_without_relu()
    print("去掉 ReLU，每 10 轮的误差:", [round(float(e), 4) for e in errors[9::10]])
    # 线性网络能达到的最小误差：最小二乘（找平方误差之和最小的权重；第三列恒为 1，相当于偏置）
    best_weights = np.linalg.lstsq(streetlights, walk_vs_stop, rcond=None)[0]
    print("任何线性网络的最小误差:", np.sum((streetlights.dot(best_weights) - walk_vs_stop) ** 2).round(6))
    for alpha in [0.2, 0.05]:
        weights_0_1, weights_1_2, errors = train_streetlights_without_relu(alpha=alpha, iterations=5000)
        layer_2 = streetlights.dot(weights_0_1).dot(weights_1_2)  # 一轮结束时的权重，在四行上的预测
        print(f"alpha = {alpha}：第 5000 轮累加的误差 {errors[-1]:.4f}，"
              f"这一轮结束时的权重在四行上的误差 {np.sum((layer_2 - walk_vs_stop) ** 2):.4f}")
    # --8<-- [end:exercise_without_relu]


# --8<-- [start:plot_activations]
def plot_activations():
    """两个激活函数（上）和它们的导数（下）：ReLU 的导数在 0 处跳变，sigmoid 的导数在 0 处最大，为 0.25。"""
    x = np.linspace(-4, 4, 161)
    figure, axes = new_figure(ncols=2, nrows=2, width=6.0, height=4.4, sharex=True)
    for column, (name, function, derivative, color) in enumerate(
            [("ReLU", relu, lambda out: relu2deriv(out) * 1.0, BLUE), ("sigmoid", sigmoid, sigmoid2deriv, ORANGE)]):
        output = function(x)
        axes[0, column].plot(x, output, color=color)
        axes[0, column].set_title(name)
        axes[1, column].plot(x, derivative(output), color=color)
        axes[1, column].set_xlabel("输入")
    axes[0, 0].set_ylabel("输出")
    axes[1, 0].set_ylabel("导数")
    for ax in axes.ravel():
        ax.grid(False)
    return figure
# --8<-- [end:plot_activations]


FIGURES = {
    "activations": plot_activations,
}

EXERCISES = [exercise_without_relu]

if __name__ == "__main__":
    main()
    for exercise in EXERCISES:
        exercise()
