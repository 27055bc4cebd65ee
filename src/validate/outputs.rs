//! Output file names, decided and checked before any work: what each project's PDF and
//! the combined report are called (the form's `outputs` patterns, filled in and made
//! safe for every file system), shortened when too long for a file system, and refused
//! when two outputs would get the same name (they would overwrite each other).
//!
//! `check` and `build` run the same checks, so a name that cannot be written is found by
//! `check` too, at the `name:` line that causes it.

use crate::diag::{Diagnostic, rules};
use crate::form::Form;
use crate::spec::year::YearFiles;
use crate::text::{file_name_safe, fill};
use crate::validate::Checked;
use crate::yaml::span_of;

/// Longest output file name in bytes: file systems allow 255; a margin is kept for the
/// temporary name a file is written under first.
pub const MAX_FILE_NAME_BYTES: usize = 240;

/// The file names of a year's outputs (inside its output folder).
#[derive(Debug, Clone, Default)]
pub struct OutputNames {
    /// One per project, parallel to `YearFiles::projects`.
    pub projects: Vec<String>,
    /// The combined report.
    pub report: String,
}

/// Whether a name could be one of ours: a plain file name (no folder, not hidden, no
/// `..`) ending in `.pdf`. Only such names are ever pruned.
pub fn is_output_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', '\0'])
        && name.len() <= MAX_FILE_NAME_BYTES
        && (name.to_ascii_lowercase().ends_with(".pdf") || image_owner(name).is_some())
        && file_name_safe(name) == name
}

/// The PDF a file made beside it (`build --format png,svg,xlsx,docx`) belongs to, by
/// name: a page image `a-b-3.png` → `a-b.pdf`, an office file `a-b.xlsx` → `a-b.pdf`;
/// `None` for a name that is neither.
pub fn image_owner(name: &str) -> Option<String> {
    let (rest, extension) = name.rsplit_once('.')?;
    if ["xlsx", "docx"].contains(&extension.to_ascii_lowercase().as_str()) {
        return (!rest.is_empty()).then(|| format!("{rest}.pdf"));
    }
    if !["png", "svg"].contains(&extension.to_ascii_lowercase().as_str()) {
        return None;
    }
    let (stem, page) = rest.rsplit_once('-')?;
    (!page.is_empty() && page.bytes().all(|b| b.is_ascii_digit())).then(|| format!("{stem}.pdf"))
}

/// A form pattern filled in and made a safe file name, shortened (with `…`) when longer
/// than [`MAX_FILE_NAME_BYTES`]; the second value tells whether it was.
fn file_name(pattern: &str, values: &[(&str, &str)]) -> (String, bool) {
    let name = file_name_safe(&fill(pattern, values));
    if name.len() <= MAX_FILE_NAME_BYTES {
        return (name, false);
    }
    let (stem, extension) = match name.rfind('.') {
        Some(dot) if name.len() - dot <= 8 => name.split_at(dot),
        _ => (name.as_str(), ""),
    };
    let mut end = MAX_FILE_NAME_BYTES - extension.len() - '…'.len_utf8();
    while !stem.is_char_boundary(end) {
        end -= 1;
    }
    (format!("{}…{extension}", &stem[..end]), true)
}

