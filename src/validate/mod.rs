//! Validation: schema-level problems are found while parsing ([`crate::spec::load`]);
//! this module checks the domain rules (errors, [`project`] and [`department`]), the text
//! of every field ([`text`]) and the lints (warnings, [`lints`]).
//!
//! Every diagnostic is made from a rule ([`crate::diag::rules`], and each lint's own);
//! [`rules`] lists them all with one sentence each (the README's table is generated from
//! the same list by a test).

pub mod actuals_schema;
pub mod coverage;
pub mod department;
pub mod evaluation;
pub mod extra;
pub mod json_schema;
pub mod lints;
pub mod outputs;
pub mod project;
pub mod sums;
pub mod text;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use crate::model::Located;
use rust_decimal::Decimal;

use crate::diag::{Diagnostic, Rule, rules};
use crate::form::Form;
use crate::spec::year::YearFiles;
use crate::value::IndicatorValue;
use crate::yaml::span_of;

/// Every rule the tool applies, in the README's order: the tool's own rules, the lints,
/// then the rules about stray and unknown names.
pub fn rules() -> Vec<&'static Rule> {
    let lints = lints::lints().iter().map(|l| l.rule);
    rules::BEFORE_LINTS.iter().copied().chain(lints).chain(rules::AFTER_LINTS.iter().copied()).collect()
}

/// The warning rule with this `allow:` name.
pub fn lint_by_name(name: &str) -> Option<&'static Rule> {
    rules().into_iter().find(|r| !r.name.is_empty() && r.name == name)
}

/// What project rules need to know about their year.
#[derive(Debug, Default, Clone)]
pub struct YearContext {
    /// The budget year.
    pub year: u32,
    /// The department code.
    pub department_code: String,
    /// The money unit, when given.
    pub money_unit: Option<String>,
}

/// What validation needs of the fonts: whether some face can print a character. The
/// font store of the typesetter implements it; validation itself knows no typesetter.
pub trait Glyphs: Sync {
    /// Whether any face covers `c`.
    fn covers(&self, c: char) -> bool;
    /// The families tried, for the message.
    fn family_names(&self) -> Vec<&str>;
}

/// What validation learnt about one project.
#[derive(Debug, Default, Clone)]
pub struct ProjectFacts {
    /// Whether the project has no errors (it may be built).
    pub ok: bool,
    /// Parsed 指标值, one per indicator (`None` where it did not parse).
    pub values: Vec<Option<IndicatorValue>>,
    /// The budget: sum of the cost-slot amounts in the department's money unit.
    pub amount: Option<Decimal>,
}

/// The result of checking one year.
#[derive(Debug, Default)]
pub struct Checked {
    /// Every problem, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the department file has no errors.
    pub department_ok: bool,
    /// Facts per project, parallel to `YearFiles::projects`.
    pub projects: Vec<ProjectFacts>,
    /// The department's total budget (the summary's 合计): the projects' amounts added
    /// exactly (an overflow is error E0318 instead).
    pub total: Decimal,
    /// The output file names, when the department file could be read.
    pub outputs: Option<outputs::OutputNames>,
    /// Whether errors found elsewhere (a period's targets) keep the combined report as
    /// it is, although none of these diagnostics is one.
    pub blocked: bool,
}

