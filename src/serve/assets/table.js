// A project laid out like its printed table (see editor.js): the header fields, the
// spending plan, then the indicators grouped by 一级/二级 as the form prints them, each
// group with a button to add a row and each row with up, down and delete.
"use strict";

Object.assign(Editor.prototype, {
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
  },

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
});
