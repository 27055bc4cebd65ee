//! `jixiao.toml`: the project's settings (default form, output folder, fonts by role,
//! PDF standard, output formats), optional, at the project root.
//!
//! Every key is listed in [`KEYS`] with its meaning and default (the README's table is
//! checked against it). Unknown keys and values of the wrong kind are errors located at
//! `jixiao.toml:line:column`, with a suggestion for a misspelt key. Command-line flags
//! override the file (see [`crate::session::settings`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::suggest::closest;

/// The file name, at the project root.
pub const CONFIG_FILE: &str = "jixiao.toml";

/// Every key, its meaning (Chinese, for the README) and its default.
pub const KEYS: &[(&str, &str, &str)] = &[
    ("form", "年度目录的 department.yaml 没写 `form` 时使用的表样", "\"hebei-2024\""),
    ("out", "输出目录（相对于项目根目录）", "\"out\""),
    (
        "formats",
        "生成的文件格式：pdf、png、svg（图片每页一个文件）、xlsx、docx（按表样版式的 Excel、Word 文件），都放在 PDF 旁边",
        "[\"pdf\"]",
    ),
    ("ppi", "png 图片的分辨率（每英寸像素数）", "144"),
    ("pdf_standard", "PDF 标准：\"1.7\"（普通 PDF）、\"a-2b\"、\"a-3b\"（存档用 PDF/A）", "\"1.7\""),
    ("system_fonts", "是否也使用操作系统中安装的字体", "false"),
    ("font_paths", "额外的字体目录（相对于项目根目录，或绝对路径）", "[]"),
    (
        "fonts.<角色>",
        "各角色优先使用的字体，按顺序尝试，如 body = [\"仿宋_GB2312\", \"仿宋\"]；都找不到时用表样自带的字体",
        "表样的设置",
    ),
];

/// The font roles a form may use, with what each is for.
pub const ROLES: &[(&str, &str)] = &[
    ("title", "标题（方正小标宋简体一类）"),
    ("body", "正文（仿宋_GB2312 一类）"),
    ("label", "表头和小标题（黑体一类）"),
    ("kai", "楷体（楷体_GB2312 一类）"),
];

/// A PDF standard to conform to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PdfStandard {
    /// Plain PDF 1.7.
    #[default]
    Pdf17,
    /// PDF/A-2b (ISO 19005-2, basic conformance).
    A2b,
    /// PDF/A-3b (ISO 19005-3: as A-2b, and files may be embedded).
    A3b,
}

impl PdfStandard {
    /// The names accepted in `jixiao.toml` and on the command line.
    pub const NAMES: &[&str] = &["1.7", "a-2b", "a-3b"];

    /// Parses a name.
    pub fn parse(name: &str) -> Option<PdfStandard> {
        match name.to_ascii_lowercase().as_str() {
            "1.7" => Some(PdfStandard::Pdf17),
            "a-2b" => Some(PdfStandard::A2b),
            "a-3b" => Some(PdfStandard::A3b),
            _ => None,
        }
    }

    /// The name, as written in `jixiao.toml`.
    pub fn name(self) -> &'static str {
        match self {
            PdfStandard::Pdf17 => "1.7",
            PdfStandard::A2b => "a-2b",
            PdfStandard::A3b => "a-3b",
        }
    }

    /// Whether this is a PDF/A standard (which needs a document date).
    pub fn is_archival(self) -> bool {
        self != PdfStandard::Pdf17
    }
}

/// An output format of `build`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OutputFormat {
    /// The PDF.
    Pdf,
    /// One PNG per page.
    Png,
    /// One SVG per page.
    Svg,
    /// The table as an Excel workbook in its printed layout (beside a report: the year's).
    Xlsx,
    /// The table as a Word document in its printed layout.
    Docx,
}

impl OutputFormat {
    /// The names accepted.
    pub const NAMES: &[&str] = &["pdf", "png", "svg", "xlsx", "docx"];

    /// Parses a name.
    pub fn parse(name: &str) -> Option<OutputFormat> {
        use OutputFormat::*;
        [Pdf, Png, Svg, Xlsx, Docx].into_iter().find(|f| f.extension() == name.to_ascii_lowercase())
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Pdf => "pdf",
            OutputFormat::Png => "png",
            OutputFormat::Svg => "svg",
            OutputFormat::Xlsx => "xlsx",
            OutputFormat::Docx => "docx",
        }
    }

    /// Whether it is an office file (one per document, not one per page).
    pub fn is_office(self) -> bool {
        matches!(self, OutputFormat::Xlsx | OutputFormat::Docx)
    }
}

