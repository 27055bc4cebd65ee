//! The HTTP edge of the editor: who may ask (the access token, this machine's own
//! `Host` and `Origin` only), how much they may send, and the replies.
//!
//! The server listens on 127.0.0.1 only, but a web page from anywhere can still make a
//! browser send requests there: a foreign `Origin` (a cross-site post) and a foreign
//! `Host` (DNS rebinding: an attacker's name resolving to 127.0.0.1) are refused before
//! anything else, and every request must carry the random token printed at start (in
//! the address, then as a `SameSite=Strict` cookie, or in the `X-Jixiao-Token` header).

use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;
use tiny_http::{Header, Request, Response};

/// The largest request body read: four times the largest spec file (a save sends the
/// file as loaded and the edited content).
pub const MAX_BODY: usize = 4 * crate::yaml::MAX_SPEC_BYTES as usize;

/// A reply, before it is sent.
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// The `Content-Type`.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
    /// Further headers.
    pub headers: Vec<(&'static str, String)>,
    /// Whether the browser may keep it (the fonts); nothing else is cached.
    pub cacheable: bool,
}

/// Most refused requests answered at once off the workers.
pub const MAX_DETACHED: usize = 64;

impl Reply {
    /// A JSON reply.
    pub fn json(status: u16, value: &impl Serialize) -> Reply {
        let body = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
        Reply { status, content_type: "application/json; charset=utf-8", body, headers: Vec::new(), cacheable: false }
    }

    /// A refusal or failure, as JSON `{"error": message}` (the page shows the message).
    pub fn error(status: u16, message: impl Into<String>) -> Reply {
        Reply::json(status, &serde_json::json!({ "error": message.into() }))
    }

    /// A file's bytes.
    pub fn bytes(content_type: &'static str, body: Vec<u8>) -> Reply {
        Reply { status: 200, content_type, body, headers: Vec::new(), cacheable: false }
    }

    /// Sends it, with the headers every reply carries (no caching, no framing, a strict
    /// content policy: the page runs only its own script and loads nothing from outside).
    /// Sends the reply from a thread of its own (at most [`MAX_DETACHED`] at once, then
    /// on the caller's): answering reads what is left of the request's body first, which
    /// takes as long as the client wants.
    pub fn send_detached(self, request: Request) {
        static DETACHED: AtomicUsize = AtomicUsize::new(0);
        if DETACHED.fetch_add(1, Ordering::SeqCst) >= MAX_DETACHED {
            DETACHED.fetch_sub(1, Ordering::SeqCst);
            return self.send(request);
        }
        let spawned = std::thread::Builder::new().name("jixiao-refused".into()).spawn(move || {
            self.send(request);
            DETACHED.fetch_sub(1, Ordering::SeqCst);
        });
        if spawned.is_err() {
            DETACHED.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// Sends the reply.
    pub fn send(self, request: Request) {
        // The length is known: sent as Content-Length, never chunked.
        let mut response =
            Response::from_data(self.body).with_status_code(self.status).with_chunked_threshold(usize::MAX);
        let mut headers = vec![
            ("Content-Type", self.content_type.to_string()),
            ("Cache-Control", if self.cacheable { "private, max-age=86400" } else { "no-store" }.to_string()),
            ("X-Content-Type-Options", "nosniff".to_string()),
            ("X-Frame-Options", "DENY".to_string()),
            ("Referrer-Policy", "no-referrer".to_string()),
            (
                "Content-Security-Policy",
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; \
                 connect-src 'self'; font-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
                    .to_string(),
            ),
        ];
        headers.extend(self.headers);
        for (name, value) in headers {
            if let Ok(header) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
                response.add_header(header);
            }
        }
        let _ = request.respond(response);
    }
}

/// A request's header value.
pub fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers().iter().find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name)).map(|h| h.value.as_str())
}

/// Who may ask: this server's port and token.
pub struct Guard {
    /// The port listened on.
    pub port: u16,
    /// The access token.
    pub token: String,
}

/// What the guard found.
pub enum Admission {
    /// Let it through.
    Allowed,
    /// The token came in the address: set the cookie and send the browser on without it.
    SetCookie,
    /// Refused, with the reply.
    Refused(Reply),
}

