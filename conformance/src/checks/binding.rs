//! Community Server's request binding (reference §2c): the query string and a form body are
//! one collection of text values, names in any case, repeated keys and `name[]` as lists.

use crate::checks::effects::in_trash;
use crate::context::Ctx;
use crate::outcome::{Outcome, Step};

const FORM: &str = "application/x-www-form-urlencoded";

/// reference §2c: a form delete with mixed-case names, a repeated key and a `name[]` key
/// removes both files for good; a body-less delete reads its fields from the query.
pub async fn name_value(ctx: &Ctx) -> Step<Outcome> {
    let folder = ctx.scratch("binding").await?;
    let a = ctx.create_file(folder, "form-a.docx").await?;
    let b = ctx.create_file(folder, "form-b.docx").await?;
    let form = format!("FILEIDS={a}&fileIds%5B%5D={b}&Immediately=True");
    let token = ctx.target.token.as_str();
    let sent = ctx
        .raw_typed(
            "PUT",
            "/api/2.0/files/fileops/delete",
            Some((FORM, &form)),
            Some(token),
        )
        .await?;
    if let Some(problem) = deleted_for_good(ctx, &sent, folder, &[a, b], "a form body").await? {
        return Ok(problem);
    }
    let c = ctx.create_file(folder, "query-c.docx").await?;
    let path = format!("/api/2.0/files/fileops/delete?fileIds={c}&immediately=true");
    let sent = ctx
        .raw_typed("PUT", &path, Some((FORM, "")), Some(token))
        .await?;
    Ok(deleted_for_good(ctx, &sent, folder, &[c], "query fields")
        .await?
        .unwrap_or(Outcome::Pass))
}

/// Waits for the delete `sent` started; a failure unless every file is gone for good.
async fn deleted_for_good(
    ctx: &Ctx,
    sent: &crate::context::RawAnswer,
    folder: i64,
    files: &[i64],
    how: &str,
) -> Step<Option<Outcome>> {
    let started = sent.json().pointer("/response").and_then(|ops| {
        ops.as_array()?
            .last()?
            .get("id")?
            .as_str()
            .map(str::to_owned)
    });
    let Some(id) = started.filter(|_| sent.status == 200) else {
        return Ok(Some(Outcome::fail(
            format!(
                "a delete with {how} must be bound and started, it answered {}",
                sent.status
            ),
            vec![sent.evidence()],
        )));
    };
    ctx.wait(&ctx.api(), &id).await?;
    let left = ctx.listing(folder).await?;
    let mut kept = Vec::new();
    for file in files {
        let listed = left
            .files
            .iter()
            .any(|f| f.id.as_ref().and_then(|i| i.as_int()) == Some(*file));
        if listed || in_trash(ctx, *file).await? {
            kept.push(*file);
        }
    }
    Ok((!kept.is_empty()).then(|| {
        Outcome::fail(
            format!("a delete with {how} (immediately) left files {kept:?} behind or in Trash"),
            vec![sent.evidence()],
        )
    }))
}

/// reference §2a, §2c: request properties bind in any case (DocSpace's web defaults, Workspace's
/// name-value collection): a delete whose keys are written `FILEIDS` and `Immediately`
/// removes the file for good.
pub async fn any_case(ctx: &Ctx) -> Step<Outcome> {
    let folder = ctx.scratch("any-case").await?;
    let file = ctx.create_file(folder, "any-case.docx").await?;
    let body = format!(r#"{{"FILEIDS": [{file}], "Immediately": true}}"#);
    let sent = ctx
        .raw_as(
            "PUT",
            "/api/2.0/files/fileops/delete",
            Some(&body),
            Some(&ctx.target.token),
        )
        .await?;
    Ok(
        deleted_for_good(ctx, &sent, folder, &[file], "keys in another case")
            .await?
            .unwrap_or(Outcome::Pass),
    )
}

/// reference §2a: DocSpace ignores an id list's values that are neither numbers nor strings.
pub async fn other_id_kinds(ctx: &Ctx) -> Step<Outcome> {
    let folder = ctx.scratch("other-id-kinds").await?;
    let file = ctx.create_file(folder, "kinds.docx").await?;
    let body = format!(r#"{{"fileIds": [{file}, true, null, {{"id": 1}}], "immediately": true}}"#);
    let sent = ctx
        .raw_as(
            "PUT",
            "/api/2.0/files/fileops/delete",
            Some(&body),
            Some(&ctx.target.token),
        )
        .await?;
    Ok(deleted_for_good(
        ctx,
        &sent,
        folder,
        &[file],
        "ids of other JSON kinds beside it",
    )
    .await?
    .unwrap_or(Outcome::Pass))
}

/// reference §2b, §2c: GET fileops/move binds ids given as `fileIds[]` as it binds repeated
/// `fileIds`: the clashing source is listed.
pub async fn query_lists(ctx: &Ctx) -> Step<Outcome> {
    let src = ctx.scratch("query-lists-src").await?;
    let dst = ctx.scratch("query-lists-dst").await?;
    let file = ctx.create_file(src, "clash.docx").await?;
    ctx.create_file(dst, "clash.docx").await?;
    let path = format!("/api/2.0/files/fileops/move?destFolderId={dst}&fileIds%5B%5D={file}");
    let answer = ctx
        .raw_as("GET", &path, None, Some(&ctx.target.token))
        .await?;
    let listed = answer.json()["response"]
        .as_array()
        .is_some_and(|l| l.iter().any(|e| e["id"].as_i64() == Some(file)));
    Ok(if answer.status == 200 && listed {
        Outcome::Pass
    } else {
        Outcome::fail(
            "GET fileops/move with `fileIds[]` must list the clashing source",
            vec![answer.evidence()],
        )
    })
}
