// Drives `jixiao serve` in headless Chromium (Debian's package, through playwright-core)
// as a clerk would: opens the year and a project, edits a value and sees the preview
// change, types a bad value and sees its diagnostic at the field, saves, meets a file
// changed on disk meanwhile, copies and deletes a project, fills in a project's actual
// figures and sees its score follow. Prints what it measured as
// JSON; the Rust test (tests/testsuite/browser.rs) checks the files on disk.
//
// Usage: node browser.js <address with token> <project folder> [screenshot.png]
"use strict";

const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const [address, project, screenshot] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const file = path.join(project, "specs/2024/projects/131003001.yaml");

function fail(message) {
  throw new Error(message);
}

async function previewVersion(page) {
  return Number(await page.evaluate(() => document.body.dataset.previewVersion || "0"));
}

// The fingerprint of the first preview page.
async function previewSvg(page) {
  return page.evaluate(() => {
    const img = document.querySelector("#preview img");
    return img ? img.dataset.digest : "";
  });
}

// Types into a field as a person does, then waits for the preview drawn after it.
async function typeAndWait(page, selector, text) {
  const before = await previewVersion(page);
  await page.fill(selector, "");
  await page.type(selector, text, { delay: 25 });
  await page.waitForFunction((v) => Number(document.body.dataset.previewVersion || "0") > v, before, { timeout: 15000 });
  return Number(await page.evaluate(() => document.body.dataset.previewLatency));
}

(async () => {
  const browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  const result = { latencies: [] };
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("dialog", (d) => d.accept());

    // The address as printed: the token becomes a cookie and leaves the address bar.
    await page.goto(address);
    await page.waitForSelector("text=选择年度");
    if (page.url().includes("token=")) fail("the token stayed in the address: " + page.url());
    await page.click("text=2024 年度");
    await page.waitForSelector("#projects");
    const rows = await page.locator("#projects tr").count();
    if (rows !== 3) fail(`expected 2 projects listed, found ${rows - 1}`);

    // A project: the table, the preview.
    await page.click("#projects >> text=131003001");
    await page.waitForSelector("#preview img");
    await page.waitForFunction(() => Number(document.body.dataset.previewVersion || "0") > 0);
    const first = await previewSvg(page);

    // An edit: the preview changes, each time within the measured time.
    for (const name of ["政务服务中心工作（一）", "政务服务中心工作（二）", "政务服务中心工作（三）", "政务服务中心运行", "政务服务中心工作（改）"]) {
      result.latencies.push(await typeAndWait(page, "[id='f:name']", name));
    }
    const second = await previewSvg(page);
    if (!second || second === first) fail("the preview did not change after the edit");
    const state = await page.textContent("#save-state");
    if (!state.includes("未保存")) fail("the page does not say the edit is unsaved: " + state);

    // Inputs are named in Chinese for screen readers.
    const named = await page.getAttribute("[id='f:spending_plan/6']", "aria-label");
    if (named !== "资金支出计划（%） 6 月底") fail("the input is not named: " + named);

    // A mistake: 150 % at 6 月底. Its diagnostic shows at the field and in the list.
    await page.fill("[id='f:spending_plan/6']", "150");
    const fieldDiag = "[data-path='spending_plan/6'] .diag.error";
    await page.waitForSelector(fieldDiag, { timeout: 15000 });
    result.diagnostic = (await page.textContent(fieldDiag)).trim();
    const listed = await page.textContent("#problems");
    if (!listed.includes(result.diagnostic.split(" ")[0])) fail("the problem list does not name it: " + listed);
    const note = await page.textContent("#preview-note");
    if (!note.includes("错误")) fail("the preview does not say why it is not updated: " + note);
    await page.click("#problems a");
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
    if (focused !== "f:spending_plan/6") fail("the link does not lead to the field: " + focused);
    if (screenshot) await page.screenshot({ path: screenshot });

    // Saved with the mistake (work in progress), marked as such.
    await page.click("#save");
    await page.waitForFunction(() => document.getElementById("save-state").textContent.includes("已保存"));
    result.saved_state = await page.textContent("#save-state");
    result.saved = fs.readFileSync(file, "utf8");

    // Changed on disk by another program meanwhile: refused, the change shown, reloaded.
    fs.writeFileSync(file, result.saved + "# 另一个程序加的注释\n");
    await page.fill("[id='f:goal']", "新的目标");
    await page.click("#save");
    await page.waitForSelector("dialog[open] pre.diff");
    result.conflict = await page.textContent("dialog[open] pre.diff");
    await page.click("dialog[open] button[value=reload]");
    await page.waitForFunction(() => document.getElementById("yaml").textContent.includes("另一个程序加的注释"));
    result.after_conflict = fs.readFileSync(file, "utf8");

    // A copy of a project, then deleted again (confirmed in a dialog).
    await page.goto(address.replace(/\?.*$/, "") + "#/y/2024");
    await page.waitForSelector("#projects");
    await page.click("#new-project");
    await page.fill("#new-code", "131003099");
    await page.selectOption("#new-from", "2024/projects/131003002.yaml");
    await page.click("dialog[open] button[value=create]");
    await page.waitForSelector("[id='f:code']");
    result.copied = fs.existsSync(path.join(project, "specs/2024/projects/131003099.yaml"));
    await page.goto(address.replace(/\?.*$/, "") + "#/y/2024");
    await page.waitForSelector("#projects >> text=131003099");
    await page.locator("#projects tr", { hasText: "131003099" }).locator("text=删除").click();
    await page.waitForFunction(() => !document.querySelector("#projects") || !document.querySelector("#projects").textContent.includes("131003099"));
    result.deleted = !fs.existsSync(path.join(project, "specs/2024/projects/131003099.yaml"));
    // A project's actual figures beside its targets: a figure typed, its score and the
    // total follow as the form's rules compute them; saved in place.
    await page.goto(address.replace(/\?.*$/, "") + "#/f/2024/actuals/year-end/131003001.yaml");
    await page.waitForSelector("#actuals");
    await page.waitForFunction(() => (document.getElementById("total") || { textContent: "" }).textContent.includes("总分 99.67"), null, { timeout: 15000 });
    result.target_row = await page.textContent("#actuals tr:nth-child(4)");
    await page.fill("[aria-label='政务服务事项限时办结率 实际完成值']", "100%");
    await page.waitForFunction(() => document.getElementById("score:2").textContent === "得分 12.50", null, { timeout: 15000 });
    result.total_after = await page.textContent("#total");
    await page.click("#save");
    await page.waitForFunction(() => document.getElementById("save-state").textContent.includes("已保存"));
    result.actuals_saved = fs.readFileSync(path.join(project, "specs/2024/actuals/year-end/131003001.yaml"), "utf8");
    result.page_errors = errors;
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(result));
})().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
