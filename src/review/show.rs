//! A diff as lines of marked text ([`lines`]), and those lines printed for the terminal
//! (plain, or coloured) and as Markdown to paste into a review ([`render`]). The
//! change-marked PDF's list of changes is made from the same lines, so every view says
//! the same thing. Every label is Chinese; numbers carry their deltas; long texts show
//! their changed spans (`[-删去-]{+加上+}` in plain text).

use std::fmt::Write;

use super::actuals::PeriodDiff;
use super::{Amount, Diff, FieldChange, IndicatorDiff, Op, ProjectDiff, Status, YearDiff};
use crate::view::{Kind, Line, Mark, Span};

/// How a diff is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Plain text: changed spans marked `[-…-]` and `{+…+}`.
    Plain,
    /// Terminal colours: removed red, added green.
    Color,
    /// Markdown: removed ~~struck~~, added **bold**.
    Markdown,
}

fn text(t: impl Into<String>) -> Span {
    Span { mark: Mark::Text, text: t.into() }
}

fn span(mark: Mark, t: impl Into<String>) -> Span {
    Span { mark, text: t.into() }
}

fn line(kind: Kind, depth: usize, spans: Vec<Span>) -> Line {
    Line { kind, depth, spans }
}

/// Every line of a diff, year by year.
pub fn lines(diff: &Diff) -> Vec<Line> {
    let mut out = Vec::new();
    for year in &diff.years {
        year_lines(&mut out, year, diff.years.len() > 1);
    }
    out
}

/// `label：old → new（delta）`, or the changed spans of a long text.
fn field(change: &FieldChange) -> Vec<Span> {
    let mut spans = vec![text(format!("{}：", change.label))];
    match (&change.old, &change.new, &change.text_diff) {
        (_, _, Some(segments)) => spans.extend(segments.iter().map(|s| match s.op {
            Op::Equal => text(&s.text),
            Op::Delete => span(Mark::Deleted, &s.text),
            Op::Insert => span(Mark::Inserted, &s.text),
        })),
        (Some(old), Some(new), None) => {
            spans.extend([span(Mark::Old, old), text(" → "), span(Mark::New, new)]);
            if let Some(delta) = &change.delta {
                spans.push(text(format!("（{}）", delta.text)));
            }
        }
        (None, Some(new), None) => spans.extend([span(Mark::New, new), text("（新写）")]),
        (Some(old), None, None) => spans.extend([span(Mark::Old, old), text("（删去）")]),
        (None, None, None) => {}
    }
    spans
}

fn amount(label: &str, amount: &Amount, unit: &str) -> Vec<Span> {
    let show = |v: &Option<String>| v.as_ref().map(|v| format!("{v} {unit}").trim().to_string());
    let mut spans = vec![text(format!("{label}："))];
    match (show(&amount.old), show(&amount.new)) {
        (Some(old), Some(new)) if old == new => spans.push(text(format!("{new}（未变）"))),
        (Some(old), Some(new)) => {
            spans.extend([span(Mark::Old, old), text(" → "), span(Mark::New, new)]);
            if let Some(delta) = &amount.delta {
                spans.push(text(format!("（{}）", delta.text)));
            }
        }
        (None, Some(new)) => spans.push(text(new)),
        (Some(old), None) => spans.push(text(format!("{old}（删去）"))),
        (None, None) => spans.push(text("—")),
    }
    spans
}

fn year_lines(out: &mut Vec<Line>, year: &YearDiff, several: bool) {
    let when = match (year.year.old, year.year.new) {
        (Some(a), Some(b)) if a != b => format!("{a} → {b} 年度"),
        (_, Some(y)) | (Some(y), None) => format!("{y} 年度"),
        (None, None) => String::new(),
    };
    let dir = match (&year.old_dir, &year.new_dir) {
        (Some(a), Some(b)) if a == b => a.clone(),
        (Some(a), Some(b)) => format!("{a} → {b}"),
        (Some(a), None) => format!("{a}，新的一边没有这个年度"),
        (None, Some(b)) => format!("{b}，新增的年度"),
        (None, None) => String::new(),
    };
    out.push(line(
        Kind::Year,
        0,
        vec![text(format!("{}（{}）{when}  [{dir}]", year.department.name, year.department.code))],
    ));
    out.push(line(Kind::Item, 0, amount("部门预算合计", &year.total, &year.money_unit)));
    if !year.fields.is_empty() {
        out.push(line(Kind::Item, 0, vec![text("部门文件：")]));
        out.extend(year.fields.iter().map(|change| line(Kind::Item, 1, field(change))));
    }
    for project in &year.projects {
        project_lines(out, project, &year.money_unit);
    }
    for period in &year.periods {
        period_lines(out, period);
    }
    if several && !year.changed() {
        out.push(line(Kind::Item, 0, vec![text("没有变化。")]));
    }
}

