"""第 4 章　反向传播（第 2 页）。

一个带 ReLU 隐藏层的两层网络：前向传播算出预测，反向传播把误差（delta）一层层往回传，
再用每层的 delta 更新两个权重矩阵。在原书第 6 章的路灯数据上复现它的输出。

运行 `python -m snippets.backprop` 打印这一页的例子。
"""

# --8<-- [start:imports]
import numpy as np

from snippets.chain_rule import relu, relu2deriv
from snippets.checks import check_count, check_finite, check_positive, check_shape
from snippets.style import BLUE, GRAY, GREEN, ORANGE, PAPER, RED, new_figure
# --8<-- [end:imports]


# --8<-- [start:forward]
def forward(layer_0, weights_0_1, weights_1_2):
    """前向传播：输入层 → 隐藏层（ReLU）→ 输出层。注意是矩阵乘法 .dot，不是 *。"""
    layer_1 = relu(layer_0.dot(weights_0_1))
    layer_2 = layer_1.dot(weights_1_2)
    return layer_1, layer_2
# --8<-- [end:forward]


# --8<-- [start:backprop]
def backprop(layer_0, goal, weights_0_1, weights_1_2):
    """一次前向、一次反向。返回平方误差之和，以及两个权重矩阵各自的权重梯度。"""
    layer_1, layer_2 = forward(layer_0, weights_0_1, weights_1_2)

    error = np.sum((layer_2 - goal) ** 2)
    layer_2_delta = layer_2 - goal  # 预测 − 真实值，形状与 layer_2 相同
    layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1)  # 形状与 layer_1 相同

    weight_delta_1_2 = layer_1.T.dot(layer_2_delta)  # 形状与 weights_1_2 相同
    weight_delta_0_1 = layer_0.T.dot(layer_1_delta)  # 形状与 weights_0_1 相同
    return error, weight_delta_0_1, weight_delta_1_2
# --8<-- [end:backprop]


# --8<-- [start:check_network]
def check_network(layer_0, goal, weights_0_1, weights_1_2):
    """检查一批输入、真实值和两个权重矩阵：都是有限的数，形状彼此相符；不符时说出是哪一个。"""
    check_finite(layer_0=layer_0, goal=goal, weights_0_1=weights_0_1, weights_1_2=weights_1_2)
    check_shape("layer_0", layer_0, (None, None))  # 二维：一行一个样本
    check_shape("weights_0_1", weights_0_1, (np.shape(layer_0)[1], None))
    check_shape("weights_1_2", weights_1_2, (np.shape(weights_0_1)[1], None))
    check_shape("goal", goal, (np.shape(layer_0)[0], np.shape(weights_1_2)[1]))
# --8<-- [end:check_network]


# --8<-- [start:train_step]
class TrainingDiverged(ArithmeticError):
    """误差变成了无穷大或 nan：学习率太大，训练停了下来。

    这是一种新的异常（出错时抛出的东西，属于算术错误 ArithmeticError 一类）；raise 抛出它，训练就停下，信息里说明原因。
    """


def train_step(layer_0, goal, weights_0_1, weights_1_2, alpha):
    """用一批样本（可以只有一行）更新两个权重矩阵（原地修改），返回这批样本的误差。

    一批有多行时，权重梯度按行数取平均，这样批变大时，权重梯度不会跟着成倍变大。
    """
    error, weight_delta_0_1, weight_delta_1_2 = backprop(layer_0, goal, weights_0_1, weights_1_2)
    if not np.isfinite(error):
        raise TrainingDiverged(f"训练发散了：误差变成了 {error}，请把 alpha（现在是 {alpha}）调小")
    batch_size = len(layer_0)
    weights_1_2 -= alpha * weight_delta_1_2 / batch_size
    weights_0_1 -= alpha * weight_delta_0_1 / batch_size
    return error
# --8<-- [end:train_step]


# --8<-- [start:streetlights_data]
# 原书第 6 章的路灯数据：每行是三盏灯的亮灭，1 表示亮
streetlights = np.array([[1, 0, 1],
                         [0, 1, 1],
                         [0, 0, 1],
                         [1, 1, 1]])

# 每行对应的正确做法：1 表示走，0 表示停（.T 把一行转成一列）
walk_vs_stop = np.array([[1, 1, 0, 0]]).T
# --8<-- [end:streetlights_data]


