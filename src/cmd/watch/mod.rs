//! `jixiao watch`: builds, then rebuilds what each change affects as files are saved,
//! until stopped with Ctrl-C.
//!
//! A project spec or `department.yaml` rebuilds its year (the incremental build then
//! typesets only the tables whose inputs changed, and the year's report); a form's files
//! rebuild the years using that form (the others are unchanged by their keys); the fonts
//! or `jixiao.toml` reload the settings and fonts and rebuild everything. Bursts of events
//! (an editor's save is several) are taken together; the outputs' own writes and editors'
//! temporary files are ignored. Fonts are loaded once, and laid-out tables are kept
//! between rebuilds, so saving one spec of a 50-project year lays out one table.
//! A bad spec is reported in one line per problem; watching goes on.

mod folders;
mod status;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use notify::RecursiveMode;

use folders::{Watching, is_font, is_scratch, is_spec, real};

use crate::cli::WatchArgs;
use crate::config::CONFIG_FILE;
use crate::pipeline::BuildOptions;
use crate::pipeline::build::{BuiltYear, build_all};
use crate::pipeline::inputs::YearInputs;
use crate::pipeline::jobs::refused_busy;
use crate::pipeline::layouts::LayoutCache;
use crate::session::{Done, Lifetime, Setup, Stopped, setup};
use crate::workspace::{YearDir, resolve_years};

/// How long the files must be quiet before a rebuild: an editor's save (write, rename,
/// attributes) is one burst.
const QUIET: Duration = Duration::from_millis(25);
/// Longest a burst is waited for.
const LONGEST_BURST: Duration = Duration::from_millis(400);

/// What a burst of changes asks for.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Year folders whose specs changed.
    pub years: BTreeSet<PathBuf>,
    /// A form changed, or a year folder was added or removed: every year is looked at.
    pub all: bool,
    /// The fonts or the settings changed: reload them, then every year.
    pub reload: bool,
    /// Years refused for a busy output folder tried again: nothing is said while it still
    /// is (the refusal was said once).
    pub retry: bool,
}

/// Runs `watch` (returns only when it cannot start).
pub fn watch(root: &Path, args: &WatchArgs) -> Result<Done, Stopped> {
    let mut session = Session::start(root, args)?;
    let (sender, events) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        use notify::EventKind;
        use notify::event::ModifyKind;
        // Reading a file (as every rebuild does) is an event too: only changes count.
        if let Ok(event) = event
            && matches!(event.kind, EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(_) | EventKind::Any)
            && !matches!(event.kind, EventKind::Modify(ModifyKind::Metadata(_)))
        {
            let _ = sender.send(event.paths);
        }
    })
    .map_err(|e| Stopped(format!("无法监视文件的变化：{e}")))?;
    let mut watching = Watching::default();
    watching.update(&mut watcher, session.watched()).map_err(Stopped)?;
    println!("正在监视 {} 的变化（保存规格文件后自动重新生成；按 Ctrl-C 结束）", session.describe());
    session.rebuild(&Changes { all: true, ..Changes::default() });
    loop {
        // A year refused because another build held its output folder is tried again
        // once in a while, until it is built.
        let first = if session.refused.is_empty() {
            events.recv().ok()
        } else {
            match events.recv_timeout(RETRY) {
                Ok(paths) => Some(paths),
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let years = std::mem::take(&mut session.refused);
                    session.rebuild(&Changes { years, retry: true, ..Changes::default() });
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => None,
            }
        };
        let Some(first) = first else { break };
        let mut paths = first;
        let started = Instant::now();
        while let Ok(more) = events.recv_timeout(QUIET) {
            paths.extend(more);
            if started.elapsed() > LONGEST_BURST {
                break;
            }
        }
        // A watched folder replaced by another (`specs/` restored from a backup) is
        // watched anew: the old watch follows the old folder wherever it went.
        if let Err(message) = watching.update(&mut watcher, session.watched()) {
            eprintln!("{} 错误：{message}", clock());
        }
        let mut changes = session.classify(&paths);
        changes.years.extend(std::mem::take(&mut session.refused));
        if changes != Changes::default() {
            session.rebuild(&changes);
        }
    }
    Ok(Done::new())
}

