//! Workspace and R7 answer in XML for `.xml` paths; read back schema-guided, the XML equals
//! the JSON. DocSpace has no XML.

mod support;

use fileops_api::dialects::{DOCSPACE, R7, WORKSPACE};
use fileops_api::runtime::{codec, Format};
use fileops_api::types::{FileOperation, FolderContent};
use serde_json::json;
use support::{start, ALICE};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xml_answers_equal_the_json_ones() {
    for dialect in [&WORKSPACE, &R7] {
        let s = start(dialect).await;
        let my = s.my(ALICE).await;
        let dst = s.mkdir(ALICE, my, "dst").await;
        s.touch(ALICE, my, "a.docx").await;
        s.touch(ALICE, dst, "b.docx").await;
        for path in [
            format!("files/{my}"),
            "files/@my".into(),
            "files/@trash".into(),
        ] {
            let json_answer = s
                .call("GET", &format!("{path}.json"), Some(ALICE), None)
                .await;
            let xml_answer = s
                .call("GET", &format!("{path}.xml"), Some(ALICE), None)
                .await;
            assert!(
                xml_answer.content_type.starts_with("text/xml"),
                "{}",
                xml_answer.content_type
            );
            assert!(
                xml_answer.body.starts_with("<result>"),
                "{}",
                xml_answer.body
            );
            let from_json = codec::decode_success::<FolderContent>(
                json_answer.body.as_bytes(),
                Format::Json,
                Some(dialect),
            )
            .expect("json");
            let from_xml = codec::decode_success::<FolderContent>(
                xml_answer.body.as_bytes(),
                Format::Xml,
                Some(dialect),
            )
            .expect("xml");
            assert!(
                from_json == from_xml,
                "{} {path}: the XML reads back different from the JSON\n{}",
                dialect.name,
                diff(&from_json, &from_xml)
            );
        }
        s.reference.gate().close();
        let f = s.touch(ALICE, my, "c.docx").await;
        s.ok(
            "PUT",
            "files/fileops/copy",
            ALICE,
            Some(json!({"destFolderId": dst, "fileIds": [f]})),
        )
        .await;
        let json_answer = s.call("GET", "files/fileops.json", Some(ALICE), None).await;
        let xml_answer = s.call("GET", "files/fileops.xml", Some(ALICE), None).await;
        let from_json = codec::decode_success::<Vec<FileOperation>>(
            json_answer.body.as_bytes(),
            Format::Json,
            Some(dialect),
        )
        .expect("json");
        let from_xml = codec::decode_success::<Vec<FileOperation>>(
            xml_answer.body.as_bytes(),
            Format::Xml,
            Some(dialect),
        )
        .expect("xml");
        assert_eq!(from_json.response.len(), 1);
        assert!(
            from_json.response == from_xml.response,
            "{}: the XML reads back different from the JSON\n{}",
            dialect.name,
            diff(&from_json.response, &from_xml.response)
        );
        s.reference.gate().open();
        let error = s.call("GET", "files/file/999.xml", Some(ALICE), None).await;
        assert!(
            error.body.starts_with("<result>") && error.body.contains("<message>"),
            "{}",
            error.body
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_request_to_an_xml_path_gets_json() {
    let s = start(&WORKSPACE).await;
    let my = s.my(ALICE).await;
    let answer = s
        .call(
            "POST",
            &format!("files/folder/{my}.xml"),
            Some(ALICE),
            Some(json!({"title": "J"})),
        )
        .await;
    assert_eq!(answer.status, 201);
    assert!(
        answer.content_type.starts_with("application/json"),
        "{}",
        answer.content_type
    );
    assert_eq!(answer.response()["title"], "J");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn docspace_has_no_xml_suffix() {
    let s = start(&DOCSPACE).await;
    let answer = s.call("GET", "files/@my.xml", Some(ALICE), None).await;
    assert_eq!(answer.status, 404, "{}", answer.body);
}

/// A unified diff of two read-back answers (`- JSON`, `+ XML`), so a failure shows the fields
/// that differ rather than both whole documents.
fn diff<T: std::fmt::Debug>(json: &T, xml: &T) -> String {
    let (json, xml) = (format!("{json:#?}\n"), format!("{xml:#?}\n"));
    similar::TextDiff::from_lines(&json, &xml)
        .unified_diff()
        .context_radius(3)
        .header("expected", "got")
        .to_string()
}
