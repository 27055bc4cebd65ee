//! jixiao（绩效）turns a department's annual performance-target specs, kept as YAML in
//! git, into the printable official report.
//!
//! The pipeline, one module each: [`spec`] reads `specs/<year>/department.yaml` and
//! `projects/*.yaml` with a position for every value; [`validate`] applies the schema's
//! domain rules and lints, producing located Chinese [`diag`]nostics; [`view`] arranges
//! valid data the way the [`form`] (labels, slots, checkpoints — data under
//! `templates/<form>/`) prints it; [`render`] merges it into Typst source with minijinja,
//! escaping every value as Typst data; [`typeset`] compiles that in-process in a
//! sandboxed World with the committed fonts into a reproducible PDF; [`incremental`]
//! writes files atomically and remembers what was written. The [`pipeline`] strings these
//! together per budget year in the folders of a [`workspace`], and [`cmd`] holds the
//! subcommands behind the [`cli`]; [`serve`] is the browser editor.

// A `Diagnostic` (144 bytes) travels only on the cold error path, once per problem;
// boxing it everywhere would buy nothing measurable.
#![allow(clippy::result_large_err)]

pub mod cli;
pub mod cmd;
pub mod config;
pub mod diag;
pub mod files;
pub mod form;
pub mod grid;
pub mod import;
pub mod incremental;
pub mod model;
pub mod office;
pub mod parallel;
pub mod pipeline;
pub mod progress;
pub mod render;
pub mod review;
pub mod score;
pub mod serve;
pub mod session;
pub mod spec;
pub mod suggest;
pub mod text;
pub mod typeset;
pub mod validate;
pub mod value;
pub mod view;
pub mod workspace;
pub mod yaml;
