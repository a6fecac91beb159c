//! Coverage from data: authentication, isolation and bad-input checks for **every**
//! operation of `fileops_api::operations::CATALOGUE` that the target dialect serves, with
//! requests built from each operation's catalogue data (`request`), so an operation added
//! to the schema is checked without new check code. Entries a request names are made fresh
//! in the run's work folder (`observe::fixture`). Every answer is also judged by the
//! `wire.*` checks, so these checks look only at what the wire checks cannot: who is let
//! in, what changed, and the status class.

mod observe;
mod request;

use fileops_api::operations::CATALOGUE;
use fileops_api::runtime::operation::OperationInfo;
use fileops_api::runtime::{Dialect, Shape};
use serde_json::{json, Value};
use std::collections::BTreeSet;

use crate::context::{Ctx, RawAnswer};
use crate::outcome::{Outcome, Step};
use observe::{
    bait_trash, changes, create_file, documents, error_envelope, fixture, follow, foreign_fixture,
    key, listed, refusal, remove, remove_created, send, settle, snapshot, start_delete, success,
    trash_is_empty, unauthorized_answer, Findings, Fixture,
};
use request::{build, holds_one_id, names_entries, slots, wrong, Entries, Fill, Place, Replace};

/// A GUID-like operation id no server has (operation ids are GUIDs, reference §6).
const NO_OPERATION: &str = "00000000-0000-4000-8000-000000000000";
/// An entry id no portal has reached; within 32 bits, so DocSpace still reads it as an
/// internal id rather than a third-party one (reference §2a).
const UNKNOWN_ID: i64 = i32::MAX as i64;

