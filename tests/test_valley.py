"""第 3 章第 7 页：误差山上 alpha 的上限、之字形、条件数、最好的固定 alpha 和动量。

期望值的来源写在每个测试里：闭式解（2×2 对称矩阵的特征值由迹和行列式算出；沿特征方向的分量每一步乘以
1 − alpha·λ，误差 = ½·Σ λ·c²）、在细网格上直接求最小值、在特征方向的坐标里另写的动量递推、手算。
"""

import math
import re

import numpy as np
import pytest

from conftest import assert_figures_draw_and_stay_light
from snippets import curvature as cv
from snippets import gradient_descent as gd
from snippets import valley as vl
from test_curvature import START, XTX, block, closed_form_eigen

# 页面上不在输出里的小数 → 核对它的测试
PROSE_NUMBERS = {
    "0.01": "test_walks_just_below_and_above_the_limit",
    "0.8": "test_exercise_perpendicular_slice",
    "0.65": "test_factors_figure_marks_the_best_alpha",
    "0.80": "test_factors_figure_marks_the_best_alpha",
    "0.9": "test_a_common_beta_of_0_9_also_gets_there",
    "0.25": "test_exercise_round_bowl",
    "2.25": "test_exercise_round_bowl",
    "8.81": "test_momentum_first_step_raises_the_error_and_the_limit_moves",
    "13.84": "test_momentum_first_step_raises_the_error_and_the_limit_moves",
    "0.738": "test_momentum_first_step_raises_the_error_and_the_limit_moves",
    "-1.26": "test_momentum_first_step_raises_the_error_and_the_limit_moves",
}


def test_momentum_first_step_raises_the_error_and_the_limit_moves():
    # 经典取法：α = 4/(√λ1 + √λ2)²，β = ((√κ − 1)/(√κ + 1))²；第一步没有速度，是 α > 2/λ2 的一步梯度下降
    lambdas, vectors = np.linalg.eigh(cv.hill_hessian())
    lam1, lam2 = lambdas
    kappa = lam2 / lam1
    alpha = 4 / (np.sqrt(lam1) + np.sqrt(lam2)) ** 2
    beta = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
    path, _ = vl.walk_with_momentum([1.5, 1.8], alpha, beta, 2)
    errors = [gd.hill_error(p) for p in path]
    assert round(errors[0], 2) == 8.81 and round(errors[1], 2) == 13.84
    # 页面说的原因：起点的偏移大部分沿 v2，沿 v2 的因子 1 − αλ2 约为 −1.26，绝对值大于 1。
    # 用 ½ Σ λ_j c_j² r_j² 独立地算一步后的误差（误差山的最低误差是 0），和走出来的一致。
    c = vectors.T @ (np.array([1.5, 1.8]) - cv.CAMP)
    factors = 1 - alpha * lambdas
    assert abs(c[1]) > abs(c[0]) and round(factors[1], 2) == -1.26 and abs(factors[0]) < 1
    assert math.isclose(0.5 * np.sum(lambdas * (c * factors) ** 2), errors[1], rel_tol=1e-9)
    # 二次函数上，动量的每个特征方向：r² − (1 + β − αλ) r + β = 0，|r| < 1 当且仅当 0 < αλ < 2(1 + β)
    assert round(2 * (1 + beta) / lam2, 3) == 0.738
    for lam in (lam1, lam2):
        roots = np.roots([1, -(1 + beta - alpha * lam), beta])
        assert np.all(np.abs(roots) < 1)
    roots = np.roots([1, -(1 + beta - 0.75 * lam2), beta])  # α 超过 2(1 + β)/λ2 时有一个根的绝对值大于 1
    assert np.max(np.abs(roots)) > 1



# ---------------------------------------------------------------- 每一步乘以 1 − αλ

