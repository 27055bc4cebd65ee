//! Importing a period's tables (self-evaluation, monitoring) into actuals files. The
//! table's layout is learned as the target tables' is: a probe table whose every figure
//! is a marker ([`probe`]) is printed by the form's own template, and where each marker
//! lands ([`layout`]) says which labels to look for in a clerk's file ([`read`]). What a
//! table prints but an actuals file does not hold (points, scores, directions) is
//! settled against the form's scoring rules ([`infer`]), so that the file written
//! ([`draft`]) prints the same table again.

pub mod draft;
pub mod infer;
pub mod layout;
pub mod probe;
pub mod read;
pub mod run;
