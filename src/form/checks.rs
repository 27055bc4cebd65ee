//! What `form.yaml` must hold together: each 一级 and 二级 label declared once, sums of
//! money fields the form has, a known source of the summary amount, distinct table keys.

use std::path::Path;

use super::{AMOUNT_FROM_COST_ROWS, AMOUNT_FROM_FUNDS, FormDef, fields};
use crate::diag::{Diagnostic, rules};

/// Checks that each 一级 label is declared once and each 二级 label under one 一级 only:
/// a label declared twice would print its indicators twice, or under the wrong 一级. The
/// error points at the second declaration.
pub(super) fn check_levels(def: &FormDef, path: &Path, text: &str) -> Result<(), Diagnostic> {
    let mut seen: Vec<&str> = Vec::new();
    let mut slots: Vec<(&str, &str)> = Vec::new();
    let twice = |label: &str, message: String| {
        // The second place the label is written.
        let span = text.match_indices(label).nth(1).map(|(at, _)| at..at + label.len());
        Diagnostic::new(&rules::E0202, path, span, message).with_hint("每个一级、二级指标在 levels 中只能写一次")
    };
    for level in &def.levels {
        let label = level.label.trim();
        if label.is_empty() {
            return Err(Diagnostic::new(&rules::E0202, path, None, "levels 中有一项没有写一级指标名称（label）"));
        }
        if seen.contains(&label) {
            return Err(twice(label, format!("一级指标“{label}”在 levels 中写了两次")));
        }
        seen.push(label);
        for slot in &level.slots {
            let slot = slot.trim();
            if let Some((_, first)) = slots.iter().find(|(s, _)| *s == slot) {
                let message = if *first == label {
                    format!("二级指标“{slot}”在一级指标“{label}”下写了两次")
                } else {
                    format!("二级指标“{slot}”既在“{first}”下，又在“{label}”下")
                };
                return Err(twice(slot, message));
            }
            slots.push((slot, label));
        }
    }
    Ok(())
}

/// Checks that the form's sums add money fields it has, and that its tables have keys.
pub(super) fn check_blocks(def: &FormDef, fields: &fields::FormFields) -> Result<(), String> {
    for sum in &def.sums {
        for part in &sum.parts {
            let builtin = ["funds.fiscal", "funds.other", "funds.carryover"].contains(&part.as_str())
                && fields.has_project("funds");
            let own = fields
                .project_field(part)
                .is_some_and(|f| !f.builtin && f.kind == crate::model::catalog::FieldType::Money);
            if !builtin && !own {
                return Err(format!(
                    "sums 中 {} 的组成部分 {part} 不是本表样的金额字段（funds.fiscal、funds.other、funds.carryover，或 type: money 的字段）",
                    sum.key
                ));
            }
        }
    }
    match def.amount_from.as_deref() {
        None | Some(AMOUNT_FROM_COST_ROWS) => {}
        Some(AMOUNT_FROM_FUNDS) if fields.has_project("funds") => {}
        Some(key)
            if fields
                .project_field(key)
                .is_some_and(|f| !f.builtin && f.kind == crate::model::catalog::FieldType::Money) => {}
        Some(key) => {
            return Err(format!(
                "amount_from: {key} 不是预算金额可以取自的地方：应是 cost_rows（成本指标）、funds（资金情况）或本表样 type: money 的字段"
            ));
        }
    }
    let mut keys: Vec<&str> = def.indicator_tables.iter().map(|t| t.key.as_str()).collect();
    keys.sort_unstable();
    if keys.windows(2).any(|w| w[0] == w[1]) || keys.iter().any(|k| k.trim().is_empty()) {
        return Err("indicator_tables 中每张表要有不同的 key".into());
    }
    Ok(())
}
