//! Authentication and isolation.

use fileops_api::operations::*;
use fileops_api::runtime::client::EnumEncoding;
use fileops_api::runtime::Format;

use super::coverage;
use crate::context::{answer, failed, Ctx};
use crate::outcome::{Outcome, Step};
use crate::profile;

async fn anonymous_my(
    ctx: &Ctx,
) -> Step<fileops_api::runtime::client::Exchange<GetMyFolderResponse>> {
    ctx.client_for(None, Format::Json, EnumEncoding::Wire)
        .get_my_folder(&GetMyFolderRequest {
            start_index: None,
            count: None,
        })
        .await
        .map_err(|e| Outcome::Error {
            message: e.to_string(),
        })
}

pub async fn unauthorized_status(ctx: &Ctx) -> Step<Outcome> {
    let exchange = anonymous_my(ctx).await?;
    let bad = ctx
        .client_for(Some("not-a-token".into()), Format::Json, EnumEncoding::Wire)
        .get_my_folder(&GetMyFolderRequest {
            start_index: None,
            count: None,
        })
        .await
        .map_err(|e| Outcome::Error {
            message: e.to_string(),
        })?;
    if exchange.status != 401 {
        return Ok(failed(
            "without a token, GET @my must answer 401",
            &exchange,
        ));
    }
    Ok(if bad.status == 401 {
        Outcome::Pass
    } else {
        failed("with an unknown token, GET @my must answer 401", &bad)
    })
}

/// The 401 body is one the family's readings allow (reference §8: DocSpace's empty body is a
/// code reading; the newer spec lists the error envelope).
pub async fn unauthorized_body(ctx: &Ctx) -> Step<Outcome> {
    let exchange = anonymous_my(ctx).await?;
    let text = exchange.text();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let what = format!("GET @my without a token: {} bytes", text.len());
    let fits = ctx.fits(&profile::setting(&["unauthorized"]), &what, |d| {
        if d.unauthorized.envelope {
            json["status"] == 1 && json["statusCode"] == exchange.status
        } else {
            text == d.unauthorized.body
        }
    });
    let want = ctx.target.dialect.unauthorized.body;
    Ok(if fits {
        Outcome::Pass
    } else {
        failed(format!("the 401 body should be {want:?}"), &exchange)
    })
}

pub async fn isolation(ctx: &Ctx) -> Step<Outcome> {
    let Some(token2) = ctx.target.token2.clone() else {
        return Ok(Outcome::skip("needs a second user's token (--token2)"));
    };
    let file = ctx.create_file(ctx.work, "isolation.docx").await?;
    let super::Started { id, .. } = super::start_delete(ctx, &[file], true, false).await?;
    let other = ctx.client_for(Some(token2), Format::Json, EnumEncoding::Wire);
    let (theirs, their_exchange) = answer(
        other
            .get_operation_statuses(&GetOperationStatusesRequest { id: None })
            .await,
    )?;
    ctx.wait(&ctx.api(), &id).await?;
    match theirs {
        GetOperationStatusesResponse::Ok(list) if list.iter().any(|o| o.id == id) => Ok(failed(
            "the second user sees the first user's operation",
            &their_exchange,
        )),
        GetOperationStatusesResponse::Ok(_) => Ok(Outcome::Pass),
        other => Ok(failed(
            format!("the second user's listing answered {other:?}"),
            &their_exchange,
        )),
    }
}

/// Listing operations without a token is answered as a reading of the family allows
/// (reference §8: DocSpace serves it as an empty session, a code reading; Workspace refuses).
pub async fn anonymous(ctx: &Ctx) -> Step<Outcome> {
    let answer = ctx
        .raw_as("GET", "/api/2.0/files/fileops", None, None)
        .await?;
    let Some(op) = fileops_api::operations::by_id("getOperationStatuses") else {
        return Ok(Outcome::skip("the schema has no getOperationStatuses"));
    };
    Ok(
        match coverage::judge_anonymous(ctx, op, "without a token", &answer) {
            None => Outcome::Pass,
            Some(problem) => Outcome::fail(problem, vec![answer.evidence()]),
        },
    )
}