def test_gradient_is_hessian_times_offset_from_camp(main_output):
    H = 2 / 3 * np.array([[3.21, 2.24], [2.24, 2.44]])  # 手算的 (2/3)·XᵀX
    for point in [(1.5, 1.8), (-2.0, 0.3), (0.5, -0.5)]:
        assert gd.hill_gradient(np.array(point)) == pytest.approx(H @ (np.array(point) - cv.CAMP))
    assert "w = [1.5, 1.8]  ∇f(w) = [5.574667, 5.234667]  H·(w − w*) = [5.574667, 5.234667]" in main_output


def test_one_step_multiplies_each_part_by_its_factor(main_output):
    small, large, v1, v2 = closed_form_eigen()
    offset = START - cv.CAMP
    c = np.array([offset @ v1, offset @ v2])
    after = c * (1 - 0.2 * np.array([small, large]))
    assert np.allclose(c[0] * v1 + c[1] * v2, offset)  # 拆开再拼回去：c_j = (w − w*)·v_j
    assert "c1·v1 + c2·v2 = [1.0, 2.3] = w − w*" in main_output
    assert block(main_output, f"(c1, c2)：走之前 {c.round(4).tolist()}  走一步后 {after.round(4).tolist()}", 2) == [
        f"(c1, c2)：走之前 {c.round(4).tolist()}  走一步后 {after.round(4).tolist()}",
        f"之比 {(1 - 0.2 * np.array([small, large])).round(4).tolist()}  "
        f"1 − alpha·λ = {(1 - 0.2 * np.array([small, large])).round(4).tolist()}",
    ]
    # 一步梯度下降就是 w − alpha·H(w − w*)：两个分量互不干扰（独立地用手写的 H 算）
    H = 2 / 3 * np.array([[3.21, 2.24], [2.24, 2.44]])
    assert np.allclose(START - 0.2 * H @ offset - cv.CAMP, after[0] * v1 + after[1] * v2)


# ---------------------------------------------------------------- alpha 的上限

def test_hill_limit_output_matches_the_closed_form(main_output):
    small, large, _, _ = closed_form_eigen()
    lines = block(main_output, f"alpha 的上限 2/λ2 = {2 / large:.4f}", 4)
    assert lines[0] == "alpha 的上限 2/λ2 = 0.5885"
    for line, alpha in zip(lines[1:], [0.2, 0.55, 0.6]):
        assert line == (f"alpha = {alpha:<4}  每步乘以：沿 v2（弯得厉害）{1 - alpha * large:+.3f}  "
                        f"沿 v1（平缓）{1 - alpha * small:+.3f}")


def test_offsets_along_eigen_directions_shrink_by_their_factors(main_output):
    small, large, v1, v2 = closed_form_eigen()
    offset = START - cv.CAMP
    lines = block(main_output, f"第 0 步  c2（沿 v2）{offset @ v2:+.4f}  c1（沿 v1）{offset @ v1:+.4f}", 6)
    for k, line in enumerate(lines[:5]):
        c2 = offset @ v2 * (1 - 0.55 * large) ** k
        c1 = offset @ v1 * (1 - 0.55 * small) ** k
        assert line == f"第 {k} 步  c2（沿 v2）{c2:+.4f}  c1（沿 v1）{c1:+.4f}"
    r2, r1 = round(float(1 - 0.55 * large), 3), round(float(1 - 0.55 * small), 3)
    assert lines[5] == f"相邻两步之比：c2 {[r2] * 4}  c1 {[r1] * 4}"


def error_after(k, alpha, start=START):
    """独立的闭式解：误差 = ½·Σ λ_j·c_j²，c_j 每一步乘以 (1 − alpha·λ_j)。"""
    small, large, v1, v2 = closed_form_eigen()
    offset = np.asarray(start) - cv.CAMP
    return 0.5 * sum(lam * (offset @ v * (1 - alpha * lam) ** k) ** 2 for lam, v in [(small, v1), (large, v2)])


