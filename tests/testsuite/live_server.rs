//! A running `jixiao serve` for the tests (`serve.rs`, `browser.rs`), and a plain HTTP
//! client that sends exactly the headers a test gives (a browser would not send a
//! foreign `Host`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// A running `jixiao serve`, stopped when dropped.
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub token: String,
    pub url: String,
}

impl Server {
    /// Starts the server on a free port in `root` and reads its address.
    pub fn start(root: &Path) -> Server {
        Server::start_on(root, 0)
    }

    /// Starts the server on `port` (0: a free one) in `root` and reads its address.
    pub fn start_on(root: &Path, port: u16) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .args(["serve", "--port", &port.to_string()])
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .env_remove("SOURCE_DATE_EPOCH")
            .spawn()
            .expect("jixiao serve starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let url = loop {
            let line = lines.next().expect("serve prints its address").unwrap();
            if let Some(at) = line.find("http://127.0.0.1:") {
                break line[at..].trim().to_string();
            }
        };
        // Keep reading what it prints (the stop message) so it never blocks on a full pipe.
        std::thread::spawn(move || lines.map_while(Result::ok).for_each(|line| eprintln!("[serve] {line}")));
        let port = url["http://127.0.0.1:".len()..].split('/').next().unwrap().parse().unwrap();
        let token = url.split("token=").nth(1).unwrap().to_string();
        Server { child, port, token, url }
    }

    /// This server's own `Host`.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// A request with the token in its header and this server's `Host`.
    pub fn ask(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let body = body.map(|b| b.to_string());
        let mut headers = vec![("X-Jixiao-Token".to_string(), self.token.clone())];
        if body.is_some() {
            headers.push(("Content-Type".into(), "application/json".into()));
        }
        let (status, _, bytes) =
            self.raw(method, path, &self.host(), &headers, body.as_deref().unwrap_or("").as_bytes());
        (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    /// A request exactly as given.
    pub fn raw(
        &self,
        method: &str,
        path: &str,
        host: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connects");
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        stream.write_all(head.as_bytes()).unwrap();
        // A refused oversize body may be cut off: the reply still comes.
        let _ = stream.write_all(body);
        let mut reply = Vec::new();
        let _ = stream.read_to_end(&mut reply);
        let split = reply.windows(4).position(|w| w == b"\r\n\r\n").expect("a reply head");
        let head = String::from_utf8_lossy(&reply[..split]).into_owned();
        let mut lines = head.lines();
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        (status, headers, reply[split + 4..].to_vec())
    }

    /// Stops it as Ctrl-C does and returns what it printed last.
    pub fn interrupt(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-INT", &pid]).status().expect("kill runs");
        let status = self.child.wait().expect("serve stops");
        std::mem::forget(self);
        status
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
