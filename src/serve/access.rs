//! How a clerk gets into the editor without a terminal's help: the access token is kept
//! for the project (`.jixiao/serve-token`, readable by its owner only), so a page left
//! open or bookmarked keeps working after the editor is restarted on the same port; a
//! second start while one runs opens the page of the first; and a launcher file lets the
//! editor be started by double-clicking (`jixiao serve --launcher`).

use std::io::Write;
use std::path::{Path, PathBuf};

/// The project's folder of editor state (never committed: it holds a `.gitignore`).
pub const STATE_DIR: &str = ".jixiao";
/// The kept token's file inside [`STATE_DIR`].
const TOKEN_FILE: &str = "serve-token";

/// The token of the project at `root`: the kept one when it is there and private, else a
/// new one, kept (best effort: without a place to keep it the editor still runs, with a
/// token of this start only).
pub fn token(root: &Path) -> std::io::Result<String> {
    let file = root.join(STATE_DIR).join(TOKEN_FILE);
    if let Some(kept) = kept_token(&file) {
        return Ok(kept);
    }
    let token = random_token()?;
    let _ = keep(root, &file, &token);
    Ok(token)
}

/// A new token of 128 random bits, as 32 hexadecimal digits.
pub fn random_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The token kept in `file`, when it is one (32 hexadecimal digits) and only its owner
/// may read it.
fn kept_token(file: &Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(file).ok()?;
    if !meta.is_file() || meta.len() > 256 {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            return None;
        }
    }
    let text = std::fs::read_to_string(file).ok()?;
    let token = text.trim();
    (token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit())).then(|| token.to_string())
}

fn keep(root: &Path, file: &Path, token: &str) -> std::io::Result<()> {
    let dir = root.join(STATE_DIR);
    std::fs::create_dir_all(&dir)?;
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        std::fs::write(&ignore, "# jixiao 编辑器的本机状态（访问令牌），不要提交\n*\n")?;
    }
    let _ = std::fs::remove_file(file);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut out = options.open(file)?;
    out.write_all(format!("{token}\n").as_bytes())
}

/// The file a double-click starts the editor from, for this system: its name and text.
pub fn launcher(root: &Path, exe: &Path) -> (PathBuf, String) {
    let (exe, root_text) = (exe.display().to_string(), root.display().to_string());
    if cfg!(windows) {
        let text = format!(
            "@echo off\r\nchcp 65001 > nul\r\ncd /d \"%~dp0\"\r\n\"{exe}\" serve --open \"%~dp0.\"\r\npause\r\n"
        );
        (root.join("打开绩效编辑器.cmd"), text)
    } else if cfg!(target_os = "macos") {
        let text = format!("#!/bin/sh\ncd \"$(dirname \"$0\")\"\nexec \"{exe}\" serve --open .\n");
        (root.join("打开绩效编辑器.command"), text)
    } else {
        let text = format!(
            "[Desktop Entry]\nType=Application\nName=打开绩效编辑器\nComment=jixiao 绩效目标编辑器\nExec=\"{exe}\" serve --open \"{root_text}\"\nPath={root_text}\nTerminal=true\n"
        );
        (root.join("打开绩效编辑器.desktop"), text)
    }
}

/// Writes the launcher (executable where the system asks for it).
pub fn write_launcher(root: &Path, exe: &Path) -> std::io::Result<PathBuf> {
    let (path, text) = launcher(root, exe);
    std::fs::write(&path, text)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))?;
    }
    Ok(path)
}

/// Whether the jixiao editor of this project (the one with `token`) answers on `port`:
/// a second start opens its page instead of failing; anything else there is not ours.
pub fn ours_answers(port: u16, token: &str) -> bool {
    use std::io::Read;
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let Ok(mut stream) = std::net::TcpStream::connect_timeout(&address, std::time::Duration::from_secs(2)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(2)));
    let request = format!(
        "GET /api/years HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Jixiao-Token: {token}\r\nConnection: close\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 200")
}

/// The page a browser gets without the token (a bookmark of the address without it, a
/// second browser): what to do, in Chinese.
pub fn refusal_page() -> String {
    "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>请从编辑器的地址打开 · jixiao</title></head>\
<body style=\"font:16px/1.7 sans-serif;max-width:40em;margin:3em auto;padding:0 1em\">\
<h1 style=\"font-size:1.4em\">请从编辑器显示的地址打开</h1>\
<p>为了安全，绩效目标编辑器只接受带访问令牌的地址。请这样打开：</p>\
<ol><li>找到启动编辑器时出现的窗口，复制其中“请在浏览器中打开”下面的整行地址（以 <code>?token=</code> 结尾的那一串），粘贴到浏览器地址栏打开；</li>\
<li>或者再双击一次“打开绩效编辑器”，它会自动在浏览器中打开正确的页面；</li>\
<li>如果编辑器还没有启动，请先双击“打开绩效编辑器”（或在项目目录中运行 <code>jixiao serve --open</code>）。</li></ol>\
<p>打开一次以后，本浏览器会记住令牌（30 天），书签就可以直接使用了。未保存的修改保存在浏览器中，重新打开后可以恢复。</p>\
</body></html>"
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_kept_privately_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = token(dir.path()).unwrap();
        assert_eq!(token(dir.path()).unwrap(), first, "kept");
        let file = dir.path().join(STATE_DIR).join(TOKEN_FILE);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
            // Readable by others: not trusted, replaced.
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
            assert_ne!(token(dir.path()).unwrap(), first);
        }
        assert!(std::fs::read_to_string(dir.path().join(STATE_DIR).join(".gitignore")).unwrap().contains('*'));
    }

    #[test]
    fn the_launcher_starts_the_editor_of_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_launcher(dir.path(), Path::new("/opt/jixiao/jixiao")).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("\"/opt/jixiao/jixiao\" serve --open"), "{text}");
        assert!(path.file_name().unwrap().to_string_lossy().starts_with("打开绩效编辑器"));
    }
}
