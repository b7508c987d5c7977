"""第 4 章　反向传播（第 4 页）：真实的数据，8×8 的手写数字。

上一页的 forward、backprop 和 train_step 一行不改，按小批量训练同一个两层网络，
再在没见过的测试集上数一数认对了多少；然后给全批量、小批量和逐个样本三种梯度下降各自扫出
最好的学习率，按轮数和按计算量比一比；最后数一数反向传播做了多少次乘加。

运行 `python -m snippets.digits` 打印这一页的例子。
"""

# --8<-- [start:imports]
import numpy as np
from sklearn.datasets import load_digits

from snippets.backprop import TrainingDiverged, backprop, forward, relu, relu2deriv, train_step
from snippets.checks import check_count, check_finite, check_positive, check_shape
from snippets.style import BLUE, GREEN, ORANGE, RED, ink_on_paper, new_figure
# --8<-- [end:imports]


# --8<-- [start:load_digit_split]
def load_digit_split(train_size=1500, seed=0):
    """8×8 手写数字（scikit-learn 自带，不用下载）：打乱、缩放到 0–1、真实值写成 one-hot，再分成训练集和测试集。"""
    check_count(train_size=train_size)  # 检查传进来的值：不合理就立刻报错
    images, labels = load_digits(return_X_y=True)  # 1797 张图，每张 64 个像素，取值 0–16
    if train_size >= len(labels):
        raise ValueError(f"train_size 必须小于 {len(labels)}，收到的是 {train_size}")
    order = np.random.default_rng(seed).permutation(len(labels))
    images = images[order] / 16
    one_hot = np.zeros((len(labels), 10))
    one_hot[np.arange(len(labels)), labels[order]] = 1  # 每一行在它对应那张图的数字那一列放 1：数字 3 → [0,0,0,1,0,0,0,0,0,0]
    return (images[:train_size], one_hot[:train_size],
            images[train_size:], one_hot[train_size:])
# --8<-- [end:load_digit_split]


# --8<-- [start:train_digits]
def init_weights(input_size, hidden_size, output_size, seed=0):
    """两个权重矩阵，元素取在 −0.1 到 0.1 之间（和原书第 8 章一样用 0.2 · random − 0.1）。"""
    # 这里不必和原书逐位一致，所以用 numpy 推荐的随机数生成器 default_rng，而不是全局的 np.random.seed
    rng = np.random.default_rng(seed)
    weights_0_1 = 0.2 * rng.random((input_size, hidden_size)) - 0.1
    weights_1_2 = 0.2 * rng.random((hidden_size, output_size)) - 0.1
    return weights_0_1, weights_1_2


def train_digits(images, labels, hidden_size=40, alpha=0.1, batch_size=20, epochs=10, seed=0):
    """用本章的 train_step 按小批量训练：每批 batch_size 张图（一批一步），整个训练集学 epochs 轮。"""
    check_positive(alpha=alpha)  # 检查传进来的值：不合理就立刻报错
    check_count(hidden_size=hidden_size, batch_size=batch_size, epochs=epochs)
    check_finite(images=images, labels=labels)
    check_shape("images", images, (None, None))  # 一行一张图
    check_shape("labels", labels, (len(images), None))  # 每张图一行真实值
    weights_0_1, weights_1_2 = init_weights(images.shape[1], hidden_size, labels.shape[1], seed)

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
    return np.argmax(layer_2, axis=1)  # axis=1：在每一行（每张图）里找最大的位置
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
    """练习：把 weights_0_1[row, column] 前后各挪 h，用中心差分估计误差的斜率，与反向传播的权重梯度比较。"""
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


# --8<-- [start:error_curve]
def digits_error(images, labels, weights_0_1, weights_1_2):
    """在整个数据集上量误差：每张图 10 个输出的平方误差之和，再对图取平均。"""
    layer_2 = forward(images, weights_0_1, weights_1_2)[1]
    return np.sum((layer_2 - labels) ** 2) / len(images)