impl Guard {
    /// The cookie's name (one per port: cookies do not tell ports apart).
    pub fn cookie_name(&self) -> String {
        format!("jixiao_token_{}", self.port)
    }

    fn own_host(&self, host: &str) -> bool {
        [format!("127.0.0.1:{}", self.port), format!("localhost:{}", self.port)].iter().any(|h| h == host)
    }

    /// Checks `Host`, `Origin`, the fetch site and the token.
    pub fn admit(&self, request: &Request, query_token: Option<&str>) -> Admission {
        if !header(request, "Host").is_some_and(|h| self.own_host(h)) {
            return Admission::Refused(Reply::error(403, "拒绝访问：请求的主机名不是本机（Host 不符）"));
        }
        if let Some(origin) = header(request, "Origin")
            && !origin.strip_prefix("http://").is_some_and(|h| self.own_host(h))
        {
            return Admission::Refused(Reply::error(403, "拒绝访问：请求来自其他网站（Origin 不符）"));
        }
        // Browsers say where a request comes from: only this page itself, or the address
        // typed or opened (`none`). A page on another port of this machine is `same-site`.
        if header(request, "Sec-Fetch-Site").is_some_and(|s| s != "same-origin" && s != "none") {
            return Admission::Refused(Reply::error(403, "拒绝访问：请求来自其他网页"));
        }
        let cookie = header(request, "Cookie").and_then(|c| {
            c.split(';')
                .filter_map(|p| p.trim().split_once('='))
                .find(|(k, _)| *k == self.cookie_name())
                .map(|(_, v)| v)
        });
        let given = [header(request, "X-Jixiao-Token"), cookie];
        if given.iter().flatten().any(|t| same(t, &self.token)) {
            return Admission::Allowed;
        }
        if query_token.is_some_and(|t| same(t, &self.token)) {
            return Admission::SetCookie;
        }
        // A person at a browser (a bookmark, a second window) gets a page saying what to do.
        if header(request, "Accept").is_some_and(|a| a.contains("text/html")) {
            let page = crate::serve::access::refusal_page().into_bytes();
            return Admission::Refused(Reply { status: 401, ..Reply::bytes("text/html; charset=utf-8", page) });
        }
        Admission::Refused(Reply::error(
            401,
            "编辑器的访问令牌不对（编辑器可能换了项目或令牌文件被删除）：请从编辑器窗口显示的地址重新打开本页；未保存的修改保存在浏览器中，重新打开后可以恢复",
        ))
    }

    /// The reply to a request whose address carried the token: the cookie, and the same
    /// page without the token in its address.
    pub fn set_cookie(&self, path: &str) -> Reply {
        let mut reply = Reply::bytes("text/plain; charset=utf-8", "正在打开……".as_bytes().to_vec());
        reply.status = 303;
        reply.headers.push((
            "Set-Cookie",
            format!("{}={}; Path=/; Max-Age=2592000; HttpOnly; SameSite=Strict", self.cookie_name(), self.token),
        ));
        reply.headers.push(("Location", path.to_string()));
        reply
    }
}

/// Compares two tokens in time independent of where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Reads a request body of at most [`MAX_BODY`] bytes; a larger one is refused (413).
pub fn body(request: &mut Request) -> Result<Vec<u8>, Reply> {
    let too_large = || Reply::error(413, format!("请求内容太大（上限 {} MB）", MAX_BODY / (1024 * 1024)));
    if request.body_length().is_some_and(|n| n > MAX_BODY) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    request
        .as_reader()
        .take(MAX_BODY as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| Reply::error(400, "无法读取请求内容"))?;
    if bytes.len() > MAX_BODY {
        return Err(too_large());
    }
    Ok(bytes)
}

/// The path and the decoded query parameters of a request's address.
pub fn split_url(url: &str) -> (String, Vec<(String, String)>) {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let params = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    (path.to_string(), params)
}

/// A query parameter.
pub fn param<'p>(params: &'p [(String, String)], name: &str) -> Option<&'p str> {
    params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}