/// The settings of `jixiao.toml`; a key not written is `None` (or empty).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// `form`.
    pub form: Option<String>,
    /// `out`, relative to the project root unless absolute.
    pub out: Option<PathBuf>,
    /// `formats`.
    pub formats: Option<Vec<OutputFormat>>,
    /// `ppi`.
    pub ppi: Option<f32>,
    /// `pdf_standard`.
    pub pdf_standard: Option<PdfStandard>,
    /// `system_fonts`.
    pub system_fonts: Option<bool>,
    /// `font_paths`, as written.
    pub font_paths: Vec<PathBuf>,
    /// `[fonts]`: role → families, in order of preference.
    pub fonts: BTreeMap<String, Vec<String>>,
}

/// A Chinese explanation of what the TOML reader said (its words are English).
fn toml_zh(english: &str) -> String {
    let known: &[(&str, &str)] = &[
        ("invalid string", "文字写得不对（多为引号没有闭合，或含有无效的反斜杠转义）"),
        ("recursion limit", "嵌套层数太多"),
        ("duplicate key", "同一个键写了两次"),
        ("invalid key", "键名写得不对（键名只能含字母、数字、- 和 _，否则请加引号）"),
        ("expected `=`", "键后面缺少“=”"),
        ("expected `.`, `=`", "键后面缺少“=”"),
        ("invalid table header", "表头写得不对（应写成 [名称]）"),
        ("invalid inline table", "行内表写得不对（应写成 { 键 = 值 }）"),
        ("invalid array", "列表写得不对（应写成 [\"甲\", \"乙\"]）"),
        ("invalid number", "数字写得不对"),
        ("invalid boolean", "真假值只能写 true 或 false"),
        ("string values must be quoted", "文字要用双引号括起来"),
        ("expected newline", "一行只能写一个“键 = 值”"),
        ("invalid basic string", "文字中有不能直接写的字符（如换行），多为引号没有闭合"),
        ("unexpected", "这里有多余或不该出现的字符"),
    ];
    match known.iter().find(|(key, _)| english.contains(key)) {
        Some((_, zh)) => (*zh).to_string(),
        None => format!("格式不对（TOML 读取程序的英文原话：{}）", english.trim()),
    }
}

/// Largest `jixiao.toml` read (it holds a few lines).
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

impl Config {
    /// Reads `jixiao.toml` under `root`; no file is the default settings. `roles` are the
    /// font roles the installed forms use (besides [`ROLES`]).
    pub fn load(root: &Path, roles: &[String]) -> Result<Config, String> {
        let path = root.join(CONFIG_FILE);
        use crate::files::{NotAFile, ReadError, read_regular_text};
        match read_regular_text(&path, MAX_CONFIG_BYTES) {
            Ok(text) => Config::parse(&text, roles).map_err(|e| format!("{}:{e}", shown(root))),
            Err(ReadError::NotAFile(NotAFile::Missing)) => Ok(Config::default()),
            Err(e) => Err(format!("无法读取 {}：{}", shown(root), e.reason())),
        }
    }

