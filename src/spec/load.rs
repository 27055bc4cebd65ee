//! Reading spec files safely and turning YAML problems into located Chinese diagnostics.
//!
//! Files larger than [`MAX_SPEC_BYTES`], not UTF-8, or not YAML are refused with a clear
//! message. The parser is serde-saphyr: it gives a position for every value, treats
//! duplicate keys as errors and has budgets against alias bombs and deep nesting.

use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::{Budget, Error as YamlError, Location, Options, Spanned};

use crate::diag::{Diagnostic, Rule, rules};
use crate::form::fields::FormFields;
use crate::spec::model::Spec;
use crate::spec::{fields, schema, tree};

/// Largest spec file accepted (1 MiB); real specs are a few KiB.
pub const MAX_SPEC_BYTES: u64 = 1024 * 1024;

/// An I/O problem with a file, as a diagnostic.
pub fn io_error(path: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::new(&rules::E0109, path, None, format!("无法读取文件：{}", crate::text::io_reason(error)))
}

/// Parses YAML text into `T`, mapping every parser error to a located diagnostic.
pub fn parse<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::new(&rules::E0101, path, None, "文件是空的"));
    }
    if let Some((at, c)) = text.char_indices().find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        return Err(Diagnostic::new(
            &rules::E0316,
            path,
            Some(at..at + c.len_utf8()),
            format!("文件中有控制字符 U+{:04X}（看不见的字符）", c as u32),
        )
        .with_hint("这类字符多来自从网页或 Word 复制粘贴；请删除后重新输入该处文字"));
    }
    // A first pass over the whole document enforces the budgets (depth, node count,
    // aliases) wherever the structure sits, before any typed field can fail on it.
    serde_saphyr::from_str_with_options::<serde::de::IgnoredAny>(text, options())
        .map_err(|e| yaml_error(path, text, &e))?;
    serde_saphyr::from_str_with_options(text, options()).map_err(|e| yaml_error(path, text, &e))
}

/// Parses a spec file into `T` and reports every problem of its shape at once: the YAML
/// is read into a spanned tree, the whole tree is checked against the fields of `T` for a
/// form with `form`'s fields (unknown keys, missing fields, wrong types, empty values),
/// and only a file without such problems is read into the typed model (the form's own
/// fields taken from the tree).
pub fn parse_spec<T: Spec>(path: &Path, text: &str, form: &FormFields) -> Result<T, Vec<Diagnostic>> {
    match parse_spec_past_unknown_keys(path, text, form)? {
        (spec, problems) if problems.is_empty() => Ok(spec),
        (_, problems) => Err(problems),
    }
}

/// Like [`parse_spec`], but a file whose only problems are keys the form does not know
/// (E0103, a misspelt key) is still read, without those keys, so that the domain rules
/// can find every other problem of the file in the same run: the spec comes with the
/// E0103 problems, and must not be built while they stand.
pub fn parse_spec_past_unknown_keys<T: Spec>(
    path: &Path,
    text: &str,
    form: &FormFields,
) -> Result<(T, Vec<Diagnostic>), Vec<Diagnostic>> {
    let tree: tree::Node = parse(path, text).map_err(|d| vec![d])?;
    let problems = schema::check(path, text, &tree, &T::schema(form));
    let unknown_only = problems.iter().all(|d| d.rule.code == rules::E0103.code && d.span.is_some());
    if !problems.is_empty() && !unknown_only {
        return Err(problems);
    }
    // The unknown keys blanked out, byte for byte, so every position stays where it was.
    let mut read = text.to_string();
    for problem in &problems {
        if let Some(span) = &problem.span {
            read = blank_entry(&read, span.start);
        }
    }
    let tree = if problems.is_empty() { tree } else { parse(path, &read).map_err(|_| problems.clone())? };
    // Without the unknown keys, only fields they stood for may be missing (E0103 named them).
    let missing_only = |found: Vec<Diagnostic>| found.iter().all(|d| d.rule.code == rules::E0104.code);
    if !problems.is_empty() && !missing_only(schema::check(path, &read, &tree, &T::schema(form))) {
        return Err(problems);
    }
    let mut spec: T = serde_saphyr::from_str_with_options(&read, options())
        .map_err(|e| if problems.is_empty() { vec![yaml_error(path, text, &e)] } else { problems.clone() })?;
    spec.take_extra(&tree, form);
    spec.identify(path);
    Ok((spec, problems))
}

