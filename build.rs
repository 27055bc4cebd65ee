//! Registers the lints: every file in `src/validate/lints/` (but `mod.rs`) is a lint
//! module with a `LINT`, so adding a lint is adding one file. Writes the module list and
//! the `LINTS` table to `$OUT_DIR/lints.rs`, which `src/validate/lints/mod.rs` includes.

use std::fs;
use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest).join("src/validate/lints");
    println!("cargo:rerun-if-changed=src/validate/lints");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("src/validate/lints is readable")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let stem = path.file_stem()?.to_str()?.to_string();
            (path.extension().is_some_and(|e| e == "rs") && stem != "mod").then_some(stem)
        })
        .collect();
    names.sort();
    let mut out = String::new();
    for name in &names {
        let path = dir.join(format!("{name}.rs"));
        out.push_str(&format!("#[path = {:?}]\nmod {name};\n", path.display().to_string()));
    }
    out.push_str("/// Every lint module's `LINT` (in file-name order; see [`lints`] for code order).\n");
    out.push_str("const REGISTERED: &[Lint] = &[");
    for name in &names {
        out.push_str(&format!("{name}::LINT, "));
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("lints.rs");
    fs::write(target, out).expect("OUT_DIR is writable");
}
