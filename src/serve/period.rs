//! A period's files in the editor (`actuals/<period>/…`): the period read with the edited
//! text against the year's targets, the layout that puts each actual beside the target
//! it answers, the scores as the form computes them (so that the page shows them as the
//! clerk types), and the preview of the project's table (or the period's report).

use serde_json::{Value, json};

use crate::config::OutputFormat;
use crate::form::evaluation::FieldPlace;
use crate::model::actuals::{ACTUALS_DIR, INDICATOR_FIELDS, MONEY_COLUMN_LABELS, PERIOD_FILE};
use crate::pipeline::Prepared;
use crate::pipeline::period::period_at;
use crate::pipeline::preview::year_images;
use crate::serve::State;
use crate::serve::paths::SpecPath;
use crate::serve::preview::Preview;
use crate::spec::source::SpecSource;
use crate::validate::outputs::image_owner;

/// The period `spec` belongs to, prepared from `source` after its year.
pub fn prepare(state: &State, source: &dyn SpecSource, year: &Prepared, spec: &SpecPath) -> Option<Prepared> {
    let dir = spec.year_dir.join(ACTUALS_DIR).join(spec.period.as_deref()?);
    period_at(source, &state.setup.settings.workspace, year, &dir)
}

/// The index of the target project whose actuals `spec` is.
fn target_index(period: &Prepared, spec: &SpecPath) -> Option<usize> {
    period.files.projects.iter().position(|p| p.path.file_name() == spec.path.file_name())
}

/// The scores of the project whose actuals `spec` is, as printed: each indicator's points
/// and score (by target order), the execution rate and score, the total and the grade.
pub fn scores(period: &Prepared, spec: &SpecPath) -> Value {
    let (Some(found), Some(index)) = (&period.period, target_index(period, spec)) else { return Value::Null };
    let Some(evaluation) = found.checked.projects.get(index) else { return Value::Null };
    let scoring = period.form.as_ref().and_then(|f| f.def.evaluation.as_ref()).and_then(|d| d.scoring.as_ref());
    let print = |v: Option<rust_decimal::Decimal>| match (v, scoring) {
        (Some(v), Some(s)) => s.rounding.print(v),
        (Some(v), None) => crate::value::format_decimal(v),
        (None, _) => String::new(),
    };
    let rows: Vec<Value> = evaluation
        .rows
        .iter()
        .map(|r| {
            json!({
                "weight": if scoring.is_some() && r.applies { crate::value::format_decimal(r.weight) } else { String::new() },
                "score": print(r.score), "rule": print(r.rule), "applies": r.applies,
            })
        })
        .collect();
    json!({
        "rows": rows,
        "rate": crate::view::percent(evaluation.money.rate),
        "plan": crate::view::percent(evaluation.money.plan),
        "execution": print(evaluation.money.score),
        "total": print(evaluation.total),
        "grade": evaluation.grade.clone().unwrap_or_default(),
    })
}