def test_walks_just_below_and_above_the_limit(main_output):
    small, large, _, _ = closed_form_eigen()
    below, above = 2 / large - 0.01, 2 / large + 0.01
    first_over = next(k for k in range(1, 1000) if error_after(k, above) > 1e6)
    assert first_over == 175
    assert error_after(300, below) < 1e-7  # 沿 v2 每步乘以 −0.966：300 步后误差缩小约 1e-9 倍
    assert f"alpha = {below:.4f}：走完 300 步，误差 {error_after(300, below):.1e}" in main_output
    assert f"alpha = {above:.4f}：训练发散：走到第 {first_over} 步，误差超过发散阈值 1e+06，已停止。" in main_output
    _, diverged_at = gd.walk_down(START, above, steps=300)
    assert diverged_at == first_over
    assert 2 / large - below == pytest.approx(0.01) and above - 2 / large == pytest.approx(0.01)


def test_hill_zigzag_figure_walks_from_the_start():
    # 两幅图的路径都从 (1.5, 1.8) 出发，按 walk_down 走；alpha 0.55 在上限以下，0.6 在上限以上
    import matplotlib.pyplot as plt

    figure = vl.plot_hill_zigzag()
    for ax, alpha in zip(figure.axes, [0.55, 0.6]):
        path, _ = gd.walk_down([1.5, 1.8], alpha, 12)
        walk = [line for line in ax.get_lines() if len(line.get_xdata()) == 13][0]
        assert np.allclose(walk.get_xdata(), path[:, 0]) and np.allclose(walk.get_ydata(), path[:, 1])
        assert tuple(walk.get_xydata()[0]) == (1.5, 1.8)
    plt.close(figure)


# ---------------------------------------------------------------- 条件数

def test_best_fixed_alpha_minimises_the_slowest_factor(main_output):
    small, large, _, _ = closed_form_eigen()
    kappa = large / small
    best = 2 / (small + large)
    rate = (kappa - 1) / (kappa + 1)
    # 独立方法：在细网格上直接找 max_j |1 − alpha·λ_j| 最小的 alpha
    alphas = np.linspace(0.001, 0.65, 200_001)
    slowest = np.maximum(np.abs(1 - alphas * small), np.abs(1 - alphas * large))
    assert alphas[np.argmin(slowest)] == pytest.approx(best, abs=1e-5)
    assert slowest.min() == pytest.approx(rate, abs=1e-5)
    assert round(kappa, 2) == 9.23 and round(best, 4) == 0.5310 and round(rate, 4) == 0.8045
    assert block(main_output, "条件数 κ = λ2/λ1 = 9.23", 4) == [
        "条件数 κ = λ2/λ1 = 9.23",
        f"alpha* = 2/(λ1 + λ2) = 0.5310  每步乘以：沿 v2 {-rate:+.4f}  沿 v1 {rate:+.4f}",
        "(κ − 1)/(κ + 1) = 0.8045",
        "相邻两步离营地的距离之比： [0.8045, 0.8045, 0.8045, 0.8045, 0.8045, 0.8045]",
    ]
    # 两个因子绝对值相同，所以距离每一步正好乘以 rate，没有过渡阶段
    path, _ = gd.walk_down(START, best, steps=30)
    distances = np.linalg.norm(path - cv.CAMP, axis=1)
    assert np.allclose(distances[1:] / distances[:-1], rate, rtol=1e-9)


def test_valley_is_root_kappa_times_longer_than_wide():
    # 高度 E 的等高线上，沿 v_j 离营地 √(2E/λ_j)：在等高线上找这两个距离（二分法），比值 √κ
    small, large, v1, v2 = closed_form_eigen()

    def reach(v, height=1.0):
        low, high = 0.0, 10.0
        for _ in range(200):
            mid = (low + high) / 2
            low, high = (mid, high) if gd.hill_error(cv.CAMP + mid * v) < height else (low, mid)
        return low

    assert reach(v1) / reach(v2) == pytest.approx(math.sqrt(large / small), rel=1e-9)


