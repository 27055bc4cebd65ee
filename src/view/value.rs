//! A 指标值 taken apart for the templates.

use serde::Serialize;

use crate::model::catalog::FieldType;
use crate::value::{Cmp, IndicatorValue, format_decimal};

/// A 指标值 taken apart, for forms that print its parts in columns of their own (指标性质,
/// 指标值, 度量单位). Every part is "" where it does not apply.
#[derive(Serialize, Clone, Default, Debug, PartialEq, Eq)]
pub struct ValueView {
    /// `quantity` (a number), `range` (two), `qualitative` (a word such as 完成),
    /// `text` (the form prints values as written), or "" (blank or not understood).
    pub kind: String,
    /// 定量 or 定性 ("" for `text` and blanks).
    pub value_type: String,
    /// The comparison: `=`, `≥`, `≤`, `>`, `<` ("" unless a quantity).
    pub cmp: String,
    /// The number, exact ("" unless a quantity).
    pub number: String,
    /// The ends of a range.
    pub low: String,
    /// The upper end of a range.
    pub high: String,
    /// The unit (`%`, `万元`, `件`), "" when none.
    pub unit: String,
    /// For a change against a baseline (`较上年增长 15%`), its words before the amount
    /// (`较上年增长`); the other parts are then those of the amount (15, %). "" otherwise.
    pub change: String,
}

/// The amount of a change written back as a value (`50%`, `20%以上`, `5%-10%`).
fn by_text(by: &IndicatorValue) -> String {
    match by {
        IndicatorValue::Quantity { cmp, number, unit } => {
            let suffix = match cmp {
                Cmp::Ge => "以上",
                Cmp::Le => "以下",
                _ => "",
            };
            format!("{}{}{suffix}", format_decimal(*number), unit.as_deref().unwrap_or(""))
        }
        IndicatorValue::Range { low, high, unit } => {
            let unit = unit.as_deref().unwrap_or("");
            format!("{}{unit}-{}{unit}", format_decimal(*low), format_decimal(*high))
        }
        _ => String::new(),
    }
}

impl ValueView {
    /// A qualitative value (定性): no parts.
    pub fn qualitative() -> ValueView {
        ValueView { kind: "qualitative".into(), value_type: "定性".into(), ..ValueView::default() }
    }

    /// Takes a value apart the way the form reads values.
    pub fn of(value: &str, reading: FieldType) -> ValueView {
        if reading == FieldType::Text {
            return ValueView { kind: "text".into(), ..ValueView::default() };
        }
        let cmp = |c: Cmp| match c {
            Cmp::Eq => "=",
            Cmp::Ge => "≥",
            Cmp::Le => "≤",
            Cmp::Gt => ">",
            Cmp::Lt => "<",
        };
        match IndicatorValue::parse(value) {
            Ok(IndicatorValue::Quantity { cmp: c, number, unit }) => ValueView {
                kind: "quantity".into(),
                value_type: "定量".into(),
                cmp: cmp(c).into(),
                number: format_decimal(number),
                unit: unit.unwrap_or_default(),
                ..ValueView::default()
            },
            Ok(IndicatorValue::Range { low, high, unit }) => ValueView {
                kind: "range".into(),
                value_type: "定量".into(),
                low: format_decimal(low),
                high: format_decimal(high),
                unit: unit.unwrap_or_default(),
                ..ValueView::default()
            },
            // A change prints as written; its parts are the amount of the change.
            Ok(IndicatorValue::Change { by, .. }) => {
                let amount = by_text(&by);
                let words = value.trim().split(|c: char| c.is_ascii_digit()).next().unwrap_or("").trim();
                ValueView { change: words.to_string(), ..ValueView::of(&amount, reading) }
            }
            Ok(IndicatorValue::Qualitative(word)) if !word.is_empty() => ValueView::qualitative(),
            _ => ValueView::default(),
        }
    }
}
