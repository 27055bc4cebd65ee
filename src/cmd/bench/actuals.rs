//! Year-end actual figures for the synthetic corpus: a `year-end` period of the central
//! self-evaluation form in every department, one actuals file per project answering
//! every indicator (most in full, every fourth quantitative one a tenth short with its
//! reason, qualitative ones graded and scored in their band, cost rows 反向). Weights are
//! left to the form's split, as a clerk would; a qualitative score is the row's points,
//! worked out with the form's own rules.

use std::fs;
use std::io;
use std::path::Path;

use rust_decimal::Decimal;

use super::synth::Corpus;
use crate::form::Form;
use crate::model::actuals::{ACTUALS_DIR, PERIOD_FILE};
use crate::score::weights::{Row, weigh};
use crate::value::{IndicatorValue, format_decimal};

/// The form the synthetic periods are printed with.
pub const FORM: &str = "central-evaluation-2020";
/// Their folder.
pub const PERIOD: &str = "year-end";

/// Writes the year-end actuals of every project of the corpus.
pub fn write(corpus: &Corpus, form: &Form) -> io::Result<()> {
    let scoring =
        form.def.evaluation.as_ref().and_then(|d| d.scoring.as_ref()).ok_or_else(|| io::Error::other("no scoring"))?;
    for year in &corpus.years {
        let dir = year.join(ACTUALS_DIR).join(PERIOD);
        fs::create_dir_all(&dir)?;
        fs::write(dir.join(PERIOD_FILE), format!("form: {FORM}\ndate: 2025-03-20\n"))?;
    }
    for (index, (year, file, drawn)) in corpus.projects.iter().enumerate() {
        let rows: Vec<Row> =
            drawn.iter().map(|(level1, _, _)| Row { level1, written: None, applicable: true }).collect();
        let weights = weigh(scoring, &rows).map_err(|p| io::Error::other(format!("{p:?}")))?;
        let budget = Decimal::from(20 + (index * 37) % 480);
        let spent = (budget * Decimal::new(96, 2)).round_dp(2);
        let mut text = format!(
            "money:\n  fiscal: {{ budget: {budget}, adjusted: {budget}, spent: {spent} }}\ngoal: 全年目标基本完成，个别指标因客观原因略有差距。\nindicators:\n"
        );
        let mut quantitative = 0;
        for ((level1, name, value), weight) in drawn.iter().zip(&weights.rows) {
            text.push_str(&format!("  - name: {name}\n"));
            match IndicatorValue::parse(value) {
                Ok(IndicatorValue::Quantity { number, unit, .. }) => {
                    quantitative += 1;
                    let unit = unit.map(|u| format!(" {u}")).unwrap_or_default();
                    let short = quantitative % 4 == 0;
                    let cost = *level1 == "产出指标" && unit.contains('元');
                    let actual = if short && !cost { (number * Decimal::new(9, 1)).round_dp(2) } else { number };
                    text.push_str(&format!("    actual: {}{unit}\n", format_decimal(actual)));
                    if cost {
                        text.push_str("    direction: 反向\n");
                    }
                    if short && !cost {
                        text.push_str(
                            "    reason: 受年中政策调整影响，完成量略低于年初目标。\n    measure: 加强进度调度。\n",
                        );
                    }
                }
                _ => {
                    text.push_str(&format!("    actual: 达成年度指标\n    score: {}\n", format_decimal(*weight)));
                }
            }
        }
        fs::write(year.join(ACTUALS_DIR).join(PERIOD).join(file), text)?;
    }
    Ok(())
}

/// Edits one project's actuals as a clerk would (a figure corrected) and returns its path.
pub fn edit_one(year: &Path) -> io::Result<std::path::PathBuf> {
    let dir = year.join(ACTUALS_DIR).join(PERIOD);
    let mut files: Vec<_> =
        fs::read_dir(&dir)?.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| !p.ends_with(PERIOD_FILE)).collect();
    files.sort();
    let path = files.first().cloned().ok_or_else(|| io::Error::other("no actuals"))?;
    let text = fs::read_to_string(&path)?;
    fs::write(&path, text.replacen("goal: 全年目标基本完成", "goal: 全年目标已经完成", 1))?;
    Ok(path)
}
