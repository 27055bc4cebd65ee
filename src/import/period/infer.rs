//! A printed table shows results; an actuals file holds what they are made from. The
//! rows' weights, directions and scores are written only where the form's rules do not
//! give what was printed: the drafts are scored as `check` scores them, and a figure is
//! added where the printed one differs — a weight (the row furthest from its 一级's split
//! first, until the split gives the rest), a direction for a bare target (`25 万元`), and
//! last a score (a qualitative row's always: the rules give none).

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::draft::Draft;
use crate::form::Form;
use crate::model::actuals::PeriodSpec;
use crate::spec::actuals::{PeriodFiles, parse_actuals};
use crate::spec::year::{Loaded, YearFiles};
use crate::validate::Checked;
use crate::validate::evaluation::{Evaluation, check_period};
use crate::value::{Cmp, IndicatorValue};

/// A printed number (`12.50`, `１２．５`) as a decimal.
pub fn number(text: &str) -> Option<Decimal> {
    Decimal::from_str(&crate::import::half_width(text).replace([',', '，'], "")).ok()
}

/// How the drafts are scored: the year's targets and the period they are read into.
pub struct Scorer<'a> {
    /// The form.
    pub form: &'a Form,
    /// The year's files.
    pub year: &'a YearFiles,
    /// The targets as checked.
    pub targets: &'a Checked,
    /// The period folder.
    pub dir: &'a Path,
    /// The text of its `period.yaml`.
    pub period: String,
}

impl Scorer<'_> {
    /// The evaluations of the drafts `which`, as `check` would find them.
    fn score(&self, drafts: &[Draft], which: &[usize]) -> Vec<Evaluation> {
        let path = self.dir.join(crate::model::actuals::PERIOD_FILE);
        let period = crate::yaml::parse::<PeriodSpec>(&path, &self.period).ok().map(|spec| Loaded {
            path,
            text: self.period.clone(),
            spec,
            complete: true,
        });
        let actuals = which
            .iter()
            .filter_map(|&d| {
                let (path, text) = (self.dir.join(&drafts[d].file), drafts[d].text(self.form));
                parse_actuals(&path, &text).ok().map(|spec| Loaded { path, text, spec, complete: true })
            })
            .collect();
        let name = self.dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let files = PeriodFiles { dir: self.dir.to_path_buf(), name, period, actuals, ..PeriodFiles::default() };
        let checked = check_period(self.year, self.targets, &files, self.form);
        which.iter().map(|&d| checked.projects.get(drafts[d].target).cloned().unwrap_or_default()).collect()
    }

    /// Scores the drafts `which` again into `facts`.
    fn rescore(&self, drafts: &[Draft], which: &[usize], facts: &mut [Evaluation]) {
        for (&d, evaluation) in which.iter().zip(self.score(drafts, which)) {
            facts[d] = evaluation;
        }
    }

    /// Adds the weights, directions and scores the printed tables need. (Where the actual
    /// equals a bare target every direction prints the same score: none is written, and
    /// `check` asks for one, W0506.)
    pub fn settle(&self, drafts: &mut [Draft]) {
        let Some(scoring) = self.form.def.evaluation.as_ref().and_then(|d| d.scoring.as_ref()) else { return };
        let all: Vec<usize> = (0..drafts.len()).collect();
        let mut facts = if scoring.row_weights_required {
            for row in drafts.iter_mut().flat_map(|d| d.rows.iter_mut()).filter(|r| r.read.applies) {
                row.weight = row.read.field("weight").map(normal);
            }
            self.score(drafts, &all)
        } else {
            self.weigh(drafts)
        };
        // A bare target (`25 万元`) reads as 等于; a printed score the other ways give
        // says which way the clerk meant.
        let mut open: Vec<(usize, usize)> = Vec::new();
        for (d, draft) in drafts.iter_mut().enumerate() {
            let target = &self.year.projects[draft.target].spec;
            for (r, row) in draft.rows.iter_mut().enumerate() {
                let Some(printed) = row.read.field("score").and_then(number) else { continue };
                let rule = facts[d].rows.get(row.target).and_then(|f| f.rule);
                if row.read.applies && bare(target, row.target) && rule.is_some_and(|rule| rule != printed) {
                    row.direction = Some("反向".into());
                    open.push((d, r));
                }
            }
        }
        for next in ["正向", ""] {
            let mut touched: Vec<usize> = open.iter().map(|&(d, _)| d).collect();
            touched.dedup();
            self.rescore(drafts, &touched, &mut facts);
            open.retain(|&(d, r)| {
                let row = &mut drafts[d].rows[r];
                let printed = row.read.field("score").and_then(number);
                let rule = facts[d].rows.get(row.target).and_then(|f| f.rule);
                if rule.is_some() && rule == printed {
                    return false;
                }
                row.direction = (!next.is_empty()).then(|| next.to_string());
                true
            });
        }
        let mut touched: Vec<usize> = open.iter().map(|&(d, _)| d).collect();
        touched.dedup();
        self.rescore(drafts, &touched, &mut facts);
        for (draft, facts) in drafts.iter_mut().zip(&facts) {
            for row in draft.rows.iter_mut().filter(|r| r.read.applies) {
                let Some(printed) = row.read.field("score").and_then(number) else { continue };
                if facts.rows.get(row.target).and_then(|f| f.rule) != Some(printed) {
                    row.score = Some(printed.normalize().to_string());
                }
            }
        }
    }

    /// Weights written one row per 一级 at a time, the row furthest from the split first,
    /// until the split of what is left gives every printed weight; the drafts' evaluations
    /// as they are then.
    fn weigh(&self, drafts: &mut [Draft]) -> Vec<Evaluation> {
        let mut which: Vec<usize> = (0..drafts.len()).collect();
        let mut facts = vec![Evaluation::default(); drafts.len()];
        for _ in 0..64 {
            self.rescore(drafts, &which, &mut facts);
            let mut changed = Vec::new();
            for &d in &which {
                let draft = &mut drafts[d];
                let target = &self.year.projects[draft.target].spec;
                let mut furthest: BTreeMap<&str, (Decimal, usize)> = BTreeMap::new();
                for (r, row) in draft.rows.iter().enumerate().filter(|(_, r)| r.read.applies && r.weight.is_none()) {
                    let Some(printed) = row.read.field("weight").and_then(number) else { continue };
                    let Some(split) = facts[d].rows.get(row.target).map(|f| f.weight) else { continue };
                    let off = (printed - split).abs();
                    let level = target.indicators[row.target].level1.value.as_str();
                    if off > Decimal::ZERO && furthest.get(level).is_none_or(|(o, _)| off > *o) {
                        furthest.insert(level, (off, r));
                    }
                }
                if !furthest.is_empty() {
                    changed.push(d);
                }
                for (_, r) in furthest.into_values() {
                    let row = &mut draft.rows[r];
                    row.weight = row.read.field("weight").map(normal);
                }
            }
            if changed.is_empty() {
                break;
            }
            which = changed;
        }
        facts
    }
}

/// Whether indicator `index` of `target` is a number without a comparison (`25 万元`).
fn bare(target: &crate::model::ProjectSpec, index: usize) -> bool {
    matches!(
        IndicatorValue::parse(&target.indicators[index].value.value),
        Ok(IndicatorValue::Quantity { cmp: Cmp::Eq, .. })
    )
}

/// A printed number without trailing zeros (`12.50` → `12.5`); other texts as they are.
fn normal(text: &str) -> String {
    number(text).map(|n| n.normalize().to_string()).unwrap_or_else(|| text.to_string())
}
