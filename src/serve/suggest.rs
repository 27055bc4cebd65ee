//! Suggestions for the indicator grid: the indicators of this year's and earlier years'
//! specs (name, 一级, 二级, description, value), so that a clerk writing "群众满意度" finds
//! how it was named and measured before. Read from the files' YAML only (a project with
//! errors still has its names); the newest year's wording first.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::serve::State;
use crate::serve::http::{Reply, param};
use crate::serve::paths;
use crate::spec::edit::Doc;

/// Most suggestions sent.
const MOST: usize = 3000;

/// The calendar year a year folder's name ends with (`131003/2024` → 2024).
fn year_number(name: &str) -> Option<u32> {
    name.rsplit('/').next()?.parse().ok()
}

/// `GET /api/suggest?year=`.
pub fn suggest(state: &State, params: &[(String, String)]) -> Reply {
    let year = match paths::year(state.specs(), param(params, "year").unwrap_or("")) {
        Ok(year) => year,
        Err(message) => return Reply::error(404, message),
    };
    let until = year_number(&year);
    let mut folders: Vec<String> = paths::years(state.specs())
        .into_iter()
        .filter(|name| *name == year || matches!((year_number(name), until), (Some(n), Some(u)) if n <= u))
        .collect();
    // Newest first: its wording wins.
    folders.sort_by_key(|name| std::cmp::Reverse(year_number(name)));
    let mut found: BTreeMap<(String, String), Value> = BTreeMap::new();
    for folder in &folders {
        let projects = state.specs().join(folder).join(crate::spec::year::PROJECTS_DIR);
        let Ok(entries) = std::fs::read_dir(&projects) else { continue };
        let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        files.sort();
        for file in files {
            let Ok(bytes) = crate::files::read_regular(&file, crate::yaml::MAX_SPEC_BYTES) else { continue };
            let text = String::from_utf8_lossy(&bytes);
            let Ok(node) = crate::yaml::parse::<crate::yaml::tree::Node>(&file, &text) else { continue };
            let Some(Doc::List(items)) = Doc::from_tree(&text, &node).get("indicators").cloned() else { continue };
            for item in items {
                let text_of = |key: &str| match item.value.get(key) {
                    Some(Doc::Text(t)) => t.trim().to_string(),
                    _ => String::new(),
                };
                let name = text_of("name");
                if name.is_empty() || found.len() >= MOST {
                    continue;
                }
                found.entry((text_of("level2"), name.clone())).or_insert_with(|| {
                    json!({
                        "name": name, "level1": text_of("level1"), "level2": text_of("level2"),
                        "description": text_of("description"), "value": text_of("value"), "year": folder,
                    })
                });
            }
        }
    }
    Reply::json(200, &json!({ "indicators": found.into_values().collect::<Vec<_>>() }))
}
