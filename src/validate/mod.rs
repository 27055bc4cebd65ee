//! Validation: schema-level problems are found while parsing ([`crate::spec::load`]);
//! this module checks the domain rules (errors, [`project`] and [`department`]), the text
//! of every field ([`text`]) and the lints (warnings, [`lints`]).
//!
//! Every rule has a stable code; [`RULES`] lists them all with one sentence each (the
//! README's table is generated from the same list by a test).

pub mod department;
pub mod lints;
pub mod outputs;
pub mod project;
pub mod text;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use rust_decimal::Decimal;
use serde_saphyr::Spanned;

use crate::diag::Diagnostic;
use crate::form::Form;
use crate::spec::load::span_of;
use crate::spec::year::YearFiles;
use crate::typeset::fonts::Fonts;
use crate::value::IndicatorValue;

/// One rule: code, lint name (for `allow:`, warnings only) and what it checks.
pub struct Rule {
    /// Stable code, e.g. `E0305`.
    pub code: &'static str,
    /// The name used in `allow:` lists; empty for errors (they cannot be silenced).
    pub name: &'static str,
    /// One sentence, in Chinese.
    pub summary: &'static str,
}

/// Every rule the tool applies, in code order.
pub const RULES: &[Rule] = &[
    Rule { code: "E0101", name: "", summary: "YAML 语法错误（缩进、冒号、引号等）。" },
    Rule { code: "E0102", name: "", summary: "值的类型不对（例如需要文字却写了列表）。" },
    Rule {
        code: "E0103", name: "", summary: "未知字段（多为拼写错误），并给出最接近的正确字段。"
    },
    Rule { code: "E0104", name: "", summary: "缺少必填字段，或必填字段的值为空。" },
    Rule { code: "E0105", name: "", summary: "同一层级中出现重复的键。" },
    Rule {
        code: "E0106", name: "", summary: "YAML 嵌套过深或别名展开过多（防止“别名炸弹”）。"
    },
    Rule { code: "E0107", name: "", summary: "文件不是 UTF-8 编码。" },
    Rule { code: "E0108", name: "", summary: "规格文件超过 1 MiB。" },
    Rule { code: "E0109", name: "", summary: "文件或目录无法读取。" },
    Rule { code: "E0110", name: "", summary: "年度目录中缺少 department.yaml。" },
    Rule {
        code: "E0111", name: "", summary: "输出目录属于另一个年度目录，或另一个 jixiao 正在向它生成。"
    },
    Rule {
        code: "E0112", name: "", summary: "无法写入输出文件（磁盘已满、只读、无权限等）；原有文件保持不变。"
    },
    Rule { code: "E0201", name: "", summary: "department.yaml 指定的表样不存在。" },
    Rule { code: "E0202", name: "", summary: "表样目录缺少必需的模板文件或 form.yaml 有误。" },
    Rule { code: "E0301", name: "", summary: "department.yaml 中的年度与目录名不一致。" },
    Rule { code: "E0302", name: "", summary: "部门编码或项目编码不是纯数字。" },
    Rule { code: "E0303", name: "", summary: "同一年度中有两个项目使用同一编码。" },
    Rule { code: "E0304", name: "", summary: "项目文件名与项目编码不一致。" },
    Rule { code: "E0305", name: "", summary: "一级指标名称不是表样中的名称。" },
    Rule { code: "E0306", name: "", summary: "二级指标不属于所写的一级指标。" },
    Rule { code: "E0307", name: "", summary: "资金支出计划缺少表样要求的时间节点。" },
    Rule { code: "E0308", name: "", summary: "资金支出计划中有表样没有的时间节点。" },
    Rule { code: "E0309", name: "", summary: "资金支出计划的百分比不是 0–100 之间的数字。" },
    Rule {
        code: "E0310", name: "", summary: "资金支出计划是累计数，后一节点不能小于前一节点。"
    },
    Rule { code: "E0311", name: "", summary: "资金支出计划最后一个节点必须是 100。" },
    Rule { code: "E0312", name: "", summary: "百分比指标值超过 100%。" },
    Rule { code: "E0313", name: "", summary: "金额或数量为负数。" },
    Rule {
        code: "E0314", name: "", summary: "指标值含有数字但无法解析（如全角数字、错位的千分位）。"
    },
    Rule { code: "E0315", name: "", summary: "资金情况（funds）或权重中的数字无法解析。" },
    Rule {
        code: "E0316", name: "", summary: "文字中含有控制字符或文字方向控制符（多为从网页粘贴带入的不可见字符）。"
    },
    Rule {
        code: "E0317", name: "", summary: "文字中有字体无法显示的字符（否则 PDF 中会出现方框）。"
    },
    Rule {
        code: "E0318", name: "", summary: "金额或其合计超出了可以精确计算的范围（约 7.9 × 10²⁸）。"
    },
    Rule {
        code: "E0319",
        name: "",
        summary: "两个输出文件同名（会互相覆盖），多为项目名称相同或表样的文件名模式不含 {code}。",
    },
    Rule { code: "E0401", name: "", summary: "模板或 Typst 排版出错（表样问题，不是规格问题）。" },
    Rule {
        code: "E0402", name: "", summary: "排版后有内容超出页面的可印区域（打印时会被裁掉），多为表样问题。"
    },
    Rule {
        code: "E0403", name: "", summary: "一个文件的排版超过时间上限（--time-limit），多为表样模板中的死循环。"
    },
    Rule { code: "E0404", name: "", summary: "字体无法使用（字体文件损坏或格式不受支持）。" },
    Rule { code: "W0401", name: "", summary: "Typst 排版警告（如找不到指定的字体）。" },
    Rule { code: "W0402", name: "", summary: "无法写入增量构建清单（下次会重新生成全部 PDF）。" },
    Rule {
        code: "W0201", name: "goal-contradicts-indicator", summary: "绩效目标中的数字与同名指标的指标值矛盾。"
    },
    Rule {
        code: "W0202", name: "mixed-money-unit", summary: "金额单位与部门的金额单位写法不一致（如“万”与“万元”）。"
    },
    Rule {
        code: "W0203", name: "missing-money-unit", summary: "成本指标的金额没有写单位，或部门未写金额单位。"
    },
    Rule { code: "W0204", name: "blank-basis", summary: "指标值确定依据为空。" },
    Rule {
        code: "W0205", name: "description-equals-name", summary: "绩效指标描述与三级指标名称完全相同。"
    },
    Rule { code: "W0206", name: "quantity-without-unit", summary: "数量指标的指标值没有计量单位。" },
    Rule {
        code: "W0207", name: "rate-not-percent", summary: "名称以“率”结尾的指标，指标值却不是百分比。"
    },
    Rule {
        code: "W0208", name: "basis-year-mismatch", summary: "指标值确定依据中的年份与预算年度不同。"
    },
    Rule { code: "W0209", name: "code-prefix", summary: "项目编码不以部门编码开头。" },
    Rule {
        code: "W0210", name: "known-typo", summary: "常见错别字（如“行政审事”应为“行政审批”）。"
    },
    Rule {
        code: "W0211", name: "cost-differs-from-funds", summary: "成本指标金额与资金情况（funds）合计不一致。"
    },
    Rule {
        code: "W0212", name: "long-file-name", summary: "名称太长，生成的 PDF 文件名超过 240 字节，已截短。"
    },
    Rule { code: "W0901", name: "stray-file", summary: "projects/ 中有不是 .yaml 的文件，已忽略。" },
    Rule { code: "W0902", name: "unknown-allow", summary: "allow 列表中有不存在的提示名称。" },
];

