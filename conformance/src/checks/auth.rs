//! Authentication and isolation.

use fileops_api::operations::*;
use fileops_api::runtime::client::EnumEncoding;
use fileops_api::runtime::Format;

use crate::context::{answer, failed, Ctx};
use crate::outcome::{Outcome, Step};

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

pub async fn unauthorized_body(ctx: &Ctx) -> Step<Outcome> {
    let exchange = anonymous_my(ctx).await?;
    let want = ctx.target.dialect.unauthorized.body;
    Ok(if exchange.text() == want {
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

pub async fn anonymous(ctx: &Ctx) -> Step<Outcome> {
    let exchange = ctx
        .client_for(None, Format::Json, EnumEncoding::Wire)
        .get_operation_statuses(&GetOperationStatusesRequest { id: None })
        .await
        .map_err(|e| Outcome::Error {
            message: e.to_string(),
        })?;
    let allowed = fileops_api::operations::by_id("getOperationStatuses")
        .is_some_and(|op| op.anonymous.contains(&ctx.target.dialect.name));
    match (allowed, exchange.status) {
        (true, 200) | (false, 401) => Ok(Outcome::Pass),
        (true, _) => Ok(failed(
            "the dialect lists operations anonymously (an empty session)",
            &exchange,
        )),
        (false, _) => Ok(failed(
            "the dialect requires a token to list operations",
            &exchange,
        )),
    }
}
