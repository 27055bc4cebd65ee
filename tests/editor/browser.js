// Drives `jixiao serve` in headless Chromium (Debian's package, through playwright-core)
// as a county clerk would: types Chinese through an input method, edits a project and
// the department and sees the preview follow, makes mistakes and fixes them with the
// page's own buttons, creates a project, meets a file changed or deleted on disk, loses
// nothing across a reload, pastes rows from Excel, prints, and works on every shipped
// form. Prints what it saw and measured as JSON; the Rust test
// (tests/testsuite/browser.rs) checks it and the files on disk.
//
// Usage: node browser.js <address with token> <project folder> [screenshot.png]
"use strict";

const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const [address, project, screenshot] = process.argv.slice(2);
const base = address.replace(/\?.*$/, "");
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const spec = (rel) => path.join(project, "specs", rel);
const file = spec("2024/projects/131003001.yaml");

function fail(message) {
  throw new Error(message);
}

const version = (page) => page.evaluate(() => Number(document.body.dataset.previewVersion || "0"));

// Waits for the preview drawn after `before`, returns the latency the page measured.
async function nextPreview(page, before) {
  await page.waitForFunction((v) => Number(document.body.dataset.previewVersion || "0") > v, before, { timeout: 20000 });
  return Number(await page.evaluate(() => document.body.dataset.previewLatency));
}

// Types into a field as a person does, then waits for the preview drawn after it.
async function typeAndWait(page, selector, text) {
  const before = await version(page);
  await page.fill(selector, "");
  await page.type(selector, text, { delay: 25 });
  return nextPreview(page, before);
}

async function open(page, rel) {
  await page.goto(`${base}#/f/${rel}`);
  await page.waitForFunction((p) => document.body.dataset.path === p, rel, { timeout: 20000 });
  await page.waitForFunction(() => document.querySelector("#problems").textContent.length > 0, null, { timeout: 20000 });
}

