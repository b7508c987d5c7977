// 反向传播逐步演示：在反向传播页面上，把路灯网络的训练一个阶段一个阶段地看：
// 前向 → 比较 → 反向 → 权重梯度 → 更新，然后是下一行、下一轮，误差曲线跟着长出来。
//
// 数从哪里来：oneStep 重复 snippets/backprop.py 里的 one_step（forward、backprop、train_step 的一步，一次一行），
// streetlightsSteps 重复 streetlights_steps（train_streetlights 的两重循环，连同 layer_2_error 的累加）；
// relu、relu2deriv 是 snippets/chain_rule.py 里的那两个。运算和次序都一样，变量名也是原书的。
// 构建网站时 sitebuild/explorers.py 只从 Python 取来路灯数据、np.random.seed(1) 给出的初始权重、alpha 和轮数
// （#explorer-data-stepper）；每一步的每个数都在这里从头算。tests/test_explorers.py 在浏览器里把这里显示的
// 每个数和 Python 的 one_step 逐个比较。（numpy 的 dot 经过 BLAS，末位的舍入可能不同；测试说明了它比较到什么程度。）

import { dot, drawLogPlot, elementwise, h, loadStylesheet, pyGeneral, pyRepr, readData, s, transpose } from "./common.js";

/** snippets/chain_rule.py 的 relu：(x > 0) * x，负数变成 −0（和 numpy 一样）。 */
const relu = x => (x > 0) * x;

/** relu2deriv：output > 0，是 true/false；乘法里当作 1/0，和 numpy 一样。 */
const relu2deriv = output => output > 0;

/** np.sum：从 −0 加起（numpy 这样保留 −0）。 */
const sum = a => a.flat().reduce((total, x) => total + x, -0);

/** snippets.backprop.one_step 的 JavaScript 版：一行数据的一步，每个阶段算出的数。 */
export function oneStep(layer_0, goal, weights_0_1, weights_1_2, alpha) {
  const z = dot(layer_0, weights_0_1); // 前向
  const layer_1 = z.map(row => row.map(relu));
  const layer_2 = dot(layer_1, weights_1_2);

  const error = sum(elementwise(layer_2, goal, (p, g) => (p - g) * (p - g))); // 比较；numpy 的 ** 2 就是自乘
  const layer_2_delta = elementwise(layer_2, goal, (p, g) => p - g);

  const passed_back = dot(layer_2_delta, transpose(weights_1_2)); // 反向
  const layer_1_delta = elementwise(passed_back, layer_1, (p, out) => p * relu2deriv(out));

  const weight_delta_1_2 = dot(transpose(layer_1), layer_2_delta); // 权重梯度
  const weight_delta_0_1 = dot(transpose(layer_0), layer_1_delta);

  const new_weights_1_2 = elementwise(weights_1_2, weight_delta_1_2, (w, d) => w - alpha * d); // 更新
  const new_weights_0_1 = elementwise(weights_0_1, weight_delta_0_1, (w, d) => w - alpha * d);
  return {
    weights_0_1, weights_1_2, z, layer_1, layer_2, error, layer_2_delta, passed_back, layer_1_delta,
    weight_delta_0_1, weight_delta_1_2, new_weights_0_1, new_weights_1_2,
  };
}

/**
 * streetlights_steps：steps[iteration][i] 是第 iteration 轮喂第 i 行的那一步；每一步还带着
 * train_streetlights 的 layer_2_error（这一轮到这一行为止的误差之和，从 0 加起）。
 */
export function streetlightsSteps({ streetlights, walk_vs_stop, weights_0_1, weights_1_2, alpha, iterations }) {
  const steps = [];
  for (let iteration = 0; iteration < iterations; iteration++) {
    steps.push([]);
    let layer_2_error = 0;
    for (let i = 0; i < streetlights.length; i++) {
      const step = oneStep([streetlights[i]], [walk_vs_stop[i]], weights_0_1, weights_1_2, alpha);
      layer_2_error += step.error;
      steps[iteration].push({ ...step, layer_2_error });
      weights_0_1 = step.new_weights_0_1;
      weights_1_2 = step.new_weights_1_2;
    }
  }
  return steps;
}

