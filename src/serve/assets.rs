//! The editor page, compiled into the binary: one HTML file, seven scripts (the pages;
//! the editor of one file, its inputs, its saving, what it shows; a project's table; a
//! project's actual figures), one style sheet (`src/serve/assets/`), written by hand without a framework or a build step, so
//! the tool still needs only cargo and works offline. The page's Chinese text uses the
//! system's fonts when it has them, else the project's own committed fonts (`fonts/`),
//! served from there.

use crate::serve::http::Reply;

const PAGE: &str = include_str!("assets/index.html");
const SCRIPT: &str = include_str!("assets/app.js");
const EDITOR: &str = include_str!("assets/editor.js");
const FIELDS: &str = include_str!("assets/editor-fields.js");
const SAVE: &str = include_str!("assets/editor-save.js");
const SHOW: &str = include_str!("assets/editor-show.js");
const TABLE: &str = include_str!("assets/table.js");
const ACTUALS: &str = include_str!("assets/actuals.js");
const STYLE: &str = include_str!("assets/app.css");

/// `GET /`.
pub fn page() -> Reply {
    Reply::bytes("text/html; charset=utf-8", PAGE.as_bytes().to_vec())
}

/// `GET /assets/<name>`.
pub fn asset(name: &str) -> Reply {
    match name {
        "app.js" => Reply::bytes("text/javascript; charset=utf-8", SCRIPT.as_bytes().to_vec()),
        "editor.js" => Reply::bytes("text/javascript; charset=utf-8", EDITOR.as_bytes().to_vec()),
        "editor-fields.js" => Reply::bytes("text/javascript; charset=utf-8", FIELDS.as_bytes().to_vec()),
        "editor-save.js" => Reply::bytes("text/javascript; charset=utf-8", SAVE.as_bytes().to_vec()),
        "editor-show.js" => Reply::bytes("text/javascript; charset=utf-8", SHOW.as_bytes().to_vec()),
        "table.js" => Reply::bytes("text/javascript; charset=utf-8", TABLE.as_bytes().to_vec()),
        "actuals.js" => Reply::bytes("text/javascript; charset=utf-8", ACTUALS.as_bytes().to_vec()),
        "app.css" => Reply::bytes("text/css; charset=utf-8", STYLE.as_bytes().to_vec()),
        _ => Reply::error(404, "没有这个文件"),
    }
}

/// The committed fonts the style sheet names as a fallback, by file name.
const FONTS: &[&str] = &["NotoSansCJKsc-Regular.otf", "NotoSerifCJKsc-Regular.otf"];

/// `GET /fonts/<name>`: one of [`FONTS`] from the project's `fonts/` folder.
pub fn font(root: &std::path::Path, name: &str) -> Reply {
    if !FONTS.contains(&name) {
        return Reply::error(404, "没有这个字体");
    }
    match crate::files::read_regular(&root.join("fonts").join(name), 256 * 1024 * 1024) {
        Ok(bytes) => Reply { cacheable: true, ..Reply::bytes("font/otf", bytes) },
        Err(_) => Reply::error(404, "没有这个字体"),
    }
}
