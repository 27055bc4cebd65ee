//! The Typst source generated for one project, snapshotted: a template change shows up
//! in review as a diff of this file.

use jixiao::pipeline::{FontPreferences, Prepared, prepare, project_source};
use jixiao::typeset::Typesetter;
use jixiao::workspace::Workspace;

/// The committed fonts and the real 2024 year, read and validated.
fn seed_2024() -> (Typesetter, Prepared) {
    let root = crate::common::repo();
    let typesetter = crate::common::typesetter();
    let prepared = prepare(&Workspace::at(&root), &root.join("specs/2024"), &typesetter);
    (typesetter, prepared)
}

#[test]
fn project_131003001_typst_source() {
    let (_, prepared) = seed_2024();
    let source = project_source(&prepared, "131003001", &FontPreferences::default(), false).expect("renders");
    insta::assert_snapshot!("project_131003001", source);
}

/// The standalone source (one complete document, e.g. for the Typst CLI) prints what the
/// build prints: the same text, the page number included.
#[test]
fn standalone_source_prints_what_the_build_prints() {
    let (typesetter, prepared) = seed_2024();
    let source = project_source(&prepared, "131003001", &FontPreferences::default(), true).expect("renders");
    assert!(source.contains("footer: context"), "the standalone source has its footer");
    let form = prepared.form.as_ref().expect("form");
    let pdf = typesetter.compile(&form.dir, source, "2024/131003001").map_err(|m| format!("{m:?}")).expect("compiles");
    let dir = tempfile::tempdir().unwrap();
    let standalone = dir.path().join("standalone.pdf");
    std::fs::write(&standalone, &pdf.bytes).unwrap();
    let built = crate::common::pdfs(&crate::common::repo().join("out/2024"))
        .into_iter()
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("131003001"))
        .expect("committed PDF");
    let sorted = |path: &std::path::Path| {
        let mut chars: Vec<char> = crate::common::squeeze(&crate::common::pdf_text(path)).chars().collect();
        chars.sort_unstable();
        chars
    };
    // Footer and table are drawn in a different order, so compare the characters.
    assert_eq!(sorted(&standalone), sorted(&built));
    assert!(crate::common::squeeze(&crate::common::pdf_text(&standalone)).contains("第1页"));
}
