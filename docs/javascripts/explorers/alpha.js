// 学习率小实验：在学习率页面上拖动 alpha、初始权重和预测次数，看预测怎样在误差抛物线上一步步走。
//
// 数从哪里来：下面的 train() 一行一行地重复 snippets/learning_rate.py 里的 train
// （原书的规则 weight -= alpha * (input * delta)），运算和顺序都一样。例子本身（input 2、
// goal_pred 0.8、初始权重 0.5、alpha 0.1、20 步）、发散阈值 MAX_ERROR 和打印格式（trace_line、
// divergence_message）在构建网站时由 sitebuild/explorers.py 从这个模块取出，写进页面（#explorer-data-alpha）。
// tests/test_explorers.py 在浏览器里把这里显示的每个数和 Python 的 train 逐个比较。

import { drawLogPlot, h, pyRepr, readData, s, shortNumber, slider } from "./common.js";

/**
 * snippets.learning_rate.train 的 JavaScript 版。返回 { history, divergedAt }：history 是每一次预测的
 * { error, prediction, weight }（weight 是这次预测用的权重），divergedAt 是误差超过发散阈值的那一步，没有发散时为 null。
 */
export function train(input, goalPred, weight, iterations, alpha, maxError) {
  const history = [];
  for (let iteration = 1; iteration <= iterations; iteration++) {
    const prediction = input * weight;
    const error = (prediction - goalPred) ** 2;
    if (!Number.isFinite(error) || error > maxError) return { history, divergedAt: iteration };
    history.push({ error, prediction, weight });
    const delta = prediction - goalPred;
    const weightDelta = alpha * (delta * input);
    weight = weight - weightDelta;
  }
  return { history, divergedAt: null };
}

/** 页面推出的规律：delta 每次乘以 factor = 1 − alpha × input²，它决定走法。 */
export function regime(alpha, input) {
  const factor = 1 - alpha * input ** 2;
  if (factor > 0) return { factor, name: "单调收敛" };
  if (factor === 0) return { factor, name: "一步到位" };
  if (factor > -1) return { factor, name: "来回跳着收敛" };
  if (factor === -1) return { factor, name: "原地来回跳" };
  return { factor, name: "发散" };
}

function explain({ factor, name }, run, data, iterations) {
  if (run.history.length && run.history[0].error === 0) {
    return "起点已经在最低点上：delta 是 0，权重不再改变，误差一直是 0（换一个初始权重试试）。";
  }
  const f = shortNumber(factor);
  const squared = shortNumber(factor * factor);
  switch (name) {
    case "单调收敛":
      return `delta 每次乘以 ${f}（在 0 和 1 之间）：预测一直在真实值的同一侧，一步比一步近，误差每次乘以 ${squared}。`;
    case "一步到位":
      return "delta 乘以 0：第一步就正好走到最低点，之后误差是 0（或者只剩舍入误差）。";
    case "来回跳着收敛":
      return `delta 每次乘以 ${f}（在 −1 和 0 之间）：每一步都走过头，预测在真实值两边跳，但越跳越近，误差每次乘以 ${squared}。`;
    case "原地来回跳":
      return "delta 每次乘以 −1：预测在真实值两边来回跳，离真实值一直一样远，误差不降也不升。";
    default: {
      const start = `delta 每次乘以 ${f}，绝对值大于 1：每一步都比上一步错得更多，误差每次乘以 ${squared}。`;
      if (run.divergedAt !== null) return `${start}${data.divergence_message.replace("{n}", run.divergedAt)}`;
      return `${start}${iterations} 次预测内误差还没超过发散阈值；继续走下去迟早会超过（越接近上限，要走得越久）。`;
    }
  }
}