const PHASES = [
  { key: "forward", name: "前向", text: "每个隐藏单元算出加权和 z（layer_0 · weights_0_1）：z > 0 的单元打开，输出 z；z ≤ 0 的关闭，输出 0。预测 layer_2 = layer_1 · weights_1_2。" },
  { key: "compare", name: "比较", text: "layer_2_delta（Δ2）= 预测 − 真实值，这一行的误差是它的平方；layer_2_error 把这一轮到这一行为止的误差加起来。" },
  { key: "backward", name: "反向", text: "layer_2_delta（Δ2）沿 weights_1_2 传回每个隐藏单元（layer_2_delta · weights_1_2ᵀ），再乘以 relu2deriv(layer_1)：打开的单元乘以 1，关闭的单元乘以 0，什么也传不回去。得到 layer_1_delta（Δ1）。" },
  { key: "gradient", name: "权重梯度", text: "每条连线的权重梯度 = 它的输入 × 它连向的那一层的 delta（layer_0ᵀ · layer_1_delta 和 layer_1ᵀ · layer_2_delta）。输入是 0 的连线、连向关闭的单元的连线，权重梯度都是 0。" },
  { key: "update", name: "更新", text: "每个权重减去 α × 权重梯度；权重梯度是 0 的权重不变。下一步用新的权重喂下一行。" },
];
const ROWS_PER_EPOCH = 4;

/** 图上的短数字：三位有效数字（Python 的 :.3g），负号写成 “−”，负零写成 0。 */
const short = x => pyGeneral(x + 0, 3).replaceAll("-", "−");

/** Python 打印它的样子：float 用 repr，bool 是 True/False；路灯数据是整数，调用时直接给出文字。 */
const printed = value => (typeof value === "boolean" ? (value ? "True" : "False") : pyRepr(value));

/** 一个数：data-key 说明它是哪个量的哪一项（"z.0.1" 是 z[0, 1]），测试按它找 Python 的数。 */
function numberSpan(key, value) {
  return h("span", { "data-key": key, text: typeof value === "string" ? value : printed(value) });
}

// 网络图的位置（viewBox 坐标）：从上往下是 3 个输入、4 个隐藏单元、1 个输出
const WIDTH = 344, HEIGHT = 300;
const INPUTS = [92, 172, 252].map(x => [x, 44]);
const HIDDEN = [43, 129, 215, 301].map(x => [x, 160]);
const OUTPUT = [172, 262];

/** 16 条连线：weights_0_1 的 12 条（灯 k → 单元 j），weights_1_2 的 4 条（单元 j → 输出）。 */
const EDGES = [
  ...INPUTS.flatMap((from, k) => HIDDEN.map((to, j) => ({ matrix: "0_1", r: k, c: j, from, to,
    name: `weights_0_1[${k}, ${j}]`, where: `灯 ${k + 1} → 单元 ${j + 1}` }))),
  ...HIDDEN.map((from, j) => ({ matrix: "1_2", r: j, c: 0, from, to: OUTPUT,
    name: `weights_1_2[${j}, 0]`, where: `单元 ${j + 1} → 输出` })),
];

/** 每条连线在这一阶段显示什么：[说明, [量的名字…]]，数按这个次序写在 “：” 后面。 */
function edgeShows(edge, phase) {
  const m = edge.matrix;
  if (phase === "backward" && m === "1_2") return ["传回 = layer_2_delta × 权重", ["passed_back"], `0.${edge.r}`];
  if (phase === "gradient") return ["权重梯度", [`weight_delta_${m}`], null];
  if (phase === "update") return ["权重 更新前 → 更新后", [`weights_${m}`, `new_weights_${m}`], null];
  return ["权重", [`weights_${m}`], null];
}

function edgeNumbers(edge, phase, step) {
  const [label, names, index] = edgeShows(edge, phase);
  const at = index ?? `${edge.r}.${edge.c}`;
  const [r, c] = at.split(".").map(Number);
  return { label, items: names.map(name => ({ key: `${name}.${at}`, value: step[name][r][c] })) };
}

