//! A command's settings: `jixiao.toml` (see [`crate::config`]) with the command line's
//! flags over it, and the fonts each role asks for resolved against the fonts found.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::cli::FontArgs;
use crate::config::CONFIG_FILE;
use crate::config::{Config, OutputFormat, PdfStandard};
use crate::form::{FORM_FILE, Form};
use crate::pipeline::{BuildOptions, FontPreferences};
use crate::session::Stopped;
use crate::typeset::Typesetter;
use crate::typeset::fonts::{FontOptions, Fonts};
use crate::workspace::{Workspace, output_conflict, real_path, under};

/// The settings a command runs with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The file's settings, as written.
    pub config: Config,
    /// Where specs, templates and outputs are (the output folder and default form of the
    /// file applied).
    pub workspace: Workspace,
    /// Where fonts come from.
    pub fonts: FontOptions,
    /// The families each role asks for, as written, command line first.
    pub roles: BTreeMap<String, Vec<String>>,
    /// Where each role's request came from (for messages).
    pub role_origin: BTreeMap<String, &'static str>,
    /// The PDF standard (`pdf_standard`, `--pdf-standard`).
    pub pdf_standard: PdfStandard,
    /// The output formats (`formats`, `--format`).
    pub formats: Vec<OutputFormat>,
    /// Resolution of PNG pages.
    pub ppi: f32,
}

/// The default resolution of PNG pages.
pub const DEFAULT_PPI: f32 = 144.0;

impl Settings {
    /// The options of a build to disk with these settings (not forced, no change marks).
    pub fn build_options(&self, typesetter: &Typesetter, prefs: FontPreferences) -> BuildOptions {
        let font_files: Vec<_> = typesetter.fonts().files().into_iter().map(Path::to_path_buf).collect();
        BuildOptions {
            prefs,
            pdf_standard: self.pdf_standard,
            images: self.formats.iter().copied().filter(|f| *f != OutputFormat::Pdf).collect(),
            ppi: self.ppi,
            environment: crate::pipeline::keys::environment(&font_files, self.fonts.system, &self.output_key()),
            ..BuildOptions::default()
        }
    }

    /// Reads `jixiao.toml` under `root` and lays the command line's font flags over it.
    pub fn load(root: &Path, args: &FontArgs) -> Result<Settings, Stopped> {
        let mut workspace = Workspace::at(root);
        let form_roles = form_roles(&workspace.templates);
        let config = Config::load(root, &form_roles)?;
        if let Some(out) = &config.out {
            workspace.out = if out.is_absolute() { out.clone() } else { under(root, &out.to_string_lossy()) };
            // A committed setting writes where every clone writes: inside the project only.
            let conflict = output_conflict(root, &workspace.out).or_else(|| {
                (!real_path(&workspace.out).starts_with(real_path(root)))
                    .then(|| format!("{} 在项目目录之外", workspace.out.display()))
            });
            if let Some(conflict) = conflict {
                return Err(Stopped(format!(
                    "{CONFIG_FILE} 中的 out = \"{}\" 不能用：{conflict}。输出目录应是项目中单独的目录，如 \"out\"",
                    out.display()
                )));
            }
        }
        if let Some(form) = &config.form {
            workspace.default_form = form.clone();
        }
        let mut roles = config.fonts.clone();
        let mut role_origin: BTreeMap<String, &'static str> =
            roles.keys().map(|role| (role.clone(), " jixiao.toml ")).collect();
        for (role, family) in args.role_fonts()? {
            crate::config::check_role(&role, &form_roles).map_err(|e| Stopped(format!("--font：{e}")))?;
            let list = roles.entry(role.clone()).or_default();
            if role_origin.get(&role) != Some(&"命令行") {
                list.clear();
            }
            list.push(family);
            role_origin.insert(role, "命令行");
        }
        let extra_dirs = if args.font_paths.is_empty() {
            config.font_paths.iter().map(|p| if p.is_absolute() { p.clone() } else { root.join(p) }).collect()
        } else {
            args.font_paths.clone()
        };
        let fonts = FontOptions {
            project_dir: under(root, "fonts"),
            extra_dirs,
            system: args.system_fonts || config.system_fonts.unwrap_or(false),
            copied: false,
        };
        Ok(Settings {
            workspace,
            fonts,
            roles,
            role_origin,
            pdf_standard: config.pdf_standard.unwrap_or_default(),
            formats: config.formats.clone().unwrap_or_else(|| vec![OutputFormat::Pdf]),
            ppi: config.ppi.unwrap_or(DEFAULT_PPI),
            config,
        })
    }

