//! Importing a period's tables as a library call: each table matched to its target by
//! the project's name (the forms print no code), each row to the target's indicator by
//! its name, amounts in the year's unit, weights, directions and scores settled against
//! the rules, and one actuals file written per project into `actuals/<period>/` (with
//! `period.yaml` when the folder is new), never over an existing one unless asked.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::draft::{Draft, DraftRow};
use super::infer::{Scorer, number};
use super::layout::PeriodLayout;
use super::read::{Read, read};
use crate::form::Form;
use crate::form::FormKind;
use crate::grid::flat::{FLAT_SHEET, SUMMARY_SHEET};
use crate::import::normalize;
use crate::import::run::{Imported, unit_factor};
use crate::incremental::write::write_atomic;
use crate::model::actuals::{ACTUALS_DIR, PERIOD_FILE, PeriodSpec};
use crate::office::read::{self as office, Problem};
use crate::spec::actuals_start::default_name;
use crate::spec::edit::emit::text as scalar;
use crate::spec::modeline;
use crate::spec::year::YearFiles;
use crate::text::io_reason;
use crate::validate::Checked;

/// Where a period's tables go, and how.
pub struct Destination<'a> {
    /// The year's files (its targets).
    pub year: &'a YearFiles,
    /// The targets as checked.
    pub targets: &'a Checked,
    /// The period folder's name under `actuals/`, when given (else `year-end`, or
    /// `monitoring-07` for the month read).
    pub period: Option<String>,
    /// The monitoring month, when given (else the one the tables' headers name).
    pub month: Option<u32>,
    /// The form's schema folder (`schema/<form>`), for the modelines.
    pub schemas: PathBuf,
    /// Whether existing actuals files are overwritten.
    pub force: bool,
}

/// The month monitored when neither the command nor the tables say (1-7月, the usual).
pub const DEFAULT_MONTH: u32 = 7;

/// Imports the period tables of `files` into `to`.
pub fn import_period(files: &[PathBuf], form: &Form, layout: &PeriodLayout, to: &Destination) -> Imported {
    let mut imported = Imported::default();
    let mut reads = Vec::new();
    let mut cover = Cover::default();
    for file in files {
        let tables = match office::read(file) {
            Ok(tables) => tables,
            Err(problem) => {
                imported.problems.push(problem);
                continue;
            }
        };
        if cover.date.is_none() {
            cover = Cover::read(&tables, form, to.year);
        }
        for table in tables.iter().filter(|t| t.name != SUMMARY_SHEET && t.name != FLAT_SHEET) {
            let (found, mut said) = read(table, layout, form);
            if found.is_empty() && said.is_empty() && !table.cells.iter().all(|c| c.text.trim().is_empty()) {
                let place =
                    if table.name.is_empty() { table.file.clone() } else { format!("{}!{}", table.file, table.name) };
                imported.problems.push(
                    Problem::warning(
                        place,
                        format!("没有找到{}（如“项目名称”“三级指标”等栏目），跳过", form.def.title),
                    )
                    .with_hint("请确认 --form 是这张表所用的表样；表头文字要与表样一致"),
                );
            }
            reads.extend(found);
            imported.problems.append(&mut said);
        }
    }
    let month = match form.def.kind {
        FormKind::Monitoring => to.month.or_else(|| reads.iter().find_map(|r| r.month)).or(Some(DEFAULT_MONTH)),
        _ => None,
    };
    let name = to.period.clone().unwrap_or_else(|| default_name(form.def.kind, month));
    let dir = to.year.dir.join(ACTUALS_DIR).join(name);
    let period_path = dir.join(PERIOD_FILE);
    let period_text = match period(&period_path, form, month, &cover) {
        Ok(text) => text,
        Err(problem) => {
            imported.problems.push(problem);
            return imported;
        }
    };
    // Targets by name, compared (the tables print names, not codes).
    let mut names: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, project) in to.year.projects.iter().enumerate() {
        names.entry(normalize(&project.spec.name.value)).or_default().push(i);
    }
    let mut drafts: Vec<Draft> = Vec::new();
    for read in reads {
        if let Some(draft) = draft(read, to, &names, &mut imported.problems) {
            if drafts.iter().any(|d| d.target == draft.target) {
                imported.problems.push(
                    Problem::warning(
                        &draft.place,
                        format!("项目 {} 在导入的文件中出现了两次，只导入第一次的", draft.file),
                    )
                    .with_hint("请确认文件中没有重复的表"),
                );
                continue;
            }
            drafts.push(draft);
        }
    }
    let scorer = Scorer { form, year: to.year, targets: to.targets, dir: &dir, period: period_text.clone() };
    scorer.settle(&mut drafts);
    let write = |path: &Path, text: &str, schema: &str| -> Result<(), Problem> {
        let text = modeline::set(text, &modeline::relative(path, &to.schemas.join(schema)));
        std::fs::create_dir_all(&dir)
            .and_then(|()| write_atomic(path, text.as_bytes()))
            .map_err(|e| Problem::error(path.display().to_string(), format!("无法写入：{}", io_reason(&e))))
    };
    if !period_path.exists() && !drafts.is_empty() {
        if let Err(problem) = write(&period_path, &period_text, modeline::PERIOD_SCHEMA) {
            imported.problems.push(problem);
            return imported;
        }
        imported.written.push((period_path, form.def.title.clone()));
    }
    for draft in &drafts {
        let path = dir.join(&draft.file);
        if path.exists() && !to.force {
            imported.problems.push(
                Problem::warning(&draft.place, format!("{} 已经存在，没有覆盖", path.display()))
                    .with_hint("要用文件中的内容覆盖，请加 --force"),
            );
            continue;
        }
        match write(&path, &draft.text(form), modeline::ACTUALS_SCHEMA) {
            Ok(()) => imported.written.push((path, draft.place.clone())),
            Err(problem) => imported.problems.push(problem),
        }
    }
    imported
}

