//! Bad input: a 4xx with the error envelope, never a 5xx.

use serde_json::Value;

use fileops_api::runtime::RequestBinding;

use crate::context::Ctx;
use crate::outcome::{Evidence, Outcome, Step};
use crate::profile;

async fn refused(ctx: &Ctx, body: &str, want: std::ops::Range<u16>) -> Step<Outcome> {
    let (sent, status, bytes) = ctx
        .raw("PUT", "/api/2.0/files/fileops/move", Some(body), true)
        .await?;
    let evidence = vec![Evidence::new(&sent, status, &bytes)];
    if !want.contains(&status) {
        return Ok(Outcome::fail(
            format!("expected a status in {want:?}, got {status}"),
            evidence,
        ));
    }
    let envelope: Value = serde_json::from_slice(&bytes).unwrap_or_default();
    Ok(
        if envelope["status"] == 1 && envelope["statusCode"] == status {
            Outcome::Pass
        } else {
            Outcome::fail(
                "the answer is not the error envelope (status 1, statusCode)",
                evidence,
            )
        },
    )
}

/// Malformed JSON is a 4xx in the error envelope; where only JSON bodies are bound, a body of
/// another media type is 415, in one of the forms the readings allow (reference §4a).
pub async fn malformed_json(ctx: &Ctx) -> Step<Outcome> {
    let outcome = refused(ctx, r#"{"destFolderId": "#, 400..500).await?;
    if !matches!(outcome, Outcome::Pass)
        || ctx.target.dialect.behaviour.request_binding != RequestBinding::JsonBody
    {
        return Ok(outcome);
    }
    let form = ("application/x-www-form-urlencoded", "destFolderId=1");
    let path = "/api/2.0/files/fileops/move";
    let answer = ctx
        .raw_typed("PUT", path, Some(form), Some(&ctx.target.token))
        .await?;
    let what = format!("a form body answered {}", answer.status);
    let json = answer.json();
    let facts = profile::setting(&["unsupported-media"]);
    let fits = ctx.fits(&facts, &what, |d| profile::refuses_media_as(d, &json));
    Ok(if answer.status == 415 && fits {
        Outcome::Pass
    } else {
        Outcome::fail(
            format!("{what}; a body this family does not bind must be refused with 415 in a form the readings allow"),
            vec![answer.evidence()],
        )
    })
}

pub async fn unknown_enum(ctx: &Ctx) -> Step<Outcome> {
    let body = format!(
        r#"{{"destFolderId": {}, "fileIds": [], "conflictResolveType": "Teleport"}}"#,
        ctx.work
    );
    refused(ctx, &body, 400..401).await
}

pub async fn changes_nothing(ctx: &Ctx) -> Step<Outcome> {
    let file = ctx.create_file(ctx.work, "untouched.docx").await?;
    let before = ctx.file_titles(ctx.work).await?;
    for body in [
        format!(
            r#"{{"destFolderId": {}, "fileIds": [{file}], "conflictResolveType": "Teleport"}}"#,
            ctx.work
        ),
        format!(r#"{{"fileIds": [{file}], "immediately": "perhaps"}}"#),
    ] {
        let path = if body.contains("immediately") {
            "/api/2.0/files/fileops/delete"
        } else {
            "/api/2.0/files/fileops/move"
        };
        let (sent, status, bytes) = ctx.raw("PUT", path, Some(&body), true).await?;
        if !(400..500).contains(&status) {
            return Ok(Outcome::fail(
                format!("bad input must be refused with a 4xx, got {status}"),
                vec![Evidence::new(&sent, status, &bytes)],
            ));
        }
    }
    let after = ctx.file_titles(ctx.work).await?;
    Ok(if after == before {
        Outcome::Pass
    } else {
        Outcome::fail(
            format!(
                "refused input changed the folder's files (- before, + after):\n{}",
                crate::diff::debug(&before, &after)
            ),
            Vec::new(),
        )
    })
}