/// `text` with the map entry whose key starts at `key_start` (its key, its value and the
/// lines indented under it) replaced by spaces; line breaks and lengths are kept.
fn blank_entry(text: &str, key_start: usize) -> String {
    let line_start = text[..key_start].rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..key_start].chars().count();
    let mut end = text[key_start..].find('\n').map_or(text.len(), |i| key_start + i);
    // Lines indented deeper than the key (or blank) belong to its value.
    while end < text.len() {
        let next = end + 1;
        let line_end = text[next..].find('\n').map_or(text.len(), |i| next + i);
        let line = &text[next..line_end];
        let indent = line.chars().take_while(|c| *c == ' ').count();
        if !line.trim().is_empty() && indent <= column {
            break;
        }
        end = line_end;
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..key_start]);
    for c in text[key_start..end].chars() {
        if c == '\n' {
            out.push('\n');
        } else {
            out.push_str(&" ".repeat(c.len_utf8()));
        }
    }
    out.push_str(&text[end..]);
    out
}

/// Parser options: duplicate keys are errors (the default) and budgets are tight.
fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_depth = 32;
    budget.max_nodes = 100_000;
    budget.max_aliases = 100;
    budget.max_anchors = 1_000;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.with_snippet = false;
    options
}

/// Byte range of a spanned value in `text`.
pub fn span_of<T>(text: &str, value: &Spanned<T>) -> Range<usize> {
    location_range(text, &value.referenced)
}

/// Byte range of a parser location in `text` (at least one character wide).
pub fn location_range(text: &str, location: &Location) -> Range<usize> {
    let span = location.span();
    if let (Some(start), Some(len)) = (span.byte_offset(), span.byte_len()) {
        let start = start as usize;
        let end = start + (len as usize).max(1);
        if start <= text.len() {
            return start..end.min(text.len()).max(start);
        }
    }
    let start = offset_of(text, location.line() as usize, location.column() as usize);
    let end = text[start..].chars().next().map(|c| start + c.len_utf8()).unwrap_or(start);
    start..end
}

/// Byte offset of a 1-based line and character column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (index, l) in text.split_inclusive('\n').enumerate() {
        if index + 1 == line {
            return offset + l.char_indices().nth(column.saturating_sub(1)).map(|(i, _)| i).unwrap_or(l.len());
        }
        offset += l.len();
    }
    text.len()
}

