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
use fileops_api::runtime::open_fact;
use fileops_api::runtime::operation::OperationInfo;
use fileops_api::runtime::{AnonymousAnswer, Dialect, OpenFact, Shape, Word};
use serde_json::{json, Value};
use std::collections::BTreeSet;

use super::fixture::{self as batches, Batch};
use super::UNKNOWN_ID;
use crate::context::{Ctx, RawAnswer};
use crate::outcome::{Outcome, Step};
use crate::profile;
use observe::{
    bait_trash, changes, documents, error_envelope, fixture, follow, foreign_fixture, key, listed,
    refusal, remove, remove_created, send, settle, snapshot, success, trash_is_empty,
    unauthorized_answer, Findings, Fixture,
};
use request::{build, holds_one_id, names_entries, slots, wrong, Entries, Fill, Place, Replace};

/// A GUID-like operation id no server has (operation ids are GUIDs, reference §6).
const NO_OPERATION: &str = "00000000-0000-4000-8000-000000000000";

/// The catalogue's operations the dialect serves.
fn operations(dialect: &'static Dialect) -> impl Iterator<Item = &'static OperationInfo> {
    CATALOGUE
        .iter()
        .filter(move |op| dialect.is_in(op.dialects))
}

/// Whether the dialect serves `op` to a caller without a token (in the readings it shows).
fn anonymous(op: &OperationInfo, dialect: &Dialect) -> bool {
    op.anonymous_answer(dialect) == AnonymousAnswer::Served
}

/// The open facts that decide what `op` answers a caller without a valid token: its own
/// anonymous setting's and the dialect's 401 (reference §8, §13.2, §13.3).
fn anonymous_facts(op: &OperationInfo) -> Vec<&'static OpenFact> {
    let own = op
        .anonymous_setting
        .map(|s| format!("behaviour/{}", s.word()));
    let mut keys = vec!["unauthorized"];
    keys.extend(own.as_deref());
    profile::setting(&keys)
}

/// What `op` answers a caller without a valid token in each reading the dialect allows.
fn anonymous_answers(op: &OperationInfo, dialect: &Dialect) -> Vec<AnonymousAnswer> {
    open_fact::spread(dialect, &anonymous_facts(op), |d| op.anonymous_answer(d))
}

/// What is wrong with `answer` to a caller without a valid token, judged by dialect `d`
/// (one reading): the dialect's 401, a refusal as for an entry the caller cannot see, or,
/// where it serves such callers, anything but a 401 and nothing listed.
fn turned_away(op: &OperationInfo, d: &Dialect, answer: &RawAnswer) -> Option<String> {
    let status = answer.status;
    let refused_with = |want: u16| {
        (status != want || !error_envelope(answer))
            .then(|| format!("answered {status}, not {want} in the error envelope"))
    };
    match op.anonymous_answer(d) {
        AnonymousAnswer::Served if unauthorized_answer(d, answer) => {
            Some("refused without a token, though the dialect serves it anonymously".into())
        }
        // A listing serves an empty session: a success listing nothing. Anything else may
        // refuse what the request names (a download of entries the session cannot see).
        AnonymousAnswer::Served if lists_somewhere(op, d) => (!success(status)
            || !listed(&answer.json()).is_some_and(Vec::is_empty))
        .then(|| {
            format!("answered {status}; an anonymous caller's list is a success listing nothing")
        }),
        AnonymousAnswer::Served => None,
        AnonymousAnswer::Unauthorized => not_refused(d, answer),
        AnonymousAnswer::AccessDenied => refused_with(403),
        AnonymousAnswer::NotFound => refused_with(d.behaviour.missing_entry_status),
    }
}

