//! Template, composition and Typst problems as located Chinese diagnostics.

use crate::diag::{Diagnostic, rules};
use crate::form::Form;
use crate::typeset::{Typesetter, TypstMessage};

/// A template problem as a located diagnostic: the innermost template and line that
/// failed (through `include`s), the failing expression, and a Chinese reason.
pub(crate) fn template_error(form: &Form, error: &minijinja::Error) -> Diagnostic {
    use minijinja::ErrorKind as K;
    // An error in an included template comes wrapped in "could not render include".
    let mut inner = error;
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(error);
    while let Some(next) = cause {
        if let Some(e) = next.downcast_ref::<minijinja::Error>()
            && e.name().is_some()
        {
            inner = e;
        }
        cause = next.source();
    }
    let name = inner.name().unwrap_or("?");
    let source = form.files.get(name);
    let span = inner.range().filter(|r| source.is_some_and(|s| r.end <= s.len()));
    let expression = span.clone().and_then(|r| source.map(|s| s[r].trim().to_string())).filter(|e| !e.is_empty());
    let reason = match inner.kind() {
        K::UndefinedError => "使用了未定义的变量或字段（变量名写错，或这个表样的数据里没有它）".to_string(),
        K::OutOfFuel => "模板的计算量超过上限，多半有不会结束的循环".to_string(),
        K::SyntaxError => "模板语法错误".to_string(),
        K::TemplateNotFound => "找不到要引用的模板".to_string(),
        K::UnknownFilter => "未知的过滤器".to_string(),
        K::UnknownFunction => "未知的函数".to_string(),
        K::UnknownMethod => "未知的方法".to_string(),
        K::UnknownTest => "未知的测试".to_string(),
        K::InvalidOperation => "无效的操作".to_string(),
        K::TooManyArguments => "参数过多".to_string(),
        K::MissingArgument => "缺少参数".to_string(),
        other => format!("模板出错（{other}）"),
    };
    let mut message = format!("模板 {name} 第 {} 行：{reason}", inner.line().unwrap_or(0));
    if let Some(expression) = &expression {
        message.push_str(&format!("：`{expression}`"));
    }
    if let Some(detail) = inner.detail() {
        message.push_str(&format!("（{detail}）"));
    }
    Diagnostic::new(&rules::E0401, &form.template_path(name), span.filter(|_| source.is_some()), message)
        .with_hint("这是表样模板的问题，不是规格文件的问题；请联系维护表样的同事")
}

/// Pages that could not be put together: the templates break jixiao's contract.
pub(crate) fn compose_error(form: &Form, template: &str, message: String) -> Diagnostic {
    Diagnostic::new(&rules::E0401, &form.template_path(template), None, format!("排版失败：{message}"))
        .with_hint("这是表样模板的问题，不是规格文件的问题；请联系维护表样的同事")
}

/// Chinese for Typst's messages about files (the sandbox speaks to the form's author),
/// without its hints about command-line options jixiao does not have.
pub(crate) fn typst_zh(message: &str) -> String {
    let (text, hints) = message.split_once("（hint:").unwrap_or((message, ""));
    let path = text.split('`').nth(1).unwrap_or_default();
    if text.contains("would escape the project root") {
        format!("拒绝读取表样目录以外的文件 {path}")
    } else if text.starts_with("file not found") {
        format!("表样目录中没有文件 {path}")
    } else if hints.contains("--root") {
        text.to_string()
    } else {
        message.to_string()
    }
}

/// A Typst problem as a diagnostic: a font that cannot be used (E0404, pointing at its
/// file), or a template problem (E0401, W0401).
pub(crate) fn typst_error(form: &Form, template: &str, m: &TypstMessage, typesetter: &Typesetter) -> Diagnostic {
    // "failed to process font `"Family"` (…)": the font file, not the template.
    if m.is_error
        && let Some(rest) = m.message.strip_prefix("failed to process font `\"")
        && let Some((family, _)) = rest.split_once("\"`")
    {
        let files = typesetter.fonts().files_of(family);
        let file = files.first().copied().unwrap_or(form.dir.as_path());
        return Diagnostic::new(
            &rules::E0404,
            file,
            None,
            format!("字体“{family}”无法使用：字体文件可能已损坏，或其格式不受支持"),
        )
        .with_hint(
            "这不是规格文件或表样的问题。请换用其他字体（--body-font、--label-font），或把这个字体文件从字体目录中移除",
        );
    }
    let location = match (m.line, &m.snippet) {
        (Some(line), Some(snippet)) => format!("（生成的 Typst 第 {line} 行：{}）", snippet.trim()),
        _ => String::new(),
    };
    let message = format!("排版{}：{}{location}", if m.is_error { "失败" } else { "警告" }, typst_zh(&m.message));
    let path = form.template_path(template);
    if m.is_error {
        Diagnostic::new(&rules::E0401, &path, None, message)
            .with_hint("这是表样模板的问题，不是规格文件的问题；请联系维护表样的同事")
    } else {
        Diagnostic::new(&rules::W0401, &path, None, message)
    }
}
