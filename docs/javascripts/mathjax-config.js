// MathJax 由本站自带（来自 django-static-mathjax 包），不访问任何 CDN。
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
  },
  options: {
    // 正文只排版 arithmatex 标出的公式；笔记本页面里 Markdown 单元格中的 $…$ 也排版。
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex|jp-RenderedMarkdown|jp-MarkdownOutput",
  },
};
