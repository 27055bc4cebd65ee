//! A table fitted to its pages: its 一级/二级 groups split where their rows begin a new
//! page, so that each page names the groups it shows.

use std::collections::BTreeSet;

use super::{IndicatorView, LevelView, ProjectView, SlotView, TableView};

impl ProjectView {
    /// The same table fitted to its pages: its 一级 and 二级 groups split before each row
    /// in `starts` (rows that begin a page), each part a group of its own, `continued`
    /// after the first, so its label prints on every page the group reaches; and the
    /// rows in `breakable` allowed to break across pages.
    pub fn fitted(&self, starts: &BTreeSet<usize>, breakable: &BTreeSet<usize>) -> ProjectView {
        let tables =
            self.tables.iter().map(|t| TableView { levels: fit(&t.levels, starts, breakable), ..t.clone() }).collect();
        ProjectView { levels: fit(&self.levels, starts, breakable), tables, ..self.clone() }
    }
}

/// 一级 groups fitted to their pages (see [`ProjectView::fitted`]).
fn fit(groups: &[LevelView], starts: &BTreeSet<usize>, breakable: &BTreeSet<usize>) -> Vec<LevelView> {
    {
        let mut levels: Vec<LevelView> = Vec::new();
        for level in groups {
            let mut first_of_level = true;
            for slot in &level.slots {
                let rows: Vec<(usize, Option<&IndicatorView>)> = if slot.indicators.is_empty() {
                    vec![(slot.row, None)]
                } else {
                    slot.indicators.iter().map(|i| (i.row, Some(i))).collect()
                };
                for (k, (row, indicator)) in rows.into_iter().enumerate() {
                    let page_start = starts.contains(&row);
                    if first_of_level || page_start {
                        let continued = !first_of_level;
                        levels.push(LevelView { label: level.label.clone(), rows: 0, slots: Vec::new(), continued });
                    }
                    let part = levels.last_mut().unwrap_or_else(|| unreachable!("a level part was started"));
                    if k == 0 || page_start {
                        let continued = k > 0;
                        part.slots.push(SlotView { indicators: Vec::new(), rows: 0, continued, ..slot.clone() });
                    }
                    part.rows += 1;
                    let slot_part = part.slots.last_mut().unwrap_or_else(|| unreachable!("a slot part was started"));
                    slot_part.rows += 1;
                    slot_part.indicators.extend(
                        indicator.map(|i| IndicatorView { breakable: breakable.contains(&i.row), ..i.clone() }),
                    );
                    first_of_level = false;
                }
            }
        }
        levels
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indicator(row: usize) -> IndicatorView {
        let name = format!("指标{row}");
        IndicatorView { row, name, ..IndicatorView::default() }
    }

    fn table() -> ProjectView {
        // 产出指标: 数量指标 (rows 0, 1, 2), 质量指标 (blank row 3); 效果指标: 社会效益 (row 4).
        let slot = |label: &str, indicators: Vec<IndicatorView>, row| SlotView {
            label: label.into(),
            rows: indicators.len().max(1),
            indicators,
            row,
            continued: false,
        };
        let level = |label: &str, slots: Vec<SlotView>| LevelView {
            label: label.into(),
            rows: slots.iter().map(|s| s.rows).sum(),
            slots,
            continued: false,
        };
        ProjectView {
            code: "1".into(),
            levels: vec![
                level(
                    "产出指标",
                    vec![slot("数量指标", (0..3).map(indicator).collect(), 0), slot("质量指标", vec![], 3)],
                ),
                level("效果指标", vec![slot("社会效益指标", vec![indicator(4)], 4)]),
            ],
            ..ProjectView::default()
        }
    }

    /// A slot part: label, continued, rows.
    type Part = (String, bool, usize);

    /// (level label, continued, rows, slot parts) of each level part.
    fn shape(view: &ProjectView) -> Vec<(String, bool, usize, Vec<Part>)> {
        view.levels
            .iter()
            .map(|l| {
                let slots = l.slots.iter().map(|s| (s.label.clone(), s.continued, s.rows)).collect();
                (l.label.clone(), l.continued, l.rows, slots)
            })
            .collect()
    }

    #[test]
    fn groups_split_where_rows_begin_pages() {
        let table = table();
        assert_eq!(shape(&table.fitted(&BTreeSet::new(), &BTreeSet::new())), shape(&table), "no break, no change");
        // A page begins at row 2 (inside 数量指标) and at row 4 (a new level anyway).
        let fitted = table.fitted(&BTreeSet::from([2, 4]), &BTreeSet::from([1]));
        let s = |l: &str, c, r| (l.to_string(), c, r);
        assert_eq!(
            shape(&fitted),
            vec![
                ("产出指标".into(), false, 2, vec![s("数量指标", false, 2)]),
                ("产出指标".into(), true, 2, vec![s("数量指标", true, 1), s("质量指标", false, 1)]),
                ("效果指标".into(), false, 1, vec![s("社会效益指标", false, 1)]),
            ]
        );
        let rows: Vec<(usize, bool)> = fitted
            .levels
            .iter()
            .flat_map(|l| &l.slots)
            .flat_map(|s| &s.indicators)
            .map(|i| (i.row, i.breakable))
            .collect();
        assert_eq!(rows, [(0, false), (1, true), (2, false), (4, false)], "every row once, in order");
    }
}
