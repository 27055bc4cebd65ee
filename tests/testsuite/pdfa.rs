//! Archival PDF (`--pdf-standard a-2b` / `a-3b`): the XMP identification, every font
//! embedded, tagged, the document date from the spec's 编制日期, byte-reproducible; and a
//! clear error when there is no date.

use std::fs;

use lopdf::{Document, Object};

use crate::common::{pdfs, text_of};
use crate::scratch::Project;

/// A project with the seed's department (with `date` when given) and two projects.
fn project(date: Option<&str>) -> Project {
    let dir = Project::seed(&["131003001", "131003004"]);
    if let Some(date) = date {
        let path = dir.root().join("specs/2024/department.yaml");
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replace("money_unit: 万元\n", &format!("money_unit: 万元\ndate: {date}\n"))).unwrap();
    }
    dir
}

/// The XMP metadata of a PDF, as text.
fn xmp(doc: &Document) -> String {
    let catalog = doc.catalog().unwrap();
    let reference = catalog.get(b"Metadata").unwrap().as_reference().unwrap();
    let stream = doc.get_object(reference).unwrap().as_stream().unwrap();
    let bytes = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
    String::from_utf8(bytes).unwrap()
}

/// Every font dictionary of the PDF whose glyphs are drawn (not the Type0 wrappers)
/// has its font program embedded.
fn every_font_embedded(doc: &Document) -> usize {
    let mut descriptors = 0;
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"Type").and_then(Object::as_name).is_ok_and(|n| n == b"FontDescriptor") {
            descriptors += 1;
            let embedded = [&b"FontFile"[..], b"FontFile2", b"FontFile3"].iter().any(|k| dict.has(k));
            assert!(embedded, "a font is not embedded: {dict:?}");
        }
    }
    descriptors
}

/// The catalog marks the PDF as tagged and has a structure tree.
fn is_tagged(doc: &Document) -> bool {
    let catalog = doc.catalog().unwrap();
    let marked = catalog
        .get(b"MarkInfo")
        .and_then(|m| match m {
            Object::Reference(r) => doc.get_dictionary(*r),
            other => other.as_dict(),
        })
        .and_then(|m| m.get(b"Marked"))
        .and_then(Object::as_bool)
        .unwrap_or(false);
    marked && catalog.has(b"StructTreeRoot")
}

#[test]
fn pdf_a_2b_is_identified_embedded_tagged_dated_and_reproducible() {
    let dir = project(Some("2024-01-15"));
    let output = dir.run(&["build", "-q", "--pdf-standard", "a-2b"]);
    assert!(output.status.success(), "{}", text_of(&output));
    let built = pdfs(&dir.root().join("out/2024"));
    assert_eq!(built.len(), 3, "two tables and the report");
    for pdf in &built {
        let doc = Document::load(pdf).unwrap();
        let meta = xmp(&doc);
        assert!(meta.contains("<pdfaid:part>2</pdfaid:part>"), "{meta}");
        assert!(meta.contains("<pdfaid:conformance>B</pdfaid:conformance>"), "{meta}");
        assert!(meta.contains("<xmp:CreateDate>2024-01-15T00:00:00+08:00</xmp:CreateDate>"), "{meta}");
        assert!(every_font_embedded(&doc) >= 2, "{}", pdf.display());
        assert!(is_tagged(&doc), "{} is not tagged", pdf.display());
        assert!(doc.catalog().unwrap().has(b"OutputIntents"), "PDF/A needs an output intent");
    }
    // The same inputs give the same bytes.
    let again = tempfile::tempdir().unwrap();
    let out = again.path().to_str().unwrap();
    let output = dir.run(&["build", "-q", "--pdf-standard", "a-2b", "--out", out]);
    assert!(output.status.success());
    for (a, b) in built.iter().zip(pdfs(&again.path().join("2024"))) {
        assert!(fs::read(a).unwrap() == fs::read(&b).unwrap(), "{} differs", a.display());
    }
}

#[test]
fn pdf_a_3b_comes_from_the_settings_file_and_a_date_from_source_date_epoch() {
    let dir = project(None);
    fs::write(dir.root().join("jixiao.toml"), "pdf_standard = \"a-3b\"\n").unwrap();
    let output = dir.run_with(&["build", "-q"], &[("SOURCE_DATE_EPOCH", "1705276800")]);
    assert!(output.status.success(), "{}", text_of(&output));
    let doc = Document::load(&pdfs(&dir.root().join("out/2024"))[0]).unwrap();
    let meta = xmp(&doc);
    assert!(meta.contains("<pdfaid:part>3</pdfaid:part>") && meta.contains("2024-01-15T00:00:00"), "{meta}");
}

#[test]
fn pdf_a_without_a_date_says_what_to_add_and_writes_nothing() {
    let dir = project(None);
    let output = dir.run(&["build", "--pdf-standard", "a-2b", "--message-format", "short"]);
    let text = text_of(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("specs/2024/department.yaml:4:7: 错误[E0324]"), "{text}");
    assert!(text.contains("`date: 2024-01-15`") && text.contains("SOURCE_DATE_EPOCH"), "{text}");
    assert!(!dir.root().join("out/2024").exists() || pdfs(&dir.root().join("out/2024")).is_empty());
    // `check` knows the rule too, from the settings.
    fs::write(dir.root().join("jixiao.toml"), "pdf_standard = \"a-2b\"\n").unwrap();
    let checked = dir.run(&["check", "--message-format", "short"]);
    assert_eq!(checked.status.code(), Some(1), "{}", text_of(&checked));
    assert!(text_of(&checked).contains("specs/2024/department.yaml:4:7: 错误[E0324]"), "{}", text_of(&checked));
    fs::remove_file(dir.root().join("jixiao.toml")).unwrap();
    // A plain PDF needs no date.
    assert!(dir.run(&["build", "-q"]).status.success());
}

#[test]
fn plain_pdfs_are_tagged_and_dated_by_the_spec() {
    let dir = project(Some("2024年1月15日"));
    assert!(dir.run(&["build", "-q"]).status.success());
    let doc = Document::load(&pdfs(&dir.root().join("out/2024"))[0]).unwrap();
    assert!(is_tagged(&doc));
    assert!(!xmp(&doc).contains("pdfaid"), "a plain PDF claims no PDF/A conformance");
    assert!(xmp(&doc).contains("2024-01-15T00:00:00+08:00"));
}