/** 照学习率页面上 alpha = 0.1 那段代码（main 里的 with_alpha）的格式打印；发散时再加上 divergence_message。 */
export function printed(run, data) {
  const line = ({ error, prediction }) =>
    data.trace_line.replace("{error}", pyRepr(error)).replace("{prediction}", pyRepr(prediction));
  const { history, divergedAt } = run;
  const lines = history.length > 5
    ? [...history.slice(0, 4).map(line), "……", line(history.at(-1))]
    : history.map(line);
  lines.push(`预测次数: ${history.length}  发散: ${divergedAt !== null ? "True" : "False"}`);
  if (divergedAt !== null) lines.push(data.divergence_message.replace("{n}", divergedAt));
  return lines.join("\n");
}

/** 1、2、5 × 10^k 里合适的刻度间隔。 */
function niceStep(range, count) {
  const raw = range / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map(m => m * power).find(d => d >= raw);
}

function ticks(low, high, count) {
  const step = niceStep(high - low, count);
  const out = [];
  for (let v = Math.ceil(low / step) * step; v <= high + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return { values: out, digits: Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) };
}

/** 误差抛物线 error = (input × weight − goal_pred)² 上每一步的位置，跑出画面的部分被裁掉。 */
function drawParabola(svg, run, data, startWeight) {
  svg.replaceChildren();
  const { input, goal_pred: goal } = data;
  const width = 360, height = 230, left = 48, right = 14, top = 14, bottom = 40;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const center = goal / input;
  // 画面放得下前几步：收敛时就是起点，发散时能看到头几步怎样越跳越远
  const early = run.history.slice(0, 4).map(({ weight }) => Math.abs(weight - center));
  const half = Math.max(...early, Math.abs(startWeight - center), 0.08) * 1.2;
  const [w0, w1] = [center - half, center + half];
  const top0 = (input * half) ** 2 * 1.1;
  const x = w => left + (w - w0) / (w1 - w0) * (width - left - right);
  const y = e => top + (1 - e / top0) * (height - top - bottom);

  const axes = s("g", { class: "explorer__axes" }, svg);
  s("line", { x1: left, y1: height - bottom, x2: width - right, y2: height - bottom }, axes);
  s("line", { x1: left, y1: top, x2: left, y2: height - bottom }, axes);
  const xt = ticks(w0, w1, 5);
  for (const v of xt.values) {
    s("text", { x: x(v), y: height - bottom + 16, "text-anchor": "middle", class: "explorer__tick" }, axes,
      v.toFixed(xt.digits).replace("-", "−"));
  }
  const yt = ticks(0, top0, 4);
  for (const v of yt.values) {
    s("line", { x1: left, y1: y(v), x2: width - right, y2: y(v), class: "explorer__grid" }, axes);
    s("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end", class: "explorer__tick" }, axes, v.toFixed(yt.digits));
  }
  s("text", { x: (left + width - right) / 2, y: height - 5, "text-anchor": "middle", class: "explorer__label" }, axes, "权重 weight");

  const clipId = "alpha-explorer-clip";
  const clip = s("clipPath", { id: clipId }, svg);
  s("rect", { x: left, y: top, width: width - left - right, height: height - top - bottom }, clip);
  const plot = s("g", { "clip-path": `url(#${clipId})` }, svg);
  const curve = [];
  for (let i = 0; i <= 80; i++) {
    const w = w0 + (w1 - w0) * i / 80;
    curve.push(`${x(w)},${y((input * w - goal) ** 2)}`);
  }
  s("polyline", { points: curve.join(" "), class: "explorer__curve" }, plot);
  s("circle", { cx: x(center), cy: y(0), r: 5, class: "explorer__goal" }, plot);
  const points = run.history.map(({ weight, error }) => [x(weight), y(error)]);
  if (points.length > 1) s("polyline", { points: points.map(p => p.join(",")).join(" "), class: "explorer__series" }, plot);
  const r = points.length > 40 ? 2 : 3;
  points.forEach(([px, py], i) => s("circle", { cx: px, cy: py, r: i === 0 ? 5 : r, class: i === 0 ? "explorer__start" : "explorer__dot" }, plot));
  const outside = run.history.some(({ weight }) => weight < w0 || weight > w1);
  if (outside || run.divergedAt !== null) {
    s("text", { x: width - right - 4, y: top + 14, "text-anchor": "end", class: "explorer__warning" }, svg,
      outside ? "后面的点跑出了画面" : "误差超过了发散阈值");
  }
}

