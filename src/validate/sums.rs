//! E0321: a total the clerk writes equals the exact sum of its parts, where the form
//! declares one (`sums`).

use crate::diag::rules;
use crate::form::Form;
use crate::model::ProjectSpec;
use crate::validate::FileCheck;
use crate::value;

/// A total the clerk writes equals the sum of its parts, when the form declares one.
pub fn check(file: &mut FileCheck, spec: &ProjectSpec, form: &Form) {
    for sum in &form.def.sums {
        let Some((_, written)) = spec.texts.iter().find(|(k, _)| k.value == sum.key) else { continue };
        let Ok((total, _)) = value::amount(written.value.as_str()) else { continue };
        let Some(expected) = spec.sum_money(&sum.parts) else { continue };
        if total != expected {
            let label = form.fields.project_field(&sum.key).map(|f| f.label.clone()).unwrap_or(sum.key.clone());
            let parts: Vec<String> = sum
                .parts
                .iter()
                .map(|p| {
                    let name = form.fields.project_field(p).map(|f| f.label.clone()).unwrap_or_else(|| {
                        crate::model::catalog::describe(p.rsplit('.').next().unwrap_or(p)).to_string()
                    });
                    format!("{name} {}", spec.money_field(p).unwrap_or("0"))
                })
                .collect();
            file.report(
                &rules::E0321,
                written,
                format!(
                    "“{label}”写的是 {}，但各项之和是 {}（{}）",
                    written.value.as_str(),
                    value::format_decimal(expected),
                    parts.join(" + ")
                ),
            )
            .set_hint("请核对各项金额和合计，使合计等于各项之和");
        }
    }
}
