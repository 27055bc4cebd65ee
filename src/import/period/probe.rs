//! The period probe: a self-evaluation or monitoring table whose every printed value is
//! a marker (`⟦goal⟧`, `⟦money.fiscal.spent⟧`, `⟦i.actual⟧`, `⟦i.reason⟧`), with one
//! indicator row. Printed by the form's own table template into a grid, it shows where
//! each figure of an actuals file is, beside which row label and under which column
//! label. Values the table works out (totals, rates, points, the grade) and the target's
//! texts are marked too, under `derived.`/`target.`, so that they are known and skipped.

use std::collections::BTreeMap;

use crate::form::Form;
use crate::form::evaluation::FieldPlace;
use crate::import::probe::{CLOSE, OPEN};
use crate::view::{EvaluationView, GroupRows, LevelRows, MoneyRowView, MoneyView, RowView};

/// The marker of `path`.
fn mark(path: &str) -> String {
    format!("{OPEN}{path}{CLOSE}")
}

/// The money columns an actuals file may hold, by key.
const COLUMNS: [&str; 4] = ["budget", "adjusted", "spent", "forecast"];

fn money_row(label: &str, key: &str) -> MoneyRowView {
    let at = |column: &str| mark(&format!("money.{key}.{column}"));
    MoneyRowView {
        label: label.to_string(),
        budget: at(COLUMNS[0]),
        adjusted: at(COLUMNS[1]),
        spent: at(COLUMNS[2]),
        forecast: at(COLUMNS[3]),
        rate: mark("derived.rate"),
    }
}

/// The form's own fields at `place`, each holding its marker under `prefix`.
fn own(form: &Form, place: FieldPlace, prefix: &str) -> BTreeMap<String, String> {
    let def = form.def.evaluation.as_ref();
    def.map(|d| d.fields_on(place).map(|f| (f.key.clone(), mark(&format!("{prefix}{}", f.key)))).collect())
        .unwrap_or_default()
}

/// The probe table of `form` for the monitoring month `month`.
pub fn view(form: &Form, month: Option<u32>) -> EvaluationView {
    let def = form.def.evaluation.as_ref();
    let money_total = form.def.labels.get("money_total").cloned().unwrap_or_default();
    let monitoring = def.and_then(|d| d.monitoring.as_ref());
    let row = RowView {
        name: mark("i.name"),
        target: mark("target.value"),
        nature: mark("target.nature"),
        number: mark("target.number"),
        unit: mark("target.unit"),
        actual: mark("i.actual"),
        forecast: mark("i.forecast"),
        weight: mark("i.weight"),
        score: mark("i.score"),
        applies: true,
        reason: mark("i.reason"),
        measure: mark("i.measure"),
        score_reason: mark("i.score_reason"),
        causes: monitoring.map(|m| vec![false; m.causes.len()]).unwrap_or_default(),
        likelihood: monitoring.map(|m| vec![false; m.likelihoods.len()]).unwrap_or_default(),
        note: mark("i.note"),
        extra: own(form, FieldPlace::Indicator, "i.x."),
    };
    EvaluationView {
        title: form.def.title.clone(),
        code: "probe".into(),
        name: mark("name"),
        competent: mark("target.competent"),
        implementing: mark("target.implementing"),
        month: month.map(|m| m.to_string()).unwrap_or_default(),
        money: MoneyView {
            total: money_row(&money_total, "total"),
            rows: def.map(|d| d.money_rows.iter().map(|r| money_row(&r.label, &r.key)).collect()).unwrap_or_default(),
            points: mark("derived.points"),
            score: mark("derived.score"),
            rate: mark("derived.rate"),
            plan: mark("derived.plan"),
            reason: mark("money_reason"),
        },
        goal: mark("target.goal"),
        goal_actual: mark("goal"),
        levels: vec![LevelRows {
            label: mark("i.level1"),
            points: String::new(),
            span: 1,
            groups: vec![GroupRows { label: mark("i.level2"), rows: vec![row] }],
        }],
        rows: 1,
        points: mark("derived.points"),
        total: mark("derived.total"),
        grade: mark("derived.grade"),
        conclusion: mark("conclusion"),
        problems: mark("problems"),
        measures: mark("measures"),
        pages: 1,
        extra: own(form, FieldPlace::Project, "x."),
    }
}