def test_factors_figure_marks_the_best_alpha():
    import matplotlib.pyplot as plt

    small, large, _, _ = closed_form_eigen()
    figure = vl.plot_factors()
    (ax,) = figure.axes
    point = [line for line in ax.get_lines() if line.get_marker() == "o"][0]
    assert point.get_xdata()[0] == pytest.approx(2 / (small + large))
    assert point.get_ydata()[0] == pytest.approx((large - small) / (large + small))
    assert round(point.get_ydata()[0], 2) == 0.80
    assert ax.get_xlim() == (0, 0.65)  # 横轴从 0 到 0.65
    plt.close(figure)


# ---------------------------------------------------------------- 动量

def momentum_steps(alpha, beta, tolerance=1e-10, start=START, max_steps=10_000):
    """独立实现：在特征方向的坐标里，c_{k+1} = (1 + beta − alpha·λ)·c_k − beta·c_{k−1}（c_{−1} = c_0，速度从 0 开始）。
    返回误差第一次低于 tolerance 的步数；max_steps 步内没有低于它时返回 None。"""
    small, large, v1, v2 = closed_form_eigen()
    lams = np.array([small, large])
    now = np.array([(start - cv.CAMP) @ v1, (start - cv.CAMP) @ v2])
    before = now.copy()
    for k in range(max_steps):
        if 0.5 * np.sum(lams * now ** 2) < tolerance:
            return k
        now, before = (1 + beta - alpha * lams) * now - beta * before, now


def test_momentum_reaches_the_tolerance_in_fewer_steps(main_output):
    small, large, _, _ = closed_form_eigen()
    best = 2 / (small + large)
    alpha_m = 4 / (math.sqrt(small) + math.sqrt(large)) ** 2
    beta = ((math.sqrt(large) - math.sqrt(small)) / (math.sqrt(large) + math.sqrt(small))) ** 2
    assert f"动量：alpha = 4/(√λ1 + √λ2)² = {alpha_m:.4f}  beta = ((√λ2 − √λ1)/(√λ2 + √λ1))² = {beta:.4f}" \
        in main_output
    # 梯度下降：独立的闭式解；动量：在特征坐标里的递推
    gd_steps = {alpha: next(k for k in range(1000) if error_after(k, alpha) < 1e-10) for alpha in [0.2, 0.55, best]}
    assert [gd_steps[0.2], gd_steps[0.55], gd_steps[best]] == [141, 90, 58]
    assert momentum_steps(alpha_m, beta) == 24
    assert momentum_steps(best, 0.0) == 58  # beta = 0 就是梯度下降
    assert block(main_output, "梯度下降，alpha = 0.2：误差在第 141 步第一次低于 1e-10", 4) == [
        "梯度下降，alpha = 0.2：误差在第 141 步第一次低于 1e-10",
        "梯度下降，alpha = 0.55：误差在第 90 步第一次低于 1e-10",
        f"梯度下降，alpha* = {best:.4f}：误差在第 58 步第一次低于 1e-10",
        "动量：误差在第 24 步第一次低于 1e-10",
    ]
    assert alpha_m > 2 / large  # 比梯度下降的上限还大，却收敛


def test_momentum_contracts_by_root_kappa_rate():
    # 每个特征方向上的递推矩阵 [[1 + β − αλ, −β], [1, 0]]：经典取法下，两个方向的谱半径都是 √β = (√κ − 1)/(√κ + 1)
    small, large, _, _ = closed_form_eigen()
    kappa = large / small
    alpha = 4 / (math.sqrt(small) + math.sqrt(large)) ** 2
    beta = ((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)) ** 2
    for lam in (small, large):
        radius = max(abs(np.linalg.eigvals([[1 + beta - alpha * lam, -beta], [1, 0]])))
        assert radius == pytest.approx((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1), rel=1e-6)
    assert round((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1), 2) == 0.50


def test_a_common_beta_of_0_9_also_gets_there():
    # 页面：实际中常直接取 beta = 0.9；在误差山上配一个小的 alpha 也能走到
    path, diverged_at = vl.walk_with_momentum(START, 0.05, 0.9, steps=400)
    assert diverged_at is None and vl.steps_to_reach(path) is not None
    assert momentum_steps(0.05, 0.9) == vl.steps_to_reach(path)



