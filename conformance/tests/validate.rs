//! `validate`: answers the reference writes conform in their dialect and format; departures
//! are listed with JSON pointers; unusable input is its own exit code.

use fileops_api::client::Client;
use fileops_api::operations::*;
use fileops_api::runtime::client::{ClientConfig, EnumEncoding, Exchange};
use fileops_api::runtime::{EntryId, Format};
use fileops_api::types::NewFolder;
use fileops_conformance::embedded;
use fileops_conformance::judge::Violation;
use fileops_conformance::validate::validate;
use std::process::Command;

fn problems<T>(
    dialect: &'static fileops_api::runtime::Dialect,
    operation: &str,
    exchange: &Exchange<T>,
    format: Format,
) -> Vec<Violation> {
    validate(
        dialect,
        operation,
        Some(exchange.status),
        format,
        &exchange.body,
    )
    .expect("usable")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_reference_writes_conforms_in_every_dialect_and_format() {
    for dialect in fileops_api::dialects::ALL {
        let server = embedded::start(dialect).await.expect("server");
        for format in dialect.formats {
            let client = Client::new(ClientConfig {
                observer: None,
                http: None,
                base_url: server.base_url.clone(),
                dialect,
                authorization: Some(server.token.clone()),
                format: *format,
                enums: EnumEncoding::Wire,
            });
            let my = client
                .get_my_folder(&GetMyFolderRequest {
                    start_index: None,
                    count: None,
                })
                .await
                .expect("my");
            assert_eq!(
                problems(dialect, "getMyFolder", &my, *format),
                [],
                "{} {format:?}",
                dialect.name
            );
            let created = client
                .create_folder(&CreateFolderRequest {
                    folder_id: EntryId::Int(1),
                    body: NewFolder { title: "V".into() },
                })
                .await
                .expect("created");
            let created_format = if created
                .header("content-type")
                .is_some_and(|t| t.contains("xml"))
            {
                Format::Xml
            } else {
                Format::Json
            };
            assert_eq!(
                problems(dialect, "createFolder", &created, created_format),
                [],
                "{} {format:?}",
                dialect.name
            );
            let missing = client
                .get_file_info(&GetFileInfoRequest {
                    file_id: EntryId::Int(999),
                    version: None,
                })
                .await
                .expect("missing");
            assert_eq!(
                problems(dialect, "getFileInfo", &missing, *format),
                [],
                "{} {format:?}",
                dialect.name
            );
            let ops = client
                .get_operation_statuses(&GetOperationStatusesRequest { id: None })
                .await
                .expect("ops");
            assert_eq!(
                problems(dialect, "getOperationStatuses", &ops, *format),
                [],
                "{} {format:?}",
                dialect.name
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_dialects_answer_is_located() {
    let server = embedded::start(&fileops_api::dialects::DOCSPACE)
        .await
        .expect("server");
    let client = Client::new(ClientConfig {
        observer: None,
        http: None,
        base_url: server.base_url.clone(),
        dialect: &fileops_api::dialects::DOCSPACE,
        authorization: Some(server.token.clone()),
        format: Format::Json,
        enums: EnumEncoding::Wire,
    });
    let f = client
        .create_folder(&CreateFolderRequest {
            folder_id: EntryId::Int(1),
            body: NewFolder { title: "x".into() },
        })
        .await
        .expect("created");
    let body = fileops_api::types::DeleteBatchRequest {
        folder_ids: vec![EntryId::Int(match f.answer {
            Ok(CreateFolderResponse::Ok(f)) => f.id.and_then(|i| i.as_int()).expect("id"),
            other => panic!("{other:?}"),
        })],
        file_ids: Vec::new(),
        delete_after: None,
        immediately: None,
        return_single_operation: None,
    };
    let started = client
        .delete_batch_items(&DeleteBatchItemsRequest { body })
        .await
        .expect("delete");
    let found = problems(
        &fileops_api::dialects::WORKSPACE,
        "deleteBatchItems",
        &started,
        Format::Json,
    );
    let pointers: Vec<&str> = found.iter().map(|p| p.pointer.as_str()).collect();
    // Extra keys (DocSpace's `links`, `Operation`) stay legal; Workspace's own key is missing.
    assert!(
        pointers.contains(&"/response/0/operation"),
        "DocSpace's `Operation` is not Workspace's key: {found:?}"
    );
}

#[test]
fn the_command_line_exit_codes() {
    let dir = std::env::temp_dir().join(format!("fileops-validate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let good = dir.join("good.json");
    std::fs::write(&good, r#"{"status":1,"statusCode":404,"error":{"message":"The required file was not found","data":{}}}"#).expect("write");
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"status":1,"statusCode":200,"error":{"message":"x","type":null}}"#,
    )
    .expect("write");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_fileops-conformance"))
            .args(args)
            .output()
            .expect("runs")
    };
    let out = run(&[
        "validate",
        "--dialect",
        "workspace",
        "--operation",
        "getFileInfo",
        "--status",
        "404",
        good.to_str().expect("utf8"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = run(&[
        "validate",
        "--dialect",
        "workspace",
        "--operation",
        "getFileInfo",
        "--status",
        "404",
        bad.to_str().expect("utf8"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("/statusCode") && text.contains("/error/type"),
        "{text}"
    );
    let out = run(&[
        "validate",
        "--dialect",
        "workspace",
        "--operation",
        "noSuchOperation",
        good.to_str().expect("utf8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&[
        "validate",
        "--dialect",
        "workspace",
        "--operation",
        "getFileInfo",
        "/nonexistent.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn malformed_answers_and_wrong_values_are_non_conforming_and_bad_invocations_unusable() {
    let dir = std::env::temp_dir().join(format!("fileops-validate-more-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        path.to_str().expect("utf8").to_owned()
    };
    let malformed = write("malformed.json", "{\"status\":0,\n \"response\": [");
    let wrong = write(
        "wrong.json",
        r#"{"count":1,"status":0,"statusCode":200,"response":[{"id":"9d6e0c8e-1f3c-4b1a-9c55-0a4f5e6d7c8b","operation":7,"progress":101,"error":null,"processed":"1","finished":true,"url":null,"files":null,"folders":null}]}"#,
    );
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_fileops-conformance"))
            .args(args)
            .output()
            .expect("runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let ops = [
        "validate",
        "--dialect",
        "workspace",
        "--operation",
        "getOperationStatuses",
    ];
    // reference §4b: a malformed body is a non-conforming answer, with the parser's position.
    let (code, text) = run(&[&ops[..], &[malformed.as_str()]].concat());
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("wire.syntax") && text.contains("line 2"),
        "{text}"
    );
    // reference §5, §9: Duplicate (7) is DocSpace's only; progress stays within 0..100.
    let (code, text) = run(&[&ops[..], &[wrong.as_str()]].concat());
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("wire.enum-domain") && text.contains("/response/0/operation"),
        "{text}"
    );
    assert!(
        text.contains("wire.range") && text.contains("/response/0/progress"),
        "{text}"
    );
    // An undocumented status, or an operation the family lacks, cannot be judged.
    let (code, _) = run(&[&ops[..], &["--status", "418", wrong.as_str()]].concat());
    assert_eq!(code, Some(2));
    let (code, _) = run(&[
        "validate",
        "--dialect",
        "workspace",
        "--operation",
        "duplicateBatchItems",
        wrong.as_str(),
    ]);
    assert_eq!(code, Some(2), "Workspace has no duplicate (reference §1b)");
}

#[test]
fn validate_and_run_judge_the_same_answer_alike() {
    use fileops_api::runtime::client::{Observed, Sent};
    use fileops_conformance::answers::AnswerLog;
    use std::collections::BTreeSet;
    let body = br#"{"count":1,"status":0,"statusCode":200,"response":[{"id":"9d6e0c8e-1f3c-4b1a-9c55-0a4f5e6d7c8b","operation":1,"progress":"50","error":null,"processed":1,"finished":"true","url":null,"files":null,"folders":null}]}"#;
    let dialect = &fileops_api::dialects::WORKSPACE;
    let by_validate: BTreeSet<&str> = validate(
        dialect,
        "getOperationStatuses",
        Some(200),
        Format::Json,
        body,
    )
    .expect("usable")
    .iter()
    .map(|v| v.rule.id())
    .collect();
    let log = AnswerLog::new(dialect);
    let sent = Sent {
        method: "GET".into(),
        url: "http://127.0.0.1:1/api/2.0/files/fileops".into(),
        headers: Vec::new(),
        body: None,
    };
    log.observe(Observed {
        operation: "getOperationStatuses",
        sent: &sent,
        status: 200,
        headers: &[(
            "content-type".into(),
            "application/json; charset=utf-8".into(),
        )],
        body,
    });
    let by_run: BTreeSet<&str> = log
        .findings()
        .iter()
        .map(|f| f.violation.rule.id())
        .collect();
    assert_eq!(by_validate, by_run);
    assert!(by_run.contains("wire.types"), "{by_run:?}");
    let types = log
        .findings()
        .into_iter()
        .find(|f| f.violation.rule.id() == "wire.types")
        .expect("a types finding");
    assert!(types.evidence.curl.contains("/api/2.0/files/fileops"));
}

/// The seed pages' samples (kept in `generated/tests/fixtures/seeds`), each with its page's
/// family and operation.
const SEED_SAMPLES: [(&str, &str, &str); 3] = [
    ("002-workspace-delete", "workspace", "deleteBatchItems"),
    ("003-r7-delete", "r7", "deleteBatchItems"),
    ("004-workspace-move", "workspace", "moveBatchItems"),
];

fn seed(dir: &str, file: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../generated/tests/fixtures/seeds")
        .join(dir)
        .join(file)
}

fn validate_cli(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_fileops-conformance"))
        .arg("validate")
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// Every sample of the seed pages validates, JSON and XML, with its operation and status, as
/// a documentation sample; judged as a captured answer it shows only what the notes say the
/// doc generator writes unlike the servers (reference §4b, §10.1), each located.
#[test]
fn every_seed_sample_validates_as_a_documentation_sample() {
    for (dir, dialect, operation) in SEED_SAMPLES {
        for format in ["json", "xml"] {
            let file = seed(dir, &format!("response.{format}"));
            let file = file.to_str().expect("utf8");
            let common = [
                "--dialect",
                dialect,
                "--operation",
                operation,
                "--status",
                "200",
                "--format",
                format,
            ];
            let (code, text) = validate_cli(&[&common[..], &["--sample", file]].concat());
            assert_eq!(code, Some(0), "{dir} {format}: {text}");
            assert!(text.contains("conforms"), "{text}");
            let (code, text) = validate_cli(&[&common[..], &[file]].concat());
            assert_eq!(code, Some(1), "{dir} {format}: {text}");
            let rules = [
                "wire.envelope",
                "wire.required",
                "wire.xml",
                "wire.escaping",
            ];
            for line in text.lines().filter(|l| l.starts_with("FAIL")) {
                assert!(
                    rules.iter().any(|r| line.contains(r)),
                    "{dir} {format}: only the doc generator's departures fail: {line}"
                );
            }
        }
    }
}

/// `validate --strict` fails on a broken SHOULD, as `run --strict` does: an enum value no
/// family knows is a warning, exit 0, and with `--strict` exit 1.
#[test]
fn validate_strict_fails_on_a_warning() {
    let dir = std::env::temp_dir().join(format!("fileops-validate-strict-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("newer.json");
    let op = r#"{"id":"9d6e0c8e-1f3c-4b1a-9c55-0a4f5e6d7c8b","Operation":99,"progress":100,"error":"","processed":"1","finished":true}"#;
    std::fs::write(
        &file,
        format!(r#"{{"response":[{op}],"count":1,"links":[{{"href":"http://p/api/2.0/files/fileops","action":"GET"}}],"status":0,"statusCode":200}}"#),
    )
    .expect("write");
    let file = file.to_str().expect("utf8");
    let args = [
        "--dialect",
        "docspace",
        "--operation",
        "getOperationStatuses",
    ];
    let (code, text) = validate_cli(&[&args[..], &[file]].concat());
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("WARN wire.enum-domain"), "{text}");
    let (code, text) = validate_cli(&[&args[..], &["--strict", file]].concat());
    assert_eq!(code, Some(1), "{text}");
}

/// `--operation` takes what a person has in hand, a method and a path (a full URL with the
/// portal's prefix and the `.xml` suffix too), as well as an operationId; `list --operations`
/// prints what there is.
#[test]
fn an_operation_is_named_by_method_and_path() {
    let file = seed("002-workspace-delete", "response.xml");
    let file = file.to_str().expect("utf8");
    let named = [
        "--dialect",
        "workspace",
        "--operation",
        "PUT https://portal.example/office/api/2.0/files/fileops/delete.xml",
        "--format",
        "xml",
        "--sample",
        file,
    ];
    let (code, text) = validate_cli(&named);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("answer of deleteBatchItems"), "{text}");
    let unknown = [
        "--dialect",
        "workspace",
        "--operation",
        "PUT /api/2.0/files/fileops/terminate/1",
        file,
    ];
    let out = Command::new(env!("CARGO_BIN_EXE_fileops-conformance"))
        .arg("validate")
        .args(unknown)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let error = String::from_utf8_lossy(&out.stderr);
    assert!(
        error.contains("workspace serves no operation at PUT /api/2.0/files/fileops/terminate/1"),
        "{error}"
    );

    let list = |dialect: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_fileops-conformance"))
            .args(["list", "--operations", "--dialect", dialect])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let line = |text: &str, id: &str| {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(id))
            .map(|l| {
                l.split_whitespace()
                    .skip(1)
                    .take(2)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
    };
    let docspace = list("docspace");
    assert_eq!(
        line(&docspace, "terminateTasks").as_deref(),
        Some("PUT /api/2.0/files/fileops/terminate/{id}")
    );
    assert_eq!(line(&list("workspace"), "terminateTasks"), None);
}
