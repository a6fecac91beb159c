//! `run --read-only` changes nothing: against a reference holding a tree, Trash and a
//! finished operation nobody has read yet, the whole state (every user's entries, Trash and
//! operations, the next id included) is the same after the run, in every family; the
//! checks that would write are skipped as such and the rest pass.

use fileops_api::client::Client;
use fileops_api::operations::*;
use fileops_api::runtime::client::{ClientConfig, EnumEncoding};
use fileops_api::runtime::{Dialect, EntryId, Format};
use fileops_api::types::DeleteBatchRequest;
use fileops_conformance::catalogue::{changes_nothing, CATALOGUE};
use fileops_conformance::context::{create_file_with, create_folder_with, my_folder_with};
use fileops_conformance::embedded;
use fileops_conformance::outcome::Outcome;
use fileops_conformance::runner::{self, NEEDS_WRITES};
use fileops_reference::{Config, Reference};

/// Everything the reference holds, as text.
fn state(reference: &Reference) -> String {
    format!(
        "{:?}\n{:?}",
        *reference.store(),
        reference.engine().snapshot()
    )
}

/// A folder with a file, a file in Trash, and the finished delete that put it there, which
/// nobody has listed yet.
async fn populate(reference: &Reference, server: &embedded::Embedded, dialect: &'static Dialect) {
    let client = Client::new(ClientConfig {
        observer: None,
        http: None,
        base_url: server.base_url.clone(),
        dialect,
        authorization: Some(server.token.clone()),
        format: Format::Json,
        enums: EnumEncoding::Wire,
    });
    let my = my_folder_with(&client).await.expect("My documents");
    let folder = create_folder_with(&client, my, "kept")
        .await
        .expect("folder");
    create_file_with(&client, folder, "kept.docx")
        .await
        .expect("file");
    let doomed = create_file_with(&client, my, "trashed.docx")
        .await
        .expect("file");
    let body = DeleteBatchRequest {
        folder_ids: Vec::new(),
        file_ids: vec![EntryId::Int(doomed)],
        delete_after: Some(false),
        immediately: Some(false),
        return_single_operation: None,
    };
    let started = client
        .delete_batch_items(&DeleteBatchItemsRequest { body })
        .await
        .expect("deletes");
    assert_eq!(
        started.status,
        200,
        "{}",
        String::from_utf8_lossy(&started.body)
    );
    // Finished by the engine's own account, so no listing reads it.
    while reference.engine().snapshot().iter().any(|t| !t.finished) {
        tokio::task::yield_now().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_run_changes_nothing_in_any_family() {
    for dialect in fileops_api::dialects::ALL {
        let reference = Reference::new(Config::demo(dialect));
        let server = embedded::serve(reference.clone()).await.expect("serves");
        populate(&reference, &server, dialect).await;
        let held = reference.engine().snapshot();
        assert!(
            held.iter().any(|t| t.finished),
            "{}: a finished, unread operation to keep",
            dialect.name
        );
        let before = state(&reference);

        let target = server
            .target(dialect)
            .read_only(true)
            .build()
            .expect("target");
        let run = runner::run(target, &embedded::every_check(), |_| {})
            .await
            .expect("runs");
        assert_eq!(
            state(&reference),
            before,
            "{}: a read-only run changed the server",
            dialect.name
        );

        let applies = CATALOGUE
            .iter()
            .filter(|c| c.dialects.is_empty() || c.dialects.contains(&dialect.name));
        assert_eq!(run.results.len(), applies.count(), "no teardown result");
        for result in &run.results {
            match (&result.outcome, changes_nothing(result.id)) {
                (Outcome::Skip { reason }, false) => assert_eq!(reason, NEEDS_WRITES),
                (other, false) => panic!("{} ran in a read-only run: {other:?}", result.id),
                (outcome, true) => assert!(
                    matches!(outcome, Outcome::Pass),
                    "{} {}: {outcome:?}",
                    dialect.name,
                    result.id
                ),
            }
        }
    }
}

/// The command line: the header says the run is read-only, the skipped checks say why, and
/// a faithful server passes (exit 0).
#[test]
fn the_header_says_read_only_and_the_skips_say_why() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_fileops-conformance"))
        .args(["run", "--read-only", "--dialect", "workspace"])
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    let header = text
        .lines()
        .find(|l| l.starts_with("selection:"))
        .expect("header");
    assert!(header.contains("READ-ONLY"), "{header}");
    assert!(text.contains(NEEDS_WRITES), "{text}");
}
