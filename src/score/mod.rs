//! Scoring of the year-end self-evaluation (项目支出绩效自评表), as the budget systems
//! compute it: every rule is a setting of the form ([`Scoring`], read from the
//! `evaluation.scoring` section of its `form.yaml`), and every number an exact decimal.
//!
//! - [`direction`]: whether a target is to be reached, not exceeded or met exactly
//!   (正向/反向/等于), from the target's words or as a spec states it;
//! - [`indicator`]: one quantitative indicator's score by its direction, a qualitative
//!   grade's band;
//! - [`execution`]: the budget-execution rate and its score;
//! - [`weights`]: the points of each row (written, or the 一级's points split), rescaled
//!   when rows do not apply;
//! - [`total`]: the total of the printed scores and its grade.
//!
//! Nothing here knows a spec or a file: validation feeds it numbers and reports what it
//! finds against the spec's lines.

pub mod direction;
pub mod execution;
pub mod indicator;
mod settings;
pub mod total;
pub mod weights;

pub use direction::Direction;
pub use settings::{
    Band, ExecutionRule, Grade, LevelPoints, Monitoring, ReasonRule, ReverseFormula, Round, Rounding, Scoring,
    Strictness,
};
