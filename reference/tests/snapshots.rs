//! Reviewed snapshots of every endpoint's answers per dialect and format. Dates come from
//! the manual clock; operation GUIDs and download keys are redacted. JSON bodies are laid
//! out one key per line so that a change shows in review as the lines it touches.

mod support;

use serde_json::json;
use support::{start, Server, ALICE};

/// Replaces GUIDs, download keys and the server's port, the only values that differ
/// between runs.
fn redact(text: &str, base: &str) -> String {
    let text = &text
        .replace(base, "http://[server]")
        .replace(&base.replace('/', "\\/"), "http:\\/\\/[server]");
    let bytes = text.as_bytes();
    let is_guid = |at: usize| {
        bytes.len() >= at + 36
            && bytes[at..at + 36].iter().enumerate().all(|(i, b)| match i {
                8 | 13 | 18 | 23 => *b == b'-',
                _ => b.is_ascii_hexdigit(),
            })
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if is_guid(i) {
            out.push_str("[guid]");
            i += 36;
        } else if text[i..].starts_with("key=") {
            out.push_str("key=[key]");
            i += 4;
            while i < bytes.len() && bytes[i].is_ascii_hexdigit() {
                i += 1;
            }
        } else {
            let c = text[i..].chars().next().expect("char");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// A JSON body re-indented, one key or item per line; any other body (XML, already indented,
/// or plain text) as it is. The text is re-indented, not decoded and re-encoded: what is
/// inside strings stays byte for byte, so Workspace's `\/` escapes stay visible.
fn layout(body: &str) -> String {
    let is_json =
        body.starts_with(['{', '[']) && serde_json::from_str::<serde::de::IgnoredAny>(body).is_ok();
    if !is_json {
        return body.to_owned();
    }
    jsonxf::pretty_print(body).unwrap_or_else(|e| panic!("re-indenting {body}: {e}"))
}

/// Per call: the request, the status, the redacted body (JSON one key per line).
async fn scenario(s: &Server, suffix: &str) -> String {
    let my = s.my(ALICE).await;
    let work = s.mkdir(ALICE, my, "Work").await;
    let file = s.touch(ALICE, work, "Report.docx").await;
    let mut log = String::new();
    let mut record = |label: &str, answer: support::Answer| {
        log.push_str(&format!(
            "== {label} -> {}\n{}\n\n",
            answer.status,
            redact(&layout(answer.body.trim_end()), &s.base)
        ));
    };
    let auth = json!({"userName": "alice", "password": ALICE});
    record(
        "POST authentication",
        s.call("POST", &format!("authentication{suffix}"), None, Some(auth))
            .await,
    );
    record(
        "GET files/@my",
        s.call("GET", &format!("files/@my{suffix}"), Some(ALICE), None)
            .await,
    );
    record(
        "GET files/@trash",
        s.call("GET", &format!("files/@trash{suffix}"), Some(ALICE), None)
            .await,
    );
    record(
        "GET files/{work}",
        s.call("GET", &format!("files/{work}{suffix}"), Some(ALICE), None)
            .await,
    );
    record(
        "GET files/folder/{work}",
        s.call(
            "GET",
            &format!("files/folder/{work}{suffix}"),
            Some(ALICE),
            None,
        )
        .await,
    );
    record(
        "GET files/file/{file}",
        s.call(
            "GET",
            &format!("files/file/{file}{suffix}"),
            Some(ALICE),
            None,
        )
        .await,
    );
    record(
        "GET files/file/999",
        s.call("GET", &format!("files/file/999{suffix}"), Some(ALICE), None)
            .await,
    );
    let created = s
        .call(
            "POST",
            &format!("files/folder/{my}{suffix}"),
            Some(ALICE),
            Some(json!({"title": "Other"})),
        )
        .await;
    record("POST files/folder/{my}", created);
    let copy = json!({"destFolderId": my, "fileIds": [file]});
    s.run("PUT", "files/fileops/copy", ALICE, copy.clone())
        .await;
    record(
        "GET files/fileops/move (clash)",
        s.call(
            "GET",
            &format!("files/fileops/move{suffix}?destFolderId={my}&fileIds={file}"),
            Some(ALICE),
            None,
        )
        .await,
    );
    s.reference.gate().close();
    record(
        "PUT files/fileops/copy (running)",
        s.call(
            "PUT",
            &format!("files/fileops/copy{suffix}"),
            Some(ALICE),
            Some(copy),
        )
        .await,
    );
    record(
        "GET files/fileops (running)",
        s.call("GET", &format!("files/fileops{suffix}"), Some(ALICE), None)
            .await,
    );
    s.reference.gate().open();
    while s.reference.engine().unfinished() > 0 {
        tokio::task::yield_now().await;
    }
    record(
        "GET files/fileops (finished, read once)",
        s.call("GET", &format!("files/fileops{suffix}"), Some(ALICE), None)
            .await,
    );
    record(
        "GET files/fileops (after reading)",
        s.call("GET", &format!("files/fileops{suffix}"), Some(ALICE), None)
            .await,
    );
    let f2 = s.touch(ALICE, work, "Second.docx").await;
    let ops: &[(&str, &str, serde_json::Value)] = &[
        (
            "PUT",
            "files/fileops/markasread",
            json!({"fileIds": [file]}),
        ),
        ("PUT", "files/fileops/delete", json!({"fileIds": [f2]})),
        ("PUT", "files/fileops/emptytrash", json!({})),
        (
            "PUT",
            "files/fileops/bulkdownload",
            json!({"fileIds": [file]}),
        ),
        ("PUT", "files/fileops/terminate", json!({})),
    ];
    for (method, path, body) in ops {
        let started = s
            .call(
                method,
                &format!("{path}{suffix}"),
                Some(ALICE),
                Some(body.clone()),
            )
            .await;
        record(&format!("{method} {path}"), started);
        while s.reference.engine().unfinished() > 0 {
            tokio::task::yield_now().await;
        }
        let listed = s
            .call("GET", &format!("files/fileops{suffix}"), Some(ALICE), None)
            .await;
        record(&format!("GET files/fileops (after {path})"), listed);
    }
    if s.reference.dialect().name == "docspace" {
        let body = json!({"fileIds": [file], "returnSingleOperation": true});
        record(
            "PUT files/fileops/duplicate",
            s.call("PUT", "files/fileops/duplicate", Some(ALICE), Some(body))
                .await,
        );
        while s.reference.engine().unfinished() > 0 {
            tokio::task::yield_now().await;
        }
        record(
            "GET files/fileops/duplicate (by type)",
            s.call("GET", "files/fileops/duplicate", Some(ALICE), None)
                .await,
        );
        let check = format!("files/fileops/checkdestfolder?destFolderId={my}&fileIds={file}");
        record(
            "GET files/fileops/checkdestfolder",
            s.call("GET", &check, Some(ALICE), None).await,
        );
        let versions = json!({"fileId": file, "versions": [1]});
        record(
            "PUT files/fileops/deleteversion (current)",
            s.call(
                "PUT",
                "files/fileops/deleteversion",
                Some(ALICE),
                Some(versions),
            )
            .await,
        );
        record(
            "PUT files/fileops/terminate/{id}",
            s.call(
                "PUT",
                "files/fileops/terminate/no-such-id",
                Some(ALICE),
                None,
            )
            .await,
        );
    }
    record(
        "PUT files/fileops/move (bad enum)",
        s.call(
            "PUT",
            &format!("files/fileops/move{suffix}"),
            Some(ALICE),
            Some(json!({"destFolderId": my, "conflictResolveType": "Replace"})),
        )
        .await,
    );
    record(
        "GET files/@my (no token)",
        s.call("GET", &format!("files/@my{suffix}"), None, None)
            .await,
    );
    log
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_per_dialect_and_format() {
    for dialect in fileops_api::dialects::ALL {
        for format in dialect.formats {
            let suffix = match format {
                fileops_api::runtime::Format::Json => "",
                fileops_api::runtime::Format::Xml => ".xml",
            };
            let s = start(dialect).await;
            let log = scenario(&s, suffix).await;
            insta::assert_snapshot!(format!("{}_{format:?}", dialect.name).to_lowercase(), log);
        }
    }
}

#[test]
fn layout_reindents_json_and_keeps_string_bytes() {
    let body = r#"{"url":"http:\/\/x\/a, b: {c}","list":[1,{}],"empty":[]}"#;
    let out = layout(body);
    assert_eq!(
        out,
        "{\n  \"url\": \"http:\\/\\/x\\/a, b: {c}\",\n  \"list\": [\n    1,\n    {}\n  ],\n  \"empty\": []\n}"
    );
    // Only whitespace was added: minified again, it is the body byte for byte.
    assert_eq!(jsonxf::minimize(&out).expect("json"), body);
    for other in [
        "Unauthorized",
        "<result>\n  <status>0</status>\n</result>",
        "{not json",
        "",
    ] {
        assert_eq!(layout(other), other);
    }
}
