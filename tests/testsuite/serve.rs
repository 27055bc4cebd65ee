//! `jixiao serve` over HTTP, as a browser (or an attacker's page) would talk to it: the
//! token, foreign `Host` and `Origin`, path traversal in every encoding, oversize
//! bodies, the on-disk conflict, and a format-preserving save kept byte for byte.

use serde_json::{Value, json};

use crate::common::{git, jixiao_in};
use crate::live_server::Server;
use crate::scratch::Project;

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_./".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn load(server: &Server, path: &str) -> Value {
    let (status, file) = server.ask("GET", &format!("/api/file?path={}", encode(path)), None);
    assert_eq!(status, 200, "{file}");
    file
}

#[test]
fn only_the_token_bearer_on_this_machine_is_answered() {
    let project = Project::seed(&["131003001"]);
    let server = Server::start(project.root());
    let host = server.host();
    let token = ("X-Jixiao-Token".to_string(), server.token.clone());
    // No token, a wrong one, then the address as printed: a cookie and the page without it.
    assert_eq!(server.raw("GET", "/api/years", &host, &[], b"").0, 401);
    assert_eq!(server.raw("GET", "/", &host, &[], b"").0, 401);
    let wrong = ("X-Jixiao-Token".to_string(), "0".repeat(32));
    assert_eq!(server.raw("GET", "/api/years", &host, &[wrong], b"").0, 401);
    let (status, headers, _) = server.raw("GET", &format!("/?token={}", server.token), &host, &[], b"");
    assert_eq!(status, 303);
    let get = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    assert_eq!(get("location"), "/");
    let cookie = get("set-cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let cookie = ("Cookie".to_string(), cookie.split(';').next().unwrap().to_string());
    let (status, headers, page) = server.raw("GET", "/", &host, std::slice::from_ref(&cookie), b"");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&page).contains("绩效目标编辑器"));
    let policy = headers.iter().find(|(k, _)| k == "content-security-policy").unwrap();
    assert!(policy.1.contains("default-src 'none'") && policy.1.contains("script-src 'self'"), "{policy:?}");
    for asset in ["/assets/app.js", "/assets/app.css"] {
        assert_eq!(server.raw("GET", asset, &host, std::slice::from_ref(&cookie), b"").0, 200, "{asset}");
    }
    // The committed fonts, for a machine without Chinese fonts, kept by the browser.
    let (status, headers, font) =
        server.raw("GET", "/fonts/NotoSansCJKsc-Regular.otf", &host, std::slice::from_ref(&cookie), b"");
    assert_eq!(status, 200);
    assert!(font.starts_with(b"OTTO"));
    assert!(headers.iter().any(|(k, v)| k == "cache-control" && v.contains("max-age")));
    assert_eq!(server.raw("GET", "/fonts/OFL.txt", &host, std::slice::from_ref(&cookie), b"").0, 404);
    // DNS rebinding: the right token under a foreign name.
    for foreign in ["evil.example", "evil.example:80", &format!("127.0.0.1.evil.example:{}", server.port), ""] {
        assert_eq!(server.raw("GET", "/api/years", foreign, std::slice::from_ref(&token), b"").0, 403, "{foreign}");
    }
    assert_eq!(
        server.raw("GET", "/api/years", &format!("localhost:{}", server.port), std::slice::from_ref(&token), b"").0,
        200
    );
    // A cross-site post, with the token or the cookie.
    let body = json!({ "year": "2024" }).to_string();
    for origin in ["http://evil.example", "null", &format!("http://127.0.0.1:{}.evil.example", server.port)] {
        let headers = [
            cookie.clone(),
            ("Origin".to_string(), origin.to_string()),
            ("Content-Type".to_string(), "application/json".to_string()),
        ];
        assert_eq!(server.raw("POST", "/api/build", &host, &headers, body.as_bytes()).0, 403, "{origin}");
    }
    let form = [token.clone(), ("Content-Type".to_string(), "application/x-www-form-urlencoded".to_string())];
    assert_eq!(server.raw("POST", "/api/check", &host, &form, b"path=x").0, 415);
    // Another page of this machine (another port is the same site): refused by what the
    // browser says of the request.
    for site in ["same-site", "cross-site"] {
        let headers = [cookie.clone(), ("Sec-Fetch-Site".to_string(), site.to_string())];
        assert_eq!(server.raw("GET", "/api/years", &host, &headers, b"").0, 403, "{site}");
    }
    let own = [token, ("Origin".to_string(), format!("http://127.0.0.1:{}", server.port))];
    assert_eq!(server.raw("GET", "/api/years", &host, &own, b"").0, 200);
    // Ctrl-C: it stops and says so.
    let status = server.interrupt();
    assert!(status.success(), "{status:?}");
}

