//! What became of each output of a year, and the year's result.

use std::path::PathBuf;

use super::prepare::Prepared;
use crate::diag::Diagnostic;

/// What an output is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Document {
    /// A project's table, by code.
    Project(String),
    /// The combined report.
    Report,
    /// A project file that could not be read or parsed (no table can come of it).
    Unreadable(PathBuf),
}

impl Document {
    /// Its part of the PDF identifier: the code, or `report`.
    pub fn ident(&self) -> String {
        match self {
            Document::Project(code) => code.clone(),
            Document::Report => "report".to_string(),
            Document::Unreadable(path) => path.display().to_string(),
        }
    }

    /// How messages name it: `项目 131003001 的表`, `合订本`, or the file.
    pub fn describe(&self) -> String {
        match self {
            Document::Project(code) => format!("项目 {code} 的表"),
            Document::Report => "合订本".to_string(),
            Document::Unreadable(path) => path.display().to_string(),
        }
    }
}

/// What happened to one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Typeset and written (or already identical on disk).
    Built {
        /// What it is.
        document: Document,
        /// The PDF.
        path: PathBuf,
        /// Its page count.
        pages: usize,
        /// SHA-256 of its bytes (for the manifest).
        digest: String,
        /// Its page images, with the SHA-256 of each.
        images: Vec<(PathBuf, String)>,
    },
    /// Its inputs did not change since it was written: left as it is.
    Unchanged {
        /// What it is.
        document: Document,
        /// The PDF.
        path: PathBuf,
    },
    /// Not built because its spec (or the department's) has errors.
    Skipped {
        /// What it is.
        document: Document,
    },
    /// Building failed (template, Typst or disk problem).
    Failed {
        /// What it is.
        document: Document,
    },
}

/// The result of building (or checking) one year.
#[derive(Debug, Default, Clone)]
pub struct YearResult {
    /// The year folder.
    pub dir: PathBuf,
    /// Every problem, spec and build alike.
    pub diagnostics: Vec<Diagnostic>,
    /// Every output's fate, projects first, then the report.
    pub outcomes: Vec<Outcome>,
}

impl YearResult {
    /// Number of outputs typeset.
    pub fn built(&self) -> usize {
        self.outcomes.iter().filter(|o| matches!(o, Outcome::Built { .. })).count()
    }
    /// Number of outputs left as they were (inputs unchanged).
    pub fn unchanged(&self) -> usize {
        self.outcomes.iter().filter(|o| matches!(o, Outcome::Unchanged { .. })).count()
    }
    /// Number of outputs skipped because of spec errors.
    pub fn skipped(&self) -> usize {
        self.outcomes.iter().filter(|o| matches!(o, Outcome::Skipped { .. })).count()
    }
    /// Number of outputs that failed to build.
    pub fn failed(&self) -> usize {
        self.outcomes.iter().filter(|o| matches!(o, Outcome::Failed { .. })).count()
    }
}

/// What producing one document gave: its fate and any problems.
pub(crate) type Produced = (Outcome, Vec<Diagnostic>);

/// Every output of a year that is not built at all: each project, then the report.
pub(crate) fn skipped_outcomes(prepared: &Prepared) -> Vec<Outcome> {
    let projects = prepared
        .files
        .projects
        .iter()
        .map(|p| Outcome::Skipped { document: Document::Project(p.spec.code.value.clone()) });
    let report = Outcome::Skipped { document: Document::Report };
    projects.chain(broken_outcomes(prepared)).chain([report]).collect()
}

/// The outcomes of project files that did not parse.
pub(crate) fn broken_outcomes(prepared: &Prepared) -> impl Iterator<Item = Outcome> + '_ {
    prepared.files.broken_projects.iter().map(|p| Outcome::Skipped { document: Document::Unreadable(p.clone()) })
}