/** 线段 (a, b) 到点 p 的距离（viewBox 坐标）。 */
function distance([px, py], [ax, ay], [bx, by]) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/** 这一阶段的完整数值表的行：[名字, [[key, 值]…]]；更新阶段每行有更新前和更新后两个数。 */
function tableRows(phase, step, goal, layer_0) {
  const each = (name, [rows, cols]) => Array.from({ length: rows * cols }, (_, n) => {
    const [r, c] = [Math.floor(n / cols), n % cols];
    return [`${name}[${r}, ${c}]`, [[`${name}.${r}.${c}`, step[name][r][c]]]];
  });
  const updated = (m, shape) => each(`weights_${m}`, shape).map(([name, [[key, before]]]) => {
    const [, r, c] = key.split(".").map(Number);
    return [name, [[key, before], [`new_${key}`, step[`new_weights_${m}`][r][c]]]];
  });
  switch (phase) {
    case "forward":
      return [...layer_0.map((x, k) => [`layer_0[0, ${k}]`, [[`layer_0.0.${k}`, String(x)]]]),
        ...each("z", [1, 4]), ...each("layer_1", [1, 4]), ...each("layer_2", [1, 1])];
    case "compare":
      return [["goal（真实值）", [["goal.0.0", String(goal)]]], ...each("layer_2_delta", [1, 1]),
        ["error（这一行）", [["error", step.error]]], ["layer_2_error（这一轮到这一行）", [["layer_2_error", step.layer_2_error]]]];
    case "backward":
      return [...each("passed_back", [1, 4]),
        ...step.layer_1[0].map((out, j) => [`relu2deriv(layer_1)[0, ${j}]`, [[`relu2deriv.0.${j}`, relu2deriv(out)]]]),
        ...each("layer_1_delta", [1, 4])];
    case "gradient":
      return [...each("weight_delta_1_2", [4, 1]), ...each("weight_delta_0_1", [3, 4])];
    default:
      return [...updated("1_2", [4, 1]), ...updated("0_1", [3, 4])];
  }
}

