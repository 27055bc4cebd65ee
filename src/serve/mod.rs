//! `jixiao serve`: the specs in a browser page that looks like the table, for people
//! who never open a terminal. It checks as they type (the same rules and messages as
//! `check`), shows the table as the pipeline prints it (SVG pages of the same layout),
//! and saves back into the YAML files with a format-preserving edit
//! ([`crate::spec::edit`]), refusing when the file changed on disk meanwhile.
//!
//! It listens on 127.0.0.1 only and answers only requests that carry its random token
//! and come from its own address ([`http`]); it touches only spec files of the year
//! folders under `specs/` ([`paths`]) and serves only the PDFs under the output folder.
//! The page (HTML, script, styles) is compiled into the binary ([`assets`]): nothing is
//! downloaded, at build or run time. Ctrl-C stops it after the requests under way.

pub mod access;
pub mod assets;
pub mod files;
pub mod http;
pub mod layout;
pub mod listening;
pub mod paths;
pub mod period;
pub mod preview;
pub mod problems;
pub mod projects;
pub mod routes;
pub mod save;
pub mod suggest;
pub mod words;
pub mod years;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::cli::ServeArgs;
use crate::pipeline::BuildOptions;
use crate::session::{Done, Lifetime, Setup, Stopped, setup};
use crate::text::io_reason;

/// Requests handled at once (a preview typesets while a save or a page is answered).
const WORKERS: usize = 4;

/// What every request handler shares.
pub struct State {
    /// Settings, year folders, fonts (loaded once) and font preferences.
    pub setup: Setup,
    /// How "生成 PDF" builds (incremental, to the output folder).
    pub options: BuildOptions,
    /// How previews are made: the same settings, with the tables laid out for earlier
    /// previews kept.
    pub preview_options: BuildOptions,
    /// Who may ask.
    pub guard: http::Guard,
    /// Saves, deletions and builds, one at a time.
    pub writing: Mutex<()>,
    /// The input keys of documents compared with their files on disk (see
    /// [`crate::pipeline::adopt`]).
    pub adopted: Mutex<std::collections::BTreeSet<String>>,
}

impl State {
    /// `specs/`.
    pub fn specs(&self) -> &Path {
        &self.setup.settings.workspace.specs
    }

    /// The project root.
    pub fn root(&self) -> &Path {
        self.specs().parent().unwrap_or(Path::new("."))
    }

    /// The output folder.
    pub fn out(&self) -> &Path {
        &self.setup.settings.workspace.out
    }
}

/// Runs `serve` until Ctrl-C.
pub fn serve(root: &Path, args: &ServeArgs) -> Result<Done, Stopped> {
    let root: PathBuf = args.dir.clone().unwrap_or_else(|| root.to_path_buf());
    if args.launcher {
        let exe = std::env::current_exe().map_err(|e| Stopped(format!("找不到 jixiao 程序本身：{}", io_reason(&e))))?;
        let root = root.canonicalize().unwrap_or(root);
        let path =
            access::write_launcher(&root, &exe).map_err(|e| Stopped(format!("无法写入启动文件：{}", io_reason(&e))))?;
        let mut done = Done::new();
        done.out(format!(
            "已生成 {}：双击它即可启动编辑器并在浏览器中打开（它记录了 jixiao 程序的位置 {}，程序移动后请重新生成）",
            path.display(),
            exe.display()
        ));
        return Ok(done);
    }
    if !root.join("specs").is_dir() {
        return Err(Stopped(format!(
            "{} 中没有 specs/ 目录：请在项目目录中运行，或写出项目目录，如 jixiao serve 我的项目",
            root.display()
        )));
    }
    let mut done = Done::new();
    let setup = setup(&root, &[], &args.fonts, Some(None), Lifetime::LongRunning, &mut done)?;
    done.print();
    let options = setup.settings.build_options(&setup.typesetter, setup.prefs.clone());
    let cannot = |reason: String| {
        Stopped(format!("无法在端口 {} 上启动：{reason}（可用 --port 换一个端口，写 0 则任选）", args.port))
    };
    let token = access::token(&root).map_err(|e| Stopped(format!("无法生成访问令牌：{}", io_reason(&e))))?;
    let listener = match std::net::TcpListener::bind(("127.0.0.1", args.port)) {
        Ok(listener) => listener,
        // Started again while it runs (a second double-click): open the running one.
        Err(e)
            if e.kind() == std::io::ErrorKind::AddrInUse
                && args.port != 0
                && args.open
                && access::ours_answers(args.port, &token) =>
        {
            let address = format!("http://127.0.0.1:{}/?token={token}", args.port);
            println!("编辑器已经在运行，正在浏览器中打开：\n\n    {address}\n");
            open_browser(&address);
            return Ok(Done::new());
        }
        Err(e) => return Err(cannot(io_reason(&e))),
    };
    // Connections take this listener's receive timeout (see [`listening`]).
    set_receive_timeout(&listener, RECEIVE_TIMEOUT);
    let listening = Arc::new(listening::Listening::new(listener).map_err(|e| cannot(io_reason(&e)))?);
    let port = listening.port().unwrap_or(args.port);
    let address = format!("http://127.0.0.1:{port}/?token={token}");
    let preview_options = BuildOptions { layouts: Some(Arc::default()), ..options.clone() };
    let state = Arc::new(State {
        setup,
        options,
        preview_options,
        guard: http::Guard { port, token },
        writing: Mutex::new(()),
        adopted: Mutex::default(),
    });
    println!(
        "jixiao 编辑器已启动，请在浏览器中打开：\n\n    {address}\n\n（只有本机可以访问；关闭这个窗口或按 Ctrl-C 结束。页面关闭后，可再次打开上面的地址）"
    );
    if args.open {
        open_browser(&address);
    }
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst))
            .map_err(|e| Stopped(format!("无法接收 Ctrl-C：{e}")))?;
    }
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (stop, listening, state) = (stop.clone(), listening.clone(), state.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    if let Some(request) = listening.next(Duration::from_millis(200)) {
                        routes::handle(&state, request);
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
    let mut done = Done::new();
    done.out("\njixiao 编辑器已停止");
    Ok(done)
}

/// Longest wait for the next bytes of a request.
const RECEIVE_TIMEOUT: Duration = Duration::from_secs(10);

/// Sets `SO_RCVTIMEO` on the listening socket (best effort: without it, refused requests
/// are still answered off the workers, see [`http::Reply::send_detached`]).
pub(crate) fn set_receive_timeout(listener: &std::net::TcpListener, timeout: Duration) {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        let value = libc::timeval { tv_sec: timeout.as_secs() as libc::time_t, tv_usec: 0 };
        // SAFETY: a valid socket descriptor and a `timeval` of the size passed.
        unsafe {
            libc::setsockopt(
                listener.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_RCVTIMEO,
                (&raw const value).cast(),
                std::mem::size_of::<libc::timeval>() as libc::socklen_t,
            );
        }
    }
    #[cfg(not(unix))]
    let _ = (listener, timeout);
}

/// Opens the address in the default browser (best effort: the address is printed).
fn open_browser(address: &str) {
    let command = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(address).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd").args(["/C", "start", "", address]).spawn()
    } else {
        std::process::Command::new("xdg-open").arg(address).spawn()
    };
    if command.is_err() {
        eprintln!("无法自动打开浏览器，请手动打开上面的地址");
    }
}
