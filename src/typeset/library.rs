//! The Typst standard library as forms see it: everything except WebAssembly plugins.
//!
//! `plugin(..)` runs arbitrary WebAssembly, from a file or from bytes built in Typst
//! code, with no limit on its time or memory; a form has no need for it. Refusing `.wasm`
//! files in the World would not be enough (bytes need no file), so the `plugin` binding
//! itself is replaced, in the global scope and in `std`, by a function that fails with a
//! Chinese message.

use std::sync::LazyLock;

use typst::diag::{SourceResult, bail};
use typst::engine::Engine;
use typst::foundations::{Args, Binding, CastInfo, Context, Func, NativeFuncData, NativeFuncPtr, Scope, Value};
use typst::{Library, LibraryExt};

/// What a form sees when it calls `plugin`.
static REFUSED_PLUGIN: NativeFuncData = NativeFuncData {
    function: NativeFuncPtr(&refuse),
    name: "plugin",
    title: "Plugin",
    docs: "",
    def_site: None,
    keywords: &[],
    contextual: false,
    scope: LazyLock::new(&|| Scope::new()),
    params: LazyLock::new(&|| Vec::new()),
    returns: LazyLock::new(&|| CastInfo::Any),
};

fn refuse(_: &mut Engine, _: typst::comemo::Tracked<Context>, args: &mut Args) -> SourceResult<Value> {
    bail!(args.span, "表样不能使用 WebAssembly 插件（plugin）：jixiao 只运行 Typst 本身的排版")
}

/// The standard library with `plugin` refused.
pub fn library() -> Library {
    let mut library = Library::builder().build();
    let refused = || Binding::detached(Func::from(&REFUSED_PLUGIN));
    library.global.scope_mut().bind("plugin".into(), refused());
    // `std` is a copy of the global module taken when the library was built.
    library.std = Binding::detached(library.global.clone());
    library
}
