// jixiao editor page: the years, a year's projects, and a spec laid out like the printed
// table. Checks and preview come from the server as one types; saving writes the YAML
// in place. Plain DOM, no framework: every text is set with textContent, never as HTML.
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
      h("tr", {}, ["项目编码", "预算项目名称", "检查结果", "PDF", "操作"].map((t) => h("th", {}, t))), rows));
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
  const year = path.replace(/\/(department\.yaml|projects\/[^/]+)$/, "");
  setCrumbs([["全部年度", "#/"], [`${year} 年度`, `#/y/${year}`], [path.split("/").pop()]]);
  const { ok, data } = await api("GET", "/api/file?path=" + encodeURIComponent(path));
  if (!ok) return main.replaceChildren(h("p", { class: "diag error" }, data.error || "无法读取文件"));
  current = new Editor(data);
  current.render();
  current.show(data);
}

class Editor {
  constructor(data) {
    this.path = data.path;
    this.year = data.year;
    this.base = data.text;
    this.hash = data.hash;
    this.doc = data.doc;
    this.raw = data.doc ? null : data.text;
    this.layout = data.layout;
    this.dirty = false;
    this.seq = 0;
    this.timer = null;
    this.previewVersion = 0;
    this.urls = [];
    this.text = data.text;
  }

  // --- the document ---

  get(path) {
    let v = this.doc;
    for (const step of path) {
      if (v === null || v === undefined) return undefined;
      v = typeof step === "number" ? (v[step] ? v[step].value : undefined) : v[step];
    }
    return v;
  }

  // Sets a value; a key not yet there goes after its neighbour in the form's order, and
  // an optional text emptied is removed.
  set(path, value, fields) {
    const parentPath = path.slice(0, -1);
    const key = path[path.length - 1];
    const parent = this.get(parentPath);
    if (typeof key === "number") { parent[key].value = value; return; }
    const field = (fields || []).find((f) => f.key === key);
    if (value === "" && field && !field.required && typeof (parent || {})[key] !== "object") {
      delete parent[key];
      return;
    }
    if (key in parent || !fields) { parent[key] = value; return; }
    const order = fields.map((f) => f.key);
    const entries = Object.entries(parent);
    let at = entries.length;
    const mine = order.indexOf(key);
    if (mine >= 0) {
      at = 0;
      entries.forEach(([k], i) => { const o = order.indexOf(k); if (o >= 0 && o < mine) at = i + 1; });
    }
    entries.splice(at, 0, [key, value]);
    for (const k of Object.keys(parent)) delete parent[k];
    for (const [k, v] of entries) parent[k] = v;
  }

  changed() {
    this.dirty = true;
    this.state();
    clearTimeout(this.timer);
    this.lastEdit = performance.now();
    this.timer = setTimeout(() => this.check(), DEBOUNCE_MS);
  }

  body() {
    return this.raw !== null ? { path: this.path, base: this.base, hash: this.hash, text: this.raw }
      : { path: this.path, base: this.base, hash: this.hash, doc: this.doc };
  }

  async check() {
    const seq = ++this.seq;
    const { ok, data } = await api("POST", "/api/check", this.body());
    if (seq !== this.seq) return; // a newer edit is being checked
    if (!ok) return say(data.error || "检查失败", true);
    say("");
    this.show(data);
  }

  async save() {
    clearTimeout(this.timer);
    this.seq++;
    const { status, ok, data } = await api("POST", "/api/save", this.body());
    if (status === 409) return this.conflict(data);
    if (!ok) return say(data.error || "保存失败", true);
    this.base = data.text;
    this.hash = data.hash;
    if (data.doc) { this.doc = data.doc; this.raw = null; }
    this.dirty = false;
    this.render();
    this.show(data);
    say(data.errors ? `已保存（有 ${data.errors} 个错误：可以先保存，改正后才能生成 PDF）` : "已保存");
  }

  conflict(data) {
    const reload = h("button", { class: "primary", value: "reload", onclick: () => { this.dirty = false; openFile(this.path); } }, "重新载入（放弃我的修改）");
    dialog("文件已被修改，未保存", h("div", {}, h("p", {}, data.error),
      h("p", {}, "磁盘上的文件与载入时相比有这些变化："), h("pre", { class: "diff" }, data.diff || "")),
      [reload, h("button", { value: "cancel" }, "取消（保留我的修改）")]);
  }

