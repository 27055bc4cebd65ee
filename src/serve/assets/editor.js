// The editor of one spec file (see app.js for the helpers and pages): the document as
// the server sent it, laid out by the form (a project like its printed table), checked
// and previewed as one types, saved in place.
"use strict";

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
    const wasText = this.raw !== null;
    this.base = data.text;
    this.hash = data.hash;
    this.dirty = false;
    // Edited as text: loaded again, as a table when it now can be.
    if (wasText) { await openFile(this.path); say("已保存"); return; }
    if (data.doc) this.doc = data.doc;
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
      const period = this.path.endsWith("/period.yaml");
      const why = this.layout ? "这个文件有语法错误，无法按表格编辑" : period ? "" : "这个年度的表样无法读取（见上方问题），无法按表格编辑";
      form.append(period ? h("p", { class: "muted" }, "period.yaml 写本期用的表样（form）、监控月份（month）和填报日期（date），直接修改下面的文字。")
        : h("p", { class: "diag error" }, `${why}；请直接修改下面的 YAML 文字，保存后再按表格编辑。`),
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

  // The Chinese name of a field, for screen readers: "绩效指标 第 2 项 指标值".
  labelOf(path) {
    let fields = this.layout ? this.layout.fields : [];
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

  wrap(path, control) {
    return h("div", { class: "control", dataset: { path: path.join("/") } }, control, h("div", { class: "diags" }));
  }

  textInput(path, value, long, onValue, fields) {
    const attrs = { id: this.id(path), "aria-label": this.labelOf(path) };
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
    const el = h("select", { id: this.id(path), "aria-label": this.labelOf(path) }, h("option", { value: "" }, "（请选择）"),
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

  // ---------- what the server said ----------

  show(data) {
    this.lastShown = data;
    if (data.text !== undefined) { this.text = data.text; this.yaml.textContent = data.text; }
    if (data.errors !== undefined) this.errors = data.errors;
    this.state();
    this.showProblems(data.problems || []);
    if (data.pages) this.showPreview(data.pages, data.preview_note);
    if (data.scores && this.showScores) this.showScores(data.scores);
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

