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
# 这个「动手试一试」页面上的输出和图，是把下面的代码从头运行一次得到的。把它下载到自己的电脑上（页面末尾有下载链接和运行方法），就可以修改数字重新运行。第一段代码里的 `from snippets.… import …`，取的是本站各页代码里的函数（多数在正文里讲过，少数是画图用的小工具）：`snippets` 是本站放这些代码的文件夹，每一页一个模块，下载的压缩包里也有。

# %%
from snippets.predict import error_for_weight, mean_squared_error, neural_network, plot_error_parabola, squared_error
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
# 让权重从 0 走到 1。误差在最佳权重 `label / input` 处最低（这里是 0.4；如果它正好在列表里，那一行的误差就是 0）。最佳权重在 0 和 1 之间、离两端都不太近，所以列表里的误差先降后升；改了 `input` 或 `label`，最佳权重不在 0 和 1 之间时，误差就一直降或一直升。（`input` 为 0 时，预测总是 0，误差不随权重变：每个权重的误差都一样，最佳权重不唯一。）

# %%
for w in [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]:
    print(f"weight = {w:.1f}  error = {error_for_weight(w, input, label):.4f}")

# %% [markdown]
# 多个样本时，均方误差把每个样本的平方误差取平均。换几组预测和真实值试试；两组的长度不同时，它会报错说明原因：

# %%
print("均方误差:", mean_squared_error([1.0, 0.5, 0.9], [0.8, 0.8, 0.8]))

# %% [markdown]
# 下面画出本章的抛物线图（它固定用本章的例子：输入 2，真实值 0.8，权重 0.5）。`show` 画出这张图；传给它的第二个值是给看不到图的读者的文字说明：

# %%
show(plot_error_parabola, "误差随权重变化的抛物线，标出例子中的权重 0.5 和最佳权重 0.4")