def test_beta_0_9_is_too_large_for_this_hill_whatever_alpha():
    """动手试一试：β = 0.9 时，每个特征方向上递推 r² − (1 + β − αλ)·r + β = 0 的两根之积是 β，
    较大的根至少 √β ≈ 0.9487，比梯度下降 alpha = 0.2 沿谷底的因子 1 − 0.2·λ1 ≈ 0.926 还慢；
    在 alpha 的网格上核对：递推矩阵的谱半径都不小于 √β，走完梯度下降用的 141 步误差也都还没低于 1e-10。
    另外，经典取法 β = ((√κ − 1)/(√κ + 1))² = 0.9 对应的条件数约为 1400。"""
    small, large, _, _ = closed_form_eigen()
    beta = 0.9
    assert math.sqrt(beta) > 1 - 0.2 * small
    limit = 2 * (1 + beta) / large  # 动量在二次函数上的上限
    for alpha in np.arange(0.005, limit, 0.005):
        radii = [max(abs(np.linalg.eigvals([[1 + beta - alpha * lam, -beta], [1, 0]]))) for lam in (small, large)]
        assert min(radii) >= math.sqrt(beta) - 1e-9
        assert momentum_steps(alpha, beta, max_steps=142) is None, alpha  # 第 141 步误差还没低于 1e-10
    root_kappa = (1 + math.sqrt(beta)) / (1 - math.sqrt(beta))
    assert round(root_kappa ** 2, -2) == 1400


def test_walk_with_momentum_is_walk_down_when_beta_is_zero():
    for alpha in [0.2, 0.55, 0.6]:
        assert np.array_equal(vl.walk_with_momentum(START, alpha, 0.0, 40)[0], gd.walk_down(START, alpha, 40)[0])
    assert vl.walk_with_momentum(START, 0.6, 0.0, 300)[1] == gd.walk_down(START, 0.6, 300)[1] is not None


def test_momentum_figure_follows_the_walks():
    import matplotlib.pyplot as plt

    figure = vl.plot_momentum()
    (ax,) = figure.axes
    plain, heavy = ax.get_lines()[:2]
    assert next(k for k, e in enumerate(plain.get_ydata()) if e < 1e-10) == 58
    assert next(k for k, e in enumerate(heavy.get_ydata()) if e < 1e-10) == 24
    assert min(heavy.get_ydata()) < 1e-15
    assert heavy.get_ydata()[1] > heavy.get_ydata()[0]  # 第一步还没有速度：alpha 超过 2/λ2，误差先升高
    plt.close(figure)


# ---------------------------------------------------------------- 练习

def test_exercise_perpendicular_slice(capsys):
    vl.exercise_perpendicular_slice()
    lines = capsys.readouterr().out.splitlines()
    # 迹不随方向变：两个互相垂直方向的二阶导数之和 = λ1 + λ2 = f_aa + f_bb = (2/3)·(3.21 + 2.44)
    trace = 2 / 3 * (3.21 + 2.44)
    small, large, _, _ = closed_form_eigen()
    assert small + large == pytest.approx(trace)
    u_perp = np.array([0.8, -0.6])
    assert u_perp @ (2 / 3 * XTX) @ u_perp == pytest.approx(trace - 3.2450666666666668)
    assert lines == [f"uᵀHu + u⊥ᵀHu⊥ = 3.2451 + {trace - 3.2450666666666668:.4f} = {trace:.4f}",
                     f"λ1 + λ2 = {trace:.4f}  f_aa + f_bb = {trace:.4f}"]


