//! A form's own fields (e.g. 指标方向性, 项目负责人及电话): each value checked against the
//! type the form declares (E0320), texts like every other text.

use crate::diag::rules;
use crate::form::fields::Field;
use crate::model::Text;
use crate::model::catalog::FieldType;
use crate::validate::{FileCheck, Glyphs, text};
use crate::value::{amount, is_money_unit, parse_date, parse_date_range, parse_number};

/// Checks the form's own fields written in one project or indicator.
pub fn check(file: &mut FileCheck, written: &[(Text, Text)], fields: &[Field], fonts: Option<&dyn Glyphs>) {
    for (key, value) in written {
        if let Some(field) = fields.iter().find(|f| f.key == key.value) {
            check_one(file, field, value, fonts);
        }
    }
}

/// Checks one of the form's own fields: as a text, then by its declared type.
pub fn check_one(file: &mut FileCheck, field: &Field, value: &Text, fonts: Option<&dyn Glyphs>) {
    text::check(file, &field.key, value, field.required, fonts);
    typed(file, field, value);
}

/// Checks a value against its field's declared type (for a built-in text declared a
/// choice, too).
pub fn typed(file: &mut FileCheck, field: &Field, value: &Text) {
    let v = value.value.as_str();
    if v.is_empty() {
        return;
    }
    if let Some(why) = problem(field, v) {
        file.report(&rules::E0320, value, format!("“{}”（{}）{why}", field.label, field.key)).set_hint(hint(field));
    }
}

/// Why `v` is not a value of `field`'s type; `None` when it is.
fn problem(field: &Field, v: &str) -> Option<String> {
    let ok = match field.kind {
        FieldType::Text | FieldType::FreeText | FieldType::Quantity | FieldType::Block | FieldType::Rows => true,
        FieldType::Money => {
            amount(v).is_ok_and(|(n, unit)| !n.is_sign_negative() && unit.is_none_or(|u| is_money_unit(&u)))
        }
        FieldType::Percent => parse_number(v.trim_end_matches(['%', '％']).trim_end())
            .is_ok_and(|n| !n.is_sign_negative() && n <= rust_decimal::Decimal::ONE_HUNDRED),
        FieldType::Number => parse_number(v).is_ok(),
        FieldType::Date => parse_date(v).is_some(),
        FieldType::DateRange => parse_date_range(v).is_some(),
        FieldType::Choice => field.choices.iter().any(|c| c == v),
    };
    (!ok).then(|| format!("应是{}，写的是“{v}”", field.kind.describe()))
}

fn hint(field: &Field) -> String {
    match field.kind {
        FieldType::Money => "请写金额，可带单位，例如 250、250万、12.5 万元".into(),
        FieldType::Percent => "请写 0–100 之间的数字，可带 %，例如 95%".into(),
        FieldType::Number => "请写数字，例如 10 或 12.5".into(),
        FieldType::Date => "请写日期，例如 2024-03、2024.03、2024年3月".into(),
        FieldType::DateRange => "请写两个日期，例如 2024-01 至 2026-12、2023.07-2024.01".into(),
        FieldType::Choice => format!("可选的值：{}", field.choices.join("、")),
        _ => String::new(),
    }
}