# --8<-- [start:train_streetlights]
def train_streetlights(alpha=0.2, hidden_size=4, iterations=60, seed=1):
    """原书第 6 章的设置：一次一行，每行都先前向、再反向、再更新两个权重矩阵。

    iterations 是轮数（原书的变量名）：一轮把四行各学一步。返回训练后的两个权重矩阵，
    以及每一轮四行平方误差之和。
    """
    check_positive(alpha=alpha)  # 检查传进来的值：不合理就立刻报错
    check_count(hidden_size=hidden_size, iterations=iterations)

    np.random.seed(seed)  # 和原书一样用全局的随机种子，才能得到和原书一样的初始权重
    weights_0_1 = 2 * np.random.random((3, hidden_size)) - 1
    weights_1_2 = 2 * np.random.random((hidden_size, 1)) - 1

    errors = []
    for iteration in range(iterations):
        layer_2_error = 0
        for i in range(len(streetlights)):
            layer_0 = streetlights[i:i + 1]  # 切片 i:i+1 保留二维：1×3
            goal = walk_vs_stop[i:i + 1]  # 1×1
            layer_2_error += train_step(layer_0, goal, weights_0_1, weights_1_2, alpha)
        errors.append(layer_2_error)
    return weights_0_1, weights_1_2, errors
# --8<-- [end:train_streetlights]


# --8<-- [start:one_step]
def one_step(layer_0, goal, weights_0_1, weights_1_2, alpha):
    """train_step 的一步（一行数据），留下每个阶段算出的数：前向、比较、反向、权重梯度、更新。

    运算和次序都与 forward、backprop、train_step 相同（一次一行，除以 batch_size 1 什么也不改变）；
    传入的权重不改，更新后的权重是结果里的 new_weights_0_1 和 new_weights_1_2。
    """
    z = layer_0.dot(weights_0_1)  # 前向：每个隐藏单元的加权和，z > 0 的单元打开，z ≤ 0 的关闭
    layer_1 = relu(z)
    layer_2 = layer_1.dot(weights_1_2)

    error = np.sum((layer_2 - goal) ** 2)  # 比较
    layer_2_delta = layer_2 - goal

    passed_back = layer_2_delta.dot(weights_1_2.T)  # 反向：沿 weights_1_2 传回每个隐藏单元的数
    layer_1_delta = passed_back * relu2deriv(layer_1)  # 关闭的单元乘以 0：什么也传不回去

    weight_delta_1_2 = layer_1.T.dot(layer_2_delta)  # 权重梯度：每条连线的 输入 × 它连向的 delta
    weight_delta_0_1 = layer_0.T.dot(layer_1_delta)

    new_weights_1_2 = weights_1_2 - alpha * weight_delta_1_2  # 更新
    new_weights_0_1 = weights_0_1 - alpha * weight_delta_0_1
    return {"weights_0_1": weights_0_1, "weights_1_2": weights_1_2, "z": z, "layer_1": layer_1,
            "layer_2": layer_2, "error": error, "layer_2_delta": layer_2_delta, "passed_back": passed_back,
            "layer_1_delta": layer_1_delta, "weight_delta_0_1": weight_delta_0_1,
            "weight_delta_1_2": weight_delta_1_2, "new_weights_0_1": new_weights_0_1,
            "new_weights_1_2": new_weights_1_2}
# --8<-- [end:one_step]


# --8<-- [start:streetlights_steps]
def streetlights_steps(alpha=0.2, hidden_size=4, iterations=60, seed=1):
    """train_streetlights 的每一步，用 one_step 算：steps[iteration][i] 是第 iteration + 1 轮喂行 i 的那一步（iteration 从 0 数起）。"""
    np.random.seed(seed)  # 和 train_streetlights 一样的初始权重
    weights_0_1 = 2 * np.random.random((3, hidden_size)) - 1
    weights_1_2 = 2 * np.random.random((hidden_size, 1)) - 1
    steps = []
    for iteration in range(iterations):
        steps.append([])
        for i in range(len(streetlights)):
            step = one_step(streetlights[i:i + 1], walk_vs_stop[i:i + 1], weights_0_1, weights_1_2, alpha)
            steps[iteration].append(step)
            weights_0_1, weights_1_2 = step["new_weights_0_1"], step["new_weights_1_2"]
    return steps
# --8<-- [end:streetlights_steps]


# --8<-- [start:seed_lines]
# 原笔记原来的三行（拼写已改正），每一行都有一个形状上的错误
def seed_layer_1(layer_0, weight_0_1):
    return relu(layer_0 * weight_0_1)  # 应为 layer_0.dot(weight_0_1)


def seed_layer_2(layer_1, weight_1_2):
    return layer_1 * weight_1_2  # 应为 layer_1.dot(weight_1_2)


def seed_layer_1_delta(layer_2_delta, weight_1_2, layer_1):
    return layer_2_delta.T.dot(weight_1_2) * relu2deriv(layer_1)  # 应为 layer_2_delta.dot(weight_1_2.T)