/// Collects diagnostics for one file.
pub struct FileCheck<'a> {
    /// The file.
    pub path: &'a Path,
    /// Its text.
    pub text: &'a str,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> FileCheck<'a> {
    /// Starts checking a file.
    pub fn new(path: &'a Path, text: &'a str) -> Self {
        FileCheck { path, text, diagnostics: Vec::new() }
    }

    /// The byte range of a spanned value.
    pub fn span(&self, value: &impl Located) -> Range<usize> {
        span_of(self.text, value)
    }

    /// Records a problem of `rule` at a value.
    pub fn report(&mut self, rule: &'static Rule, at: &impl Located, message: impl Into<String>) -> &mut Diagnostic {
        let d = Diagnostic::new(rule, self.path, Some(self.span(at)), message);
        self.diagnostics.push(d);
        self.diagnostics.last_mut().unwrap_or_else(|| unreachable!("just pushed"))
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Checks a year's specs against the form (and, when given, the fonts' coverage).
pub fn check_year(year: &YearFiles, form: &Form, fonts: Option<&dyn Glyphs>) -> Checked {
    let mut checked = Checked::default();
    let dir_year = year.dir.file_name().and_then(|n| n.to_str()).and_then(|n| n.parse::<u32>().ok());
    let mut year_allow: Vec<String> = Vec::new();
    // Without a readable department file, the folder name still gives the year.
    let mut context = YearContext { year: dir_year.unwrap_or_default(), ..Default::default() };
    if let Some(dep) = &year.department {
        let mut file = FileCheck::new(&dep.path, &dep.text);
        context = department::check(&mut file, &dep.spec, dir_year, &form.fields.identity, fonts);
        extra::check(&mut file, &dep.spec.extra, &form.fields.department, fonts);
        year_allow = dep.spec.allow.iter().map(|a| a.value.clone()).collect();
        let allowed: Vec<&str> = year_allow.iter().map(String::as_str).collect();
        retain_allowed(&mut file.diagnostics, &allowed);
        checked.department_ok = dep.complete && !file.has_errors();
        checked.diagnostics.append(&mut file.diagnostics);
    }
    let mut codes: BTreeMap<String, &Path> = BTreeMap::new();
    for loaded in &year.projects {
        let mut file = FileCheck::new(&loaded.path, &loaded.text);
        let mut facts = project::check(&mut file, &loaded.spec, form, &context, fonts);
        let code = loaded.spec.code.value.clone();
        if let Some(first) = codes.get(&code) {
            file.report(&rules::E0303, &loaded.spec.code, format!("项目编码 {code} 与 {} 重复", first.display()))
                .set_hint("每个项目的编码必须唯一");
        } else {
            codes.insert(code, &loaded.path);
        }
        lints::check_project(&mut file, &lints::Input { spec: &loaded.spec, facts: &facts, form, year: &context });
        if let Some(amount) = facts.amount {
            match checked.total.checked_add(amount) {
                Some(total) => checked.total = total,
                None => {
                    file.report(
                        &rules::E0318,
                        &loaded.spec.code,
                        "加上本项目的金额后，部门的预算合计超出了可以精确计算的范围",
                    )
                    .set_hint("请检查各项目成本指标的金额是否多写了位数或写错了单位");
                }
            }
        }
        let allowed: Vec<&str> =
            loaded.spec.allow.iter().map(|a| a.value.as_str()).chain(year_allow.iter().map(String::as_str)).collect();
        retain_allowed(&mut file.diagnostics, &allowed);
        facts.ok = loaded.complete && !file.has_errors();
        checked.diagnostics.append(&mut file.diagnostics);
        checked.projects.push(facts);
    }
    let mut blocked = vec![false; year.projects.len()];
    let mut found = year.diagnostics.clone();
    checked.outputs = outputs::check(year, form, &mut found, &mut blocked);
    for (facts, blocked) in checked.projects.iter_mut().zip(blocked) {
        facts.ok &= !blocked;
    }
    // Problems found outside one file's checks honour the same `allow` lists.
    found.retain(|d| {
        let own = year.projects.iter().find(|p| p.path == d.file).map(|p| p.spec.allow.as_slice()).unwrap_or_default();
        let allowed: Vec<&str> =
            own.iter().map(|a| a.value.as_str()).chain(year_allow.iter().map(String::as_str)).collect();
        d.is_error() || !allowed.contains(&d.rule.name)
    });
    checked.diagnostics.append(&mut found);
    checked
        .diagnostics
        .sort_by(|a, b| (&a.file, a.span.as_ref().map(|s| s.start)).cmp(&(&b.file, b.span.as_ref().map(|s| s.start))));
    checked
}

/// Drops warnings whose lint name is in `allowed` (errors cannot be silenced).
fn retain_allowed(diagnostics: &mut Vec<Diagnostic>, allowed: &[&str]) {
    diagnostics.retain(|d| d.is_error() || !allowed.contains(&d.rule.name));
}