fn project_lines(out: &mut Vec<Line>, project: &ProjectDiff, unit: &str) {
    let (kind, what) = match project.status {
        Status::Added => (Kind::Added, "新增项目"),
        Status::Removed => (Kind::Removed, "删除项目"),
        _ => (Kind::Project, "修改项目"),
    };
    let mut title = format!("{what} {} {}", project.code, project.name);
    if let Some(old) = &project.old_code {
        title.push_str(&format!("（原编码 {old}）"));
    }
    if let Some(old) = &project.old_name {
        title.push_str(&format!("（改名，原名：{old}）"));
    }
    out.push(line(kind, 0, vec![text(title)]));
    out.push(line(Kind::Item, 1, amount("预算金额", &project.amount, unit)));
    if project.status != Status::Changed {
        // A project added or removed as a whole: its size, not every field.
        out.push(line(Kind::Item, 1, vec![text(format!("{} 个三级指标", project.indicators.len()))]));
        return;
    }
    out.extend(project.fields.iter().filter(|f| f.field != "name").map(|change| line(Kind::Item, 1, field(change))));
    for indicator in &project.indicators {
        indicator_lines(out, indicator);
    }
}

fn indicator_lines(out: &mut Vec<Line>, indicator: &IndicatorDiff) {
    let place = format!("{} › {} › {}", indicator.level1, indicator.level2, indicator.name);
    let value = indicator
        .fields
        .iter()
        .find(|f| f.field == "value")
        .and_then(|f| f.new.clone().or(f.old.clone()))
        .unwrap_or_default();
    match indicator.status {
        Status::Added => out.push(line(Kind::Added, 1, vec![text(format!("新增指标 {place}（指标值：{value}）"))])),
        Status::Removed => out.push(line(Kind::Removed, 1, vec![text(format!("删除指标 {place}（指标值：{value}）"))])),
        Status::Moved => out.push(line(
            Kind::Item,
            1,
            vec![
                text(format!("移动指标 {}：", indicator.name)),
                span(
                    Mark::Old,
                    format!(
                        "{} › {}",
                        indicator.old_level1.as_deref().unwrap_or_default(),
                        indicator.old_level2.as_deref().unwrap_or_default()
                    ),
                ),
                text(" → "),
                span(Mark::New, format!("{} › {}", indicator.level1, indicator.level2)),
            ],
        )),
        Status::Changed => out.push(line(Kind::Item, 1, vec![text(format!("修改指标 {place}"))])),
    }
    if matches!(indicator.status, Status::Moved | Status::Changed) {
        out.extend(indicator.fields.iter().map(|change| line(Kind::Item, 2, field(change))));
    }
}

fn period_lines(out: &mut Vec<Line>, period: &PeriodDiff) {
    let (kind, what) = match period.status {
        Status::Added => (Kind::Added, "新增实际数据"),
        Status::Removed => (Kind::Removed, "删除实际数据"),
        _ => (Kind::Project, "实际数据"),
    };
    out.push(line(kind, 0, vec![text(format!("{what} actuals/{}/", period.name))]));
    out.extend(period.fields.iter().map(|change| line(Kind::Item, 1, field(change))));
    for project in &period.projects {
        let (kind, what) = match project.status {
            Status::Added => (Kind::Added, "新增"),
            Status::Removed => (Kind::Removed, "删除"),
            _ => (Kind::Item, "修改"),
        };
        out.push(line(kind, 1, vec![text(format!("{what} {} {}", project.code, project.name))]));
        if project.status == Status::Changed {
            out.extend(project.fields.iter().map(|change| line(Kind::Item, 2, field(change))));
        }
    }
}

