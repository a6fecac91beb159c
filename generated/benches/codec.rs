//! Codec cost for a large answer: a success envelope holding 1,000 `FileOperation`s, each
//! with one `File`, encoded and decoded in JSON (Workspace and DocSpace) and XML
//! (Workspace).
//!
//! Beside them, in the same group, two baselines:
//! - `plain_derive`: a hand-written `#[derive(Serialize, Deserialize)]` twin of the same
//!   shape (enums as integers, ids as `i64`, dates as `String`) through `serde_json`
//!   directly, so the cost of the wire layer (dialect keys and enum forms on writing,
//!   leniency on reading) is visible;
//! - `raw_xml_layer`: only the XML text layer — writing the wire form from a prepared JSON
//!   value (`runtime::xml::write`), and parsing the text into the element tree
//!   (`runtime::xml::tree::Tree::parse`) — without the schema guidance.
//!
//! Every input (values and texts) is built in setup, outside the timed closures.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use fileops_api::dialects::{DOCSPACE, WORKSPACE};
use fileops_api::runtime::codec::{decode_success, encode_success, XML_ROOT};
use fileops_api::runtime::{xml, ApiDateTime, EntryId, Format, Success, WireEnum, WireFlags};
use fileops_api::types::{
    DistributedTaskStatus, Employee, File, FileEntryType, FileOperation, FileOperationType,
    FileShare, FileStatus, FileType, FolderType,
};
use serde::{Deserialize, Serialize};
use std::hint::black_box;
use std::time::Duration;

const OPS: usize = 1_000;

// ------------------------------------------------------------------ the generated values

fn date(i: usize) -> String {
    format!(
        "2026-11-{:02}T{:02}:{:02}:{:02}.{:07}Z",
        1 + i % 28,
        i % 24,
        i % 60,
        (i * 7) % 60,
        (i * 7_919) % 10_000_000
    )
}

fn person(i: usize) -> Employee {
    Employee {
        id: Some(format!("00000000-0000-4000-8000-{:012x}", i % 17)),
        display_name: Some(format!("User {}", i % 17)),
        title: None,
        avatar: None,
        avatar_original: None,
        avatar_max: None,
        avatar_medium: None,
        avatar_small: Some("/static/images/default_user_photo_size_32-32.png".into()),
        profile_url: Some(format!(
            "http://portal.example/Products/People/Profile.aspx?user={i}"
        )),
        has_avatar: Some(false),
        is_anonim: None,
    }
}

fn file(i: usize) -> File {
    let id = 857_864_274 + i as i64;
    File {
        id: Some(EntryId::Int(id)),
        title: Some(format!("Quarterly report {i}.docx")),
        access: Some(FileShare::ReadWrite),
        shared: Some(i.is_multiple_of(3)),
        created: Some(ApiDateTime::parse(&date(i)).expect("valid date")),
        created_by: Some(person(i)),
        updated: Some(ApiDateTime::parse(&date(i + 1)).expect("valid date")),
        updated_by: Some(person(i + 1)),
        root_folder_type: Some(FolderType::User),
        root_folder_id: Some(EntryId::Int(1)),
        provider_item: None,
        provider_key: None,
        provider_id: None,
        deny_download: None,
        deny_sharing: None,
        file_entry_type: Some(FileEntryType::File),
        folder_id: Some(EntryId::Int(10 + (i % 50) as i64)),
        version: Some(1 + (i % 4) as i32),
        version_group: Some(1 + (i % 4) as i32),
        content_length: Some(format!("{}.{:02} KB", 10 + i % 90, i % 100)),
        pure_content_length: Some(10_240 + (i as i64) * 37),
        file_status: Some(if i.is_multiple_of(5) {
            FileStatus::IS_NEW
        } else {
            FileStatus::NONE
        }),
        view_url: Some(format!(
            "http://portal.example/Products/Files/HttpHandlers/filehandler.ashx?action=view&fileid={id}"
        )),
        web_url: Some(format!(
            "http://portal.example/Products/Files/DocEditor.aspx?fileid={id}"
        )),
        file_type: Some(FileType::Document),
        file_exst: Some(".docx".into()),
        comment: Some(if i.is_multiple_of(2) { "Created" } else { "Overwritten" }.into()),
        encrypted: None,
        thumbnail_url: None,
        locked: None,
    }
}

fn operation(i: usize) -> FileOperation {
    let kinds = [
        FileOperationType::Move,
        FileOperationType::Copy,
        FileOperationType::Delete,
        FileOperationType::Download,
        FileOperationType::MarkAsRead,
    ];
    let finished = !i.is_multiple_of(4);
    FileOperation {
        id: format!("{:08x}-1f3c-4b1a-9c55-{:012x}", i, i * 7_919),
        operation: Some(kinds[i % kinds.len()].clone()),
        progress: if finished { 100 } else { (i % 100) as i32 },
        error: Some(String::new()),
        processed: (1 + i % 10).to_string(),
        finished,
        url: None,
        files: Some(vec![file(i)]),
        folders: None,
        status: Some(if finished {
            DistributedTaskStatus::Completed
        } else {
            DistributedTaskStatus::Running
        }),
    }
}