# --8<-- [end:seed_lines]


# --8<-- [start:try_shape]
def try_shape(compute):
    """运行 compute()：成功就说出结果的形状，报错就说出 numpy 的报错。"""
    try:  # try/except：compute() 报 ValueError 时不中断程序，而是接住它，返回报错信息
        return f"形状 {compute().shape}"
    except ValueError as error:
        return f"ValueError: {error}"
# --8<-- [end:try_shape]


# --8<-- [start:seed_fixed_row]
def train_seed_fixed_row(images, labels, alpha=0.2, steps=240, hidden_size=4, seed=1):
    """把原笔记的那一步（layer_0 = image[0:1]，下标固定为 0）重复 steps 次；原笔记只写了一步，没有对行的循环。"""
    np.random.seed(seed)
    weights_0_1 = 2 * np.random.random((images.shape[1], hidden_size)) - 1
    weights_1_2 = 2 * np.random.random((hidden_size, labels.shape[1])) - 1
    for step in range(steps):
        layer_0 = images[0:1]  # 每一步都是行 i = 0
        goal = labels[0:1]
        train_step(layer_0, goal, weights_0_1, weights_1_2, alpha)
    return weights_0_1, weights_1_2
# --8<-- [end:seed_fixed_row]


def train_streetlights_book_sign(alpha=0.2, hidden_size=4, iterations=60, seed=1):
    """照原书第 6 章「Backpropagation in Code」的写法：delta = 真实值 − 预测，权重用 += 更新。"""
    np.random.seed(seed)
    weights_0_1 = 2 * np.random.random((3, hidden_size)) - 1
    weights_1_2 = 2 * np.random.random((hidden_size, 1)) - 1
    errors = []
    for iteration in range(iterations):
        layer_2_error = 0
        for i in range(len(streetlights)):
            layer_0 = streetlights[i:i + 1]
            layer_1 = relu(np.dot(layer_0, weights_0_1))
            layer_2 = np.dot(layer_1, weights_1_2)
            layer_2_error += np.sum((layer_2 - walk_vs_stop[i:i + 1]) ** 2)
            layer_2_delta = walk_vs_stop[i:i + 1] - layer_2  # 真实值 − 预测
            layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1)
            weights_1_2 += alpha * layer_1.T.dot(layer_2_delta)
            weights_0_1 += alpha * layer_0.T.dot(layer_1_delta)
        errors.append(layer_2_error)
    return errors


def main():
    # --8<-- [start:shapes]
    np.random.seed(1)
    weights_0_1 = 2 * np.random.random((3, 4)) - 1
    weights_1_2 = 2 * np.random.random((4, 1)) - 1
    layer_0 = streetlights[0:1]
    layer_1, layer_2 = forward(layer_0, weights_0_1, weights_1_2)
    layer_2_delta = layer_2 - walk_vs_stop[0:1]
    layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1)
    for name, value in [("layer_0", layer_0), ("weights_0_1", weights_0_1), ("layer_1", layer_1),
                        ("weights_1_2", weights_1_2), ("layer_2", layer_2),
                        ("layer_2_delta", layer_2_delta), ("layer_1_delta", layer_1_delta)]:
        print(f"{name:14} 形状 {value.shape}")
    # --8<-- [end:shapes]

    # --8<-- [start:seed_failures]
    square_weights = np.ones((3, 3))  # 假如隐藏层恰好也是 3 个单元
    print("layer_0 * weight_0_1（3×4）:", try_shape(lambda: seed_layer_1(layer_0, weights_0_1)))
    print("layer_0 * weight_0_1（3×3）:", try_shape(lambda: seed_layer_1(layer_0, square_weights)))
    print("layer_1 * weight_1_2       :", try_shape(lambda: seed_layer_2(layer_1, weights_1_2)))
    print("layer_2_delta.T.dot(weight_1_2):",
          try_shape(lambda: seed_layer_1_delta(layer_2_delta, weights_1_2, layer_1)))
    # --8<-- [end:seed_failures]

    # --8<-- [start:seed_fixed_row_demo]
    weights_0_1, weights_1_2 = train_seed_fixed_row(streetlights, walk_vs_stop, steps=240)
    layer_1, layer_2 = forward(streetlights, weights_0_1, weights_1_2)
    print("只学行 i = 0，学了 240 步之后，四行的预测:", layer_2.ravel().round(3), " 真实值:", walk_vs_stop.ravel())
    print("四行的误差之和:", np.sum((layer_2 - walk_vs_stop) ** 2).round(3))
    # --8<-- [end:seed_fixed_row_demo]

    # --8<-- [start:streetlights]
    weights_0_1, weights_1_2, errors = train_streetlights(alpha=0.2, hidden_size=4, iterations=60)
    for iteration, layer_2_error in enumerate(errors):
        if iteration % 10 == 9:
            print("Error:" + str(layer_2_error))
    layer_1, layer_2 = forward(streetlights, weights_0_1, weights_1_2)
    print("训练后的预测:", layer_2.ravel().round(3), " 真实值:", walk_vs_stop.ravel())
    # --8<-- [end:streetlights]

    # --8<-- [start:python2_digits]
    # 印刷版的书用 Python 2 运行：它的 str(浮点数) 只保留 12 位有效数字，相当于 "%.12g"
    for layer_2_error in errors[9::10]:
        print("Error:" + "%.12g" % layer_2_error)
    # --8<-- [end:python2_digits]


