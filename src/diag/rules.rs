//! Every rule a diagnostic can be made from, as a typed value: a code, the name `allow:`
//! uses (warnings), one sentence, and what kind of problem it is. A diagnostic is always
//! made from a rule, so a code missing from the list cannot compile, and `allow` works
//! the same for every warning.
//!
//! The rules of the tool itself live here; each lint keeps its rule next to its check
//! (`validate/lints/<name>.rs`). [`crate::validate::rules`] lists them all, in the
//! README's order.

use super::Severity;

/// What kind of problem a rule reports, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A spec or form is wrong (exit code 1).
    Content,
    /// A file could not be read or written (exit code 2).
    Io,
}

/// One rule.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable code, e.g. `E0305`.
    pub code: &'static str,
    /// The name used in `allow:` lists; empty for errors (they cannot be silenced).
    pub name: &'static str,
    /// One sentence, in Chinese.
    pub summary: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// For the exit code.
    pub kind: Kind,
}

impl Rule {
    /// An error about content.
    pub const fn error(code: &'static str, summary: &'static str) -> Rule {
        Rule { code, name: "", summary, severity: Severity::Error, kind: Kind::Content }
    }

    /// An error reading or writing a file.
    pub const fn io(code: &'static str, summary: &'static str) -> Rule {
        Rule { code, name: "", summary, severity: Severity::Error, kind: Kind::Io }
    }

    /// A warning, silenced by `allow: [name]`.
    pub const fn warning(code: &'static str, name: &'static str, summary: &'static str) -> Rule {
        Rule { code, name, summary, severity: Severity::Warning, kind: Kind::Content }
    }
}