    /// Parses the text of `jixiao.toml`. An error reads `line:column: message`.
    pub fn parse(text: &str, roles: &[String]) -> Result<Config, String> {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let (line, column) = e.span().map(|s| line_column(text, s.start)).unwrap_or((1, 1));
            format!("{line}:{column}: 不是有效的 TOML：{}", toml_zh(e.message()))
        })?;
        let at = |key: &str, section: Option<&str>| {
            let (line, column) = locate(text, key, section);
            format!("{line}:{column}: ")
        };
        let mut config = Config::default();
        // In file order, so that the first problem reported is the first one written.
        let mut keys: Vec<(&String, &toml::Value)> = table.iter().collect();
        keys.sort_by_key(|(key, _)| locate(text, key, None));
        for (key, value) in keys {
            let wrong = |what: &str| format!("{}`{key}` 的值应是：{what}", at(key, None));
            match key.as_str() {
                "form" => config.form = Some(value.as_str().ok_or_else(|| wrong("文字，如 \"hebei-2024\""))?.into()),
                "out" => config.out = Some(value.as_str().ok_or_else(|| wrong("目录名，如 \"out\""))?.into()),
                "system_fonts" => config.system_fonts = Some(value.as_bool().ok_or_else(|| wrong("true 或 false"))?),
                "ppi" => {
                    let ppi = value.as_integer().map(|i| i as f64).or(value.as_float());
                    match ppi {
                        Some(ppi) if (10.0..=1200.0).contains(&ppi) => config.ppi = Some(ppi as f32),
                        _ => return Err(wrong("10 到 1200 之间的数，如 144")),
                    }
                }
                "pdf_standard" => {
                    let name = value.as_str().unwrap_or_default();
                    config.pdf_standard = Some(
                        PdfStandard::parse(name)
                            .ok_or_else(|| wrong(&format!("{} 之一", quoted(PdfStandard::NAMES))))?,
                    );
                }
                "formats" => {
                    let names = strings(value).ok_or_else(|| wrong("文字的列表，如 [\"pdf\", \"png\"]"))?;
                    let mut formats = Vec::new();
                    for name in names {
                        let format = OutputFormat::parse(&name).ok_or_else(|| {
                            format!(
                                "{}`formats` 中的“{name}”不是可用的格式；可用：{}",
                                at(key, None),
                                OutputFormat::NAMES.join("、")
                            )
                        })?;
                        if !formats.contains(&format) {
                            formats.push(format);
                        }
                    }
                    if formats.is_empty() {
                        return Err(format!("{}`formats` 至少要有一种格式", at(key, None)));
                    }
                    config.formats = Some(formats);
                }
                "font_paths" => {
                    let paths = strings(value).ok_or_else(|| wrong("目录的列表，如 [\"/usr/share/fonts\"]"))?;
                    config.font_paths = paths.into_iter().map(PathBuf::from).collect();
                }
                "fonts" => config.fonts = font_roles(text, value, roles)?,
                _ => {
                    let known = KEYS.iter().map(|(k, _, _)| k.split('.').next().unwrap_or(k));
                    return Err(unknown(&at(key, None), key, known, "设置"));
                }
            }
        }
        Ok(config)
    }
}

/// Whether `role` is a font role (one of [`ROLES`] or of `roles`, the forms' own); the
/// error says which roles there are, or the closest one.
pub fn check_role(role: &str, roles: &[String]) -> Result<(), String> {
    let mut known: Vec<&str> = ROLES.iter().map(|(r, _)| *r).collect();
    known.extend(roles.iter().map(String::as_str).filter(|r| !ROLES.iter().any(|(k, _)| k == r)));
    if known.contains(&role) { Ok(()) } else { Err(unknown("", role, known.iter().copied(), "字体角色")) }
}

/// The `[fonts]` table: role → families.
fn font_roles(text: &str, value: &toml::Value, roles: &[String]) -> Result<BTreeMap<String, Vec<String>>, String> {
    let Some(table) = value.as_table() else {
        let (line, column) = locate(text, "fonts", None);
        return Err(format!("{line}:{column}: `fonts` 应是一个表，如\n[fonts]\nbody = [\"仿宋_GB2312\"]"));
    };
    let mut out = BTreeMap::new();
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(role, _)| locate(text, role, Some("fonts")));
    for (role, families) in entries {
        let (line, column) = locate(text, role, Some("fonts"));
        let at = format!("{line}:{column}: ");
        check_role(role, roles).map_err(|e| format!("{at}{e}"))?;
        let families = strings(families)
            .filter(|f| !f.is_empty() && f.iter().all(|f| !f.trim().is_empty()))
            .ok_or_else(|| format!("{at}`fonts.{role}` 应是字体名的列表，如 [\"仿宋_GB2312\", \"仿宋\"]"))?;
        out.insert(role.clone(), families.into_iter().map(|f| f.trim().to_string()).collect());
    }
    Ok(out)
}

/// An unknown key: where, what, and the closest known one.
fn unknown<'a>(at: &str, key: &str, known: impl Iterator<Item = &'a str> + Clone, what: &str) -> String {
    let hint = match closest(key, known.clone()) {
        Some(close) => format!("您是不是想写“{close}”？"),
        None => format!("可用的{what}：{}", known.collect::<Vec<_>>().join("、")),
    };
    format!("{at}没有“{key}”这个{what}。{hint}")
}

/// A string, or a list of strings, as a list.
fn strings(value: &toml::Value) -> Option<Vec<String>> {
    match value {
        toml::Value::String(s) => Some(vec![s.clone()]),
        toml::Value::Array(items) => items.iter().map(|v| v.as_str().map(str::to_string)).collect(),
        _ => None,
    }
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join("、")
}

