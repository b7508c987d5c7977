"""检查传进函数的值：不合理就立刻报错，并说清楚错在哪里。"""

# --8<-- [start:checks]
import numpy as np


def check_finite(**values):
    """每个传进来的值都必须是有限的数（或由有限的数组成的数组）。"""
    for name, value in values.items():
        array = np.asarray(value)
        if not np.issubdtype(array.dtype, np.number):  # True、False 不算数
            raise ValueError(f"{name} 必须是数，收到的是 {value!r}")
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{name} 必须是有限的数，收到的是 {value!r}")


def check_positive(**values):
    """每个传进来的值都必须是大于 0 的有限数。"""
    check_finite(**values)
    for name, value in values.items():
        if not np.all(np.asarray(value) > 0):
            raise ValueError(f"{name} 必须大于 0，收到的是 {value!r}")


def check_count(**values):
    """每个传进来的值都必须是正整数。"""
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} 必须是正整数，收到的是 {value!r}")


def check_shape(name, array, shape):
    """数组的形状必须与 shape 一致；shape 里的 None 表示这一维长度不限。"""
    actual = np.shape(array)
    if len(actual) != len(shape) or any(
        want is not None and want != got for want, got in zip(shape, actual)
    ):
        wanted = "(" + ", ".join("任意" if s is None else str(s) for s in shape) + ")"
        raise ValueError(f"{name} 的形状应为 {wanted}，收到的是 {actual}")


def check_fraction(**values):
    """每个传进来的值都必须满足 0 ≤ 值 < 1。"""
    check_finite(**values)
    for name, value in values.items():
        array = np.asarray(value)
        if not np.all((array >= 0) & (array < 1)):
            raise ValueError(f"{name} 必须满足 0 ≤ {name} < 1，收到的是 {value!r}")
# --8<-- [end:checks]