/// YAML 语法错误（缩进、冒号、引号等）。
pub const E0101: Rule = Rule::error("E0101", "YAML 语法错误（缩进、冒号、引号等）。");
/// 值的类型不对（例如需要文字却写了列表）。
pub const E0102: Rule = Rule::error("E0102", "值的类型不对（例如需要文字却写了列表）。");
/// 未知字段（多为拼写错误），并给出最接近的正确字段。
pub const E0103: Rule = Rule::error("E0103", "未知字段（多为拼写错误），并给出最接近的正确字段。");
/// 缺少必填字段，或必填字段的值为空。
pub const E0104: Rule = Rule::error("E0104", "缺少必填字段，或必填字段的值为空。");
/// 同一层级中出现重复的键。
pub const E0105: Rule = Rule::error("E0105", "同一层级中出现重复的键。");
/// YAML 嵌套过深或别名展开过多（防止“别名炸弹”）。
pub const E0106: Rule = Rule::error("E0106", "YAML 嵌套过深或别名展开过多（防止“别名炸弹”）。");
/// 文件不是 UTF-8 编码。
pub const E0107: Rule = Rule::error("E0107", "文件不是 UTF-8 编码。");
/// 规格文件超过 1 MiB。
pub const E0108: Rule = Rule::error("E0108", "规格文件超过 1 MiB。");
/// 文件或目录无法读取。
pub const E0109: Rule = Rule::io("E0109", "文件或目录无法读取。");
/// 年度目录中缺少 department.yaml。
pub const E0110: Rule = Rule::error("E0110", "年度目录中缺少 department.yaml。");
/// 输出目录属于另一个年度目录，或另一个 jixiao 正在向它生成。
pub const E0111: Rule = Rule::io("E0111", "输出目录属于另一个年度目录，或另一个 jixiao 正在向它生成。");
/// 无法写入输出文件（磁盘已满、只读、无权限等）；原有文件保持不变。
pub const E0112: Rule = Rule::io("E0112", "无法写入输出文件（磁盘已满、只读、无权限等）；原有文件保持不变。");
/// department.yaml 指定的表样不存在。
pub const E0201: Rule = Rule::error("E0201", "department.yaml 指定的表样不存在。");
/// 表样目录缺少必需的模板文件或 form.yaml 有误。
pub const E0202: Rule = Rule::error("E0202", "表样目录缺少必需的模板文件或 form.yaml 有误。");
/// department.yaml 中的年度与目录名不一致。
pub const E0301: Rule = Rule::error("E0301", "department.yaml 中的年度与目录名不一致。");
/// 部门编码或项目编码不是纯数字。
pub const E0302: Rule = Rule::error("E0302", "部门编码或项目编码不是纯数字。");
/// 同一年度中有两个项目使用同一编码。
pub const E0303: Rule = Rule::error("E0303", "同一年度中有两个项目使用同一编码。");
/// 项目文件名与项目编码不一致。
pub const E0304: Rule = Rule::error("E0304", "项目文件名与项目编码不一致。");
/// 一级指标名称不是表样中的名称。
pub const E0305: Rule = Rule::error("E0305", "一级指标名称不是表样中的名称。");
/// 二级指标不属于所写的一级指标。
pub const E0306: Rule = Rule::error("E0306", "二级指标不属于所写的一级指标。");
/// 资金支出计划缺少表样要求的时间节点。
pub const E0307: Rule = Rule::error("E0307", "资金支出计划缺少表样要求的时间节点。");
/// 资金支出计划中有表样没有的时间节点。
pub const E0308: Rule = Rule::error("E0308", "资金支出计划中有表样没有的时间节点。");
/// 资金支出计划的百分比不是 0–100 之间的数字。
pub const E0309: Rule = Rule::error("E0309", "资金支出计划的百分比不是 0–100 之间的数字。");
/// 资金支出计划是累计数，后一节点不能小于前一节点。
pub const E0310: Rule = Rule::error("E0310", "资金支出计划是累计数，后一节点不能小于前一节点。");
/// 资金支出计划最后一个节点必须是 100。
pub const E0311: Rule = Rule::error("E0311", "资金支出计划最后一个节点必须是 100。");
/// 百分比指标值超过 100%。
pub const E0312: Rule = Rule::error("E0312", "百分比指标值超过 100%。");
/// 金额或数量为负数。
pub const E0313: Rule = Rule::error("E0313", "金额或数量为负数。");
/// 指标值含有数字但无法解析（如全角数字、错位的千分位）。
pub const E0314: Rule = Rule::error("E0314", "指标值含有数字但无法解析（如全角数字、错位的千分位）。");
/// 资金情况（funds）或权重中的数字无法解析。
pub const E0315: Rule = Rule::error("E0315", "资金情况（funds）或权重中的数字无法解析。");
/// 文字中含有控制字符或文字方向控制符（多为从网页粘贴带入的不可见字符）。
pub const E0316: Rule = Rule::error("E0316", "文字中含有控制字符或文字方向控制符（多为从网页粘贴带入的不可见字符）。");
/// 文字中有字体无法显示的字符（否则 PDF 中会出现方框）。
pub const E0317: Rule = Rule::error("E0317", "文字中有字体无法显示的字符（否则 PDF 中会出现方框）。");
/// 金额或其合计超出了可以精确计算的范围（约 7.9 × 10²⁸）。
pub const E0318: Rule = Rule::error("E0318", "金额或其合计超出了可以精确计算的范围（约 7.9 × 10²⁸）。");
/// 两个输出文件同名（会互相覆盖），多为项目名称相同或表样的文件名模式不含 {code}。
pub const E0319: Rule =
    Rule::error("E0319", "两个输出文件同名（会互相覆盖），多为项目名称相同或表样的文件名模式不含 {code}。");
