//! The Typst source generated for one project, snapshotted: a template change shows up
//! in review as a diff of this file.

mod common;

use jixiao::build::{FontPreferences, Workspace, prepare, project_source};
use jixiao::typeset::Typesetter;
use jixiao::typeset::fonts::{FontOptions, Fonts};

#[test]
fn project_131003001_typst_source() {
    let root = common::repo();
    let workspace = Workspace::at(&root);
    let fonts = Fonts::load(&FontOptions { project_dir: root.join("fonts"), ..FontOptions::default() });
    let typesetter = Typesetter::new(fonts);
    let prepared = prepare(&workspace, &root.join("specs/2024"), &typesetter);
    let source = project_source(&prepared, "131003001", &FontPreferences::default()).expect("renders");
    insta::assert_snapshot!("project_131003001", source);
}