/// How the file is named in messages.
fn shown(root: &Path) -> String {
    crate::workspace::under(root, CONFIG_FILE).display().to_string()
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Where `key` is written: the first line that starts with it (or with `"key"`), within
/// `[section]` when given; the top of the file when not found.
fn locate(text: &str, key: &str, section: Option<&str>) -> (usize, usize) {
    let mut current: Option<String> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(header) = trimmed.strip_prefix('[') {
            current = header.split(']').next().map(|h| h.trim().to_string());
        }
        let in_section = match section {
            None => current.is_none(),
            Some(s) => current.as_deref() == Some(s),
        };
        let dotted = section.is_none_or(|s| trimmed.starts_with(&format!("{s}.{key}")));
        let written = [key.to_string(), format!("\"{key}\"")]
            .iter()
            .any(|k| trimmed.strip_prefix(k.as_str()).is_some_and(|rest| rest.trim_start().starts_with(['=', '.'])));
        if (in_section && written) || (section.is_some() && current.is_none() && dotted) {
            return line_column(text, offset + indent);
        }
        if section.is_none() && trimmed.starts_with(&format!("[{key}")) {
            return line_column(text, offset + indent);
        }
        offset += line.len();
    }
    (1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_key() {
        let text = "form = \"central-2021\"\nout = \"pdf\"\nformats = [\"pdf\", \"png\"]\nppi = 96\npdf_standard = \"a-2b\"\nsystem_fonts = true\nfont_paths = [\"/opt/fonts\"]\n[fonts]\nbody = [\"仿宋_GB2312\", \"仿宋\"]\ntitle = \"方正小标宋简体\"\n";
        let config = Config::parse(text, &[]).unwrap();
        assert_eq!(config.form.as_deref(), Some("central-2021"));
        assert_eq!(config.out, Some(PathBuf::from("pdf")));
        assert_eq!(config.formats, Some(vec![OutputFormat::Pdf, OutputFormat::Png]));
        assert_eq!(config.ppi, Some(96.0));
        assert_eq!(config.pdf_standard, Some(PdfStandard::A2b));
        assert_eq!(config.system_fonts, Some(true));
        assert_eq!(config.font_paths, vec![PathBuf::from("/opt/fonts")]);
        assert_eq!(config.fonts["body"], vec!["仿宋_GB2312", "仿宋"]);
        assert_eq!(config.fonts["title"], vec!["方正小标宋简体"]);
    }

    #[test]
    fn unknown_keys_are_located_with_a_suggestion() {
        let error = Config::parse("form = \"hebei-2024\"\n\nfromats = [\"pdf\"]\n", &[]).unwrap_err();
        assert_eq!(error, "3:1: 没有“fromats”这个设置。您是不是想写“formats”？");
        let error = Config::parse("[fonts]\nbdy = [\"仿宋\"]\n", &[]).unwrap_err();
        assert_eq!(error, "2:1: 没有“bdy”这个字体角色。您是不是想写“body”？");
        let error = Config::parse("fonts.lable = \"黑体\"\n", &[]).unwrap_err();
        assert!(error.starts_with("1:1: 没有“lable”这个字体角色。您是不是想写“label”"), "{error}");
        // A form's own role is known.
        assert!(Config::parse("[fonts]\nseal = [\"华文中宋\"]\n", &["seal".into()]).is_ok());
    }

    #[test]
    fn wrong_values_are_located() {
        let error = Config::parse("pdf_standard = \"a-1b\"\n", &[]).unwrap_err();
        assert_eq!(error, "1:1: `pdf_standard` 的值应是：\"1.7\"、\"a-2b\"、\"a-3b\" 之一");
        let error = Config::parse("x = 1\nsystem_fonts = \"yes\"\n", &[]).unwrap_err();
        assert!(error.starts_with("1:1: 没有“x”"), "{error}");
        let error = Config::parse("system_fonts = \"yes\"\n", &[]).unwrap_err();
        assert_eq!(error, "1:1: `system_fonts` 的值应是：true 或 false");
        let error = Config::parse("[fonts]\nbody = []\n", &[]).unwrap_err();
        assert!(error.starts_with("2:1: `fonts.body` 应是字体名的列表"), "{error}");
        let error = Config::parse("form = \n", &[]).unwrap_err();
        assert!(error.starts_with("1:8: 不是有效的 TOML"), "{error}");
    }
}