def exercise_all_closed_row():
    # --8<-- [start:exercise_all_closed_row]
    steps = streetlights_steps()
    for iteration in range(4):
        step = steps[iteration][3]  # 行 i = 3：三盏灯都亮，该停
        opened = [j + 1 for j in range(4) if step["z"][0, j] > 0]  # 单元从 1 数，和逐步演示一样
        changed = np.count_nonzero(step["weight_delta_0_1"]) + np.count_nonzero(step["weight_delta_1_2"])
        print(f"第 {iteration + 1} 轮：打开的单元 {opened}，预测 {step['layer_2'][0, 0]:.4f}，"
              f"误差 {step['error']:.6f}，权重梯度不为 0 的连线 {changed} 条")
    # --8<-- [end:exercise_all_closed_row]


# --8<-- [start:plot_streetlights_error]
def plot_streetlights_error():
    """路灯网络每一轮的误差（对数纵轴），标出每 10 轮打印的那六个点（图例写在页面上图下的句子里）。"""
    errors = train_streetlights()[2]
    epochs = np.arange(1, len(errors) + 1)
    figure, ax = new_figure(height=3.6)
    ax.semilogy(epochs, errors, color=BLUE)
    ax.semilogy(epochs[9::10], errors[9::10], "o", color=ORANGE)
    ax.minorticks_off()  # 不画次刻度：图更清爽，文件也更小
    ax.set_xlabel("轮数")
    ax.set_ylabel("误差")
    return figure
# --8<-- [end:plot_streetlights_error]


# --8<-- [start:plot_network]
def plot_network():
    """网络的示意图，从上往下：3 个输入、4 个隐藏单元、1 个输出；蓝色是前向传播，橙色是反向传播的 delta。

    竖着画，手机上也放得下：左边是节点和连线，右边一行行写着每一层、权重和 delta。
    """
    figure, ax = new_figure(width=5.6, height=5.6)  # 窄一些：手机上缩得少，字更大
    ax.set_xlim(0, 10)
    ax.set_ylim(0.6, 10.8)
    ax.axis("off")
    rows = [(9.4, [1.5, 2.45, 3.4], BLUE), (6.4, [1.0, 1.95, 2.9, 3.85], GREEN), (2.8, [2.45], ORANGE)]
    for (y, xs, _), (y_to, xs_to, _) in zip(rows, rows[1:]):
        for x in xs:
            for x_to in xs_to:
                ax.plot([x, x_to], [y, y_to], color=GRAY, linewidth=0.8, alpha=0.6, zorder=1)
    for y, xs, color in rows:
        ax.scatter(xs, [y] * len(xs), s=450, color=PAPER, edgecolor=color, linewidth=2, zorder=2)
    right = {"ha": "left", "va": "center"}
    ax.text(4.5, 9.4, "输入层 layer_0（1×3）", **right)
    ax.text(4.5, 6.4, "隐藏层 layer_1（1×4，ReLU）", **right)
    ax.text(4.5, 2.8, "输出层 layer_2（1×1）", **right)

    # 前向传播：从上往下，经过两个权重矩阵
    ax.annotate("", xy=(0.3, 2.2), xytext=(0.3, 10.0),
                arrowprops={"arrowstyle": "-|>", "color": BLUE, "linewidth": 2, "mutation_scale": 18})
    ax.text(0.1, 10.5, "前向传播", color=BLUE, **right)
    ax.text(4.5, 7.9, "× weights_0_1（3×4）", color=BLUE, **right)
    ax.text(4.5, 4.3, "× weights_1_2（4×1）", color=BLUE, **right)

    # 反向传播：从下往上，delta 一层层往回传
    ax.annotate("", xy=(9.75, 5.9), xytext=(9.75, 1.5),
                arrowprops={"arrowstyle": "-|>", "color": ORANGE, "linewidth": 2, "mutation_scale": 18})
    ax.text(10.0, 1.0, "反向传播", color=ORANGE, ha="right", va="center")
    ax.text(4.5, 2.1, "layer_2_delta", color=ORANGE, **right)  # 两个 delta 的算法写在页面上图前的公式里
    ax.text(4.5, 5.6, "layer_1_delta", color=ORANGE, **right)
    return figure