/// The period's `period.yaml` text: the existing one (which must name this form), or a
/// new one.
fn period(path: &Path, form: &Form, month: Option<u32>, cover: &Cover) -> Result<String, Problem> {
    let place = path.display().to_string();
    if !path.exists() {
        let mut text = crate::spec::actuals_start::period_text(form, month);
        if let Some(date) = &cover.date {
            text = text.replace("# date:\n", &format!("date: {}\n", scalar(date)));
        }
        if let Some(title) = &cover.title {
            text.push_str(&format!("title: {}\n", scalar(title)));
        }
        return Ok(text);
    }
    let text = crate::files::read_regular_text(path, crate::yaml::MAX_SPEC_BYTES)
        .map_err(|e| Problem::error(&place, format!("无法读取：{}", e.reason())))?;
    let spec = crate::yaml::parse::<PeriodSpec>(path, &text).map_err(|_| {
        Problem::error(&place, "这个 period.yaml 有错误，没有导入").with_hint("先运行 jixiao check 改正它")
    })?;
    if spec.form.value != form.name {
        return Err(Problem::error(
            &place,
            format!("这一期用的表样是 {}，不是 --form 给出的 {}，没有导入", spec.form.value, form.name),
        )
        .with_hint("用 --period 另起一期，或改用这一期的表样"));
    }
    Ok(text)
}

