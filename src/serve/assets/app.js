// jixiao editor page: the years, a year's projects (this file), and a spec laid out like
// the printed table (editor.js). Checks and preview come from the server as one types;
// saving writes the YAML in place. Plain DOM, no framework: every text is set with
// textContent, never as HTML.
"use strict";

const main = document.getElementById("main");
const crumbs = document.getElementById("crumbs");
const flash = document.getElementById("flash");
const DEBOUNCE_MS = 100;
const NUMERALS = "一二三四五六七八九十";

// ---------- small helpers ----------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

async function api(method, url, body) {
  const options = { method, headers: {}, credentials: "same-origin" };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, options);
  } catch (_) {
    // The editor was closed or restarted: nothing typed is lost (see keepDraft).
    if (current) current.keepDraft();
    return { status: 0, ok: false, data: { error: "无法连接编辑器（可能已关闭）。修改已保存在本浏览器中：重新启动编辑器后刷新本页，即可恢复并保存。" } };
  }
  let data = {};
  try { data = await response.json(); } catch (_) { /* not JSON */ }
  if (response.status === 401) {
    if (current) current.keepDraft();
    lostAccess(data.error);
  }
  return { status: response.status, ok: response.ok, data };
}

// The token no longer matches (another project's editor on this port): say what to do.
function lostAccess(message) {
  const d = document.getElementById("dialog");
  if (d.open) return;
  dialog("需要重新打开编辑器页面", h("div", {}, h("p", {}, message || "访问令牌不对。"),
    h("p", {}, "请从启动编辑器的窗口中复制地址重新打开，或再双击一次“打开绩效编辑器”。未保存的修改已保存在本浏览器中，重新打开这个文件时会提示恢复。")),
  [h("button", { value: "cancel" }, "知道了")]);
}

function say(text, error) {
  flash.textContent = text;
  flash.className = error ? "flash-error" : "";
}

// A message with one action (撤销 after a deleted row).
function sayWith(text, action, run) {
  flash.replaceChildren(text, " ", h("button", { class: "small", id: "flash-action", onclick: () => { say(""); run(); } }, action));
  flash.className = "";
}

function setCrumbs(parts) {
  crumbs.replaceChildren(...parts.map(([text, href]) => h("span", {}, href ? h("a", { href }, text) : text)));
}

function badge(errors, warnings) {
  if (errors) return h("span", { class: "badge error" }, `${errors} 个错误`);
  if (warnings) return h("span", { class: "badge warning" }, `${warnings} 个警告`);
  return h("span", { class: "badge ok" }, "无问题");
}

function pdfUrl(out, name) {
  return "/pdf/" + out.split("/").map(encodeURIComponent).join("/") + "/" + encodeURIComponent(name);
}

// A short fingerprint of a page (FNV-1a), so a change of the preview can be seen.
function digest(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16);
}

function numeral(i) {
  return i < 10 ? NUMERALS[i] : String(i + 1);
}

// ---------- routing ----------

let current = null; // the open editor, if any

window.addEventListener("hashchange", () => route());
window.addEventListener("beforeunload", (e) => {
  if (current && current.dirty) { e.preventDefault(); e.returnValue = ""; }
});

// Each route is numbered: a page that comes back after the clerk went elsewhere is not
// drawn over the newer one.
let routeSeq = 0;
const stale = (seq) => seq !== undefined && seq !== routeSeq;