/// How long a refused year waits before it is tried again.
const RETRY: Duration = Duration::from_secs(1);

/// What stays between rebuilds.
struct Session<'a> {
    root: PathBuf,
    args: &'a WatchArgs,
    setup: Setup,
    options: BuildOptions,
    layouts: Arc<LayoutCache>,
    /// The year folders, with their real paths.
    years: Vec<(YearDir, PathBuf)>,
    /// Each year's files as its last rebuild parsed them.
    seen: HashMap<PathBuf, YearInputs>,
    /// Years refused because another build held their output folder: tried again.
    refused: BTreeSet<PathBuf>,
}

impl<'a> Session<'a> {
    fn start(root: &Path, args: &'a WatchArgs) -> Result<Session<'a>, Stopped> {
        let mut done = Done::new();
        let setup = setup(root, &args.paths, &args.fonts, Some(args.out.as_deref()), Lifetime::LongRunning, &mut done)?;
        done.print();
        let layouts = Arc::new(LayoutCache::default());
        let options = BuildOptions {
            layouts: Some(Arc::clone(&layouts)),
            ..setup.settings.build_options(&setup.typesetter, setup.prefs.clone())
        };
        let years = real_years(&setup.years);
        Ok(Session {
            root: root.to_path_buf(),
            args,
            setup,
            options,
            layouts,
            years,
            seen: HashMap::new(),
            refused: BTreeSet::new(),
        })
    }

    /// The folders to watch: specs, forms, fonts (recursively) and the project root
    /// itself (for `jixiao.toml`).
    fn watched(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let settings = &self.setup.settings;
        let mut dirs = vec![
            (settings.workspace.specs.clone(), RecursiveMode::Recursive),
            (settings.workspace.templates.clone(), RecursiveMode::Recursive),
            (settings.fonts.project_dir.clone(), RecursiveMode::Recursive),
            (self.root.clone(), RecursiveMode::NonRecursive),
        ];
        dirs.extend(settings.fonts.extra_dirs.iter().map(|d| (d.clone(), RecursiveMode::Recursive)));
        // Year folders named on the command line outside `specs/`.
        let specs = real(&settings.workspace.specs);
        for dir in self.args.paths.iter().filter(|p| !real(p).starts_with(&specs)) {
            dirs.push((dir.clone(), RecursiveMode::Recursive));
        }
        dirs
    }

    fn describe(&self) -> String {
        if self.args.paths.is_empty() {
            self.setup.settings.workspace.specs.display().to_string()
        } else {
            self.args.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join("、")
        }
    }

    /// What a burst of changed paths asks for.
    fn classify(&self, paths: &[PathBuf]) -> Changes {
        let settings = &self.setup.settings;
        let out = real(&settings.workspace.out);
        let templates = real(&settings.workspace.templates);
        let mut font_dirs = vec![real(&settings.fonts.project_dir)];
        font_dirs.extend(settings.fonts.extra_dirs.iter().map(|d| real(d)));
        let config = real(&self.root).join(CONFIG_FILE);
        let mut changes = Changes::default();
        for path in paths {
            let path = real(path);
            if path.starts_with(&out) || is_scratch(&path) {
                continue;
            }
            if path == config {
                changes.reload = true;
            } else if font_dirs.iter().any(|d| path.starts_with(d)) {
                changes.reload |= is_font(&path) || !path.is_file();
            } else if path.starts_with(&templates) {
                changes.all = true;
            } else if let Some(((dir, _), _)) = self.years.iter().find(|(_, real)| path.starts_with(real)) {
                if is_spec(&path) || path.is_dir() || !path.exists() {
                    changes.years.insert(dir.clone());
                }
            } else if path.is_dir() || is_spec(&path) {
                // A new (or removed) year folder or department folder.
                changes.all |= path.starts_with(real(&settings.workspace.specs));
            }
        }
        changes
    }

    /// Rebuilds what `changes` asks for and prints one status line (and each problem
    /// of the rebuilt years in one line).
    fn rebuild(&mut self, changes: &Changes) {
        let started = Instant::now();
        if changes.reload && !self.reload() {
            return;
        }
        if (changes.all || changes.reload) && !self.find_years() {
            return;
        }
        let years = self.due(changes);
        if years.is_empty() {
            return;
        }
        let mut built = build_all(&self.setup.settings.workspace, &self.setup.typesetter, &self.options, &years);
        built.iter_mut().for_each(BuiltYear::read_sources);
        let still_busy = self.remember(&years, &built);
        if still_busy && changes.retry {
            return;
        }
        status::of(&built, !self.refused.is_empty(), started).print();
    }

    /// Reads the settings and fonts again; false (said) when they cannot be used.
    fn reload(&mut self) -> bool {
        let args = &self.args;
        let out = Some(args.out.as_deref());
        match setup(&self.root, &args.paths, &args.fonts, out, Lifetime::LongRunning, &mut Done::new()) {
            Ok(setup) => {
                self.options = BuildOptions {
                    layouts: Some(Arc::clone(&self.layouts)),
                    ..setup.settings.build_options(&setup.typesetter, setup.prefs.clone())
                };
                self.setup = setup;
                true
            }
            Err(Stopped(message)) => {
                eprintln!("{} 错误：{message}（仍使用原来的设置和字体）", clock());
                false
            }
        }
    }

    /// Finds the year folders again; false (said) when they cannot be.
    fn find_years(&mut self) -> bool {
        let settings = &self.setup.settings;
        match resolve_years(&settings.workspace, &self.args.paths, true, self.args.out.is_some()) {
            Ok(years) => {
                self.years = real_years(&years);
                true
            }
            Err(message) => {
                eprintln!("{} 错误：{message}", clock());
                false
            }
        }
    }

    /// The years to build: those `changes` names, less those whose files read the same as
    /// at their last build (an event that came late, a file saved without edits).
    fn due(&self, changes: &Changes) -> Vec<YearDir> {
        let everything = changes.all || changes.reload;
        self.years
            .iter()
            .map(|(year, _)| year)
            .filter(|(dir, _)| everything || changes.years.contains(dir))
            .filter(|(dir, _)| everything || self.seen.get(dir) != Some(&YearInputs::read(dir)))
            .cloned()
            .collect()
    }

    /// Remembers what each year was built from: what the build parsed, not a read taken
    /// before (a save that lands while it builds is a change at the next event); a year
    /// refused by a busy output folder is to be retried. Whether every year was refused.
    fn remember(&mut self, years: &[YearDir], built: &[BuiltYear]) -> bool {
        let mut still_busy = true;
        for ((dir, _), year) in years.iter().zip(built) {
            if refused_busy(&year.result.diagnostics) {
                self.seen.remove(dir);
                self.refused.insert(dir.clone());
            } else {
                still_busy = false;
                // A year found unchanged was trusted by its files' stats, not read: the
                // next event for it goes to the build, which tells again.
                if year.inputs.is_read() {
                    self.seen.insert(dir.clone(), year.inputs.clone());
                } else {
                    self.seen.remove(dir);
                }
            }
        }
        still_busy
    }
}

/// The year folders with their real paths, for matching event paths.
fn real_years(years: &[YearDir]) -> Vec<(YearDir, PathBuf)> {
    years.iter().map(|year| (year.clone(), real(&year.0))).collect()
}

/// The time of day in China (UTC+8), `HH:MM:SS`.
fn clock() -> String {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let day = (seconds + 8 * 3600) % 86_400;
    format!("[{:02}:{:02}:{:02}]", day / 3600, day % 3600 / 60, day % 60)
}