def test_exercise_hill_one_step(capsys):
    vl.exercise_hill_one_step()
    lines = capsys.readouterr().out.splitlines()
    small, large, v1, v2 = closed_form_eigen()
    assert lines[0] == f"alpha = 1/λ2 = {1 / large:.4f}"
    offset = START - cv.CAMP
    for k, line in enumerate(lines[1:]):
        c2, c1 = [float(x) for x in re.findall(r"）(\S+)", line)]
        # 沿 v2 一步清零；沿 v1 每一步乘以 1 − λ1/λ2
        assert c2 == pytest.approx(offset @ v2 if k == 0 else 0, abs=1e-4)
        assert c1 == pytest.approx(offset @ v1 * (1 - small / large) ** k, abs=1e-4)


def test_exercise_round_bowl(capsys):
    vl.exercise_round_bowl()
    lines = capsys.readouterr().out.splitlines()
    # 两列 (1, 0.5, 1) 和 (0.5, 1, −1)：长度的平方都是 2.25，点积 0；H = (2/3)·2.25·I = 1.5·I
    X = np.array([[1.0, 0.5], [0.5, 1.0], [1.0, -1.0]])
    assert X[:, 0] @ X[:, 0] == X[:, 1] @ X[:, 1] == 2.25 and X[:, 0] @ X[:, 1] == 0
    assert 1 + 0.25 + 1 == 2.25
    assert lines == ["H = [[1.5, 0.0], [0.0, 1.5]]   特征值 [1.5, 1.5]   κ = 1.0000",
                     "alpha* = 0.6667  从 (1.5, 1.8) 走一步到 [0.5, -0.5]"]


# ---------------------------------------------------------------- 参数检查

@pytest.mark.parametrize("beta", [-0.1, 1.0, 1.5, math.nan, "0.5"])
def test_bad_beta_is_rejected(beta):
    with pytest.raises(ValueError, match="beta"):
        vl.walk_with_momentum(START, 0.1, beta, 10)


@pytest.mark.parametrize("name, arguments", [
    ("alpha", {"alpha": 0}), ("alpha", {"alpha": -0.2}), ("steps", {"steps": 0}), ("steps", {"steps": 2.5}),
    ("start", {"start": [1.0, 2.0, 3.0]}), ("start", {"start": [math.inf, 0.0]}), ("max_error", {"max_error": 0}),
])
def test_bad_momentum_arguments_are_rejected(name, arguments):
    call = {"start": START, "alpha": 0.1, "beta": 0.5, "steps": 10} | arguments
    with pytest.raises(ValueError, match=name):
        vl.walk_with_momentum(**call)


def test_momentum_divergence_is_reported():
    path, diverged_at = vl.walk_with_momentum(START, 0.75, 0.2, steps=500)  # 2(1 + β)/λ2 ≈ 0.706 < 0.75
    assert diverged_at is not None and len(path) == diverged_at


# ---------------------------------------------------------------- 图

def test_figures_draw_and_stay_light():
    assert_figures_draw_and_stay_light(vl, max_bytes=80_000)


def test_a_falling_error_can_still_diverge_and_one_rise_means_divergence():
    # 学习率一页：“误差可能先降许多步，再……发散；反过来，只要有一步误差升高，就迟早发散”。
    # alpha = 0.6 超过上限 2/λ₂ ≈ 0.5885：沿 v₂ 的因子 |1 − 0.6 λ₂| ≈ 1.04 > 1，沿 v₁ 的因子 1 − 0.6 λ₁ ≈ 0.78。
    # 起点几乎在 v₁ 方向上（v₂ 的分量很小），所以先是 v₁ 的部分缩小、误差下降，后来 v₂ 的部分长大、误差上升。
    from snippets.gradient import hill_error

    path, diverged_at = gd.walk_down([-1.5, 1.85], 0.6, 400)
    errors = np.array([hill_error(w) for w in path])
    first_rise = int(np.argmax(np.diff(errors) > 0)) + 1
    assert first_rise > 10  # 先降了十几步
    assert diverged_at is not None  # 最后发散：误差超过发散阈值
    # 从页面的起点出发：第一步就升高，也发散
    path, diverged_at = gd.walk_down([1.5, 1.8], 0.6, 400)
    assert hill_error(path[1]) > hill_error(path[0]) and diverged_at is not None
