// The editor of one spec file (see app.js for the helpers and pages): the document as
// the server sent it, laid out by the form (a project like its printed table), checked
// and previewed as one types, saved in place. This file holds the document, undo, the
// checks and the page's frame; its inputs are editor-fields.js, saving (drafts kept in
// the browser, conflicts chosen per field) editor-save.js, and what the server said
// (problems, preview, printing) editor-show.js.
"use strict";

const HISTORY_MAX = 200;
const COALESCE_MS = 1500;

class Editor {
  constructor(data) {
    this.path = data.path;
    this.year = data.year;
    this.base = data.text;
    this.hash = data.hash;
    this.doc = data.doc;
    // Without a document or a form to lay it out, the file is edited as text.
    this.raw = data.doc && data.layout ? null : data.text;
    this.layout = data.layout;
    this.dirty = false;
    this.seq = 0;
    this.timer = null;
    this.previewVersion = 0;
    this.text = data.text;
    this.history = [];
    this.future = [];
    this.fresh = new WeakSet(); // rows added and not yet touched
    this.shown = []; // preview pages shown: { digest, url, img }
    this.checks = 0;
    this.lastField = null;
  }

  get draftKey() { return "jixiao:draft:" + this.path; }

  // --- the document ---

  get(path) {
    let v = this.doc;
    for (const step of path) {
      if (v === null || v === undefined) return undefined;
      v = typeof step === "number" ? (v[step] ? v[step].value : undefined) : v[step];
    }
    return v;
  }