  state() {
    const el = document.getElementById("save-state");
    if (!el) return;
    const errors = this.errors || 0;
    el.className = "state " + (this.dirty ? "dirty" : errors ? "errors" : "saved");
    el.textContent = this.dirty ? "有未保存的修改" : errors ? `已保存 · 有 ${errors} 个错误（不能生成 PDF）` : "已保存";
  }

  // --- the page ---

  render() {
    const scroll = window.scrollY;
    this.problemList = h("div", { class: "problems", id: "problems" });
    this.previewBox = h("div", { class: "preview", id: "preview" }, h("p", { class: "muted" }, "正在排版预览……"));
    this.yaml = h("pre", { class: "yaml", hidden: true, id: "yaml" });
    const form = h("div", { class: "form", id: "form" });
    if (this.raw !== null) {
      form.append(h("p", { class: "diag error" }, "这个文件有语法错误，无法按表格编辑；请直接修改下面的 YAML 文字。"),
        this.textInput(["__raw__"], this.raw, true, (v) => { this.raw = v; }));
    } else if (!this.layout) {
      form.append(h("p", { class: "diag error" }, "这个年度的表样无法读取（见下方问题），请先修正 department.yaml。"));
    } else if (this.layout.kind === "project") {
      form.append(this.projectForm());
    } else {
      form.append(this.fields(this.layout.fields, [], this.doc));
    }
    main.replaceChildren(
      h("div", { class: "toolbar" },
        h("button", { class: "primary", id: "save", onclick: () => this.save() }, "保存"),
        h("span", { id: "save-state", class: "state" }),
        h("button", { onclick: () => { this.yaml.hidden = !this.yaml.hidden; } }, "查看 YAML"),
        h("a", { class: "button", href: `#/y/${this.year}` }, "返回项目列表"),
        h("span", { class: "muted" }, `specs/${this.path}`)),
      this.problemList, this.yaml,
      h("div", { class: "editor" }, form, this.previewBox));
    this.state();
    window.scrollTo(0, scroll);
  }

  // Re-renders after a change of structure (rows added, removed, moved), then checks.
  restructure() {
    this.render();
    this.show(this.lastShown || {});
    this.changed();
  }

  id(path) { return "f:" + path.join("/"); }

  wrap(path, control) {
    return h("div", { class: "control", dataset: { path: path.join("/") } }, control, h("div", { class: "diags" }));
  }

  textInput(path, value, long, onValue, fields) {
    const attrs = { id: this.id(path), "aria-label": path.join("/") };
    const el = long ? h("textarea", { ...attrs, rows: Math.min(8, Math.max(2, Math.ceil(String(value || "").length / 40))) })
      : h("input", { ...attrs, type: "text" });
    el.value = value === null || value === undefined ? "" : value;
    el.addEventListener("input", () => {
      if (onValue) onValue(el.value); else this.set(path, el.value, fields);
      this.changed();
    });
    return this.wrap(path, el);
  }

  select(path, value, choices, fields, onChange, labels) {
    const list = [...choices];
    if (value && !list.includes(value)) list.push(value);
    const el = h("select", { id: this.id(path) }, h("option", { value: "" }, "（请选择）"),
      list.map((c, i) => h("option", { value: c, selected: c === value }, (labels && labels[i]) || c)));
    el.addEventListener("change", () => { this.set(path, el.value, fields); if (onChange) onChange(); else this.changed(); });
    return this.wrap(path, el);
  }

  // One field of a map by its shape.
  field(f, path, value, fields, bare) {
    const p = [...path, f.key];
    const label = bare ? null : h("span", { class: "label" }, f.label, f.required ? h("span", { class: "req", title: "必填" }, " *") : null);
    const shape = f.shape;
    if (shape.kind === "map") {
      const obj = value && typeof value === "object" && !Array.isArray(value) ? value : null;
      if (!obj) {
        return h("div", { class: "field" }, label, h("button", { class: "small", onclick: () => { this.set(p, {}, fields); this.restructure(); } }, "添加"),
          h("div", { class: "diags", dataset: { path: p.join("/") } }));
      }
      return h("fieldset", { dataset: { path: p.join("/") } }, bare ? null : h("legend", {}, f.label), this.fields(shape.fields, p, obj), h("div", { class: "diags" }));
    }
    if (shape.kind === "list") return h("div", { class: "field" }, label, this.list(f, p, value, fields));
    if (shape.kind === "plan") return h("div", { class: "field" }, label, this.plan(p, value, fields));
    if (f.choices && f.choices.length) return h("div", { class: "field" }, label, this.select(p, value, f.choices, fields, null, f.choice_labels));
    return h("div", { class: "field" }, label, this.textInput(p, typeof value === "string" ? value : "", f.long, null, fields));
  }

