//! A session of work on a project, shared by the commands and the editor: the settings
//! (`jixiao.toml` with the command line over it, [`settings`]), the year folders, and the
//! fonts loaded once ([`setup`]); what a command has to say ([`done`]).

pub mod done;
pub mod settings;

use std::path::{Path, PathBuf};

pub use done::{Done, Status, Stopped, Stream};

use crate::cli::FontArgs;
use crate::pipeline::FontPreferences;
use crate::session::settings::Settings;
use crate::typeset::Typesetter;
use crate::workspace::{YearDir, resolve_years};

/// What a command that reads specs and typesets needs: its settings, the year folders,
/// the fonts (loaded once) and the fonts each role prefers.
pub struct Setup {
    /// `jixiao.toml` with the command line over it.
    pub settings: Settings,
    /// The year folders and their output folders.
    pub years: Vec<YearDir>,
    /// The typesetter with the fonts.
    pub typesetter: Typesetter,
    /// The preferred fonts by role, resolved.
    pub prefs: FontPreferences,
}

/// How long the process that sets up will run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifetime {
    /// One command: fonts are memory-mapped (fastest).
    OneShot,
    /// Hours (`serve`, `watch`): fonts are read into memory, so a font file rewritten
    /// meanwhile cannot end the process.
    LongRunning,
}

/// Reads the settings, finds the year folders and loads the fonts; a font a role asks for
/// that no font folder has is reported once in `done`. `out` is `Some` for a command that
/// writes outputs (with the `--out` folder when given, which overrides `jixiao.toml`).
pub fn setup(
    root: &Path,
    paths: &[PathBuf],
    fonts: &FontArgs,
    out: Option<Option<&Path>>,
    lifetime: Lifetime,
    done: &mut Done,
) -> Result<Setup, Stopped> {
    let mut settings = Settings::load(root, fonts)?;
    settings.fonts.copied = lifetime == Lifetime::LongRunning;
    // A malformed date is an error, not a silently undated PDF (as reproducible-builds.org
    // asks of every tool that reads it).
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH")
        && !epoch.trim().is_empty()
        && epoch.trim().parse::<i64>().is_err()
    {
        return Err(Stopped(format!(
            "环境变量 SOURCE_DATE_EPOCH 的值“{epoch}”不是整数秒数（应是从 1970-01-01 起的秒数，如 1704067200）；请改正或删去这个变量"
        )));
    }
    if let Some(Some(out)) = out {
        if out.exists() && !out.is_dir() {
            return Err(Stopped(format!("输出目录 {} 是一个文件，不是目录。请用 --out 指定一个目录。", out.display())));
        }
        if let Some(conflict) = crate::workspace::output_conflict(root, out) {
            return Err(Stopped(format!("--out 的目录不能用：{conflict}。请指定一个单独的输出目录")));
        }
        settings.workspace.out = out.to_path_buf();
    }
    let out_given = out.map(|o| o.is_some());
    let years = resolve_years(&settings.workspace, paths, out_given.is_some(), out_given == Some(true))?;
    let typesetter = settings.typesetter()?;
    let (prefs, warnings) = settings.preferences(typesetter.fonts());
    for warning in warnings {
        done.err(format!("{warning}\n"));
    }
    Ok(Setup { settings, years, typesetter, prefs })
}
