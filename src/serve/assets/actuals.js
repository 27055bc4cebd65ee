// A project's actual figures laid out beside the targets they answer (see editor.js):
// the money rows and columns of the form, the goal, then one row per indicator of the
// target (一级, 二级, 三级, 指标值 as the target writes them) with the figures to fill in
// and the points and score the form's rules give, updated as one types.
"use strict";

Object.assign(Editor.prototype, {
  actualsForm() {
    const l = this.layout;
    const doc = this.doc;
    const out = h("div", {});
    out.append(h("p", { class: "muted" }, `${l.project.code} ${l.project.name} · ${l.form_title}`));
    out.append(h("h2", {}, "资金情况"), this.moneyTable());
    out.append(h("h2", {}, l.monitoring ? "年度总体目标 · 1-X月执行情况" : "年度总体目标 · 实际完成情况"),
      h("p", { class: "target" }, "目标：", l.goal),
      this.textInput(["goal"], typeof doc.goal === "string" ? doc.goal : "", true, (v) => this.setTop("goal", v)));
    out.append(h("h2", {}, "绩效指标"), this.actualsTable());
    out.append(h("div", { class: "totals", id: "totals" }));
    for (const f of l.project_fields || []) {
      out.append(h("div", { class: "field" }, h("span", { class: "label" }, f.label),
        this.textInput([f.key], typeof doc[f.key] === "string" ? doc[f.key] : "", true, (v) => this.setTop(f.key, v))));
    }
    if (!l.monitoring) {
      out.append(h("details", { class: "more" }, h("summary", {}, "评价结论、存在问题、改进措施（选填）"),
        ...[["conclusion", "评价结论"], ["problems", "存在问题"], ["measures", "改进措施"]].map(([key, label]) =>
          h("div", { class: "field" }, h("span", { class: "label" }, label),
            this.textInput([key], typeof doc[key] === "string" ? doc[key] : "", true, (v) => this.setTop(key, v))))));
    }
    return out;
  },

  // A top-level text: set, or removed when emptied.
  setTop(key, value) {
    if (value === "") delete this.doc[key]; else this.doc[key] = value;
  },

  moneyTable() {
    const l = this.layout;
    const money = () => {
      if (!this.doc.money || typeof this.doc.money !== "object") this.doc.money = {};
      return this.doc.money;
    };
    const rows = l.money_rows.map((r) => {
      const written = (this.doc.money || {})[r.key] || {};
      return h("tr", {}, h("th", {}, r.label), l.money_columns.map((c) => h("td", {},
        this.textInput(["money", r.key, c.key], written[c.key] === null || written[c.key] === undefined ? "" : written[c.key], false, (v) => {
          const m = money();
          if (!m[r.key] || typeof m[r.key] !== "object") m[r.key] = {};
          if (v === "") delete m[r.key][c.key]; else m[r.key][c.key] = v;
          if (!Object.keys(m[r.key]).length) delete m[r.key];
        }))));
    });
    const reason = this.textInput(["money_reason"], typeof this.doc.money_reason === "string" ? this.doc.money_reason : "", true,
      (v) => this.setTop("money_reason", v));
    return h("div", { dataset: { path: "money" } },
      h("table", { class: "sheet money" }, h("tr", {}, h("th", {}, ""), l.money_columns.map((c) => h("th", {}, c.label))), rows),
      h("div", { class: "field" }, h("span", { class: "label" }, "执行率偏低的原因"), reason),
      h("div", { class: "diags" }));
  },

  // The actuals entry answering target `t` (by name, then 二级 among namesakes, in order).
  entryFor(index) {
    const targets = this.layout.targets;
    const t = targets[index];
    const namesakes = targets.map((x, i) => [x, i]).filter(([x]) => x.name === t.name);
    const nth = namesakes.findIndex(([, i]) => i === index);
    const items = Array.isArray(this.doc.indicators) ? this.doc.indicators : [];
    const matching = items.map((it, j) => [it, j]).filter(([it]) => it.value && it.value.name === t.name
      && (!it.value.level2 || it.value.level2 === t.level2));
    const found = matching[nth] || (namesakes.length === 1 ? matching[0] : undefined);
    return found ? found[1] : -1;
  },

  // The entry of target `index`, made when the clerk first writes in its row.
  ensureEntry(index) {
    let j = this.entryFor(index);
    if (j >= 0) return j;
    if (!Array.isArray(this.doc.indicators)) this.doc.indicators = [];
    const t = this.layout.targets[index];
    const value = { name: t.name };
    if (this.layout.targets.filter((x) => x.name === t.name).length > 1) value.level2 = t.level2;
    // In the target's order, after the entries of the targets before it.
    let at = 0;
    for (let k = 0; k < index; k++) { const e = this.entryFor(k); if (e >= 0) at = Math.max(at, e + 1); }
    this.doc.indicators.splice(at, 0, { from: null, value });
    return at;
  },

  actualsTable() {
    const l = this.layout;
    const fields = l.indicator_fields.map((f) => f.key);
    const has = (k) => fields.includes(k);
    const head = ["一级指标", "二级指标", "三级指标", "指标值", l.monitoring ? "1-X月执行情况" : "实际完成值"];
    if (has("forecast")) head.push("全年预计");
    if (!l.monitoring) head.push("分值", "得分");
    head.push(l.monitoring ? "偏差原因 · 完成可能性 · 备注" : "偏差原因分析及改进措施");
    const body = h("tbody", {}, h("tr", {}, head.map((t) => h("th", {}, t))));
    l.targets.forEach((t, index) => {
      const j = this.entryFor(index);
      const entry = j >= 0 ? this.doc.indicators[j].value : {};
      const path = (key) => ["indicators", j >= 0 ? j : `new${index}`, key];
      const input = (key, long, placeholder) => {
        const control = this.textInput(path(key), typeof entry[key] === "string" ? entry[key] : "", long, (v) => {
          const e = this.doc.indicators[this.ensureEntry(index)].value;
          if (v === "") delete e[key]; else e[key] = v;
        });
        const el = control.querySelector("input, textarea");
        el.setAttribute("aria-label", `${t.name} ${l.indicator_fields.find((f) => f.key === key).label}`);
        if (placeholder) el.placeholder = placeholder;
        return control;
      };
      const choice = (key, choices) => {
        const el = h("select", { "aria-label": `${t.name} ${key}` }, h("option", { value: "" }, "（请选择）"),
          choices.map((c) => h("option", { value: c, selected: entry[key] === c }, c)));
        el.addEventListener("change", () => {
          const e = this.doc.indicators[this.ensureEntry(index)].value;
          if (el.value === "") delete e[key]; else e[key] = el.value;
          this.changed();
        });
        return h("div", { class: "control", dataset: { path: path(key).join("/") } }, el, h("div", { class: "diags" }));
      };
      const qualitative = t.qualitative;
      const actual = qualitative && !l.monitoring && l.grades.length ? choice("actual", l.grades) : input("actual", false, qualitative ? "" : "数字和单位");
      const cells = [h("td", {}, t.level1), h("td", {}, t.level2), h("td", {}, t.name), h("td", {}, t.value), h("td", {}, actual)];
      if (has("forecast")) cells.push(h("td", {}, input("forecast")));
      if (!l.monitoring) {
        cells.push(h("td", { class: "num" }, input("weight", false, "按表样"), h("span", { class: "computed", id: `weight:${index}` })));
        const score = input("score", false, qualitative ? "按等级给分" : "按规则");
        // A score written by hand on a quantitative row needs its reason: the box appears.
        score.querySelector("input").addEventListener("input", (e) => {
          const box = document.getElementById(`why:${index}`);
          if (box) box.hidden = qualitative || (e.target.value === "" && !box.querySelector("textarea").value);
        });
        cells.push(h("td", { class: "num" }, score, h("span", { class: "computed", id: `score:${index}` })));
        // A bare number (等于) asks which way it points; a direction written is shown.
        const direction = t.ask_direction || entry.direction ? choice("direction", l.directions) : null;
        const handScore = typeof entry.score === "string" && entry.score !== "" && !qualitative;
        cells.push(h("td", {}, input("reason", true, "偏差原因分析"), input("measure", true, "改进措施"),
          direction ? h("div", { class: "direction" }, h("span", { class: "label" }, "方向（指标值没有写明时）"), direction) : null,
          h("div", { id: `why:${index}`, hidden: !(handScore || entry.score_reason) }, input("score_reason", true, "手写得分与规则不同时，写明理由"))));
      } else {
        const ticks = h("div", { class: "ticks" }, l.causes.map((c) => {
          const box = h("input", { type: "checkbox", checked: Array.isArray(entry.causes) && entry.causes.some((x) => (x.value || x) === c), "aria-label": `${t.name} ${c}` });
          box.addEventListener("change", () => {
            const e = this.doc.indicators[this.ensureEntry(index)].value;
            const list = (Array.isArray(e.causes) ? e.causes : []).map((x) => x.value || x).filter((x) => x !== c);
            if (box.checked) list.push(c);
            const order = l.causes;
            list.sort((a, b) => order.indexOf(a) - order.indexOf(b));
            if (list.length) e.causes = list.map((x) => ({ from: null, value: x })); else delete e.causes;
            this.changed();
          });
          return h("label", { class: "tick" }, box, c);
        }));
        cells.push(h("td", {}, ticks, choice("likelihood", l.likelihoods), input("reason", true, "偏差原因"), input("note", true, "备注")));
      }
      // The form's own fields of an indicator, under the rest of the row.
      const own = l.indicator_fields.filter((f) => f.own);
      if (own.length) cells[cells.length - 1].append(...own.map((f) => input(f.key, true, f.label)));
      body.append(h("tr", { dataset: { path: (j >= 0 ? ["indicators", j] : ["target", index]).join("/") } }, cells));
    });
    return h("table", { class: "sheet actuals", id: "actuals" }, body);
  },

  // The points and scores the form's rules give, as the check computed them.
  showScores(scores) {
    if (!scores) return;
    (scores.rows || []).forEach((r, i) => {
      const w = document.getElementById(`weight:${i}`);
      const s = document.getElementById(`score:${i}`);
      if (w) w.textContent = r.applies ? `分值 ${r.weight}` : "不适用";
      if (s) s.textContent = r.score ? `得分 ${r.score}` : "";
    });
    const totals = document.getElementById("totals");
    if (!totals) return;
    const parts = [];
    if (scores.rate) parts.push(`执行率 ${scores.rate}`);
    if (scores.plan) parts.push(`序时进度 ${scores.plan}`);
    if (scores.execution) parts.push(`预算执行率得分 ${scores.execution}`);
    if (scores.total) parts.push(`总分 ${scores.total}`);
    if (scores.grade) parts.push(`等级 ${scores.grade}`);
    totals.replaceChildren(parts.length ? h("strong", { id: "total" }, parts.join(" · ")) : h("span", { class: "muted" }, "填好并改正错误后显示总分"));
  },
});
