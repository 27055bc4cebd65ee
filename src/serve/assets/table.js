// A project laid out like its printed table (see editor.js): the header fields, the
// spending plan, then the indicators grouped by 一级/二级 as the form prints them — one
// grid per indicator table of the form (长期/年度 on county-2016) — each group with a
// button to add a row and each row with up, down and delete. A block of rows copied
// from Excel can be pasted into a grid; indicator names of earlier years are suggested.
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
      const help = this.helpOf([f.key]);
      const r = row(h("span", { title: help && help.text ? help.text : null }, f.label, f.required ? h("span", { class: "req", title: "必填" }, " *") : null,
        help && help.text ? h("span", { class: "help" }, help.text) : null), this.field(f, [], doc[f.key], fields, true));
      (f.required || f.key in doc ? head : more).append(r);
    }
    const out = h("div", {}, h("table", { class: "sheet" }, head));
    if (more.children.length) out.append(h("details", { class: "more" }, h("summary", {}, `其他可填写的栏目（选填，${more.children.length} 项）`), h("table", { class: "sheet" }, more)));
    const indicators = byKey("indicators");
    if (indicators) {
      const tables = this.layout.tables || [];
      if (tables.length) {
        for (const t of tables) out.append(h("h2", {}, t.label), this.indicatorTable(indicators, t.key));
        const loose = (Array.isArray(doc.indicators) ? doc.indicators : []).some((it) => it.value && !tables.some((t) => t.key === it.value.table));
        if (loose) out.append(h("h2", {}, "没有指明指标表的行"), this.indicatorTable(indicators, null));
      } else {
        out.append(h("h2", {}, indicators.label), this.indicatorTable(indicators));
      }
    }
    const allow = byKey("allow");
    if (allow && Array.isArray(doc.allow) && doc.allow.length) {
      out.append(h("div", { class: "field" }, h("span", { class: "label" }, "已接受的警告（不再提示）"),
        h("div", { class: "control", dataset: { path: "allow" } }, doc.allow.map((a, i) => h("span", { class: "tick" }, a.value, " ",
          h("button", { class: "small", title: "恢复提示", onclick: () => { this.remember(null); doc.allow.splice(i, 1); if (!doc.allow.length) delete doc.allow; this.restructure(); } }, "×"))),
        h("div", { class: "diags" }))));
    }
    out.append(this.fields([], [], doc, fields.map((f) => f.key)));
    return out;
  },

  // The indicator grid of one of the form's tables (`table` its key; `undefined` on a
  // form with one table, `null` for rows naming no table of the form).
  indicatorTable(indicators, table) {
    const itemFields = indicators.shape.item.fields;
    const levels = this.layout.levels;
    const tables = this.layout.tables || [];
    const inTable = (it) => table === undefined || (table === null ? !tables.some((t) => t.key === it.value.table) : it.value.table === table);
    // The columns the form prints, the required ones and any a row already uses.
    const printed = (this.layout.columns || []).map((c) => c.replace(/\s/g, ""));
    const used = (key) => (Array.isArray(this.doc.indicators) ? this.doc.indicators : []).some((it) => it.value && key in it.value);
    const columns = itemFields.filter((f) => !["level1", "level2", "table"].includes(f.key)
      && (f.required || printed.includes(f.label.replace(/\s/g, "")) || used(f.key)));
    const items = Array.isArray(this.doc.indicators) ? this.doc.indicators : [];
    const body = h("tbody", {});
    const groups = [];
    for (const level of levels) for (const slot of level.slots) groups.push([level.label, slot]);
    const group = (it) => groups.findIndex(([a, b]) => it.value && it.value.level1 === a && it.value.level2 === b);
    const newRow = (level1, level2, preset) => {
      const value = this.blank(itemFields, { level1, level2, ...(table ? { table } : {}), ...(preset || {}) });
      const row = { from: null, value };
      this.fresh.add(row);
      return row;
    };
    const insertAt = (level1, level2) => {
      const list = this.doc.indicators;
      // After the last row of this slot or an earlier one: the file reads in table order.
      const mine = groups.findIndex(([a, b]) => a === level1 && b === level2);
      let at = 0;
      list.forEach((it, i) => { const g = group(it); if (g >= 0 && g <= mine && (table === undefined || it.value.table === table)) at = i + 1; });
      if (!at && table) list.forEach((it, i) => { if (it.value && tables.findIndex((t) => t.key === it.value.table) < tables.findIndex((t) => t.key === table)) at = i + 1; });
      return at;
    };
    const add = (level1, level2) => {
      this.remember(null);
      if (!Array.isArray(this.doc.indicators)) this.set(["indicators"], [], this.layout.fields);
      const at = insertAt(level1, level2);
      this.doc.indicators.splice(at, 0, newRow(level1, level2));
      this.restructure(this.id(["indicators", at, columns[0].key]));
    };
    const heads = columns.map((c) => {
      const help = this.helpOf(["indicators", c.key]);
      return h("th", { class: `col-${c.key}`, title: help && help.text ? help.text : null }, c.label);
    });
    body.append(h("tr", {}, h("th", { class: "col-level" }, "一级指标 / 二级指标"), heads, h("th", { class: "col-ops" }, "")));
    const rowFor = (i, members) => {
      const it = items[i];
      const p = ["indicators", i];
      const k = members.indexOf(i);
      // A row moved to another 一级/二级 by its choice stays in sight, focused.
      const regroup = (key) => () => this.restructure(this.id([...p, key]));
      const levelCell = h("td", {},
        this.select([...p, "level1"], it.value.level1, levels.map((l) => l.label), itemFields, regroup("level1")),
        this.select([...p, "level2"], it.value.level2, (levels.find((l) => l.label === it.value.level1) || { slots: levels.flatMap((l) => l.slots) }).slots, itemFields, regroup("level2")));
      const cells = columns.map((c) => {
        if (c.choices && c.choices.length) return h("td", {}, this.select([...p, c.key], it.value[c.key], c.choices, itemFields, null, c.choice_labels));
        // A name is one line (and offers earlier years' names); the rest may be long.
        const control = this.textInput([...p, c.key], typeof it.value[c.key] === "string" ? it.value[c.key] : "", c.key !== "name", null, itemFields);
        const el = control.querySelector("input, textarea");
        el.dataset.column = c.key;
        el.dataset.row = String(i);
        if (c.key === "name") this.suggestFor(el, p);
        return h("td", {}, control);
      });
      return h("tr", { dataset: { path: p.join("/") } }, levelCell, cells,
        h("td", {}, this.rowOps(items, i, k > 0 ? members[k - 1] : null, k < members.length - 1 ? members[k + 1] : null, "行指标", p), h("div", { class: "diags row-diags" })));
    };
    for (const [level1, level2] of groups) {
      const members = items.map((it, i) => i).filter((i) => items[i].value && inTable(items[i]) && items[i].value.level1 === level1 && items[i].value.level2 === level2);
      body.append(h("tr", { class: "group", dataset: { group: `${level1}/${level2}` } }, h("th", { colspan: columns.length + 2 }, `${level1} › ${level2}`, " ",
        h("button", { class: "small", id: `add:${table || ""}:${level1}/${level2}`, onclick: () => add(level1, level2) }, "＋ 添加一行"))));
      for (const i of members) body.append(rowFor(i, members));
    }
    const others = items.map((it, i) => i).filter((i) => inTable(items[i]) && group(items[i]) < 0);
    if (others.length) {
      body.append(h("tr", { class: "group" }, h("th", { colspan: columns.length + 2 }, "一级/二级指标不在表样中的行（请在左侧重新选择）")));
      for (const i of others) body.append(rowFor(i, others));
    }
    // Rows copied from Excel (tab-separated, one per line) pasted into a cell fill that
    // cell's column and the ones right of it, from its row down; rows beyond the group's
    // last are added to the group.
    body.addEventListener("paste", (e) => {
      const cell = e.target;
      if (!cell || !cell.dataset || !cell.dataset.column) return;
      const text = (e.clipboardData || window.clipboardData).getData("text/plain");
      const rows = parseTsv(text);
      if (rows.length < 2 && (rows[0] || []).length < 2) return; // one cell: the box's own paste
      e.preventDefault();
      this.remember(null);
      const start = Number(cell.dataset.row);
      const first = items[start].value;
      const col = columns.findIndex((c) => c.key === cell.dataset.column);
      const members = items.map((it, i) => i).filter((i) => items[i].value.level1 === first.level1 && items[i].value.level2 === first.level2 && inTable(items[i]));
      let k = members.indexOf(start);
      let at = members[members.length - 1] + 1;
      rows.forEach((cells, r) => {
        let index = members[k + r];
        if (index === undefined) {
          this.doc.indicators.splice(at, 0, newRow(first.level1, first.level2));
          index = at;
          at++;
        }
        const row = this.doc.indicators[index];
        this.fresh.delete(row);
        cells.forEach((value, j) => {
          const c = columns[col + j];
          if (c && !(c.choices && c.choices.length && !c.choices.includes(value.trim()))) row.value[c.key] = value.trim();
        });
      });
      say(`已粘贴 ${rows.length} 行`);
      this.restructure(this.id(["indicators", start, cell.dataset.column]));
    });
    return h("div", { dataset: { path: "indicators" } }, h("table", { class: "sheet indicators", dataset: { table: table || "" } }, body), h("div", { class: "diags" }));
  },

  // An indicator name box offers the names of this and earlier years; one picked shows
  // how it was described and valued before, in the empty boxes of its row.
  suggestFor(el, p) {
    el.setAttribute("list", "indicator-names");
    el.addEventListener("change", () => {
      const s = suggestions.find((x) => x.name === el.value.trim());
      if (!s) return;
      for (const [key, text] of [["description", s.description], ["value", s.value]]) {
        const box = document.getElementById(this.id([...p, key]));
        if (box && !box.value && text) box.placeholder = `上年：${text}`;
      }
    });
  },
});

// Tab-separated rows as Excel copies them: a cell with a tab, a line break or a quote is
// quoted, with its quotes doubled.
function parseTsv(text) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === "") quoted = true;
    else if (c === "\t") { row.push(cell); cell = ""; }
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell); rows.push(row); row = []; cell = "";
    } else cell += c;
  }
  if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
  return rows.filter((r) => r.some((x) => x.trim() !== ""));
}
