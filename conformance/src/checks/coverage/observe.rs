//! What the coverage checks observe with: fresh entries, listings to compare before and
//! after, waiting for started operations, removing what a request created, and findings
//! collected over every operation. Answers are read from their raw JSON, leniently (keys in
//! any case, numbers as numeric strings), so that a fault the `wire.*` checks report does
//! not also break these checks' setup or reading.

use fileops_api::runtime::client::EnumEncoding;
use fileops_api::runtime::operation::OperationInfo;
use fileops_api::runtime::{Dialect, EntryId, Format};
use fileops_api::types::{DeleteBatchRequest, FILE_SHAPE, FOLDER_SHAPE};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::time::Duration;

use super::request::{Built, Entries};
use crate::context::{Ctx, RawAnswer};
use crate::outcome::{Evidence, Outcome, Step};

/// How deep a snapshot lists folders below its roots (a fixture moved into its destination
/// is two levels down).
const DEPTH: usize = 3;
/// The most folders one snapshot lists.
const MOST_FOLDERS: usize = 32;

/// Sends a built request with `authorization` (none for `None`).
pub async fn send(ctx: &Ctx, built: &Built, authorization: Option<&str>) -> Step<RawAnswer> {
    ctx.raw_as(
        built.method,
        &built.path,
        built.body.as_deref(),
        authorization,
    )
    .await
}

/// Problems found over many operations, reported together.
#[derive(Default)]
pub struct Findings {
    lines: Vec<String>,
    evidence: Vec<Evidence>,
    /// How many operations were tried.
    pub tried: usize,
}

impl Findings {
    /// Records a problem of operation `op`, with the exchanges that show it.
    pub fn add(&mut self, op: &str, problem: impl std::fmt::Display, answers: &[&RawAnswer]) {
        self.lines.push(format!("{op}: {problem}"));
        self.evidence.extend(answers.iter().map(|a| a.evidence()));
    }

    /// Pass when nothing was found, skip when nothing could be tried, else one failure
    /// listing every problem.
    pub fn outcome(self, what: &str) -> Outcome {
        if !self.lines.is_empty() {
            let list = self.lines.join("\n  - ");
            let message = format!("{what} ({} problems):\n  - {list}", self.lines.len());
            Outcome::fail(message, self.evidence)
        } else if self.tried == 0 {
            Outcome::skip(format!(
                "no operation of the dialect could be tried: {what}"
            ))
        } else {
            Outcome::Pass
        }
    }
}

/// The value under `name` in any case (`Null` when absent).
pub fn key<'v>(value: &'v Value, name: &str) -> &'v Value {
    let Some(map) = value.as_object() else {
        return &Value::Null;
    };
    map.get(name)
        .or_else(|| {
            map.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        })
        .unwrap_or(&Value::Null)
}

/// A number, or a numeric string.
fn number(value: &Value) -> Option<i64> {
    value
        .as_i64()
        .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
}

/// The list an answer's `response` holds, if it is a list.
pub fn listed(body: &Value) -> Option<&Vec<Value>> {
    key(body, "response").as_array()
}

/// Whether the status is a success.
pub fn success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Whether the status is a refusal of the request.
pub fn refusal(status: u16) -> bool {
    (400..500).contains(&status)
}

/// Whether the answer is an error envelope: `status` 1 and `statusCode` equal to the HTTP
/// status (both families, DocSpace's validation envelope included, reference §4a, §4b).
pub fn error_envelope(answer: &RawAnswer) -> bool {
    let body = answer.json();
    number(key(&body, "status")) == Some(1)
        && number(key(&body, "statusCode")) == Some(i64::from(answer.status))
}

/// Whether the operation documents `status` in the dialect (a 500 some inputs get, §13.6).
pub fn documents(op: &OperationInfo, dialect: &Dialect, status: u16) -> bool {
    op.responses
        .iter()
        .any(|r| r.status == Some(status) && dialect.is_in(r.dialects))
}

