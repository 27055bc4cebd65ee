// Saving one file in the editor (see editor.js): unsaved edits kept in the browser and
// offered back, the save itself, conflicts chosen field by field, 放弃修改.
"use strict";

Object.assign(Editor.prototype, {
  keepDraft() {
    if (!this.dirty) return;
    try {
      localStorage.setItem(this.draftKey, JSON.stringify({ base: this.base, hash: this.hash, doc: this.doc, raw: this.raw, at: Date.now() }));
    } catch (_) { /* storage full or refused: the page still works */ }
  },

  dropDraft() {
    try { localStorage.removeItem(this.draftKey); } catch (_) { /* nothing kept */ }
  },

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
  },

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
  },

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
  },

  // A value as the conflict dialog shows it.
  describe(v) {
    if (v === undefined || v === null) return v === null ? "（空）" : "（没有这一项）";
    if (typeof v === "string") return v || "（空）";
    if (Array.isArray(v)) {
      return v.length ? v.map((it, i) => `${i + 1}. ${typeof it.value === "object" && it.value ? Object.values(it.value).filter((x) => typeof x === "string").join(" · ") : it.value}`).join("\n") : "（空）";
    }
    return Object.entries(v).map(([k, x]) => `${k}：${typeof x === "string" ? x : "…"}`).join("\n");
  },

  async discard() {
    if (this.dirty && !confirm("放弃所有未保存的修改，恢复为磁盘上的文件吗？")) return;
    this.dirty = false;
    this.dropDraft();
    await openFile(this.path);
    say("已放弃修改");
  },
});