function route() {
  const seq = ++routeSeq;
  const hash = decodeURIComponent(location.hash.replace(/^#/, "")) || "/";
  if (current && current.dirty && current.path !== hash.replace(/^\/f\//, "")) {
    if (!confirm("当前文件有未保存的修改，离开将丢失这些修改。确定离开吗？")) {
      history.replaceState(null, "", "#/f/" + current.path);
      return;
    }
  }
  current = null;
  say("");
  if (hash.startsWith("/y/")) return showYear(hash.slice(3), seq);
  if (hash.startsWith("/f/")) return openFile(hash.slice(3), seq);
  return showYears(seq);
}

// ---------- years ----------

async function showYears(seq) {
  setCrumbs([["全部年度"]]);
  const { ok, data } = await api("GET", "/api/years");
  if (stale(seq)) return;
  if (!ok) return main.replaceChildren(h("p", { class: "diag error" }, data.error || "无法读取年度"));
  const rows = data.years.map((y) => h("tr", {},
    h("td", {}, h("a", { href: `#/y/${y.year}` }, `${y.year} 年度`)),
    h("td", {}, y.department || "（部门文件无法读取）"),
    h("td", {}, y.form || ""),
    h("td", {}, `${y.projects} 个项目`),
    h("td", {}, badge(y.errors, y.warnings))));
  main.replaceChildren(
    h("h1", {}, "选择年度"),
    data.years.length
      ? h("table", { class: "list" }, h("tr", {}, ["年度", "部门", "表样", "项目", "检查结果"].map((t) => h("th", {}, t))), rows)
      : h("p", { class: "muted" }, "还没有年度目录。请在项目目录中运行 jixiao init specs/2025（或复制上一年度的目录）新建一个。"));
}

// ---------- a year ----------

async function showYear(year, seq = routeSeq) {
  setCrumbs([["全部年度", "#/"], [`${year} 年度`]]);
  const { ok, data } = await api("GET", "/api/year?year=" + encodeURIComponent(year));
  if (stale(seq)) return;
  if (!ok) return main.replaceChildren(h("p", { class: "diag error" }, data.error || "无法读取年度"));
  renderYear(data);
}

function pdfCell(out, pdf) {
  if (!pdf) return h("span", { class: "muted" }, "—");
  const status = pdf.fresh ? h("span", { class: "badge ok" }, "已是最新")
    : pdf.exists ? h("span", { class: "badge stale" }, "需要重新生成") : h("span", { class: "badge stale" }, "未生成");
  return h("span", {}, status, " ", pdf.exists ? h("a", { href: pdfUrl(out, pdf.name), target: "_blank" }, "打开 PDF") : null);
}

function renderYear(data) {
  const year = data.year;
  const buildResult = h("div", { id: "build-result" });
  const buildButton = h("button", { class: "primary", id: "build", onclick: async () => {
    buildButton.disabled = true;
    say("正在生成 PDF……");
    const { ok, data: result } = await api("POST", "/api/build", { year });
    buildButton.disabled = false;
    if (!ok) return say(result.error || "生成失败", true);
    say(`生成完成：${result.summary}（${result.ms} 毫秒）`);
    renderYear(result.year);
    const list = result.pdfs.map((p) => h("li", {}, h("a", { href: pdfUrl(result.year.out, p.name), target: "_blank" }, p.name), p.built ? "（新生成）" : "（未变化）"));
    const blockers = result.year.projects.filter((p) => p.errors);
    document.getElementById("build-result").replaceChildren(
      h("h2", {}, "生成的 PDF"), h("ul", {}, list),
      result.not_built ? h("p", { class: "diag error" }, `${result.not_built} 个文件因有错误未生成（原有 PDF 保留不变）`,
        blockers.length ? `；合订本要等这些项目改正后才能生成：${blockers.map((p) => `${p.code} ${p.name}（${p.pending ? p.pending + " 项待填写" : p.errors + " 个错误"}）`).join("、")}` : "") : null);
  } }, "生成 PDF");
  const status = (p) => p.pending && p.pending === p.errors ? h("span", { class: "badge pending" }, `草稿 · ${p.pending} 项待填写`) : badge(p.errors, p.warnings);
  const rows = data.projects.map((p) => h("tr", { dataset: { code: p.code, name: p.name, state: p.errors ? (p.pending === p.errors ? "pending" : "error") : p.warnings ? "warning" : "ok", stale: p.pdf && !p.pdf.fresh ? "1" : "" } },
    h("td", {}, h("a", { href: `#/f/${p.path}` }, p.code)),
    h("td", {}, p.name),
    h("td", { class: "amount" }, p.amount || ""),
    h("td", {}, status(p)),
    h("td", {}, pdfCell(data.out, p.pdf)),
    h("td", { class: "row-ops" },
      h("a", { class: "button", href: `#/f/${p.path}` }, "编辑"), " ",
      h("button", { onclick: () => newProject(year, data, p.path) }, "复制"), " ",
      h("button", { class: "danger", onclick: () => deleteProject(year, p) }, "删除"))));
  const dep = data.department;
  const search = h("input", { type: "search", id: "search", placeholder: "按编码或名称查找", "aria-label": "查找项目" });
  const filter = h("select", { id: "filter", "aria-label": "筛选项目" },
    [["", "全部项目"], ["error", "有错误"], ["pending", "草稿（待填写）"], ["warning", "有警告"], ["stale", "PDF 需要重新生成"], ["ok", "没有问题"]].map(([v, t]) => h("option", { value: v }, t)));
  const shown = h("span", { class: "muted", id: "shown" });
  const table = h("table", { class: "list", id: "projects" },
    h("tr", {}, ["项目编码", "预算项目名称", `预算金额（${data.money_unit || "万元"}）`, "检查结果", "PDF", "操作"].map((t) => h("th", {}, t))), rows);
  const apply = () => {
    const q = search.value.trim();
    let n = 0;
    for (const tr of table.querySelectorAll("tr[data-code]")) {
      const d = tr.dataset;
      const hit = (!q || d.code.includes(q) || d.name.includes(q)) && (!filter.value || (filter.value === "stale" ? d.stale === "1" : d.state === filter.value));
      tr.hidden = !hit;
      if (hit) n++;
    }
    shown.textContent = q || filter.value ? `显示 ${n} / ${data.projects.length} 个` : "";
  };
  search.addEventListener("input", apply);
  filter.addEventListener("change", apply);
  main.replaceChildren(
    h("h1", {}, `${year} 年度 · ${dep.name || ""}`),
    h("p", { class: "muted" }, `表样：${data.form_title || data.form || "（无法读取）"}`),
    h("div", { class: "toolbar" }, buildButton,
      h("button", { id: "new-project", onclick: () => newProject(year, data, null) }, "新建项目"),
      data.report && data.report.exists ? h("a", { class: "button", href: pdfUrl(data.out, data.report.name), target: "_blank" }, "打开合订本 PDF") : null),
    buildResult,
    h("h2", {}, "部门整体绩效目标"),
    h("table", { class: "list" }, h("tr", {}, ["文件", "检查结果", "合订本"].map((t) => h("th", {}, t))),
      h("tr", {}, h("td", {}, h("a", { href: `#/f/${dep.path}` }, "部门文件（封面、说明、绩效目标、重点工作）")),
        h("td", {}, badge(dep.errors, dep.warnings)), h("td", {}, pdfCell(data.out, data.report)))),
    h("h2", {}, `项目（${data.projects.length} 个${data.total ? `，预算合计 ${data.total} ${data.money_unit || "万元"}` : ""}）`),
    h("div", { class: "toolbar" }, search, filter, shown),
    table,
    ...(data.periods || []).filter((p) => p).map((p) => periodSection(p)));
}

// A period of the year (monitoring, self-evaluation): each project's actual figures with
// their check, score and PDF; the projects that have none yet.
function periodSection(p) {
  const rows = p.projects.map((a) => h("tr", {},
    h("td", {}, h("a", { href: `#/f/${a.path}` }, a.code)),
    h("td", {}, a.name),
    h("td", {}, badge(a.errors, a.warnings)),
    h("td", {}, a.total ? `${a.total}（${a.grade || ""}）` : h("span", { class: "muted" }, "—")),
    h("td", {}, pdfCell(p.out, a.pdf)),
    h("td", { class: "row-ops" }, h("a", { class: "button", href: `#/f/${a.path}` }, "填写"))));
  return h("section", { class: "period", dataset: { period: p.name } },
    h("h2", {}, `实际数据：${p.name}（${p.form || "表样无法读取"}）`),
    h("p", {}, h("a", { href: `#/f/${p.path}` }, "本期设置（表样、月份、日期）"), " ", badge(p.errors, p.warnings), " ",
      p.report && p.report.exists ? h("a", { class: "button", href: pdfUrl(p.out, p.report.name), target: "_blank" }, "打开本期合订本 PDF") : null),
    p.missing.length ? h("p", { class: "diag error" }, "还没有本期实际数据的项目：",
      p.missing.map((code) => h("button", { class: "small", dataset: { start: code }, onclick: async () => {
        const { ok, data } = await api("POST", "/api/start-actuals", { year: p.year, period: p.name, code });
        if (!ok) return say(data.error || "无法新建", true);
        location.hash = "#/f/" + data.path;
      } }, `按目标新建 ${code}`))) : null,
    h("table", { class: "list" }, h("tr", {}, ["项目编码", "项目名称", "检查结果", "总分（等级）", "PDF", "操作"].map((t) => h("th", {}, t))), rows));
}

function dialog(title, body, buttons) {
  const d = document.getElementById("dialog");
  const form = document.getElementById("dialog-form");
  form.replaceChildren(h("h2", {}, title), body, h("div", { class: "toolbar" }, buttons));
  d.showModal();
  return d;
}

// The next unused code after the year's highest (131003008 → 131003009).
function nextCode(data) {
  const codes = data.projects.map((p) => p.code).filter((c) => /^\d+$/.test(c));
  if (!codes.length) return data.department_code ? data.department_code + "001" : "";
  const top = codes.reduce((a, b) => (BigInt(a) > BigInt(b) ? a : b));
  return (BigInt(top) + 1n).toString().padStart(top.length, "0");
}

function newProject(year, data, copyFrom) {
  const projects = data.projects;
  const code = h("input", { type: "text", id: "new-code", inputmode: "numeric", autocomplete: "off", value: nextCode(data) });
  const from = h("select", { id: "new-from" }, h("option", { value: "" }, "空白项目（按表样逐项填写）"),
    projects.map((p) => h("option", { value: p.path, selected: p.path === copyFrom }, `复制 ${p.code} ${p.name}`)));
  const error = h("p", { class: "diag error", id: "new-error" });
  const hint = h("p", { class: "muted" }, data.department_code ? `项目编码只含数字，以部门编码 ${data.department_code} 开头，不能与已有项目相同。` : "项目编码只含数字，不能与已有项目相同。");
  const create = h("button", { class: "primary", value: "create", onclick: async (e) => {
    e.preventDefault();
    const body = { year, code: code.value.trim() };
    if (from.value) body.copy = from.value;
    const { ok, data: made } = await api("POST", "/api/new", body);
    if (!ok) { error.textContent = made.error; code.focus(); return; }
    document.getElementById("dialog").close();
    location.hash = "#/f/" + made.path;
  } }, "创建");
  dialog("新建项目", h("div", {}, h("label", {}, "项目编码", code), hint, h("label", {}, "内容", from), error),
    [create, h("button", { value: "cancel" }, "取消")]);
  code.focus();
  code.select();
}

async function deleteProject(year, project) {
  if (!confirm(`确定删除项目 ${project.code} ${project.name} 吗？\n将删除文件 specs/${project.path}（可以在 git 中找回）。`)) return;
  const file = await api("GET", "/api/file?path=" + encodeURIComponent(project.path));
  if (!file.ok) return say(file.data.error, true);
  const { ok, data } = await api("POST", "/api/delete", { path: project.path, hash: file.data.hash });
  if (!ok) return say(data.error, true);
  say(`已删除 ${project.code}`);
  showYear(year);
}

// ---------- a file ----------

async function openFile(path, seq = routeSeq) {
  const year = path.replace(/\/(department\.yaml|projects\/[^/]+|actuals\/[^/]+\/[^/]+)$/, "");
  const period = (path.match(/\/actuals\/([^/]+)\/[^/]+$/) || [])[1];
  const name = path.split("/").pop();
  setCrumbs([["全部年度", "#/"], [`${year} 年度`, `#/y/${year}`], ...(period ? [[`实际数据 ${period}`, `#/y/${year}`]] : []), [name === "department.yaml" ? "部门文件" : name.replace(/\.ya?ml$/i, "")]]);
  const { ok, data } = await api("GET", "/api/file?path=" + encodeURIComponent(path));
  if (stale(seq)) return;
  if (!ok) return main.replaceChildren(h("p", { class: "diag error" }, data.error || "无法读取文件"));
  current = new Editor(data);
  current.render();
  current.show(data);
  current.offerDraft();
  if (current.layout && current.layout.kind === "project") loadSuggestions(year);
}

// Indicator names of this and earlier years, offered as one types a name.
async function loadSuggestions(year) {
  const { ok, data } = await api("GET", "/api/suggest?year=" + encodeURIComponent(year));
  if (!ok) return;
  suggestions = data.indicators;
  const list = document.getElementById("indicator-names") || document.body.appendChild(h("datalist", { id: "indicator-names" }));
  list.replaceChildren(...suggestions.map((s) => h("option", { value: s.name }, `${s.level2} · ${s.value}（${s.year}）`)));
}
let suggestions = [];

document.addEventListener("keydown", (e) => {
  if (!current || !(e.ctrlKey || e.metaKey)) return;
  const key = (e.key || "").toLowerCase();
  // Ctrl+S with Shift or Caps Lock too (the key then reads "S").
  if (key === "s" || e.code === "KeyS") { e.preventDefault(); current.save(); return; }
  const typing = e.target && /^(INPUT|TEXTAREA)$/.test(e.target.tagName);
  if (typing) return; // the box's own undo
  if ((key === "z" && !e.shiftKey) || e.code === "KeyZ" && !e.shiftKey) { e.preventDefault(); current.undo(false); }
  else if (key === "y" || (key === "z" && e.shiftKey)) { e.preventDefault(); current.undo(true); }
});

// Deferred scripts (this one and editor.js) have all run before this event.
document.addEventListener("DOMContentLoaded", () => route());