/// 表样自己的字段的值不符合表样规定的类型。
pub const E0320: Rule = Rule::error(
    "E0320",
    "字段的值不符合表样规定的类型（金额、百分比、日期、选项等），如表样自己的字段“指标方向性”或规定为选项的“项目属性”。",
);
/// 表样规定的合计与各项之和不符。
pub const E0321: Rule = Rule::error("E0321", "表样规定的合计（如资金总额）与各项金额之和不符。");
/// 指标所属的表不是表样中的指标表。
pub const E0322: Rule = Rule::error("E0322", "指标的 table 不是表样中的指标表（如长期、年度绩效指标表）。");
/// 编制日期（department.yaml 的 date）不是完整的日期。
pub const E0323: Rule = Rule::error("E0323", "编制日期（date）应是完整的日期，如 2024-01-15 或 2024年1月15日。");
/// 生成 PDF/A 需要文件日期，而 department.yaml 没有编制日期，也没有 SOURCE_DATE_EPOCH。
pub const E0324: Rule = Rule::error(
    "E0324",
    "生成 PDF/A（存档用 PDF）需要文件日期：department.yaml 中没有编制日期（date），也没有设置 SOURCE_DATE_EPOCH。",
);
/// 项目还没有绩效指标。
pub const E0325: Rule = Rule::error("E0325", "项目还没有绩效指标。");
/// 缺少表样要求必填的一级指标（如满意度指标）。
pub const E0326: Rule = Rule::error("E0326", "缺少表样要求必填的一级指标（如满意度指标）。");
/// 模板或 Typst 排版出错（表样问题，不是规格问题）。
pub const E0401: Rule = Rule::error("E0401", "模板或 Typst 排版出错（表样问题，不是规格问题）。");
/// 排版后有内容超出页面的可印区域（打印时会被裁掉），多为表样问题。
pub const E0402: Rule = Rule::error("E0402", "排版后有内容超出页面的可印区域（打印时会被裁掉），多为表样问题。");
/// 一个文件的排版超过时间上限（--time-limit），多为表样模板中的死循环。
pub const E0403: Rule = Rule::error("E0403", "一个文件的排版超过时间上限（--time-limit），多为表样模板中的死循环。");
/// 字体无法使用（字体文件损坏或格式不受支持）。
pub const E0404: Rule = Rule::error("E0404", "字体无法使用（字体文件损坏或格式不受支持）。");
/// 排版占用的内存超过上限（--memory-limit），多为表样模板中过大的计算。
pub const E0405: Rule = Rule::error("E0405", "排版占用的内存超过上限（--memory-limit），多为表样模板中过大的计算。");
/// Typst 排版警告（如找不到指定的字体）。
pub const W0401: Rule = Rule::warning("W0401", "", "Typst 排版警告（如找不到指定的字体）。");
/// 无法写入增量构建清单（下次会重新生成全部 PDF）。
pub const W0402: Rule = Rule::warning("W0402", "", "无法写入增量构建清单（下次会重新生成全部 PDF）。");
/// 名称太长，生成的 PDF 文件名超过 240 字节，已截短。
pub const W0212: Rule = Rule::warning("W0212", "long-file-name", "名称太长，生成的 PDF 文件名超过 240 字节，已截短。");
/// projects/ 中有不是 .yaml 的文件，已忽略。
pub const W0901: Rule = Rule::warning("W0901", "stray-file", "projects/ 中有不是 .yaml 的文件，已忽略。");
/// allow 列表中有不存在的提示名称。
pub const W0902: Rule = Rule::warning("W0902", "unknown-allow", "allow 列表中有不存在的提示名称。");

/// 实际数据文件没有对应的项目（projects/ 中没有同名的目标规格）。
pub const E0501: Rule = Rule::error("E0501", "实际数据文件没有对应的项目（projects/ 中没有同名的目标规格）。");
/// 项目还没有本期的实际数据文件。
pub const E0502: Rule = Rule::error("E0502", "项目还没有本期的实际数据文件。");
/// 实际数据中的指标不在目标规格中，或在其中写了两次。
pub const E0503: Rule = Rule::error("E0503", "实际数据中的指标不在目标规格中，或在其中写了两次。");
/// 目标规格中的指标在实际数据中没有列出。
pub const E0504: Rule = Rule::error("E0504", "目标规格中的指标在实际数据中没有列出。");
/// 实际数据中的数字（金额、实际值、分值、得分）无法解析。
pub const E0505: Rule = Rule::error("E0505", "实际数据中的数字（金额、实际值、分值、得分）无法解析。");
/// 实际完成值缺失，或定量指标的实际完成值不是数字。
pub const E0506: Rule = Rule::error("E0506", "实际完成值缺失，或定量指标的实际完成值不是数字。");
/// 定性指标的实际完成情况不是表样中的等级，或得分不在该等级的区间内。
pub const E0507: Rule = Rule::error("E0507", "定性指标的实际完成情况不是表样中的等级，或得分不在该等级的区间内。");
/// 各行分值之和不等于表样的总分，或有指标无法确定分值。
pub const E0508: Rule = Rule::error("E0508", "各行分值之和不等于表样的总分，或有指标无法确定分值。");
/// 手写得分与按规则计算的不同，却没有写明理由（score_reason）。
pub const E0509: Rule = Rule::error("E0509", "手写得分与按规则计算的不同，却没有写明理由（score_reason）。");
/// 得分低于满分（或执行率低于表样的要求）却没有写偏差原因，或原因超过表样规定的字数。
pub const E0510: Rule =
    Rule::error("E0510", "得分低于满分（或执行率低于表样的要求）却没有写偏差原因，或原因超过表样规定的字数。");