/// The layout of an actuals file: its fields (for the generic parts of the page), the
/// target's indicators it answers, the form's money rows and columns, choices and labels.
pub fn layout(period: &Prepared, spec: &SpecPath) -> Option<Value> {
    let form = period.form.as_ref()?;
    if spec.path.file_name().is_some_and(|n| n == PERIOD_FILE) {
        return None;
    }
    let index = target_index(period, spec)?;
    let target = &period.files.projects.get(index)?.spec;
    let def = form.def.evaluation.as_ref()?;
    let monitoring = def.monitoring.as_ref();
    let scoring = def.scoring.as_ref();
    let year_end = form.def.kind != crate::form::FormKind::Monitoring;
    let columns: Vec<Value> = def
        .money_columns
        .iter()
        .map(|c| {
            let label = MONEY_COLUMN_LABELS.iter().find(|(k, _)| k == c).map(|(_, l)| *l).unwrap_or_default();
            json!({ "key": c, "label": label })
        })
        .collect();
    let mut fields: Vec<Value> = INDICATOR_FIELDS
        .iter()
        .filter(|f| if year_end { f.year_end } else { f.monitoring })
        .map(|f| json!({ "key": f.key, "label": f.short_label() }))
        .collect();
    let own = |place| -> Vec<Value> {
        def.fields_on(place).map(|f| json!({ "key": f.key, "label": f.label, "own": true })).collect()
    };
    fields.extend(own(FieldPlace::Indicator));
    Some(json!({
        "kind": "actuals",
        "form": form.name,
        "form_title": form.def.name,
        "landscape": form.def.landscape,
        "monitoring": !year_end,
        "targets": target.indicators.iter().enumerate().map(|(k, i)| {
            let value = period.checked.projects.get(index).and_then(|f| f.values.get(k).cloned().flatten());
            let qualitative = i.declared_qualitative() || matches!(value, None | Some(crate::value::IndicatorValue::Qualitative(_)));
            json!({
                "level1": i.level1.value, "level2": i.level2.value, "name": i.name.value, "value": i.value.value,
                "qualitative": qualitative,
                "direction": value.as_ref().and_then(crate::score::Direction::of).map(crate::score::Direction::word),
                // A bare amount (`25 万元`) is scored as 等于 unless told (W0506): ask.
                "ask_direction": matches!(&value, Some(crate::value::IndicatorValue::Quantity { cmp: crate::value::Cmp::Eq, unit: Some(u), .. }) if crate::value::is_money_unit(u)),
            })
        }).collect::<Vec<_>>(),
        "goal": target.text("goal").map(|t| t.value.clone()).unwrap_or_default(),
        "project": { "code": target.code.value, "name": target.name.value },
        "money_rows": def.money_rows,
        "money_columns": columns,
        "indicator_fields": fields,
        "project_fields": own(FieldPlace::Project),
        "grades": scoring.map(|s| s.qualitative.iter().map(|b| b.grade.clone()).collect::<Vec<_>>()).unwrap_or_default(),
        "directions": crate::score::Direction::WORDS,
        "causes": monitoring.map(|m| m.causes.clone()).unwrap_or_default(),
        "likelihoods": monitoring.map(|m| m.likelihoods.clone()).unwrap_or_default(),
        "reason_chars": scoring.and_then(|s| s.reasons.max_chars),
    }))
}

/// The preview of a period file: its project's table (typeset alone: the other tables and
/// the report are left out of the run), or (for `period.yaml`) the period's report.
pub fn preview(state: &State, period: &mut Prepared, spec: &SpecPath) -> Preview {
    let none = |why: &str| Preview::none(why);
    let Some(names) = &period.checked.outputs else {
        return none("本期的表样或目标有错误，改正后显示预览");
    };
    let wanted = match target_index(period, spec) {
        Some(index) if period.checked.projects.get(index).is_some_and(|p| p.ok) => names.projects[index].clone(),
        Some(_) => return none("这个项目的实际数据或目标有错误，改正后显示预览"),
        None if spec.path.file_name().is_some_and(|n| n == PERIOD_FILE) => names.report.clone(),
        None => return none("projects/ 中没有与这个文件同名的项目"),
    };
    let setup = &state.setup;
    // One project's table: the others are not typeset, nor the report (restored after).
    let narrowed = target_index(period, spec).map(|index| {
        let kept: Vec<bool> = period.checked.projects.iter().map(|p| p.ok).collect();
        for (i, facts) in period.checked.projects.iter_mut().enumerate() {
            facts.ok &= i == index;
        }
        (kept, std::mem::replace(&mut period.checked.blocked, true))
    });
    let (mut images, _) = year_images(
        period,
        &setup.settings.workspace,
        &setup.typesetter,
        setup.prefs.clone(),
        OutputFormat::Svg,
        setup.settings.ppi,
    );
    if let Some((kept, blocked)) = narrowed {
        for (facts, ok) in period.checked.projects.iter_mut().zip(kept) {
            facts.ok = ok;
        }
        period.checked.blocked = blocked;
    }
    images.retain(|(name, _)| image_owner(name).as_deref() == Some(wanted.as_str()));
    images.sort_by_key(|(name, _)| crate::pipeline::preview::page_number(name));
    if images.is_empty() {
        return none("本期有错误，改正后显示预览");
    }
    Preview::of(images.into_iter().map(|(_, b)| b).collect())
}
