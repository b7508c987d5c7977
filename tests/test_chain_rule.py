"""第 4 章第 1 页：链式法则。一条链上的导数是局部导数之积，几条路径时是各条路径之和。

期望值来自手算（页面上的例子）和中心差分以外的独立方法：一侧差分、直接把误差写成权重的函数。
"""

import numpy as np
import pytest

from conftest import assert_figures_draw_and_stay_light
from snippets import chain_rule as cr

# 页面上不在输出里的小数 → 核对它的测试
PROSE_NUMBERS = {
    "0.5": "test_the_chain_example_by_hand",
    "0.6": "test_the_chain_example_by_hand",
    "0.08": "test_the_chain_example_by_hand",
    "0.4": "test_the_chain_example_by_hand",
    "0.48": "test_the_chain_example_by_hand",
    "1.5": "test_the_two_paths_example_by_hand",
    "0.8": "test_the_two_paths_example_by_hand",
    "1.2": "test_the_two_paths_example_by_hand",
    "0.7": "test_the_two_paths_example_by_hand",
    "0.2": "test_the_paths_cancel_when_y2_is_minus_one",
    "0.1": "test_the_paths_cancel_when_y2_is_minus_one",
}


def chain_error(x, y, w1, w2):
    """误差直接写成两个权重的函数：½(w₂·max(w₁x, 0) − y)²。"""
    return 0.5 * (w2 * max(w1 * x, 0.0) - y) ** 2


def two_path_error(x, goals, w1, v):
    a = max(w1 * x, 0.0)
    return 0.5 * (v[0] * a - goals[0]) ** 2 + 0.5 * (v[1] * a - goals[1]) ** 2


def test_relu_and_its_derivative_from_the_output():
    assert cr.relu(np.array([-1.0, 0.0, 2.5])).tolist() == [0, 0, 2.5]
    assert cr.relu2deriv(np.array([0.0, 2.5])).tolist() == [False, True]
    assert cr.relu(3.0) == 3.0 and cr.relu(-3.0) == 0


def test_the_chain_example_by_hand():
    # x = 2, w₁ = 0.5, w₂ = 0.6, y = 1：z = 1，a = 1，ŷ = 0.6，E = ½·0.4² = 0.08
    error, dE_dw1, dE_dw2 = cr.chain(2.0, 1.0, 0.5, 0.6)
    assert error == pytest.approx(0.08)
    assert dE_dw2 == pytest.approx(-0.4)  # (ŷ − y)·a = −0.4 × 1
    assert dE_dw1 == pytest.approx(-0.48)  # (ŷ − y)·w₂·relu′(z)·x = −0.4 × 0.6 × 1 × 2


@pytest.mark.parametrize("x, y, w1, w2", [(2.0, 1.0, 0.5, 0.6), (-1.5, 0.3, -0.8, 1.7), (0.7, -2.0, 1.1, -0.4)])
def test_the_chain_matches_forward_differences(x, y, w1, w2):
    h = 1e-7
    _, dE_dw1, dE_dw2 = cr.chain(x, y, w1, w2)
    assert dE_dw1 == pytest.approx((chain_error(x, y, w1 + h, w2) - chain_error(x, y, w1, w2)) / h, abs=1e-5)
    assert dE_dw2 == pytest.approx((chain_error(x, y, w1, w2 + h) - chain_error(x, y, w1, w2)) / h, abs=1e-5)


def test_the_two_paths_example_by_hand():
    # x = 1.5, w₁ = 0.8 → a = 1.2；ŷ = (0.6, −1.2)；delta = (−0.4, −0.7)；路径 −0.4·0.5 = −0.2，−0.7·(−1) = +0.7
    error, paths, dE_da, dE_dw1 = cr.two_paths(1.5, (1.0, -0.5), 0.8, (0.5, -1.0))
    assert paths == pytest.approx([-0.2, 0.7])
    assert dE_da == pytest.approx(0.5)
    assert dE_dw1 == pytest.approx(0.75)  # 0.5 × relu′ 1 × x 1.5
    assert error == pytest.approx(0.5 * (0.4 ** 2 + 0.7 ** 2))
    # 只算第一条路径：−0.2 × 1 × 1.5 = −0.3，方向相反
    assert paths[0] * 1.5 == pytest.approx(-0.3)


@pytest.mark.parametrize("x, goals, w1, v", [(1.5, (1.0, -0.5), 0.8, (0.5, -1.0)), (0.4, (2.0, 0.3), 1.9, (-0.7, 1.3))])
def test_the_sum_over_paths_matches_a_forward_difference(x, goals, w1, v):
    h = 1e-7
    _, _, _, dE_dw1 = cr.two_paths(x, goals, w1, v)
    assert dE_dw1 == pytest.approx((two_path_error(x, goals, w1 + h, v) - two_path_error(x, goals, w1, v)) / h, abs=1e-5)


def test_the_paths_cancel_when_y2_is_minus_one(capsys):
    # −0.4 × 0.5 + (−1.2 − y₂)(−1) = 0 → y₂ = −1；误差 ½(0.4² + 0.2²) = 0.1
    error, paths, dE_da, dE_dw1 = cr.two_paths(1.5, (1.0, -1.0), 0.8, (0.5, -1.0))
    assert dE_da == pytest.approx(0, abs=1e-15) and dE_dw1 == pytest.approx(0, abs=1e-15)
    assert paths == pytest.approx([-0.2, 0.2])
    assert error == pytest.approx(0.1)
    cr.exercise_paths_cancel()
    assert "误差 E = 0.1000" in capsys.readouterr().out


def test_a_closed_unit_passes_nothing_back(capsys):
    error, dE_dw1, dE_dw2 = cr.chain(2.0, 1.0, -0.5, 0.6)
    assert error == 0.5 and dE_dw1 == 0 and dE_dw2 == 0
    cr.exercise_closed_unit()
    assert capsys.readouterr().out == "E = 0.5000    ∂E/∂w₁ = -0.0000    ∂E/∂w₂ = 0.0000\n"


def test_main_prints_both_examples_and_their_checks(main_output):
    lines = main_output.splitlines()
    assert lines[0] == "E = 0.0800    ∂E/∂w₁ = -0.4800    ∂E/∂w₂ = -0.4000"
    assert lines[1] == "中心差分：        ∂E/∂w₁ ≈ -0.4800    ∂E/∂w₂ ≈ -0.4000"
    assert "两条相加 ∂E/∂a = +0.5000    ∂E/∂w₁ = +0.7500" in lines
    assert "中心差分：                     ∂E/∂w₁ ≈ +0.7500" in lines
    assert "只算第一条路径会得到 -0.3000：方向都反了" in lines


def test_figures_draw_and_stay_light():
    assert_figures_draw_and_stay_light(cr, max_bytes=60_000)


def test_the_chain_figure_multiplies_the_local_derivatives():
    import matplotlib.pyplot as plt

    figure = cr.plot_chain()
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert "一路乘起来：$\\partial E/\\partial w_1 = -0.4 \\times 0.6 \\times 1 \\times 2 = -0.48$" in texts
    plt.close(figure)
    figure = cr.plot_two_paths()
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert "$\\partial E/\\partial a$\n$= -0.2 +0.7$\n$= +0.5$" in texts
    plt.close(figure)
