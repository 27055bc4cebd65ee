//! Specs: the YAML model ([`model`], the spending plan in [`plan`], the kinds of file in
//! [`kind`]), their shape for a form ([`schema`]), safe loading with positions ([`load`]),
//! the Chinese names of keys ([`fields`]), reading input files safely ([`read`]) from the
//! working tree, memory or a git revision ([`source`], [`git`]), and the discovery of a
//! year's files ([`year`]); the JSON Schemas editors read ([`json_schema`]) and the
//! first line that points a file at its schema ([`modeline`]).

pub mod edit;
pub mod fields;
pub mod git;
pub mod json_schema;
pub mod kind;
pub mod load;
pub mod model;
pub mod modeline;
pub mod plan;
pub mod read;
pub mod roll_over;
pub mod schema;
pub mod source;
pub mod text_form;
pub mod tree;
pub mod year;
