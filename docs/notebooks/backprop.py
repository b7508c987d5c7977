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
# # 动手试一试：反向传播
#
# 这个「动手试一试」页面上的输出和图，是把下面的代码从头运行一次得到的；把它下载到自己的电脑上（页面末尾有下载链接和运行方法），就可以修改数字重新运行。第一段代码里的 `from snippets.… import …`，取的是本站各页代码里的函数（多数在正文里讲过，少数是画图用的小工具）：`snippets` 是本站放这些代码的文件夹，每一页一个模块，下载的压缩包里也有。

# %%
import inspect

import numpy as np

from snippets.backprop import (TrainingDiverged, forward, streetlights, train_streetlights,
                               train_streetlights_book_sign, walk_vs_stop)
from snippets.digits import load_digit_split, predict_digits, train_digits
from snippets.style import new_figure, show

# %% [markdown]
# ## 路灯
#
# 改一改学习率 `alpha`、隐藏层的大小 `hidden_size` 和随机种子 `seed`。`alpha = 0.2`、`hidden_size = 4`、`seed = 1` 是原书第 6 章的设置。试试 `alpha = 2`：所有隐藏单元都会死掉，误差停在 2。换一个 `seed`，网络也可能学不会：`alpha = 0.2` 时，种子 0 到 19 里有 9 个卡住，一轮累加的误差停在 1、约 1.32 或 2（见[ReLU：折点、死掉的单元和卡住的训练](../../relu/#not-a-bowl)）。
#
# 打印的误差在你的电脑上可能和原书的配套笔记本差在最后几位：numpy 的矩阵乘法在不同的 CPU 上会按不同的次序相加（见[反向传播](../../backprop/#路灯和原书一样的数)一页的说明）。
#
# 用原书的 `seed = 1` 时，下面打印的隐藏层输出里，第 1 列和第 3 列全是 0：这两个单元对每一行都关闭，从一开始就死掉了。行 i = 3（三盏灯都亮）也全是 0：训练到最后，这一行让四个单元都关闭，预测是 0，正好是“停”（[反向传播](../../backprop/#练习)一页的练习看的是前几轮：从第 3 轮起，第 4 个单元对这一行一直打开，到第 47 轮为止，之后才被推回关闭）。印成 `-0.` 的是负零，也等于 0（见[ReLU](../../relu/#relu2deriv) 一页）。

# %%
alpha = 0.2
hidden_size = 4
seed = 1

weights_0_1, weights_1_2, errors = train_streetlights(alpha=alpha, hidden_size=hidden_size,
                                                      iterations=60, seed=seed)
for iteration, layer_2_error in enumerate(errors):
    if iteration % 10 == 9:
        print("Error:" + str(layer_2_error))
layer_1, layer_2 = forward(streetlights, weights_0_1, weights_1_2)
print("隐藏层的输出（每行一个样本）:")
print(layer_1.round(3))
print("预测:", layer_2.ravel().round(3), " 真实值:", walk_vs_stop.ravel())

# %% [markdown]
# 原书第 6 章「Backpropagation in Code」写的是 `layer_2_delta = walk_vs_stop[i:i+1] - layer_2`（真实值 − 预测），两个权重矩阵都用 `+=` 更新；`train_streetlights_book_sign` 就是这样写的（下面先把它的代码打印出来）。它和 `train_streetlights` 的 60 轮误差是差不多，还是一位不差？（为什么，见[反向传播](../../backprop/#路灯和原书一样的数)一页。）

# %%
print(inspect.getsource(train_streetlights_book_sign))

# %%
ours = train_streetlights(alpha=alpha, hidden_size=hidden_size, iterations=60, seed=seed)[2]
book = train_streetlights_book_sign(alpha=alpha, hidden_size=hidden_size, iterations=60, seed=seed)
print("预测 − 真实值、-=，最后的误差:", ours[-1])
print("真实值 − 预测、+=，最后的误差:", book[-1])
print("60 轮的误差完全相同:", ours == book)

# %% [markdown]
# 把几个学习率的误差曲线画在一起（对数纵轴）：

# %%
def plot_alphas():
    figure, ax = new_figure()
    for alpha in [0.05, 0.1, 0.2, 0.4]:
        errors = train_streetlights(alpha=alpha)[2]
        ax.semilogy(range(1, len(errors) + 1), errors, label=f"alpha = {alpha}")
    ax.set_xlabel("轮数")
    ax.set_ylabel("误差（对数刻度）")
    ax.legend()
    return figure


show(plot_alphas, "四个学习率下路灯网络的误差曲线（对数纵轴）：前几轮几条曲线差不多，第 1 轮学习率大的误差反而略高；"
                  "20 轮以后学习率越大，误差降得越快，alpha = 0.05 的误差 60 轮后仍在 0.4 左右")

# %% [markdown]
# ## 手写数字
#
# 改一改隐藏层的大小、学习率、批的大小和训练的轮数，看看测试集上的准确率怎么变。（这里只是为了看看；认真挑设置时，要另留一份“验证集”来比较，测试集只在最后用一次，否则测试集上的准确率会偏乐观。）下面只用了一个随机种子；换一个 `seed`（传给 `train_digits` 的值），准确率也会变，隐藏层小的时候变得尤其多（8 个单元时，种子 0 到 4 的准确率从 0.71 到 0.89），所以两个设置的准确率只差一点点时，不能说哪个更好。

# %%
train_images, train_labels, test_images, test_labels = load_digit_split()
digits = np.argmax(test_labels, axis=1)

for hidden_size in [8, 16, 40, 64]:
    try:
        weights_0_1, weights_1_2 = train_digits(train_images, train_labels, hidden_size=hidden_size,
                                                alpha=0.1, batch_size=20, epochs=10)
    except TrainingDiverged as error:
        print(f"hidden_size = {hidden_size}: {error}")
        continue
    accuracy = np.mean(predict_digits(test_images, weights_0_1, weights_1_2) == digits)
    print(f"hidden_size = {hidden_size:3}  测试集准确率 {accuracy:.3f}")
