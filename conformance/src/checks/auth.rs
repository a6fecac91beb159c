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

/// reference §8: the token also works as the `asc_auth_key` cookie (both families' cookie
/// scheme), without an `Authorization` header.
pub async fn cookie(ctx: &Ctx) -> Step<Outcome> {
    let cookie = vec![(
        "Cookie".to_owned(),
        format!("asc_auth_key={}", ctx.target.token),
    )];
    let answer = ctx
        .raw_with("GET", "/api/2.0/files/@my", cookie, None)
        .await?;
    Ok(if answer.status == 200 {
        Outcome::Pass
    } else {
        Outcome::fail(
            format!(
                "the token as the asc_auth_key cookie must be let in, got {}",
                answer.status
            ),
            vec![answer.evidence()],
        )
    })
}

/// reference §8: Workspace answers a rejected `Bearer` header with a `WWW-Authenticate:
/// Bearer Realm=…` challenge beside its 401.
pub async fn challenge(ctx: &Ctx) -> Step<Outcome> {
    let bearer = vec![("Authorization".to_owned(), "Bearer not-a-token".to_owned())];
    let answer = ctx
        .raw_with("GET", "/api/2.0/files/@my", bearer, None)
        .await?;
    let challenged = answer
        .header("www-authenticate")
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("bearer"));
    Ok(if answer.status == 401 && challenged {
        Outcome::Pass
    } else {
        Outcome::fail(
            "a rejected Bearer header gets 401 with a `WWW-Authenticate: Bearer` challenge",
            vec![answer.evidence()],
        )
    })
}

/// reference §13.1: a login with credentials nobody has is refused in the error envelope,
/// with a status a reading allows (DocSpace 401, Workspace 500, both code readings).
pub async fn login_refused(ctx: &Ctx) -> Step<Outcome> {
    let body = r#"{"userName":"nobody@fileops.invalid","password":"not-the-password"}"#;
    let answer = ctx
        .raw_as("POST", "/api/2.0/authentication", Some(body), None)
        .await?;
    let status = answer.status;
    let enveloped = answer.json()["status"] == 1;
    let facts = profile::setting(&["behaviour/bad-credentials-status"]);
    let what = format!("a login with bad credentials: {status}");
    let fits = ctx.fits(&facts, &what, |d| {
        d.behaviour.bad_credentials_status == status
    });
    Ok(if fits && enveloped {
        Outcome::Pass
    } else {
        Outcome::fail(
            format!(
                "{what}; it must be refused in the error envelope with a status a reading allows"
            ),
            vec![answer.evidence()],
        )
    })
}
