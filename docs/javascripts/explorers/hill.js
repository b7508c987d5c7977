// 下山小实验：在梯度下降页面的等高线图上自己选起点和 alpha，看每一步的路、梯度箭头和误差。
//
// 数从哪里来：hillError、hillGradient、walkDown 重复 snippets/gradient_descent.py 里的
// hill_error、hill_gradient、walk_down（每一步 weights = weights − alpha × ∇f），运算和顺序都一样。
// 误差山的样本（HILL_INPUTS、HILL_GOALS）、发散上限 MAX_ERROR 和默认的起点、alpha、步数
// 在构建网站时由 sitebuild/explorers.py 从这个模块取出（WALK_START、WALK_ALPHA、WALK_STEPS），写进页面（#explorer-data-hill）。
// tests/test_explorers.py 在浏览器里把这里显示的每个数和这三个 Python 函数的结果逐个比较。
// （numpy 的 dot 经过 BLAS，末位的舍入可能不同；测试说明了它比较到什么程度。）

import { drawLogPlot, h, pyFixed, pyRepr, readData, s, slider } from "./common.js";

/** 每个样本的 预测 − 真实值：HILL_INPUTS.dot(weights) − HILL_GOALS。 */
function deltas(inputs, goals, weights) {
  return inputs.map(([x1, x2], i) => x1 * weights[0] + x2 * weights[1] - goals[i]);
}

/** hill_error：三个样本的均方误差，np.mean((predictions − goals) ** 2)。 */
export function hillError(inputs, goals, weights) {
  const d = deltas(inputs, goals, weights);
  return d.reduce((sum, di) => sum + di * di, 0) / d.length;
}

/** hill_gradient：2 * HILL_INPUTS.T.dot(deltas) / len(HILL_GOALS)。 */
export function hillGradient(inputs, goals, weights) {
  const d = deltas(inputs, goals, weights);
  return [0, 1].map(j => 2 * inputs.reduce((sum, row, i) => sum + row[j] * d[i], 0) / goals.length);
}

/** walk_down：返回 { path, divergedAt }；误差超过 maxError 或不再是有限数时停下，那一步不进 path。 */
export function walkDown(inputs, goals, start, alpha, steps, maxError) {
  let weights = [start[0], start[1]];
  const path = [weights];
  for (let step = 1; step <= steps; step++) {
    const gradient = hillGradient(inputs, goals, weights);
    weights = [weights[0] - alpha * gradient[0], weights[1] - alpha * gradient[1]];
    const error = hillError(inputs, goals, weights);
    if (!Number.isFinite(error) || error > maxError) return { path, divergedAt: step };
    path.push(weights);
  }
  return { path, divergedAt: null };
}

// 地图的范围与页面上的等高线图相同（_hill_grid），等高线也取同样的高度。
const A = [-1.5, 2.5], B = [-2.5, 2.0];
const LEVELS = [0.05, 0.2, 0.5, 1, 2, 3.5, 5, 7, 9.5, 12.5];
const SCALE = 80, LEFT = 44, RIGHT = 10, TOP = 10, BOTTOM = 40;
const WIDTH = LEFT + (A[1] - A[0]) * SCALE + RIGHT, HEIGHT = TOP + (B[1] - B[0]) * SCALE + BOTTOM;
const px = a => LEFT + (a - A[0]) * SCALE;
const py = b => TOP + (B[1] - b) * SCALE;
const ARROW_SCALE = 10; // 箭头画成 −∇f / 10，和页面上的等高线图一样

/** 误差山是二次函数：等高线是以最低点为中心的椭圆。返回最低点和每条等高线的椭圆（像素坐标）。 */
function contours(inputs, goals) {
  const n = goals.length;
  const [p, q, r] = [[0, 0], [0, 1], [1, 1]].map(([i, j]) => inputs.reduce((sum, row) => sum + row[i] * row[j], 0) / n);
  const [u, v] = [0, 1].map(j => inputs.reduce((sum, row, i) => sum + row[j] * goals[i], 0) / n);
  const det = p * r - q * q;
  const camp = [(r * u - q * v) / det, (p * v - q * u) / det];
  const lowest = hillError(inputs, goals, camp);
  const mean = (p + r) / 2, spread = Math.hypot((p - r) / 2, q);
  const angle = Math.atan2(2 * q, p - r) / 2; // 大特征值的方向
  const ellipses = LEVELS.filter(level => level > lowest).map(level => ({
    rx: Math.sqrt((level - lowest) / (mean + spread)) * SCALE,
    ry: Math.sqrt((level - lowest) / (mean - spread)) * SCALE,
  }));
  return { camp, ellipses, degrees: -angle * 180 / Math.PI };
}

