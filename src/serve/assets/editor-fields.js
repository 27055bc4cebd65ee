// The inputs of the editor (see editor.js): texts (safe with Chinese input methods, full-
// width digits flagged), choices, maps, lists as numbered items or small tables, rows that
// move and delete with undo.
"use strict";

Object.assign(Editor.prototype, {
  wrap(path, control) {
    return h("div", { class: "control", dataset: { path: path.join("/") } }, control, h("div", { class: "wide" }), h("div", { class: "diags" }));
  },

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
  },

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
  },

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
  },

  // A row touched is no longer new: its problems show.
  touch(path) {
    const list = this.get(path.slice(0, 1));
    if (Array.isArray(list) && typeof path[1] === "number" && list[path[1]]) this.fresh.delete(list[path[1]]);
  },

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
  },

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
  },

  plan(path, value, fields) {
    const obj = value && typeof value === "object" ? value : {};
    const months = this.layout.checkpoints.map((c) => [String(c.month), c.label]);
    for (const key of Object.keys(obj)) if (!months.some(([m]) => m === key)) months.push([key, `${key}（表样中没有）`]);
    const ensure = () => { if (!this.get(path) || typeof this.get(path) !== "object") this.set(path, {}, fields); };
    return h("div", { class: "control", dataset: { path: path.join("/") } },
      h("div", { class: "plan" }, months.map(([m, label]) => h("label", {}, label,
        this.textInput([...path, m], obj[m] === null ? "" : obj[m], false, (v) => { ensure(); this.get(path)[m] = v === "" ? null : v; })))),
      h("div", { class: "diags" }));
  },

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
  },

  blank(fields, preset) {
    const out = {};
    for (const f of fields) if (f.required || (preset && f.key in preset)) out[f.key] = (preset && preset[f.key]) || (f.shape.kind === "map" ? this.blank(f.shape.fields) : "");
    return out;
  },

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
  },
});