/// Whether the answer is the dialect's refusal of the caller (reference §8): its status and
/// its exact body. An operation's own 401, such as a login's bad credentials in an error
/// envelope (§13.1), is an answer of the operation, not a refusal of the token.
pub fn unauthorized_answer(dialect: &Dialect, answer: &RawAnswer) -> bool {
    let rule = dialect.unauthorized;
    answer.status == rule.status && String::from_utf8_lossy(&answer.body).trim() == rule.body
}

/// Fresh entries in their own folder inside the work folder.
pub struct Fixture {
    /// The folder holding them.
    pub root: i64,
    /// The entries.
    pub entries: Entries,
}

/// Makes a file, a source folder and a destination folder for `name`, as the first user.
pub async fn fixture(ctx: &Ctx, name: &str) -> Step<Fixture> {
    let root = ctx.scratch(&format!("coverage-{name}")).await?;
    let entries = Entries {
        file: create_file(ctx, &ctx.target.token, root, "coverage.docx").await?,
        folder: ctx.create_folder(root, "coverage-source").await?,
        dest: ctx.create_folder(root, "coverage-dest").await?,
    };
    Ok(Fixture { root, entries })
}

/// Makes entries of the user with `token` in a uniquely named folder of their My documents
/// (the recipe of reference §13.9); the folder stands for both folders.
pub async fn foreign_fixture(ctx: &Ctx, token: &str) -> Step<Fixture> {
    let my = ctx
        .raw_as("GET", "/api/2.0/files/@my", None, Some(token))
        .await?;
    let my = id_at(&my, &["response", "current", "id"])?;
    let title = format!("fileops-conformance-{}", uuid::Uuid::new_v4().simple());
    let body = json!({ "title": title }).to_string();
    let path = format!("/api/2.0/files/folder/{my}");
    let root = ctx.raw_as("POST", &path, Some(&body), Some(token)).await?;
    let root = id_at(&root, &["response", "id"])?;
    let file = create_file(ctx, token, root, "coverage-foreign.docx").await?;
    let entries = Entries {
        file,
        folder: root,
        dest: root,
    };
    Ok(Fixture { root, entries })
}

/// Creates a file as the user with `token`; its id, read from the raw answer so that
/// entries can be made whatever the `wire.*` checks find in a file's other fields.
pub async fn create_file(ctx: &Ctx, token: &str, parent: i64, title: &str) -> Step<i64> {
    let body = json!({ "title": title }).to_string();
    let path = format!("/api/2.0/files/{parent}/file");
    let answer = ctx.raw_as("POST", &path, Some(&body), Some(token)).await?;
    id_at(&answer, &["response", "id"])
}

/// The numeric id at `path` of a successful answer.
fn id_at(answer: &RawAnswer, path: &[&str]) -> Step<i64> {
    let body = answer.json();
    let value = path.iter().fold(&body, |v, k| key(v, k));
    number(value)
        .filter(|_| success(answer.status))
        .ok_or_else(|| {
            let message = format!("setting up entries: no numeric {}", path.join("."));
            Outcome::fail(message, vec![answer.evidence()])
        })
}

/// Deletes entries for good as the user with `token`, and waits for the deletion.
pub async fn remove(ctx: &Ctx, token: &str, files: &[i64], folders: &[i64]) -> Step<()> {
    let body = DeleteBatchRequest {
        folder_ids: folders.iter().map(|f| EntryId::Int(*f)).collect(),
        file_ids: files.iter().map(|f| EntryId::Int(*f)).collect(),
        delete_after: Some(true),
        immediately: Some(true),
        return_single_operation: None,
    };
    let exchange = ctx
        .client_for(Some(token.to_owned()), Format::Json, EnumEncoding::Wire)
        .delete_batch_items(&fileops_api::operations::DeleteBatchItemsRequest { body })
        .await
        .map_err(|e| Outcome::Error {
            message: e.to_string(),
        })?;
    for id in unfinished(&serde_json::from_slice(&exchange.body).unwrap_or_default()) {
        follow(ctx, token, &id).await?;
    }
    Ok(())
}