/// 方向（direction）、完成可能性或偏差原因不是表样允许的写法。
pub const E0511: Rule = Rule::error("E0511", "方向（direction）、完成可能性或偏差原因不是表样允许的写法。");
/// period.yaml 有误：表样不是自评表或监控表，或监控表缺少监控月份（month）。
pub const E0512: Rule =
    Rule::error("E0512", "period.yaml 有误：表样不是自评表或监控表，或监控表缺少监控月份（month）。");
/// 资金行或资金栏不是本表样的，或缺少必填的金额。
pub const E0513: Rule = Rule::error("E0513", "资金行或资金栏不是本表样的，或缺少必填的金额。");
/// 手写得分与按规则计算的不同（已写明理由，按手写得分打印）。
pub const W0501: Rule =
    Rule::warning("W0501", "hand-score", "手写得分与按规则计算的不同（已写明理由，按手写得分打印）。");
/// 实际值远超目标，10号文允许按偏离程度扣分：请判断后写明得分。
pub const W0502: Rule =
    Rule::warning("W0502", "over-achievement", "实际值远超目标，10号文允许按偏离程度扣分：请判断后写明得分。");
/// 实际完成值的单位与指标值不同。
pub const W0503: Rule = Rule::warning("W0503", "actual-unit", "实际完成值的单位与指标值不同。");
/// 支出进度落后于资金支出计划的序时进度。
pub const W0504: Rule = Rule::warning("W0504", "behind-plan", "支出进度落后于资金支出计划的序时进度。");
/// 得分低于满分、执行率偏低或预计不能完成，却没有写偏差原因。
pub const W0505: Rule =
    Rule::warning("W0505", "missing-reason", "得分低于满分、执行率偏低或预计不能完成，却没有写偏差原因。");
/// 指标值没有写明方向（如“≤25 万元”），按“等于”计分。
pub const W0506: Rule =
    Rule::warning("W0506", "direction-assumed", "指标值没有写明方向（如“≤25 万元”），按“等于”计分。");

/// The rules of the tool itself that come before the lints in the README's table.
pub const BEFORE_LINTS: &[&Rule] = &[
    &E0101, &E0102, &E0103, &E0104, &E0105, &E0106, &E0107, &E0108, &E0109, &E0110, &E0111, &E0112, &E0201, &E0202,
    &E0301, &E0302, &E0303, &E0304, &E0305, &E0306, &E0307, &E0308, &E0309, &E0310, &E0311, &E0312, &E0313, &E0314,
    &E0315, &E0316, &E0317, &E0318, &E0319, &E0320, &E0321, &E0322, &E0323, &E0324, &E0325, &E0326, &E0401, &E0402,
    &E0403, &E0404, &E0405, &W0401, &W0402, &E0501, &E0502, &E0503, &E0504, &E0505, &E0506, &E0507, &E0508, &E0509,
    &E0510, &E0511, &E0512, &E0513, &W0501, &W0502, &W0503, &W0504, &W0505, &W0506,
];

/// Those that come after the lints.
pub const AFTER_LINTS: &[&Rule] = &[&W0212, &W0901, &W0902];
