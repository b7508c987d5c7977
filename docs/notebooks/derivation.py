# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 动手试一试：完整的数学推导
#
# 这个「动手试一试」页面上的输出和图，是把下面的代码从头运行一次得到的；把它下载到自己的电脑上（页面末尾有下载链接和运行方法），就可以修改数字重新运行。前两节动手试的是「[完整的数学推导](../../derivation/)」一页的偏置和批量平均，后三节试的是[梯度检查](../../gradient-check/)。第一段代码里的 `from snippets.… import …`，取的是本站各页代码里的函数（多数在正文里讲过，少数是画图用的小工具）：`snippets` 是本站放这些代码的文件夹，每一页一个模块，下载的压缩包里也有。

# %%
import numpy as np

from snippets.derivation import PARAMETER_NAMES, backward, forward, relu2deriv, train
from snippets.gradient_check import gradient_check, kink_distance, numerical_gradients, random_problem, relative_error
from snippets.style import BLUE, GRAY, new_figure, show

# %% [markdown]
# ## 偏置：同或
#
# 同或数据有四个样本：两个输入相同时真实值为 1，不同时为 0。下面把本章的网络训练两遍，一遍不用偏置（`use_bias=False`，原笔记的写法），一遍启用偏置。不用偏置时，输入 `[0, 0]` 的预测恒为 0，而它的真实值是 1，所以误差怎么也降不到 1/(2×4) = 0.125 以下。改一改隐藏层的大小 `hidden_size`、学习率 `alpha`、步数 `iterations` 和随机种子 `seed`，再运行：启用偏置时，总能学会吗？
#
# 提示（自己试过再看）：不一定。隐藏层很窄时（比如 `hidden_size = 2`），种子 0 到 19 里有 15 个会卡住，误差停在 1/16、1/12 或 1/8。原因和第 4 章的路灯网络一样：要么有的行让所有隐藏单元关闭，要么活着的单元对每一行都打开（后一种情形下，网络退回不带 ReLU、带偏置的网络，预测是输入的一次函数）。不同的是有了输出层的偏置 b2：让所有单元都关闭的那几行，预测不再是 0，而是 b2，卡住时它等于这几行真实值的平均（打开了单元的那几行学对时）。单元全死了，或者活着的单元都对每一行打开时，四行都预测 0.5，因为对同或数据，这样的网络里最好的就是常数 0.5。这时误差恰好也是 0.125：和不用偏置时同一个数，原因却不同。

# %%
hidden_size, alpha, iterations, seed = 8, 0.2, 500, 0

