"""第 1 章：预测、比较和学习。期望值都可以手算：2 × 0.5 = 1.0，(1.0 − 0.8)² = 0.04。"""

import math

import numpy as np
import pytest

from conftest import printed_by
from snippets import predict

# 页面正文写出、但页面输出里没有原样打印的小数，以及断言它们的测试
PROSE_NUMBERS = {
    "0.2": "test_worked_example_by_hand",
    "0.04": "test_worked_example_by_hand",
    "0.25": "test_why_square_shows_cancelling_and_not_cancelling",
    "0.1": "test_squaring_enlarges_big_and_shrinks_small_differences",
    "0.01": "test_squaring_enlarges_big_and_shrinks_small_differences",
    "0.16": "test_left_and_right_of_the_example",
    "0.9": "test_exercise_answers_match_the_hand_calculations",
    "1.5": "test_exercise_answers_match_the_hand_calculations",
    "0.09": "test_exercise_answers_match_the_hand_calculations",
}


def test_worked_example_by_hand():
    prediction = predict.neural_network(2, 0.5)
    assert prediction == 1.0  # 2 × 0.5，二进制里精确
    assert prediction - 0.8 == pytest.approx(0.2, abs=1e-15)  # 比真实值高了 0.2
    assert predict.squared_error(prediction, 0.8) == pytest.approx(0.04, abs=1e-15)
    # 打印出来的是 0.03999…：0.8 在二进制里略大于 0.8，差不到 1e-16
    assert 0 < 0.04 - predict.squared_error(prediction, 0.8) < 1e-16


def test_worked_example_prints_the_same_numbers(main_output):
    lines = main_output.splitlines()
    assert lines[0] == "prediction = 1.0"
    assert float(lines[1].removeprefix("error = ")) == pytest.approx(0.04, abs=1e-15)


def test_why_square_shows_cancelling_and_not_cancelling(main_output):
    # 0.75 − 0.5 与 0.25 − 0.5 在二进制里都精确：直接相加正好为 0，平方和为 2 × 0.0625
    assert 0.75 - 0.5 == 0.25 and 0.25 - 0.5 == -0.25  # 一个高了 0.25，一个低了 0.25
    assert "直接相加的差: 0.0" in main_output
    assert "平方后再相加: 0.125" in main_output


def test_squaring_enlarges_big_and_shrinks_small_differences():
    # 差是 2 时平方是 4，差是 0.1 时平方是 0.01
    assert predict.squared_error(2.8, 0.8) == pytest.approx(4)
    assert predict.squared_error(0.8 + 0.1, 0.8) == pytest.approx(0.01)


def test_left_and_right_of_the_example(main_output):
    # 往左（0.4）误差是 0，往右（0.6）误差是 (2 × 0.6 − 0.8)² = 0.16
    assert predict.error_for_weight(0.4) == pytest.approx(0, abs=1e-30)
    assert predict.error_for_weight(0.6) == pytest.approx(0.16)
    assert "weight = 0.6  error = 0.1600" in main_output


def test_error_is_zero_at_the_right_weight():
    assert predict.error_for_weight(0.8 / 2) == pytest.approx(0.0, abs=1e-30)
    assert predict.error_for_weight(1.5, input=4, label=6) == 0.0


@pytest.mark.parametrize("weight", np.linspace(-3, 3, 61))
def test_error_is_never_negative(weight):
    assert predict.error_for_weight(weight) >= 0


def test_error_grows_as_the_weight_moves_away():
    best = 0.4
    for direction in (-1, 1):
        errors = [predict.error_for_weight(best + direction * d) for d in np.linspace(0, 2, 41)]
        assert all(a < b for a, b in zip(errors, errors[1:]))


def test_error_is_the_parabola_input_squared_times_distance_squared():
    # (input·w − label)² = input² · (w − label/input)²
    for weight in [-1.0, 0.0, 0.3, 0.9, 2.5]:
        assert predict.error_for_weight(weight) == pytest.approx(4 * (weight - 0.4) ** 2)


def test_mean_squared_error_averages_the_squares():
    assert predict.mean_squared_error([1.0, 0.6], [0.8, 0.8]) == pytest.approx(0.04)
    assert predict.mean_squared_error([3.0], [1.0]) == 4.0


def test_the_teaching_functions_only_compute():
    # neural_network 和 squared_error 只写出想法本身，不检查参数：nan 原样传下去
    assert math.isnan(predict.neural_network(math.nan, 0.5))
    assert math.isnan(predict.squared_error(1.0, math.nan))


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, "2", None])
def test_nonsense_input_is_rejected_with_its_name(bad):
    for name in ["weight", "input", "label"]:
        arguments = {"weight": 0.5, "input": 2, "label": 0.8}
        arguments[name] = bad
        with pytest.raises(ValueError, match=name):
            predict.error_for_weight(**arguments)
    with pytest.raises(ValueError, match="predictions"):
        predict.mean_squared_error([1.0, bad], [0.8, 0.8])
    with pytest.raises(ValueError, match="labels"):
        predict.mean_squared_error([1.0, 0.5], [bad, 0.8])


def test_mismatched_shapes_are_rejected():
    with pytest.raises(ValueError, match="形状"):
        predict.mean_squared_error([1.0, 2.0], [1.0])


def test_exercise_answers_match_the_hand_calculations():
    # 练习 1：输入 3、真实值 0.9，权重 0.5 时预测 1.5；练习 2：两个平方误差 0.04 和 0.09
    assert predict.neural_network(3, 0.5) == 1.5
    assert predict.squared_error(1.5, 0.9) == pytest.approx(0.36)
    assert predict.squared_error(0.5, 0.8) == pytest.approx(0.09)
    out = "".join(printed_by(exercise) for exercise in predict.EXERCISES).splitlines()
    assert out[0] == "最佳权重: 0.3"  # 0.9 / 3
    assert out[1] == "权重 0.5 时的误差: 0.36"  # (3 × 0.5 − 0.9)²
    assert out[2] == "均方误差: 0.065"  # (0.2² + 0.3²) / 2
    # 解析斜率 dE/dw = 2·input·(input·w − label) = 2·2·(1.0 − 0.8) = 0.8
    assert out[3] == "权重 0.5 处误差曲线的斜率约为: 0.8"
