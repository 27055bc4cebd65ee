//! Comparing two versions of a year: the department file field by field, projects by
//! code (or by content, see [`Options::find_renames`]), each project's header fields by
//! key and its indicators by place and name ([`super::indicators`]).

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::field_changes::changes;
use super::flat::{self, Field};
use super::{Amount, Delta, DepartmentId, Pair, ProjectDiff, Status, YearDiff, indicators};
use crate::form::Form;
use crate::model::ProjectSpec;
use crate::spec::year::{Loaded, YearFiles};
use crate::validate::Checked;
use crate::value::format_decimal;

/// One side of a comparison: a year's files, its form and what validation found.
#[derive(Clone, Copy)]
pub struct YearSide<'a> {
    /// The files.
    pub files: &'a YearFiles,
    /// The form its projects are arranged by.
    pub form: &'a Form,
    /// Validation results (budgets, the total).
    pub checked: &'a Checked,
}

impl YearSide<'_> {
    fn money_unit(&self) -> String {
        self.files
            .department
            .as_ref()
            .and_then(|d| d.spec.money_unit.as_ref())
            .map(|u| u.value.clone())
            .unwrap_or_default()
    }

    fn year(&self) -> Option<u32> {
        self.files.department.as_ref().map(|d| d.spec.year.value)
    }

    /// Project indices by code.
    fn codes(&self) -> BTreeMap<String, usize> {
        let mut codes = BTreeMap::new();
        for (i, p) in self.files.projects.iter().enumerate() {
            codes.entry(p.spec.code.value.clone()).or_insert(i);
        }
        codes
    }

    fn amount(&self, index: usize) -> Option<Decimal> {
        self.checked.projects.get(index).and_then(|f| f.amount)
    }
}

/// How to compare.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Match a removed and an added project whose content is at least this similar (in
    /// percent, as `git diff --find-renames`), as one project under a new code.
    pub find_renames: Option<u8>,
}

/// Compares two versions of a year; a side that is `None` has no such year.
pub fn compare_year(old: Option<&YearSide>, new: Option<&YearSide>, options: &Options) -> YearDiff {
    let money_unit = new.or(old).map(|s| s.money_unit()).unwrap_or_default();
    let department_of = |side: Option<&YearSide>| {
        side.and_then(|s| s.files.department.as_ref()).map(|d| DepartmentId {
            code: d.spec.department.code.value.clone(),
            name: d.spec.department.name.value.clone(),
        })
    };
    let department = department_of(new).or_else(|| department_of(old)).unwrap_or_default();
    let dir = |side: Option<&YearSide>| side.map(|s| s.files.dir.display().to_string());
    let total = |side: Option<&YearSide>| side.map(|s| s.checked.total);
    let department_fields = |side: Option<&YearSide>| {
        side.and_then(|s| s.files.department.as_ref()).map(|d| flat::department(&d.spec)).unwrap_or_default()
    };
    let fields = changes(&department_fields(old), &department_fields(new), &money_unit);
    let projects = match (old, new) {
        (Some(old), Some(new)) => compare_projects(old, new, options, &money_unit),
        (Some(side), None) => one_sided(side, Status::Removed, &money_unit),
        (None, Some(side)) => one_sided(side, Status::Added, &money_unit),
        (None, None) => Vec::new(),
    };
    YearDiff {
        old_dir: dir(old),
        new_dir: dir(new),
        department,
        year: Pair { old: old.and_then(|s| s.year()), new: new.and_then(|s| s.year()) },
        total: amount(total(old), total(new), &money_unit),
        money_unit,
        fields,
        projects,
        periods: Vec::new(),
    }
}

/// An amount on each side, with its delta.
pub fn amount(old: Option<Decimal>, new: Option<Decimal>, unit: &str) -> Amount {
    Amount {
        old: old.map(format_decimal),
        new: new.map(format_decimal),
        delta: old.zip(new).and_then(|(a, b)| Delta::between(a, b, unit)),
    }
}

/// Every project of a year that exists on one side only.
fn one_sided(side: &YearSide, status: Status, money_unit: &str) -> Vec<ProjectDiff> {
    let mut order: Vec<(String, usize)> = side.codes().into_iter().collect();
    order.sort();
    order.into_iter().map(|(_, i)| whole(side, i, status, money_unit)).collect()
}

/// A project added or removed as a whole: every field and indicator on one side.
fn whole(side: &YearSide, index: usize, status: Status, money_unit: &str) -> ProjectDiff {
    let loaded = &side.files.projects[index];
    let own = flat::project(&loaded.spec, side.form);
    let (old_fields, new_fields): (&[Field], &[Field]) =
        if status == Status::Added { (&[], &own) } else { (&own, &[]) };
    let (old_indicators, new_indicators) = if status == Status::Added {
        (&[][..], &loaded.spec.indicators[..])
    } else {
        (&loaded.spec.indicators[..], &[][..])
    };
    let budget = side.amount(index);
    let (old_amount, new_amount) = if status == Status::Added { (None, budget) } else { (budget, None) };
    ProjectDiff {
        status,
        code: loaded.spec.code.value.clone(),
        old_code: None,
        name: loaded.spec.name.value.clone(),
        old_name: None,
        amount: amount(old_amount, new_amount, money_unit),
        fields: changes(old_fields, new_fields, money_unit).into_iter().filter(|f| f.field != "name").collect(),
        indicators: indicators::compare(old_indicators, new_indicators, side.form, money_unit),
    }
}