#[test]
fn paths_outside_the_specs_are_refused_in_every_encoding() {
    let project = Project::seed(&["131003001"]);
    std::fs::write(project.root().join("secret.yaml"), "year: 2024\n").unwrap();
    let server = Server::start(project.root());
    let outside = [
        "../secret.yaml",
        "..%2Fsecret.yaml",
        "%2E%2E%2Fsecret.yaml",
        "2024%2F..%2F..%2Fsecret.yaml",
        "2024/projects/..%2F..%2F..%2Fsecret.yaml",
        "2024/projects/%252E%252E%252Fsecret.yaml",
        "%2Fetc%2Fpasswd",
        "2024%5Cprojects%5C131003001.yaml",
        "2024/projects/131003001.yaml%00.txt",
        "2024/./projects/131003001.yaml",
    ];
    for path in outside {
        let (status, reply) = server.ask("GET", &format!("/api/file?path={path}"), None);
        assert_eq!(status, 404, "{path}: {reply}");
        assert!(reply.get("text").is_none(), "{path}");
    }
    let base = std::fs::read_to_string(project.root().join("secret.yaml")).unwrap();
    for path in ["../secret.yaml", "2024/../../secret.yaml", "/etc/passwd"] {
        let (status, _) =
            server.ask("POST", "/api/save", Some(&json!({ "path": path, "base": base, "text": "x: 1\n" })));
        assert_eq!(status, 404, "{path}");
        let (status, _) = server.ask("POST", "/api/delete", Some(&json!({ "path": path, "hash": "" })));
        assert_eq!(status, 404, "{path}");
    }
    let (status, _) = server.ask("POST", "/api/new", Some(&json!({ "year": "2024/../..", "code": "x" })));
    assert_ne!(status, 200);
    let (status, _) = server.ask("POST", "/api/new", Some(&json!({ "year": "2024", "code": "../x" })));
    assert_eq!(status, 422);
    assert_eq!(std::fs::read_to_string(project.root().join("secret.yaml")).unwrap(), base);
    for pdf in [
        "/pdf/..%2Fsecret.yaml",
        "/pdf/../specs/2024/department.yaml",
        "/pdf/2024/..%2F..%2FCargo.toml",
        "/fonts/..%2FREADME.md",
    ] {
        assert_eq!(server.ask("GET", pdf, None).0, 404, "{pdf}");
    }
    // Bodies are limited.
    let huge = vec![b'x'; 5 * 1024 * 1024];
    let headers = [
        ("X-Jixiao-Token".to_string(), server.token.clone()),
        ("Content-Type".to_string(), "application/json".to_string()),
    ];
    assert_eq!(server.raw("POST", "/api/check", &server.host(), &headers, &huge).0, 413);
}

#[test]
fn a_save_changes_only_the_edited_value_and_merges_a_file_changed_meanwhile() {
    let project = Project::seed(&["131003001"]);
    let file = project.root().join("specs/2024/projects/131003001.yaml");
    // Comments, quoting and a blank line the editor must keep.
    let original = std::fs::read_to_string(&file)
        .unwrap()
        .replace("spending_plan:\n", "# 支出计划按季度填写。\n\nspending_plan:  # 百分比\n");
    std::fs::write(&file, &original).unwrap();
    git(project.root(), &["init", "-q"]);
    git(project.root(), &["add", "-A"]);
    git(project.root(), &["commit", "-qm", "seed"]);
    let server = Server::start(project.root());
    let path = "2024/projects/131003001.yaml";
    let loaded = load(&server, path);
    assert_eq!(loaded["text"], original);
    let mut doc = loaded["doc"].clone();
    doc["name"] = json!("政务服务中心工作（含延时服务）");
    doc["spending_plan"]["6"] = json!("55");
    // Checked first, as the page does while typing: nothing written.
    let edit = json!({ "path": path, "base": loaded["text"], "hash": loaded["hash"], "doc": doc });
    let (status, checked) = server.ask("POST", "/api/check", Some(&edit));
    assert_eq!(status, 200, "{checked}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
    let (status, saved) = server.ask("POST", "/api/save", Some(&edit));
    assert_eq!(status, 200, "{saved}");
    let expected = original
        .replace("name: 政务服务中心工作\n", "name: 政务服务中心工作（含延时服务）\n")
        .replace("  6: 50\n", "  6: 55\n");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), expected);
    assert_eq!(saved["text"], expected);
    let diff = git(project.root(), &["diff", "--numstat"]);
    assert_eq!(diff.trim(), "2\t2\tspecs/2024/projects/131003001.yaml");
    // Saved again from the first load: the file is no longer what that load saw, and
    // both changed the same fields the same way: nothing to merge, nothing changes.
    let (status, again) = server.ask("POST", "/api/save", Some(&edit));
    assert_eq!(status, 200, "{again}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), expected);
    // Changed by another program after the second load, in another field: both kept,
    // the other program's comment too, and the page told.
    let second = load(&server, path);
    let mut doc = second["doc"].clone();
    doc["goal"] = json!("新目标");
    std::fs::write(&file, format!("{expected}# 另一个程序加的注释\n").replace("  3: 10\n", "  3: 20\n")).unwrap();
    let edit = json!({ "path": path, "base": second["text"], "hash": second["hash"], "doc": doc });
    let (status, merged) = server.ask("POST", "/api/save", Some(&edit));
    assert_eq!(status, 200, "{merged}");
    assert!(merged["note"].as_str().unwrap().contains("已与您的修改合并"), "{merged}");
    let both = expected
        .replace("goal: 政务服务事项进驻比例提高到 85%以上\n", "goal: 新目标\n")
        .replace("  3: 10\n", "  3: 20\n");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), format!("{both}# 另一个程序加的注释\n"));
    // The same field changed on both sides: a conflict per field, in the page's terms,
    // nothing written until a side is chosen; then the chosen side is written.
    let third = load(&server, path);
    let mut doc = third["doc"].clone();
    doc["name"] = json!("我的名称");
    let on_disk =
        std::fs::read_to_string(&file).unwrap().replace("name: 政务服务中心工作（含延时服务）", "name: 别人的名称");
    std::fs::write(&file, &on_disk).unwrap();
    let edit = json!({ "path": path, "base": third["text"], "hash": third["hash"], "doc": doc });
    let (status, conflict) = server.ask("POST", "/api/save", Some(&edit));
    assert_eq!(status, 409, "{conflict}");
    assert_eq!(
        conflict["conflicts"],
        json!([{ "path": ["name"], "base": "政务服务中心工作（含延时服务）", "mine": "我的名称", "theirs": "别人的名称" }])
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), on_disk);
    let mut resolved = edit.clone();
    resolved["resolve"] = json!([{ "path": ["name"], "take": "mine" }]);
    let (status, saved) = server.ask("POST", "/api/save", Some(&resolved));
    assert_eq!(status, 200, "{saved}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), on_disk.replace("name: 别人的名称", "name: 我的名称"));
    // Deleted on disk meanwhile: saved again from the page.
    let fourth = load(&server, path);
    std::fs::remove_file(&file).unwrap();
    let edit = json!({ "path": path, "base": fourth["text"], "hash": fourth["hash"], "doc": fourth["doc"] });
    let (status, restored) = server.ask("POST", "/api/save", Some(&edit));
    assert_eq!(status, 200, "{restored}");
    assert!(restored["note"].as_str().unwrap().contains("重新保存"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), fourth["text"].as_str().unwrap());
}