function numberTable(run) {
  const body = h("tbody");
  run.history.forEach(({ weight, prediction, error }, i) => {
    body.append(h("tr", {}, h("td", { text: String(i + 1) }),
      ...[weight, prediction, error].map(v => h("td", { text: pyRepr(v) }))));
  });
  const head = h("tr", {}, ...["第几次预测", "weight", "prediction", "error"].map(t => h("th", { scope: "col", text: t })));
  return h("table", { class: "explorer__table", tabindex: "0" }, h("thead", {}, head), body);
}

export function mount(box) {
  const data = readData(box);
  const alpha = slider("alpha-explorer-alpha", "学习率 alpha", { min: 0.01, max: 1, step: 0.01, value: data.alpha });
  const weight = slider("alpha-explorer-weight", "初始权重", { min: -1, max: 2, step: 0.05, value: data.weight });
  const iterations = slider("alpha-explorer-iterations", "预测次数", { min: 1, max: 100, step: 1, value: data.iterations });
  const label = h("strong", { class: "explorer__regime-name" });
  const reason = h("span");
  const status = h("p", { class: "explorer__regime", "aria-live": "polite" }, label, "：", reason);
  const parabola = s("svg", { role: "img", "aria-label": "误差抛物线：横轴是权重，纵轴是误差，点是每一步的位置", class: "explorer__plot" });
  const log = s("svg", { role: "img", "aria-label": "每一次预测的误差，纵轴是对数坐标", class: "explorer__plot" });
  const code = h("code");
  const pre = h("pre", { class: "explorer__printed", tabindex: "0", "aria-label": "打印的结果" }, code);
  const summary = h("summary");
  const details = h("details", { class: "explorer__details" }, summary);

  box.replaceChildren(
    h("p", { class: "explorer__title", text: `学习率实验：input = ${data.input}，真实值 goal_pred = ${data.goal_pred}` }),
    h("div", { class: "explorer__controls" }, alpha.row, weight.row, iterations.row),
    h("p", { class: "explorer__hint", text: `边界在 alpha = 1 / input² = ${1 / data.input ** 2} 和 alpha = 2 / input² = ${2 / data.input ** 2}；用方向键可以一格一格地调。` }),
    status,
    h("div", { class: "explorer__plots" },
      h("figure", {}, parabola, h("figcaption", { text: "误差抛物线上的每一步（红点是起点，绿点是最低点）" })),
      h("figure", {}, log, h("figcaption", { text: "每一次预测的误差（对数坐标）" }))),
    h("p", { class: "explorer__hint", text: "按上面 alpha = 0.1 那段代码的格式打印：" }),
    pre,
    details,
  );
  box.classList.add("explorer--ready");

  function update() {
    const a = Number(alpha.input.value), w = Number(weight.input.value), n = Number(iterations.input.value);
    alpha.output.value = alpha.input.value;
    weight.output.value = weight.input.value;
    iterations.output.value = iterations.input.value;
    const run = train(data.input, data.goal_pred, w, n, a, data.max_error);
    const kind = regime(a, data.input);
    label.textContent = kind.name;
    reason.textContent = explain(kind, run, data, n);
    box.dataset.regime = kind.name;
    box.dataset.divergedAt = run.divergedAt ?? "";
    drawParabola(parabola, run, data, w);
    drawLogPlot(log, {
      errors: run.history.map(step => step.error), first: 1, count: n,
      diverged: run.divergedAt !== null, limit: data.max_error, xLabel: "第几次预测",
    });
    code.textContent = printed(run, data);
    summary.textContent = `每一次预测的完整数值（${run.history.length} 行）`;
    details.querySelector("table")?.remove();
    details.append(numberTable(run));
  }

  for (const { input } of [alpha, weight, iterations]) input.addEventListener("input", update);
  update();
}
