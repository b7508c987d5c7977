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
# 这个「动手试一试」页面上的输出和图，是把下面的代码从头运行一次得到的。把它下载到自己的电脑上（页面末尾有下载链接和运行方法），就可以修改数字重新运行。第一段代码里的 `from snippets.… import …`，取的是本站各页代码里的函数（多数在正文里讲过，少数是画图用的小工具）：`snippets` 是本站放这些代码的文件夹，每一页一个模块，下载的压缩包里也有。

# %%
import numpy as np

from snippets.curvature import eigen_directions, hill_hessian, second_derivative
from snippets.gradient_descent import hill_error, walk_down
from snippets.learning_rate import divergence_message, multi_input_update, plot_learning_rates, trace_line, train
from snippets.style import show
from snippets.valley import steps_to_reach, walk_with_momentum

# %% [markdown]
# 原书第 4 章「Breaking Gradient Descent」的例子：输入 2，真实值 0.8，初始权重 0.5。`train` 用原书的规则 `weight -= alpha * (delta * input)`，`delta` 每一步乘以 `1 - alpha * input**2`：它的绝对值小于 1，误差才会变小，也就是 `alpha < 2 / input**2`（`alpha` 大于 0）。改一改 `alpha` 和 `input`，试试 `alpha = 1`（原书不乘学习率的情形）、`1 / input**2`（一步到位）、略小于和略大于 `2 / input**2` 的值。按误差的导数 2·delta·input 走时，这些界限都减半，见[学习率一页](../../learning-rate/#regimes)。

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
# 几种学习率画在一起（输入固定为 2）。在 `alphas` 里加减几个值再运行。传给 `show` 的第一个值是一个画图函数，`show` 会调用它，调用时不传任何值（和第 1 章一样）；这里用 `lambda: plot_learning_rates(alphas)` 临时包一层，把 `alphas` 带进去（`lambda` 是临时的一行函数，见[误差山有多弯](../../curvature/#second-derivative)一页的代码）。只有误差超过发散阈值 10⁶ 的曲线才在停下处画叉：比如 `alpha = 0.6` 的误差越来越大，20 次预测内却还没超过阈值，所以没有叉。

# %%
alphas = [0.01, 0.1, 0.45, 0.5, 0.6, 1.0]
show(lambda: plot_learning_rates(alphas), "输入为 2 时几种学习率下误差随预测次数的变化，纵轴为对数坐标，发散的曲线在停下处画叉")

# %% [markdown]
# 先看误差山沿各个方向有多弯（见[误差山有多弯](../../curvature/#hessian)）。选一个单位方向 u，用它和 a 轴的夹角 `phi`（度）表示，从起点沿 u 切开，量切面在起点的二阶导数，再和 uᵀHu 比较。改一改 `phi`：它取多少时最弯、多少时最平？最弯和最平的值各是海森矩阵的哪个特征值？

# %%
phi = 30

H = hill_hessian()
u = np.array([np.cos(np.radians(phi)), np.sin(np.radians(phi))])  # np.radians 把度换成弧度
measured = second_derivative(lambda t: hill_error(np.array([1.5, 1.8]) + t * u), 0.0)
print("u =", u.round(4).tolist())
print(f"uᵀHu = {u.dot(H).dot(u):.4f}   切面的二阶导数（量出来）{measured:.4f}")

# %% [markdown]
# 在两个权重的误差山上下山。注意规则换了：上面单个权重的例子用原书的规则，每一步减去 `alpha` 乘以 `delta * input`（误差的导数的一半）；这里的 `walk_down` 每一步减去 `alpha` 乘以误差山的梯度 ∇f 本身（见[梯度下降](../../gradient-descent/#update)）。这座山上 `alpha` 的上限不是猜出来的：离营地的偏移在海森矩阵的每个特征方向上的分量，每一步乘以 `1 - alpha * λ`，λ 是那个方向的特征值，也就是沿这个方向的二阶导数。最弯的方向最先出问题，所以上限是 `2 / λ2`（λ2 是较大的特征值，推导见[狭长的山谷](../../valley/#alpha-limit)）。先算出它：

# %%
lambdas, _ = eigen_directions()
limit = 2 / lambdas[1]
print("两个特征值 λ1、λ2:", lambdas.round(4).tolist())
print("alpha 的上限 2 / λ2 =", round(limit, 4))

# %% [markdown]
# 改一改起点 `start` 和 `alpha`，每次走 300 步：取略小于上限的 `alpha`（比如 0.58），路径在山谷两壁之间来回振荡，但跳得越来越小，最后走到营地附近；取略大于上限的（比如 0.6），振荡越来越大，误差一旦超过发散阈值 10⁶ 就停下，并打印在哪一步发散。离上限越近，越要多走几步才看得出来：0.59 走完 300 步，误差已经比起点大了许多，但还没超过阈值。

# %%
start = [1.5, 1.8]
alpha = 0.2

path, diverged_at = walk_down(start, alpha, steps=300)
if diverged_at is not None:
    print(f"第 {diverged_at} 步误差超过发散阈值，已停止")
for step in [0, 1, 10, 100, len(path) - 1]:
    if step < len(path):
        print(f"第 {step:3} 步  权重 {path[step].round(4)}  误差 {hill_error(path[step]):.3g}")
factors = 1 - alpha * lambdas[::-1]  # [::-1]：倒过来排，先 λ2 后 λ1
print("每一步乘以（沿 v2、沿 v1）:", factors.round(3).tolist())

# %% [markdown]
# 带动量下山：`beta = 0` 就是上面的梯度下降。试试 `beta = 0.5`、`0.9`，再把 `alpha` 调大或调小，看误差要走几步才低于 10⁻¹⁰。

# %%
alpha = 0.3
beta = 0.5

path, diverged_at = walk_with_momentum(start, alpha, beta, steps=300)
if diverged_at is not None:
    print(f"第 {diverged_at} 步误差超过发散阈值，已停止")
else:
    reached = steps_to_reach(path, tolerance=1e-10)
    print("300 步内误差没有低于 1e-10" if reached is None else f"误差在第 {reached} 步第一次低于 1e-10")

# %% [markdown]
# 试过以后再看：`alpha = 0.3` 时，`beta = 0.9` 比 0.5 慢得多，而且换哪个 `alpha` 都救不回来。[狭长的山谷](../../valley/#momentum)一页算过：每个特征方向上，两步递推的方程 r² − (1 + β − αλ)·r + β = 0 的两个根之积是 β，所以绝对值较大的那个根不小于 √β ≈ 0.95（两个根是复数时，“绝对值”指复数的模，两个根的模都等于 √β，见那一页）。不管 `alpha` 取多少，走久了离营地的距离每一步剩下的比例都不小于约 0.95，比不带动量、`alpha = 0.2` 时沿谷底的 0.926 还慢。β 太大，速度衰减得太慢，球冲过头再折回来，要绕好几圈才停下。这座山的条件数只有 9 左右，[狭长的山谷](../../valley/#momentum)一页的取法给出 β ≈ 0.25；常用的 0.9 适合狭长得多的山谷。

# %% [markdown]
# 多个输入：把某个输入改成 0 或负数，看看对应的权重怎么变。

# %%
input = [8.5, 0.65, 1.2]  # toes, wlrec, nfans
weights = [0.1, 0.2, -0.1]

prediction, delta, weight_deltas, new_weights = multi_input_update(input, 1, weights, alpha=0.01)
print("prediction:", prediction)
print("weight_deltas:", weight_deltas.tolist())
print("更新后的 weights:", new_weights.tolist())