/// Projects matched by code, then (with `find_renames`) by content.
fn compare_projects(old: &YearSide, new: &YearSide, options: &Options, money_unit: &str) -> Vec<ProjectDiff> {
    let (old_codes, new_codes) = (old.codes(), new.codes());
    let mut found: Vec<ProjectDiff> = Vec::new();
    let mut removed: Vec<usize> = Vec::new();
    let mut added: Vec<usize> = Vec::new();
    for (code, &i) in &old_codes {
        match new_codes.get(code) {
            Some(&j) => found.extend(pair(old, i, new, j, money_unit)),
            None => removed.push(i),
        }
    }
    added.extend(new_codes.iter().filter(|(code, _)| !old_codes.contains_key(*code)).map(|(_, &j)| j));
    if let Some(threshold) = options.find_renames {
        for (i, j) in renames(old, &mut removed, new, &mut added, threshold) {
            found.extend(pair(old, i, new, j, money_unit));
        }
    }
    found.extend(removed.into_iter().map(|i| whole(old, i, Status::Removed, money_unit)));
    found.extend(added.into_iter().map(|j| whole(new, j, Status::Added, money_unit)));
    found.sort_by(|a, b| (&a.code, a.status == Status::Removed).cmp(&(&b.code, b.status == Status::Removed)));
    found
}

/// Two versions of one project; `None` when they do not differ.
fn pair(old: &YearSide, i: usize, new: &YearSide, j: usize, money_unit: &str) -> Option<ProjectDiff> {
    let (a, b) = (&old.files.projects[i], &new.files.projects[j]);
    let budget = amount(old.amount(i), new.amount(j), money_unit);
    // The same text in the same form and unit cannot differ (the common case, and fast).
    if a.text == b.text && !budget.changed() && old.form.digest == new.form.digest {
        return None;
    }
    let fields = changes(&flat::project(&a.spec, old.form), &flat::project(&b.spec, new.form), money_unit);
    let indicators = indicators::compare(&a.spec.indicators, &b.spec.indicators, new.form, money_unit);
    let (code_a, code_b) = (a.spec.code.value.as_str(), b.spec.code.value.as_str());
    let (name_a, name_b) = (a.spec.name.value.as_str(), b.spec.name.value.as_str());
    if fields.is_empty() && indicators.is_empty() && !budget.changed() && code_a == code_b {
        return None;
    }
    Some(ProjectDiff {
        status: Status::Changed,
        code: code_b.to_string(),
        old_code: (code_a != code_b).then(|| code_a.to_string()),
        name: name_b.to_string(),
        old_name: (name_a != name_b).then(|| name_a.to_string()),
        amount: budget,
        fields,
        indicators,
    })
}

/// Everything a project says, as `key=value` lines (what renames are matched on).
fn content(project: &Loaded<ProjectSpec>, form: &Form) -> Vec<String> {
    let mut lines: Vec<String> =
        flat::project(&project.spec, form).into_iter().map(|f| format!("{}={}", f.key, f.value)).collect();
    for i in &project.spec.indicators {
        let place = format!("{}/{}/{}", i.level1.value.as_str(), i.level2.value.as_str(), i.name.value.as_str());
        lines.extend(flat::indicator(i).into_iter().map(|f| format!("{place}/{}={}", f.key, f.value)));
    }
    lines.sort();
    lines
}

/// How alike two sorted line lists are, in percent (shared lines over all lines).
fn similarity(a: &[String], b: &[String]) -> u32 {
    let (mut i, mut j, mut shared) = (0, 0, 0_usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    let all = a.len() + b.len();
    (200 * shared).checked_div(all).map_or(100, |s| s as u32)
}

/// Pairs of (removed, added) projects at least `threshold` percent alike, best first;
/// the paired ones are taken out of both lists.
fn renames(
    old: &YearSide,
    removed: &mut Vec<usize>,
    new: &YearSide,
    added: &mut Vec<usize>,
    threshold: u8,
) -> Vec<(usize, usize)> {
    let old_content: Vec<Vec<String>> = removed.iter().map(|&i| content(&old.files.projects[i], old.form)).collect();
    let new_content: Vec<Vec<String>> = added.iter().map(|&j| content(&new.files.projects[j], new.form)).collect();
    let mut candidates = Vec::new();
    for (a, lines_a) in old_content.iter().enumerate() {
        for (b, lines_b) in new_content.iter().enumerate() {
            let score = similarity(lines_a, lines_b);
            if score >= u32::from(threshold) {
                candidates.push((std::cmp::Reverse(score), a, b));
            }
        }
    }
    candidates.sort();
    let (mut used_a, mut used_b) = (BTreeSet::new(), BTreeSet::new());
    let mut pairs = Vec::new();
    for (_, a, b) in candidates {
        if used_a.contains(&a) || used_b.contains(&b) {
            continue;
        }
        used_a.insert(a);
        used_b.insert(b);
        pairs.push((removed[a], added[b]));
    }
    let mut k = 0;
    removed.retain(|_| (!used_a.contains(&k), k += 1).0);
    let mut k = 0;
    added.retain(|_| (!used_b.contains(&k), k += 1).0);
    pairs
}