/// Judges `answer` to a caller without a valid token by every reading; records what it
/// showed and returns the problem (by the dialect's own reading) when no reading allows it.
pub(crate) fn judge_anonymous(
    ctx: &Ctx,
    op: &OperationInfo,
    who: &str,
    answer: &RawAnswer,
) -> Option<String> {
    let dialect = ctx.target.dialect;
    let what = format!("{} {who}: {}", op.id, answer.status);
    let fits = ctx.fits(&anonymous_facts(op), &what, |d| {
        turned_away(op, d, answer).is_none()
    });
    (!fits).then(|| {
        let allowed: Vec<&str> = anonymous_answers(op, dialect)
            .into_iter()
            .map(|a| a.word())
            .collect();
        let own = turned_away(op, dialect, answer).unwrap_or_default();
        format!("{who}: {own} (the readings allow: {})", allowed.join(", "))
    })
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

/// `coverage.auth.required`: every operation that refuses callers without a valid token
/// (in some reading of the open facts), without `Authorization` and with an unknown token,
/// gets what a reading allows: the dialect's 401 (its status, its body, DocSpace none or the
/// error envelope, Workspace `Unauthorized`, and one of its content types), or where the
/// dialect serves such callers, the refusal of an entry they cannot see (reference §8,
/// §13.2, §13.3).
pub async fn auth_required(ctx: &Ctx) -> Step<Outcome> {
    let dialect = ctx.target.dialect;
    let mut found = Findings::default();
    let refused_somewhere = |op: &&'static OperationInfo| {
        anonymous_answers(op, dialect)
            .iter()
            .any(|a| *a != AnonymousAnswer::Served)
    };
    for op in operations(dialect).filter(refused_somewhere) {
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
            if let Some(problem) = judge_anonymous(ctx, op, who, &answer) {
                found.add(op.id, problem, &[&answer]);
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
    if rule.envelope {
        return (!error_envelope(answer))
            .then(|| format!("the {} body is not the error envelope", rule.status));
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

/// `coverage.auth.anonymous`: every operation the dialect serves anonymously (in some
/// reading of the open facts) answers a caller without a token as a reading allows: served,
/// with nothing listed (an anonymous caller is an empty external-share session), or turned
/// away as another reading says (reference §8, §9). Operations that would need entry ids
/// are skipped.
pub async fn auth_anonymous(ctx: &Ctx) -> Step<Outcome> {
    let dialect = ctx.target.dialect;
    let mut found = Findings::default();
    let served_somewhere = |op: &&'static OperationInfo| {
        anonymous_answers(op, dialect).contains(&AnonymousAnswer::Served)
    };
    for op in operations(dialect).filter(served_somewhere) {
        let Some(built) = build(op, dialect, &fill(None), None) else {
            continue;
        };
        found.tried += 1;
        let answer = send(ctx, &built, None).await?;
        if let Some(problem) = judge_anonymous(ctx, op, "without a token", &answer) {
            found.add(op.id, problem, &[&answer]);
        }
    }
    Ok(found
        .outcome("an anonymous operation must serve a caller without a token, with nothing listed"))
}

/// Whether the operation's success is a list in the dialect.
fn lists_somewhere(op: &OperationInfo, dialect: &Dialect) -> bool {
    op.responses.iter().any(|r| {
        r.status.is_some_and(success)
            && dialect.is_in(r.dialects)
            && matches!(r.payload, Some(Shape::Array(_)))
    })
}

/// `coverage.auth.bearer`: no operation refuses `Authorization: Bearer <token>` with the
/// dialect's 401, and every protected GET answers the raw token and the Bearer form alike,
/// neither refused (both families accept both, reference §8, §13.1). GETs read fresh entries;
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
            // Both forms are the same credential: the same answer (a success, or what a
            // reading of the notes answers there, such as checkdestfolder's 500 outside rooms).
            let raw = send(ctx, &built, Some(token)).await?;
            let served =
                success(raw.status) || (raw.status >= 500 && documents(op, dialect, raw.status));
            if raw.status != answer.status || !served {
                let problem = format!(
                    "answered {} to the raw token and {} to the Bearer form; both must be let in alike",
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
/// finished and without an error, and the second user's answer never lists it (§9). The
/// delete grows until it is seen running.
pub async fn isolation_terminate(ctx: &Ctx) -> Step<Outcome> {
    let Some(token2) = ctx.target.token2.as_deref() else {
        return Ok(Outcome::skip("needs a second user's token (--token2)"));
    };
    let dialect = ctx.target.dialect;
    // The delete must still run when the second user's terminate comes ([`batches`]).
    let Some(run) = batches::running(ctx, "coverage-terminate", Batch::Delete).await? else {
        return Ok(batches::too_fast("another user's terminate"));
    };
    let started = run.id;
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
    /// Whether the value is an id nobody has (or another user's): upstream may answer such
    /// ids with a 5xx it documents (a null entry dereferenced, reference §13.6, §13.8).
    id: bool,
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
        let mut push = |value: Value, strict: bool, id: bool| {
            let replace = Replace { slot, value };
            probes.push(Probe {
                replace,
                name,
                strict,
                id,
            });
        };
        if let Some(value) = wrong(shape, dialect) {
            push(value, slot.place() != Place::Query, false);
        }
        if holds_one_id(name, shape) {
            let strict = refuses_unknown_ids(op, dialect);
            push(json!(UNKNOWN_ID), strict, true);
            if let Some(foreign) = foreign {
                push(json!(foreign.named(name)), strict, true);
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
        let unknown = probe.id && probe.replace.value == json!(UNKNOWN_ID);
        if unknown && op.method == "GET" && probe.replace.slot.place() == Place::Path {
            // An unknown entry read by its address: the family's missing-entry status, open
            // for Workspace (reference §13.2, §13.3, §13.10).
            let facts = profile::setting(&["behaviour/missing-entry-status"]);
            let status = answer.status;
            let what = format!("{} for an unknown id: {status}", op.id);
            if refusal(status) {
                ctx.fits(&facts, &what, |d| {
                    d.behaviour.missing_entry_status == status
                });
            }
        }
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
    let documented_failure = probe.id && status >= 500 && documents(op, dialect, status);
    let lenient = documented_failure
        || (!probe.strict && (success(status) || documents(op, dialect, status)));
    (!lenient).then(|| {
        let want = if probe.strict {
            "a 4xx"
        } else {
            "a 4xx, or a success that changes nothing"
        };
        format!("answered {status}; want {want}")
    })
}
