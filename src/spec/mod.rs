//! Specs: the YAML model ([`model`]), safe loading with positions ([`load`]), the Chinese
//! names of keys ([`fields`]), reading input files safely ([`read`]) and the discovery of a
//! year's files ([`year`]).

pub mod fields;
pub mod load;
pub mod model;
pub mod read;
pub mod roll_over;
pub mod schema;
pub mod source;
pub mod text_form;
pub mod tree;
pub mod year;
