//! Which way a target points: 正向 (reach it), 反向 (do not exceed it), 等于 (meet it).

use crate::value::{Cmp, IndicatorValue};

/// The direction of a quantitative target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// 正向: "≥ A", "A 以上"; more is better up to the target.
    Positive,
    /// 反向: "≤ A", "A 以下/以内", "不高于"; less is better.
    Reverse,
    /// 等于: a bare number; scored as 正向, except a target of 0.
    Equal,
}

impl Direction {
    /// The direction a spec writes (`正向`, `反向`, `等于`).
    pub fn named(word: &str) -> Option<Direction> {
        match word {
            "正向" => Some(Direction::Positive),
            "反向" => Some(Direction::Reverse),
            "等于" => Some(Direction::Equal),
            _ => None,
        }
    }

    /// The word for it.
    pub fn word(self) -> &'static str {
        match self {
            Direction::Positive => "正向",
            Direction::Reverse => "反向",
            Direction::Equal => "等于",
        }
    }

    /// The words a spec may write.
    pub const WORDS: [&'static str; 3] = ["正向", "反向", "等于"];

    /// The direction the target's words give: 以上/≥/不低于 → 正向, 以下/以内/≤/不高于 →
    /// 反向, a bare number → 等于; a change (`缩短 50%`, `增长 15%`) is reached by
    /// changing at least that much (正向). `None` for a qualitative value or a range
    /// (a range is scored on its own terms, see [`crate::score::indicator`]).
    pub fn of(value: &IndicatorValue) -> Option<Direction> {
        match value {
            IndicatorValue::Quantity { cmp, .. } => Some(match cmp {
                Cmp::Ge | Cmp::Gt => Direction::Positive,
                Cmp::Le | Cmp::Lt => Direction::Reverse,
                Cmp::Eq => Direction::Equal,
            }),
            IndicatorValue::Change { .. } => Some(Direction::Positive),
            IndicatorValue::Range { .. } | IndicatorValue::Qualitative(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Option<Direction> {
        Direction::of(&IndicatorValue::parse(text).unwrap())
    }

    #[test]
    fn the_words_of_the_target_give_the_direction() {
        for text in ["98%以上", "≥95%", "不低于 90%", "达到 100 人", "大于 3 次"] {
            assert_eq!(of(text), Some(Direction::Positive), "{text}");
        }
        for text in ["5%以下", "≤ 3 天", "3 个工作日以内", "不高于 25 万元", "不超过 10 次", "小于 2 天"]
        {
            assert_eq!(of(text), Some(Direction::Reverse), "{text}");
        }
        for text in ["25 万元", "100%", "12 次"] {
            assert_eq!(of(text), Some(Direction::Equal), "{text}");
        }
        assert_eq!(of("缩短 50%"), Some(Direction::Positive), "a change is reached by changing at least that much");
        assert_eq!(of("完成"), None);
        assert_eq!(of("80%-90%"), None);
    }

    #[test]
    fn a_spec_names_a_direction_by_its_word() {
        for word in Direction::WORDS {
            assert_eq!(Direction::named(word).map(Direction::word), Some(word));
        }
        assert_eq!(Direction::named("正"), None);
    }
}
