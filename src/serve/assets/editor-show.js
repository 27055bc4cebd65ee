// What the server said, shown in the editor (see editor.js): problems at their fields in
// the page's words with the fixes the page can make, the preview's pages (only changed
// ones redrawn), printing.
"use strict";

Object.assign(Editor.prototype, {
  // ---------- printing ----------

  // Prints the pages of the preview, which are the PDF's pages, one per sheet.
  async print() {
    if (this.inFlight || this.timer) { await new Promise((r) => setTimeout(r, DEBOUNCE_MS + 50)); }
    if (!this.shown.length) return say("还没有可打印的预览：请先改正错误", true);
    const stale = document.getElementById("preview-note");
    if (stale && !confirm(`${stale.textContent}\n仍然打印上次的预览吗？`)) return;
    setPageSize(this.layout && this.layout.landscape);
    window.print();
  },

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
  },

  // Whether a problem is about a row added and not yet touched.
  quiet(p) {
    const f = p.field || [];
    const list = this.doc && typeof f[0] === "string" ? this.doc[f[0]] : null;
    return Array.isArray(list) && typeof f[1] === "number" && list[f[1]] && this.fresh.has(list[f[1]]);
  },

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
  },

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
  },

  async rename(code) {
    if (this.dirty) { await this.save(); if (this.dirty) return; }
    const { ok, data } = await api("POST", "/api/rename", { path: this.path, hash: this.hash, code });
    if (!ok) return say(data.error || "改名失败", true);
    this.dropDraft();
    location.hash = "#/f/" + data.path;
    say(`已改为项目编码 ${code}` + (data.moved && data.moved.length ? `（实际数据 ${data.moved.join("、")} 一并改名）` : ""));
  },

  // The element of the narrowest field on the path that is on the page.
  placeOf(path) {
    for (let n = path.length; n > 0; n--) {
      const el = document.querySelector(`[data-path="${CSS.escape(path.slice(0, n).join("/"))}"]`);
      if (el) return el;
    }
    return null;
  },

  focus(target) {
    const input = target.querySelector("input, textarea, select");
    target.scrollIntoView({ block: "center" });
    if (input) input.focus();
  },

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
  },
});

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
