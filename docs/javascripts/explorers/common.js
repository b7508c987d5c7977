// 小实验共用的部分：Python 式的数字格式、numpy 式的矩阵运算、SVG 元素、对数坐标的误差图。
// 不依赖任何库，也不从别的网站载入任何东西。

const SVG_NS = "http://www.w3.org/2000/svg";

/** 读出构建网站时写在小实验前面的 JSON（sitebuild/explorers.py 调用 snippets 里的函数算出）。 */
export function readData(box) {
  return JSON.parse(document.getElementById(`explorer-data-${box.dataset.explorer}`).textContent);
}

/**
 * 载入只有一个小实验用的样式表（其余页面不必下载它）；载入完成后才换掉静态图，页面不会先闪一下没有样式的样子。
 * url 是相对于调用它的模块的地址：new URL("../../stylesheets/x.css", import.meta.url)。
 */
export function loadStylesheet(url) {
  return new Promise((resolve, reject) => {
    const link = h("link", { rel: "stylesheet", href: url.href });
    link.addEventListener("load", resolve);
    link.addEventListener("error", () => reject(new Error(`stylesheet did not load: ${url.href}`)));
    document.head.append(link);
  });
}

/** 新建一个 HTML 元素；attrs 里的 text 是文字内容，其余是属性。 */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") node.textContent = value;
    else if (value !== false && value != null) node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children);
  return node;
}

/** 新建一个 SVG 元素，并（如果给了 parent）放进 parent。 */
export function s(tag, attrs = {}, parent = null, text = null) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text != null) node.textContent = text;
  if (parent) parent.append(node);
  return node;
}

/** 一个带 <label> 的原生滑块和显示它的值的 <output>。 */
export function slider(id, label, { min, max, step, value }) {
  const input = h("input", { type: "range", id, min, max, step, value: String(value) });
  const output = h("output", { for: id, id: `${id}-value` });
  const row = h("div", { class: "explorer__control" }, h("label", { for: id, text: label }), input, output);
  return { row, input, output };
}

/**
 * Python 的 repr(float)，也就是 print 显示一个 float 的样子：能准确读回原数的最短数字；
 * 十进制指数小于 −4 或不小于 16 时用科学计数法（1e-05、1.5e+16），整数值带 “.0”。
 */
export function pyRepr(x) {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mantissa, power] = Math.abs(x).toExponential().split("e"); // 最短的、能读回原数的数字
  const digits = mantissa.replace(".", "");
  const exponent = Number(power);
  if (exponent < -4 || exponent >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return `${sign}${digits}${"0".repeat(exponent + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

/**
 * Python 的 f"{x:.nf}"（plus 为真时是 f"{x:+.nf}"）。toFixed 用的也是二进制数的精确值，
 * 只有恰好在两个结果正中间时不同：toFixed 往大里进，Python 取偶数。
 */
export function pyFixed(x, digits, plus = false) {
  const negative = x < 0 || Object.is(x, -0);
  const size = Math.abs(x);
  let text = size.toFixed(digits);
  // 正中间的数在二进制里最多有 digits + 1 位小数，这时 toFixed(digits + 1) 是精确的
  if (Number.isInteger(size * 2 ** (digits + 1))) {
    const exact = size.toFixed(digits + 1);
    if (exact.endsWith("5")) {
      const down = exact.slice(0, -1).replace(/\.$/, "");
      if (Number(down.at(-1)) % 2 === 0) text = down;
    }
  }
  return (negative ? "-" : plus ? "+" : "") + text;
}

/**
 * Python 的 format(x, ".{precision}g")：precision 位有效数字，去掉末尾的 0；十进制指数小于 −4
 * 或不小于 precision 时用科学计数法（1.5e-05）。
 */
export function pyGeneral(x, precision) {
  if (!Number.isFinite(x)) return pyRepr(x);
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const [mantissa, power] = x.toExponential(precision - 1).split("e");
  const exponent = Number(power);
  const trim = text => (text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text);
  if (exponent < -4 || exponent >= precision) {
    return `${trim(mantissa)}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return trim(pyFixed(x, precision - 1 - exponent));
}

/**
 * numpy 的 a.dot(b)，a、b 是二维数组（一行一个列表）：结果的第 i 行第 j 列是 a 的第 i 行和 b 的第 j 列
 * 逐项相乘再相加，从第 0 项加起。（numpy 把它交给 BLAS，BLAS 可能换一种次序相加，末位的舍入就可能不同。）
 */
export function dot(a, b) {
  return a.map(row => b[0].map((_, j) => {
    let sum = row[0] * b[0][j];
    for (let k = 1; k < row.length; k++) sum += row[k] * b[k][j];
    return sum;
  }));
}

/** numpy 的 a.T：行和列对调。 */
export function transpose(a) {
  return a[0].map((_, j) => a.map(row => row[j]));
}