#[test]
fn checks_as_typed_give_the_rules_of_check_at_their_fields() {
    let project = Project::seed(&["131003001"]);
    let server = Server::start(project.root());
    let path = "2024/projects/131003001.yaml";
    let loaded = load(&server, path);
    assert_eq!(loaded["layout"]["kind"], "project");
    assert_eq!(loaded["layout"]["checkpoints"].as_array().unwrap().len(), 4);
    assert!(loaded["pages"][0]["svg"].as_str().unwrap().starts_with("<svg"));
    // A page the browser has is sent by its digest alone.
    let have =
        json!({ "path": path, "base": loaded["text"], "doc": loaded["doc"], "have": [loaded["pages"][0]["digest"]] });
    let (_, same) = server.ask("POST", "/api/check", Some(&have));
    assert_eq!(same["pages"][0]["digest"], loaded["pages"][0]["digest"]);
    assert!(same["pages"][0]["svg"].is_null(), "{}", same["pages"][0]);
    let mut doc = loaded["doc"].clone();
    doc["spending_plan"]["6"] = json!("150");
    doc["indicators"][1]["value"]["level2"] = json!("质量指表");
    let edit = json!({ "path": path, "base": loaded["text"], "doc": doc });
    let (status, checked) = server.ask("POST", "/api/check", Some(&edit));
    assert_eq!(status, 200);
    let problems = checked["problems"].as_array().unwrap();
    let field = |code: &str| problems.iter().find(|p| p["code"] == code).map(|p| p["field"].clone());
    // The same problems `check` finds in the same text, each at its field.
    std::fs::write(project.root().join("specs/2024/projects/131003001.yaml"), checked["text"].as_str().unwrap())
        .unwrap();
    let cli = String::from_utf8(jixiao_in(project.root(), &["check", "--message-format", "short"]).stderr).unwrap();
    let mut codes: Vec<&str> =
        problems.iter().filter(|p| p["file"] == path).map(|p| p["code"].as_str().unwrap()).collect();
    codes.sort();
    let mut from_cli: Vec<&str> = cli.lines().filter_map(|l| l.split('[').nth(1)?.split(']').next()).collect();
    from_cli.sort();
    assert_eq!(codes, from_cli, "{cli}");
    let errors: Vec<_> = problems.iter().filter(|p| p["severity"] == "error").collect();
    assert_eq!(errors.len(), 2, "{problems:?}");
    for error in &errors {
        assert!(!error["message"].as_str().unwrap().is_empty());
        assert!(error["line"].as_u64().is_some());
    }
    assert_eq!(field("E0306"), Some(json!(["indicators", 1, "level2"])), "{errors:?}");
    assert_eq!(field("E0309"), Some(json!(["spending_plan", "6"])), "{errors:?}");
    // With errors there is no new preview, and the page is told why.
    assert!(checked["pages"].as_array().unwrap().is_empty());
    assert!(checked["preview_note"].as_str().unwrap().contains("错误"));
    // A work in progress can still be saved.
    let saved = json!({ "path": path, "base": loaded["text"], "hash": loaded["hash"], "doc": doc });
    std::fs::write(project.root().join("specs/2024/projects/131003001.yaml"), loaded["text"].as_str().unwrap())
        .unwrap();
    let (status, reply) = server.ask("POST", "/api/save", Some(&saved));
    assert_eq!(status, 200, "{reply}");
    assert!(reply["errors"].as_u64().unwrap() >= 2);
}

