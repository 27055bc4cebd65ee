//! `jixiao fonts`: every font family a build can use (committed, font folders, system
//! fonts when enabled) with the roles that would print with it; with `--check`, per role,
//! the characters of the specs that the role's font lacks (which Typst would then take
//! from the next font of the role, the committed one).

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use crate::cli::FontsArgs;
use crate::form::Form;
use crate::model::Text;
use crate::pipeline::run::families;
use crate::pipeline::{Prepared, prepare};
use crate::session::{Done, Lifetime, Setup, Status, Stopped, setup};
use crate::typeset::fonts::Fonts;
use crate::validate::text::is_ignorable;

/// Runs `fonts`.
pub fn fonts(root: &Path, args: &FontsArgs) -> Result<Done, Stopped> {
    let mut done = Done::new();
    let Setup { settings, years, typesetter, prefs } =
        setup(root, &args.paths, &args.fonts, None, Lifetime::OneShot, &mut done)?;
    let fonts = typesetter.fonts();
    let workspace = &settings.workspace;
    let prepared: Vec<Prepared> = years.par_iter().map(|(dir, _)| prepare(workspace, dir, &typesetter)).collect();
    // Every form in use (and the default one), with the family each of its roles prints with.
    let mut forms: BTreeMap<String, &Form> = BTreeMap::new();
    for form in prepared.iter().filter_map(|p| p.form.as_ref()) {
        forms.entry(form.name.clone()).or_insert(form);
    }
    let chosen: BTreeMap<(String, String), String> = forms
        .values()
        .flat_map(|form| {
            let families = families(form, &prefs);
            families.roles.into_iter().map(move |(role, list)| {
                let first = list.iter().find(|f| fonts.has_family(f)).cloned().unwrap_or_default();
                ((form.name.clone(), role), first)
            })
        })
        .filter(|(_, first): &(_, String)| !first.is_empty())
        .collect();
    list_families(&mut done, fonts, root, &chosen);
    if args.check {
        check(&mut done, fonts, &prepared, &prefs, &chosen);
    }
    Ok(done)
}

/// One line per family: its names, where it comes from, its weights, and the roles
/// (per form) that print with it.
fn list_families(done: &mut Done, fonts: &Fonts, root: &Path, chosen: &BTreeMap<(String, String), String>) {
    let project = crate::workspace::under(root, "fonts");
    let project = project.canonicalize().unwrap_or(project);
    done.out(format!("可用的字体（{} 种）：", fonts.family_names().len()));
    for family in fonts.family_names() {
        let faces: Vec<_> = fonts.faces().iter().filter(|f| f.family == family).collect();
        let mut other: Vec<&str> = Vec::new();
        for name in faces.iter().flat_map(|f| &f.names) {
            if name != family && !other.contains(&name.as_str()) {
                other.push(name);
            }
        }
        let mut weights: Vec<u16> = faces.iter().map(|f| f.weight).collect();
        weights.sort();
        weights.dedup();
        let weights: Vec<String> = weights.iter().map(|w| weight_name(*w)).collect();
        let from = faces.first().map_or(String::new(), |f| {
            let real = f.path.canonicalize().unwrap_or(f.path.clone());
            if real.starts_with(&project) { "项目 fonts/".to_string() } else { f.path.display().to_string() }
        });
        let roles: Vec<String> = chosen
            .iter()
            .filter(|(_, f)| f.as_str() == family)
            .map(|((form, role), _)| format!("{form} 的 {role}"))
            .collect();
        let aka = if other.is_empty() { String::new() } else { format!("（又名 {}）", other.join("、")) };
        let used = if roles.is_empty() { String::new() } else { format!("；用于 {}", roles.join("、")) };
        done.out(format!("  {family}{aka}：{}，{from}{used}", weights.join("、")));
    }
}

/// Per role of each form in use: the characters of that form's specs that the role's font
/// lacks, each with the place it is first used.
fn check(
    done: &mut Done,
    fonts: &Fonts,
    prepared: &[Prepared],
    prefs: &crate::pipeline::FontPreferences,
    chosen: &BTreeMap<(String, String), String>,
) {
    done.out(String::new());
    done.out("各角色的字体缺少的字（规格中用到的）：");
    let mut any = false;
    for ((form_name, role), family) in chosen {
        // The first use of each character, over every year with this form.
        let mut missing: Vec<(char, String)> = Vec::new();
        for year in prepared.iter().filter(|p| p.form.as_ref().is_some_and(|f| &f.name == form_name)) {
            for (path, texts) in year_texts(year) {
                for text in texts {
                    for c in text.value.chars().filter(|c| !c.is_whitespace() && !is_ignorable(*c)) {
                        if !fonts.family_covers(family, c) && !missing.iter().any(|(m, _)| *m == c) {
                            let line = text.referenced.line();
                            missing.push((c, format!("{}:{line}", path.display())));
                        }
                    }
                }
            }
        }
        let fallback = families_after(prefs, year_form(prepared, form_name), role, family);
        if missing.is_empty() {
            done.out(format!("  {form_name} 的 {role}（{family}）：不缺字"));
            continue;
        }
        any = true;
        done.out(format!(
            "  {form_name} 的 {role}（{family}）缺 {} 个字，这些字将用{fallback}印出（按首次出现的位置）：",
            missing.len()
        ));
        // One line per place of first use, its characters together.
        let mut places: Vec<(&str, String)> = Vec::new();
        for (c, place) in &missing {
            match places.iter_mut().find(|(p, _)| p == place) {
                Some((_, chars)) => chars.push(*c),
                None => places.push((place, c.to_string())),
            }
        }
        for (place, chars) in places {
            done.out(format!("    {place}：{chars}"));
        }
    }
    if any {
        done.status = Status::Failed;
    }
}

/// The form named `name` among the prepared years.
fn year_form<'a>(prepared: &'a [Prepared], name: &str) -> Option<&'a Form> {
    prepared.iter().filter_map(|p| p.form.as_ref()).find(|f| f.name == name)
}

/// How the fallback of a role reads: the next families of its list.
fn families_after(prefs: &crate::pipeline::FontPreferences, form: Option<&Form>, role: &str, family: &str) -> String {
    let list = form.and_then(|form| families(form, prefs).roles.remove(role)).unwrap_or_default();
    let rest: Vec<String> = list.into_iter().skip_while(|f| f != family).skip(1).filter(|f| f != family).collect();
    if rest.is_empty() { "其他字体".to_string() } else { format!("“{}”", rest.join("”“")) }
}

/// Every data text of a year, by file.
fn year_texts(year: &Prepared) -> Vec<(&Path, Vec<&Text>)> {
    let mut out: Vec<(&Path, Vec<&Text>)> = Vec::new();
    if let Some(department) = &year.files.department {
        out.push((&department.path, department.spec.texts()));
    }
    for project in &year.files.projects {
        out.push((&project.path, project.spec.texts()));
    }
    out
}

/// A weight as people name it.
fn weight_name(weight: u16) -> String {
    match weight {
        0..=349 => "细体".into(),
        350..=449 => "常规".into(),
        450..=599 => "中等".into(),
        _ => "粗体".into(),
    }
}
