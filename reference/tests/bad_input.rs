//! Bad input gets a 4xx with the dialect's error envelope naming the field and why — never
//! a 500 — and changes nothing. Unauthenticated requests get the dialect's 401.

mod support;

use serde_json::json;
use support::{dialects, start, ALICE};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_and_ill_typed_bodies_are_refused_and_change_nothing() {
    for dialect in dialects() {
        let s = start(dialect).await;
        let my = s.my(ALICE).await;
        let f = s.touch(ALICE, my, "a.docx").await;
        let before = s.list(ALICE, my).await;
        let big = format!("{{\"fileIds\":[{}]}}", vec!["1"; 700_000].join(","));
        let cases: Vec<(&str, String, String, u16, &str)> = vec![
            (
                "PUT",
                "files/fileops/move".into(),
                "{\"destFolderId\":".into(),
                400,
                "malformed JSON",
            ),
            (
                "PUT",
                "files/fileops/move".into(),
                json!({"destFolderId": my, "fileIds": [f], "deleteAfter": "maybe"}).to_string(),
                400,
                "deleteAfter",
            ),
            (
                "PUT",
                "files/fileops/move".into(),
                json!({"destFolderId": my, "fileIds": [f], "conflictResolveType": "Replace"})
                    .to_string(),
                400,
                "FileConflictResolveType",
            ),
            (
                "PUT",
                "files/fileops/copy".into(),
                json!({"fileIds": [f]}).to_string(),
                400,
                "destFolderId",
            ),
            // An id list's value of another JSON kind is no refusal: DocSpace skips it
            // (§2a), so an ill-typed flag stands in for it.
            (
                "PUT",
                "files/fileops/delete".into(),
                json!({"fileIds": [f], "immediately": "maybe"}).to_string(),
                400,
                "immediately",
            ),
            (
                "PUT",
                "files/fileops/delete".into(),
                "[1, 2]".into(),
                400,
                "invalid type",
            ),
            (
                "PUT",
                "files/fileops/delete".into(),
                big,
                413,
                "larger than",
            ),
            (
                "POST",
                format!("files/folder/{my}"),
                json!({"title": "   "}).to_string(),
                400,
                "title",
            ),
            (
                "POST",
                format!("files/folder/{my}"),
                json!({}).to_string(),
                400,
                "title",
            ),
            (
                "GET",
                "files/fileops/move?fileIds=1".into(),
                String::new(),
                400,
                "destFolderId",
            ),
            (
                "GET",
                format!("files/{my}?startIndex=-1"),
                String::new(),
                400,
                "negative",
            ),
            (
                "GET",
                format!("files/{my}?count=lots"),
                String::new(),
                400,
                "count",
            ),
        ];
        for (method, path, body, status, mention) in cases {
            let body = (!body.is_empty()).then_some(body);
            let answer = s.raw(method, &path, Some(ALICE), body).await;
            let name = format!("{} {method} {path}", dialect.name);
            assert_eq!(answer.status, status, "{name}: {}", answer.body);
            assert!(
                answer.content_type.starts_with("application/json"),
                "{name}: {}",
                answer.content_type
            );
            let envelope = answer.json();
            assert_eq!(envelope["status"], 1, "{name}: {envelope}");
            assert_eq!(envelope["statusCode"], status, "{name}");
            assert!(
                envelope.to_string().contains(mention),
                "{name}: {envelope} does not mention {mention}"
            );
        }
        assert_eq!(
            s.list(ALICE, my).await,
            before,
            "{}: bad input changed nothing",
            dialect.name
        );
        assert!(
            s.ok("GET", "files/fileops", ALICE, None)
                .await
                .as_array()
                .is_some_and(Vec::is_empty),
            "nothing queued"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn docspace_names_binding_failures_in_problem_details() {
    let s = start(&fileops_api::dialects::DOCSPACE).await;
    let answer = s
        .call(
            "PUT",
            "files/fileops/move",
            Some(ALICE),
            Some(json!({"destFolderId": 1, "deleteAfter": "maybe"})),
        )
        .await;
    let envelope = answer.json();
    assert_eq!(envelope["status"], 1);
    assert_eq!(envelope["response"]["status"], 400);
    assert!(
        envelope["response"]["errors"]["deleteAfter"][0]
            .as_str()
            .is_some(),
        "{envelope}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unauthenticated_requests_get_the_dialect_answer() {
    for dialect in dialects() {
        let s = start(dialect).await;
        for (method, path) in [
            ("GET", "files/@my"),
            ("PUT", "files/fileops/move"),
            ("GET", "files/fileops/move?destFolderId=1"),
        ] {
            for token in [None, Some("not-a-token")] {
                let answer = s
                    .call(method, path, token, Some(json!({"destFolderId": 1})))
                    .await;
                assert_eq!(
                    answer.status, 401,
                    "{} {path} {token:?}: {}",
                    dialect.name, answer.body
                );
                assert_eq!(answer.body, dialect.unauthorized.body, "{}", dialect.name);
            }
        }
        // Bearer tokens work as well as raw ones.
        let answer = s
            .call("GET", "files/@my", Some("Bearer alice-token"), None)
            .await;
        assert_eq!(answer.status, 200);
        // DocSpace lists operations anonymously (an empty session); Workspace requires a token.
        let anonymous = s.call("GET", "files/fileops", None, None).await;
        if dialect.name == "docspace" {
            assert_eq!(anonymous.status, 200);
            assert_eq!(anonymous.response(), json!([]));
        } else {
            assert_eq!(anonymous.status, 401);
            // reference §8: ASP.NET's default content type, text/html.
            assert_eq!(anonymous.content_type, "text/html");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_routes_answer_404_in_the_envelope() {
    for dialect in dialects() {
        let s = start(dialect).await;
        let answer = s
            .call("GET", "files/fileops/nothing/here", Some(ALICE), None)
            .await;
        assert_eq!(answer.status, 404);
        assert_eq!(answer.json()["status"], 1);
    }
}
