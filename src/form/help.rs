//! A form's 填写说明 for the editor: what to write in a field, and an example.

use serde::{Deserialize, Serialize};

/// A field's 填写说明.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct HelpDef {
    /// What to write.
    #[serde(default)]
    pub text: Option<String>,
    /// An example value.
    #[serde(default)]
    pub example: Option<String>,
}