  // The fields of a map, then any key the form does not have (`skip`: keys shown elsewhere).
  fields(fields, path, obj, skip) {
    const out = fields.filter((f) => !(skip || []).includes(f.key)).map((f) => this.field(f, path, obj ? obj[f.key] : undefined, fields));
    const known = [...fields.map((f) => f.key), ...(skip || [])];
    for (const key of Object.keys(obj || {})) {
      if (known.includes(key)) continue;
      const value = obj[key];
      const p = [...path, key];
      out.push(h("div", { class: "field" }, h("span", { class: "label" }, `${key}（表样中没有这个字段）`),
        typeof value === "string" || value === null ? this.textInput(p, value, false, null, null)
          : h("div", { class: "control", dataset: { path: p.join("/") } }, h("code", {}, JSON.stringify(value)), h("div", { class: "diags" })),
        h("button", { class: "small danger", onclick: () => { delete obj[key]; this.restructure(); } }, "删除这个字段")));
    }
    return h("div", {}, out);
  }

  plan(path, value, fields) {
    const obj = value && typeof value === "object" ? value : {};
    const months = this.layout.checkpoints.map((c) => [String(c.month), c.label]);
    for (const key of Object.keys(obj)) if (!months.some(([m]) => m === key)) months.push([key, `${key}（表样中没有）`]);
    const ensure = () => { if (!this.get(path) || typeof this.get(path) !== "object") this.set(path, {}, fields); };
    return h("div", { class: "control", dataset: { path: path.join("/") } },
      h("div", { class: "plan" }, months.map(([m, label]) => h("label", {}, label,
        this.textInput([...path, m], obj[m] === null ? "" : obj[m], false, (v) => { ensure(); this.get(path)[m] = v === "" ? null : v; })))),
      h("div", { class: "diags" }));
  }

  // A list of texts or of maps: numbered items that can be added, removed and moved.
  list(f, path, value, fields) {
    const items = Array.isArray(value) ? value : [];
    const item = f.shape.item;
    const box = h("div", { class: "control", dataset: { path: path.join("/") } });
    items.forEach((it, i) => {
      const p = [...path, i];
      const num = path[path.length - 1] === "goals" ? `（${numeral(i)}）` : `${i + 1}.`;
      const head = h("div", { class: "item-head" }, h("span", { class: "num" }, num), this.rowOps(items, i, i > 0 ? i - 1 : null, i < items.length - 1 ? i + 1 : null));
      const body = item.kind === "map" ? this.fields(item.fields, p, it.value)
        : this.textInput(p, typeof it.value === "string" ? it.value : "", f.shape.long, null, null);
      box.append(h("div", { class: "item", dataset: { path: p.join("/") } }, head, body, h("div", { class: "diags" })));
    });
    box.append(h("button", { class: "small", onclick: () => {
      if (!Array.isArray(this.get(path))) this.set(path, [], fields);
      this.get(path).push({ from: null, value: item.kind === "map" ? this.blank(item.fields) : "" });
      this.restructure();
    } }, `添加${f.label}`), h("div", { class: "diags" }));
    return box;
  }

  blank(fields, preset) {
    const out = {};
    for (const f of fields) if (f.required || (preset && f.key in preset)) out[f.key] = (preset && preset[f.key]) || (f.shape.kind === "map" ? this.blank(f.shape.fields) : "");
    return out;
  }

  rowOps(items, i, up, down, what) {
    const move = (j) => { [items[i], items[j]] = [items[j], items[i]]; this.restructure(); };
    return h("span", { class: "row-ops" },
      h("button", { class: "small", title: "上移", disabled: up === null, onclick: () => move(up) }, "↑"),
      h("button", { class: "small", title: "下移", disabled: down === null, onclick: () => move(down) }, "↓"),
      h("button", { class: "small danger", title: "删除", onclick: () => {
        if (!confirm(`删除这一${what || "项"}吗？`)) return;
        items.splice(i, 1);
        this.restructure();
      } }, "删除"));
  }

  // ---------- the project table ----------