def error_curve(images, labels, batch_size, epochs=10, alpha=0.1, hidden_size=40, seed=0, every=100):
    """和 train_digits 一样训练，但每学过 every 张图，就在整个训练集上量一次误差。

    batch_size 等于图的张数就是全批量，等于 1 就是逐个样本。返回学过的轮数（可以是小数）和那时的误差。
    """
    check_count(batch_size=batch_size, epochs=epochs, every=every)  # 检查传进来的值：不合理就立刻报错
    weights_0_1, weights_1_2 = init_weights(images.shape[1], hidden_size, labels.shape[1], seed)
    seen = 0
    epochs_seen, errors = [0.0], [digits_error(images, labels, weights_0_1, weights_1_2)]
    for epoch in range(epochs):
        for start in range(0, len(images), batch_size):
            layer_0 = images[start:start + batch_size]
            goal = labels[start:start + batch_size]
            train_step(layer_0, goal, weights_0_1, weights_1_2, alpha)
            seen += len(layer_0)
            if seen % every == 0:
                epochs_seen.append(seen / len(images))
                errors.append(digits_error(images, labels, weights_0_1, weights_1_2))
    return np.array(epochs_seen), np.array(errors)
# --8<-- [end:error_curve]


# --8<-- [start:batch_sizes]
BATCH_SIZES = {"全批量": 1500, "小批量": 20, "逐个样本": 1}  # 训练集一共 1500 张图
ALPHAS = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0]  # 扫描的学习率：每一个是前一个的 3 倍左右
# --8<-- [end:batch_sizes]


# --8<-- [start:best_alpha]
def epoch_errors(images, labels, batch_size, alpha, epochs=10):
    """学 epochs 轮，每轮结束时在整个训练集上量一次误差；发散时返回 None。"""
    try:
        return error_curve(images, labels, batch_size, epochs, alpha, every=len(images))[1]
    except TrainingDiverged:
        return None


def best_alpha(images, labels, batch_size, alphas=ALPHAS, epochs=10):
    """一个小扫描：每个 alpha 学 epochs 轮。误差每一轮都比上一轮低的 alpha 算稳定，稳定的里面取最后误差最低的。

    返回 (最好的 alpha, {alpha: 最后的误差，不稳定时为 None})。
    """
    final = {}
    for alpha in alphas:
        errors = epoch_errors(images, labels, batch_size, alpha, epochs)
        stable = errors is not None and np.all(np.diff(errors) < 0)
        final[alpha] = errors[-1] if stable else None
    best = min((alpha for alpha in alphas if final[alpha] is not None), key=lambda alpha: final[alpha])
    return best, final
# --8<-- [end:best_alpha]


# --8<-- [start:work_per_epoch]
def work_per_epoch(batch_size, examples=1500, sizes=(64, 40, 10)):
    """一轮的计算量：乘加的次数，以及矩阵乘法（np.dot）的次数。

    每张图前向、反向各要一定次数的乘加，和批怎么分无关；每走一步，还要把两个权重矩阵各更新一次
    （每个权重一次乘加）。每一步做 5 次矩阵乘法：前向 2 次，反向 3 次。
    """
    inputs, hidden, outputs = sizes
    weights = inputs * hidden + hidden * outputs
    forward_per_image = weights  # layer_0·W01 和 layer_1·W12
    backward_per_image = outputs * hidden + weights  # delta 传回隐藏层，加上两个权重梯度
    steps = examples // batch_size
    multiply_adds = examples * (forward_per_image + backward_per_image) + steps * weights
    return multiply_adds, 5 * steps
# --8<-- [end:work_per_epoch]


# --8<-- [start:count_multiply_adds]
def count_multiply_adds(layer_0, goal, weights_0_1, weights_1_2):
    """照 backprop 做一次前向、一次反向，记下每次矩阵乘法：哪一步、两边的形状、做了多少次乘加。"""
    log = []

    def dot(step, a, b):
        log.append((step, a.shape, b.shape, a.shape[0] * a.shape[1] * b.shape[1]))
        return a.dot(b)

    layer_1 = relu(dot("前向", layer_0, weights_0_1))
    layer_2 = dot("前向", layer_1, weights_1_2)
    layer_2_delta = layer_2 - goal
    layer_1_delta = dot("反向", layer_2_delta, weights_1_2.T) * relu2deriv(layer_1)
    weight_delta_1_2 = dot("反向", layer_1.T, layer_2_delta)  # layer_2_delta 第二次用上
    weight_delta_0_1 = dot("反向", layer_0.T, layer_1_delta)
    return log, weight_delta_0_1, weight_delta_1_2