/// The rule with this lint name.
pub fn lint_by_name(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| !r.name.is_empty() && r.name == name)
}

/// What validation learnt about one project.
#[derive(Debug, Default, Clone)]
pub struct ProjectFacts {
    /// Whether the project has no errors (it may be built).
    pub ok: bool,
    /// Parsed 指标值, one per indicator (`None` where it did not parse).
    pub values: Vec<Option<IndicatorValue>>,
    /// The budget: sum of the cost-slot amounts in the department's money unit.
    pub amount: Option<Decimal>,
}

/// The result of checking one year.
#[derive(Debug, Default)]
pub struct Checked {
    /// Every problem, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the department file has no errors.
    pub department_ok: bool,
    /// Facts per project, parallel to `YearFiles::projects`.
    pub projects: Vec<ProjectFacts>,
    /// The department's total budget (the summary's 合计): the projects' amounts added
    /// exactly (an overflow is error E0318 instead).
    pub total: Decimal,
    /// The output file names, when the department file could be read.
    pub outputs: Option<outputs::OutputNames>,
}

/// Collects diagnostics for one file.
pub struct FileCheck<'a> {
    /// The file.
    pub path: &'a Path,
    /// Its text.
    pub text: &'a str,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> FileCheck<'a> {
    /// Starts checking a file.
    pub fn new(path: &'a Path, text: &'a str) -> Self {
        FileCheck { path, text, diagnostics: Vec::new() }
    }

    /// The byte range of a spanned value.
    pub fn span<T>(&self, value: &Spanned<T>) -> Range<usize> {
        span_of(self.text, value)
    }

    /// Records an error at a value.
    pub fn error<T>(&mut self, code: &'static str, at: &Spanned<T>, message: impl Into<String>) -> &mut Diagnostic {
        let d = Diagnostic::error(code, self.path, Some(self.span(at)), message);
        self.diagnostics.push(d);
        self.diagnostics.last_mut().unwrap_or_else(|| unreachable!("just pushed"))
    }

    /// Records a warning at a value.
    pub fn warning<T>(&mut self, code: &'static str, at: &Spanned<T>, message: impl Into<String>) -> &mut Diagnostic {
        let d = Diagnostic::warning(code, self.path, Some(self.span(at)), message);
        self.diagnostics.push(d);
        self.diagnostics.last_mut().unwrap_or_else(|| unreachable!("just pushed"))
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Checks a year's specs against the form (and, when given, the fonts' coverage).
pub fn check_year(year: &YearFiles, form: &Form, fonts: Option<&Fonts>) -> Checked {
    let mut checked = Checked::default();
    let dir_year = year.dir.file_name().and_then(|n| n.to_str()).and_then(|n| n.parse::<u32>().ok());
    let mut year_allow: Vec<String> = Vec::new();
    // Without a readable department file, the folder name still gives the year.
    let mut context = department::YearContext { year: dir_year.unwrap_or_default(), ..Default::default() };
    if let Some(dep) = &year.department {
        let mut file = FileCheck::new(&dep.path, &dep.text);
        context = department::check(&mut file, &dep.spec, dir_year, fonts);
        year_allow = dep.spec.allow.iter().map(|a| a.value.clone()).collect();
        let allowed: Vec<&str> = year_allow.iter().map(String::as_str).collect();
        retain_allowed(&mut file.diagnostics, &allowed);
        checked.department_ok = !file.has_errors();
        checked.diagnostics.append(&mut file.diagnostics);
    }
    let mut codes: BTreeMap<String, &Path> = BTreeMap::new();
    for loaded in &year.projects {
        let mut file = FileCheck::new(&loaded.path, &loaded.text);
        let mut facts = project::check(&mut file, &loaded.spec, form, &context, fonts);
        let code = loaded.spec.code.value.trim().to_string();
        if let Some(first) = codes.get(&code) {
            file.error("E0303", &loaded.spec.code, format!("项目编码 {code} 与 {} 重复", first.display()))
                .set_hint("每个项目的编码必须唯一");
        } else {
            codes.insert(code, &loaded.path);
        }
        lints::check_project(&mut file, &loaded.spec, &facts, form, &context);
        if let Some(amount) = facts.amount {
            match checked.total.checked_add(amount) {
                Some(total) => checked.total = total,
                None => {
                    file.error(
                        "E0318",
                        &loaded.spec.code,
                        "加上本项目的金额后，部门的预算合计超出了可以精确计算的范围",
                    )
                    .set_hint("请检查各项目成本指标的金额是否多写了位数或写错了单位");
                }
            }
        }
        let allowed: Vec<&str> =
            loaded.spec.allow.iter().map(|a| a.value.as_str()).chain(year_allow.iter().map(String::as_str)).collect();
        retain_allowed(&mut file.diagnostics, &allowed);
        facts.ok = !file.has_errors();
        checked.diagnostics.append(&mut file.diagnostics);
        checked.projects.push(facts);
    }
    let mut blocked = vec![false; year.projects.len()];
    let mut found = year.diagnostics.clone();
    checked.outputs = outputs::check(year, form, &mut found, &mut blocked);
    for (facts, blocked) in checked.projects.iter_mut().zip(blocked) {
        facts.ok &= !blocked;
    }
    // Problems found outside one file's checks honour the same `allow` lists.
    found.retain(|d| {
        let own = year.projects.iter().find(|p| p.path == d.file).map(|p| p.spec.allow.as_slice()).unwrap_or_default();
        let allowed: Vec<&str> =
            own.iter().map(|a| a.value.as_str()).chain(year_allow.iter().map(String::as_str)).collect();
        d.is_error() || !RULES.iter().any(|r| r.code == d.code && allowed.contains(&r.name))
    });
    checked.diagnostics.append(&mut found);
    checked
        .diagnostics
        .sort_by(|a, b| (&a.file, a.span.as_ref().map(|s| s.start)).cmp(&(&b.file, b.span.as_ref().map(|s| s.start))));
    checked
}

/// Drops warnings whose lint name is in `allowed` (errors cannot be silenced).
fn retain_allowed(diagnostics: &mut Vec<Diagnostic>, allowed: &[&str]) {
    diagnostics.retain(|d| d.is_error() || !RULES.iter().any(|r| r.code == d.code && allowed.contains(&r.name)));
}
