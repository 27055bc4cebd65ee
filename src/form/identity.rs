//! The identity fields a form has: a project code, a department code, the narrative's
//! introduction. A form of an office whose tables have none of them says so, and its
//! specs then need not invent them.

use serde::Serialize;

/// The identity fields a form has (`identity:` in `form.yaml`): whether its specs must
/// write a project code (else a project is known by its file name), a department code,
/// and the department narrative's introduction. Each is required unless the form says
/// `false`; a field the form does not require may still be written, and is then checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Identity {
    /// 项目编码 (`code` of a project): digits, equal to the file name.
    pub project_code: bool,
    /// 部门编码 (`department.code`).
    pub department_code: bool,
    /// The narrative's introduction (`narrative.intro`).
    pub intro: bool,
}

impl Default for Identity {
    fn default() -> Identity {
        Identity { project_code: true, department_code: true, intro: true }
    }
}
