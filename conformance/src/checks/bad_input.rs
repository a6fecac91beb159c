//! Bad input: a 4xx with the error envelope, never a 5xx.

use serde_json::Value;

use crate::context::Ctx;
use crate::outcome::{Evidence, Outcome, Step};

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

pub async fn malformed_json(ctx: &Ctx) -> Step<Outcome> {
    refused(ctx, r#"{"destFolderId": "#, 400..500).await
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
