//! W0210: known misspellings of this domain (seed 004: 行政审事工作 for 行政审批工作).

use super::{Input, Lint};
use crate::diag::Rule;
use crate::validate::FileCheck;

/// The rule.
pub const RULE: Rule = Rule::warning("W0210", "known-typo", "常见错别字（如“行政审事”应为“行政审批”）。");
/// The lint.
pub const LINT: Lint = Lint { rule: &RULE, check };

/// Known misspellings in this domain and their corrections.
const KNOWN_TYPOS: &[(&str, &str)] = &[
    ("行政审事", "行政审批"),
    ("满义度", "满意度"),
    ("满意率度", "满意度"),
    ("办结律", "办结率"),
    ("绩效目票", "绩效目标"),
    ("营商坏境", "营商环境"),
    ("公共资原", "公共资源"),
    ("预箅", "预算"),
];

fn check(file: &mut FileCheck, input: &Input) {
    for text in input.spec.texts() {
        for (typo, correct) in KNOWN_TYPOS {
            if text.value.contains(typo) {
                file.report(&RULE, text, format!("“{typo}”疑为“{correct}”之误"));
            }
        }
    }
}