// ------------------------------------------------------------------ the plain-derive twin

/// The Workspace success envelope, derived.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlainEnvelope {
    count: i64,
    status: i64,
    status_code: i64,
    response: Vec<PlainOp>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlainOp {
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    operation: Option<i64>,
    progress: i64,
    #[serde(default)]
    error: Option<String>,
    processed: String,
    finished: bool,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    files: Option<Vec<PlainFile>>,
    #[serde(default)]
    folders: Option<Vec<serde_json::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<i64>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlainFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    access: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    shared: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created_by: Option<PlainPerson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    updated: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    updated_by: Option<PlainPerson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    root_folder_type: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    root_folder_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    provider_item: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    provider_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    provider_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    deny_download: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    deny_sharing: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    file_entry_type: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    folder_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    version_group: Option<i64>,
    #[serde(default)]
    content_length: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pure_content_length: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    file_status: Option<i64>,
    #[serde(default)]
    view_url: Option<String>,
    #[serde(default)]
    web_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    file_type: Option<i64>,
    #[serde(default)]
    file_exst: Option<String>,
    #[serde(default)]
    comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    encrypted: Option<bool>,
    #[serde(default)]
    thumbnail_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    locked: Option<bool>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlainPerson {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    avatar_small: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    profile_url: Option<String>,
}

fn id(entry: &Option<EntryId>) -> Option<i64> {
    entry.as_ref().and_then(EntryId::as_int)
}

/// The twin of a person as Workspace writes it (DocSpace-only keys left out).
fn plain_person(p: &Employee) -> PlainPerson {
    PlainPerson {
        id: p.id.clone(),
        display_name: p.display_name.clone(),
        title: p.title.clone(),
        avatar_small: p.avatar_small.clone(),
        profile_url: p.profile_url.clone(),
    }
}

/// The twin of a file as Workspace writes it (DocSpace-only keys left out).
fn plain_file(f: &File) -> PlainFile {
    PlainFile {
        id: id(&f.id),
        title: f.title.clone(),
        access: f.access.as_ref().and_then(WireEnum::value),
        shared: f.shared,
        created: f.created.as_ref().map(|d| d.as_str().to_owned()),
        created_by: f.created_by.as_ref().map(plain_person),
        updated: f.updated.as_ref().map(|d| d.as_str().to_owned()),
        updated_by: f.updated_by.as_ref().map(plain_person),
        root_folder_type: f.root_folder_type.as_ref().and_then(WireEnum::value),
        root_folder_id: None,
        provider_item: f.provider_item,
        provider_key: f.provider_key.clone(),
        provider_id: f.provider_id.map(i64::from),
        deny_download: f.deny_download,
        deny_sharing: f.deny_sharing,
        file_entry_type: None,
        folder_id: id(&f.folder_id),
        version: f.version.map(i64::from),
        version_group: f.version_group.map(i64::from),
        content_length: f.content_length.clone(),
        pure_content_length: f.pure_content_length,
        file_status: f.file_status.map(WireFlags::bits),
        view_url: f.view_url.clone(),
        web_url: f.web_url.clone(),
        file_type: f.file_type.as_ref().and_then(WireEnum::value),
        file_exst: f.file_exst.clone(),
        comment: f.comment.clone(),
        encrypted: f.encrypted,
        thumbnail_url: f.thumbnail_url.clone(),
        locked: None,
    }
}

/// The twin of an operation as Workspace writes it (`status` is DocSpace-only).
fn plain_op(op: &FileOperation) -> PlainOp {
    PlainOp {
        id: op.id.clone(),
        operation: op.operation.as_ref().and_then(WireEnum::value),
        progress: i64::from(op.progress),
        error: op.error.clone(),
        processed: op.processed.clone(),
        finished: op.finished,
        url: op.url.clone(),
        files: op
            .files
            .as_ref()
            .map(|files| files.iter().map(plain_file).collect()),
        folders: None,
        status: None,
    }
}

// ------------------------------------------------------------------ the benchmarks

fn codec(c: &mut Criterion) {
    // Setup (untimed): values and texts.
    let ops: Vec<FileOperation> = (0..OPS).map(operation).collect();
    let success = Success::ok(ops.clone());

    let ws_json = encode_success(&success, &WORKSPACE, Format::Json).expect("writes");
    let ds_json = encode_success(&success, &DOCSPACE, Format::Json).expect("writes");
    let ws_xml = encode_success(&success, &WORKSPACE, Format::Xml).expect("writes");
    let ws_wire = success.to_wire(&WORKSPACE).expect("writes");

    let plain = PlainEnvelope {
        count: OPS as i64,
        status: 0,
        status_code: 200,
        response: ops.iter().map(plain_op).collect(),
    };
    let plain_json = serde_json::to_string(&plain).expect("the twin serializes");

    // Sanity (untimed): every input decodes, and the twin has the generated code's shape.
    let decoded =
        decode_success::<Vec<FileOperation>>(ws_json.as_bytes(), Format::Json, Some(&WORKSPACE))
            .expect("Workspace JSON decodes");
    assert_eq!(decoded.response.len(), OPS);
    let decoded =
        decode_success::<Vec<FileOperation>>(ds_json.as_bytes(), Format::Json, Some(&DOCSPACE))
            .expect("DocSpace JSON decodes");
    assert_eq!(decoded.response, ops, "DocSpace JSON round-trips");
    let decoded =
        decode_success::<Vec<FileOperation>>(ws_xml.as_bytes(), Format::Xml, Some(&WORKSPACE))
            .expect("Workspace XML decodes");
    assert_eq!(decoded.response.len(), OPS);
    assert_eq!(
        plain_json,
        ws_json.replace("\\/", "/"),
        "the plain twin writes what Workspace writes (but for `\\/`)"
    );
    let plain_from_ws: PlainEnvelope =
        serde_json::from_str(&ws_json).expect("the twin reads Workspace JSON");
    assert_eq!(plain_from_ws, plain);
    assert_eq!(xml::write(XML_ROOT, &ws_wire).expect("writes"), ws_xml);

    let mut group = c.benchmark_group("codec_1000_ops");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .throughput(Throughput::Elements(OPS as u64));
    // Cases of ~20-40 ms per iteration take 10 samples (criterion's minimum) so they fit
    // in 4 s; the baselines (~1-5 ms) take 20.
    let slow = 10;
    let fast = 20;

    // JSON encode.
    group.sample_size(slow);
    group.bench_function(BenchmarkId::new("json_encode", "workspace"), |b| {
        b.iter(|| encode_success(black_box(&success), &WORKSPACE, Format::Json).expect("writes"))
    });
    group.sample_size(slow);
    group.bench_function(BenchmarkId::new("json_encode", "docspace"), |b| {
        b.iter(|| encode_success(black_box(&success), &DOCSPACE, Format::Json).expect("writes"))
    });
    group.sample_size(fast);
    group.bench_function(BenchmarkId::new("json_encode", "plain_derive"), |b| {
        b.iter(|| serde_json::to_string(black_box(&plain)).expect("serializes"))
    });

    // JSON decode.
    group.sample_size(slow);
    group.bench_function(BenchmarkId::new("json_decode", "workspace"), |b| {
        b.iter(|| {
            decode_success::<Vec<FileOperation>>(
                black_box(ws_json.as_bytes()),
                Format::Json,
                Some(&WORKSPACE),
            )
            .expect("decodes")
        })
    });
    group.sample_size(slow);
    group.bench_function(BenchmarkId::new("json_decode", "docspace"), |b| {
        b.iter(|| {
            decode_success::<Vec<FileOperation>>(
                black_box(ds_json.as_bytes()),
                Format::Json,
                Some(&DOCSPACE),
            )
            .expect("decodes")
        })
    });
    group.sample_size(fast);
    group.bench_function(BenchmarkId::new("json_decode", "plain_derive"), |b| {
        b.iter(|| {
            serde_json::from_slice::<PlainEnvelope>(black_box(ws_json.as_bytes())).expect("decodes")
        })
    });

    // XML encode.
    group.sample_size(slow);
    group.bench_function(BenchmarkId::new("xml_encode", "workspace"), |b| {
        b.iter(|| encode_success(black_box(&success), &WORKSPACE, Format::Xml).expect("writes"))
    });
    group.sample_size(fast);
    group.bench_function(BenchmarkId::new("xml_encode", "raw_xml_layer"), |b| {
        b.iter(|| xml::write(XML_ROOT, black_box(&ws_wire)).expect("writes"))
    });

    // XML decode.
    group.sample_size(slow);
    group.bench_function(BenchmarkId::new("xml_decode", "workspace"), |b| {
        b.iter(|| {
            decode_success::<Vec<FileOperation>>(
                black_box(ws_xml.as_bytes()),
                Format::Xml,
                Some(&WORKSPACE),
            )
            .expect("decodes")
        })
    });
    group.sample_size(slow);
    group.bench_function(BenchmarkId::new("xml_decode", "raw_xml_layer"), |b| {
        b.iter(|| {
            xml::tree::Tree::parse(black_box(&ws_xml))
                .map(|tree| tree.root())
                .expect("parses")
        })
    });

    group.finish();
}

criterion_group!(benches, codec);
criterion_main!(benches);
