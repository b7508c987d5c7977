// 页面上的小实验：找到带 data-explorer 的容器，只载入它要的模块（别的页面只载入这几行）。
// 模块载入前和载入失败时，容器里是构建时画好的静态图。
const MODULES = { alpha: "./alpha.js", hill: "./hill.js", stepper: "./stepper.js" };

for (const box of document.querySelectorAll("[data-explorer]")) {
  const module = MODULES[box.dataset.explorer];
  if (module) import(module).then(explorer => explorer.mount(box));
}
