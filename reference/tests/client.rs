//! The generated client against the reference server: typed answers per status, the raw
//! exchange kept, enums sent in every encoding, XML where the dialect has it.

mod support;

use fileops_api::client::Client;
use fileops_api::operations::*;
use fileops_api::runtime::client::{ClientConfig, EnumEncoding};
use fileops_api::runtime::{EntryId, Format};
use fileops_api::types::{BatchRequest, FileConflictResolveType, NewFolder};
use support::{dialects, start, ALICE};

fn client(
    base: &str,
    dialect: &'static fileops_api::runtime::Dialect,
    format: Format,
    enums: EnumEncoding,
) -> Client {
    Client::new(ClientConfig {
        observer: None,
        http: None,
        base_url: base.to_owned(),
        dialect,
        authorization: Some(ALICE.to_owned()),
        format,
        enums,
    })
}

fn batch(dest: i64, file: i64, resolve: FileConflictResolveType) -> BatchRequest {
    BatchRequest {
        folder_ids: Vec::new(),
        file_ids: vec![EntryId::Int(file)],
        dest_folder_id: EntryId::Int(dest),
        conflict_resolve_type: Some(resolve),
        delete_after: None,
        content: None,
        to_fill_out: None,
        return_single_operation: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_enum_encoding_is_sent_and_understood() {
    for dialect in dialects() {
        for enums in [
            EnumEncoding::Wire,
            EnumEncoding::Number,
            EnumEncoding::NumericString,
            EnumEncoding::Name,
            EnumEncoding::NameCase(vec![false, true]),
        ] {
            let s = start(dialect).await;
            let my = s.my(ALICE).await;
            let dst = s.mkdir(ALICE, my, "dst").await;
            let file = s.touch(ALICE, my, "a.docx").await;
            let target = s.touch(ALICE, dst, "a.docx").await;
            let c = client(&s.base, dialect, Format::Json, enums.clone());
            let exchange = c
                .copy_batch_items(&CopyBatchItemsRequest {
                    body: batch(dst, file, FileConflictResolveType::Overwrite),
                })
                .await
                .expect("exchanged");
            let sent = exchange.sent.body.clone().unwrap_or_default();
            let expected_fragment = match &enums {
                EnumEncoding::Wire if dialect.name == "docspace" => {
                    "\"conflictResolveType\":\"Overwrite\""
                }
                EnumEncoding::Wire | EnumEncoding::Number => "\"conflictResolveType\":1",
                EnumEncoding::NumericString => "\"conflictResolveType\":\"1\"",
                EnumEncoding::Name => "\"conflictResolveType\":\"Overwrite\"",
                EnumEncoding::NameCase(_) => "\"conflictResolveType\":\"oVeRwRiTe\"",
            };
            assert!(
                sent.contains(expected_fragment),
                "{} {enums:?}: {sent}",
                dialect.name
            );
            assert!(
                matches!(exchange.answer, Ok(CopyBatchItemsResponse::Ok(_))),
                "{:?}",
                exchange.answer
            );
            let id = match &exchange.answer {
                Ok(CopyBatchItemsResponse::Ok(ops)) => ops[0].id.clone(),
                _ => unreachable!(),
            };
            s.wait(ALICE, &id).await;
            assert_eq!(
                s.ok("GET", &format!("files/file/{target}"), ALICE, None)
                    .await["version"],
                2,
                "{} {enums:?}",
                dialect.name
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statuses_map_to_their_variants_and_the_exchange_replays_as_curl() {
    for dialect in dialects() {
        let s = start(dialect).await;
        let my = s.my(ALICE).await;
        for format in dialect.formats {
            let c = client(&s.base, dialect, *format, EnumEncoding::Wire);
            let created = c
                .create_folder(&CreateFolderRequest {
                    folder_id: EntryId::Int(my),
                    body: NewFolder {
                        title: format!("F {format:?}"),
                    },
                })
                .await
                .expect("exchanged");
            match (&created.answer, dialect.post_status) {
                (Ok(CreateFolderResponse::Ok(f)), 200)
                | (Ok(CreateFolderResponse::Created(f)), 201) => {
                    assert_eq!(f.title.as_deref(), Some(format!("F {format:?}").as_str()))
                }
                other => panic!("{} {format:?}: {other:?}", dialect.name),
            }
            let missing = c
                .get_file_info(&GetFileInfoRequest {
                    file_id: EntryId::Int(999),
                    version: None,
                })
                .await
                .expect("exchanged");
            assert_eq!(missing.status, dialect.behaviour.missing_entry_status);
            match &missing.answer {
                Ok(GetFileInfoResponse::NotFound(e) | GetFileInfoResponse::Forbidden(e)) => {
                    assert_eq!(e.message, "The required file was not found")
                }
                other => panic!("{other:?}"),
            }
            let listing = c
                .get_my_folder(&GetMyFolderRequest {
                    start_index: None,
                    count: None,
                })
                .await
                .expect("exchanged");
            assert!(
                matches!(listing.answer, Ok(GetMyFolderResponse::Ok(_))),
                "{} {format:?}: {:?}",
                dialect.name,
                listing.answer
            );
            let curl = listing.sent.curl();
            assert!(
                curl.starts_with("curl -sS -X GET 'http://127.0.0.1:"),
                "{curl}"
            );
            assert!(curl.contains("-H 'Authorization: alice-token'"), "{curl}");
            if *format == Format::Xml {
                assert!(
                    listing.sent.url.ends_with("/api/2.0/files/@my.xml"),
                    "{}",
                    listing.sent.url
                );
                assert!(listing
                    .header("content-type")
                    .is_some_and(|t| t.starts_with("text/xml")));
            }
        }
        let anonymous = Client::new(ClientConfig {
            observer: None,
            http: None,
            base_url: s.base.clone(),
            dialect,
            authorization: None,
            format: Format::Json,
            enums: EnumEncoding::Wire,
        });
        let refused = anonymous
            .get_my_folder(&GetMyFolderRequest {
                start_index: None,
                count: None,
            })
            .await
            .expect("exchanged");
        assert!(
            matches!(refused.answer, Ok(GetMyFolderResponse::Unauthorized)),
            "{:?}",
            refused.answer
        );
        assert_eq!(refused.text(), dialect.unauthorized.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_server_is_an_error_not_an_answer() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let c = client(
        &base,
        &fileops_api::dialects::DOCSPACE,
        Format::Json,
        EnumEncoding::Wire,
    );
    let error = c
        .get_operation_statuses(&GetOperationStatusesRequest { id: None })
        .await
        .expect_err("nobody listens");
    assert!(error.sent.url.starts_with(&base));
}