/** −∇f 的箭头。很短的箭头（快到谷底时）只画箭头的头，方向仍然看得见。 */
function arrow(parent, [x0, y0], [x1, y1], className) {
  const length = Math.hypot(x1 - x0, y1 - y0);
  if (!(length > 1e-9)) return;
  const head = 6, ux = (x1 - x0) / length, uy = (y1 - y0) / length;
  if (length < head * 1.5) [x1, y1] = [x0 + ux * head, y0 + uy * head];
  else s("line", { x1: x0, y1: y0, x2: x1 - ux * head * 0.8, y2: y1 - uy * head * 0.8, class: className }, parent);
  const bx = x1 - ux * head, by = y1 - uy * head;
  s("polygon", {
    points: `${x1},${y1} ${bx - uy * head * 0.5},${by + ux * head * 0.5} ${bx + uy * head * 0.5},${by - ux * head * 0.5}`,
    class: `${className}-head`,
  }, parent);
}

function star(cx, cy, outer) {
  const points = [];
  for (let i = 0; i < 10; i++) {
    const radius = i % 2 ? outer * 0.45 : outer, angle = Math.PI / 2 + i * Math.PI / 5;
    points.push(`${cx + radius * Math.cos(angle)},${cy - radius * Math.sin(angle)}`);
  }
  return points.join(" ");
}

/** 页面上 walk 那段代码打印的行：第 k 步  权重 (±a, ±b)  误差 e。 */
function walkLine(step, [a, b], error) {
  return `第 ${String(step).padStart(2)} 步  权重 (${pyFixed(a, 4, true)}, ${pyFixed(b, 4, true)})  误差 ${pyFixed(error, 6)}`;
}