async function saved(page) {
  await page.waitForFunction(() => document.getElementById("save-state").textContent.startsWith("已保存"), null, { timeout: 20000 });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

(async () => {
  const browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  const result = { steps: [] };
  let page = null;
  const errors = [];
  let step = "start";
  const at = (name) => { step = name; result.steps.push(name); };
  try {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    page = await context.newPage();
    page.on("pageerror", (e) => errors.push(`${step}: ${e.message}`));
    page.on("dialog", (d) => d.accept());
    let checks = 0;
    page.on("request", (r) => { if (r.url().endsWith("/api/check")) checks++; });

    at("the address as printed");
    await page.goto(address);
    await page.waitForSelector("text=选择年度");
    if (page.url().includes("token=")) fail("the token stayed in the address: " + page.url());

    at("access without the token: a Chinese page");
    {
      const stranger = await browser.newContext();
      const other = await stranger.newPage();
      const reply = await other.goto(base + "/");
      result.no_token = { status: reply.status(), text: await other.textContent("body") };
      await stranger.close();
    }

    at("the year: projects with 预算金额, search and filter");
    await page.click("text=2024 年度");
    await page.waitForSelector("#projects");
    result.year_head = await page.textContent("#projects tr:first-child");
    result.year_rows = await page.locator("#projects tr[data-code]").count();
    await page.fill("#search", "公共");
    result.search_rows = await page.locator("#projects tr[data-code]:not([hidden])").count();
    await page.fill("#search", "");
    await page.setViewportSize({ width: 800, height: 900 });
    result.year_800 = await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
    await page.setViewportSize({ width: 1600, height: 1000 });

    at("a project: its table and preview");
    await page.click("#projects >> text=131003001");
    await page.waitForSelector("#preview img");
    const first = await page.getAttribute("#preview img", "data-digest");
    result.named = await page.getAttribute("[id='f:spending_plan/6']", "aria-label");

    at("Chinese input: one check per composed word, nothing sent while composing");
    {
      const cdp = await context.newCDPSession(page);
      await page.click("[id='f:name']");
      await page.keyboard.press("End");
      await page.waitForTimeout(300);
      const before = await version(page);
      checks = 0;
      const started = Date.now();
      for (const t of ["q", "qu", "quy", "quyu", "quyup", "quyupi"]) {
        await cdp.send("Input.imeSetComposition", { text: t, selectionStart: t.length, selectionEnd: t.length });
        await page.waitForTimeout(120);
      }
      result.composing_state = await page.textContent("#save-state");
      result.composing_checks = checks;
      await cdp.send("Input.insertText", { text: "区域评" });
      await nextPreview(page, before);
      await page.waitForTimeout(300);
      result.ime = { checks, ms: Date.now() - started, value: await page.inputValue("[id='f:name']"), yaml: await page.textContent("#yaml") };
    }

    at("edits of a project: the preview follows (10 edits measured)");
    result.latencies = [];
    for (let i = 0; i < 10; i++) {
      result.latencies.push(await typeAndWait(page, "[id='f:name']", `政务服务中心工作（${"一二三四五六七八九十"[i]}）`));
    }
    result.latencies.push(await typeAndWait(page, "[id='f:name']", "政务服务中心工作（改）"));
    if ((await page.getAttribute("#preview img", "data-digest")) === first) fail("the preview did not change after the edit");
    result.project_preview = { median: median(result.latencies), worst: Math.max(...result.latencies) };
    result.unsaved_state = await page.textContent("#save-state");

    at("a mistake at its field, with the page's words");
    await page.fill("[id='f:spending_plan/6']", "150");
    const fieldDiag = "[data-path='spending_plan/6'] .diag.error";
    await page.waitForSelector(fieldDiag, { timeout: 20000 });
    result.diagnostic = { text: (await page.textContent(fieldDiag)).trim(), code: await page.getAttribute(fieldDiag, "title") };
    result.problem_list = await page.textContent("#problems");
    result.problem_items = await page.locator("#problems li").count();
    result.problem_count = await page.textContent("#problem-count");
    result.preview_note = await page.textContent("#preview-note");
    await page.click("#problems a");
    result.focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
    if (screenshot) await page.screenshot({ path: screenshot });

    at("saved with the mistake; focus stays; Ctrl+Shift+S saves too");
    await page.focus("[id='f:goal']");
    await page.keyboard.press("Control+Shift+S");
    await saved(page);
    result.saved_state = await page.textContent("#save-state");
    result.focus_after_save = await page.evaluate(() => document.activeElement && document.activeElement.id);
    result.saved = fs.readFileSync(file, "utf8");

    at("the toolbar stays in sight");
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    result.toolbar_visible = await page.evaluate(() => { const r = document.getElementById("save").getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; });

    at("full-width digits: named and converted with one click");
    await page.fill("[id='f:spending_plan/6']", "５０");
    await page.waitForSelector("[data-path='spending_plan/6'] .wide button");
    result.wide = await page.textContent("[data-path='spending_plan/6'] .wide");
    await page.click("[data-path='spending_plan/6'] .wide button");
    result.wide_fixed = await page.inputValue("[id='f:spending_plan/6']");
    await page.click("#save");
    await saved(page);

    at("a new row is quiet until touched; pasting rows from Excel");
    const rowsBefore = await page.locator("tr[data-path^='indicators/']").count();
    await page.click("[id='add::产出指标/质量指标']");
    await page.waitForFunction((n) => document.querySelectorAll("tr[data-path^='indicators/']").length > n, rowsBefore);
    await page.waitForTimeout(600);
    const newRow = await page.evaluate(() => document.activeElement.closest("tr").dataset.path);
    result.new_row_diags = await page.locator(`tr[data-path='${newRow}'] .diag`).count();
    result.new_row_focused = await page.evaluate(() => document.activeElement.id);
    await page.evaluate((sel) => {
      const cell = document.getElementById(sel);
      const data = new DataTransfer();
      data.setData("text/plain", "审批准确率\t依法依规审批的比例\t100%\t依据文件要求\r\n\"按时办结率\"\t限时办结的比例\t98%以上\t依据文件要求\r\n");
      cell.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }, result.new_row_focused);
    await page.waitForTimeout(600);
    result.pasted = await page.evaluate(() => [...document.querySelectorAll("tr[data-path^='indicators/']")].map((tr) => [...tr.querySelectorAll("input[type=text], textarea")].map((i) => i.value).join("|")));

    at("undo: a deleted row comes back");
    const rowsNow = await page.locator("tr[data-path^='indicators/']").count();
    await page.locator("tr[data-path='indicators/0'] button.danger").click();
    await page.waitForFunction((n) => document.querySelectorAll("tr[data-path^='indicators/']").length === n - 1, rowsNow);
    await page.click("#flash-action");
    await page.waitForFunction((n) => document.querySelectorAll("tr[data-path^='indicators/']").length === n, rowsNow);
    result.undone = await page.inputValue("[id='f:indicators/0/name']");

    at("changing a row's 一级 keeps it in sight");
    await page.selectOption("[id='f:indicators/1/level1']", "效果指标");
    await page.waitForTimeout(600);
    result.regrouped = await page.evaluate(() => {
      const el = document.activeElement;
      const r = el.getBoundingClientRect();
      return { id: el.id, visible: r.top >= 0 && r.bottom <= window.innerHeight };
    });
    await page.selectOption("[id='f:indicators/1/level1']", "产出指标");
    await page.selectOption("[id='f:indicators/1/level2']", "质量指标");

    at("suggestions from this and other projects");
    result.suggestions = await page.evaluate(() => [...document.querySelectorAll("#indicator-names option")].map((o) => o.value));

    at("a table that no longer fits its page is flagged as typed");
    await page.fill("[id='f:purpose']", "政务服务大厅便民服务，包括日常办公费用、免费复印、设备维护等。".repeat(60));
    await page.waitForSelector("#pages-over", { timeout: 20000 });
    result.pages_over = await page.textContent("#pages-over");

    at("放弃修改 restores the file");
    await page.click("#discard");
    await page.waitForFunction(() => document.getElementById("save-state").textContent === "已保存");
    result.discarded = await page.inputValue("[id='f:purpose']");

    at("printing: the preview's pages only");
    await page.evaluate(() => { window.print = () => { document.body.dataset.printed = "1"; }; });
    await page.click("#print");
    await page.waitForFunction(() => document.body.dataset.printed === "1");
    await page.emulateMedia({ media: "print" });
    result.print = await page.evaluate(() => ({
      form: getComputedStyle(document.getElementById("form")).display,
      toolbar: getComputedStyle(document.getElementById("toolbar")).display,
      pages: [...document.querySelectorAll("#preview img")].filter((i) => getComputedStyle(i).display !== "none").length,
    }));
    await page.emulateMedia({ media: "screen" });

    at("unsaved edits survive a reload");
    await page.fill("[id='f:goal']", "重新载入前没有保存的目标");
    await page.waitForTimeout(500);
    await page.reload();
    await page.waitForSelector("#restore-draft", { timeout: 20000 });
    await page.click("#restore-draft");
    await page.waitForFunction(() => document.getElementById("save-state").textContent.includes("未保存"));
    result.restored = await page.inputValue("[id='f:goal']");
    await page.click("#save");
    await saved(page);

    at("changed on disk meanwhile, another field: merged by itself");
    let text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, text + "# 另一个程序加的注释\n");
    await page.fill("[id='f:goal']", "新的目标");
    await page.click("#save");
    await saved(page);
    result.merged_flash = await page.textContent("#flash");
    result.after_merge = fs.readFileSync(file, "utf8");

    at("the same field changed on disk: chosen field by field");
    text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, text.replace("goal: 新的目标", "goal: 别人写的目标"));
    await page.fill("[id='f:goal']", "我写的目标");
    await page.click("#save");
    await page.waitForSelector("dialog[open] table.conflicts");
    result.conflict = await page.textContent("dialog[open] table.conflicts");
    await page.check("dialog[open] input[name=pick0][value=theirs]");
    await page.click("dialog[open] button[value=merge]");
    await saved(page);
    result.after_conflict = fs.readFileSync(file, "utf8");

    at("deleted on disk: saved again");
    fs.unlinkSync(file);
    await page.fill("[id='f:goal']", "删除后重新保存的目标");
    await page.click("#save");
    await saved(page);
    result.recreated = fs.existsSync(file) && fs.readFileSync(file, "utf8").includes("删除后重新保存的目标");

    at("a code that differs from the file name: fixed in the page");
    await page.fill("[id='f:code']", "131003077");
    await page.click("#save");
    await saved(page);
    await page.waitForSelector("#rename", { timeout: 20000 });
    await page.click("#rename");
    await page.waitForFunction(() => location.hash.includes("131003077"));
    await page.waitForSelector("[id='f:code']");
    result.renamed = fs.existsSync(spec("2024/projects/131003077.yaml")) && !fs.existsSync(file);
    result.renamed_actuals = fs.existsSync(spec("2024/actuals/year-end/131003077.yaml"));

    at("the department page: fast, one check at a time, only changed pages redrawn");
    await page.goto(`${base}#/y/2024`);
    await page.waitForSelector("#projects");
    await page.click("text=部门文件（封面");
    await page.waitForSelector("#preview img", { timeout: 20000 });
    result.cover_placeholder = await page.getAttribute("[id='f:cover/title']", "placeholder");
    result.form_choices = await page.evaluate(() => [...document.querySelectorAll("[id='f:form'] option")].map((o) => o.textContent));
    result.department = [];
    for (let i = 0; i < 6; i++) {
      const before = await version(page);
      checks = 0;
      await page.type("[id='f:narrative/intro']", "新增", { delay: 40 });
      const ms = await nextPreview(page, before);
      await page.waitForTimeout(200);
      result.department.push({ ms, checks, redrawn: Number(await page.evaluate(() => document.body.dataset.previewRedrawn)), pages: Number(await page.evaluate(() => document.body.dataset.previewPages)) });
    }
    await page.click("#save");
    await saved(page);

    at("a new project: its code checked first, then a draft that shows what to fill in");
    await page.goto(`${base}#/y/2024`);
    await page.waitForSelector("#projects");
    await page.click("#new-project");
    result.next_code = await page.inputValue("#new-code");
    await page.fill("#new-code", "abc");
    await page.click("dialog[open] button[value=create]");
    await page.waitForFunction(() => document.getElementById("new-error").textContent.length > 0);
    result.bad_code = await page.textContent("#new-error");
    await page.fill("#new-code", "131003009");
    await page.click("dialog[open] button[value=create]");
    await page.waitForSelector("[id='f:code']");
    await page.waitForFunction(() => document.querySelector("#problems").textContent.includes("待填写"), null, { timeout: 20000 });
    result.draft_problems = await page.textContent("#problem-count");
    result.draft_text = await page.textContent("#problems");
    await page.goto(`${base}#/y/2024`);
    await page.waitForSelector("#projects");
    result.draft_row = await page.textContent("#projects tr[data-code='131003009']");
    await page.click("text=部门文件（封面");
    await page.waitForSelector("#preview img", { timeout: 20000 });
    result.department_with_draft = { note: await page.textContent("#preview-note"), blockers: await page.textContent("#blockers") };

    at("a project's actual figures: scores follow");
    await page.goto(`${base}#/f/2024/actuals/year-end/131003077.yaml`);
    await page.waitForSelector("#actuals");
    await page.waitForFunction(() => (document.getElementById("total") || { textContent: "" }).textContent.includes("总分 99.67"), null, { timeout: 20000 });
    result.target_row = await page.textContent("#actuals tr:nth-child(4)");
    await page.fill("[aria-label='政务服务事项限时办结率 实际完成值']", "100%");
    await page.waitForFunction(() => document.getElementById("score:2").textContent === "得分 12.50", null, { timeout: 20000 });
    result.total_after = await page.textContent("#total");
    await page.click("#save");
    await saved(page);
    result.actuals_saved = fs.readFileSync(spec("2024/actuals/year-end/131003077.yaml"), "utf8");

    at("county-2016: two indicator grids as printed, a row added belongs to its grid");
    await open(page, "2025/projects/608001001.yaml");
    result.county_grids = await page.evaluate(() => [...document.querySelectorAll("table.indicators")].map((t) => t.dataset.table));
    result.county_schedule = await page.locator("table.sheet.rows tr[data-path^='schedule/']").count();
    await page.click("[id='add:annual:效益指标/社会效益指标']");
    await page.waitForTimeout(300);
    await page.fill(`[id='${await page.evaluate(() => document.activeElement.id)}']`, "带动就业人数");
    await page.click("#save");
    await saved(page);
    result.county_saved = fs.readFileSync(spec("2025/projects/608001001.yaml"), "utf8");

    at("central-2021: 中期资金 checked against its parts");
    await open(page, "2026/projects/101001001.yaml");
    result.central_problems = await page.textContent("#problems");

    at("800 px: nothing scrolls sideways");
    await open(page, "2024/projects/131003002.yaml");
    await page.setViewportSize({ width: 800, height: 900 });
    await page.waitForTimeout(300);
    result.project_800 = await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
    result.page_errors = errors;
  } catch (e) {
    // What the page showed, to see why.
    const shown = page ? await page.evaluate(() => ({
      hash: location.hash, flash: (document.getElementById("flash") || {}).textContent,
      stored: Object.keys(localStorage), main: document.querySelector("main").innerText.slice(0, 300),
    })).catch(() => null) : null;
    if (page) {
      const probe = await page.evaluate(async () => {
        const started = performance.now();
        const timeout = new Promise((r) => setTimeout(() => r("timeout"), 5000));
        const asked = fetch("/api/years").then((x) => x.status).catch((e) => String(e));
        return [await Promise.race([asked, timeout]), Math.round(performance.now() - started)];
      }).catch((e) => String(e));
      console.error(`/api/years: ${JSON.stringify(probe)}`);
    }
    console.error(`at “${step}”; the page showed: ${JSON.stringify(shown)}; errors: ${JSON.stringify(errors)}`);
    throw e;
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(result));
})().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
