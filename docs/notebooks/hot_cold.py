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
# # 动手试一试：冷热学习
#
# 这个「动手试一试」页面上的输出和图，是把下面的代码从头运行一次得到的。把它下载到自己的电脑上（页面末尾有下载链接和运行方法），就可以修改数字重新运行。第一段代码里的 `from snippets.… import …`，取的是本站各页代码里的函数（多数在正文里讲过，少数是画图用的小工具）：`snippets` 是本站放这些代码的文件夹，每一页一个模块，下载的压缩包里也有。

# %%
from snippets.hot_cold import gradient_descent, hot_cold_learning, iterations_to_reach
from snippets.style import BLUE, GREEN, ORANGE, new_figure, show

# %% [markdown]
# 下面是原书第 4 章「Hot and Cold Learning」的设置（原书跑 1101 轮，这里多跑一些）。改一改 `step_amount`（比如 0.01、0.003、0.3），看看误差最低能到多少、要跑多少轮。提示：起点到最佳权重的距离是 1.6 − 0.5 = 1.1，要走约 1.1 / `step_amount` 轮才到；步长很小时，把 `iterations` 加大。1.1 是步长的整数倍时，权重能走到 1.6 或它旁边：每次加法都有舍入误差，通常会走到 1.6 附近的一点，然后在那里和相邻的一点之间来回跳；那一点在 1.6 上方还是下方，取决于舍入。1.1 不是步长的整数倍时，权重会在 1.6 两侧来回跳，误差在两个由步长和余数决定的值之间交替。

# %%
input = 0.5
weight = 0.5
goal_prediction = 0.8
step_amount = 0.001
iterations = 1500

errors, predictions, weights = hot_cold_learning(input, weight, goal_prediction, step_amount, iterations)
print("最小误差:", min(errors))
print("最后 4 轮的权重:", [round(w, 6) for w in weights[-4:]])
print("误差低于 1e-10 要跑的轮数:", iterations_to_reach(errors, 1e-10))

# %% [markdown]
# 同一个问题上的梯度下降，用原书的更新 `weight -= alpha * input * delta`。改一改 `alpha`：
# 0.1、1、4、7 时误差都逐步减小，权重越来越接近最佳权重（4 一步就到，之后误差一直是 0；7 每一步都跨过最佳权重、但一次比一次近）；8 时权重在 0.5 和 2.7 之间来回跳，误差不变；大于 8 时误差会越变越大，函数会报错停下。（用误差的斜率 2 × delta × input 更新时，这些界限都减半。）

# %%
alpha = 1

gd_errors, gd_predictions, gd_weights = gradient_descent(input, weight, goal_prediction, alpha, iterations)
print("冷热学习的预测次数:", None if iterations_to_reach(errors, 1e-10) is None
      else 3 * iterations_to_reach(errors, 1e-10))
print("梯度下降的预测次数:", iterations_to_reach(gd_errors, 1e-10))

# %% [markdown]
# 把两种方法的权重画在一起（只画前 200 轮；画图的几行用的是 matplotlib，Python 的画图库，看不懂可以跳过）：梯度下降离得远时大步走，越近步子越小；冷热学习不管远近都走同样大的一步。

# %%
shown = 200


def plot_weights():
    figure, ax = new_figure()
    ax.plot(weights[:shown], color=ORANGE, label=f"冷热学习，步长 {step_amount}")
    ax.plot(gd_weights[:shown], color=BLUE, label=f"梯度下降，alpha = {alpha}")
    ax.axhline(goal_prediction / input, color=GREEN, linestyle="--", label="最佳权重")
    ax.set_xlabel("轮数")
    ax.set_ylabel("权重 weight")
    ax.legend()
    return figure


show(plot_weights, "冷热学习与梯度下降的权重随轮数的变化：梯度下降先大步后小步地靠近最佳权重，冷热学习沿直线匀速前进")