fn yaml_error(path: &Path, text: &str, error: &YamlError) -> Diagnostic {
    let error = error.without_snippet();
    let span = error.location().filter(|l| l.line() > 0).map(|l| location_range(text, &l));
    // An error met while replaying an alias is reported at the alias, for its cause.
    let mut error = error;
    while let YamlError::AliasError { error: inner, .. } = error {
        error = inner.without_snippet();
    }
    let diag = |rule: &'static Rule, message: String| Diagnostic::new(rule, path, span.clone(), message);
    match error {
        YamlError::SerdeUnknownField { field, expected, .. } => {
            schema::unknown_key(path, span.clone(), field, expected)
        }
        YamlError::SerdeMissingField { field, .. } => {
            diag(&rules::E0104, format!("缺少必填字段 `{field}`（{}）", fields::describe(field)))
                .with_hint(format!("请在此处添加一行 `{field}: …`"))
        }
        YamlError::NullIntoString { .. } => {
            diag(&rules::E0104, "此字段的值是空的".into()).with_hint("请填写内容；确实没有内容时请删除这一行")
        }
        YamlError::DuplicateMappingKey { key, .. } => {
            diag(&rules::E0105, format!("重复的键 `{}`", key.as_deref().unwrap_or("?")))
                .with_hint("同一个键只能出现一次；请删除或合并重复的行")
        }
        YamlError::SerdeInvalidType { unexpected, expected, .. } => {
            diag(&rules::E0102, format!("类型不对：这里应是{}，实际是{}", kind_zh(expected), kind_zh(unexpected)))
        }
        YamlError::Unexpected { expected, .. } => {
            diag(&rules::E0102, format!("类型不对：这里应是{}", kind_zh(expected)))
        }
        YamlError::InvalidScalar { ty, .. } => diag(&rules::E0102, format!("类型不对：这里应是{}", kind_zh(ty))),
        YamlError::SerdeInvalidValue { unexpected, expected, .. } => {
            diag(&rules::E0102, format!("值不对：这里应是{}，实际是{}", kind_zh(expected), kind_zh(unexpected)))
        }
        YamlError::Budget { .. }
        | YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. }
        | YamlError::AliasReplayCounterOverflow { .. } => {
            diag(&rules::E0106, "YAML 结构过深或别名展开过多，已拒绝读取".into())
                .with_hint("规格文件不需要锚点（&）和别名（*），嵌套也不应超过几层；请检查文件是否被误改")
        }
        YamlError::InvalidUtf8Input => diag(&rules::E0107, "文件不是 UTF-8 编码".into()),
        YamlError::MultipleDocuments { .. } => {
            diag(&rules::E0101, "文件中有多个 YAML 文档（`---`）".into()).with_hint("每个文件只写一个项目")
        }
        other => {
            let english = other.render();
            if english.contains("recursion limit") {
                return diag(&rules::E0106, "YAML 嵌套过深，已拒绝读取".into())
                    .with_hint("规格文件的嵌套不应超过几层；请检查文件是否被误改");
            }
            if english.contains("!!binary") {
                return diag(&rules::E0102, "`!!binary` 标记的内容不是文字".into())
                    .with_hint("规格中的文字请直接书写，不要加 !!binary 标记");
            }
            if let Some(d) = misplaced_blank(path, text, span.as_ref()) {
                return d;
            }
            let (message, hint) = syntax_zh(&english);
            let mut d = diag(&rules::E0101, format!("YAML 格式错误：{message}")).with_hint(hint);
            let line = span.as_ref().map(|s| line_at(text, s.start)).unwrap_or_default();
            if line.contains('：') && !line.contains(": ") {
                d = d.with_hint("这一行的冒号是全角的“：”；键后面的冒号必须是半角的“:”，并且后面跟一个空格");
            }
            d
        }
    }
}

/// The line of `text` that holds byte `at`.
fn line_at(text: &str, at: usize) -> &str {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    &text[start..end]
}

/// A syntax error caused by a tab or a full-width space (U+3000) in the indentation of
/// the line the parser stopped at, or of the line before or after it (the parser often
/// notices one line late): located at that character and explained.
fn misplaced_blank(path: &Path, text: &str, span: Option<&Range<usize>>) -> Option<Diagnostic> {
    let at = span?.start.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let previous = text[..line_start.saturating_sub(1)].rfind('\n').map_or(0, |i| i + 1);
    let mut offset = previous;
    for line in text[previous..].split_inclusive('\n').take(3) {
        let indent = line.char_indices().take_while(|(_, c)| matches!(c, ' ' | '\t' | '\u{3000}'));
        for (i, c) in indent {
            let at = offset + i;
            let located = |message: &str, hint: &str| {
                Diagnostic::new(&rules::E0101, path, Some(at..at + c.len_utf8()), message.to_string())
                    .with_hint(hint.to_string())
            };
            match c {
                '\u{3000}' => {
                    return Some(located(
                        "行首有全角空格（U+3000），YAML 的缩进只能用半角空格",
                        "请把行首的全角空格换成半角空格（中文输入法下可按 Shift+空格 切换全角/半角）",
                    ));
                }
                '\t' => {
                    return Some(located(
                        "行首有 Tab 字符，YAML 的缩进只能用空格",
                        "请把这一行开头的 Tab 换成空格（每级两个空格），与同级的行对齐",
                    ));
                }
                _ => {}
            }
        }
        offset += line.len();
    }
    None
}

