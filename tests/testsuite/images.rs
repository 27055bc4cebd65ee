//! Page images: `build --format pdf,png` beside the PDFs (kept incremental and pruned like
//! them), and `jixiao preview` of a table, a report or a year.

use std::fs;
use std::path::Path;

use crate::common::{jixiao_in, text_of};
use crate::scratch::Project;

/// A project with the seed's department and three of its projects.
fn project() -> Project {
    Project::seed(&["131003001", "131003002", "131003004"])
}

/// The names in a folder with the extension, sorted.
fn named(dir: &Path, extension: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(&format!(".{extension}")))
        .collect();
    names.sort();
    names
}

/// Width and height of a PNG.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    let number = |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (number(16), number(20))
}

#[test]
fn build_writes_page_images_beside_the_pdfs_incrementally() {
    let dir = project();
    let out = dir.root().join("out/2024");
    let output = jixiao_in(dir.root(), &["build", "-q", "--format", "pdf,png"]);
    assert!(output.status.success(), "{}", text_of(&output));
    let pngs = named(&out, "png");
    // Three one-page tables and the report's pages, each named after its PDF.
    assert!(pngs.contains(&"131003001-政务服务中心工作-1.png".to_string()), "{pngs:?}");
    let report_pages = pngs.iter().filter(|n| n.starts_with("唐山海港经济开发区行政审批局2024年度绩效目标-")).count();
    assert!(report_pages >= 4, "{pngs:?}");
    assert_eq!(pngs.len(), 3 + report_pages);
    // A4 at 144 pixels per inch.
    assert_eq!(png_size(&fs::read(out.join(&pngs[0])).unwrap()), (1191, 1684));
    // Nothing changed: nothing to do. A deleted image: its document again, only it.
    assert!(text_of(&jixiao_in(dir.root(), &["build", "--format", "pdf,png"])).contains("生成 0 个"));
    fs::remove_file(out.join("131003002-公共资源交易中心工作-1.png")).unwrap();
    let text = text_of(&jixiao_in(dir.root(), &["build", "--format", "pdf,png"]));
    assert!(text.contains("生成 1 个") && text.contains("131003002"), "{text}");
    assert!(out.join("131003002-公共资源交易中心工作-1.png").is_file());
    // SVG instead: the PNGs go, the SVGs come.
    assert!(jixiao_in(dir.root(), &["build", "-q", "--format", "pdf,svg"]).status.success());
    assert!(named(&out, "png").is_empty());
    let svgs = named(&out, "svg");
    assert_eq!(svgs.len(), pngs.len());
    assert!(fs::read_to_string(out.join(&svgs[0])).unwrap().contains("<svg"));
    // A deleted project takes its images with it; PDFs only again: no image is left.
    fs::remove_file(dir.root().join("specs/2024/projects/131003004.yaml")).unwrap();
    assert!(jixiao_in(dir.root(), &["build", "-q", "--format", "pdf,svg"]).status.success());
    assert!(!named(&out, "svg").iter().any(|n| n.starts_with("131003004")));
    assert!(jixiao_in(dir.root(), &["build", "-q"]).status.success());
    assert!(named(&out, "svg").is_empty() && named(&out, "png").is_empty());
}

#[test]
fn preview_makes_the_same_pages_as_the_build() {
    let dir = project();
    assert!(jixiao_in(dir.root(), &["build", "-q", "--format", "pdf,png"]).status.success());
    let looks = tempfile::tempdir().unwrap();
    let to = looks.path().to_str().unwrap();
    let output = jixiao_in(dir.root(), &["preview", "specs/2024/projects/131003004.yaml", "-o", to]);
    assert!(output.status.success(), "{}", text_of(&output));
    assert_eq!(named(looks.path(), "png"), ["131003004-行政审批工作-1.png"]);
    let built = fs::read(dir.root().join("out/2024/131003004-行政审批工作-1.png")).unwrap();
    assert!(built == fs::read(looks.path().join("131003004-行政审批工作-1.png")).unwrap(), "same pixels");
    // The report alone, as SVG at another resolution; nothing under out/ changes.
    let before = named(&dir.root().join("out/2024"), "png");
    let output = jixiao_in(dir.root(), &["preview", "specs/2024/department.yaml", "-o", to, "--format", "svg"]);
    assert!(output.status.success(), "{}", text_of(&output));
    let svgs = named(looks.path(), "svg");
    assert!(!svgs.is_empty() && svgs.iter().all(|n| n.starts_with("唐山海港经济开发区行政审批局2024年度绩效目标-")));
    assert_eq!(named(&dir.root().join("out/2024"), "png"), before);
    let output = jixiao_in(dir.root(), &["preview", "specs/2024", "-o", to, "--ppi", "36"]);
    assert!(output.status.success());
    assert_eq!(png_size(&fs::read(looks.path().join("131003001-政务服务中心工作-1.png")).unwrap()), (298, 421));
}

#[test]
fn preview_of_a_bad_spec_shows_its_problems_and_makes_no_image() {
    let dir = project();
    let spec = dir.root().join("specs/2024/projects/131003001.yaml");
    let text = fs::read_to_string(&spec).unwrap().replace("  3: 10\n", "  3: 百分之十\n");
    fs::write(&spec, text).unwrap();
    let looks = tempfile::tempdir().unwrap();
    let output =
        jixiao_in(dir.root(), &["preview", "specs/2024/projects/131003001.yaml", "-o", looks.path().to_str().unwrap()]);
    let text = text_of(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("E0309") && text.contains("没有生成图片"), "{text}");
    assert!(named(looks.path(), "png").is_empty());
    let output = jixiao_in(dir.root(), &["preview", "specs/2024/nothing.yaml"]);
    assert_eq!(output.status.code(), Some(2));
}