/// Removes what a successful creating request (a POST answering a file or a folder) made,
/// wherever the server put it: Workspace files a new file whose folder it cannot use in
/// My documents instead (reference §13.5).
pub async fn remove_created(
    ctx: &Ctx,
    op: &OperationInfo,
    token: &str,
    answer: &RawAnswer,
) -> Step<()> {
    if op.method != "POST" || !success(answer.status) {
        return Ok(());
    }
    let Ok(id) = id_at(answer, &["response", "id"]) else {
        return Ok(());
    };
    let payload = op
        .responses
        .iter()
        .find(|r| r.status == Some(answer.status) && ctx.target.dialect.is_in(r.dialects))
        .and_then(|r| r.payload);
    match payload {
        Some(shape) if std::ptr::eq(shape, &FOLDER_SHAPE) => remove(ctx, token, &[], &[id]).await,
        Some(shape) if std::ptr::eq(shape, &FILE_SHAPE) => remove(ctx, token, &[id], &[]).await,
        _ => Ok(()),
    }
}

/// Whether the Trash of the user with `token` is empty (then an operation acting on the
/// caller's state at large, such as emptying Trash, destroys nothing but this run's).
pub async fn trash_is_empty(ctx: &Ctx, token: &str) -> Step<bool> {
    let answer = ctx
        .raw_as("GET", "/api/2.0/files/@trash", None, Some(token))
        .await?;
    let body = answer.json();
    let content = key(&body, "response");
    let empty = |list| key(content, list).as_array().is_some_and(Vec::is_empty);
    Ok(success(answer.status) && empty("files") && empty("folders"))
}

/// Puts a fresh file into the first user's Trash, so that emptying it would show.
pub async fn bait_trash(ctx: &Ctx) -> Step<i64> {
    let token = ctx.target.token.as_str();
    let file = create_file(ctx, token, ctx.work, "coverage-bait.docx").await?;
    let answer = start_delete(ctx, file, false).await?.1;
    settle(ctx, token, &answer).await?;
    Ok(file)
}

/// Starts a delete of one file as the first user, keeping the result listed
/// (`deleteAfter: false`); the new operation's id (the last one listed) and the answer.
pub async fn start_delete(ctx: &Ctx, file: i64, immediately: bool) -> Step<(String, RawAnswer)> {
    let body = json!({ "fileIds": [file], "immediately": immediately, "deleteAfter": false });
    let path = "/api/2.0/files/fileops/delete";
    let token = Some(ctx.target.token.as_str());
    let answer = ctx
        .raw_as("PUT", path, Some(&body.to_string()), token)
        .await?;
    let body = answer.json();
    let id = listed(&body)
        .and_then(|list| list.last())
        .and_then(|op| key(op, "id").as_str())
        .filter(|_| success(answer.status))
        .map(str::to_owned);
    match id {
        Some(id) => Ok((id, answer)),
        None => Err(Outcome::fail(
            "the delete started no operation",
            vec![answer.evidence()],
        )),
    }
}

/// Ids of the operations an answer lists as not finished.
pub fn unfinished(body: &Value) -> Vec<String> {
    let Some(list) = listed(body) else {
        return Vec::new();
    };
    list.iter()
        .filter(|o| !finished(o))
        .filter_map(|o| key(o, "id").as_str().map(str::to_owned))
        .collect()
}

/// Whether an operation says it is finished (`true` or `"true"`).
fn finished(op: &Value) -> bool {
    let value = key(op, "finished");
    value == true || value == "true"
}

/// Waits until every operation the answer lists as unfinished is finished or gone, as seen
/// by the user with `token`.
pub async fn settle(ctx: &Ctx, token: &str, answer: &RawAnswer) -> Step<()> {
    if success(answer.status) {
        for id in unfinished(&answer.json()) {
            follow(ctx, token, &id).await?;
        }
    }
    Ok(())
}