/// Chinese for the YAML parser's syntax messages (the position is shown separately).
fn syntax_zh(message: &str) -> (String, &'static str) {
    let english = message.split(" at line ").next().unwrap_or(message).trim();
    let known: &[(&str, &str, &str)] = &[
        ("unclosed quote", "引号没有闭合", "在这段文字的末尾补上对应的引号"),
        ("simple key expected", "这一行缺少冒号，或冒号后缺少空格", "每一行应写成“键: 值”，冒号后要有一个空格"),
        (
            "mapping values are not allowed",
            "此处不能出现“键: 值”",
            "多半是缩进与上一行不一致；如果文字本身含有“: ”，请把整段文字用引号括起来",
        ),
        ("illegal placement of ':'", "冒号的位置不对", "含有冒号、方括号或花括号的文字请用引号括起来"),
        ("tabs disallowed", "不能用 Tab 键缩进", "请把行首的 Tab 换成空格（每级两个空格）"),
        ("invalid indentation", "缩进不对", "同一层级的键要对齐；列表项以“- ”开头并比上一级多缩进两个空格"),
        ("did not find expected", "缩进不一致或缺少内容", "请检查这一行和上一行的缩进"),
        ("cannot start any token", "这里有不能作为开头的字符", "以 @、`、% 等符号开头的文字请用引号括起来"),
        ("escape", "双引号中的反斜杠转义无效", "文字中的反斜杠 \\ 请写成 \\\\，或改用单引号"),
        ("unexpected end", "文件意外结束", "文件可能不完整，请检查最后几行"),
        ("end of stream", "文件意外结束", "文件可能不完整，请检查最后几行"),
        (
            "tag",
            "这里有 YAML 类型标记（以 !! 或 ! 开头）",
            "规格文件中不用类型标记；请删去 !!int、!!str 之类的写法，只写值本身",
        ),
        ("anchor", "锚点或别名（& 或 *）用得不对", "规格文件中不用锚点和别名；请把内容直接写出来"),
        ("alias", "锚点或别名（& 或 *）用得不对", "规格文件中不用锚点和别名；请把内容直接写出来"),
        ("duplicate", "同一个键写了两次", "请删去重复的一行"),
        ("recursion", "嵌套层数太多", "规格文件不需要这么深的嵌套；请检查缩进"),
        ("budget", "文件中的内容过多或嵌套过深", "请检查是否误粘贴了大量内容"),
    ];
    match known.iter().find(|(key, _, _)| english.contains(key)) {
        Some((_, zh, hint)) => ((*zh).to_string(), *hint),
        // What the YAML reader said is English: named as such, after a Chinese sentence.
        None => (
            format!("无法解析这一处（YAML 读取程序的英文原话：{english}）"),
            "常见原因：缩进不一致、冒号后缺少空格、引号未闭合",
        ),
    }
}

/// Chinese for the type names serde and saphyr print.
fn kind_zh(kind: &str) -> String {
    let k = kind.trim_start_matches("a ").trim_start_matches("an ");
    let zh = if k.contains("sequence") {
        "列表（以 `- ` 开头的若干行）"
    } else if k.contains("map") || k.starts_with("struct") {
        "键值对（`键: 值`）"
    } else if k.contains("string") || k.contains("scalar") || k == "str" {
        "文字"
    } else if k.contains("u32") || k.contains("integer") || k.contains("u64") || k.contains("i64") {
        "整数"
    } else if k.contains("bool") {
        "是/否（true/false）"
    } else if k.contains("float") || k.contains("f64") {
        "数字"
    } else {
        return format!("`{kind}`");
    };
    zh.to_string()
}
