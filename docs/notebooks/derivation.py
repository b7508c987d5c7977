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
# 下面的输出和图是这个笔记本运行一次的结果。

# %%
import numpy as np

from snippets.derivation import PARAMETER_NAMES, backward
from snippets.gradient_check import gradient_check, kink_distance, numerical_gradients, random_problem, relative_error
from snippets.style import BLUE, GRAY, new_figure, show

# %% [markdown]
# ## 换一个网络做梯度检查
#
# 改一改一批的样本数 `batch_size`、输入数 `input_size`、隐藏层宽度 `hidden_size`、输出数 `output_size`
# 和随机种子 `seed`，再运行。四组参数的相对误差都应该远低于 1e-6。

# %%
batch_size, input_size, hidden_size, output_size = 6, 4, 5, 3
seed = 0

layer_0, labels, params = random_problem(batch_size, input_size, hidden_size, output_size, seed=seed)
for name, error in gradient_check(layer_0, labels, params, h=1e-5).items():
    print(f"{name:<12} 相对误差 {error:.1e}")

# %% [markdown]
# ## 故意写错一行反向传播
#
# 下面是 `backward` 的一个“错误版”：算隐藏层的 delta 时忘了乘 `relu2deriv`。梯度检查能不能发现？
# 试着把别的地方改错（比如把 `/ n` 去掉，或者偏置的梯度用 `mean` 代替 `sum`），看看哪组参数先报警。

# %%
def wrong_backward(layer_0, labels, params):
    layer_1 = np.maximum(layer_0.dot(params["weights_0_1"]) + params["bias_1"], 0)
    layer_2 = layer_1.dot(params["weights_1_2"]) + params["bias_2"]
    n = len(layer_0)
    layer_2_delta = (layer_2 - labels) / n
    layer_1_delta = layer_2_delta.dot(params["weights_1_2"].T)  # 错：少乘了 relu2deriv(layer_1)
    return {
        "weights_0_1": layer_0.T.dot(layer_1_delta),
        "bias_1": layer_1_delta.sum(axis=0, keepdims=True),
        "weights_1_2": layer_1.T.dot(layer_2_delta),
        "bias_2": layer_2_delta.sum(axis=0, keepdims=True),
    }


numeric = numerical_gradients(layer_0, labels, params, h=1e-5)
wrong = wrong_backward(layer_0, labels, params)
right = backward(layer_0, labels, params)
for name in PARAMETER_NAMES:
    print(f"{name:<12} 正确版 {relative_error(right[name], numeric[name]):.1e}"
          f"   错误版 {relative_error(wrong[name], numeric[name]):.1e}")

# %% [markdown]
# ## 步长 h 的影响
#
# 对上面这个网络，让 h 从 1e-12 走到 1e-1，画出相对误差。左边是舍入误差（∝ ε/h）；
# ReLU 网络沿一个参数在折点之间是二次函数，所以右边没有 h² 的上升，直到 h 大到跨过折点。
# 离折点最近的预激活值打印在下面：跳高的位置大约就在 h·max|X| 超过它的地方。

# %%
print(f"离折点最近的预激活值: {kink_distance(layer_0, params):.2e}，max|X| = {np.max(np.abs(layer_0)):.2f}")
steps = np.logspace(-12, -1, 23)
worst = []
for h in steps:
    numeric = numerical_gradients(layer_0, labels, params, h)
    worst.append(max(relative_error(right[name], numeric[name]) for name in PARAMETER_NAMES))


def plot_worst():
    figure, ax = new_figure()
    ax.loglog(steps, worst, "o-", color=BLUE)
    ax.axhline(1e-6, color=GRAY, linestyle="--")
    ax.set_xlabel("步长 h")
    ax.set_ylabel("相对误差（四组中最大）")
    return figure


show(plot_worst, "这个网络的梯度检查相对误差随步长 h 变化的双对数图：h 很小时误差随 h 减小而上升，"
     "h 大到把某个预激活值推过折点时突然跳高，灰色虚线是 1e-6 的通过线")
