//! The fields of a form's specs, as data: which of jixiao's built-in project and
//! indicator fields the form has, which must be written, and the form's own fields
//! (e.g. 指标方向性, 项目负责人及电话), each with a type that validation checks.
//!
//! `form.yaml` declares them in `project_fields` and `indicator_fields`, lists of
//! `{ key, label, type, required, choices }`. A key that is a built-in field turns it on
//! for the form (the key's type is fixed, except `value`'s); any other key is a field of
//! the form's own. A form that declares no list has the built-in fields of the seed's
//! form: 用途, 资金支出计划, 绩效目标 and 绩效指标描述 required, the rest optional.
//! What every form has is not declared: a project's `code`, `name`, `indicators` and
//! `allow`; an indicator's `level1`, `level2`, `name` and `value`.

use serde::{Deserialize, Serialize};

use crate::model::catalog::{self, About, FieldType, Need};

/// One field as `form.yaml` declares it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDecl {
    /// The spec key (English snake_case, e.g. `leader`).
    pub key: String,
    /// The printed label; a built-in field's own when absent.
    #[serde(default)]
    pub label: Option<String>,
    /// What it holds; text when absent (a built-in field's own type).
    #[serde(default, rename = "type")]
    pub kind: Option<FieldType>,
    /// Whether a spec must write it.
    #[serde(default)]
    pub required: bool,
    /// The values allowed, for a choice.
    #[serde(default)]
    pub choices: Vec<String>,
    /// The columns of each row, for `type: rows`.
    #[serde(default)]
    pub columns: Vec<FieldDecl>,
}

/// A field of a form, resolved: what validation checks and templates receive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Field {
    /// The spec key.
    pub key: String,
    /// The printed label.
    pub label: String,
    /// What it holds.
    #[serde(rename = "type")]
    pub kind: FieldType,
    /// Whether a spec must write it.
    pub required: bool,
    /// Allowed values of a choice.
    pub choices: Vec<String>,
    /// Whether jixiao knows the field (it has a place in the spec model); false for a
    /// field of the form's own (found in the spec's `extra`).
    pub builtin: bool,
    /// The columns of each row, for `type: rows`.
    pub columns: Vec<Field>,
}

/// The fields of a form's projects and indicators.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct FormFields {
    /// Project fields besides the core ones, in declaration order.
    pub project: Vec<Field>,
    /// Indicator fields besides the core ones, in declaration order.
    pub indicator: Vec<Field>,
    /// How `value` is read: `quantity` (parsed; the default) or `text` (printed as written).
    pub value: FieldType,
    /// The keys of the form's indicator tables, when it has several (each indicator then
    /// names its `table`).
    pub tables: Vec<String>,
    /// The form's own department fields (e.g. 单位代码, 联系人), printed at the unit level.
    pub department: Vec<Field>,
    /// Which identity fields the form's tables have and require.
    pub identity: super::identity::Identity,
}

/// A built-in field as the seed's form has it.
fn builtin(about: &About) -> Field {
    Field {
        key: about.key.into(),
        label: about.label.into(),
        kind: about.kind,
        required: about.need == Need::Seed,
        choices: Vec::new(),
        builtin: true,
        columns: Vec::new(),
    }
}

impl Default for FormFields {
    /// The seed's form: every built-in field.
    fn default() -> Self {
        FormFields {
            project: declarable(catalog::PROJECT).map(builtin).collect(),
            indicator: declarable(catalog::INDICATOR).map(builtin).collect(),
            value: FieldType::Quantity,
            tables: Vec::new(),
            department: Vec::new(),
            identity: super::identity::Identity::default(),
        }
    }
}

impl FormFields {
    /// The fields of a form from its declarations (`None`: the default list). Problems
    /// are explained in Chinese.
    pub fn resolve(project: Option<&[FieldDecl]>, indicator: Option<&[FieldDecl]>) -> Result<FormFields, String> {
        let defaults = FormFields::default();
        let mut value = FieldType::Quantity;
        let project = match project {
            None => defaults.project,
            Some(decls) => resolve_list("project_fields", decls, catalog::PROJECT, &[], &mut None)?,
        };
        let indicator = match indicator {
            None => defaults.indicator,
            Some(decls) => {
                let mut declared_value = None;
                let fields = resolve_list("indicator_fields", decls, catalog::INDICATOR, &[], &mut declared_value)?;
                value = declared_value.unwrap_or(FieldType::Quantity);
                fields
            }
        };
        Ok(FormFields {
            project,
            indicator,
            value,
            tables: Vec::new(),
            department: Vec::new(),
            identity: super::identity::Identity::default(),
        })
    }

