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
# # 动手试一试：梯度下降
#
# 下面的输出和图都是把这个笔记本从头运行得到的。

# %%
import numpy as np

from snippets.gradient_descent import hill_error, walk_down
from snippets.learning_rate import (divergence_message, hill_curvature, multi_input_update, plot_learning_rates,
                                    trace_line, train)
from snippets.style import show

# %% [markdown]
# 书里第 4 章「Breaking Gradient Descent」的例子：输入 2，真实值 0.8，初始权重 0.5。`train` 用书里的规则
# `weight -= alpha * (delta * input)`，`delta` 每一步乘以 `1 - alpha * input**2`：它的绝对值小于 1，误差才会变小，
# 也就是 `alpha < 2 / input**2`。改一改 `alpha` 和 `input`，试试 `alpha = 1`（书里不乘学习率的情形）、
# `1 / input**2`（一步到位）、略小于和略大于 `2 / input**2` 的值。按真正的导数（多乘一个 2）走时，这些界限都减半，
# 见[学习率一页](../../learning-rate/#regimes)。

# %%
input = 2
alpha = 0.1

print("上限 2 / input² =", 2 / input ** 2, "  一步到位 1 / input² =", 1 / input ** 2)
print("每一步 delta 乘以:", 1 - alpha * input ** 2)
history, diverged_at = train(input=input, goal_pred=0.8, weight=0.5, iterations=20, alpha=alpha)
for error, prediction in history[:5]:
    print(trace_line(error, prediction))
if diverged_at is not None:
    print(divergence_message(diverged_at))
else:
    print("……")
    print(trace_line(*history[-1]))

# %% [markdown]
# 几种学习率画在一起（输入固定为 2）。在 `alphas` 里加减几个值再运行：

# %%
alphas = [0.01, 0.1, 0.45, 0.5, 0.6, 1.0]
alt = "输入为 2 时几种学习率下误差随步数的变化，纵轴为对数坐标，发散的曲线在停下处画叉"
show(lambda: plot_learning_rates(alphas), alt)

# %% [markdown]
# 在两个权重的误差山上下山。这座山上 `alpha` 的上限不是猜出来的：沿碗的每个主方向，离营地的偏移每一步乘以
# `1 - alpha * λ`，λ 是那个方向的曲率（曲率矩阵的特征值）。最陡的方向最先出问题，所以上限是 `2 / λ_max`
# （推导见学习率一页的[回到误差山](../../learning-rate/#back-to-the-hill)）。先算出它：

# %%
curvatures = np.linalg.eigvalsh(hill_curvature())
limit = 2 / curvatures.max()
print("两个主方向的曲率:", curvatures.round(4).tolist())
print("alpha 的上限 2 / λ_max =", round(limit, 4))

# %% [markdown]
# 改一改起点 `start` 和 `alpha`：取略小于上限的 `alpha`，路径在山谷两壁之间来回横跳但仍然走到营地；
# 略大于上限就发散。

# %%
start = [1.5, 1.8]
alpha = 0.2

path, diverged_at = walk_down(start, alpha, steps=25)
if diverged_at is not None:
    print(f"第 {diverged_at} 步发散，已停止")
for step in [0, 1, 5, len(path) - 1]:
    print(f"第 {step:2} 步  权重 {path[step].round(4)}  误差 {hill_error(path[step]):.6f}")
print("每一步乘以（陡的方向、缓的方向）:", (1 - alpha * curvatures[::-1]).round(3).tolist())

# %% [markdown]
# 多个输入：把某个输入改成 0 或负数，看看对应的权重怎么变。

# %%
input = [8.5, 0.65, 1.2]  # toes, wlrec, nfans
weights = [0.1, 0.2, -0.1]

prediction, delta, weight_deltas, new_weights = multi_input_update(input, 1, weights, alpha=0.01)
print("prediction:", prediction)
print("weight_deltas:", weight_deltas.tolist())
print("更新后的 weights:", new_weights.tolist())
