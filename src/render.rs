//! minijinja → Typst source, with every value escaped as Typst data.
//!
//! Templates named `*.typ.j2` run in the custom auto-escape mode `typst`: the formatter
//! writes every string as a Typst string literal in markup, `#"…";` (only `\`, `"` and
//! control characters need escaping inside it, and the trailing `;` ends the embedded
//! expression so following template text is never swallowed). Integers print as they
//! are; `none`, undefined values, floats, lists and maps are errors, so a misspelt
//! variable fails the build instead of leaving an empty cell. The `str` filter gives a
//! quoted literal (`"…"`) for code positions such as font lists. A render has a bounded
//! amount of work ([`FUEL`]).

use minijinja::syntax::SyntaxConfig;
use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State, UndefinedBehavior};
use serde::Serialize;

use crate::form::Form;

/// The auto-escape mode name of Typst templates.
const TYPST_MODE: &str = "typst";

/// Work one render may do (minijinja "fuel", about one unit per instruction): a combined
/// report of 1,000 projects with 50 indicators each needs a few million; a template that
/// loops without end stops with an error instead of hanging the build.
pub const FUEL: u64 = 50_000_000;

/// A minijinja environment holding one form's templates.
pub struct Renderer {
    env: Environment<'static>,
}

impl Renderer {
    /// Builds the environment from a form's `*.typ.j2` files.
    pub fn new(form: &Form) -> Result<Renderer, Error> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_fuel(Some(FUEL));
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".typ.j2") { AutoEscape::Custom(TYPST_MODE.into()) } else { AutoEscape::None }
        });
        env.set_formatter(typst_formatter);
        env.set_syntax(
            SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).keep_trailing_newline(true).build()?,
        );
        env.add_filter("str", |value: Value| -> Result<Value, Error> {
            let text = value
                .as_str()
                .ok_or_else(|| Error::new(ErrorKind::InvalidOperation, "the str filter takes a string"))?;
            Ok(Value::from_safe_string(string_literal(text)))
        });
        for (name, source) in &form.files {
            if name.ends_with(".typ.j2") {
                env.add_template_owned(name.clone(), source.clone())?;
            }
        }
        Ok(Renderer { env })
    }

    /// Renders a template with a serialisable context.
    pub fn render<S: Serialize>(&self, template: &str, context: S) -> Result<String, Error> {
        self.env.get_template(template)?.render(Value::from(minijinja::value::Serde(&context)))
    }
}

/// Writes values into Typst markup: strings as `#"…";`, integers verbatim.
fn typst_formatter(out: &mut Output, state: &mut State, value: &Value) -> Result<(), Error> {
    if !matches!(state.auto_escape(), AutoEscape::Custom(mode) if mode == TYPST_MODE) || value.is_safe() {
        return minijinja::escape_formatter(out, state, value);
    }
    use minijinja::value::ValueKind;
    let text = match value.kind() {
        ValueKind::String => format!("#{};", string_literal(value.as_str().unwrap_or_default())),
        ValueKind::Number if value.as_i64().is_some() => value.to_string(),
        kind => {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("refusing to print a {kind} into Typst (only strings and integers are data)"),
            ));
        }
    };
    out.write_str(&text).map_err(Error::from)
}

/// A Typst string literal for `text`: `"` and `\` escaped, control characters as
/// `\u{…}` escapes.
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_only_what_typst_needs() {
        assert_eq!(string_literal(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(string_literal("x\ny\u{7}"), "\"x\\ny\\u{7}\"");
        assert_eq!(string_literal("#[]*_$@<"), "\"#[]*_$@<\"");
    }
}