export function mount(box) {
  const data = readData(box);
  const { inputs, goals } = data;
  const hill = contours(inputs, goals);
  let start = data.start.slice();

  const alpha = slider("hill-walker-alpha", "学习率 alpha", { min: 0.01, max: 0.7, step: 0.01, value: data.alpha });
  const steps = slider("hill-walker-steps", "步数", { min: 1, max: 60, step: 1, value: data.steps });
  const play = h("button", { type: "button", class: "md-button explorer__play", text: "从第 1 步播放" });
  const map = s("svg", {
    class: "explorer__map", viewBox: `0 0 ${WIDTH} ${HEIGHT}`, tabindex: "0", role: "application",
    "aria-roledescription": "等高线地图",
    "aria-label": "误差山的等高线地图。点一下选起点，或用方向键移动起点（按住 Shift 走得更细）",
  });
  const layer = s("g");
  const status = h("p", { class: "explorer__regime", "aria-live": "polite" });
  const log = s("svg", { role: "img", "aria-label": "每一步的误差，纵轴是对数坐标", class: "explorer__plot" });
  const code = h("code");
  const pre = h("pre", { class: "explorer__printed", tabindex: "0", "aria-label": "打印的结果" }, code);
  const summary = h("summary");
  const details = h("details", { class: "explorer__details" }, summary);
  const legend = h("ul", { class: "explorer__legend" },
    ...[["start", "起点"], ["path", "下山的路"], ["arrow", "−∇f（缩小到 1/10）"], ["camp", "营地"]]
      .map(([kind, text]) => h("li", {}, h("span", { class: `explorer__key explorer__key--${kind}`, "aria-hidden": "true" }), text)));

  // 不变的部分：坐标轴和等高线
  const clip = s("clipPath", { id: "hill-walker-clip" }, map);
  s("rect", { x: LEFT, y: TOP, width: WIDTH - LEFT - RIGHT, height: HEIGHT - TOP - BOTTOM }, clip);
  const axes = s("g", { class: "explorer__axes" }, map);
  s("rect", { x: LEFT, y: TOP, width: WIDTH - LEFT - RIGHT, height: HEIGHT - TOP - BOTTOM, class: "explorer__frame" }, axes);
  for (const a of [-1, 0, 1, 2]) s("text", { x: px(a), y: HEIGHT - BOTTOM + 16, "text-anchor": "middle", class: "explorer__tick" }, axes, String(a).replace("-", "−"));
  for (const b of [-2, -1, 0, 1, 2]) s("text", { x: LEFT - 6, y: py(b) + 4, "text-anchor": "end", class: "explorer__tick" }, axes, String(b).replace("-", "−"));
  s("text", { x: (LEFT + WIDTH - RIGHT) / 2, y: HEIGHT - 6, "text-anchor": "middle", class: "explorer__label" }, axes, "权重 a");
  s("text", { x: 12, y: (TOP + HEIGHT - BOTTOM) / 2, "text-anchor": "middle", class: "explorer__label", transform: `rotate(-90 12 ${(TOP + HEIGHT - BOTTOM) / 2})` }, axes, "权重 b");
  const inside = s("g", { "clip-path": "url(#hill-walker-clip)" }, map);
  const [cx, cy] = [px(hill.camp[0]), py(hill.camp[1])];
  for (const { rx, ry } of hill.ellipses) {
    s("ellipse", { cx, cy, rx, ry, transform: `rotate(${hill.degrees} ${cx} ${cy})`, class: "explorer__contour" }, inside);
  }
  inside.append(layer);
  s("polygon", { points: star(cx, cy, 9), class: "explorer__camp" }, inside);

  box.replaceChildren(
    h("p", { class: "explorer__title", text: "下山实验：误差山 f(a, b) 的等高线图" }),
    h("p", { class: "explorer__hint", text: "在地图上点一下选起点；也可以用 Tab 选中地图，再用方向键移动起点（按住 Shift 走得更细）。" }),
    h("div", { class: "explorer__walker" },
      h("figure", { class: "explorer__map-box" }, map, legend),
      h("div", {},
        h("div", { class: "explorer__controls" }, alpha.row, steps.row),
        h("p", {}, play),
        status,
        h("figure", {}, log, h("figcaption", { text: "每一步的误差（对数坐标）" })))),
    h("p", { class: "explorer__hint", text: "按上面 walk 那段代码的格式打印：" }),
    pre,
    details,
  );
  box.classList.add("explorer--ready");

  function update() {
    const a = Number(alpha.input.value), n = Number(steps.input.value);
    alpha.output.value = alpha.input.value;
    steps.output.value = steps.input.value;
    const { path, divergedAt } = walkDown(inputs, goals, start, a, n, data.max_error);
    const gradients = path.map(w => hillGradient(inputs, goals, w));
    const errors = path.map(w => hillError(inputs, goals, w));
    box.dataset.startA = pyRepr(start[0]);
    box.dataset.startB = pyRepr(start[1]);
    box.dataset.divergedAt = divergedAt ?? "";

    layer.replaceChildren();
    const points = path.map(([wa, wb]) => [px(wa), py(wb)]);
    if (points.length > 1) s("polyline", { points: points.map(p => p.join(",")).join(" "), class: "explorer__path" }, layer);
    points.slice(1).forEach(([x, y], k) => s("circle", { cx: x, cy: y, r: k === points.length - 2 ? 4 : 2.5, class: "explorer__path-dot" }, layer));
    // 每一步都沿 −∇f 走，所以箭头落在路上：画在路的上面
    path.forEach((w, k) => {
      const g = gradients[k];
      const tip = [w[0] - g[0] / ARROW_SCALE, w[1] - g[1] / ARROW_SCALE];
      arrow(layer, points[k], [px(tip[0]), py(tip[1])], "explorer__gradient");
    });
    s("circle", { cx: points[0][0], cy: points[0][1], r: 6, class: "explorer__start" }, layer);
    s("circle", { cx: points[0][0], cy: points[0][1], r: 11, class: "explorer__focus-ring" }, layer);

    const last = path.length - 1;
    const leaves = path.some(([wa, wb]) => wa < A[0] || wa > A[1] || wb < B[0] || wb > B[1]);
    const g = gradients[last];
    let text = `起点 (${pyFixed(start[0], 2)}, ${pyFixed(start[1], 2)})，alpha = ${alpha.input.value}。`
      + `第 ${last} 步的梯度 ∇f = (${pyFixed(g[0], 4, true)}, ${pyFixed(g[1], 4, true)})，误差 ${pyFixed(errors[last], 6)}。`;
    // 误差第一次比上一步大的那一步（没有就是 −1）。误差山是二次函数：误差减去最低误差，是几个
    // “正数 × 某个正数的 k 次方”之和，按步数 k 是凸的，所以一旦回升就一直升，迟早发散（学习率一页）。
    const rise = errors.findIndex((error, k) => k > 0 && error > errors[k - 1]);
    if (divergedAt !== null) {
      text += `发散：第 ${divergedAt} 步的误差超过发散阈值 ${data.max_error_text}，停了下来。`;
    } else if (rise > 0) {
      text += (leaves ? "路径走出了地图。" : "") + `误差在第 ${rise} 步回升：步子太大，照这样走下去迟早发散。`;
    } else if (leaves) {
      text += "路径暂时跑出了地图，但误差在下降。";
    }
    status.textContent = text;
    status.classList.toggle("explorer__regime--bad", divergedAt !== null || rise > 0);

    drawLogPlot(log, {
      errors, first: 0, count: n + 1, diverged: divergedAt !== null, limit: data.max_error, xLabel: "步数",
      width: 300, height: 210,
    });
    const shown = [...new Set([0, 1, 2, 5, 10, 25, 50].filter(k => k <= last).concat([last]))];
    code.textContent = shown.map(k => walkLine(k, path[k], errors[k])).join("\n")
      + (divergedAt !== null ? `\n第 ${divergedAt} 步发散：误差超过发散阈值 ${data.max_error_text}` : "");
    summary.textContent = `每一步的完整数值（${path.length} 行）`;
    const body = h("tbody", {}, ...path.map((w, k) => h("tr", {},
      h("td", { text: String(k) }), ...[w[0], w[1], gradients[k][0], gradients[k][1], errors[k]].map(v => h("td", { text: pyRepr(v) })))));
    const head = h("tr", {}, ...["步", "a", "b", "f_a", "f_b", "误差"].map(t => h("th", { scope: "col", text: t })));
    details.querySelector("table")?.remove();
    details.append(h("table", { class: "explorer__table", tabindex: "0" }, h("thead", {}, head), body));
  }

  function moveTo(a, b) {
    const round = v => Math.round(v * 100) / 100;
    start = [round(Math.min(A[1], Math.max(A[0], a))), round(Math.min(B[1], Math.max(B[0], b)))];
    update();
  }

  function fromPointer(event) {
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(map.getScreenCTM().inverse());
    moveTo(A[0] + (point.x - LEFT) / SCALE, B[1] - (point.y - TOP) / SCALE);
  }

  map.addEventListener("click", fromPointer); // 鼠标点击，触屏轻点
  map.addEventListener("pointermove", event => {
    if (event.pointerType !== "touch" && event.buttons === 1) fromPointer(event); // 按住鼠标拖动
  });
  map.addEventListener("keydown", event => {
    const d = event.shiftKey ? 0.01 : 0.1;
    const moves = { ArrowLeft: [-d, 0], ArrowRight: [d, 0], ArrowUp: [0, d], ArrowDown: [0, -d] };
    if (!(event.key in moves)) return;
    event.preventDefault();
    moveTo(start[0] + moves[event.key][0], start[1] + moves[event.key][1]);
  });
  for (const { input } of [alpha, steps]) input.addEventListener("input", update);

  let timer = null;
  function stop() {
    clearInterval(timer);
    timer = null;
    play.textContent = "从第 1 步播放";
  }
  play.addEventListener("click", () => {
    if (timer !== null) return stop();
    const target = Number(steps.input.value);
    if (target === 1) return;
    let k = 1;
    play.textContent = "停下";
    steps.input.value = "1";
    update();
    timer = setInterval(() => {
      k += 1;
      steps.input.value = String(k);
      update();
      if (k >= target) stop();
    }, 180);
  });
  update();
}
