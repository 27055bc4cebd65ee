//! What changed, arranged for the templates of a change-marked report (filled in below).
