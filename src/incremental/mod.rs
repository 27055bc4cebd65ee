//! Incremental, safe output: the manifest that remembers what was written from which
//! inputs ([`manifest`]), input files trusted by their stats ([`stat`]), atomic writes ([`write`]) and the per-folder lock that keeps
//! two builds apart and clears what an interrupted one left ([`lock`]).

pub mod lock;
pub mod manifest;
pub mod stat;
pub mod write;