/// Polls the listing of the user with `token` until operation `id` is reported finished
/// (its JSON) or is not listed (`None`), within the target's timeout. Unlike `Ctx::wait`
/// this ends at once when the operation is gone, which is how an operation started with
/// `deleteAfter`, or dropped by a terminate, ends (reference §9), and it needs no typed
/// reading of the listing.
pub async fn follow(ctx: &Ctx, token: &str, id: &str) -> Step<Option<Value>> {
    let deadline = tokio::time::Instant::now() + ctx.target.timeout;
    loop {
        let answer = ctx
            .raw_as("GET", "/api/2.0/files/fileops", None, Some(token))
            .await?;
        let body = answer.json();
        let Some(list) = listed(&body).filter(|_| success(answer.status)) else {
            let message = format!("listing operations answered {}", answer.status);
            return Err(Outcome::fail(message, vec![answer.evidence()]));
        };
        match list.iter().find(|o| key(o, "id") == id) {
            None => return Ok(None),
            Some(op) if finished(op) => return Ok(Some(op.clone())),
            Some(_) => {}
        }
        if tokio::time::Instant::now() > deadline {
            let timeout = ctx.target.timeout;
            let message = format!("operation {id} did not finish within {timeout:?}");
            return Err(Outcome::fail(message, vec![answer.evidence()]));
        }
        // Pacing between polls of a remote server, not synchronisation.
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// What a user sees of some folders (recursively, bounded) and, optionally, of their Trash:
/// one line per entry (kind, id, title), per folder's `total`, and per refused listing.
pub async fn snapshot(
    ctx: &Ctx,
    token: &str,
    roots: &[i64],
    trash: bool,
) -> Step<BTreeSet<String>> {
    let mut lines = BTreeSet::new();
    let mut level: Vec<String> = roots.iter().map(i64::to_string).collect();
    let mut listed = 0;
    for _ in 0..DEPTH {
        let mut next = Vec::new();
        for folder in level {
            if listed == MOST_FOLDERS {
                break;
            }
            listed += 1;
            next.extend(list_into(ctx, token, &folder, &mut lines).await?);
        }
        level = next;
    }
    if trash {
        // A trashed folder's content cannot be listed (reference §13.7): the top level only.
        list_into(ctx, token, "@trash", &mut lines).await?;
    }
    Ok(lines)
}

/// Lists one folder into `lines`; the ids of its subfolders.
async fn list_into(
    ctx: &Ctx,
    token: &str,
    folder: &str,
    lines: &mut BTreeSet<String>,
) -> Step<Vec<String>> {
    let path = format!("/api/2.0/files/{folder}");
    let answer = ctx.raw_as("GET", &path, None, Some(token)).await?;
    if !success(answer.status) {
        lines.insert(format!("{folder}: answered {}", answer.status));
        return Ok(Vec::new());
    }
    let body = answer.json();
    let content = key(&body, "response");
    lines.insert(format!("{folder}: total {}", key(content, "total")));
    let mut folders = Vec::new();
    for (kind, list) in [("file", "files"), ("folder", "folders")] {
        for entry in key(content, list).as_array().into_iter().flatten() {
            let id = text(key(entry, "id"));
            let title = text(key(entry, "title"));
            lines.insert(format!("{folder}/{kind} {id} {title}"));
            if kind == "folder" {
                folders.push(id);
            }
        }
    }
    Ok(folders)
}

/// A JSON scalar as text (ids may be numbers or strings, reference §6).
fn text(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned)
}

/// What changed between two snapshots, for a message.
pub fn changes(before: &BTreeSet<String>, after: &BTreeSet<String>) -> String {
    let gone: Vec<&String> = before.difference(after).collect();
    let new: Vec<&String> = after.difference(before).collect();
    format!("the listings changed: gone {gone:?}, new {new:?}")
}