/** numpy 的逐元素运算：f(a[i][j], b[i][j])，两个数组同形。 */
export function elementwise(a, b, f) {
  return a.map((row, i) => row.map((value, j) => f(value, b[i][j])));
}

/** 把 ±0.96 这样的数写成 “−0.96”（正文里的负号），最多 4 位小数。 */
export function shortNumber(x) {
  const text = String(Number(x.toFixed(4)));
  return text.startsWith("-") ? `−${text.slice(1)}` : text;
}

/** 10 的 k 次方，写成 10 和上标 k（负号用 “−”）。 */
function powerLabel(parent, attrs, k) {
  const label = s("text", attrs, parent, "10");
  s("tspan", { dy: "-0.5em", "font-size": "0.72em" }, label, String(k).replace("-", "−"));
  return label;
}

/**
 * 对数坐标的误差图：第 i 个误差画在横坐标 first + i 处，横轴一共 count 格，纵轴是 log10(误差)。
 * width、height 是 viewBox 的大小：窄的栏里用小一点的 viewBox，字就不会缩得太小。
 * 误差为 0 的点画在最底下，用空心点，并标出 “0”；diverged 为真时画出发散上限 limit，并在最后一点画叉。
 * marker 是一个横坐标时，在那里画一条竖线（“现在在这里”）。
 */
export function drawLogPlot(svg, { errors, first, count, diverged, limit, xLabel, width = 360, height = 230, marker = null }) {
  svg.replaceChildren();
  const left = 48, right = 14, top = 14, bottom = 40;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const logs = errors.filter(e => e > 0).map(Math.log10);
  let low = logs.length ? Math.floor(Math.min(...logs)) : -1;
  let high = logs.length ? Math.ceil(Math.max(...logs)) : 0;
  const limitPower = Math.log10(limit);
  const showLimit = diverged || high >= limitPower;
  if (showLimit) high = Math.max(high, Math.ceil(limitPower));
  if (high - low < 2) low = high - 2;
  const hasZero = errors.some(e => e === 0);
  const span = high - low + (hasZero ? 0.8 : 0); // 误差为 0 的点在最底下多占一格
  const last = first + Math.max(count, 1) - 1;
  const x = i => left + (last === first ? 0.5 : (i - first) / (last - first)) * (width - left - right);
  const y = e => (e === 0 ? span : high - Math.log10(e)) / span * (height - top - bottom) + top;

  const axes = s("g", { class: "explorer__axes" }, svg);
  s("line", { x1: left, y1: height - bottom, x2: width - right, y2: height - bottom }, axes);
  s("line", { x1: left, y1: top, x2: left, y2: height - bottom }, axes);
  const every = Math.ceil((high - low) / 5);
  for (let k = high; k >= low; k -= every) {
    s("line", { x1: left, y1: y(10 ** k), x2: width - right, y2: y(10 ** k), class: "explorer__grid" }, axes);
    powerLabel(axes, { x: left - 6, y: y(10 ** k) + 4, "text-anchor": "end", class: "explorer__tick" }, k);
  }
  if (hasZero) s("text", { x: left - 6, y: y(0) + 4, "text-anchor": "end", class: "explorer__tick" }, axes, "0");
  const step = [1, 2, 5, 10, 20, 25, 50].find(d => (last - first) / d <= 6) || 100;
  const ticks = [first];
  for (let i = Math.ceil((first + 1) / step) * step; i <= last; i += step) ticks.push(i);
  for (const i of ticks) {
    s("text", { x: x(i), y: height - bottom + 16, "text-anchor": "middle", class: "explorer__tick" }, axes, String(i));
  }
  s("text", { x: (left + width - right) / 2, y: height - 5, "text-anchor": "middle", class: "explorer__label" }, axes, xLabel);

  if (showLimit) s("line", { x1: left, y1: y(limit), x2: width - right, y2: y(limit), class: "explorer__limit" }, svg);
  if (marker !== null) s("line", { x1: x(marker), y1: top, x2: x(marker), y2: height - bottom, class: "explorer__marker" }, svg);
  const points = errors.map((e, i) => [x(first + i), y(e)]);
  if (points.length > 1) s("polyline", { points: points.map(p => p.join(",")).join(" "), class: "explorer__series" }, svg);
  const r = count > 40 ? 2 : 3;
  points.forEach(([px, py], i) => {
    s("circle", { cx: px, cy: py, r, class: errors[i] === 0 ? "explorer__dot explorer__dot--zero" : "explorer__dot" }, svg);
  });
  if (diverged && points.length) {
    const [px, py] = points.at(-1);
    s("path", { d: `M${px - 6},${py - 6}L${px + 6},${py + 6}M${px - 6},${py + 6}L${px + 6},${py - 6}`, class: "explorer__stop" }, svg);
  }
}
