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
# 这个笔记本在构建网站时运行过一遍，下面的输出和图就是那次运行的结果。
# [下载 gradient_descent.ipynb](../gradient_descent.ipynb)，在本仓库的虚拟环境里用 Jupyter 打开（`snippets` 需要能被导入，
# 见仓库的 README），就可以修改数字重新运行。

# %%
from snippets.gradient_descent import hill_error, walk_down
from snippets.learning_rate import divergence_message, multi_input_update, plot_learning_rates, trace_line, train
from snippets.style import show

# %% [markdown]
# 书里的例子：输入 2，目标 0.8，初始权重 0.5。改一改 `alpha` 和 `input`：
# `delta` 每次乘以 `1 - alpha * input**2`，它的绝对值小于 1 才收敛。试试 `alpha = 1`（书里不用学习率的情形）、
# `0.25`（一步到位）、`0.45`、`0.55`。

# %%
input = 2
alpha = 0.1

history, diverged_at = train(input=input, goal_pred=0.8, weight=0.5, iterations=20, alpha=alpha)
for error, prediction in history[:5]:
    print(trace_line(error, prediction))
if diverged_at is not None:
    print(divergence_message(diverged_at))
else:
    print("……")
    print(trace_line(*history[-1]))
print("每次迭代 delta 乘以:", 1 - alpha * input ** 2)

# %% [markdown]
# 几种学习率画在一起（输入固定为 2）。在 `alphas` 里加减几个值再运行：

# %%
alphas = [0.01, 0.1, 0.45, 0.6, 1.0]
alt = "输入为 2 时几种学习率下误差随迭代次数的变化，纵轴为对数坐标，发散的曲线在停下处画叉"
show(plot_learning_rates(alphas), alt)

# %% [markdown]
# 在两个权重的误差山上下山。改一改起点 `start` 和 `alpha`：这座山上 `alpha` 大约超过 0.59 就会发散。

# %%
start = [1.5, 1.8]
alpha = 0.2

path, diverged_at = walk_down(start, alpha, steps=25)
if diverged_at is not None:
    print(f"第 {diverged_at} 步发散，已停止")
for step in [0, 1, 5, len(path) - 1]:
    print(f"第 {step:2} 步  权重 {path[step].round(4)}  误差 {hill_error(path[step]):.6f}")

# %% [markdown]
# 多个输入：把某个输入改成 0 或负数，看看对应的权重怎么变。

# %%
input = [8.5, 0.65, 1.2]  # toes, wlrec, nfans
weights = [0.1, 0.2, -0.1]

prediction, delta, weight_deltas, new_weights = multi_input_update(input, 1, weights, alpha=0.01)
print("prediction:", prediction)
print("weight_deltas:", weight_deltas.tolist())
print("更新后的 weights:", new_weights.tolist())
