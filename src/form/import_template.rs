//! A province's budget-system import template (`import_template:` in `form.yaml`): the
//! sheet the system exports or takes, its header row, and which spec field each column
//! holds. `jixiao import` reads such a sheet through it.
//!
//! Columns name fields by their spec path: `code`, `name` and the form's project fields
//! (`purpose`, `leader`), a block's part (`period.start`, `funds.fiscal`), a spending-plan
//! month (`spending_plan.6`), an indicator field (`indicators.level1`, `indicators.name`,
//! `indicators.value`, `indicators.basis`, `indicators.table`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// An import template as `form.yaml` declares it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ImportTemplate {
    /// The sheet's name; any sheet with the header when absent.
    #[serde(default)]
    pub sheet: Option<String>,
    /// The header's row, from 1; found by its labels when absent.
    #[serde(default)]
    pub header_row: Option<u32>,
    /// Column header → spec path.
    pub columns: BTreeMap<String, String>,
}
