"""所有图共用的样式：中文字体、配色、尺寸，以及让 SVG 每次生成都一字不差的设置。"""

import base64
import html
import io

import matplotlib
import matplotlib.pyplot as plt
from matplotlib import font_manager
from noto_cjk_sans_otc import FONT_PATH

# 字体随 requirements.txt 一起安装（Noto Sans CJK，OFL 许可），不依赖操作系统。
FONT_FAMILY = "Noto Sans CJK SC"
font_manager.fontManager.addfont(str(FONT_PATH))

# 一套配色，全站的图都用它。
BLUE = "#1f6feb"
ORANGE = "#e8590c"
GREEN = "#2f9e44"
RED = "#c92a2a"
GRAY = "#868e96"
COLORS = [BLUE, ORANGE, GREEN, RED, "#7048e8", "#0c8599"]

RC = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT_FAMILY, "DejaVu Sans"],
    "axes.unicode_minus": False,
    "axes.prop_cycle": matplotlib.cycler(color=COLORS),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "font.size": 11,
    "legend.frameon": False,
    "svg.fonttype": "path",
    "svg.hashsalt": "xiashan",
    "path.simplify": True,
}
plt.rcParams.update(RC)


def new_figure(ncols=1, nrows=1, width=6.4, height=4.0, **kwargs):
    """新建一张图（以及它的坐标轴），尺寸单位是英寸。"""
    return plt.subplots(nrows, ncols, figsize=(width, height), layout="constrained", **kwargs)


def save_svg(figure, path):
    """把图存成 SVG：不写日期，id 用固定的盐，两次保存得到相同的字节。"""
    figure.savefig(path, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(figure)


class SvgImage:
    """笔记本里显示的一张图：内嵌的 SVG 图片，带中文替代文字和宽高。"""

    def __init__(self, svg, alt, width, height):
        self.svg, self.alt, self.width, self.height = svg, alt, width, height

    def __repr__(self):
        # 纯文本的显示：说明图里画了什么（没有内存地址，两次运行的笔记本一字不差）
        return f"[图] {self.alt}"

    def _repr_html_(self):
        data = base64.b64encode(self.svg).decode("ascii")
        alt = html.escape(self.alt, quote=True)
        return (f'<img alt="{alt}" width="{self.width}" height="{self.height}" '
                f'src="data:image/svg+xml;base64,{data}">')


def show(figure, alt):
    """在笔记本里显示一张图；alt 用中文说明图里画了什么。"""
    if not alt or not alt.strip():
        raise ValueError("alt 不能为空：请用一句中文说明图里画了什么")
    width, height = (round(size * 96) for size in figure.get_size_inches())
    buffer = io.BytesIO()
    save_svg(figure, buffer)
    return SvgImage(buffer.getvalue(), alt, width, height)
