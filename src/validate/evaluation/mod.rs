//! Checking a period's actual figures against the targets they answer, and scoring
//! them by the form's rules: every actuals file belongs to a target project, every
//! indicator of the target is answered once, numbers parse, weights add up, scores lie
//! where the rules put them, and reasons are given where the form wants them. The
//! scores found here are what the tables print ([`Evaluation`]).

mod money;
mod monitoring;
mod rows;
mod weighing;

use std::path::Path;

use rust_decimal::Decimal;

use super::{Checked, FileCheck, retain_allowed};
use crate::diag::{Diagnostic, rules};
use crate::form::{Form, FormKind};
use crate::model::actuals::ActualsSpec;
use crate::spec::actuals::PeriodFiles;
use crate::spec::year::{Loaded, YearFiles};

pub use money::{MoneyFacts, MoneyLine};
pub use rows::RowFacts;

/// What checking a period found.
#[derive(Debug, Default)]
pub struct PeriodChecked {
    /// Every problem of the period's files.
    pub diagnostics: Vec<Diagnostic>,
    /// The monitoring month (1-X月), for a monitoring form.
    pub month: Option<u32>,
    /// Per target project (parallel to `YearFiles::projects`).
    pub projects: Vec<Evaluation>,
}

/// One project's evaluation.
#[derive(Debug, Default, Clone)]
pub struct Evaluation {
    /// Whether it may be printed: its target and its actuals have no error.
    pub ok: bool,
    /// Its actuals file: an index into `PeriodFiles::actuals`.
    pub actuals: Option<usize>,
    /// The money block.
    pub money: MoneyFacts,
    /// One per indicator of the target, in the target's order.
    pub rows: Vec<RowFacts>,
    /// The total of the printed scores (a self-evaluation).
    pub total: Option<Decimal>,
    /// The grade of the total (优, 良, 中, 差).
    pub grade: Option<String>,
}

/// What every project's check needs to know of the period.
pub(crate) struct PeriodContext<'a> {
    pub(crate) form: &'a Form,
    pub(crate) kind: FormKind,
    pub(crate) month: Option<u32>,
    pub(crate) allow: Vec<String>,
}

/// Checks a period's files against the year's targets and the period's form.
pub fn check_period(year: &YearFiles, targets: &Checked, period: &PeriodFiles, form: &Form) -> PeriodChecked {
    let mut checked = PeriodChecked { diagnostics: period.diagnostics.clone(), ..PeriodChecked::default() };
    // A file that cannot be read blocks itself: `period.yaml` (or the folder) the whole
    // period, an actuals file its own project only.
    let read_errors = |path: &Path| period.diagnostics.iter().any(|d| d.is_error() && d.file == path);
    let mut period_ok = !period
        .diagnostics
        .iter()
        .any(|d| d.is_error() && !period.actuals.iter().any(|a| a.path == d.file) && !period.broken.contains(&d.file));
    let mut allow = Vec::new();
    if let Some(loaded) = &period.period {
        let mut file = FileCheck::new(&loaded.path, &loaded.text);
        checked.month = check_month(&mut file, loaded, form.def.kind);
        allow = loaded.spec.allow.iter().map(|a| a.value.clone()).collect();
        period_ok &= !file.has_errors();
        checked.diagnostics.append(&mut file.diagnostics);
    }
    let context = PeriodContext { form, kind: form.def.kind, month: checked.month, allow };
    // Files matched by name through maps, not by scanning (a province has thousands).
    let targets_named: std::collections::HashSet<_> = year.projects.iter().filter_map(|p| p.path.file_name()).collect();
    let actuals_named: std::collections::HashMap<_, usize> =
        period.actuals.iter().enumerate().filter_map(|(i, a)| a.path.file_name().map(|n| (n, i))).collect();
    for loaded in &period.actuals {
        if !loaded.path.file_name().is_some_and(|n| targets_named.contains(n)) {
            let names: Vec<String> =
                year.projects.iter().filter_map(|p| p.path.file_name()).map(|n| n.to_string_lossy().into()).collect();
            let mut d = Diagnostic::new(
                &rules::E0501,
                &loaded.path,
                None,
                format!("projects/ 中没有与 {} 同名的项目规格", file_name(&loaded.path)),
            );
            if let Some(near) = crate::suggest::closest(&file_name(&loaded.path), names.iter().map(String::as_str)) {
                d.set_hint(format!("是不是 {near}？实际数据文件与 projects/ 中的项目文件同名"));
            }
            checked.diagnostics.push(d);
        }
    }
    for (index, target) in year.projects.iter().enumerate() {
        let target_ok = targets.department_ok && targets.projects.get(index).is_some_and(|f| f.ok);
        let Some(&position) = target.path.file_name().and_then(|n| actuals_named.get(n)) else {
            if !period.broken_for(&target.path) {
                checked.diagnostics.push(
                    Diagnostic::new(
                        &rules::E0502,
                        &period.dir.join(file_name(&target.path)),
                        None,
                        format!("项目 {}（{}）还没有本期的实际数据", target.spec.code.value, target.spec.name.value),
                    )
                    .with_hint("可用 jixiao init 按目标规格生成全部项目的实际数据文件，再逐项填写"),
                );
            }
            checked.projects.push(Evaluation::default());
            continue;
        };
        let actuals = &period.actuals[position];
        let facts = targets.projects.get(index).cloned().unwrap_or_default();
        let mut file = FileCheck::new(&actuals.path, &actuals.text);
        let mut evaluation = check_project(&mut file, target, &facts, actuals, &context);
        let allowed: Vec<&str> = actuals
            .spec
            .allow
            .iter()
            .map(|a| a.value.as_str())
            .chain(context.allow.iter().map(String::as_str))
            .collect();
        retain_allowed(&mut file.diagnostics, &allowed);
        evaluation.actuals = Some(position);
        evaluation.ok = period_ok && target_ok && !file.has_errors() && !read_errors(&actuals.path);
        checked.diagnostics.append(&mut file.diagnostics);
        checked.projects.push(evaluation);
    }
    checked
        .diagnostics
        .sort_by(|a, b| (&a.file, a.span.as_ref().map(|s| s.start)).cmp(&(&b.file, b.span.as_ref().map(|s| s.start))));
    checked
}