    /// Loads the fonts once for the whole command.
    pub fn typesetter(&self) -> Result<Typesetter, Stopped> {
        let options = &self.fonts;
        if !options.project_dir.is_dir() {
            return Err(Stopped(format!("找不到字体目录 {}", options.project_dir.display())));
        }
        for dir in &options.extra_dirs {
            if !dir.is_dir() {
                return Err(Stopped(format!("找不到字体目录 {}", dir.display())));
            }
        }
        let fonts = Fonts::load(options);
        if fonts.family_names().is_empty() {
            return Err(Stopped(format!(
                "字体目录 {} 中没有可用的字体文件（.otf、.ttf、.ttc）。请从 git 仓库恢复 fonts/ 目录",
                options.project_dir.display()
            )));
        }
        Ok(Typesetter::new(fonts))
    }

    /// The families each role asks for, resolved to the names Typst knows them by, and
    /// one Chinese warning for each family no font folder has (that role then uses what
    /// the form names: the committed fonts).
    pub fn preferences(&self, fonts: &Fonts) -> (FontPreferences, Vec<String>) {
        let mut warnings = Vec::new();
        let mut missing: BTreeSet<&str> = BTreeSet::new();
        let mut roles = BTreeMap::new();
        for (role, wanted) in &self.roles {
            let mut found: Vec<String> = Vec::new();
            let mut not_found: Vec<&str> = Vec::new();
            for name in wanted {
                match fonts.resolve(name) {
                    Some(family) if !found.iter().any(|f| f == family) => found.push(family.to_string()),
                    Some(_) => {}
                    None if missing.insert(name) => not_found.push(name),
                    None => {}
                }
            }
            let origin = self.role_origin.get(role).copied().unwrap_or(" jixiao.toml ");
            let how = if self.fonts.system {
                "请确认字体已安装，或在 jixiao.toml 的 font_paths 中加入字体文件所在目录"
            } else {
                "如本机装有此字体，请在 jixiao.toml 中设 system_fonts = true（或加 --system-fonts），或在 font_paths 中加入字体文件所在目录"
            };
            for name in not_found {
                let instead = match found.first() {
                    Some(family) => format!("该角色使用“{family}”"),
                    None => "该角色改用表样自带的字体".to_string(),
                };
                warnings.push(format!("警告：找不到{origin}为角色 {role} 指定的字体“{name}”，{instead}。{how}。"));
            }
            roles.insert(role.clone(), found);
        }
        let bold =
            fonts.faces().iter().filter(|face| face.weight >= 600).map(|face| face.family.to_lowercase()).collect();
        (FontPreferences { roles, bold }, warnings)
    }

    /// What changes every output besides specs and forms: the PDF standard, formats and
    /// resolution (fonts are keyed by the build's environment key).
    pub fn output_key(&self) -> String {
        let formats: Vec<&str> = self.formats.iter().map(|f| f.extension()).collect();
        format!("pdf {}; formats {}; ppi {}", self.pdf_standard.name(), formats.join(","), self.ppi)
    }
}

impl FontArgs {
    /// `--body-font`, `--label-font` and `--font ROLE=NAME`, as (role, family) in order.
    pub fn role_fonts(&self) -> Result<Vec<(String, String)>, Stopped> {
        let mut out: Vec<(String, String)> = Vec::new();
        out.extend(self.body_font.iter().map(|f| ("body".to_string(), f.clone())));
        out.extend(self.label_font.iter().map(|f| ("label".to_string(), f.clone())));
        for written in &self.font {
            match written.split_once('=') {
                Some((role, family)) if !role.trim().is_empty() && !family.trim().is_empty() => {
                    out.push((role.trim().to_string(), family.trim().to_string()))
                }
                _ => {
                    return Err(Stopped(format!(
                        "--font 的值“{written}”应写成“角色=字体名”，如 --font title=方正小标宋简体"
                    )));
                }
            }
        }
        Ok(out)
    }
}

/// The font roles the installed forms use (read from each `form.yaml`).
pub fn form_roles(templates: &Path) -> Vec<String> {
    let mut roles: Vec<String> = Vec::new();
    for name in Form::available(templates) {
        let path: PathBuf = templates.join(&name).join(FORM_FILE);
        let Ok(text) = crate::files::read_regular_text(&path, crate::yaml::MAX_SPEC_BYTES) else { continue };
        if let Ok(def) = crate::yaml::parse::<crate::form::FormDef>(&path, &text) {
            roles.extend(def.fonts.into_keys().filter(|r| !roles.contains(r)).collect::<Vec<_>>());
        }
    }
    roles
}