#[test]
fn projects_are_listed_created_copied_deleted_and_built() {
    let project = Project::seed(&["131003001", "131003002"]);
    let server = Server::start(project.root());
    let (_, years) = server.ask("GET", "/api/years", None);
    assert_eq!(years["years"][0]["year"], "2024");
    assert_eq!(years["years"][0]["projects"], 2);
    let (_, year) = server.ask("GET", "/api/year?year=2024", None);
    assert_eq!(year["projects"].as_array().unwrap().len(), 2);
    assert_eq!(year["projects"][0]["pdf"]["exists"], false);
    // A blank project: the form's required fields, the checkpoints, no indicators.
    let (status, created) = server.ask("POST", "/api/new", Some(&json!({ "year": "2024", "code": "131003009" })));
    assert_eq!(status, 200, "{created}");
    let blank = load(&server, "2024/projects/131003009.yaml");
    let text = blank["text"].as_str().unwrap();
    assert!(text.starts_with("# yaml-language-server: $schema=../../../schema/hebei-2024/project.json\n"), "{text}");
    assert!(text.contains("code: \"131003009\"\n") && text.contains("spending_plan:\n  3:\n  6:\n"), "{text}");
    // A draft: read as a project, every field to fill in named as such, no YAML words.
    assert!(blank["unreadable"].is_null(), "{blank}");
    let pending: Vec<&str> = blank["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["pending"] == true)
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert_eq!(pending.len(), 8, "{pending:?}");
    assert!(pending.contains(&"“名称”不能为空（请填写内容）"), "{pending:?}");
    assert!(pending.iter().any(|t| t.starts_with("资金支出计划“3 月底”还没有填写")), "{pending:?}");
    assert!(pending.iter().any(|t| t.starts_with("这个项目还没有绩效指标")), "{pending:?}");
    assert!(pending.iter().all(|t| !t.contains('`') && !t.contains("删除这一行")), "{pending:?}");
    let (_, year) = server.ask("GET", "/api/year?year=2024", None);
    let draft = year["projects"].as_array().unwrap().iter().find(|p| p["code"] == "131003009").unwrap().clone();
    assert_eq!((draft["name"].as_str(), draft["pending"].as_u64()), (Some("（未填写名称）"), Some(8)), "{draft}");
    // The department's page is not held hostage by the draft: its report is previewed
    // without it, and the draft is named.
    let department = load(&server, "2024/department.yaml");
    assert!(!department["pages"].as_array().unwrap().is_empty(), "{}", department["preview_note"]);
    assert!(department["preview_note"].as_str().unwrap().contains("131003009"), "{}", department["preview_note"]);
    assert_eq!(
        department["others"],
        json!([{ "path": "2024/projects/131003009.yaml", "name": "131003009", "errors": 8 }])
    );
    // A new code is checked before anything is written.
    for (code, why) in [
        ("131003009", "已被"),
        ("abc", "只含数字"),
        ("999003001", "以部门编码 131003 开头"),
        ("１３１００３０１１", "全角数字"),
        ("", "请填写"),
    ] {
        let (status, refused) = server.ask("POST", "/api/new", Some(&json!({ "year": "2024", "code": code })));
        assert_eq!(status, 422, "{code}: {refused}");
        assert!(refused["error"].as_str().unwrap().contains(why), "{code}: {refused}");
    }
    assert_eq!(std::fs::read_dir(project.root().join("specs/2024/projects")).unwrap().count(), 3);
    // A copy: the same text but its code.
    let copy = json!({ "year": "2024", "code": "131003010", "copy": "2024/projects/131003002.yaml" });
    assert_eq!(server.ask("POST", "/api/new", Some(&copy)).0, 200);
    let copied = std::fs::read_to_string(project.root().join("specs/2024/projects/131003010.yaml")).unwrap();
    let source = std::fs::read_to_string(project.root().join("specs/2024/projects/131003002.yaml")).unwrap();
    assert_eq!(copied, source.replace("code: \"131003002\"", "code: \"131003010\""));
    // Deleted with the hash it was loaded with; never the department file.
    let (status, _) =
        server.ask("POST", "/api/delete", Some(&json!({ "path": "2024/projects/131003009.yaml", "hash": "x" })));
    assert_eq!(status, 409);
    let hash = &blank["hash"];
    let (status, _) =
        server.ask("POST", "/api/delete", Some(&json!({ "path": "2024/projects/131003009.yaml", "hash": hash })));
    assert_eq!(status, 200);
    assert!(!project.root().join("specs/2024/projects/131003009.yaml").exists());
    let department = load(&server, "2024/department.yaml");
    assert_eq!(department["layout"]["kind"], "department");
    let delete = json!({ "path": "2024/department.yaml", "hash": department["hash"] });
    assert_eq!(server.ask("POST", "/api/delete", Some(&delete)).0, 422);
    // 生成 PDF: the year built; its PDFs listed and downloadable.
    let (status, built) = server.ask("POST", "/api/build", Some(&json!({ "year": "2024" })));
    assert_eq!(status, 200, "{built}");
    let pdfs = built["pdfs"].as_array().unwrap();
    assert_eq!(pdfs.len(), 4, "{built}");
    assert!(built["year"]["projects"].as_array().unwrap().iter().all(|p| p["pdf"]["fresh"] == true), "{built}");
    let name = pdfs[0]["name"].as_str().unwrap();
    let (status, headers, bytes) = server.raw(
        "GET",
        &format!("/pdf/2024/{}", encode(name)),
        &server.host(),
        &[("X-Jixiao-Token".to_string(), server.token.clone())],
        b"",
    );
    assert_eq!(status, 200);
    assert!(bytes.starts_with(b"%PDF"));
    assert!(headers.iter().any(|(k, v)| k == "content-type" && v == "application/pdf"));
    // Built again: nothing new.
    let (_, again) = server.ask("POST", "/api/build", Some(&json!({ "year": "2024" })));
    assert!(again["pdfs"].as_array().unwrap().iter().all(|p| p["built"] == false), "{again}");
}

#[test]
fn a_file_that_does_not_parse_is_edited_as_text() {
    let project = Project::seed(&["131003001"]);
    let file = project.root().join("specs/2024/projects/131003001.yaml");
    let good = std::fs::read_to_string(&file).unwrap();
    let broken = good.replace("name: 政务服务中心工作\n", "name: [政务服务中心工作\n");
    std::fs::write(&file, &broken).unwrap();
    let server = Server::start(project.root());
    let path = "2024/projects/131003001.yaml";
    let loaded = load(&server, path);
    assert_eq!(loaded["doc"], Value::Null);
    assert!(loaded["unreadable"].as_str().is_some(), "{loaded}");
    assert!(
        loaded["problems"].as_array().unwrap().iter().any(|p| p["severity"] == "error" && p["line"].is_u64()),
        "{loaded}"
    );
    // Fixed as text, saved; then it is a table again.
    let edit = json!({ "path": path, "base": broken, "hash": loaded["hash"], "text": good });
    let (status, saved) = server.ask("POST", "/api/save", Some(&edit));
    assert_eq!(status, 200, "{saved}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), good);
    assert_eq!(saved["doc"]["name"], "政务服务中心工作");
    assert_eq!(saved["errors"], 0);
}

#[test]
fn posts_without_the_token_change_nothing() {
    let project = Project::seed(&["131003001"]);
    let server = Server::start(project.root());
    let path = "2024/projects/131003001.yaml";
    let loaded = load(&server, path);
    let mut doc = loaded["doc"].clone();
    doc["name"] = json!("改过的名称");
    let spec = project.root().join("specs").join(path);
    let before = std::fs::read(&spec).unwrap();
    let json_type = ("Content-Type".to_string(), "application/json".to_string());
    let posts = [
        ("/api/save", json!({ "path": path, "base": loaded["text"], "hash": loaded["hash"], "doc": doc })),
        ("/api/delete", json!({ "path": path, "hash": loaded["hash"] })),
        ("/api/new", json!({ "year": "2024", "code": "131003099" })),
        ("/api/build", json!({ "year": "2024" })),
    ];
    for (route, body) in &posts {
        let (status, _, _) =
            server.raw("POST", route, &server.host(), std::slice::from_ref(&json_type), body.to_string().as_bytes());
        assert_eq!(status, 401, "{route}");
    }
    assert_eq!(std::fs::read(&spec).unwrap(), before);
    assert!(!project.root().join("specs/2024/projects/131003099.yaml").exists());
    assert!(!project.root().join("out").exists(), "nothing built");
}

#[test]
fn slow_uploads_without_the_token_do_not_freeze_the_editor() {
    use std::io::Write;
    let project = Project::seed(&["131003001"]);
    let server = Server::start(project.root());
    // More connections than workers, each announcing a body and sending one byte.
    let slow: Vec<std::net::TcpStream> = (0..8)
        .map(|_| {
            let mut stream = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
            let head = format!(
                "POST /api/check HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{{",
                server.host()
            );
            stream.write_all(head.as_bytes()).unwrap();
            stream
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let (answered, replies) = std::sync::mpsc::channel();
    let port = server.port;
    let (token, host) = (server.token.clone(), server.host());
    std::thread::spawn(move || {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        let head =
            format!("GET /api/years HTTP/1.1\r\nHost: {host}\r\nX-Jixiao-Token: {token}\r\nConnection: close\r\n\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        let mut reply = String::new();
        let _ = std::io::Read::read_to_string(&mut stream, &mut reply);
        let _ = answered.send(reply);
    });
    let reply = replies.recv_timeout(std::time::Duration::from_secs(5)).expect("the page owner is answered");
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    drop(slow);
}

#[test]
fn a_font_rewritten_while_serving_does_not_end_the_editor() {
    let project = Project::seed(&["131003001"]);
    // A private copy of the fonts, to rewrite.
    std::fs::remove_file(project.root().join("fonts")).unwrap();
    crate::common::copy_tree(&crate::common::repo().join("fonts"), &project.root().join("fonts"));
    let mut server = Server::start(project.root());
    let path = "2024/projects/131003001.yaml";
    let loaded = load(&server, path);
    assert!(loaded["pages"][0]["svg"].as_str().unwrap().starts_with("<svg"));
    // `cp` over a font: the same file truncated and written again.
    let fonts = project.root().join("fonts");
    let sans = std::fs::read(fonts.join("NotoSansCJKsc-Regular.otf")).unwrap();
    std::fs::write(fonts.join("NotoSerifCJKsc-Regular.otf"), &sans).unwrap();
    let mut doc = loaded["doc"].clone();
    doc["name"] = json!("字体改过以后");
    let (status, checked) =
        server.ask("POST", "/api/check", Some(&json!({ "path": path, "base": loaded["text"], "doc": doc })));
    assert_eq!(status, 200);
    assert!(checked["pages"][0]["svg"].as_str().unwrap().starts_with("<svg"));
    assert!(server.child.try_wait().unwrap().is_none(), "still running");
}

#[test]
fn a_save_that_would_lose_a_comment_is_refused_and_flow_style_is_kept() {
    let project = Project::seed(&["131003001"]);
    let spec = project.root().join("specs/2024/projects/131003001.yaml");
    let original = std::fs::read_to_string(&spec).unwrap();
    let plan = "spending_plan:\n  3: 10\n  6: 50\n  10: 75\n  12: 100\n";
    let server = Server::start(project.root());
    let path = "2024/projects/131003001.yaml";
    let save_with = |written: &str, month: &str, value: &str| {
        std::fs::write(&spec, original.replace(plan, written)).unwrap();
        let loaded = load(&server, path);
        let mut doc = loaded["doc"].clone();
        doc["spending_plan"][month] = json!(value);
        let save = json!({ "path": path, "base": loaded["text"], "hash": loaded["hash"], "doc": doc });
        server.ask("POST", "/api/save", Some(&save))
    };
    // A comment inside a flow collection that would be written anew: refused, file untouched.
    let commented = "spending_plan: {3: 10, # 一季度\n  6: 50, 10: 75, 12: 100}\n";
    let (status, reply) = save_with(commented, "6", "60");
    assert_eq!(status, 422, "{reply}");
    assert_eq!(std::fs::read_to_string(&spec).unwrap(), original.replace(plan, commented));
    // Without the comment: saved in flow style, the months in their order.
    let (status, reply) = save_with("spending_plan: {3: 10, 6: 50, 10: 75, 12: 100}\n", "6", "60");
    assert_eq!(status, 200, "{reply}");
    let saved = std::fs::read_to_string(&spec).unwrap();
    assert!(saved.contains("spending_plan: {3: 10, 6: 60, 10: 75, 12: 100}\n"), "{saved}");
    // A month added to a block plan goes in its place.
    let (status, reply) = save_with(plan, "9", "70");
    assert_eq!(status, 200, "{reply}");
    let saved = std::fs::read_to_string(&spec).unwrap();
    assert!(saved.contains("spending_plan:\n  3: 10\n  6: 50\n  9: 70\n  10: 75\n  12: 100\n"), "{saved}");
}

/// The seed's two projects with the worked example's year-end actual figures for them.
fn with_actuals() -> Project {
    let project = Project::seed(&["131003001", "131003002"]);
    for file in ["period.yaml", "131003001.yaml", "131003002.yaml"] {
        project.copy_from_repo(
            &format!("specs/example/2024/actuals/year-end/{file}"),
            &format!("specs/2024/actuals/year-end/{file}"),
        );
    }
    project
}

#[test]
fn actual_figures_are_edited_beside_their_targets_with_their_scores() {
    let project = with_actuals();
    let server = Server::start(project.root());
    let path = "2024/actuals/year-end/131003001.yaml";
    let file = load(&server, path);
    let layout = &file["layout"];
    assert_eq!(layout["kind"], "actuals", "{file}");
    let targets: Vec<&str> =
        layout["targets"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(
        targets,
        ["办件数据", "审批结果准确性", "政务服务事项限时办结率", "财政保障经费", "事项进驻率", "办事群众满意度"]
    );
    assert_eq!(layout["targets"][3]["ask_direction"], true, "25 万元 has no comparison word");
    assert_eq!(file["scores"]["total"], "99.67", "{}", file["scores"]);
    assert_eq!(file["scores"]["rows"][2]["score"], "12.45");
    assert!(!file["pages"].as_array().unwrap().is_empty(), "the table's preview");
    // A figure changed: checked and scored as typed, nothing written.
    let mut doc = file["doc"].clone();
    doc["indicators"][2]["value"]["actual"] = json!("100%");
    let edit = json!({ "path": path, "base": file["text"], "hash": file["hash"], "doc": doc });
    let (status, checked) = server.ask("POST", "/api/check", Some(&edit));
    assert_eq!(status, 200, "{checked}");
    assert_eq!(checked["scores"]["rows"][2]["score"], "12.50");
    assert_eq!(checked["scores"]["total"], "99.72");
    // A hand score without its reason: the rule's error, at the score's field.
    let mut wrong = doc.clone();
    wrong["indicators"][0]["value"]["score"] = json!("10");
    let (_, checked) =
        server.ask("POST", "/api/check", Some(&json!({ "path": path, "base": file["text"], "doc": wrong })));
    let problem = checked["problems"].as_array().unwrap().iter().find(|p| p["code"] == "E0509").expect("E0509");
    assert_eq!(problem["field"], json!(["indicators", 0, "score"]), "{problem}");
    // Saved in place: only that value changed, comments kept.
    let before = std::fs::read_to_string(project.root().join("specs").join(path)).unwrap();
    let (status, saved) = server.ask("POST", "/api/save", Some(&edit));
    assert_eq!(status, 200, "{saved}");
    let after = std::fs::read_to_string(project.root().join("specs").join(path)).unwrap();
    assert_eq!(after, before.replace("    actual: 99.6%\n", "    actual: 100%\n"));
    // The year lists its period with each project's total.
    let (_, year) = server.ask("GET", "/api/year?year=2024", None);
    let period = &year["periods"][0];
    assert_eq!(period["name"], "year-end", "{year}");
    let totals: Vec<&str> =
        period["projects"].as_array().unwrap().iter().map(|p| p["total"].as_str().unwrap()).collect();
    assert_eq!(totals, ["99.72", "99.56"]);
    // An actuals file is not deleted from the project list's button.
    let (status, _) = server.ask("POST", "/api/delete", Some(&json!({ "path": path, "hash": saved["hash"] })));
    assert_eq!(status, 422);
}

#[test]
fn a_restart_keeps_open_pages_working_and_a_stranger_is_told_how_to_open_the_editor() {
    let project = Project::seed(&["131003001"]);
    let first = Server::start(project.root());
    let port = first.port;
    let token = first.token.clone();
    // A browser without the token (a bookmark of the bare address): a Chinese page.
    let html = [("Accept".to_string(), "text/html,application/xhtml+xml".to_string())];
    let (status, headers, body) = first.raw("GET", "/", &first.host(), &html, b"");
    assert_eq!(status, 401);
    assert!(headers.iter().any(|(k, v)| k == "content-type" && v.starts_with("text/html")));
    let page = String::from_utf8(body).unwrap();
    assert!(page.contains("请从编辑器显示的地址打开") && page.contains("打开绩效编辑器"), "{page}");
    // The cookie outlives the browser session.
    let (status, headers, _) = first.raw("GET", &format!("/?token={token}"), &first.host(), &[], b"");
    assert_eq!(status, 303);
    assert!(headers.iter().any(|(k, v)| k == "set-cookie" && v.contains("Max-Age=2592000")), "{headers:?}");
    assert!(first.interrupt().success());
    // Kept for the project, readable by its owner only, never committed.
    let kept = project.root().join(".jixiao/serve-token");
    assert_eq!(std::fs::read_to_string(&kept).unwrap().trim(), token);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&kept).unwrap().permissions().mode() & 0o777, 0o600);
    }
    assert!(std::fs::read_to_string(project.root().join(".jixiao/.gitignore")).unwrap().contains('*'));
    // Started again on the same port: the page's token still works.
    let second = Server::start_on(project.root(), port);
    assert_eq!(second.token, token);
    let cookie = [("Cookie".to_string(), format!("jixiao_token_{port}={token}"))];
    let (status, _, _) = second.raw("GET", "/api/years", &second.host(), &cookie, b"");
    assert_eq!(status, 200);
    // Started once more while it runs (a second double-click): the running one is opened.
    let start = |port: u16| {
        std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .args(["serve", "--open", "--port", &port.to_string()])
            .arg(project.root())
            .env("PATH", "")
            .output()
            .unwrap()
    };
    let again = start(port);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(String::from_utf8_lossy(&again.stdout).contains("编辑器已经在运行"));
    // A port taken by something else is not mistaken for the editor.
    let other = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let taken = start(other.local_addr().unwrap().port());
    assert!(!taken.status.success());
    assert!(
        String::from_utf8_lossy(&taken.stderr).contains("无法在端口"),
        "{}",
        String::from_utf8_lossy(&taken.stderr)
    );
}

#[test]
fn committed_pdfs_of_a_fresh_clone_read_as_up_to_date() {
    let project = Project::seed(&["131003001", "131003002"]);
    assert!(project.run(&["build"]).status.success());
    // A clone has the PDFs (committed) but not the manifest (never committed).
    std::fs::remove_file(project.root().join("out/2024/.jixiao-manifest")).unwrap();
    let unchanged = |files: Vec<(std::path::PathBuf, Vec<u8>)>| {
        files
            .into_iter()
            .filter(|(p, _)| !p.ends_with(".jixiao-manifest") && !p.ends_with(".jixiao-unchanged"))
            .collect::<Vec<_>>()
    };
    let before = unchanged(project.out_files());
    let server = Server::start(project.root());
    let (_, year) = server.ask("GET", "/api/year?year=2024", None);
    assert_eq!(year["report"]["fresh"], true, "{year}");
    assert!(year["projects"].as_array().unwrap().iter().all(|p| p["pdf"]["fresh"] == true), "{year}");
    assert!(unchanged(project.out_files()) == before, "nothing but the manifest written");
    // A PDF that is not what its spec makes stays 需要重新生成.
    let spec = project.root().join("specs/2024/projects/131003002.yaml");
    let text = std::fs::read_to_string(&spec)
        .unwrap()
        .replace("name: 公共资源交易中心工作", "name: 公共资源交易中心工作（新）");
    std::fs::write(&spec, text).unwrap();
    let (_, year) = server.ask("GET", "/api/year?year=2024", None);
    let changed = year["projects"].as_array().unwrap().iter().find(|p| p["code"] == "131003002").unwrap().clone();
    assert_eq!(changed["pdf"]["fresh"], false, "{changed}");
}

#[test]
fn indicator_names_of_this_and_earlier_years_are_suggested() {
    let project = Project::seed(&["131003001", "131003002"]);
    let server = Server::start(project.root());
    let (status, found) = server.ask("GET", "/api/suggest?year=2024", None);
    assert_eq!(status, 200);
    let names: Vec<&str> = found["indicators"].as_array().unwrap().iter().filter_map(|i| i["name"].as_str()).collect();
    assert!(names.contains(&"办事群众满意度") && names.contains(&"资金节约率"), "{names:?}");
    let one = found["indicators"].as_array().unwrap().iter().find(|i| i["name"] == "资金节约率").unwrap();
    assert_eq!((one["level2"].as_str(), one["year"].as_str()), (Some("经济效益指标"), Some("2024")), "{one}");
    assert_eq!(server.ask("GET", "/api/suggest?year=1999", None).0, 404);
}

#[test]
fn a_project_without_actual_figures_is_started_from_its_targets_in_the_page() {
    let project = Project::seed(&["131003001", "131003002"]);
    for name in ["period.yaml", "131003001.yaml"] {
        project.copy_from_repo(
            &format!("specs/example/2024/actuals/year-end/{name}"),
            &format!("specs/2024/actuals/year-end/{name}"),
        );
    }
    let server = Server::start(project.root());
    let (_, year) = server.ask("GET", "/api/year?year=2024", None);
    assert_eq!(year["periods"][0]["missing"], json!(["131003002"]), "{year}");
    let start = json!({ "year": "2024", "period": "year-end", "code": "131003002" });
    let (status, started) = server.ask("POST", "/api/start-actuals", Some(&start));
    assert_eq!(status, 200, "{started}");
    assert_eq!(started["path"], "2024/actuals/year-end/131003002.yaml");
    let text = std::fs::read_to_string(project.root().join("specs/2024/actuals/year-end/131003002.yaml")).unwrap();
    assert!(
        text.starts_with("# yaml-language-server: $schema=../../../../schema/central-evaluation-2020/actuals.json\n"),
        "{text}"
    );
    assert!(text.contains("资金节约率"), "every indicator listed with its target: {text}");
    let (_, year) = server.ask("GET", "/api/year?year=2024", None);
    assert_eq!(year["periods"][0]["missing"], json!([]), "{year}");
    assert_eq!(server.ask("POST", "/api/start-actuals", Some(&start)).0, 409, "never over an existing file");
}

#[test]
fn jixiao_started_without_arguments_beside_a_project_opens_the_editor() {
    use std::io::BufRead;
    let project = Project::seed(&["131003001"]);
    // As a double-click starts it: no argument, in the project folder, no browser to open.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .current_dir(project.root())
        .env("PATH", "")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut said = String::new();
    while let Ok(line) = rx.recv_timeout(std::time::Duration::from_secs(20)) {
        said.push_str(&line);
        said.push('\n');
        if line.contains("token=") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(said.contains("编辑器") && said.contains("http://127.0.0.1:8024/?token="), "{said}");
}
