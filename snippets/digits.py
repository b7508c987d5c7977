"""第 4 章　反向传播（第 2 页）：真实的数据，8×8 的手写数字。

上一页的 forward、backprop 和 train_step 一行不改，按小批量训练同一个两层网络，
再在没见过的测试集上数一数认对了多少。

运行 `python -m snippets.digits` 打印这一页的例子。
"""

# --8<-- [start:imports]
import numpy as np
from sklearn.datasets import load_digits

from snippets.backprop import backprop, forward, train_step
from snippets.checks import check_count, check_positive
from snippets.style import GREEN, RED, new_figure
# --8<-- [end:imports]


# --8<-- [start:load_digit_split]
def load_digit_split(train_size=1500, seed=0):
    """8×8 手写数字（scikit-learn 自带，不用下载）：打乱、缩放到 0–1、标签变成 one-hot，再分成训练集和测试集。"""
    check_count(train_size=train_size)
    images, labels = load_digits(return_X_y=True)  # 1797 张图，每张 64 个像素，取值 0–16
    if train_size >= len(labels):
        raise ValueError(f"train_size 必须小于 {len(labels)}，收到的是 {train_size}")
    order = np.random.default_rng(seed).permutation(len(labels))
    images = images[order] / 16
    one_hot = np.zeros((len(labels), 10))
    one_hot[np.arange(len(labels)), labels[order]] = 1  # 数字 3 → [0,0,0,1,0,0,0,0,0,0]
    return (images[:train_size], one_hot[:train_size],
            images[train_size:], one_hot[train_size:])
# --8<-- [end:load_digit_split]


# --8<-- [start:train_digits]
def train_digits(images, labels, hidden_size=64, alpha=0.1, batch_size=20, epochs=10, seed=0):
    """用本章的 train_step 按小批量训练：每批 batch_size 张图，整个训练集走 epochs 遍。"""
    check_count(hidden_size=hidden_size, batch_size=batch_size, epochs=epochs)
    rng = np.random.default_rng(seed)
    weights_0_1 = 0.2 * rng.random((images.shape[1], hidden_size)) - 0.1
    weights_1_2 = 0.2 * rng.random((hidden_size, labels.shape[1])) - 0.1

    for epoch in range(epochs):
        for start in range(0, len(images), batch_size):
            layer_0 = images[start:start + batch_size]
            goal = labels[start:start + batch_size]
            train_step(layer_0, goal, weights_0_1, weights_1_2, alpha)
    return weights_0_1, weights_1_2
# --8<-- [end:train_digits]


# --8<-- [start:predict_digits]
def predict_digits(images, weights_0_1, weights_1_2):
    """输出层 10 个数里最大的那个的位置，就是网络认为的数字。"""
    layer_1, layer_2 = forward(images, weights_0_1, weights_1_2)
    return np.argmax(layer_2, axis=1)
# --8<-- [end:predict_digits]


# --8<-- [start:trained_digits]
def trained_digits():
    """本章的数字网络：固定的划分、固定的种子，返回测试集和训练好的权重。"""
    train_images, train_labels, test_images, test_labels = load_digit_split()
    weights_0_1, weights_1_2 = train_digits(train_images, train_labels)
    return test_images, test_labels, weights_0_1, weights_1_2
# --8<-- [end:trained_digits]


# --8<-- [start:check_weight_0_1]
def check_weight_0_1(layer_0, goal, weights_0_1, weights_1_2, row, column, h=1e-5):
    """练习 3：把 weights_0_1[row, column] 前后各挪 h，用中心差分估计误差的斜率，与反向传播的增量比较。"""
    check_positive(h=h)
    plus, minus = weights_0_1.copy(), weights_0_1.copy()
    plus[row, column] += h
    minus[row, column] -= h
    error_plus = backprop(layer_0, goal, plus, weights_1_2)[0]
    error_minus = backprop(layer_0, goal, minus, weights_1_2)[0]
    slope = (error_plus - error_minus) / (2 * h)
    weight_delta_0_1 = backprop(layer_0, goal, weights_0_1, weights_1_2)[1]
    return slope / 2, weight_delta_0_1[row, column]  # 误差是平方和，斜率里多一个 2
# --8<-- [end:check_weight_0_1]


def main():
    # --8<-- [start:digits]
    test_images, test_labels, weights_0_1, weights_1_2 = trained_digits()
    predictions = predict_digits(test_images, weights_0_1, weights_1_2)
    digits = np.argmax(test_labels, axis=1)
    correct = np.sum(predictions == digits)
    print(f"测试集 {len(digits)} 张图，认对 {correct} 张，准确率 {correct / len(digits):.3f}")
    # --8<-- [end:digits]


def exercise_gradient_check():
    # --8<-- [start:exercise_gradient_check]
    train_images, train_labels, _, _ = load_digit_split()
    rng = np.random.default_rng(1)
    weights_0_1 = 0.2 * rng.random((64, 8)) - 0.1
    weights_1_2 = 0.2 * rng.random((8, 10)) - 0.1
    layer_0, goal = train_images[:5], train_labels[:5]  # 5 张图的小批量
    for row, column in [(26, 0), (27, 1), (20, 2), (26, 3)]:
        half_slope, weight_delta = check_weight_0_1(layer_0, goal, weights_0_1, weights_1_2, row, column)
        print(f"weights_0_1[{row}, {column}]  有限差分斜率 / 2 = {half_slope: .10f}"
              f"  反向传播 = {weight_delta: .10f}")
    # --8<-- [end:exercise_gradient_check]


# --8<-- [start:plot_digit_predictions]
def plot_digit_predictions():
    """测试集开头的数字，再加几张认错的，标题是网络的预测；认错的标题是红色。"""
    test_images, test_labels, weights_0_1, weights_1_2 = trained_digits()
    predictions = predict_digits(test_images, weights_0_1, weights_1_2)
    digits = np.argmax(test_labels, axis=1)
    wrong = np.flatnonzero(predictions != digits)
    extra = [i for i in wrong if i >= 12][:4]  # 前 12 张之后认错的，最多放 4 张
    shown = list(range(16 - len(extra))) + extra
    figure, axes = new_figure(ncols=8, nrows=2, width=7.6, height=2.6)
    for ax, i in zip(axes.ravel(), shown):
        ax.imshow(test_images[i].reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
        is_wrong = predictions[i] != digits[i]
        title = f"预测 {predictions[i]}" + (f"（是 {digits[i]}）" if is_wrong else "")
        ax.set_title(title, color=RED if is_wrong else GREEN, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
    return figure
# --8<-- [end:plot_digit_predictions]


FIGURES = {
    "digit_predictions": plot_digit_predictions,
}

EXERCISES = [exercise_gradient_check]

if __name__ == "__main__":
    main()
    for exercise in EXERCISES:
        exercise()