# --8<-- [end:count_multiply_adds]


def main():
    # --8<-- [start:digits]
    test_images, test_labels, weights_0_1, weights_1_2 = trained_digits()
    predictions = predict_digits(test_images, weights_0_1, weights_1_2)
    digits = np.argmax(test_labels, axis=1)
    correct = np.sum(predictions == digits)
    print(f"测试集 {len(digits)} 张图，认对 {correct} 张，准确率 {correct / len(digits):.3f}")
    # --8<-- [end:digits]

    # --8<-- [start:sweep]
    train_images, train_labels, _, _ = load_digit_split()
    print("学 10 轮后训练集上的误差（— 表示不稳定：有一轮误差没有下降，或者发散了）")
    print("".join(f"α = {alpha:<6g}" for alpha in ALPHAS) + "最好的 α  方式")
    best_alphas = {}
    for name, batch_size in BATCH_SIZES.items():
        best_alphas[name], final = best_alpha(train_images, train_labels, batch_size)
        cells = "".join(f"{'—' if error is None else f'{error:.3f}':<10}" for error in final.values())
        print(f"{cells}{best_alphas[name]:<9g} {name}")
    # --8<-- [end:sweep]

    # --8<-- [start:compare_batch_sizes]
    print("每轮步数  α    第 1 轮后  第 10 轮后  每轮乘加（百万次）  每轮矩阵乘法  方式")
    for name, batch_size in BATCH_SIZES.items():
        errors = epoch_errors(train_images, train_labels, batch_size, best_alphas[name])
        multiply_adds, products = work_per_epoch(batch_size)
        print(f"{1500 // batch_size:8d}  {best_alphas[name]:<4g}{errors[1]:10.3f}{errors[-1]:11.3f}"
              f"{multiply_adds / 1e6:19.2f}{products:14d}  {name}")
    # --8<-- [end:compare_batch_sizes]

    # --8<-- [start:cost]
    layer_0, goal = train_images[:20], train_labels[:20]  # 一个 20 张图的小批量
    weights_0_1, weights_1_2 = init_weights(64, 40, 10)
    log, _, _ = count_multiply_adds(layer_0, goal, weights_0_1, weights_1_2)
    for step, shape_a, shape_b, multiply_adds in log:
        print(f"{step}  {str(shape_a):>8} · {str(shape_b):<8} {multiply_adds:6d} 次乘加")
    forward_cost = sum(m for step, _, _, m in log if step == "前向")
    backward_cost = sum(m for step, _, _, m in log if step == "反向")
    print(f"前向一共 {forward_cost} 次，反向一共 {backward_cost} 次，反向是前向的 {backward_cost / forward_cost:.2f} 倍")
    weight_count = weights_0_1.size + weights_1_2.size
    print(f"用中心差分求同样的梯度：{weight_count} 个权重 × 2 次前向 = {2 * weight_count} 次前向，"
          f"{2 * weight_count * forward_cost} 次乘加")
    # --8<-- [end:cost]


def exercise_gradient_check():
    # --8<-- [start:exercise_gradient_check]
    train_images, train_labels, _, _ = load_digit_split()
    rng = np.random.default_rng(1)
    weights_0_1 = 0.2 * rng.random((64, 8)) - 0.1
    weights_1_2 = 0.2 * rng.random((8, 10)) - 0.1
    layer_0, goal = train_images[:5], train_labels[:5]  # 5 张图的小批量
    for row, column in [(26, 0), (27, 1), (20, 2), (26, 3)]:
        half_slope, weight_delta = check_weight_0_1(layer_0, goal, weights_0_1, weights_1_2, row, column)
        print(f"weights_0_1[{row}, {column}]  中心差分斜率 / 2 = {half_slope: .10f}"
              f"  反向传播 = {weight_delta: .10f}")
    # --8<-- [end:exercise_gradient_check]