# --8<-- [end:plot_network]


# --8<-- [start:plot_one_step]
def signed(x):
    """图上的数：三位小数，负号写成 “−”，负零写成 0。"""
    return f"{x + 0.0:.3f}".replace("-", "−")


def plot_one_step():
    """路灯网络训练的第一步（第 1 轮，行 i = 0）：每个隐藏单元的加权和 z、打开还是关闭、两层的 delta（Δ1、Δ2）；
    连线的粗细和颜色是它的权重梯度（红色为负，蓝色为正，细虚线为 0）。没有 JavaScript 时逐步演示显示这张图，
    这些说明写在页面上图的下面（字在页面上比在图里轻得多）。"""
    step = streetlights_steps(iterations=1)[0][0]
    layer_0, goal = streetlights[0], walk_vs_stop[0, 0]
    figure, ax = new_figure(width=5.8, height=5.0)  # 在小实验的方框里，手机上的字也不小于 9 像素
    ax.set_xlim(0, 10)
    ax.set_ylim(0.4, 10.1)
    ax.axis("off")
    inputs, hidden, output = [(x, 9.0) for x in (2.8, 5.0, 7.2)], [(x, 5.6) for x in (1.2, 3.8, 6.2, 8.8)], (5.0, 1.2)
    label = {"ha": "center", "va": "center", "zorder": 4,
             "bbox": {"boxstyle": "round,pad=0.12", "facecolor": PAPER, "edgecolor": "none"}}
    edges = [(a, b, step["weight_delta_0_1"][k, j]) for k, a in enumerate(inputs) for j, b in enumerate(hidden)]
    edges += [(b, output, step["weight_delta_1_2"][j, 0]) for j, b in enumerate(hidden)]
    largest = max(abs(g) for _, _, g in edges)
    for (x0, y0), (x1, y1), g in edges:
        if g == 0:
            ax.plot([x0, x1], [y0, y1], color=GRAY, linewidth=0.8, linestyle=":", zorder=1)
        else:
            color = RED if g < 0 else BLUE
            ax.plot([x0, x1], [y0, y1], color=color, linewidth=1.5 + 4 * abs(g) / largest, zorder=1)
            ax.text(x0 + 0.45 * (x1 - x0), y0 + 0.45 * (y1 - y0), signed(g), color=color, **label)
    node = {"s": 700, "zorder": 2, "linewidth": 2, "color": PAPER}
    for k, (x, y) in enumerate(inputs):
        ax.scatter([x], [y], edgecolor=ORANGE if layer_0[k] else GRAY, **node)
        ax.text(x, y, str(layer_0[k]), ha="center", va="center", zorder=3)
        ax.text(x, y + 0.9, f"灯 {k + 1}", **label)
    for j, (x, y) in enumerate(hidden):
        opened = step["z"][0, j] > 0
        ax.scatter([x], [y], edgecolor=GREEN if opened else GRAY, linestyle="-" if opened else "--", **node)
        ax.text(x, y, str(j + 1), ha="center", va="center", zorder=3)
        ax.text(x, y + 0.95, f"z = {signed(step['z'][0, j])}", **label)
        ax.text(x, y - 0.9, "打开" if opened else "关闭", **{**label, "color": GREEN if opened else GRAY})
        ax.text(x, y - 1.6, f"Δ1 = {signed(step['layer_1_delta'][0, j])}", **label)
    ax.scatter([output[0]], [output[1]], edgecolor=BLUE, **node)
    ax.text(output[0] + 0.65, output[1] + 0.35, f"预测 {signed(step['layer_2'][0, 0])}，真实值 {goal}", va="center")
    ax.text(output[0] + 0.65, output[1] - 0.4, f"Δ2 = {signed(step['layer_2_delta'][0, 0])}", va="center")
    return figure
# --8<-- [end:plot_one_step]


FIGURES = {
    "streetlights_error": plot_streetlights_error,
    "network": plot_network,
    "one_step": plot_one_step,
}

EXERCISES = [exercise_all_closed_row]

if __name__ == "__main__":
    main()
    for exercise in EXERCISES:
        exercise()
