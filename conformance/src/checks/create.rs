//! Creating folders and files (reference §13.3-§13.5): what a new entry is, which titles
//! are kept, changed or refused, and where nothing may be created.

use serde_json::json;

use super::raw::{api, failed, send};
use super::UNKNOWN_ID;
use crate::context::{Ctx, RawAnswer};
use crate::outcome::{Outcome, Step};

fn int(answer: &RawAnswer, pointer: &str) -> Option<i64> {
    answer.json().pointer(pointer)?.as_i64()
}

fn text(answer: &RawAnswer, pointer: &str) -> String {
    answer
        .json()
        .pointer(pointer)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned()
}

/// reference §13.4: a new folder has the title asked and the parent named, with the family's
/// status for a POST (DocSpace 200, Workspace 201); `\t * + : " < > ? | \ /` in a title
/// become `_`.
pub async fn folder(ctx: &Ctx) -> Step<Outcome> {
    let parent = ctx.scratch("create-folder").await?;
    let path = api(&format!("files/folder/{parent}"));
    let made = send(ctx, "POST", &path, Some(json!({"title": "made"}))).await?;
    let post = ctx.target.dialect.post_status;
    if made.status != post
        || text(&made, "/response/title") != "made"
        || int(&made, "/response/parentId") != Some(parent)
    {
        return Ok(failed(
            format!("a new folder answers {post} with the title asked and parentId {parent}"),
            &made,
        ));
    }
    let odd = send(ctx, "POST", &path, Some(json!({"title": "a:b*c?d<e>f|g"}))).await?;
    Ok(if text(&odd, "/response/title") == "a_b_c_d_e_f_g" {
        Outcome::Pass
    } else {
        failed(
            "the characters : * ? < > | in a title must become `_`",
            &odd,
        )
    })
}

/// reference §13.4 ([DS-T]): DocSpace creates a second folder with the same title as asked.
pub async fn same_title(ctx: &Ctx) -> Step<Outcome> {
    let parent = ctx.scratch("create-twice").await?;
    let path = api(&format!("files/folder/{parent}"));
    let first = send(ctx, "POST", &path, Some(json!({"title": "twice"}))).await?;
    let again = send(ctx, "POST", &path, Some(json!({"title": "twice"}))).await?;
    let twice =
        int(&again, "/response/id").is_some_and(|id| Some(id) != int(&first, "/response/id"));
    Ok(if twice && text(&again, "/response/title") == "twice" {
        Outcome::Pass
    } else {
        failed(
            "a second folder with the same title is created as asked",
            &again,
        )
    })
}

/// reference §13.4: a folder without a title is refused with 400.
pub async fn untitled(ctx: &Ctx) -> Step<Outcome> {
    let parent = ctx.scratch("create-untitled").await?;
    let answer = send(
        ctx,
        "POST",
        &api(&format!("files/folder/{parent}")),
        Some(json!({})),
    )
    .await?;
    Ok(if answer.status == 400 {
        Outcome::Pass
    } else {
        failed("a folder without a title is refused with 400", &answer)
    })
}

/// reference §13.4, §13.5 ([DS-T]): DocSpace refuses a title over 165 characters (400), a
/// folder or file in Trash (403) and a file in a folder that does not exist (403).
pub async fn refused(ctx: &Ctx) -> Step<Outcome> {
    let parent = ctx.scratch("create-refused").await?;
    let trash = send(ctx, "GET", &api("files/@trash"), None).await?;
    let Some(trash) = int(&trash, "/response/current/id") else {
        return Ok(failed("@trash names no current folder", &trash));
    };
    let long = "t".repeat(166);
    let cases = [
        (format!("files/folder/{parent}"), long.clone(), 400),
        (format!("files/{parent}/file"), format!("{long}.docx"), 400),
        (format!("files/folder/{trash}"), "in-trash".to_owned(), 403),
        (
            format!("files/{trash}/file"),
            "in-trash.docx".to_owned(),
            403,
        ),
        (
            format!("files/{UNKNOWN_ID}/file"),
            "nowhere.docx".to_owned(),
            403,
        ),
    ];
    for (path, title, want) in cases {
        let answer = send(ctx, "POST", &api(&path), Some(json!({"title": title}))).await?;
        if answer.status != want {
            let message = format!(
                "POST {path} with a title of {} characters must be refused with {want}",
                title.len()
            );
            return Ok(failed(message, &answer));
        }
    }
    Ok(Outcome::Pass)
}

/// reference §13.3, §13.5: a new file's extension is its type's own (`Notes.txt` becomes
/// `Notes.docx`) or `.docx` appended (`Plain` becomes `Plain.docx`); it has version 1,
/// versionGroup 1, fileExst `.docx`, fileType 7, some content, and is not new for its
/// creator; on DocSpace its history is that one version.
pub async fn file(ctx: &Ctx) -> Step<Outcome> {
    let parent = ctx.scratch("create-file").await?;
    let path = api(&format!("files/{parent}/file"));
    for (asked, kept) in [("Plain", "Plain.docx"), ("Notes.txt", "Notes.docx")] {
        let made = send(ctx, "POST", &path, Some(json!({"title": asked}))).await?;
        if text(&made, "/response/title") != kept {
            return Ok(failed(
                format!("a new file titled {asked:?} must be {kept:?}"),
                &made,
            ));
        }
    }
    let made = send(ctx, "POST", &path, Some(json!({"title": "Fresh.docx"}))).await?;
    let fields = (
        int(&made, "/response/version"),
        int(&made, "/response/versionGroup"),
        text(&made, "/response/fileExst"),
        int(&made, "/response/fileType"),
        int(&made, "/response/pureContentLength").is_some_and(|n| n > 0),
        int(&made, "/response/fileStatus").is_some_and(|s| s & 2 == 0),
    );
    if fields != (Some(1), Some(1), ".docx".into(), Some(7), true, true) {
        return Ok(failed(format!("a new file has version 1, versionGroup 1, .docx, fileType 7, content and is not new; got {fields:?}"), &made));
    }
    let history = fileops_api::operations::by_id("getFileHistory")
        .is_some_and(|op| ctx.target.dialect.is_in(op.dialects));
    if let (true, Some(id)) = (history, int(&made, "/response/id")) {
        let answer = send(ctx, "GET", &api(&format!("files/file/{id}/history")), None).await?;
        let versions: Vec<Option<i64>> = answer.json()["response"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| v["version"].as_i64())
            .collect();
        if versions != [Some(1)] {
            return Ok(failed(
                "a new file's history is its one version, 1",
                &answer,
            ));
        }
    }
    Ok(Outcome::Pass)
}