/// One project's actuals against its target.
fn check_project(
    file: &mut FileCheck,
    target: &Loaded<crate::model::ProjectSpec>,
    facts: &super::ProjectFacts,
    actuals: &Loaded<ActualsSpec>,
    context: &PeriodContext,
) -> Evaluation {
    let evaluation_def = context.form.def.evaluation.as_ref();
    if let Some(def) = evaluation_def {
        own_fields(file, &actuals.spec, def);
    }
    let money = evaluation_def.map(|def| money::check(file, &actuals.spec, def, context)).unwrap_or_default();
    let mut evaluation = Evaluation { money, ..Evaluation::default() };
    let matched = rows::match_rows(file, target, &actuals.spec);
    match context.kind {
        FormKind::SelfEvaluation => {
            if let Some(scoring) = evaluation_def.and_then(|d| d.scoring.as_ref()) {
                evaluation.rows = rows::score(file, target, facts, &actuals.spec, &matched, scoring);
                money::score(file, &actuals.spec, &mut evaluation.money, scoring);
                if evaluation.rows.iter().all(|r| !r.applies || r.score.is_some()) && !file.has_errors() {
                    let printed = evaluation.rows.iter().filter_map(|r| r.score.as_ref());
                    let total = crate::score::total::total(printed.chain(evaluation.money.score.as_ref()));
                    evaluation.grade = crate::score::total::grade(&scoring.grades, total).map(|g| g.label.clone());
                    evaluation.total = Some(total);
                }
            }
        }
        FormKind::Monitoring => {
            if let Some(rules) = evaluation_def.and_then(|d| d.monitoring.as_ref()) {
                evaluation.rows = monitoring::check_rows(file, target, facts, &actuals.spec, &matched, rules);
                monitoring::check_progress(file, target, actuals, &mut evaluation.money, context.month, rules);
            }
        }
        FormKind::Targets => {}
    }
    evaluation
}

/// Keys beyond the catalog's must be the form's own fields (E0103 with the nearest
/// key otherwise).
fn own_fields(file: &mut FileCheck, spec: &ActualsSpec, def: &crate::form::EvaluationDef) {
    use crate::form::evaluation::FieldPlace;
    use crate::model::actuals::{INDICATOR_FIELDS, PROJECT_FIELDS};
    let places = [(FieldPlace::Project, PROJECT_FIELDS, vec![&spec.extra])];
    let indicators = (FieldPlace::Indicator, INDICATOR_FIELDS, spec.indicators.iter().map(|i| &i.extra).collect());
    for (place, catalog, written) in places.into_iter().chain([indicators]) {
        let declared: Vec<(&str, &str)> = def.fields_on(place).map(|f| (f.key.as_str(), f.label.as_str())).collect();
        let expected: Vec<(&str, &str)> =
            catalog.iter().map(|f| (f.key, f.short_label())).chain(declared.iter().copied()).collect();
        for (key, _) in written.into_iter().flatten() {
            if !declared.iter().any(|(k, _)| *k == key.value) {
                let span = Some(file.span(key));
                file.diagnostics.push(crate::yaml::unknown_among(file.path, span, &key.value, &expected));
            }
        }
    }
}

/// The monitoring month of `period.yaml`: required (1–12) for a monitoring form.
fn check_month(
    file: &mut FileCheck,
    loaded: &Loaded<crate::model::actuals::PeriodSpec>,
    kind: FormKind,
) -> Option<u32> {
    let spec = &loaded.spec;
    match (kind, &spec.month) {
        (FormKind::Monitoring, None) => {
            file.report(&rules::E0512, &spec.form, "监控表需要写明监控到几月（month: 7 表示 1-7 月）");
            None
        }
        (FormKind::Monitoring, Some(month)) if !(1..=12).contains(&month.value) => {
            file.report(&rules::E0512, month, format!("监控月份 {} 不在 1–12 之间", month.value));
            None
        }
        (FormKind::Monitoring, Some(month)) => Some(month.value),
        (FormKind::SelfEvaluation, Some(month)) => {
            file.report(&rules::E0512, month, "自评表是年度结束后的评价，不写监控月份（month）")
                .set_hint("删除 month 一行；期中监控请另建一个用监控表样的目录");
            None
        }
        (FormKind::Targets, _) => {
            file.report(&rules::E0512, &spec.form, format!("表样 {} 是绩效目标表，不能打印实际数据", spec.form.value))
                .set_hint("请写自评表或监控表的表样（jixiao forms 列出全部表样）");
            None
        }
        (FormKind::SelfEvaluation, None) => None,
    }
}

/// A path's file name, for messages.
fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}