export async function mount(box) {
  await loadStylesheet(new URL("../../stylesheets/stepper.css", import.meta.url));
  const data = readData(box);
  const steps = streetlightsSteps(data);
  const { iterations, streetlights, walk_vs_stop, alpha } = data;
  const last = iterations * ROWS_PER_EPOCH * PHASES.length - 1;
  let position = 0; // (iteration × 4 + i) × 5 + phase
  let selected = 0; // 选中的连线

  const rowName = i => `i = ${i}：灯 ${streetlights[i].join(" ")}，${walk_vs_stop[i][0] ? "该走" : "该停"}`;
  const prev = h("button", { type: "button", class: "md-button stepper__move", text: "← 上一阶段" });
  const next = h("button", { type: "button", class: "md-button md-button--primary stepper__move", text: "下一阶段 →" });
  const phaseButtons = PHASES.map((phase, n) => h("button", { type: "button", class: "stepper__phase", "data-phase": phase.key, text: `${n + 1} ${phase.name}` }));
  const epochInput = h("input", { type: "number", id: "stepper-epoch", min: 1, max: iterations, step: 1, required: true, value: "1" });
  const rowSelect = h("select", { id: "stepper-row" }, ...streetlights.map((_, i) => h("option", { value: String(i), text: rowName(i) })));
  const jump = h("form", { class: "stepper__jump", "aria-label": "跳到某一轮的某一行" },
    h("label", { for: "stepper-epoch", text: `第几轮（1–${iterations}）` }), epochInput,
    h("label", { for: "stepper-row", text: "哪一行" }), rowSelect,
    h("button", { type: "submit", class: "md-button", text: "跳过去" }));
  const status = h("p", { class: "explorer__regime stepper__status", "aria-live": "polite", "aria-atomic": "true" });
  const explanation = h("p", { class: "explorer__hint stepper__explanation" });

  // 网络图：连线（一个 listbox，↑ ↓ 换一条），节点和它们旁边的数
  const network = s("svg", { class: "explorer__map stepper__network", viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "group", "aria-label": "路灯网络" });
  const edgeGroup = s("g", { role: "listbox", "aria-label": "连线：用 ↑ ↓ 选一条，下面显示它的数", "aria-orientation": "vertical" }, network);
  const edgeNodes = EDGES.map((edge, n) => {
    const [[x1, y1], [x2, y2]] = [edge.from, edge.to];
    const g = s("g", { class: "stepper__edge", role: "option", tabindex: n === 0 ? "0" : "-1", "data-edge": `${edge.matrix}.${edge.r}.${edge.c}` }, edgeGroup);
    s("line", { x1, y1, x2, y2, class: "stepper__halo" }, g);
    s("line", { x1, y1, x2, y2, class: "stepper__line" }, g);
    return g;
  });
  const nodeLayer = s("g", { "aria-hidden": "true" }, network);
  const label = (x, y, cls = "explorer__tick") => s("text", { x, y, "text-anchor": "middle", class: cls }, nodeLayer);
  const inputNodes = INPUTS.map(([x, y], k) => {
    label(x, y - 22, "explorer__label").textContent = `灯 ${k + 1}`;
    return { circle: s("circle", { cx: x, cy: y, r: 15, class: "stepper__node stepper__node--input" }, nodeLayer), value: label(x, y + 4, "explorer__label stepper__lamp-text") };
  });
  const hiddenNodes = HIDDEN.map(([x, y], j) => {
    const circle = s("circle", { cx: x, cy: y, r: 16, class: "stepper__node stepper__node--hidden" }, nodeLayer);
    label(x, y + 4, "explorer__label").textContent = String(j + 1);
    return { circle, cross: s("path", { d: `M${x + 9},${y + 3}l10,10m0,-10l-10,10`, class: "stepper__cross" }, nodeLayer),
      top: label(x, y - (j % 2 ? 42 : 25)), bottom: label(x, y + 34), below: label(x, y + (j % 2 ? 68 : 52)) }; // 相邻单元的数上下错开
  });
  const outputNode = s("circle", { cx: OUTPUT[0], cy: OUTPUT[1], r: 16, class: "stepper__node stepper__node--output" }, nodeLayer);
  const sideText = (x, y, anchor) => s("text", { x, y, "text-anchor": anchor, class: "explorer__tick" }, nodeLayer);
  const right = [sideText(OUTPUT[0] + 24, OUTPUT[1] - 4, "start"), sideText(OUTPUT[0] + 24, OUTPUT[1] + 13, "start")];
  const left = [sideText(OUTPUT[0] - 24, OUTPUT[1] - 4, "end"), sideText(OUTPUT[0] - 24, OUTPUT[1] + 13, "end")];

  const legend = h("ul", { class: "explorer__legend" });
  const readout = h("p", { class: "stepper__readout" });
  const curve = s("svg", { role: "img", "aria-label": "每一轮的误差，纵轴是对数坐标", class: "explorer__plot" });
  const curveCaption = h("figcaption");
  const summary = h("summary");
  const table = h("table", { class: "explorer__table", tabindex: "0" });
  const details = h("details", { class: "explorer__details" }, summary, table);

  box.replaceChildren(
    h("p", { class: "explorer__title", text: `反向传播逐步演示：路灯网络（3 个输入、4 个隐藏单元、1 个输出），α = ${alpha}，np.random.seed(${data.seed})` }),
    h("p", { class: "explorer__hint", text: "用按钮或 ← → 键一个阶段一个阶段地走。Tab 到网络图上以后，用 ↑ ↓ 选一条连线（手机上轻点连线），图下面显示它的数。" }),
    h("div", { class: "stepper__controls" }, prev, next, h("ol", { class: "stepper__phases", "aria-label": "阶段" }, ...phaseButtons.map(b => h("li", {}, b)))),
    jump,
    status,
    explanation,
    h("div", { class: "stepper__panels" },
      h("figure", {}, network, legend, readout),
      h("figure", {}, curve, curveCaption)),
    details,
  );
  box.classList.add("explorer--ready");

  function where(at = position) {
    const phase = at % PHASES.length, row = Math.floor(at / PHASES.length);
    return { iteration: Math.floor(row / ROWS_PER_EPOCH), i: row % ROWS_PER_EPOCH, phase };
  }

  function showEdge(n, step, phase) {
    const edge = EDGES[n];
    const { label: what, items } = edgeNumbers(edge, phase, step);
    readout.replaceChildren(`${edge.name}（${edge.where}）${what}：`,
      ...items.flatMap((item, k) => (k ? [" → ", numberSpan(item.key, item.value)] : [numberSpan(item.key, item.value)])));
  }

  function select(n, focus) {
    if (focus) network.classList.add("stepper__network--picked"); // 读者自己选过连线以后，才把选中的那条标出来
    edgeNodes[selected].setAttribute("tabindex", "-1");
    edgeNodes[selected].setAttribute("aria-selected", "false");
    selected = n;
    edgeNodes[n].setAttribute("tabindex", "0");
    edgeNodes[n].setAttribute("aria-selected", "true");
    if (focus) edgeNodes[n].focus();
    const { iteration, i, phase } = where();
    showEdge(n, steps[iteration][i], PHASES[phase].key);
  }

  function drawEdges(step, phase) {
    const gradients = EDGES.map(e => step[`weight_delta_${e.matrix}`][e.r][e.c]);
    const largest = Math.max(...gradients.map(Math.abs)) || 1;
    const lit = streetlights[where().i];
    EDGES.forEach((edge, n) => {
      const g = edgeNodes[n];
      const { label: what, items } = edgeNumbers(edge, phase, step);
      g.setAttribute("aria-label", `${edge.where}，${edge.name}，${what}：${items.map(item => pyRepr(item.value)).join(" → ")}`);
      g.dataset.keys = items.map(item => item.key).join(" ");
      const weight = step[`weights_${edge.matrix}`][edge.r][edge.c];
      const value = items.at(-1).value; // 这一阶段这条线上的数：权重、传回的数、权重梯度或新权重
      const opened = step.z[0][edge.matrix === "0_1" ? edge.c : edge.r] > 0;
      let width = 1 + 2.5 * Math.min(Math.abs(value), 1.6), kind = "weight";
      let idle = edge.matrix === "0_1" ? lit[edge.r] === 0 : !opened; // 这一行里这条线上没有东西流过
      if (phase === "backward") {
        kind = edge.matrix === "1_2" ? "back" : opened ? "back-on" : "blocked";
        idle = false;
      } else if (phase === "gradient") {
        width = value === 0 ? 1 : 1.5 + 5 * Math.abs(value) / largest;
        kind = value === 0 ? "zero" : "gradient";
        idle = false;
      } else if (phase === "update") {
        idle = value === weight; // 没有变的权重画得淡一些
      }
      g.dataset.kind = kind;
      g.dataset.sign = value > 0 ? "plus" : value < 0 ? "minus" : "zero";
      g.classList.toggle("stepper__edge--idle", idle);
      g.lastChild.setAttribute("stroke-width", width.toFixed(2));
    });
  }

  function drawNodes(step, phase, i) {
    const show = (text, key, value) => {
      text.replaceChildren();
      if (key) {
        text.append(s("tspan", {}, null, `${key === "z" ? "z" : "Δ1"} = `));
        s("tspan", { "data-key": `${key}.0.${value}`, "data-short": "" }, text, short(step[key][0][value]));
      }
    };
    streetlights[i].forEach((x, k) => {
      inputNodes[k].circle.classList.toggle("stepper__node--lit", x === 1);
      inputNodes[k].value.textContent = String(x);
    });
    hiddenNodes.forEach((node, j) => {
      const opened = step.z[0][j] > 0;
      node.circle.classList.toggle("stepper__node--open", opened);
      node.circle.classList.toggle("stepper__node--closed", !opened);
      node.cross.classList.toggle("stepper__cross--shown", phase === "backward" && !opened);
      node.below.textContent = "";
      if (phase === "forward" || phase === "compare") {
        show(node.top, "z", j);
        node.bottom.textContent = opened ? "打开" : "关闭";
      } else if (phase === "backward") {
        node.top.replaceChildren(s("tspan", {}, null, "传回 "));
        s("tspan", { "data-key": `passed_back.0.${j}`, "data-short": "" }, node.top, short(step.passed_back[0][j]));
        node.bottom.textContent = `× ${Number(relu2deriv(step.layer_1[0][j]))}`;
        show(node.below, "layer_1_delta", j);
      } else {
        show(node.top, "layer_1_delta", j);
        node.bottom.textContent = opened ? "打开" : "关闭";
      }
    });
    const line = (text, words, key, value) => {
      text.replaceChildren();
      if (words === null) return;
      text.append(s("tspan", {}, null, words));
      if (key) s("tspan", { "data-key": key, "data-short": "" }, text, short(value));
    };
    line(right[0], "预测 ", "layer_2.0.0", step.layer_2[0][0]);
    line(right[1], phase === "forward" ? null : "Δ2 = ", "layer_2_delta.0.0", step.layer_2_delta[0][0]);
    line(left[0], phase === "forward" ? null : `真实值 ${walk_vs_stop[i][0]}`, null);
    line(left[1], phase === "compare" ? "误差 " : null, "error", step.error);
  }

  const LEGENDS = {
    weight: [["plus", "权重为正"], ["minus", "权重为负"], ["idle", "这一行没有流过（输入是 0 或单元关闭）"]],
    backward: [["back", "Δ2 传回隐藏单元"], ["back-on", "Δ1 留给通往打开的单元的连线"], ["blocked", "关闭的单元（× 0）：什么也传不回去"]],
    gradient: [["plus", "权重梯度为正（权重变小）"], ["minus", "权重梯度为负（权重变大）"], ["zero", "权重梯度为 0"]],
    update: [["plus", "新权重为正"], ["minus", "新权重为负"], ["idle", "没有变"]],
  };

  function announce(step, phase, iteration, i, moved) {
    const closed = [1, 2, 3, 4].filter(j => !(step.z[0][j - 1] > 0));
    const opened = [1, 2, 3, 4].filter(j => step.z[0][j - 1] > 0);
    const units = list => list.map(String).join("、");
    const where = moved ? `第 ${iteration + 1} 轮，行 ${rowName(i)}。` : "";
    switch (phase) {
      case "forward":
        return `${where}前向：${opened.length ? `单元 ${units(opened)} 打开` : "四个单元都关闭"}`
          + `${opened.length && closed.length ? `，单元 ${units(closed)} 关闭` : ""}；预测 ${short(step.layer_2[0][0])}。`;
      case "compare":
        return `${where}比较：真实值 ${walk_vs_stop[i][0]}，Δ2 = ${short(step.layer_2_delta[0][0])}，误差 ${short(step.error)}。`;
      case "backward":
        return `${where}反向：Δ1 = ${step.layer_1_delta[0].map(short).join("，")}`
          + `${closed.length ? `；关闭的单元 ${units(closed)} 乘以 0，什么也传不回去` : ""}。`;
      case "gradient": {
        const nonzero = EDGES.filter(e => step[`weight_delta_${e.matrix}`][e.r][e.c] !== 0).length;
        return `${where}权重梯度：${nonzero} 条连线不为 0，其余 ${EDGES.length - nonzero} 条是 0。`;
      }
      default: {
        const changed = EDGES.filter(e => step[`new_weights_${e.matrix}`][e.r][e.c] !== step[`weights_${e.matrix}`][e.r][e.c]).length;
        return `${where}更新：${changed} 个权重改变了，其余 ${EDGES.length - changed} 个不变。`;
      }
    }
  }

  let shown = null;
  function update() {
    const { iteration, i, phase: p } = where();
    const phase = PHASES[p].key;
    const step = steps[iteration][i];
    const moved = !shown || shown.iteration !== iteration || shown.i !== i;
    box.dataset.epoch = String(iteration + 1);
    box.dataset.row = String(i);
    box.dataset.phase = phase;
    phaseButtons.forEach((b, n) => (n === p ? b.setAttribute("aria-current", "step") : b.removeAttribute("aria-current")));
    prev.disabled = position === 0;
    next.disabled = position === last;
    if (document.activeElement !== epochInput) epochInput.value = String(iteration + 1);
    rowSelect.value = String(i);
    box.dataset.view = phase === "backward" ? "backward" : phase === "gradient" ? "gradient" : phase === "update" ? "update" : "weight";

    drawEdges(step, phase);
    drawNodes(step, phase, i);
    showEdge(selected, step, phase);
    legend.replaceChildren(...LEGENDS[box.dataset.view].map(([kind, text]) =>
      h("li", {}, h("span", { class: `explorer__key stepper__key stepper__key--${kind}`, "aria-hidden": "true" }), text)));
    explanation.textContent = `${PHASES[p].name}：${PHASES[p].text}`;
    status.textContent = announce(step, phase, iteration, i, moved);

    // 误差曲线：走完第 4 行的比较阶段，这一轮的误差（四行之和）才算出来
    const done = iteration + (i === ROWS_PER_EPOCH - 1 && p >= 1 ? 1 : 0);
    const errors = steps.slice(0, done).map(epoch => epoch[ROWS_PER_EPOCH - 1].layer_2_error);
    box.dataset.epochsDone = String(done);
    drawLogPlot(curve, { errors, first: 1, count: iterations, diverged: false, limit: Infinity, xLabel: "轮",
      width: 300, height: 200, marker: iteration + 1 });
    curveCaption.textContent = done ? `每一轮的误差（对数坐标）：已经走完 ${done} 轮，竖线是现在这一轮` : "每一轮的误差（对数坐标）：走完第 1 轮的四行以后出现第一个点";

    const rows = tableRows(phase, step, walk_vs_stop[i][0], streetlights[i]);
    summary.textContent = `${PHASES[p].name}阶段算出的每个数（完整精度，${rows.length} 行）`;
    table.replaceChildren(
      h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "量" }), h("th", { scope: "col", text: phase === "update" ? "更新前 → 更新后" : "值" }))),
      h("tbody", {}, ...rows.map(([name, items]) => h("tr", {}, h("th", { scope: "row", text: name }),
        h("td", {}, ...items.flatMap(([key, value], k) => (k ? [" → ", numberSpan(key, value)] : [numberSpan(key, value)])))))));
    shown = { iteration, i };
  }

  function go(to) {
    position = Math.max(0, Math.min(last, to));
    update();
  }

  prev.addEventListener("click", () => go(position - 1));
  next.addEventListener("click", () => go(position + 1));
  phaseButtons.forEach((b, n) => b.addEventListener("click", () => go(position - where().phase + n)));
  jump.addEventListener("submit", event => {
    event.preventDefault();
    const epoch = Number(epochInput.value);
    if (!Number.isInteger(epoch) || epoch < 1 || epoch > iterations) return;
    go(((epoch - 1) * ROWS_PER_EPOCH + Number(rowSelect.value)) * PHASES.length);
  });
  box.addEventListener("keydown", event => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (["INPUT", "SELECT", "TEXTAREA"].includes(event.target.tagName)) return;
    if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      event.preventDefault();
      go(position + (event.key === "ArrowRight" ? 1 : -1));
    }
  });
  edgeGroup.addEventListener("keydown", event => {
    const moves = { ArrowUp: selected - 1, ArrowDown: selected + 1, Home: 0, End: EDGES.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    select((moves[event.key] + EDGES.length) % EDGES.length, true);
  });
  network.addEventListener("click", event => { // 鼠标点击，触屏轻点：选离得最近的连线
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(network.getScreenCTM().inverse());
    const gaps = EDGES.map(edge => distance([point.x, point.y], edge.from, edge.to));
    const nearest = gaps.indexOf(Math.min(...gaps));
    if (gaps[nearest] <= 20) select(nearest, true);
  });
  select(0, false);
  update();
}
