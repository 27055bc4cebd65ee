//! Specs as files: the kinds of file and how the form's fields are taken from them
//! ([`kind`]), their shape for a form ([`schema`]), reading one into the [`crate::model`]
//! with every problem of its shape at once ([`load`]), from the working tree, memory or a
//! git revision ([`source`], [`git`]), the discovery of a year's files ([`year`]), edits
//! that keep the clerk's formatting ([`edit`]), the next year's specs ([`roll_over`]),
//! the text `git diff` shows ([`text_form`]), the first line that points a file at its
//! schema ([`modeline`]) and what one command reads more than once, read once ([`cache`]).

pub mod actuals;
pub mod actuals_start;
pub mod actuals_text;
pub mod cache;
pub mod edit;
pub mod git;
pub mod kind;
pub mod load;
pub mod modeline;
pub mod roll_over;
pub mod schema;
pub mod source;
pub mod text_form;
pub mod year;
