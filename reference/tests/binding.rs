//! Request binding per family (reference §2a, §2c): Workspace merges the query and a JSON,
//! XML, form or multipart body into case-insensitive text fields; DocSpace binds JSON only
//! and answers anything else with 415.

mod support;

use fileops_api::dialects::{DOCSPACE, WORKSPACE};
use serde_json::Value;
use support::{start, Server, ALICE};

/// Sends `body` with `content_type`; status and parsed JSON answer.
async fn send(
    s: &Server,
    method: &str,
    path: &str,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> (u16, Value) {
    let answer = s
        .client
        .request(
            method.parse().expect("method"),
            format!("{}/api/2.0/{path}", s.base),
        )
        .header("Authorization", ALICE)
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .expect("answers");
    let status = answer.status().as_u16();
    let text = answer.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Waits for the operation a started answer lists.
async fn finish(s: &Server, started: &Value) -> Value {
    let id = started["response"]
        .as_array()
        .and_then(|ops| ops.last())
        .and_then(|op| op["id"].as_str())
        .unwrap_or_else(|| panic!("no operation started: {started}"));
    s.wait(ALICE, id).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workspace_binds_forms_multipart_xml_and_the_query() {
    let s = start(&WORKSPACE).await;
    let my = s.my(ALICE).await;

    // A community client's login: a form body with lower-case names.
    let (status, login) = send(
        &s,
        "POST",
        "authentication",
        "application/x-www-form-urlencoded",
        "username=alice&password=alice-token",
    )
    .await;
    assert_eq!(status, 201, "{login}");
    assert_eq!(login["response"]["token"], "alice-token");

    // A form copy: repeated and `[]` keys collect into one list; the enum by name.
    let dst = s.mkdir(ALICE, my, "dst").await;
    let a = s.touch(ALICE, my, "a.docx").await;
    let b = s.touch(ALICE, my, "b.docx").await;
    let form = format!("DestFolderId={dst}&fileIds={a}&fileIds%5B%5D={b}&conflictResolveType=skip");
    let (status, started) = send(
        &s,
        "PUT",
        "files/fileops/copy",
        "application/x-www-form-urlencoded",
        form,
    )
    .await;
    assert_eq!(status, 200, "{started}");
    finish(&s, &started).await;
    assert_eq!(s.titles(ALICE, dst).await.0, ["a.docx", "b.docx"]);

    // Multipart fields, as an HTML form would post them.
    let boundary = "fileopsboundary";
    let part = |name: &str, value: &str| {
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        )
    };
    let multipart = format!(
        "{}{}{}--{boundary}--\r\n",
        part("fileIds", &a.to_string()),
        part("immediately", "True"),
        part("deleteAfter", "false")
    );
    let (status, started) = send(
        &s,
        "PUT",
        "files/fileops/delete",
        &format!("multipart/form-data; boundary={boundary}"),
        multipart,
    )
    .await;
    assert_eq!(status, 200, "{started}");
    finish(&s, &started).await;
    assert_eq!(s.titles(ALICE, my).await.0, ["b.docx"], "deleted for good");
    assert!(s.titles(ALICE, s.trash(ALICE).await).await.0.is_empty());

    // An XML body.
    let xml = format!("<request><fileIds>{b}</fileIds><immediately>true</immediately></request>");
    let (status, started) = send(&s, "PUT", "files/fileops/delete", "text/xml", xml).await;
    assert_eq!(status, 200, "{started}");
    finish(&s, &started).await;
    assert!(s.titles(ALICE, my).await.0.is_empty());

    // No body at all: the query's fields are bound.
    let c = s.touch(ALICE, my, "c.docx").await;
    let (status, started) = send(
        &s,
        "PUT",
        &format!("files/fileops/delete?fileIds={c}&Immediately=true"),
        "application/x-www-form-urlencoded",
        "",
    )
    .await;
    assert_eq!(status, 200, "{started}");
    finish(&s, &started).await;
    assert!(s.titles(ALICE, my).await.0.is_empty());
    assert!(s.titles(ALICE, s.trash(ALICE).await).await.0.is_empty());

    // A value that does not convert is refused with 400 in the error envelope.
    let (status, refused) = send(
        &s,
        "PUT",
        "files/fileops/delete",
        "application/x-www-form-urlencoded",
        "fileIds=1&immediately=maybe",
    )
    .await;
    assert_eq!(status, 400, "{refused}");
    assert_eq!(refused["status"], 1, "{refused}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn docspace_binds_json_only() {
    let s = start(&DOCSPACE).await;
    let my = s.my(ALICE).await;
    let a = s.touch(ALICE, my, "a.docx").await;
    let (status, _) = send(
        &s,
        "PUT",
        "files/fileops/delete",
        "application/x-www-form-urlencoded",
        format!("fileIds={a}&immediately=true"),
    )
    .await;
    assert_eq!(status, 415);
    assert_eq!(s.titles(ALICE, my).await.0, ["a.docx"], "nothing deleted");
}