/// Decides the output names of a year and checks them; problems go to `diagnostics`,
/// and `blocked[i]` is set for a project whose PDF must not be written.
pub fn check(
    year: &YearFiles,
    form: &Form,
    diagnostics: &mut Vec<Diagnostic>,
    blocked: &mut [bool],
) -> Option<OutputNames> {
    let department = year.department.as_ref()?;
    let year_text = department.spec.year.value.to_string();
    let department_name = department.spec.department.name.value.as_str();
    let outputs = &form.def.outputs;
    let (report, shortened) = file_name(&outputs.report, &[("department", department_name), ("year", &year_text)]);
    if shortened {
        diagnostics.push(long_name(
            &department.path,
            Some(span_of(&department.text, &department.spec.department.name)),
            &report,
        ));
    }
    let mut names = OutputNames { projects: Vec::new(), report };
    // Names compared without case: Windows and macOS file systems do not tell them apart.
    let mut taken: Vec<(String, String)> = vec![(names.report.to_lowercase(), "合订本的文件名".to_string())];
    for (index, loaded) in year.projects.iter().enumerate() {
        let spec = &loaded.spec;
        let code = spec.code.value.as_str();
        let values = [
            ("code", code),
            ("name", spec.name.value.as_str()),
            ("year", year_text.as_str()),
            ("department", department_name),
        ];
        let (name, shortened) = file_name(&outputs.project, &values);
        let at = Some(span_of(&loaded.text, &spec.name));
        if shortened {
            diagnostics.push(long_name(&loaded.path, at.clone(), &name));
        }
        let key = name.to_lowercase();
        // Two projects with one code are already an error (E0303), whatever their names.
        let duplicate_code = year.projects[..index].iter().any(|p| p.spec.code.value.as_str() == code);
        if duplicate_code {
            names.projects.push(name);
            continue;
        }
        if let Some((_, owner)) = taken.iter().find(|(k, _)| *k == key) {
            diagnostics.push(
                Diagnostic::new(
                    &rules::E0319,
                    &loaded.path,
                    at,
                    format!("项目 {code} 的 PDF 文件名“{name}”与{owner}相同，两者会互相覆盖"),
                )
                .with_hint(format!(
                    "请修改项目名称；或在表样 templates/{}/form.yaml 的 outputs 中加入 {{code}}，使每个文件名不同",
                    form.name
                )),
            );
            blocked[index] = true;
        } else {
            taken.push((key, format!("项目 {code} 的文件名")));
        }
        names.projects.push(name);
    }
    Some(names)
}

fn long_name(path: &std::path::Path, span: Option<std::ops::Range<usize>>, name: &str) -> Diagnostic {
    Diagnostic::new(
        &rules::W0212,
        path,
        span,
        format!("名称太长，生成的文件名超过 {MAX_FILE_NAME_BYTES} 字节，已截短为“{name}”"),
    )
    .with_hint("文件系统不允许更长的文件名；PDF 中印出的名称不受影响。如确属有意，可写 `allow: [long-file-name]`")
}

/// A PDF/A (`part`: `2b`, …) needs a document date: without a 编制日期 (and
/// `SOURCE_DATE_EPOCH`), the year is not built and the department file gets error E0324
/// saying what to add.
pub fn require_date(files: &YearFiles, checked: &mut Checked, part: &str) {
    let Some(department) = &files.department else { return };
    if department.spec.document_date().is_some() || !checked.department_ok {
        return;
    }
    let span = span_of(&department.text, &department.spec.year);
    let diagnostic = Diagnostic::new(
        &rules::E0324,
        &department.path,
        Some(span),
        format!("生成 PDF/A-{part} 需要文件日期，department.yaml 中没有编制日期"),
    )
    .with_label("可在这一行下面加一行 date: …")
    .with_hint("请在 department.yaml 中加一行 `date: 2024-01-15`（编制日期，印在 PDF 的文件信息中）；或设置环境变量 SOURCE_DATE_EPOCH（秒数）");
    checked.diagnostics.push(diagnostic);
    checked.department_ok = false;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_shortened_on_a_character_boundary() {
        let long = "很".repeat(100);
        let (name, shortened) = file_name("{code}-{name}.pdf", &[("code", "131003001"), ("name", &long)]);
        assert!(shortened && name.len() <= MAX_FILE_NAME_BYTES && name.ends_with("….pdf"), "{name}");
        assert!(is_output_name(&name));
        assert_eq!(file_name("{code}.pdf", &[("code", "1")]), ("1.pdf".to_string(), false));
    }

    #[test]
    fn only_plain_pdf_names_are_ours() {
        for ok in ["131003001-政务服务中心工作.pdf", "a.PDF"] {
            assert!(is_output_name(ok), "{ok}");
        }
        for bad in [
            "../../specs/2024/projects/131003008.yaml",
            "/etc/passwd",
            "a/b.pdf",
            ".jixiao-manifest",
            "..",
            "",
            "x.yaml",
            "a:b.pdf",
        ] {
            assert!(!is_output_name(bad), "{bad}");
        }
    }
}
