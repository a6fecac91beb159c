//! Which routes a family has (reference §1a, §1b, §4a): Workspace lacks DocSpace's own
//! operations, and answers every route under `.json` too; DocSpace has no suffixes.

use fileops_api::runtime::Format;

use super::raw::{api, failed, send};
use crate::context::Ctx;
use crate::outcome::{Outcome, Step};

/// DocSpace's own routes (§1b: Workspace has none of them).
const DOCSPACE_ONLY: [(&str, &str); 4] = [
    ("PUT", "files/fileops/duplicate"),
    ("PUT", "files/fileops/deleteversion"),
    ("GET", "files/fileops/checkdestfolder?destFolderId=1"),
    (
        "PUT",
        "files/fileops/terminate/00000000-0000-4000-8000-000000000000",
    ),
];

/// reference §1a, §1b, §4a: a family answers only its own routes. Workspace answers 404 for
/// DocSpace's own operations and answers `fileops.json` in JSON; DocSpace has no `.json` or
/// `.xml` suffix, so `fileops.json` is not the operations' list (it may fall to the
/// `{folderId}` route as an id nothing has: any refusal).
pub async fn family_only(ctx: &Ctx) -> Step<Outcome> {
    let dialect = ctx.target.dialect;
    let suffixed = send(ctx, "GET", &api("files/fileops.json"), None).await?;
    if dialect.supports(Format::Xml) {
        for (method, path) in DOCSPACE_ONLY {
            let body = (method == "PUT").then(|| serde_json::json!({}));
            let answer = send(ctx, method, &api(path), body).await?;
            if answer.status != 404 {
                let message = format!(
                    "{method} {path} is DocSpace's own route; this family answered {}",
                    answer.status
                );
                return Ok(failed(message, &answer));
            }
        }
        let json = suffixed
            .header("content-type")
            .is_some_and(|t| t.contains("json"));
        if suffixed.status != 200 || !json {
            return Ok(failed(
                "GET fileops.json must answer JSON (every route takes `.json`)",
                &suffixed,
            ));
        }
    } else if (200..300).contains(&suffixed.status) {
        let message = format!(
            "DocSpace has no `.json` route suffix; fileops.json answered {}",
            suffixed.status
        );
        return Ok(failed(message, &suffixed));
    }
    Ok(Outcome::Pass)
}