xnor_inputs = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
xnor_goal = np.array([[1.0], [0.0], [0.0], [1.0]])
for use_bias in [False, True]:
    params, errors = train(xnor_inputs, xnor_goal, hidden_size, alpha, iterations, seed=seed, use_bias=use_bias)
    predictions = forward(xnor_inputs, params)[1].ravel()
    print(f"use_bias={use_bias}")
    for step in [0, iterations // 10, iterations // 2, iterations - 1]:
        print(f"  走了 {step:4d} 步后，误差 {errors[step]:.2e}")  # errors[step] 是第 step + 1 步之前的误差
    print(f"  训练后的预测 {np.round(predictions, 3)}，真实值 {xnor_goal.ravel()}")

# %% [markdown]
# ## 批量平均
#
# 误差里的 1/n 让整批的梯度等于每个样本单独求出的梯度的平均。下面打印的“最多相差”只有舍入误差那么大（10⁻¹⁶ 的量级）；这么小的数在不同的电脑上可能不同，甚至是 0。下面一次用整批样本算梯度，再每个样本单独算一次、取平均，比一比。改一改批的大小 `batch_size`（1 到 20：网络和 20 个样本只抽一次，每次取前 `batch_size` 个）：差别始终只有舍入误差那么大。把整批的梯度乘以 `batch_size`，就是不除以 n 时的梯度，它大致随批的大小一起变大；取平均的梯度却大致停在同一个量级（批很小时，一两个样本的梯度可能偏大或偏小）。

# %%
batch_size = 6

all_layer_0, all_goal, params = random_problem(20, 4, 5, 3, seed=0)
layer_0, goal = all_layer_0[:batch_size], all_goal[:batch_size]
whole = backward(layer_0, goal, params)
rows = [backward(layer_0[i:i + 1], goal[i:i + 1], params) for i in range(batch_size)]
for name in PARAMETER_NAMES:
    mean_of_rows = np.mean([row[name] for row in rows], axis=0)
    print(f"{name:<12} 整批的梯度与各样本梯度的平均最多相差 {np.max(np.abs(whole[name] - mean_of_rows)):.1e}"
          f"   梯度的长度 {np.linalg.norm(whole[name]):.3f}，不除以 n 时 {np.linalg.norm(batch_size * whole[name]):.3f}")

# %% [markdown]
# ## 换一个网络做梯度检查
#
# 改一改批的大小 `batch_size`、输入数 `input_size`、隐藏层的大小 `hidden_size`、输出数 `output_size` 和随机种子 `seed`，再运行。四组参数的相对误差都应该远低于阈值 1e-6。
#
# `random_problem` 会让每个预激活值离 ReLU 的折点至少 `margin` 远。预激活值一共有 `batch_size × hidden_size` 个，问题很大时（比如 `batch_size`、`input_size`、`hidden_size`、`output_size` 取 100、10、100、3）常常有几个离 0 很近，抽 100 次也避不开（比如 `seed = 0` 时），它就会报错；这时把 `margin` 调小到 1e-4。`margin` 要大于 h·max(1, max|X|)（差分步长 h 最多能把预激活值推动的距离），否则 `gradient_check` 可能拒绝检查。

# %%
batch_size, input_size, hidden_size, output_size = 6, 4, 5, 3
seed, margin = 0, 1e-3

layer_0, goal, params = random_problem(batch_size, input_size, hidden_size, output_size, seed=seed, margin=margin)
for name, error in gradient_check(layer_0, goal, params, h=1e-5).items():
    print(f"{name:<12} 相对误差 {error:.1e}")

# %% [markdown]
# ## 故意写错一行反向传播
#
# 下面是 `backward` 的一个“错误版”：算隐藏层的 delta 时忘了乘 `relu2deriv`。梯度检查能不能发现？然后先在 `wrong_backward` 里把 `* relu2deriv(layer_1)` 补回去（补好后它和正确的 `backward` 算的一样），再试着每次只把别的一处改错（比如把 `/ n` 去掉，或者偏置的梯度用 `mean` 代替 `sum`），看看哪几组参数会报警，想想为什么。

# %%
def wrong_backward(layer_0, goal, params):
    # np.maximum(z, 0) 逐个元素取 z 和 0 中较大的那个，就是 relu(z)
    layer_1 = np.maximum(layer_0.dot(params["weights_0_1"]) + params["bias_1"], 0)
    layer_2 = layer_1.dot(params["weights_1_2"]) + params["bias_2"]
    n = len(layer_0)
    layer_2_delta = (layer_2 - goal) / n
    layer_1_delta = layer_2_delta.dot(params["weights_1_2"].T)  # 错：少乘了 relu2deriv(layer_1)
    return {
        "weights_0_1": layer_0.T.dot(layer_1_delta),
        "bias_1": layer_1_delta.sum(axis=0, keepdims=True),
        "weights_1_2": layer_1.T.dot(layer_2_delta),
        "bias_2": layer_2_delta.sum(axis=0, keepdims=True),
    }


numeric = numerical_gradients(layer_0, goal, params, h=1e-5)
wrong = wrong_backward(layer_0, goal, params)
right = backward(layer_0, goal, params)
for name in PARAMETER_NAMES:
    print(f"{name:<12} 正确版 {relative_error(right[name], numeric[name]):.1e}"
          f"   错误版 {relative_error(wrong[name], numeric[name]):.1e}")

# %% [markdown]
# 只有 W1 和 b1 报警：错的是 `layer_1_delta`，而 W2、b2 的梯度只用到 `layer_2_delta` 和 `layer_1`，根本不经过 `layer_1_delta`。哪几组参数报警，错误多半在这几组的梯度用到、而其余几组用不到的那段计算里（也有例外：错的部分恰好在某几组的梯度里互相抵消时，那几组就不报警）。
#
# 上面建议的两处改错，自己试过再对照（在补好的 `wrong_backward` 上每次只改错这一处；n 是批的大小）：把 `/ n` 去掉，四组梯度都变成正确值的 n 倍，四组都报警，相对误差都是 (n − 1)/(n + 1)，n = 6 时是 5/7；偏置的梯度用 `mean` 代替 `sum`，两个偏置的梯度变成正确值的 1/n，只有 b1 和 b2 报警，相对误差也是 (n − 1)/(n + 1)。

# %% [markdown]
# ## 差分步长 h 的影响
#
# 对上面这个网络，让 h 从 1e-12 走到 1e-1，画出相对误差。左边是舍入误差（与 ε/h 成正比）；ReLU 网络沿一个参数在折点之间是二次函数，所以右边没有 h² 的上升，直到 h 大到跨过折点。离折点最近的预激活值打印在下面。改 W1 第 p 行第 q 列的元素，只有第 q 个单元上的预激活值会动，第 i 个样本的移动 h·|X[i, p]|；改 b1 的第 q 个元素，每个样本在第 q 个单元上的预激活值都移动 h。h·max(1, max|X|) 超过这个距离之前，相对误差不会陡增；超过之后也可能晚一些才陡增：离折点最近的那个预激活值，对应的输入不一定是最大的那个。

# %%
print(f"离折点最近的预激活值: {kink_distance(layer_0, params):.2e}，max|X| = {np.max(np.abs(layer_0)):.2f}")
right = backward(layer_0, goal, params)  # 这个网络的反向传播结果（上面改过网络也没关系）
steps = np.logspace(-12, -1, 23)  # 从 1e-12 到 1e-1，按 10 的幂等距取 23 个 h（指数每次加 0.5）
worst = []
for h in steps:
    numeric = numerical_gradients(layer_0, goal, params, h)
    worst.append(max(relative_error(right[name], numeric[name]) for name in PARAMETER_NAMES))


def plot_worst():
    figure, ax = new_figure()
    ax.loglog(steps, worst, "o-", color=BLUE)
    ax.axhline(1e-6, color=GRAY, linestyle="--")
    ax.set_xlabel("差分步长 h")
    ax.set_ylabel("相对误差（四组中最大）")
    return figure


# show 和第 1 章的「动手试一试」里一样：画出图；传给它的第二个值用一句话说明图里画了什么，给看不到图的读者
show(plot_worst, "这个网络的梯度检查相对误差随差分步长 h 变化的双对数图：h 很小时相对误差随 h 减小而上升，"
     "h 大到把某个预激活值推过折点时陡然升高，灰色虚线是 1e-6 的阈值")
