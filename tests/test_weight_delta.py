"""第 3 章第 4 页：weight_delta = delta × input 的三个性质。

期望值都可以手算：三个例子的预测都是 1.0，真实值 0.8，delta = 0.2。
"""

import math

import pytest

from conftest import assert_figures_draw_and_stay_light
from snippets import weight_delta as wd

# 页面上不在输出里的小数 → 核对它的测试
PROSE_NUMBERS = {}


@pytest.mark.parametrize("input, weight", [(0.5, 2.0), (1.0, 1.0), (2.0, 0.5)])
def test_scaling_same_delta_step_proportional_to_input(input, weight):
    delta, weight_delta, new_weight = wd.weight_step(input, weight, goal_pred=0.8)
    assert delta == pytest.approx(0.2)  # 三个预测都是 1.0
    assert weight_delta == pytest.approx(0.2 * input)
    assert new_weight == pytest.approx(weight - 0.2 * input)


def test_scaling_landing_errors_in_the_figure():
    # 走完一步后的误差 (delta − input·weight_delta)²：0.15² = 0.0225，0，(0.2 − 0.8)² = 0.36
    for (input, weight), expected in zip([(0.5, 2.0), (1.0, 1.0), (2.0, 0.5)], [0.0225, 0.0, 0.36]):
        _, _, new_weight = wd.weight_step(input, weight, goal_pred=0.8)
        assert (input * new_weight - 0.8) ** 2 == pytest.approx(expected, abs=1e-15)


def test_negative_input_flips_the_direction_and_both_reach_the_goal():
    _, up, w_pos = wd.weight_step(1.0, 1.0, goal_pred=0.8)
    _, down, w_neg = wd.weight_step(-1.0, -1.0, goal_pred=0.8)
    assert up == pytest.approx(0.2) and down == pytest.approx(-0.2)  # 大小相同、方向相反
    assert w_pos < 1.0 and w_neg > -1.0
    assert 1.0 * w_pos == pytest.approx(0.8) and -1.0 * w_neg == pytest.approx(0.8)


def test_zero_input_leaves_the_weight_alone():
    delta, weight_delta, new_weight = wd.weight_step(0.0, 0.5, goal_pred=0.8)
    assert delta == -0.8 and weight_delta == 0 and new_weight == 0.5
    assert math.copysign(1, weight_delta) == -1  # 页面上解释的 −0.0：−0.8 × 0 在浮点数里带负号


def test_property_demos_print_what_the_prose_says(main_output):
    # 误差：走之前 0.2² = 0.04；走之后见 test_scaling_landing_errors_in_the_figure
    assert "input = 0.5  delta = 0.2  weight_delta = 0.1  weight: 2.0 → 1.9  误差 0.04 → 0.0225" in main_output
    assert "input = 1.0  delta = 0.2  weight_delta = 0.2  weight: 1.0 → 0.8  误差 0.04 → 0" in main_output
    assert "input = 2.0  delta = 0.2  weight_delta = 0.4  weight: 0.5 → 0.1  误差 0.04 → 0.36" in main_output
    assert "input = +1.0  weight_delta = +0.2000  weight: +1.0 → +0.8000  新的预测 0.8000" in main_output
    assert "input = -1.0  weight_delta = -0.2000  weight: -1.0 → -0.8000  新的预测 0.8000" in main_output
    # 输入为 0：预测 0，delta = −0.8，误差 0.64
    assert "delta = -0.8  误差 0.64  weight_delta = -0.0  weight: 0.5 → 0.5" in main_output
    assert "权重没有改变： True" in main_output


# ---------------------------------------------------------------- weight_delta 的两种含义

@pytest.mark.parametrize("input, weight, goal_pred, alpha",
                         [(2, 0.5, 0.8, 0.1), (8.5, 0.1, 1, 0.01), (-1.3, 0.7, 0.25, 0.3), (0.5, 0.5, 0.8, 1.0)])
def test_alpha_inside_or_outside_weight_delta_gives_the_same_weight(input, weight, goal_pred, alpha):
    # 书（和本站）：weight_delta = delta * input，更新时 weight - alpha * weight_delta；
    # 原笔记：weight_delta = alpha * (delta*input)，更新时 weight - weight_delta。
    # 两边都是 alpha 乘同一个浮点数 delta*input（乘法可交换），所以新的权重逐位相同
    delta, weight_delta, new_weight = wd.weight_step(input, weight, goal_pred, alpha)
    assert weight_delta == delta * input  # 本站的 weight_delta 不含 alpha
    note_weight_delta = alpha * (delta * input)
    assert weight - note_weight_delta == new_weight


# ---------------------------------------------------------------- 图

def test_figures_draw_and_stay_light():
    assert_figures_draw_and_stay_light(wd, max_bytes=80_000)


def test_the_book_rule_at_alpha_equals_the_derivative_at_half_alpha_bit_for_bit():
    # (α/2)·(2·delta·x) 与 α·(delta·x)：乘 2、除以 2 只改指数，没有舍入，所以逐位相同
    book = wd.train_one_weight(2, 0.8, 0.5, alpha=0.1, steps=20, factor=1)
    with_two = wd.train_one_weight(2, 0.8, 0.5, alpha=0.05, steps=20, factor=2)
    assert book == with_two
    assert 0.05 == 0.1 / 2  # 页面：0.05 存成的数恰好是 0.1 存成的数的一半（除以 2 只改指数）
    # 手算：每一步 w − 0.4 乘以 1 − α·x² = 0.6，20 步后 0.4 + 0.1·0.6²⁰
    assert book[20] == pytest.approx(0.4 + 0.1 * 0.6 ** 20, rel=1e-12)
    assert book[1] == pytest.approx(0.46) and book[2] == pytest.approx(0.436)


@pytest.mark.parametrize("input, goal_pred, weight, alpha", [(0.5, 0.8, 0.5, 0.3), (-1.5, 2.0, 7.0, 0.2)])
def test_halving_alpha_absorbs_the_two_bit_for_bit_for_other_settings(input, goal_pred, weight, alpha):
    # 页面的理由不依赖例子：乘 2、除以 2 只改指数，所以任何输入、真实值、权重和 alpha 都逐位相同
    book = wd.train_one_weight(input, goal_pred, weight, alpha, steps=50, factor=1)
    with_two = wd.train_one_weight(input, goal_pred, weight, alpha / 2, steps=50, factor=2)
    assert book == with_two


def test_with_the_two_and_the_same_alpha_each_step_is_twice_as_long():
    # α 不变、带上 2：因子 1 − 2αx²；α = 0.3、x = 2 时原书的规则因子 −0.2 收敛，带 2 的因子 −1.4 发散
    book = wd.train_one_weight(2, 0.8, 0.5, alpha=0.3, steps=20, factor=1)
    with_two = wd.train_one_weight(2, 0.8, 0.5, alpha=0.3, steps=20, factor=2)
    assert book[20] == pytest.approx(0.4, abs=1e-12)
    assert with_two[20] - 0.4 == pytest.approx(0.1 * (-1.4) ** 20)


def test_drop_the_two_output(main_output):
    assert "第 20 步后  原书的写法 (α = 0.1): 0.4000036561584401    带 2、α = 0.05: 0.4000036561584401" in main_output
    assert "20 步的权重逐位相同: True" in main_output
