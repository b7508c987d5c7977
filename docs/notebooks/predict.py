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
# # 动手试一试：预测、比较和学习
#
# 下面的输出和图是这个笔记本运行一次的结果。

# %%
from snippets.predict import error_for_weight, neural_network, plot_error_parabola, squared_error
from snippets.style import show

# %% [markdown]
# 改一改下面的 `input`、`weight`、`label`，看看预测和误差怎么变。

# %%
input = 2
weight = 0.5
label = 0.8

prediction = neural_network(input, weight)
error = squared_error(prediction, label)
print("prediction =", prediction)
print("error =", error)

# %% [markdown]
# 让权重从 0 走到 1，误差先降后升，在 `label / input` 处为 0：

# %%
for weight in [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]:
    print(f"weight = {weight:.1f}  error = {error_for_weight(weight, input, label):.4f}")

# %% [markdown]
# 本章的抛物线图：

# %%
show(plot_error_parabola, "误差随权重变化的抛物线，标出例子中的权重 0.5 和最佳权重 0.4")