/// One line counting what changed.
pub fn summary(diff: &Diff) -> String {
    if !diff.changed {
        return "没有变化。".to_string();
    }
    let projects: Vec<&ProjectDiff> = diff.years.iter().flat_map(|y| &y.projects).collect();
    let count = |status| projects.iter().filter(|p| p.status == status).count();
    let fields: usize = diff.years.iter().map(|y| y.fields.len()).sum();
    let mut parts = Vec::new();
    if !projects.is_empty() {
        parts.push(format!(
            "{} 个项目有变化（新增 {}，删除 {}，修改 {}）",
            projects.len(),
            count(Status::Added),
            count(Status::Removed),
            count(Status::Changed)
        ));
    }
    if fields > 0 {
        parts.push(format!("部门文件 {fields} 处变化"));
    }
    let actuals: usize = diff.years.iter().flat_map(|y| &y.periods).map(|p| p.projects.len()).sum();
    if actuals > 0 {
        parts.push(format!("{actuals} 个项目的实际数据或得分有变化"));
    }
    let one_sided = diff.years.iter().filter(|y| y.old_dir.is_none() || y.new_dir.is_none()).count();
    if parts.is_empty() && one_sided > 0 {
        parts.push(format!("{one_sided} 个年度只在一边"));
    }
    format!("共 {}。", parts.join("，"))
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Markdown's special characters escaped; line breaks as `<br>`.
fn escape_markdown(t: &str) -> String {
    let mut escaped = String::new();
    for c in t.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '~' | '[' | ']' | '<' | '>' | '#' | '|' => {
                escaped.push('\\');
                escaped.push(c);
            }
            '\n' => escaped.push_str("<br>"),
            c => escaped.push(c),
        }
    }
    escaped
}

fn spans(spans: &[Span], style: Style) -> String {
    spans
        .iter()
        .map(|s| match (style, s.mark) {
            (Style::Plain, Mark::Deleted) => format!("[-{}-]", s.text),
            (Style::Plain, Mark::Inserted) => format!("{{+{}+}}", s.text),
            (Style::Plain, _) => s.text.clone(),
            (Style::Color, Mark::Old | Mark::Deleted) => format!("{RED}{}{RESET}", s.text),
            (Style::Color, Mark::New | Mark::Inserted) => format!("{GREEN}{}{RESET}", s.text),
            (Style::Color, Mark::Text) => s.text.clone(),
            (Style::Markdown, Mark::Old | Mark::Deleted) => format!("~~{}~~", escape_markdown(&s.text)),
            (Style::Markdown, Mark::New | Mark::Inserted) => format!("**{}**", escape_markdown(&s.text)),
            (Style::Markdown, Mark::Text) => escape_markdown(&s.text),
        })
        .collect()
}

/// The diff as text in `style`.
pub fn render(diff: &Diff, style: Style) -> String {
    let mut out = String::new();
    let title = format!("比较 {} → {}", diff.old, diff.new);
    let _ = match style {
        Style::Plain => writeln!(out, "{title}"),
        Style::Color => writeln!(out, "{BOLD}{title}{RESET}"),
        Style::Markdown => writeln!(out, "# {}", escape_markdown(&title)),
    };
    for l in lines(diff) {
        let body = spans(&l.spans, style);
        let indent = "  ".repeat(l.depth + 1);
        let _ = match (style, l.kind) {
            (Style::Markdown, Kind::Year) => writeln!(out, "\n## {body}\n"),
            (Style::Markdown, Kind::Project | Kind::Added | Kind::Removed) if l.depth == 0 => {
                writeln!(out, "\n### {body}\n")
            }
            (Style::Markdown, Kind::Added) => writeln!(out, "{}- **{body}**", "  ".repeat(l.depth - 1)),
            (Style::Markdown, Kind::Removed) => writeln!(out, "{}- ~~{body}~~", "  ".repeat(l.depth - 1)),
            (Style::Markdown, _) if l.depth == 0 => writeln!(out, "{body}\n"),
            (Style::Markdown, _) => writeln!(out, "{}- {body}", "  ".repeat(l.depth - 1)),
            (Style::Plain, Kind::Year) => writeln!(out, "\n{body}"),
            (Style::Color, Kind::Year) => writeln!(out, "\n{BOLD}{body}{RESET}"),
            (Style::Plain, Kind::Project) => writeln!(out, "\n{indent}~ {body}"),
            (Style::Plain, Kind::Added) => writeln!(out, "{}{indent}+ {body}", if l.depth == 0 { "\n" } else { "" }),
            (Style::Plain, Kind::Removed) => writeln!(out, "{}{indent}- {body}", if l.depth == 0 { "\n" } else { "" }),
            (Style::Color, Kind::Project) => writeln!(out, "\n{indent}{YELLOW}~ {body}{RESET}"),
            (Style::Color, Kind::Added) => {
                writeln!(out, "{}{indent}{GREEN}+ {body}{RESET}", if l.depth == 0 { "\n" } else { "" })
            }
            (Style::Color, Kind::Removed) => {
                writeln!(out, "{}{indent}{RED}- {body}{RESET}", if l.depth == 0 { "\n" } else { "" })
            }
            (_, Kind::Item) => writeln!(out, "{indent}{body}"),
        };
    }
    let summary = summary(diff);
    let _ = match style {
        Style::Markdown => writeln!(out, "\n{}", escape_markdown(&summary)),
        _ => writeln!(out, "\n{summary}"),
    };
    out
}
