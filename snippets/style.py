"""所有图共用的样式：中文字体、浅色和深色两套配色、尺寸，以及让 SVG 每次生成都一字不差的设置。

图里的颜色都写成这里的名字（BLUE、INK、PAPER……），到画图时才换成当前配色里的颜色。
所以同一个画图函数，在 ``with palette("dark"):`` 里画出的就是深色的图：网站构建时每张图画两遍，
浅色页面显示浅色的那张，深色页面显示深色的那张。

尺寸按手机来定：网站的正文栏在手机上约 358 像素宽，在电脑上约 690 像素宽，图只会缩小、不会放大。
一张 6.4 英寸宽的图（614 像素）用 12 磅的字，缩到手机上是 9.3 像素，在电脑上是原大的 16 像素。
所以图最宽 6.4 英寸，字一律 12 磅（不要再写更小的 fontsize）；放不下时少写几个字、改成上下排列。
"""

import base64
import contextlib
import html
import io

import matplotlib
import matplotlib.pyplot as plt
from matplotlib import colors as mcolors
from matplotlib import font_manager
from noto_cjk_sans_otc import FONT_PATH

# 字体随 requirements.txt 一起安装（Noto Sans CJK，OFL 许可），不依赖操作系统。
FONT_FAMILY = "Noto Sans CJK SC"
font_manager.fontManager.addfont(str(FONT_PATH))

# 两套配色，全站的图都用它们。浅色配在白纸上；深色配在 mkdocs-material 深色模式（slate）的底色上，
# 线条换成同一种颜色里更亮的一种（和 docs/stylesheets/explorers.css 里小实验的深色一样），
# 文字和坐标轴是浅灰色，都和底色有足够的对比度。
PALETTES = {
    "light": {
        "blue": "#1f6feb", "orange": "#e8590c", "green": "#2f9e44", "red": "#c92a2a",
        "purple": "#7048e8", "teal": "#0c8599", "gray": "#868e96",
        "ink": "#000000", "paper": "#ffffff", "grid": "#b0b0b0", "pane": "#f2f2f280",
    },
    "dark": {
        "blue": "#74a7ff", "orange": "#ff922b", "green": "#51cf66", "red": "#ff6b6b",
        "purple": "#9775fa", "teal": "#3bc9db", "gray": "#9aa2ab",
        "ink": "#d5d8de", "paper": "#1e2129", "grid": "#8b929c", "pane": "#ffffff0d",
    },
}

# 颜色的名字：matplotlib 在画的时候才查它们是什么颜色（见 palette）。
BLUE, ORANGE, GREEN, RED = "xiashan:blue", "xiashan:orange", "xiashan:green", "xiashan:red"
PURPLE, TEAL, GRAY = "xiashan:purple", "xiashan:teal", "xiashan:gray"
INK = "xiashan:ink"  # 文字和坐标轴
PAPER = "xiashan:paper"  # 底色：要挡住后面线条的填充（节点、方框、图例）用它
COLORS = [BLUE, ORANGE, GREEN, RED, PURPLE, TEAL]
_current = []


def _use(name):
    """让上面的颜色名字代表配色 ``name`` 里的颜色。"""
    named = mcolors.get_named_colors_mapping()
    for key, value in PALETTES[name].items():
        named[f"xiashan:{key}"] = value


@contextlib.contextmanager
def palette(name):
    """在配色 ``name``（"light" 或 "dark"）里画图和保存；离开时回到原来的配色。"""
    before = _current[-1] if _current else "light"
    _current.append(name)
    _use(name)
    try:
        yield
    finally:
        _current.pop()
        _use(before)


def ink_on_paper():
    """灰度图片用的颜色表：0 是底色，1 是墨色（浅色配色里就是白底黑字）。"""
    return mcolors.LinearSegmentedColormap.from_list("ink_on_paper", [PAPER, INK])


_use("light")

RC = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT_FAMILY, "DejaVu Sans"],
    "font.size": 12,
    "axes.titlesize": "medium",  # 标题和别的字一样大：12 磅在电脑上正好 16 像素
    "figure.titlesize": "medium",
    "axes.unicode_minus": False,
    "axes.prop_cycle": matplotlib.cycler(color=COLORS),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "text.color": INK,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "axes.titlecolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "grid.color": "xiashan:grid",
    "axes.facecolor": PAPER,
    "figure.facecolor": PAPER,
    "savefig.facecolor": "auto",
    "axes3d.xaxis.panecolor": "xiashan:pane",
    "axes3d.yaxis.panecolor": "xiashan:pane",
    "axes3d.zaxis.panecolor": "xiashan:pane",
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "legend.frameon": False,
    "legend.edgecolor": "xiashan:grid",
    "svg.fonttype": "path",
    "svg.hashsalt": "xiashan",
    "path.simplify": True,
}
plt.rcParams.update(RC)


def new_figure(ncols=1, nrows=1, width=6.4, height=4.0, **kwargs):
    """新建一张图（以及它的坐标轴），尺寸单位是英寸；宽度不超过 6.4，手机上的字才够大。"""
    return plt.subplots(nrows, ncols, figsize=(width, height), layout="constrained", **kwargs)


def save_svg(figure, path):
    """把图存成 SVG：不写日期，id 用固定的盐，两次保存得到相同的字节。"""
    figure.savefig(path, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(figure)


def _svg(figure):
    buffer = io.BytesIO()
    width, height = (round(size * 96) for size in figure.get_size_inches())
    save_svg(figure, buffer)
    return buffer.getvalue(), width, height


class SvgImage:
    """笔记本里显示的一张图：内嵌的 SVG 图片（浅色一张，深色一张），带中文替代文字和宽高。"""

    def __init__(self, light, dark, alt, width, height):
        self.light, self.dark, self.alt, self.width, self.height = light, dark, alt, width, height

    def __repr__(self):
        # 纯文本的显示：说明图里画了什么（没有内存地址，两次运行的笔记本一字不差）
        return f"[图] {self.alt}"

    def _img(self, svg, fragment, hidden):
        data = base64.b64encode(svg).decode("ascii")
        alt = html.escape(self.alt, quote=True)
        return (f'<img alt="{alt}" width="{self.width}" height="{self.height}"{" hidden" if hidden else ""} '
                f'src="data:image/svg+xml;base64,{data}{fragment}">')

    def _repr_html_(self):
        if self.dark is None:
            return self._img(self.light, "", False)
        # 网站按 mkdocs-material 的 #only-light / #only-dark 只显示当前配色的那张；
        # 在 Jupyter 里没有这条规则，深色的那张带着 hidden，不会和浅色的那张一起出现。
        return self._img(self.light, "#only-light", False) + self._img(self.dark, "#only-dark", True)


def show(draw, alt):
    """在笔记本里显示一张图；alt 用中文说明图里画了什么。

    draw 是画图的函数（调用时不传任何值，返回一张图）：它在浅色和深色配色里各画一遍，网页跟着读者选的配色
    显示其中一张。也可以直接给一张画好的图，那就只有这一张。
    """
    if not alt or not alt.strip():
        raise ValueError("alt 不能为空：请用一句中文说明图里画了什么")
    if isinstance(draw, matplotlib.figure.Figure):
        light, width, height = _svg(draw)
        return SvgImage(light, None, alt, width, height)
    with palette("light"):
        light, width, height = _svg(draw())
    with palette("dark"):
        dark, _, _ = _svg(draw())
    return SvgImage(light, dark, alt, width, height)
