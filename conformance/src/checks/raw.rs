//! Requests as a client writes them by hand (JSON bodies, paths), for checks that look at
//! statuses and keys rather than typed answers.

use serde_json::Value;

use crate::context::{Ctx, RawAnswer};
use crate::outcome::{Outcome, Step};

/// `method` `path` as the first user, with a JSON body if given.
pub async fn send(ctx: &Ctx, method: &str, path: &str, body: Option<Value>) -> Step<RawAnswer> {
    let text = body.map(|b| b.to_string());
    ctx.raw_as(method, path, text.as_deref(), Some(&ctx.target.token))
        .await
}

/// The id of the last operation an answer lists.
pub fn last_operation(answer: &RawAnswer) -> Option<String> {
    let json = answer.json();
    let ops = json.get("response")?.as_array()?;
    ops.last()?.get("id")?.as_str().map(str::to_owned)
}

/// Every operation id an answer lists.
pub fn operation_ids(answer: &RawAnswer) -> Vec<String> {
    answer
        .json()
        .get("response")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|o| o.get("id")?.as_str().map(str::to_owned))
        .collect()
}

/// The kinds (numbers) of the operations an answer lists, under the dialect's key.
pub fn kinds(answer: &RawAnswer) -> Vec<i64> {
    answer
        .json()
        .get("response")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|o| o.get("Operation").or_else(|| o.get("operation"))?.as_i64())
        .collect()
}

/// Starts an operation with `method path body` and waits for it; the finished operation as
/// JSON (its id under `id`), or a failure showing the answer.
pub async fn run(ctx: &Ctx, method: &str, path: &str, body: Value) -> Step<serde_json::Value> {
    let answer = send(ctx, method, path, Some(body)).await?;
    let Some(id) = last_operation(&answer).filter(|_| answer.status == 200) else {
        return Err(Outcome::fail(
            format!("{method} {path} started no operation ({})", answer.status),
            vec![answer.evidence()],
        ));
    };
    let done = ctx.wait(&ctx.api(), &id).await?;
    serde_json::to_value(&done).map_err(|e| Outcome::Error {
        message: e.to_string(),
    })
}

/// A failure showing one answer.
pub fn failed(message: impl Into<String>, answer: &RawAnswer) -> Outcome {
    Outcome::fail(message, vec![answer.evidence()])
}

/// The API path below the portal.
pub fn api(path: &str) -> String {
    format!("/api/2.0/{path}")
}