  projectForm() {
    const fields = this.layout.fields;
    const labels = this.layout.labels || {};
    const doc = this.doc;
    const byKey = (k) => fields.find((f) => f.key === k);
    const row = (label, control) => h("tr", {}, h("th", {}, label), h("td", {}, control));
    const head = h("tbody", {},
      row(labels.code || "项目编码", this.textInput(["code"], doc.code, false, null, fields)),
      row(labels.name || "预算项目名称", this.textInput(["name"], doc.name, false, null, fields)));
    // Optional fields not written yet wait under "more", so the table reads as printed.
    const more = h("tbody", {});
    for (const f of fields) {
      if (["code", "name", "indicators", "allow"].includes(f.key)) continue;
      const r = row(h("span", {}, f.label, f.required ? h("span", { class: "req", title: "必填" }, " *") : null), this.field(f, [], doc[f.key], fields, true));
      (f.required || f.key in doc ? head : more).append(r);
    }
    const out = h("div", {}, h("table", { class: "sheet" }, head));
    if (more.children.length) out.append(h("details", { class: "more" }, h("summary", {}, `其他可填写的项目（选填，${more.children.length} 项）`), h("table", { class: "sheet" }, more)));
    const indicators = byKey("indicators");
    if (indicators) out.append(h("h2", {}, indicators.label), this.indicatorTable(indicators));
    const allow = byKey("allow");
    if (allow) out.append(this.field(allow, [], doc.allow, fields));
    out.append(this.fields([], [], doc, fields.map((f) => f.key)));
    return out;
  }

  indicatorTable(indicators) {
    const itemFields = indicators.shape.item.fields;
    const levels = this.layout.levels;
    // The columns the form prints, the required ones and any a row already uses.
    const printed = (this.layout.columns || []).map((c) => c.replace(/\s/g, ""));
    const used = (key) => (Array.isArray(this.doc.indicators) ? this.doc.indicators : []).some((it) => it.value && key in it.value);
    const columns = itemFields.filter((f) => f.key !== "level1" && f.key !== "level2"
      && (f.required || printed.includes(f.label.replace(/\s/g, "")) || used(f.key)));
    const items = Array.isArray(this.doc.indicators) ? this.doc.indicators : [];
    const body = h("tbody", {});
    const groups = [];
    for (const level of levels) for (const slot of level.slots) groups.push([level.label, slot]);
    const group = (it) => groups.findIndex(([a, b]) => it.value && it.value.level1 === a && it.value.level2 === b);
    const add = (level1, level2) => {
      if (!Array.isArray(this.doc.indicators)) this.set(["indicators"], [], this.layout.fields);
      const list = this.doc.indicators;
      // After the last row of this slot or an earlier one: the file reads in table order.
      const mine = groups.findIndex(([a, b]) => a === level1 && b === level2);
      let at = 0;
      list.forEach((it, i) => { const g = group(it); if (g >= 0 && g <= mine) at = i + 1; });
      list.splice(at, 0, { from: null, value: this.blank(itemFields, { level1, level2 }) });
      this.restructure();
    };
    body.append(h("tr", {}, h("th", {}, "一级指标 / 二级指标"), columns.map((c) => h("th", {}, c.label)), h("th", {}, "")));
    const rowFor = (i, members) => {
      const it = items[i];
      const p = ["indicators", i];
      const k = members.indexOf(i);
      const levelCell = h("td", {},
        this.select([...p, "level1"], it.value.level1, levels.map((l) => l.label), itemFields, () => this.restructure()),
        this.select([...p, "level2"], it.value.level2, (levels.find((l) => l.label === it.value.level1) || { slots: levels.flatMap((l) => l.slots) }).slots, itemFields, () => this.restructure()));
      return h("tr", { dataset: { path: p.join("/") } }, levelCell,
        columns.map((c) => h("td", {}, c.choices && c.choices.length ? this.select([...p, c.key], it.value[c.key], c.choices, itemFields, null, c.choice_labels)
          : this.textInput([...p, c.key], typeof it.value[c.key] === "string" ? it.value[c.key] : "", true, null, itemFields))),
        h("td", {}, this.rowOps(items, i, k > 0 ? members[k - 1] : null, k < members.length - 1 ? members[k + 1] : null, "行指标"), h("div", { class: "diags row-diags" })));
    };
    for (const [level1, level2] of groups) {
      const members = items.map((it, i) => i).filter((i) => items[i].value && items[i].value.level1 === level1 && items[i].value.level2 === level2);
      body.append(h("tr", { class: "group" }, h("th", { colspan: columns.length + 2 }, `${level1} › ${level2}`, " ",
        h("button", { class: "small", onclick: () => add(level1, level2) }, "＋ 添加一行"))));
      for (const i of members) body.append(rowFor(i, members));
    }
    const others = items.map((it, i) => i).filter((i) => group(items[i]) < 0);
    if (others.length) {
      body.append(h("tr", { class: "group" }, h("th", { colspan: columns.length + 2 }, "一级/二级指标不在表样中的行")));
      for (const i of others) body.append(rowFor(i, others));
    }
    return h("div", { dataset: { path: "indicators" } }, h("table", { class: "sheet indicators" }, body), h("div", { class: "diags" }));
  }

