//! `jixiao import`: office files → specs. A sheet (or a Word document's body) is read
//! either as the flat indicator sheet of a year's workbook (recognised by its header,
//! [`flat`]) or as tables in the form's printed layout ([`printed`]), one project or
//! several per sheet. The printed layout is not described by hand: it is learned from a
//! probe ([`probe`]), a project whose every field holds a marker, printed by the form's
//! own templates into a grid (the same way `build` makes the xlsx): where a marker lands
//! says where that field is, which label sits before it, and what surrounds it.
//! What could not be placed is reported with its cell.

pub mod flat;
pub mod period;
pub mod printed;
pub mod probe;
pub mod run;
pub mod write;

use crate::grid::flat::Column;
use crate::office::read::{Problem, RawTable};

/// One row of a list field: (column key, text) pairs.
pub type ListRow = Vec<(String, String)>;

/// One project read from a file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Project {
    /// Its code.
    pub code: String,
    /// Its fields (texts as read), in the order found.
    pub fields: Vec<(Column, String)>,
    /// Its indicators, each a list of fields.
    pub indicators: Vec<Vec<(Column, String)>>,
    /// Its list fields (`schedule`) by key.
    pub rows: Vec<(String, Vec<ListRow>)>,
    /// Where it was read (`甲.xlsx!131003001`).
    pub place: String,
    /// Errors found while reading it (it is then not written).
    pub errors: usize,
    /// The money unit its table states (`单位：元`), when it states one.
    pub unit: Option<String>,
}

impl Project {
    /// The text of a field, when read.
    pub fn field(&self, column: &Column) -> Option<&str> {
        self.fields.iter().find(|(c, _)| c == column).map(|(_, t)| t.as_str())
    }

    /// Sets a field (replacing what was read before).
    pub fn set(&mut self, column: Column, text: String) {
        match self.fields.iter_mut().find(|(c, _)| *c == column) {
            Some(slot) => slot.1 = text,
            None => self.fields.push((column, text)),
        }
    }
}

/// A label as compared: without spaces or line breaks, full-width punctuation as ASCII,
/// and no trailing colon.
pub fn normalize(text: &str) -> String {
    let mut out: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '：' => ':',
            c => c,
        })
        .collect();
    while out.ends_with(':') {
        out.pop();
    }
    out
}

/// Full-width digits, letters and the full stop as ASCII (codes, amounts, months).
pub fn half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '．' => '.',
            '　' => ' ',
            c => c,
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// Every project in `tables`, read through the form's `layout` (learned from its probe),
/// and what could not be read.
pub fn read_tables(
    tables: &[RawTable],
    layout: &printed::Layout,
    form: &crate::form::Form,
) -> (Vec<Project>, Vec<Problem>) {
    let mut projects = Vec::new();
    let mut problems = Vec::new();
    // A year's workbook holds each project twice (as printed, and in the flat sheet):
    // the printed sheets win, the flat sheet adds the projects they lack.
    let mut flat_projects = Vec::new();
    let names = codes_by_name(tables, form);
    for table in tables {
        // The summary of a year's workbook repeats what the project sheets hold.
        if table.name == crate::grid::flat::SUMMARY_SHEET {
            continue;
        }
        match flat::template_header(table, form) {
            Some(Ok(header)) => {
                let (found, mut said) = flat::read(table, header, form);
                flat_projects.extend(found);
                problems.append(&mut said);
                continue;
            }
            Some(Err(problem)) => {
                problems.push(problem);
                continue;
            }
            None => {}
        }
        if let Some(header) = flat::header(table, form) {
            let (found, mut said) = flat::read(table, header, form);
            flat_projects.extend(found);
            problems.append(&mut said);
            continue;
        }
        let (found, mut said) = printed::read(table, layout, form, &names);
        if found.is_empty() && said.is_empty() && !table.cells.iter().all(|c| c.text.trim().is_empty()) {
            let place =
                if table.name.is_empty() { table.file.clone() } else { format!("{}!{}", table.file, table.name) };
            problems.push(
                Problem::warning(place, "没有找到本表样的项目表（如“项目编码”“绩效指标”等栏目），跳过")
                    .with_hint("请确认 --form 是这张表所用的表样；表头文字要与表样一致"),
            );
        }
        projects.extend(found);
        problems.append(&mut said);
    }
    for project in flat_projects {
        if !projects.iter().any(|p: &Project| p.code == project.code) {
            projects.push(project);
        }
    }
    (projects, problems)
}

/// Project codes by name, from any summary in the files (a row with the form's summary
/// code and name labels, and the rows under it): a table that does not print its code
/// (a Word report of such a form) is matched to its code by its name.
fn codes_by_name(tables: &[RawTable], form: &crate::form::Form) -> std::collections::BTreeMap<String, String> {
    let mut names = std::collections::BTreeMap::new();
    let label = |key: &str| form.def.labels.get(key).map(|l| normalize(l));
    let (Some(code_label), Some(name_label)) = (label("summary_code"), label("summary_name")) else { return names };
    for table in tables {
        let header = table.cells.iter().filter(|c| normalize(&c.text) == code_label).find_map(|code| {
            table
                .cells
                .iter()
                .find(|c| c.row == code.row && normalize(&c.text) == name_label)
                .map(|name| (code.row, code.col, name.col))
        });
        let Some((row, code_col, name_col)) = header else { continue };
        for r in row + 1..table.height() {
            let (Some(code), Some(name)) = (table.at(r, code_col), table.at(r, name_col)) else { continue };
            let code = half_width(&code.text);
            if !code.is_empty() && code.chars().all(|c| c.is_ascii_digit()) {
                names.insert(normalize(&name.text), code);
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_compare_without_layout_and_width() {
        assert_eq!(normalize("项目资金\n主要用途："), "项目资金主要用途");
        assert_eq!(normalize("资金支出\n计划（%）"), "资金支出计划(%)");
        assert_eq!(half_width("１３１００３００１"), "131003001");
        assert_eq!(half_width("１２．５"), "12.5");
    }
}
