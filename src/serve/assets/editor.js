// The editor of one spec file (see app.js for the helpers and pages): the document as
// the server sent it, laid out by the form (a project like its printed table), checked
// and previewed as one types, saved in place. What a clerk who knows Word expects:
// Chinese input methods (nothing is sent while a word is being composed), undo, unsaved
// edits kept in the browser until saved, conflicts merged field by field, printing.
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

  keepDraft() {
    if (!this.dirty) return;
    try {
      localStorage.setItem(this.draftKey, JSON.stringify({ base: this.base, hash: this.hash, doc: this.doc, raw: this.raw, at: Date.now() }));
    } catch (_) { /* storage full or refused: the page still works */ }
  }

  dropDraft() {
    try { localStorage.removeItem(this.draftKey); } catch (_) { /* nothing kept */ }
  }

  // Unsaved edits of an earlier visit (a reload, a restart), offered back.
  offerDraft() {
    let draft = null;
    try { draft = JSON.parse(localStorage.getItem(this.draftKey) || "null"); } catch (_) { draft = null; }
    if (!draft) return;
    const same = draft.raw !== null && draft.raw !== undefined ? draft.raw === this.raw : JSON.stringify(draft.doc) === JSON.stringify(this.doc);
    if (same && draft.base === this.base) { this.dropDraft(); return; }
    const when = new Date(draft.at).toLocaleString("zh-CN");
    const bar = h("div", { class: "draft", id: "draft" },
      h("strong", {}, `发现 ${when} 未保存的修改。`), " ",
      h("button", { class: "primary", id: "restore-draft", onclick: () => {
        this.remember(null);
        this.base = draft.base;
        this.hash = draft.hash;
        if (draft.raw !== null && draft.raw !== undefined) this.raw = draft.raw; else this.doc = draft.doc;
        this.dirty = true;
        bar.remove();
        say(draft.base === this.text ? "已恢复未保存的修改（尚未保存）" : "已恢复未保存的修改；文件之后在磁盘上改过，保存时会与之合并");
        this.restructure();
      } }, "恢复这些修改"), " ",
      h("button", { onclick: () => { this.dropDraft(); bar.remove(); } }, "不要了"));
    main.prepend(bar);
  }

  // --- saving ---

  async save(resolve) {
    clearTimeout(this.timer);
    this.seq++;
    const focus = document.activeElement && document.activeElement.id;
    const body = { ...this.body(), have: this.shown.map((p) => p.digest) };
    if (resolve) body.resolve = resolve;
    const { status, ok, data } = await api("POST", "/api/save", body);
    if (status === 409) return this.conflict(data);
    if (!ok) return say(data.error || "保存失败", true);
    const wasText = this.raw !== null;
    this.base = data.text;
    this.hash = data.hash;
    this.dirty = false;
    this.dropDraft();
    // Undo steps name places in the text as it was: they end with the save.
    this.history = [];
    this.future = [];
    // Edited as text: loaded again, as a table when it now can be.
    if (wasText) { await openFile(this.path); say(data.note || "已保存"); return; }
    if (data.doc) this.doc = data.doc;
    this.render(focus);
    this.show(data);
    const note = data.note ? `${data.note}。` : "";
    say(data.errors ? `${note}已保存（还有 ${data.errors} 个错误：可以先保存，改正后才能生成 PDF）` : `${note}已保存`);
  }

  // The file changed on disk meanwhile and some fields were changed on both sides: the
  // clerk picks, field by field; or (a file that cannot be merged) sees the change.
  conflict(data) {
    const cancel = h("button", { value: "cancel" }, "取消（保留我的修改，暂不保存）");
    const reload = h("button", { value: "reload", onclick: () => { this.dirty = false; this.dropDraft(); openFile(this.path); } }, "重新载入（放弃我的修改）");
    if (!data.conflicts || !data.conflicts.length) {
      dialog("文件已被修改，未保存", h("div", {}, h("p", {}, data.error),
        h("p", {}, "磁盘上的文件与载入时相比有这些变化："), h("pre", { class: "diff" }, data.diff || "")), [reload, cancel]);
      return;
    }
    const rows = data.conflicts.map((c, i) => h("tr", { dataset: { conflict: String(i) } },
      h("th", {}, this.labelOf(c.path)),
      h("td", {}, h("label", {}, h("input", { type: "radio", name: `pick${i}`, value: "mine", checked: true }), " 我的修改"), h("pre", { class: "value" }, this.describe(c.mine))),
      h("td", {}, h("label", {}, h("input", { type: "radio", name: `pick${i}`, value: "theirs" }), " 磁盘上现在的"), h("pre", { class: "value" }, this.describe(c.theirs)))));
    const merge = h("button", { class: "primary", value: "merge", onclick: (e) => {
      e.preventDefault();
      const resolve = data.conflicts.map((c, i) => ({ path: c.path, take: document.querySelector(`input[name=pick${i}]:checked`).value }));
      document.getElementById("dialog").close();
      this.save(resolve);
    } }, "按所选合并并保存");
    dialog("文件在您打开后被修改过", h("div", {},
      h("p", {}, "别人、其他程序或另一个窗口改过这个文件。两边改了不同内容的地方会自动合并；下面这些内容两边都改了，请逐项选择保留哪一个："),
      h("table", { class: "list conflicts" }, h("tr", {}, h("th", {}, "内容"), h("th", {}, "我的修改"), h("th", {}, "磁盘上现在的")), rows)),
    [merge, reload, cancel]);
  }

  // A value as the conflict dialog shows it.
  describe(v) {
    if (v === undefined || v === null) return v === null ? "（空）" : "（没有这一项）";
    if (typeof v === "string") return v || "（空）";
    if (Array.isArray(v)) {
      return v.length ? v.map((it, i) => `${i + 1}. ${typeof it.value === "object" && it.value ? Object.values(it.value).filter((x) => typeof x === "string").join(" · ") : it.value}`).join("\n") : "（空）";
    }
    return Object.entries(v).map(([k, x]) => `${k}：${typeof x === "string" ? x : "…"}`).join("\n");
  }

  async discard() {
    if (this.dirty && !confirm("放弃所有未保存的修改，恢复为磁盘上的文件吗？")) return;
    this.dirty = false;
    this.dropDraft();
    await openFile(this.path);
    say("已放弃修改");
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

  wrap(path, control) {
    return h("div", { class: "control", dataset: { path: path.join("/") } }, control, h("div", { class: "wide" }), h("div", { class: "diags" }));
  }

  textInput(path, value, long, onValue, fields) {
    const attrs = { id: this.id(path), "aria-label": this.labelOf(path) };
    const el = long ? h("textarea", { ...attrs, rows: Math.min(8, Math.max(2, Math.ceil(String(value || "").length / 40))) })
      : h("input", { ...attrs, type: "text" });
    el.value = value === null || value === undefined ? "" : value;
    const help = this.helpOf(path);
    const fallback = this.defaultOf(path);
    if (fallback) el.placeholder = `不填则印：${fallback}`;
    else if (help && help.example) el.placeholder = `例：${help.example}`;
    if (help && help.text) el.title = help.text;
    let composing = false;
    let last = el.value;
    const commit = () => {
      if (el.value === last) return;
      this.inSight = null;
      this.remember(path);
      last = el.value;
      if (onValue) onValue(el.value); else this.set(path, el.value, fields);
      this.touch(path);
      this.flagWide(el, control);
      this.changed(path);
    };
    // A Chinese input method composes a word in the box before it is chosen: nothing is
    // checked, previewed or marked unsaved until it is.
    el.addEventListener("compositionstart", () => { composing = true; });
    el.addEventListener("compositionend", () => { composing = false; commit(); });
    el.addEventListener("input", (e) => { if (composing || e.isComposing) return; commit(); });
    const control = this.wrap(path, el);
    this.flagWide(el, control);
    return control;
  }

  // Full-width digits are named and converted with one click.
  flagWide(el, control) {
    const box = control && control.querySelector(":scope > .wide");
    if (!box) return;
    const wide = el.value.match(/[０-９％．]+/g);
    if (!wide) { box.replaceChildren(); return; }
    box.replaceChildren(h("span", { class: "diag warning" }, `含全角数字“${wide.join("”“")}”，计算和排版都应使用半角数字 `),
      h("button", { class: "small", onclick: () => {
        el.value = el.value.replace(/[０-９％．]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xFEE0));
        el.dispatchEvent(new Event("input"));
      } }, "改为半角"));
  }

  select(path, value, choices, fields, onChange, labels, unset) {
    const list = [...choices];
    if (value && !list.includes(value)) list.push(value);
    const el = h("select", { id: this.id(path), "aria-label": this.labelOf(path) }, h("option", { value: "" }, unset || "（请选择）"),
      list.map((c, i) => h("option", { value: c, selected: c === value }, (labels && labels[i]) || c)));
    el.addEventListener("change", () => {
      this.remember(null);
      this.set(path, el.value, fields);
      this.touch(path);
      if (onChange) onChange(); else this.changed(path);
    });
    return this.wrap(path, el);
  }

  // A row touched is no longer new: its problems show.
  touch(path) {
    const list = this.get(path.slice(0, 1));
    if (Array.isArray(list) && typeof path[1] === "number" && list[path[1]]) this.fresh.delete(list[path[1]]);
  }

  // One field of a map by its shape.
  field(f, path, value, fields, bare) {
    const p = [...path, f.key];
    const help = this.helpOf(p);
    const label = bare ? null : h("span", { class: "label", title: help && help.text ? help.text : null }, f.label, f.required ? h("span", { class: "req", title: "必填" }, " *") : null);
    const shape = f.shape;
    if (shape.kind === "map") {
      const obj = value && typeof value === "object" && !Array.isArray(value) ? value : null;
      // A block of optional texts (the cover) is shown open, with what prints without it.
      const open = obj || shape.fields.every((x) => !x.required && x.shape.kind === "text");
      if (!open) {
        return h("div", { class: "field" }, label, h("button", { class: "small", onclick: () => { this.remember(null); this.set(p, {}, fields); this.restructure(); } }, "添加"),
          h("div", { class: "diags", dataset: { path: p.join("/") } }));
      }
      return h("fieldset", { dataset: { path: p.join("/") } }, bare ? null : h("legend", {}, f.label), this.fields(shape.fields, p, obj || {}), h("div", { class: "diags" }));
    }
    if (shape.kind === "list") return h("div", { class: "field" }, label, help && help.text ? h("div", { class: "help" }, help.text) : null, this.list(f, p, value, fields));
    if (shape.kind === "plan") return h("div", { class: "field" }, label, this.plan(p, value, fields));
    if (f.choices && f.choices.length) return h("div", { class: "field" }, label, this.select(p, value, f.choices, fields, null, f.choice_labels, f.unset));
    return h("div", { class: "field" }, label, help && help.text && !bare ? h("div", { class: "help" }, help.text) : null,
      this.textInput(p, typeof value === "string" ? value : "", f.long, null, fields));
  }

  // The fields of a map, then any key the form does not have (`skip`: keys shown elsewhere).
  fields(fields, path, obj, skip) {
    const out = fields.filter((f) => !(skip || []).includes(f.key)).map((f) => this.field(f, path, obj ? obj[f.key] : undefined, fields));
    const known = [...fields.map((f) => f.key), ...(skip || [])];
    for (const key of Object.keys(obj || {})) {
      if (known.includes(key)) continue;
      const value = obj[key];
      const p = [...path, key];
      out.push(h("div", { class: "field" }, h("span", { class: "label" }, `“${key}”（这一栏不在本表样中，不会打印）`),
        typeof value === "string" || value === null ? this.textInput(p, value, false, null, null)
          : h("div", { class: "control", dataset: { path: p.join("/") } }, h("code", {}, JSON.stringify(value)), h("div", { class: "diags" })),
        h("button", { class: "small danger", onclick: () => { this.remember(null); delete obj[key]; this.restructure(); } }, "删除这一栏")));
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

  // A list of texts or of maps: numbered items that can be added, removed and moved; a
  // list of short records (the schedule) as a table.
  list(f, path, value, fields) {
    const items = Array.isArray(value) ? value : [];
    const item = f.shape.item;
    const box = h("div", { class: "control", dataset: { path: path.join("/") } });
    const addButton = h("button", { class: "small", onclick: () => {
      this.remember(null);
      if (!Array.isArray(this.get(path))) this.set(path, [], fields);
      const added = { from: null, value: item.kind === "map" ? this.blank(item.fields) : "" };
      this.get(path).push(added);
      this.fresh.add(added);
      const first = item.kind === "map" ? [...path, this.get(path).length - 1, item.fields[0].key] : [...path, this.get(path).length - 1];
      this.restructure(this.id(first));
    } }, `添加${f.label}`);
    const tabular = item.kind === "map" && item.fields.length <= 6 && item.fields.every((x) => x.shape.kind === "text" && !x.long);
    if (tabular) {
      const body = h("tbody", {}, h("tr", {}, h("th", {}, ""), item.fields.map((x) => h("th", {}, x.label)), h("th", {}, "")));
      items.forEach((it, i) => {
        const p = [...path, i];
        body.append(h("tr", { dataset: { path: p.join("/") } }, h("td", { class: "num" }, String(i + 1)),
          item.fields.map((x) => h("td", {}, this.textInput([...p, x.key], typeof (it.value || {})[x.key] === "string" ? it.value[x.key] : "", false, null, item.fields))),
          h("td", {}, this.rowOps(items, i, i > 0 ? i - 1 : null, i < items.length - 1 ? i + 1 : null, "行", p), h("div", { class: "diags row-diags" }))));
      });
      box.append(h("table", { class: "sheet rows" }, body), addButton, h("div", { class: "diags" }));
      return box;
    }
    items.forEach((it, i) => {
      const p = [...path, i];
      const num = path[path.length - 1] === "goals" ? `（${numeral(i)}）` : `${i + 1}.`;
      const head = h("div", { class: "item-head" }, h("span", { class: "num" }, num), this.rowOps(items, i, i > 0 ? i - 1 : null, i < items.length - 1 ? i + 1 : null, null, p));
      const body = item.kind === "map" ? this.fields(item.fields, p, it.value)
        : this.textInput(p, typeof it.value === "string" ? it.value : "", f.shape.long, null, null);
      box.append(h("div", { class: "item", dataset: { path: p.join("/") } }, head, body, h("div", { class: "diags" })));
    });
    box.append(addButton, h("div", { class: "diags" }));
    return box;
  }

  blank(fields, preset) {
    const out = {};
    for (const f of fields) if (f.required || (preset && f.key in preset)) out[f.key] = (preset && preset[f.key]) || (f.shape.kind === "map" ? this.blank(f.shape.fields) : "");
    return out;
  }

  // Up, down and delete for row `i`; focus follows the row. A deleted row can be undone.
  rowOps(items, i, up, down, what, path) {
    const base = path ? path.slice(0, -1) : null;
    const move = (j, dir) => {
      this.remember(null);
      [items[i], items[j]] = [items[j], items[i]];
      this.restructure(base ? `${dir}:${[...base, j].join("/")}` : null);
    };
    return h("span", { class: "row-ops" },
      h("button", { class: "small", title: "上移", id: path ? `up:${path.join("/")}` : null, disabled: up === null, onclick: () => move(up, "up") }, "↑"),
      h("button", { class: "small", title: "下移", id: path ? `down:${path.join("/")}` : null, disabled: down === null, onclick: () => move(down, "down") }, "↓"),
      h("button", { class: "small danger", title: "删除", onclick: () => {
        this.remember(null);
        items.splice(i, 1);
        this.restructure();
        sayWith(`已删除这一${what || "项"}`, "撤销", () => this.undo(false));
      } }, "删除"));
  }

  // ---------- printing ----------

  // Prints the pages of the preview, which are the PDF's pages, one per sheet.
  async print() {
    if (this.inFlight || this.timer) { await new Promise((r) => setTimeout(r, DEBOUNCE_MS + 50)); }
    if (!this.shown.length) return say("还没有可打印的预览：请先改正错误", true);
    const stale = document.getElementById("preview-note");
    if (stale && !confirm(`${stale.textContent}\n仍然打印上次的预览吗？`)) return;
    setPageSize(this.layout && this.layout.landscape);
    window.print();
  }

  // ---------- what the server said ----------

  show(data) {
    this.lastShown = data;
    if (data.text !== undefined) { this.text = data.text; this.yaml.textContent = data.text; }
    if (data.errors !== undefined) this.errors = data.errors;
    this.state();
    this.showProblems(data.problems || [], data.others || [], data.pages);
    const kept = this.inSight && document.getElementById(this.inSight);
    if (kept) {
      const r = kept.getBoundingClientRect();
      if (r.top < 120 || r.bottom > window.innerHeight) kept.scrollIntoView({ block: "center" });
    }
    if (data.pages) this.showPreview(data.pages, data.preview_note);
    if (data.scores && this.showScores) this.showScores(data.scores);
  }

  // Whether a problem is about a row added and not yet touched.
  quiet(p) {
    const f = p.field || [];
    const list = this.doc && typeof f[0] === "string" ? this.doc[f[0]] : null;
    return Array.isArray(list) && typeof f[1] === "number" && list[f[1]] && this.fresh.has(list[f[1]]);
  }

  showProblems(problems, others, pages) {
    for (const el of document.querySelectorAll(".diags")) el.replaceChildren();
    for (const el of document.querySelectorAll(".has-error, .has-warning, .has-pending")) el.classList.remove("has-error", "has-warning", "has-pending");
    const mine = problems.filter((p) => p.file === this.path && !this.quiet(p));
    const items = [];
    const counts = { error: 0, warning: 0, pending: 0 };
    for (const p of mine) {
      const kind = p.pending ? "pending" : p.severity;
      counts[kind]++;
      const target = this.placeOf(p.field || []);
      const fixes = this.fixes(p);
      if (target) {
        const diags = target.querySelector(":scope > .diags") || target.querySelector(".row-diags") || target.querySelector(".diags");
        if (diags) diags.append(h("div", { class: `diag ${kind}`, title: p.code }, p.pending ? "待填写：" : "", p.text, ...fixes()));
        target.classList.add(`has-${kind}`);
      }
      items.push(h("li", { class: `diag ${kind}`, title: p.code }, p.pending ? "待填写：" : "",
        target ? h("a", { href: "#", onclick: (e) => { e.preventDefault(); this.focus(target); } }, p.text) : p.text, ...fixes()));
    }
    // The table must fit the form's pages: the text typed last is the likely cause.
    const limit = this.layout && this.layout.table_pages;
    const pageCount = pages ? pages.length : 0;
    if (this.layout && this.layout.kind === "project" && limit && pageCount > limit) {
      counts.warning++;
      const where = this.lastField ? `最近修改的“${this.labelOf(this.lastField)}”可能写得太长，` : "";
      const target = this.lastField ? this.placeOf(this.lastField) : null;
      const text = `表格现在有 ${pageCount} 页，本表样要求不超过 ${limit} 页：${where}请精简文字`;
      if (target) { const d = target.querySelector(":scope > .diags"); if (d) d.append(h("div", { class: "diag warning", id: "too-long" }, text)); target.classList.add("has-warning"); }
      items.push(h("li", { class: "diag warning", id: "pages-over" }, text));
    }
    const parts = [];
    if (counts.error) parts.push(`${counts.error} 个错误`);
    if (counts.pending) parts.push(`${counts.pending} 项待填写`);
    if (counts.warning) parts.push(`${counts.warning} 个警告`);
    const blockers = others.length ? h("p", { class: "diag error", id: "blockers" }, "以下文件还有错误，合订本暂时不能生成：",
      others.map((o, i) => [i ? "、" : "", h("a", { href: `#/f/${o.path}` }, o.path.endsWith("department.yaml") ? "部门文件" : o.name), `（${o.errors} 个错误）`])) : null;
    this.problemList.replaceChildren(items.length
      ? h("div", {}, h("strong", { id: "problem-count" }, `本页问题：${parts.join("，")}`), h("ul", {}, items), blockers)
      : h("div", {}, h("strong", { class: "state saved", id: "problem-count" }, "本页没有发现问题"), blockers));
  }

  // The fixes the page can make for a problem itself.
  fixes(p) {
    return () => {
      const out = [];
      const allowField = this.layout && (this.layout.fields || []).find((f) => f.key === "allow");
      if (p.allow && allowField) {
        out.push(" ", h("button", { class: "small", title: "以后不再提示这一条（记在本文件中，可以随时删去）", onclick: () => {
          this.remember(null);
          const list = Array.isArray(this.doc.allow) ? this.doc.allow : [];
          if (!list.some((x) => x.value === p.allow)) list.push({ from: null, value: p.allow });
          this.set(["allow"], list, this.layout.fields);
          this.restructure();
        } }, "接受这个警告"));
      }
      if (p.code === "E0304" && this.layout && this.layout.kind === "project") {
        const stem = this.path.split("/").pop().replace(/\.ya?ml$/i, "");
        const code = this.doc.code;
        out.push(" ", h("button", { class: "small", onclick: () => { this.remember(null); this.set(["code"], stem, this.layout.fields); this.restructure(this.id(["code"])); } }, `把项目编码改为 ${stem}`));
        if (code && /^\d+$/.test(code)) out.push(" ", h("button", { class: "small", id: "rename", onclick: () => this.rename(code) }, `项目编码就是 ${code}（更改文件）`));
      }
      return out;
    };
  }

  async rename(code) {
    if (this.dirty) { await this.save(); if (this.dirty) return; }
    const { ok, data } = await api("POST", "/api/rename", { path: this.path, hash: this.hash, code });
    if (!ok) return say(data.error || "改名失败", true);
    this.dropDraft();
    location.hash = "#/f/" + data.path;
    say(`已改为项目编码 ${code}` + (data.moved && data.moved.length ? `（实际数据 ${data.moved.join("、")} 一并改名）` : ""));
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

  // The preview's pages: a page the browser has (by digest) is kept as it is, so an
  // edit redraws only the pages it changed.
  showPreview(pages, note) {
    const children = [];
    if (note) children.push(h("div", { class: "note", id: "preview-note" }, pages.length ? note : `预览未更新：${note}`));
    let lost = false;
    if (pages.length) {
      const had = new Map(this.shown.map((p) => [p.digest, p]));
      const next = pages.map((p, i) => {
        const kept = had.get(p.digest);
        if (kept && !p.svg) { had.delete(p.digest); return kept; }
        if (!p.svg) { lost = true; return null; }
        const url = URL.createObjectURL(new Blob([p.svg], { type: "image/svg+xml" }));
        return { digest: p.digest, url, img: h("img", { src: url, alt: `第 ${i + 1} 页`, dataset: { digest: p.digest } }), fresh: true };
      }).filter((p) => p);
      for (const p of had.values()) if (!next.includes(p)) URL.revokeObjectURL(p.url);
      next.forEach((p, i) => { p.img.alt = `第 ${i + 1} 页`; });
      this.shown = next;
    }
    children.push(...this.shown.map((p) => p.img));
    this.previewBox.replaceChildren(...children);
    document.body.dataset.previewPages = String(this.shown.length);
    if (lost) { this.shown = []; this.check(); return; }
    const loaded = this.shown.filter((p) => p.fresh).map((p) => { p.fresh = false; return p.img.decode().catch(() => {}); });
    Promise.all(loaded).then(() => {
      this.previewVersion++;
      document.body.dataset.previewVersion = String(this.previewVersion);
      document.body.dataset.previewRedrawn = String(loaded.length);
      if (this.lastEdit) document.body.dataset.previewLatency = String(Math.round(performance.now() - this.lastEdit));
    });
  }
}

// The printed page's size, for the preview's pages printed one per sheet.
function setPageSize(landscape) {
  const sheet = [...document.styleSheets].find((s) => (s.href || "").endsWith("/assets/app.css"));
  if (!sheet) return;
  const rule = `@page { size: A4 ${landscape ? "landscape" : "portrait"}; margin: 0; }`;
  const rules = [...sheet.cssRules];
  const at = rules.findIndex((r) => r.type === CSSRule.PAGE_RULE);
  if (at >= 0) sheet.deleteRule(at);
  sheet.insertRule(rule, sheet.cssRules.length);
}