# --8<-- [start:plot_digit_predictions]
def plot_digit_predictions(trained):
    """测试集开头的数字，再加几张认错的，标题是网络的预测；认错的标题是红色。trained 是 trained_digits() 的结果。"""
    test_images, test_labels, weights_0_1, weights_1_2 = trained
    predictions = predict_digits(test_images, weights_0_1, weights_1_2)
    digits = np.argmax(test_labels, axis=1)
    wrong = np.flatnonzero(predictions != digits)
    extra = [i for i in wrong if i >= 12][:4]  # 前 12 张之后认错的，最多放 4 张
    shown = list(range(16 - len(extra))) + extra
    figure, axes = new_figure(ncols=8, nrows=2, height=2.3)
    for ax, i in zip(axes.ravel(), shown):
        ax.imshow(test_images[i].reshape(8, 8), cmap=ink_on_paper(), vmin=0, vmax=1)
        is_wrong = predictions[i] != digits[i]
        title = f"{predictions[i]}" + (f"（是{digits[i]}）" if is_wrong else "")  # 预测的数字，认错时加上真实的
        ax.set_title(title, color=RED if is_wrong else GREEN)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
    return figure
# --8<-- [end:plot_digit_predictions]


def batch_size_curves():
    """{方式: (alpha, 学过的轮数, 那时的误差)}：三种批量各用扫出的最好的 alpha 学 10 轮，每学过 100 张图量一次。"""
    train_images, train_labels, _, _ = load_digit_split()
    curves = {}
    for name, batch_size in BATCH_SIZES.items():
        alpha = best_alpha(train_images, train_labels, batch_size)[0]
        curves[name] = (alpha, *error_curve(train_images, train_labels, batch_size, epochs=10, alpha=alpha))
    return curves


# --8<-- [start:plot_batch_sizes]
def plot_batch_sizes(curves):
    """三种梯度下降各用最好的 alpha 学 10 轮（对数纵轴）。左：按轮数；右：按乘加的次数。curves 是 batch_size_curves() 的结果。"""
    figure, (by_epoch, by_work) = new_figure(ncols=2, height=3.8, sharey=True)
    for (name, batch_size), color in zip(BATCH_SIZES.items(), [BLUE, GREEN, ORANGE]):
        alpha, epochs_seen, errors = curves[name]
        multiply_adds = epochs_seen * work_per_epoch(batch_size)[0] / 1e6
        marker = "o" if batch_size == 1500 else None  # 全批量一轮只走一步：每一步画一个点
        by_epoch.semilogy(epochs_seen, errors, color=color, marker=marker, markersize=3, linewidth=1.2,
                          label=f"{name}，α = {alpha:g}")
        by_work.semilogy(multiply_adds, errors, color=color, marker=marker, markersize=3, linewidth=1.2)
    for ax in (by_epoch, by_work):
        ax.minorticks_off()
        ax.set_yticks([0.1, 0.2, 0.5, 1], labels=["0.1", "0.2", "0.5", "1"])
        ax.set_ylim(0.06, 2.5)
    by_epoch.set_xlabel("轮数")
    by_work.set_xlabel("乘加的次数（百万）")
    by_epoch.set_ylabel("训练集上每张图的误差")
    by_epoch.legend(loc="upper right")
    return figure
# --8<-- [end:plot_batch_sizes]


# 每张图：（算数据的函数, 画图的函数）。数据只算一次，图画两遍（浅色和深色）。
FIGURES = {
    "digit_predictions": (trained_digits, plot_digit_predictions),
    "batch_sizes": (batch_size_curves, plot_batch_sizes),
}

EXERCISES = [exercise_gradient_check]

if __name__ == "__main__":
    main()
    for exercise in EXERCISES:
        exercise()
