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
  const response = await fetch(url, options);
  let data = {};
  try { data = await response.json(); } catch (_) { /* not JSON */ }
  return { status: response.status, ok: response.ok, data };
}

function say(text, error) {
  flash.textContent = text;
  flash.className = error ? "flash-error" : "";
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

function route() {
  const hash = decodeURIComponent(location.hash.replace(/^#/, "")) || "/";
  if (current && current.dirty && current.path !== hash.replace(/^\/f\//, "")) {
    if (!confirm("当前文件有未保存的修改，离开将丢失这些修改。确定离开吗？")) {
      history.replaceState(null, "", "#/f/" + current.path);
      return;
    }
  }
  current = null;
  say("");
  if (hash.startsWith("/y/")) return showYear(hash.slice(3));
  if (hash.startsWith("/f/")) return openFile(hash.slice(3));
  return showYears();
}

// ---------- years ----------

async function showYears() {
  setCrumbs([["全部年度"]]);
  const { ok, data } = await api("GET", "/api/years");
  if (!ok) return main.replaceChildren(h("p", { class: "diag error" }, data.error || "无法读取年度"));
  const rows = data.years.map((y) => h("tr", {},
    h("td", {}, h("a", { href: `#/y/${y.year}` }, `${y.year} 年度`)),
    h("td", {}, y.department || "（department.yaml 无法读取）"),
    h("td", {}, y.form || ""),
    h("td", {}, `${y.projects} 个项目`),
    h("td", {}, badge(y.errors, y.warnings))));
  main.replaceChildren(
    h("h1", {}, "选择年度"),
    data.years.length
      ? h("table", { class: "list" }, h("tr", {}, ["年度", "部门", "表样", "项目", "检查结果"].map((t) => h("th", {}, t))), rows)
      : h("p", { class: "muted" }, "specs/ 中还没有年度目录。可在终端运行 jixiao init 新建一个。"));
}

// ---------- a year ----------

async function showYear(year) {
  setCrumbs([["全部年度", "#/"], [`${year} 年度`]]);
  const { ok, data } = await api("GET", "/api/year?year=" + encodeURIComponent(year));
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
    document.getElementById("build-result").replaceChildren(
      h("h2", {}, "生成的 PDF"), h("ul", {}, list),
      result.not_built ? h("p", { class: "diag error" }, `${result.not_built} 个文件因有错误未生成（原有 PDF 保留不变）`) : null);
  } }, "生成 PDF");
  const rows = data.projects.map((p) => h("tr", {},
    h("td", {}, h("a", { href: `#/f/${p.path}` }, p.code)),
    h("td", {}, p.name),
    h("td", {}, badge(p.errors, p.warnings)),
    h("td", {}, pdfCell(data.out, p.pdf)),
    h("td", { class: "row-ops" },
      h("a", { class: "button", href: `#/f/${p.path}` }, "编辑"), " ",
      h("button", { onclick: () => newProject(year, data.projects, p.path) }, "复制"), " ",
      h("button", { class: "danger", onclick: () => deleteProject(year, p) }, "删除"))));
  const dep = data.department;
  main.replaceChildren(
    h("h1", {}, `${year} 年度 · ${dep.name || ""}`),
    h("p", { class: "muted" }, `表样：${data.form || "（无法读取）"}`),
    h("div", { class: "toolbar" }, buildButton,
      h("button", { id: "new-project", onclick: () => newProject(year, data.projects, null) }, "新建项目"),
      data.report && data.report.exists ? h("a", { class: "button", href: pdfUrl(data.out, data.report.name), target: "_blank" }, "打开合订本 PDF") : null),
    buildResult,
    h("h2", {}, "部门整体绩效目标"),
    h("table", { class: "list" }, h("tr", {}, ["文件", "检查结果", "合订本"].map((t) => h("th", {}, t))),
      h("tr", {}, h("td", {}, h("a", { href: `#/f/${dep.path}` }, "department.yaml（封面、说明、绩效目标、重点工作）")),
        h("td", {}, badge(dep.errors, dep.warnings)), h("td", {}, pdfCell(data.out, data.report)))),
    h("h2", {}, `项目（${data.projects.length} 个）`),
    h("table", { class: "list", id: "projects" },
      h("tr", {}, ["项目编码", "预算项目名称", "检查结果", "PDF", "操作"].map((t) => h("th", {}, t))), rows),
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
    h("p", {}, h("a", { href: `#/f/${p.path}` }, "period.yaml"), " ", badge(p.errors, p.warnings), " ",
      p.report && p.report.exists ? h("a", { class: "button", href: pdfUrl(p.out, p.report.name), target: "_blank" }, "打开本期合订本 PDF") : null),
    p.missing.length ? h("p", { class: "diag error" }, `还没有实际数据的项目：${p.missing.join("、")}（可用 jixiao init 按目标新建）`) : null,
    h("table", { class: "list" }, h("tr", {}, ["项目编码", "项目名称", "检查结果", "总分（等级）", "PDF", "操作"].map((t) => h("th", {}, t))), rows));
}

function dialog(title, body, buttons) {
  const d = document.getElementById("dialog");
  const form = document.getElementById("dialog-form");
  form.replaceChildren(h("h2", {}, title), body, h("div", { class: "toolbar" }, buttons));
  d.showModal();
  return d;
}

function newProject(year, projects, copyFrom) {
  const code = h("input", { type: "text", id: "new-code", placeholder: "如 131003009", autocomplete: "off" });
  const from = h("select", { id: "new-from" }, h("option", { value: "" }, "空白项目（只有表样要求的字段）"),
    projects.map((p) => h("option", { value: p.path, selected: p.path === copyFrom }, `复制 ${p.code} ${p.name}`)));
  const error = h("p", { class: "diag error" });
  const create = h("button", { class: "primary", value: "create", onclick: async (e) => {
    e.preventDefault();
    const body = { year, code: code.value.trim() };
    if (from.value) body.copy = from.value;
    const { ok, data } = await api("POST", "/api/new", body);
    if (!ok) { error.textContent = data.error; return; }
    document.getElementById("dialog").close();
    location.hash = "#/f/" + data.path;
  } }, "创建");
  dialog("新建项目", h("div", {}, h("label", {}, "项目编码（文件名）", code), h("label", {}, "内容", from), error),
    [create, h("button", { value: "cancel" }, "取消")]);
  code.focus();
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

async function openFile(path) {
  const year = path.replace(/\/(department\.yaml|projects\/[^/]+|actuals\/[^/]+\/[^/]+)$/, "");
  const period = (path.match(/\/actuals\/([^/]+)\/[^/]+$/) || [])[1];
  setCrumbs([["全部年度", "#/"], [`${year} 年度`, `#/y/${year}`], ...(period ? [[`实际数据 ${period}`, `#/y/${year}`]] : []), [path.split("/").pop()]]);
  const { ok, data } = await api("GET", "/api/file?path=" + encodeURIComponent(path));
  if (!ok) return main.replaceChildren(h("p", { class: "diag error" }, data.error || "无法读取文件"));
  current = new Editor(data);
  current.render();
  current.show(data);
}

document.addEventListener("keydown", (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key === "s" && current) { e.preventDefault(); current.save(); }
});

// Deferred scripts (this one and editor.js) have all run before this event.
document.addEventListener("DOMContentLoaded", () => route());