/// The catalogue's operations the dialect serves.
fn operations(dialect: &'static Dialect) -> impl Iterator<Item = &'static OperationInfo> {
    CATALOGUE
        .iter()
        .filter(move |op| dialect.is_in(op.dialects))
}

/// Whether the dialect serves `op` without a token (an empty list means none, unlike the
/// other dialect lists).
fn anonymous(op: &OperationInfo, dialect: &Dialect) -> bool {
    op.anonymous.contains(&dialect.name)
}

/// Values naming `entries` (the selection included).
fn fill(entries: Option<Entries>) -> Fill {
    Fill {
        entries,
        select: true,
        text: NO_OPERATION.to_owned(),
    }
}

/// Values that make a request do nothing once the caller is let in: no selection (an empty
/// one queues nothing, reference §2a) and an unknown id where one is required (refused, or
/// accepted to no effect, §13.6). For requests whose point is only who is let in.
fn harmless() -> Fill {
    let unknown = Entries {
        file: UNKNOWN_ID,
        folder: UNKNOWN_ID,
        dest: UNKNOWN_ID,
    };
    Fill {
        entries: Some(unknown),
        select: false,
        text: NO_OPERATION.to_owned(),
    }
}

/// Whether a mutating request may be sent with `token`: an operation naming no entry acts on
/// the caller's state at large (emptying Trash, terminating every operation), so it is sent
/// only while that user's Trash is empty and nothing outside this run can be destroyed.
async fn may_send(ctx: &Ctx, op: &'static OperationInfo, token: &str) -> Step<bool> {
    if op.method == "GET" || names_entries(op, ctx.target.dialect) {
        return Ok(true);
    }
    trash_is_empty(ctx, token).await
}

/// `coverage.auth.required`: every protected operation, without `Authorization` and with an
/// unknown token, gets the dialect's 401: its status, its body (DocSpace none, Workspace
/// `Unauthorized`) and, with a body, one of its content types (reference §8).
pub async fn auth_required(ctx: &Ctx) -> Step<Outcome> {
    let dialect = ctx.target.dialect;
    let mut found = Findings::default();
    for op in operations(dialect).filter(|op| !anonymous(op, dialect)) {
        // Harmless values: a server that lets the caller in anyway should change nothing.
        let Some(built) = build(op, dialect, &harmless(), None) else {
            continue;
        };
        found.tried += 1;
        for (authorization, who) in [
            (None, "without a token"),
            (Some("not-a-token"), "with an unknown token"),
        ] {
            let answer = send(ctx, &built, authorization).await?;
            if let Some(problem) = not_refused(dialect, &answer) {
                found.add(op.id, format!("{who}: {problem}"), &[&answer]);
            }
            // A server that served it anyway may have started work; let it end (best effort,
            // the failure is already recorded).
            let _ = settle(ctx, &ctx.target.token, &answer).await;
        }
    }
    Ok(found.outcome(
        "a protected operation must refuse a caller without a valid token with the dialect's 401",
    ))
}

/// What is wrong with an answer that should be the dialect's 401, if anything.
fn not_refused(dialect: &Dialect, answer: &RawAnswer) -> Option<String> {
    let rule = dialect.unauthorized;
    let text = String::from_utf8_lossy(&answer.body);
    let body = text.trim();
    if answer.status != rule.status {
        return Some(format!("answered {}, not {}", answer.status, rule.status));
    }
    if body != rule.body {
        return Some(format!(
            "the {} body is {body:?}, not {:?}",
            rule.status, rule.body
        ));
    }
    let media = answer.header("content-type").map(essence);
    let mut allowed = rule
        .content_type
        .into_iter()
        .chain(rule.also_content_types.iter().copied());
    let fits = body.is_empty()
        || media
            .as_deref()
            .is_some_and(|m| allowed.any(|a| essence(a) == m));
    (!fits).then(|| {
        format!(
            "the content type {media:?} is none of {:?} and {:?}",
            rule.content_type, rule.also_content_types
        )
    })
}

/// A media type without parameters, in lower case.
fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// `coverage.auth.anonymous`: every operation the dialect serves anonymously answers a
/// caller without a token (not the dialect's 401), and a list it answers is empty: an
/// anonymous caller is an empty external-share session (reference §8, §9). Operations that
/// would need entry ids are skipped.
pub async fn auth_anonymous(ctx: &Ctx) -> Step<Outcome> {
    let dialect = ctx.target.dialect;
    let mut found = Findings::default();
    for op in operations(dialect).filter(|op| anonymous(op, dialect)) {
        let Some(built) = build(op, dialect, &fill(None), None) else {
            continue;
        };
        found.tried += 1;
        let answer = send(ctx, &built, None).await?;
        if unauthorized_answer(dialect, &answer) {
            let problem = "refused without a token, though the dialect serves it anonymously";
            found.add(op.id, problem, &[&answer]);
        } else if success(answer.status)
            && lists(op, dialect, answer.status)
            && !listed(&answer.json()).is_some_and(Vec::is_empty)
        {
            let problem = "an anonymous caller's list is not empty";
            found.add(op.id, problem, &[&answer]);
        }
    }
    Ok(found
        .outcome("an anonymous operation must serve a caller without a token, with nothing listed"))
}

/// Whether the operation documents a list as its payload for `status` in the dialect.
fn lists(op: &OperationInfo, dialect: &Dialect, status: u16) -> bool {
    op.responses.iter().any(|r| {
        r.status == Some(status)
            && dialect.is_in(r.dialects)
            && matches!(r.payload, Some(Shape::Array(_)))
    })
}

/// `coverage.auth.bearer`: no operation refuses `Authorization: Bearer <token>` with the
/// dialect's 401, and every protected GET succeeds both with the raw token and with the
/// Bearer form (both families accept both, reference §8, §13.1). GETs read fresh entries;
/// mutating requests are `harmless`, as far as `may_send` allows.
pub async fn auth_bearer(ctx: &Ctx) -> Step<Outcome> {
    let dialect = ctx.target.dialect;
    let token = ctx.target.token.as_str();
    let bearer = format!("Bearer {token}");
    let reads = fill(Some(fixture(ctx, "bearer").await?.entries));
    let mut found = Findings::default();
    for op in operations(dialect) {
        let fill = if op.method == "GET" {
            reads.clone()
        } else {
            harmless()
        };
        let Some(built) = build(op, dialect, &fill, None) else {
            continue;
        };
        if !may_send(ctx, op, token).await? {
            continue;
        }
        found.tried += 1;
        let answer = send(ctx, &built, Some(&bearer)).await?;
        settle(ctx, token, &answer).await?;
        remove_created(ctx, op, token, &answer).await?;
        if refused_for_token(op, dialect, &answer) {
            found.add(
                op.id,
                "refused the Bearer form of a valid token",
                &[&answer],
            );
        } else if op.method == "GET" && !anonymous(op, dialect) {
            let raw = send(ctx, &built, Some(token)).await?;
            if !success(raw.status) || !success(answer.status) {
                let problem = format!(
                    "answered {} to the raw token and {} to the Bearer form; both must succeed",
                    raw.status, answer.status
                );
                found.add(op.id, problem, &[&raw, &answer]);
            }
        }
    }
    Ok(found.outcome("`Authorization: Bearer <token>` must be accepted like the raw token"))
}

/// Whether an answer refuses the token: any 401 of a protected operation; for an anonymous
/// one only the dialect's own 401 (a login's bad credentials are its own 401, §13.1).
fn refused_for_token(op: &OperationInfo, dialect: &Dialect, answer: &RawAnswer) -> bool {
    if anonymous(op, dialect) {
        unauthorized_answer(dialect, answer)
    } else {
        answer.status == dialect.unauthorized.status
    }
}

/// `coverage.isolation.mutations`: every mutating operation, sent with the second user's
/// token but naming the first user's fresh entries, changes nothing the first user sees:
/// the entries' folders and the first user's Trash (baited with a file, so emptying it would
/// show) list the same ids and titles before and after, once whatever the answer started has
/// finished (reference §9). Creating in the first user's folder must not appear there.
pub async fn isolation_mutations(ctx: &Ctx) -> Step<Outcome> {
    let Some(token2) = ctx.target.token2.as_deref() else {
        return Ok(Outcome::skip("needs a second user's token (--token2)"));
    };
    let dialect = ctx.target.dialect;
    let token = ctx.target.token.as_str();
    let bait = bait_trash(ctx).await?;
    let mut found = Findings::default();
    for op in operations(dialect).filter(|op| op.method != "GET" && !session_only(op, dialect)) {
        let fixture = fixture(ctx, &format!("isolation-{}", op.id)).await?;
        let Some(built) = build(op, dialect, &fill(Some(fixture.entries)), None) else {
            continue;
        };
        if !may_send(ctx, op, token2).await? {
            continue;
        }
        found.tried += 1;
        let before = snapshot(ctx, token, &[fixture.root], true).await?;
        let answer = send(ctx, &built, Some(token2)).await?;
        settle(ctx, token2, &answer).await?;
        let after = snapshot(ctx, token, &[fixture.root], true).await?;
        remove_created(ctx, op, token2, &answer).await?;
        if before != after {
            let problem = format!(
                "sent by the second user, it answered {} and {}",
                answer.status,
                changes(&before, &after)
            );
            found.add(op.id, problem, &[&answer]);
        }
    }
    // The bait is in Trash, so this deletes it for good (reference §13.7).
    let _ = remove(ctx, token, &[bait], &[]).await;
    Ok(found.outcome("another user's request must not change the first user's entries"))
}

/// Whether an operation acts on the caller's own session only: anyone may call it without a
/// token and it names no entry (a login, a terminate), so the second user's token has
/// nothing of the first user's to name. Terminate has its own check.
fn session_only(op: &'static OperationInfo, dialect: &Dialect) -> bool {
    anonymous(op, dialect) && !names_entries(op, dialect)
}

/// `coverage.isolation.terminate`: the second user's call of every terminate operation (the
/// operations whose path says `terminate`; a string value is the first user's operation id)
/// leaves the first user's running delete alone: it is still reported to the first user,
/// finished and without an error, and the second user's answer never lists it (§9).
pub async fn isolation_terminate(ctx: &Ctx) -> Step<Outcome> {
    let Some(token2) = ctx.target.token2.as_deref() else {
        return Ok(Outcome::skip("needs a second user's token (--token2)"));
    };
    let dialect = ctx.target.dialect;
    let token = ctx.target.token.as_str();
    let file = create_file(ctx, token, ctx.work, "coverage-terminate.docx").await?;
    let (started, _) = start_delete(ctx, file, true).await?;
    let theirs = Fill {
        entries: None,
        select: false,
        text: started.clone(),
    };
    let mut found = Findings::default();
    let mut called = Vec::new();
    for op in operations(dialect).filter(|op| op.path.contains("terminate")) {
        let Some(built) = build(op, dialect, &theirs, None) else {
            continue;
        };
        found.tried += 1;
        called.push(op.id);
        let answer = send(ctx, &built, Some(token2)).await?;
        if lists_operation(&answer.json(), &started) {
            found.add(
                op.id,
                "the second user's answer lists the first user's operation",
                &[&answer],
            );
        }
    }
    match follow(ctx, &ctx.target.token, &started).await? {
        None => found.add(
            &called.join(", "),
            "afterwards the first user's delete is no longer reported to the first user",
            &[],
        ),
        Some(op) if !(key(&op, "error").is_null() || key(&op, "error") == "") => {
            let problem = format!(
                "afterwards the first user's delete finished with error {}",
                key(&op, "error")
            );
            found.add(&called.join(", "), problem, &[]);
        }
        Some(_) => {}
    }
    Ok(found.outcome("another user's terminate must not touch the first user's operations"))
}

/// Whether an answer's list holds the operation `id`.
fn lists_operation(body: &Value, id: &str) -> bool {
    listed(body).is_some_and(|list| list.iter().any(|o| key(o, "id") == id))
}

/// One wrong value for one slot.
struct Probe {
    replace: Replace,
    name: &'static str,
    /// Whether only a 4xx will do (a wrong-typed body or path value); otherwise a success
    /// that changes nothing is fine too.
    strict: bool,
}

/// `coverage.bad-input.parameters`: every operation, given one wrong value at a time, answers
/// a 4xx in the error envelope and changes nothing. Wrong-typed values (`wrong`) in a body or
/// path must be refused (reference §2a, §2c, §4a); in a query they may instead be read as
/// the default, since DocSpace's GET-move binder uses `TryParse` (§2b) and Workspace falls
/// back to the default for unparsable paging values (§13.2). A single entry id that is
/// unknown or the second user's must be refused where the dialect validates up front
/// (`refuses_unknown_ids`), else it may also be accepted to no effect (§13.6); a 5xx passes
/// only for such ids, where the operation documents it for the dialect.
pub async fn bad_input_parameters(ctx: &Ctx) -> Step<Outcome> {
    let dialect = ctx.target.dialect;
    let token2 = ctx.target.token2.as_deref();
    let foreign = match token2 {
        Some(token2) => Some(foreign_fixture(ctx, token2).await?),
        None => None,
    };
    let bait = bait_trash(ctx).await?;
    let mut found = Findings::default();
    for op in operations(dialect) {
        let probes = probes(op, dialect, foreign.as_ref().map(|f| f.entries));
        if !probes.is_empty() {
            found.tried += 1;
            try_probes(ctx, op, &probes, foreign.as_ref(), &mut found).await?;
        }
    }
    let _ = remove(ctx, &ctx.target.token, &[bait], &[]).await;
    if let (Some(foreign), Some(token2)) = (foreign, token2) {
        let _ = remove(ctx, token2, &[], &[foreign.root]).await;
    }
    Ok(found
        .outcome("bad input must be refused with a 4xx in the error envelope and change nothing"))
}

/// The wrong values for an operation's slots.
fn probes(op: &'static OperationInfo, dialect: &Dialect, foreign: Option<Entries>) -> Vec<Probe> {
    let mut probes = Vec::new();
    for slot in slots(op, dialect) {
        let (name, shape) = (slot.name(dialect), slot.shape());
        let mut push = |value: Value, strict: bool| {
            let replace = Replace { slot, value };
            probes.push(Probe {
                replace,
                name,
                strict,
            });
        };
        if let Some(value) = wrong(shape, dialect) {
            push(value, slot.place() != Place::Query);
        }
        if holds_one_id(name, shape) {
            let strict = refuses_unknown_ids(op, dialect);
            push(json!(UNKNOWN_ID), strict);
            if let Some(foreign) = foreign {
                push(json!(foreign.named(name)), strict);
            }
        }
    }
    probes
}

/// Whether the dialect refuses an unknown or unusable id before doing anything: a mutating
/// operation of a dialect that validates up front (DocSpace: unknown destination 404, no
/// right 403, unknown file 404 for deleteversion, unknown folder or template 403 for a new
/// file, reference §13.4, §13.5, §13.6, §13.8). Reads (GET move's clash check, whose answer
/// to such ids the notes do not give) and Workspace, which validates nothing up front and
/// files a new file in My documents instead (§13.5, §13.6), may also accept to no effect.
fn refuses_unknown_ids(op: &OperationInfo, dialect: &Dialect) -> bool {
    op.method != "GET" && dialect.behaviour.validate_up_front
}

/// Sends an operation's probes on fresh entries, comparing the listings after each.
async fn try_probes(
    ctx: &Ctx,
    op: &'static OperationInfo,
    probes: &[Probe],
    foreign: Option<&Fixture>,
    found: &mut Findings,
) -> Step<()> {
    let dialect = ctx.target.dialect;
    let token = ctx.target.token.as_str();
    let fixture = fixture(ctx, &format!("bad-input-{}", op.id)).await?;
    let fill = fill(Some(fixture.entries));
    let mut before = look(ctx, &fixture, foreign).await?;
    for probe in probes {
        let Some(built) = build(op, dialect, &fill, Some(&probe.replace)) else {
            continue;
        };
        let answer = send(ctx, &built, Some(token)).await?;
        let sent = format!("{} = {}", probe.name, probe.replace.value);
        if let Some(problem) = misjudged(op, dialect, probe, &answer) {
            found.add(op.id, format!("{sent}: {problem}"), &[&answer]);
        }
        settle(ctx, token, &answer).await?;
        let after = look(ctx, &fixture, foreign).await?;
        remove_created(ctx, op, token, &answer).await?;
        if after != before {
            let problem = format!(
                "{sent}: answered {} and {}",
                answer.status,
                changes(&before, &after)
            );
            found.add(op.id, problem, &[&answer]);
            before = after;
        }
    }
    Ok(())
}

/// The listings bad input must not change: the fixture's folders and the first user's Trash,
/// and the second user's entries.
async fn look(ctx: &Ctx, fixture: &Fixture, foreign: Option<&Fixture>) -> Step<BTreeSet<String>> {
    let mut lines = snapshot(ctx, &ctx.target.token, &[fixture.root], true).await?;
    if let (Some(foreign), Some(token2)) = (foreign, ctx.target.token2.as_deref()) {
        let theirs = snapshot(ctx, token2, &[foreign.root], false).await?;
        lines.extend(theirs.into_iter().map(|l| format!("second user: {l}")));
    }
    Ok(lines)
}

/// What is wrong with the status class of a probe's answer, if anything.
fn misjudged(
    op: &OperationInfo,
    dialect: &Dialect,
    probe: &Probe,
    answer: &RawAnswer,
) -> Option<String> {
    let status = answer.status;
    if refusal(status) {
        return (!error_envelope(answer)).then(|| {
            format!("answered {status} without the error envelope (status 1, statusCode {status})")
        });
    }
    let lenient = !probe.strict && (success(status) || documents(op, dialect, status));
    (!lenient).then(|| {
        let want = if probe.strict {
            "a 4xx"
        } else {
            "a 4xx, or a success that changes nothing"
        };
        format!("answered {status}; want {want}")
    })
}