  // Sets a value; a key not yet there goes after its neighbour in the form's order, a
  // missing parent map is made, and an optional text emptied is removed.
  set(path, value, fields) {
    const parentPath = path.slice(0, -1);
    const key = path[path.length - 1];
    let parent = this.get(parentPath);
    if ((parent === undefined || parent === null) && parentPath.length && typeof parentPath[parentPath.length - 1] === "string") {
      if (value === "") return;
      this.set(parentPath, {}, null);
      parent = this.get(parentPath);
    }
    if (typeof key === "number") { parent[key].value = value; return; }
    const field = (fields || []).find((f) => f.key === key);
    if (value === "" && (!field || !field.required) && typeof (parent || {})[key] !== "object") {
      delete parent[key];
      // A map left empty by it goes too (a cover with nothing written).
      if (parentPath.length && typeof parentPath[parentPath.length - 1] === "string" && !Object.keys(parent).length) {
        const grand = this.get(parentPath.slice(0, -1));
        if (grand && !Array.isArray(grand)) delete grand[parentPath[parentPath.length - 1]];
      }
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

  // --- undo ---

  // Keeps the document as it is before a change; typing in one field keeps one state.
  remember(path) {
    const where = path ? path.join("/") : null;
    const now = performance.now();
    const last = this.history[this.history.length - 1];
    if (where && last && last.where === where && now - last.at < COALESCE_MS) { last.at = now; return; }
    this.history.push({ doc: JSON.stringify(this.raw !== null ? this.raw : this.doc), where, at: now, focus: document.activeElement && document.activeElement.id });
    if (this.history.length > HISTORY_MAX) this.history.shift();
    this.future = [];
    this.toolbarState();
  }

  undo(redo) {
    const from = redo ? this.future : this.history;
    const to = redo ? this.history : this.future;
    const state = from.pop();
    if (!state) return;
    to.push({ doc: JSON.stringify(this.raw !== null ? this.raw : this.doc), where: null, at: 0, focus: state.focus });
    if (this.raw !== null) this.raw = JSON.parse(state.doc); else this.doc = JSON.parse(state.doc);
    say(redo ? "已重做" : "已撤销");
    this.restructure(state.focus);
  }

  // --- changes, checks, drafts ---

  changed(path) {
    if (path) this.lastField = path;
    this.dirty = true;
    this.state();
    clearTimeout(this.timer);
    this.lastEdit = performance.now();
    this.timer = setTimeout(() => { this.keepDraft(); this.check(); }, DEBOUNCE_MS);
  }

  body() {
    return this.raw !== null ? { path: this.path, base: this.base, hash: this.hash, text: this.raw }
      : { path: this.path, base: this.base, hash: this.hash, doc: this.doc };
  }

  // At most one check in flight: an edit made meanwhile is checked when it comes back
  // (and the older answer is not drawn).
  async check() {
    if (this.inFlight) { this.again = true; return; }
    this.inFlight = true;
    this.checks++;
    document.body.dataset.checks = String(this.checks);
    const seq = this.seq;
    let result;
    try {
      result = await api("POST", "/api/check", { ...this.body(), have: this.shown.map((p) => p.digest) });
    } finally {
      this.inFlight = false;
    }
    if (this.again) { this.again = false; return this.check(); }
    if (seq !== this.seq || current !== this) return;
    if (!result.ok) return say(result.data.error || "检查失败", true);
    if (flash.className === "flash-error") say("");
    this.show(result.data);
  }

  state() {
    const el = document.getElementById("save-state");
    if (!el) return;
    const errors = this.errors || 0;
    el.className = "state " + (this.dirty ? "dirty" : errors ? "errors" : "saved");
    el.textContent = this.dirty ? "有未保存的修改" : errors ? `已保存 · 有 ${errors} 个错误（不能生成 PDF）` : "已保存";
    this.toolbarState();
  }

  toolbarState() {
    const set = (id, on) => { const el = document.getElementById(id); if (el) el.disabled = !on; };
    set("undo", this.history.length > 0);
    set("redo", this.future.length > 0);
    set("discard", this.dirty);
  }

  // --- the page ---

  // `focus`: the element to focus after (by id); `center`: bring it to the middle of the
  // window (a row that moved), else only into sight.
  render(focus, center) {
    const scroll = window.scrollY;
    const active = focus || (document.activeElement && document.activeElement.id);
    this.problemList = h("div", { class: "problems", id: "problems" });
    // The pages already drawn stay while the form is laid out again.
    this.previewBox = h("div", { class: "preview", id: "preview" },
      this.shown.length ? this.shown.map((p) => p.img) : h("p", { class: "muted" }, "正在排版预览……"));
    this.yaml = h("pre", { class: "yaml", hidden: true, id: "yaml" });
    const form = h("div", { class: "form", id: "form" });
    if (this.raw !== null) {
      const period = this.path.endsWith("/period.yaml");
      const why = this.layout ? "这个文件有语法错误，无法按表格编辑" : period ? "" : "这个年度的表样无法读取（见上方问题），无法按表格编辑";
      form.append(period ? h("p", { class: "muted" }, "本期的设置：用的表样、监控月份和填报日期。请直接修改下面的文字。")
        : h("p", { class: "diag error" }, `${why}；请直接修改下面的文字，保存后再按表格编辑。`),
        this.textInput(["__raw__"], this.raw, true, (v) => { this.raw = v; }));
      form.querySelector("textarea").classList.add("raw");
    } else if (this.layout.kind === "project") {
      form.append(this.projectForm());
    } else if (this.layout.kind === "actuals") {
      form.append(this.actualsForm());
    } else {
      form.append(this.fields(this.layout.fields, [], this.doc));
    }
    main.replaceChildren(
      h("div", { class: "toolbar sticky", id: "toolbar" },
        h("button", { class: "primary", id: "save", title: "Ctrl+S", onclick: () => this.save() }, "保存"),
        h("span", { id: "save-state", class: "state" }),
        h("button", { id: "undo", title: "Ctrl+Z（在输入框外）", onclick: () => this.undo(false) }, "撤销"),
        h("button", { id: "redo", title: "Ctrl+Y", onclick: () => this.undo(true) }, "重做"),
        h("button", { id: "discard", onclick: () => this.discard() }, "放弃修改"),
        h("button", { id: "print", onclick: () => this.print() }, "打印"),
        h("button", { onclick: () => { this.yaml.hidden = !this.yaml.hidden; } }, "查看文件内容"),
        h("a", { class: "button", href: `#/y/${this.year}` }, "返回项目列表")),
      this.problemList, this.yaml,
      h("div", { class: "editor" }, form, this.previewBox));
    this.state();
    document.body.dataset.path = this.path;
    window.scrollTo(0, scroll);
    if (active) {
      const el = document.getElementById(active);
      if (el) {
        el.focus({ preventScroll: true });
        // Where the clerk was, in sight (below the sticky toolbar).
        const r = el.getBoundingClientRect();
        if (focus && (center || r.top < 120 || r.bottom > window.innerHeight - 80)) el.scrollIntoView({ block: "center" });
        // Kept in sight when the problems drawn after the check move it.
        this.inSight = center ? el.id : null;
      }
    }
  }

  // Re-renders after a change of structure (rows added, removed, moved), then checks.
  restructure(focus) {
    this.render(focus, true);
    this.show(this.lastShown || {});
    this.changed();
  }

  id(path) { return "f:" + path.join("/"); }

  // The Chinese name of a field: "绩效指标 第 2 项 指标值".
  labelOf(path) {
    let fields = this.layout ? this.layout.fields || [] : [];
    let plan = false;
    const names = [];
    for (const step of path) {
      if (typeof step === "number") { names.push(`第 ${step + 1} 项`); continue; }
      const checkpoint = plan && (this.layout.checkpoints || []).find((c) => String(c.month) === step);
      const f = (fields || []).find((x) => x.key === step);
      names.push(checkpoint ? checkpoint.label : f ? f.label : step);
      plan = !!f && f.shape.kind === "plan";
      const shape = f ? (f.shape.kind === "list" ? f.shape.item : f.shape) : null;
      fields = shape && shape.kind === "map" ? shape.fields : [];
    }
    return names.join(" ");
  }

  // The form's 填写说明 for a path (`indicators.value`), if any.
  helpOf(path) {
    const key = path.filter((s) => typeof s === "string").join(".");
    return ((this.layout && this.layout.help) || {})[key] || null;
  }

  // What the report prints where nothing is written (the cover's title), filled in.
  defaultOf(path) {
    const d = ((this.layout && this.layout.defaults) || {})[path.join("/")];
    if (!d) return null;
    const dep = (this.doc && this.doc.department) || {};
    return d.replace("{department}", dep.name || "").replace("{year}", (this.doc && this.doc.year) || "");
  }
}