    /// The form's own department fields from their declarations: each needs a label, and
    /// none may be a department file's own key.
    pub fn resolve_department(decls: &[FieldDecl]) -> Result<Vec<Field>, String> {
        const DEPARTMENT_KEYS: &[&str] =
            &["form", "year", "department", "money_unit", "cover", "headings", "narrative", "allow"];
        resolve_list("department_fields", decls, &[], DEPARTMENT_KEYS, &mut None)
    }

    /// A project field by key.
    pub fn project_field(&self, key: &str) -> Option<&Field> {
        self.project.iter().find(|f| f.key == key)
    }

    /// An indicator field by key.
    pub fn indicator_field(&self, key: &str) -> Option<&Field> {
        self.indicator.iter().find(|f| f.key == key)
    }

    /// Whether the form's projects have the field `key` (core fields always).
    pub fn has_project(&self, key: &str) -> bool {
        is_core(catalog::PROJECT, key) || self.project_field(key).is_some()
    }

    /// Whether the form's indicators have the field `key` (core fields always).
    pub fn has_indicator(&self, key: &str) -> bool {
        is_core(catalog::INDICATOR, key) || self.indicator_field(key).is_some()
    }
}

/// The built-in fields a form may turn on (not those every form has).
fn declarable(builtins: &'static [About]) -> impl Iterator<Item = &'static About> {
    builtins.iter().filter(|a| a.need != Need::Core)
}

/// Whether every form has the field `key` of `builtins`.
fn is_core(builtins: &[About], key: &str) -> bool {
    builtins.iter().any(|a| a.key == key && a.need == Need::Core)
}

/// Resolves one declaration list against the built-in fields of its place (`reserved`:
/// other keys the place has); `value` receives the declared type of `value`.
fn resolve_list(
    list: &str,
    decls: &[FieldDecl],
    builtins: &'static [About],
    reserved: &[&str],
    value: &mut Option<FieldType>,
) -> Result<Vec<Field>, String> {
    let mut fields: Vec<Field> = Vec::new();
    for decl in decls {
        let key = decl.key.trim();
        let valid_key = !key.is_empty()
            && key.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid_key {
            return Err(format!("{list} 中的字段名“{key}”应由小写英文字母、数字和下划线组成，以字母开头"));
        }
        if fields.iter().any(|f| f.key == key) {
            return Err(format!("{list} 中的字段 {key} 写了两次"));
        }
        if key == "value" && list == "indicator_fields" {
            let kind = decl.kind.unwrap_or(FieldType::Quantity);
            if !matches!(kind, FieldType::Quantity | FieldType::Text) {
                return Err("指标值（value）的类型只能是 quantity（解析数字和单位）或 text（原样打印）".into());
            }
            *value = Some(kind);
            continue;
        }
        if is_core(builtins, key) || reserved.contains(&key) {
            return Err(format!("{list} 中的 {key} 是每种表样都有的字段，不用声明"));
        }
        let field = match declarable(builtins).find(|b| b.key == key) {
            Some(builtin) => turned_on(list, decl, builtin)?,
            None => own(list, decl)?,
        };
        if field.kind == FieldType::Choice && field.choices.is_empty() {
            return Err(format!("{list} 中的 {key} 是选项类型，需要用 choices 列出可选的值"));
        }
        if field.kind != FieldType::Choice && !field.choices.is_empty() {
            return Err(format!("{list} 中的 {key} 写了 choices，但类型不是 choice"));
        }
        fields.push(field);
    }
    Ok(fields)
}

/// A built-in field a form turns on: its label may be the form's; its type is fixed,
/// except that a text may be declared short, long or a choice.
fn turned_on(list: &str, decl: &FieldDecl, builtin: &About) -> Result<Field, String> {
    let (key, fixed) = (builtin.key, builtin.kind);
    let texts = [FieldType::Text, FieldType::FreeText, FieldType::Choice];
    if let Some(kind) = decl.kind
        && kind != fixed
        && !(texts.contains(&fixed) && texts.contains(&kind))
    {
        return Err(format!("{list} 中的 {key} 是内置字段，类型为 {}，不能改为 {}", fixed.describe(), kind.describe()));
    }
    Ok(Field {
        key: key.into(),
        label: decl.label.clone().unwrap_or_else(|| builtin.label.into()),
        kind: decl.kind.unwrap_or(fixed),
        required: decl.required,
        choices: decl.choices.clone(),
        builtin: true,
        columns: Vec::new(),
    })
}

/// A field of the form's own: it needs a label, a type its place can hold, and columns
/// when it is rows.
fn own(list: &str, decl: &FieldDecl) -> Result<Field, String> {
    let key = decl.key.trim();
    let kind = decl.kind.unwrap_or_default();
    let projects = list == "project_fields";
    if kind == FieldType::Block || kind == FieldType::Quantity && projects || kind == FieldType::Rows && !projects {
        return Err(format!("{list} 中的 {key} 不能是 {} 类型", kind.describe()));
    }
    let Some(label) = decl.label.clone().filter(|l| !l.trim().is_empty()) else {
        return Err(format!("{list} 中的 {key} 是表样自己的字段，需要写 label（印在表上的名称）"));
    };
    let columns = if kind == FieldType::Rows {
        if decl.columns.is_empty() {
            return Err(format!("{list} 中的 {key} 是若干行（rows），需要用 columns 列出每行的栏目"));
        }
        resolve_list(&format!("{key} 的 columns"), &decl.columns, &[], &[], &mut None)?
    } else if !decl.columns.is_empty() {
        return Err(format!("{list} 中的 {key} 写了 columns，但类型不是 rows"));
    } else {
        Vec::new()
    };
    Ok(Field {
        key: key.into(),
        label,
        kind,
        required: decl.required,
        choices: decl.choices.clone(),
        builtin: false,
        columns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decl(key: &str, kind: Option<FieldType>, required: bool) -> FieldDecl {
        FieldDecl { key: key.into(), label: None, kind, required, choices: Vec::new(), columns: Vec::new() }
    }

    #[test]
    fn declarations_resolve_or_say_why_not() {
        let fields = FormFields::resolve(
            Some(&[decl("goal", None, true), decl("funds", None, false)]),
            Some(&[
                decl("value", Some(FieldType::Text), true),
                FieldDecl {
                    key: "direction".into(),
                    label: Some("指标方向性".into()),
                    kind: Some(FieldType::Choice),
                    required: true,
                    choices: vec!["正向".into(), "反向".into()],
                    columns: vec![],
                },
            ]),
        )
        .unwrap();
        assert_eq!(fields.project.iter().map(|f| f.key.as_str()).collect::<Vec<_>>(), ["goal", "funds"]);
        assert!(fields.has_project("code") && !fields.has_project("purpose"));
        assert_eq!(fields.value, FieldType::Text);
        assert!(!fields.indicator_field("direction").unwrap().builtin);
        assert!(!fields.has_indicator("description"));
        let error = |p: &[FieldDecl], i: &[FieldDecl]| FormFields::resolve(Some(p), Some(i)).unwrap_err();
        assert!(error(&[decl("leader", None, false)], &[]).contains("需要写 label"));
        assert!(error(&[decl("goal", Some(FieldType::Money), false)], &[]).contains("不能改为 金额"));
        assert!(error(&[decl("code", None, true)], &[]).contains("不用声明"));
        assert!(error(&[], &[decl("Dir", None, false)]).contains("小写英文字母"));
        let choice = FieldDecl {
            key: "d".into(),
            label: Some("d".into()),
            kind: Some(FieldType::Choice),
            required: false,
            choices: vec![],
            columns: vec![],
        };
        assert!(error(&[], &[choice]).contains("choices"));
        let rows = FieldDecl {
            key: "plan".into(),
            label: Some("计划".into()),
            kind: Some(FieldType::Rows),
            required: false,
            choices: vec![],
            columns: vec![],
        };
        assert!(error(std::slice::from_ref(&rows), &[]).contains("columns"));
        assert!(error(&[], &[FieldDecl { columns: vec![decl("a", None, false)], ..rows }]).contains("不能是 若干行"));
        assert_eq!(FormFields::resolve(None, None).unwrap(), FormFields::default());
    }
}
