//! What one command reads more than once, read once: spec files parsed by kind, path and
//! text, and forms loaded by folder and name. `diff` shares one [`ParseCache`] between
//! the two versions it compares, so a file (or form) that is the same in both is parsed
//! (or loaded) once.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use crate::diag::{Diagnostic, Sources};
use crate::form::Form;
use crate::form::fields::FormFields;
use crate::spec::kind::Spec;
use crate::spec::load;

/// Parses and forms shared by the reads of one command. Positions are relative to the
/// text, and the path is part of a parse's key, so a parse taken from the cache is exactly
/// the one that reading would give.
#[derive(Default)]
pub struct ParseCache {
    parsed: Mutex<HashMap<CacheKey, Arc<dyn Any + Send + Sync>>>,
    forms: Mutex<HashMap<(PathBuf, String), Arc<LoadedForm>>>,
}

/// What a parse depends on: what it is read as, the form's fields (hashed; 0 when none),
/// the path (diagnostics name it) and the text.
type CacheKey = (TypeId, u64, PathBuf, String);

/// A form as [`Form::load`] gave it, with the texts its diagnostics point into.
type LoadedForm = (Result<Form, Diagnostic>, Sources);

/// A spec with the problems that left parts of it out, or only problems.
pub(crate) type Parsed<T> = Result<(T, Vec<Diagnostic>), Vec<Diagnostic>>;

impl ParseCache {
    /// The parse of `text` as a `T` at `path` for a form with `form`'s fields, from the
    /// cache or made now.
    pub(crate) fn parse<T: Spec>(&self, path: &Path, text: &str, form: &FormFields) -> Parsed<T> {
        let mut hasher = std::hash::DefaultHasher::new();
        form.hash(&mut hasher);
        self.remember(hasher.finish(), path, text, || load::parse_spec_past_unknown_keys::<T>(path, text, form))
    }

    /// What `read` makes of `text` at `path` (a pure function of the two), from the cache
    /// or made now.
    pub(crate) fn read<T: Clone + Send + Sync + 'static>(
        &self,
        path: &Path,
        text: &str,
        read: impl FnOnce() -> T,
    ) -> T {
        self.remember(0, path, text, read)
    }

    fn remember<T: Clone + Send + Sync + 'static>(
        &self,
        form: u64,
        path: &Path,
        text: &str,
        make: impl FnOnce() -> T,
    ) -> T {
        let key = (TypeId::of::<T>(), form, path.to_path_buf(), text.to_string());
        let hit = self.parsed.lock().unwrap_or_else(PoisonError::into_inner).get(&key).cloned();
        if let Some(made) = hit.as_ref().and_then(|p| p.downcast_ref::<T>()) {
            return made.clone();
        }
        let made = make();
        self.parsed.lock().unwrap_or_else(PoisonError::into_inner).insert(key, Arc::new(made.clone()));
        made
    }

    /// The form `name` of `templates`, loaded once per command (its files do not change
    /// while a command runs); its texts go to `sources` as loading it would add them.
    pub fn form(&self, templates: &Path, name: &str, sources: &mut Sources) -> Result<Form, Diagnostic> {
        let key = (templates.to_path_buf(), name.to_string());
        let hit = self.forms.lock().unwrap_or_else(PoisonError::into_inner).get(&key).cloned();
        let loaded = hit.unwrap_or_else(|| {
            let mut own = Sources::default();
            let form = Form::load(templates, name, &mut own);
            let loaded = Arc::new((form, own));
            self.forms.lock().unwrap_or_else(PoisonError::into_inner).insert(key, Arc::clone(&loaded));
            loaded
        });
        sources.absorb(&loaded.1);
        loaded.0.clone()
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    #[test]
    fn a_read_is_made_once_per_path_and_text() {
        let cache = ParseCache::default();
        let made = Cell::new(0);
        let read = |path: &str, text: &str| {
            cache.read(Path::new(path), text, || {
                made.set(made.get() + 1);
                format!("{path}:{text}")
            })
        };
        assert_eq!(read("a.yaml", "x: 1"), "a.yaml:x: 1");
        assert_eq!(read("a.yaml", "x: 1"), "a.yaml:x: 1");
        assert_eq!(made.get(), 1, "the same file in the other version");
        read("a.yaml", "x: 2");
        read("b.yaml", "x: 1");
        assert_eq!(made.get(), 3, "another text, another path: read anew");
    }

    #[test]
    fn a_form_is_loaded_once_and_its_texts_given_to_every_reader() {
        let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let cache = ParseCache::default();
        let (mut first, mut second) = (Sources::default(), Sources::default());
        let a = cache.form(&templates, "central-2021", &mut first).expect("the seed form");
        let b = cache.form(&templates, "central-2021", &mut second).expect("from the cache");
        assert_eq!((a.name.as_str(), &a.digest), (b.name.as_str(), &b.digest));
        let form_file = a.dir.join(crate::form::FORM_FILE);
        assert!(first.text(&form_file).is_some() && second.text(&form_file) == first.text(&form_file));
        assert_eq!(cache.forms.lock().unwrap().len(), 1);
        let missing = cache.form(&templates, "no-such-form", &mut Sources::default());
        assert!(missing.is_err(), "a form that cannot be loaded is an error each time it is asked for");
    }
}
