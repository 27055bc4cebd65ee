//! W0214: a long string of characters between which no line can break (a web address
//! segment, a long number or code, English without spaces): in a table cell it runs into
//! the next cell, and past the paper `build` refuses the table (E0402 at this line). Said
//! by `check`, which does not typeset.

use super::{Input, Lint};
use crate::diag::Rule;
use crate::validate::FileCheck;

/// The rule.
pub const RULE: Rule =
    Rule::warning("W0214", "unbreakable-run", "文字中有一长串不能断开换行的字符（长网址、编号、无空格的英文），可能超出栏宽或纸张。");
/// The lint.
pub const LINT: Lint = Lint { rule: &RULE, check };

/// The longest run that fits the narrowest cells of the shipped forms at their type size.
const LONGEST: usize = 40;

fn check(file: &mut FileCheck, input: &Input) {
    for text in input.spec.texts() {
        let run = longest_run(&text.value);
        if run > LONGEST {
            file.report(&RULE, text, format!("这段文字中有一串 {run} 个字符不能断开换行，可能超出栏宽甚至超出纸张"))
                .set_hint("多为很长的网址、编号或无空格的英文；请在适当位置加空格，或改短");
        }
    }
}

/// The longest run of characters with no line break opportunity between them: letters,
/// digits and the punctuation that binds to them (Chinese characters, spaces, `/` and `-`
/// allow a break).
fn longest_run(text: &str) -> usize {
    let binds = |c: char| c.is_ascii_alphanumeric() || ".,:;_@#%&=?+*~'\"()[]{}<>!|\\^`$".contains(c);
    let (mut longest, mut current) = (0, 0);
    for c in text.chars() {
        current = if binds(c) { current + 1 } else { 0 };
        longest = longest.max(current);
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::longest_run;

    #[test]
    fn runs_end_where_a_line_may_break() {
        assert_eq!(longest_run("政务服务 2024 年"), 4);
        assert_eq!(longest_run("https://example.gov.cn/abcdefghij"), 14);
        assert_eq!(longest_run(&"a1".repeat(30)), 60);
        assert_eq!(longest_run("中文中文中文"), 0);
    }
}