  // ---------- what the server said ----------

  show(data) {
    this.lastShown = data;
    if (data.text !== undefined) { this.text = data.text; this.yaml.textContent = data.text; }
    if (data.errors !== undefined) this.errors = data.errors;
    this.state();
    this.showProblems(data.problems || []);
    if (data.pages) this.showPreview(data.pages, data.preview_note);
  }

  showProblems(problems) {
    for (const el of document.querySelectorAll(".diags")) el.replaceChildren();
    for (const el of document.querySelectorAll(".has-error, .has-warning")) el.classList.remove("has-error", "has-warning");
    const mine = problems.filter((p) => p.file === this.path);
    const others = problems.filter((p) => p.file !== this.path && p.severity === "error");
    const items = [];
    for (const p of mine) {
      const text = `${p.message}${p.hint ? "（" + p.hint + "）" : ""}`;
      const target = this.placeOf(p.field || []);
      if (target) {
        const diags = target.querySelector(":scope > .diags") || target.querySelector(".row-diags") || target.querySelector(".diags");
        if (diags) diags.append(h("div", { class: `diag ${p.severity}` }, h("code", {}, p.code), " ", text));
        target.classList.add(p.severity === "error" ? "has-error" : "has-warning");
      }
      const where = p.line ? `第 ${p.line} 行` : "";
      items.push(h("li", { class: `diag ${p.severity}` }, h("code", {}, p.code), " ",
        target ? h("a", { href: "#", onclick: (e) => { e.preventDefault(); this.focus(target); } }, text) : text, where ? ` · ${where}` : ""));
    }
    for (const p of others) items.push(h("li", { class: "diag error" }, h("code", {}, p.code), ` ${p.file}：${p.message}`));
    const errors = mine.filter((p) => p.severity === "error").length;
    this.problemList.replaceChildren(items.length
      ? h("div", {}, h("strong", {}, `问题：${errors} 个错误，${mine.length - errors} 个警告`), h("ul", {}, items))
      : h("strong", { class: "state saved" }, "没有发现问题"));
  }

  // The element of the narrowest field on the path that is on the page.
  placeOf(path) {
    for (let n = path.length; n > 0; n--) {
      const el = document.querySelector(`[data-path="${CSS.escape(path.slice(0, n).join("/"))}"]`);
      if (el) return el;
    }
    return null;
  }

  focus(target) {
    const input = target.querySelector("input, textarea, select");
    target.scrollIntoView({ block: "center" });
    if (input) input.focus();
  }

  showPreview(pages, note) {
    const children = [];
    if (note) children.push(h("div", { class: "note", id: "preview-note" }, pages.length ? note : `预览未更新：${note}`));
    if (pages.length) {
      for (const url of this.urls) URL.revokeObjectURL(url);
      this.urls = pages.map((svg) => URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" })));
      this.images = this.urls.map((url, i) => h("img", { src: url, alt: `第 ${i + 1} 页`, dataset: { digest: digest(pages[i]) } }));
    }
    children.push(...(this.images || []));
    this.previewBox.replaceChildren(...children);
    const loaded = (this.images || []).map((img) => img.decode().catch(() => {}));
    Promise.all(loaded).then(() => {
      this.previewVersion++;
      document.body.dataset.previewVersion = String(this.previewVersion);
      if (this.lastEdit) document.body.dataset.previewLatency = String(Math.round(performance.now() - this.lastEdit));
    });
  }
}

document.addEventListener("keydown", (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key === "s" && current) { e.preventDefault(); current.save(); }
});

route();
