//! Which handler answers which request, after the guard has let it through.
//!
//! | request | answer |
//! |---|---|
//! | `GET /`, `GET /assets/…` | the page, its script and styles |
//! | `GET /fonts/…` | the committed fonts, for a machine without Chinese fonts |
//! | `GET /api/years` | the year folders with their departments and counts |
//! | `GET /api/year?year=` | a year's department and projects with their status |
//! | `GET /api/file?path=` | a spec file: text, content, layout, problems, preview |
//! | `POST /api/check` | an edit checked and previewed (nothing written) |
//! | `POST /api/save` | an edit written in place (refused if the file changed) |
//! | `POST /api/new`, `POST /api/delete` | a project created (blank or a copy), deleted |
//! | `POST /api/rename` | a project's code changed, its files renamed with it |
//! | `POST /api/start-actuals` | a project's actual figures of a period started from its targets |
//! | `GET /api/suggest?year=` | indicator names of this and earlier years, for suggestions |
//! | `POST /api/build` | the year's PDFs built (incrementally) |
//! | `GET /pdf/…` | a PDF of the output folder |

use serde::de::DeserializeOwned;
use tiny_http::{Method, Request};

use crate::serve::State;
use crate::serve::http::{Admission, Reply, body, split_url};
use crate::serve::{assets, files, projects, save, suggest, years};

/// Answers one request.
pub fn handle(state: &State, mut request: Request) {
    let (path, params) = split_url(request.url());
    let query_token = crate::serve::http::param(&params, "token").map(str::to_string);
    match state.guard.admit(&request, query_token.as_deref()) {
        Admission::Allowed => {}
        Admission::SetCookie => return state.guard.set_cookie(&path).send(request),
        // Answered off the workers: a refused client must not hold one while its body drains.
        Admission::Refused(reply) => return reply.send_detached(request),
    }
    let reply = match (request.method(), path.as_str()) {
        (Method::Get, "/") => assets::page(),
        (Method::Get, p) if p.starts_with("/assets/") => assets::asset(&p["/assets/".len()..]),
        (Method::Get, p) if p.starts_with("/fonts/") => assets::font(state.root(), &p["/fonts/".len()..]),
        (Method::Get, "/favicon.ico") => Reply { status: 204, ..Reply::bytes("image/x-icon", Vec::new()) },
        (Method::Get, "/api/years") => years::list(state),
        (Method::Get, "/api/year") => years::year(state, &params),
        (Method::Get, "/api/file") => files::load(state, &params),
        (Method::Get, "/api/suggest") => suggest::suggest(state, &params),
        (Method::Get, p) if p.starts_with("/pdf/") => years::pdf(state, &p["/pdf/".len()..]),
        (Method::Post, p) if p.starts_with("/api/") => post(state, &mut request, &p["/api/".len()..]),
        (Method::Get | Method::Post, _) => Reply::error(404, "没有这个页面"),
        _ => Reply::error(405, "不支持这种请求"),
    };
    reply.send(request);
}

fn post(state: &State, request: &mut Request, what: &str) -> Reply {
    // A cross-site form cannot send JSON without the browser asking first.
    let json = crate::serve::http::header(request, "Content-Type")
        .is_some_and(|t| t.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json")));
    if !json {
        return Reply::error(415, "请求内容须为 JSON");
    }
    let bytes = match body(request) {
        Ok(bytes) => bytes,
        Err(reply) => return reply,
    };
    match what {
        "check" => with(&bytes, |r| files::check(state, r)),
        "save" => with(&bytes, |r| save::save(state, r)),
        "new" => with(&bytes, |r| projects::create(state, r)),
        "delete" => with(&bytes, |r| projects::delete(state, r)),
        "rename" => with(&bytes, |r| projects::rename(state, r)),
        "start-actuals" => with(&bytes, |r| projects::start_actuals(state, r)),
        "build" => with(&bytes, |r| years::build(state, r)),
        _ => Reply::error(404, "没有这个操作"),
    }
}

/// Reads the body as `T` and hands it on.
fn with<T: DeserializeOwned>(bytes: &[u8], handler: impl FnOnce(T) -> Reply) -> Reply {
    match serde_json::from_slice(bytes) {
        Ok(request) => handler(request),
        Err(e) => Reply::error(400, format!("请求内容无法读取：{e}")),
    }
}
