//! The shape of answers: every value replaced by its type, keys sorted, so structure can be
//! compared across servers and reviewed as a snapshot diff.

use fileops_api::runtime::client::EnumEncoding;
use fileops_api::runtime::conform::{conform, Reading, Source};
use fileops_api::runtime::{EntryId, Format, Shape};
use serde_json::{Map, Value};

use crate::context::{answer, Ctx};
use crate::outcome::Step;

/// A value's shape: objects keep their keys (sorted), lists their first item's shape,
/// scalars become their type name.
pub fn shape(value: &Value) -> Value {
    match value {
        Value::Null => Value::from("null"),
        Value::Bool(_) => Value::from("boolean"),
        Value::Number(n) if n.is_i64() || n.is_u64() => Value::from("integer"),
        Value::Number(_) => Value::from("number"),
        Value::String(_) => Value::from("string"),
        Value::Array(items) => Value::Array(items.first().map(shape).into_iter().collect()),
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), shape(&map[k])))
                    .collect::<Map<_, _>>(),
            )
        }
    }
}

/// The shapes of the answers a fixed scenario gets, one `== label` section each.
pub async fn scenario(ctx: &Ctx, format: Format) -> Step<String> {
    let client = ctx.client(format, EnumEncoding::Wire);
    let folder = ctx.scratch("shapes").await?;
    let file = ctx.create_file(folder, "shape.docx").await?;
    let mut out = String::new();
    let mut record = |label: &str, body: &[u8]| {
        let value = match format {
            Format::Json => serde_json::from_slice(body).unwrap_or(Value::Null),
            Format::Xml => std::str::from_utf8(body)
                .ok()
                .and_then(|t| fileops_api::runtime::xml::read(t).ok())
                .map_or(Value::Null, |(_, v)| {
                    let plain = Reading {
                        source: Source::Xml,
                        dialect: None,
                    };
                    conform(v, &Shape::Any, plain)
                }),
        };
        out.push_str(&format!(
            "== {label}\n{}\n",
            serde_json::to_string_pretty(&shape(&value)).unwrap_or_default()
        ));
    };
    use fileops_api::operations::*;
    let (_, e) = answer(
        client
            .get_folder_by_folder_id(&GetFolderByFolderIdRequest {
                folder_id: EntryId::Int(folder),
                start_index: None,
                count: None,
            })
            .await,
    )?;
    record("GET files/{folderId}", &e.body);
    let (_, e) = answer(
        client
            .get_folder_info(&GetFolderInfoRequest {
                folder_id: EntryId::Int(folder),
            })
            .await,
    )?;
    record("GET files/folder/{folderId}", &e.body);
    let (_, e) = answer(
        client
            .get_file_info(&GetFileInfoRequest {
                file_id: EntryId::Int(file),
            })
            .await,
    )?;
    record("GET files/file/{fileId}", &e.body);
    let (_, e) = answer(
        client
            .get_file_info(&GetFileInfoRequest {
                file_id: EntryId::Int(2_000_000_000),
            })
            .await,
    )?;
    record("GET files/file/{unknown}", &e.body);
    let body = crate::checks::deletion(&[file], true, false);
    let (_, e) = answer(
        client
            .delete_batch_items(&DeleteBatchItemsRequest { body })
            .await,
    )?;
    record("PUT files/fileops/delete", &e.body);
    Ok(out)
}

/// Differences between two shape texts, as `label: line` items.
pub fn differences(expected: &str, actual: &str) -> Vec<String> {
    let sections = |text: &str| -> Vec<(String, String)> {
        text.split("== ")
            .skip(1)
            .map(|s| {
                let (label, body) = s.split_once('\n').unwrap_or((s, ""));
                (label.trim().to_owned(), body.trim().to_owned())
            })
            .collect()
    };
    let (want, got) = (sections(expected), sections(actual));
    want.iter()
        .filter_map(|(label, body)| match got.iter().find(|(l, _)| l == label) {
            Some((_, other)) if other == body => None,
            Some((_, other)) => Some(format!(
                "{label}: shape differs\n--- reference\n{body}\n+++ server\n{other}"
            )),
            None => Some(format!("{label}: missing")),
        })
        .collect()
}

/// The committed reference shapes for a dialect and format (the insta snapshots, header cut).
pub fn reference(dialect: &str, format: Format) -> Option<&'static str> {
    let text = match (dialect, format) {
        ("docspace", Format::Json) => include_str!("../tests/snapshots/shapes__docspace_json.snap"),
        ("workspace", Format::Json) => {
            include_str!("../tests/snapshots/shapes__workspace_json.snap")
        }
        ("workspace", Format::Xml) => include_str!("../tests/snapshots/shapes__workspace_xml.snap"),
        ("r7", Format::Json) => include_str!("../tests/snapshots/shapes__r7_json.snap"),
        ("r7", Format::Xml) => include_str!("../tests/snapshots/shapes__r7_xml.snap"),
        _ => return None,
    };
    text.splitn(3, "---").nth(2)
}