/// One table's draft: matched to its target, rows to its indicators, amounts converted.
fn draft(
    read: Read,
    to: &Destination,
    names: &HashMap<String, Vec<usize>>,
    problems: &mut Vec<Problem>,
) -> Option<Draft> {
    if read.errors > 0 {
        problems.push(
            Problem::error(&read.place, format!("项目“{}”有错误（见上），没有导入", read.name))
                .with_hint("改正文件中标出的单元格后重新导入"),
        );
        return None;
    }
    let projects = &to.year.projects;
    let by_name = names.get(&normalize(&read.name)).map(Vec::as_slice).unwrap_or_default();
    let leading: String = crate::import::half_width(&read.source).chars().take_while(char::is_ascii_digit).collect();
    let by_code = || (0..projects.len()).find(|&i| !leading.is_empty() && projects[i].spec.code.value == leading);
    let target = match by_name {
        [one] => Some(*one),
        _ => by_code(),
    };
    let Some(target) = target else {
        let projects_dir = to.year.dir.join(crate::spec::year::PROJECTS_DIR);
        let names = projects.iter().map(|p| p.spec.name.value.as_str());
        let mut problem = Problem::error(
            &read.place,
            format!("项目“{}”在 {} 中没有同名的目标规格，没有导入", read.name, projects_dir.display()),
        );
        problem = match crate::suggest::closest(&read.name, names) {
            Some(near) => problem.with_hint(format!("是不是“{near}”？实际数据按项目名称对应目标规格")),
            None => problem.with_hint("实际数据按项目名称对应目标规格：先导入或写好这一年的目标（projects/）"),
        };
        problems.push(problem);
        return None;
    };
    let spec = &projects[target].spec;
    let file = projects[target].path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut draft = Draft { file, target, place: read.place.clone(), ..Draft::default() };
    draft.take(&read.fields);
    convert(&mut draft, &read, to, problems);
    let mut used = vec![false; spec.indicators.len()];
    for row in read.rows {
        let same = |i: &usize| spec.indicators[*i].name.value.trim() == row.name;
        let named: Vec<usize> = (0..spec.indicators.len()).filter(same).collect();
        let found = named
            .iter()
            .copied()
            .find(|&i| !used[i] && (named.len() == 1 || spec.indicators[i].level2.value.trim() == row.level2))
            .or_else(|| named.iter().copied().find(|&i| !used[i]));
        let Some(index) = found else {
            problems.push(
                Problem::warning(
                    &row.place,
                    format!("“{}”不是项目 {} 目标中的三级指标，没有导入", row.name, spec.code.value),
                )
                .with_hint("实际数据按三级指标的名称对应目标规格；请核对名称"),
            );
            continue;
        };
        used[index] = true;
        let level2 = (named.len() > 1).then(|| spec.indicators[index].level2.value.clone());
        draft.rows.push(DraftRow { target: index, level2, read: row, ..DraftRow::default() });
    }
    if draft.rows.is_empty() {
        problems.push(
            Problem::warning(&read.place, format!("项目“{}”没有读到任何绩效指标的实际完成值", read.name))
                .with_hint("请确认指标表的表头（三级指标、实际完成值……）与表样一致"),
        );
    }
    Some(draft)
}

/// Amounts read in the table's unit written in the year's, exactly, each conversion named.
fn convert(draft: &mut Draft, read: &Read, to: &Destination, problems: &mut Vec<Problem>) {
    let year_unit = to.year.department.as_ref().and_then(|d| d.spec.money_unit.as_ref()).map(|u| u.value.clone());
    let (Some(from), Some(year_unit)) = (read.unit.as_deref(), year_unit.filter(|u| !u.is_empty())) else { return };
    if from == year_unit {
        return;
    }
    let Some(factor) = unit_factor(from, &year_unit) else {
        problems.push(
            Problem::warning(&read.place, format!("表中金额的单位是“{from}”，本年度是“{year_unit}”，金额没有换算"))
                .with_hint("请核对各项金额，按本年度的单位改写"),
        );
        return;
    };
    let mut changed = Vec::new();
    for (row, columns) in &mut draft.money {
        for (column, text) in columns.iter_mut() {
            if let Some(amount) = number(text) {
                let new = (amount * factor).normalize().to_string();
                changed.push(format!("{row}.{column} {text} → {new}"));
                *text = new;
            }
        }
    }
    if !changed.is_empty() {
        problems.push(Problem::warning(
            &read.place,
            format!("表中金额的单位是“{from}”，已换算为本年度的“{year_unit}”：{}", changed.join("，")),
        ));
    }
}

/// What a period's combined report (its Word or Excel version) prints on its cover.
#[derive(Debug, Default)]
struct Cover {
    /// 填报日期.
    date: Option<String>,
    /// The cover's title, where it is not the form's.
    title: Option<String>,
}

impl Cover {
    /// The cover of the report among `tables` (the one printing 填报日期：…), if any: its
    /// first line is the title.
    fn read(tables: &[crate::office::read::RawTable], form: &Form, year: &YearFiles) -> Cover {
        let Some(label) = form.def.labels.get("date").map(|l| normalize(l)) else { return Cover::default() };
        for table in tables {
            let dated = table.cells.iter().find_map(|c| {
                normalize(&c.text).strip_prefix(label.as_str()).map(|d| d.trim_start_matches(':').to_string())
            });
            let Some(date) = dated.filter(|d| !d.is_empty()) else { continue };
            let first = table.cells.iter().filter(|c| !c.text.trim().is_empty()).min_by_key(|c| (c.row, c.col));
            let department = year.department.as_ref().map(|d| &d.spec);
            let default = department.map(|d| {
                let (year, name) = (d.year.value.to_string(), d.department.name.value.clone());
                crate::text::fill(&form.def.defaults.cover_title, &[("year", &year), ("department", &name)])
            });
            let title = first.map(|c| c.text.trim().to_string()).filter(|t| Some(t) != default.as_ref());
            return Cover { date: Some(date), title };
        }
        Cover::default()
    }
}
