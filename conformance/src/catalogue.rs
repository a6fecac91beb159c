//! The catalogue: every check as data — id, the rule in one sentence, MUST or SHOULD, the
//! dialects it applies to, the fact it rests on, and the code that checks it.

use std::future::Future;
use std::pin::Pin;

use crate::checks::{
    auth, bad_input, binding, create, delete_routes, downloads, effects, enums, envelope, folders,
    lifecycle, listing, model, operations, reported, routes, transfers, wire,
};
use crate::context::Ctx;
use crate::outcome::{Level, Outcome, Step};

/// The checks that change nothing on the server, the ones a read-only run (`run
/// --read-only`, for a production portal) keeps: they read listings, information and
/// unknown entries, send requests that are refused before anything is queued (no token, a
/// bogus token, another family's route, credentials nobody has), and judge what those
/// answers were. None lists the caller's operations with its token: that takes finished
/// results from the portal's own clients (reference §9, read once; `routes.family-only` is
/// out for that reason: Workspace's `fileops.json` is that list). The wire rules judge
/// whatever answers the run got.
pub const READ_ONLY: &[&str] = &[
    "envelope.success.keys",
    "envelope.error.keys",
    "folders.unknown",
    "auth.unauthorized.status",
    "auth.unauthorized.body",
    "auth.anonymous",
    "auth.cookie",
    "auth.challenge",
    "auth.login-refused",
    "coverage.auth.required",
    "coverage.auth.anonymous",
    "wire.syntax",
    "wire.status",
    "wire.content-type",
    "wire.envelope",
    "wire.types",
    "wire.required",
    "wire.enum-domain",
    "wire.enum-unknown",
    "wire.range",
    "wire.format",
    "wire.escaping",
    "wire.xml",
];

/// Whether a check changes nothing on the server (see [`READ_ONLY`]).
pub fn changes_nothing(id: &str) -> bool {
    READ_ONLY.contains(&id)
}

/// A running check.
pub type Running<'a> = Pin<Box<dyn Future<Output = Outcome> + Send + 'a>>;

/// One check.
pub struct Check {
    /// Stable id (`area.subject.rule`).
    pub id: &'static str,
    /// The rule, in one sentence.
    pub rule: &'static str,
    /// MUST or SHOULD.
    pub level: Level,
    /// Dialects it applies to (empty = all).
    pub dialects: &'static [&'static str],
    /// Where the fact comes from (a section of the reference notes).
    pub source: &'static str,
    /// The check.
    pub run: for<'a> fn(&'a Ctx) -> Running<'a>,
}

/// Runs a check body, turning an early `Err(outcome)` into that outcome.
pub fn run<'a, F, Fut>(ctx: &'a Ctx, body: F) -> Running<'a>
where
    F: FnOnce(&'a Ctx) -> Fut,
    Fut: Future<Output = Step<Outcome>> + Send + 'a,
{
    let future = body(ctx);
    Box::pin(async move { future.await.unwrap_or_else(|outcome| outcome) })
}

macro_rules! check {
    ($id:literal, $level:ident, [$($d:literal),*], $source:literal, $rule:literal, $f:path) => {
        Check {
            id: $id,
            rule: $rule,
            level: Level::$level,
            dialects: &[$($d),*],
            source: $source,
            run: |ctx: &Ctx| run(ctx, $f),
        }
    };
}

/// Every check, in run order.
pub static CATALOGUE: &[Check] = &[
    check!("envelope.success.keys", Must, [], "reference §4a, §4b", "A success answer is the dialect's envelope: its keys only, status 0 and statusCode equal to the HTTP status.", envelope::success_keys),
    check!("envelope.error.keys", Must, [], "reference §4a, §4b, §13.3", "An error answer is the dialect's error envelope: status 1, statusCode equal to the HTTP status and error.message.", envelope::error_keys),
    check!("envelope.operation.key", Must, [], "reference §3a, §3b", "An operation names its kind with the dialect's key (DocSpace `Operation`, Workspace `operation`).", envelope::operation_key),
    check!("folders.listing", Must, [], "reference §13.2, §13.3", "The roots have rootFolderType 5 (My documents) and 3 (Trash); a listing holds direct children, echoes startIndex, counts its page and totals all entries, its pathParts run root to folder; folder and file information describe the entry and its parent.", listing::listing),
    check!("folders.unknown", Must, [], "reference §13.2, §13.3", "An unknown folder or file, listed or described, is refused with the family's missing-entry status in the error envelope; DocSpace refuses an unknown file's history with 403.", listing::unknown),
    check!("folders.trash-preview", Must, [], "reference §13.2, §13.7", "A folder inside Trash cannot be listed (403).", listing::trash_preview),
    check!("create.folder", Must, [], "reference §13.4, §4b", "A new folder has the title asked and the parent named, with the family's POST status; `: * ? < > |` in a title become `_`.", create::folder),
    check!("create.folder.same-title", Must, ["docspace"], "reference §13.4 ([DS-T])", "A second folder with the same title is created as asked.", create::same_title),
    check!("create.untitled", Must, [], "reference §13.4", "A folder without a title is refused with 400.", create::untitled),
    check!("create.refused", Must, ["docspace"], "reference §13.4, §13.5 ([DS-T])", "A title over 165 characters is 400; a folder or file in Trash, and a file in a folder that does not exist, are 403.", create::refused),
    check!("create.file", Must, [], "reference §13.3, §13.5", "A new file's extension is its type's own or `.docx` appended; it has version 1, versionGroup 1, fileType 7, content, and is not new for its creator; on DocSpace its history is that one version.", create::file),
    check!("envelope.xml.parity", Must, ["workspace", "r7"], "reference §4b", "An answer to a `.xml` path is XML that, read schema-guided, equals the JSON answer.", envelope::xml_parity),
    check!("envelope.xml.writes", Must, ["workspace", "r7"], "reference §1b, §4b", "A write route under `.xml`, sent a form body, answers a <result> XML document that reads, schema-guided, as the JSON answer does.", envelope::xml_writes),
    check!("envelope.xml.booleans", Must, ["workspace", "r7"], "reference §4b", "XML booleans are written `true`/`false` (Newtonsoft), never .NET's `True`/`False`.", envelope::xml_booleans),
    check!("envelope.xml.empty-list", Must, ["workspace", "r7"], "reference §4b", "An empty list writes no XML element at all.", envelope::xml_empty_list),
    check!("enums.conflict-resolve.accepts-name-or-number", Must, [], "reference §2c, §5", "conflictResolveType is accepted as a number, a numeric string or a name in any case, with the same effect.", enums::conflict_resolve_duality),
    check!("enums.operation-type.route-accepts-name-or-number", Should, ["docspace"], "reference §5, §12 (open facts)", "The {operationType} route reads a kind by number, and by name in any case or refuses names with 400, as a reading allows; a kind without a queue is 400 or an empty list.", enums::operation_type_route),
    check!("enums.written-as-numbers", Must, [], "reference §5", "Enums in answers are written as numbers.", enums::written_as_numbers),
    check!("binding.name-value", Must, ["workspace", "r7"], "reference §2c", "A form body and the query string are bound as one case-insensitive collection: repeated keys and `name[]` form one list and every value is converted to its field's type.", binding::name_value),
    check!("binding.any-case", Must, [], "reference §2a, §2c", "Request body properties bind in any case (`FILEIDS`, `Immediately`).", binding::any_case),
    check!("binding.other-id-kinds", Must, ["docspace"], "reference §2a", "An id list's values that are neither numbers nor strings are ignored, the others bound.", binding::other_id_kinds),
    check!("binding.query-lists", Must, [], "reference §2b, §2c", "GET fileops/move binds ids sent as `fileIds[]` like repeated `fileIds`.", binding::query_lists),
    check!("routes.family-only", Must, [], "reference §1a, §1b, §4a", "A family answers only its routes: Workspace answers 404 for DocSpace's own operations and JSON under `.json`; DocSpace has no route suffix.", routes::family_only),
    check!("ids.numeric-strings", Must, [], "reference §2a, §2c, §6", "Entry ids are accepted as numbers and as numeric strings.", enums::ids_as_strings),
    check!("dates.format", Must, [], "reference §7", "Dates are written with seven fractional digits and `Z` or an offset.", enums::dates),
    check!("auth.unauthorized.status", Must, [], "reference §8", "A protected operation without a valid token answers 401.", auth::unauthorized_status),
    check!("auth.unauthorized.body", Should, [], "reference §8 (open fact for DocSpace)", "The 401 body is one the family's readings allow (DocSpace empty or the error envelope, Workspace plain text `Unauthorized`).", auth::unauthorized_body),
    check!("auth.anonymous", Should, [], "reference §8 (open fact for DocSpace)", "Listing operations without a token is answered as a reading allows (DocSpace: an empty session, or refused; Workspace: 401).", auth::anonymous),
    check!("auth.isolation", Must, [], "reference §9", "A user never sees another user's operations.", auth::isolation),
    check!("auth.cookie", Must, [], "reference §8", "The token works as the `asc_auth_key` cookie, without an Authorization header.", auth::cookie),
    check!("auth.challenge", Must, ["workspace", "r7"], "reference §8", "A rejected Bearer header gets 401 with a `WWW-Authenticate: Bearer` challenge.", auth::challenge),
    check!("auth.login-refused", Must, [], "reference §13.1 (open facts)", "A login with credentials nobody has is refused in the error envelope with a status a reading allows.", auth::login_refused),
    check!("coverage.auth.required", Must, [], "reference §8, §13.2, §13.3", "Every operation that refuses callers without a valid token (in some reading) answers a request without a token, or with an unknown one, as a reading allows: the dialect's 401 (status, body and content type), or the refusal of an entry the caller cannot see.", crate::checks::coverage::auth_required),
    check!("coverage.auth.anonymous", Should, [], "reference §8 (open facts)", "Every operation the dialect may serve anonymously answers a caller without a token as a reading allows: served with nothing listed (an empty external-share session), or turned away.", crate::checks::coverage::auth_anonymous),
    check!("coverage.auth.bearer", Must, [], "reference §8, §13.1", "No operation refuses `Authorization: Bearer <token>`, and every protected GET answers the raw token and the Bearer form alike: a success, or a server error the family documents there.", crate::checks::coverage::auth_bearer),
    check!("coverage.isolation.mutations", Must, [], "reference §9", "No mutating operation sent with another user's token changes the first user's entries or Trash.", crate::checks::coverage::isolation_mutations),
    check!("coverage.isolation.terminate", Must, [], "reference §9", "Another user's terminate leaves the first user's operation to finish normally and be reported.", crate::checks::coverage::isolation_terminate),
    check!("coverage.bad-input.parameters", Must, [], "reference §2a, §2b, §2c, §4a, §13.6", "Every operation refuses a wrong-typed integer, boolean or enum value with a 4xx in the error envelope, never a 5xx, and an unknown or foreign id changes nothing.", crate::checks::coverage::bad_input_parameters),
    check!("lifecycle.progress", Must, [], "reference §9", "Progress stays within 0..100, never falls, and is 100 when the operation finishes.", lifecycle::progress),
    check!("lifecycle.read-once", Must, [], "reference §9", "A finished operation is reported once, then leaves the listing.", lifecycle::read_once),
    check!("lifecycle.delete-after", Must, [], "reference §2a, §9", "With deleteAfter the finished operation is not reported.", lifecycle::delete_after),
    check!("lifecycle.finished-fields", Must, [], "reference §3a, §3b, §13.7", "A finished one-file delete says its kind, processed \"1\", the family's no-error value (a reading), no url and no entries.", lifecycle::finished_fields),
    check!("lifecycle.terminate", Must, [], "reference §9, §11 ([RUBY]: dropped at once)", "Terminate drops the caller's operations at once (DocSpace; one may come back once, finished, as a reading allows) or signals them to finish (Workspace).", lifecycle::terminate),
    check!("lifecycle.terminate-by-id", Must, ["docspace"], "reference §1a", "Terminating one operation by id leaves the caller's other operation to finish without error.", operations::terminate_by_id),
    check!("lifecycle.answer-kinds", Must, ["docspace"], "reference §1a", "A copy answers with copies only, a delete with deletes only.", operations::answer_kinds),
    check!("lifecycle.list-by-kind", Must, ["docspace"], "reference §1a, §2a", "GET fileops/{operationType} lists only that kind (moves and copies together) and its `id` query only that operation.", operations::list_by_kind),
    check!("lifecycle.single-operation", Must, ["docspace"], "reference §2a", "With returnSingleOperation the answer lists the new operation alone.", operations::single_operation),
    check!("lifecycle.empty-selection", Must, ["docspace"], "reference §2a, §11 ([RUBY])", "An empty selection queues nothing and answers with the caller's operations of that kind already there.", operations::empty_selection),
    check!("effects.move", Must, [], "reference §13.6", "A moved file is in the destination and no longer in the source.", effects::moves),
    check!("effects.copy.skip", Must, [], "reference §13.6", "Copy with Skip leaves a same-titled target unchanged.", effects::copy_skip),
    check!("effects.copy.overwrite", Must, [], "reference §13.6", "Copy with Overwrite gives the target a new version.", effects::copy_overwrite),
    check!("effects.copy.duplicate", Must, [], "reference §13.6", "Copy with Duplicate adds a second file beside the target.", effects::copy_duplicate),
    check!("effects.copy.duplicate-title", Must, [], "reference §13.6 ([DS-T] FileCopyTests for DocSpace; no renaming code in [CS])", "DocSpace names a Duplicate copy `a (1).docx`; Workspace keeps the title.", effects::duplicate_title),
    check!("effects.delete.trash", Must, [], "reference §13.7", "Delete moves the file to the caller's Trash.", effects::delete_to_trash),
    check!("effects.delete.from-trash", Must, [], "reference §13.7", "Deleting an item already in Trash removes it for good, even without immediately.", folders::delete_from_trash),
    check!("effects.merge", Must, [], "reference §13.6", "A same-named folder at the destination is merged into (Skip and Overwrite, move and copy); a moved source goes only once emptied.", folders::merge),
    check!("effects.reported.entries", Must, [], "reference §13.6", "A finished copy lists its result in `files` (also in a mixed request), a skipped file lists neither itself nor the file it clashed with, and nothing but the sources, the destination and the results is listed.", reported::entries),
    check!("effects.reported.per-family", Should, [], "reference §13.6, §13.10 (open facts)", "A finished move or copy lists, for every conflict resolution and a mixed request, exactly what one of the family's readings lists (DocSpace the destination and top-level results, the file phase replacing them or not; Workspace each source before its result, the destination for files or not).", reported::per_family),
    check!("effects.move.into-own-subfolder", Must, [], "reference §13.6", "Moving a folder into its own subfolder is refused (DocSpace up front with 403; Workspace in the operation's error, or up front, an open fact) and moves nothing.", folders::into_own_subfolder),
    check!("effects.move.unknown-destination", Must, [], "reference §13.6", "An unknown destination is refused before queuing (DocSpace 404) or, on Workspace, as a reading allows: a no-op, an operation ending with an error, or a refusal; the file stays.", folders::unknown_destination),
    check!("effects.unknown-sources", Must, [], "reference §13.6 ([DS-T])", "An unknown source file or folder is refused up front (DocSpace 403 and 500) or reported in the finished operation's error (Workspace, a code reading).", transfers::unknown_sources),
    check!("effects.move.overwrite", Must, [], "reference §13.6", "An overwriting move gives the target a new version and removes the source for good, not to Trash.", transfers::overwriting_move),
    check!("effects.move.duplicate", Must, [], "reference §13.6", "A move with Duplicate leaves two files of the same title at the destination.", transfers::duplicating_move),
    check!("effects.copy.duplicate-folder", Must, [], "reference §13.6, §13.8", "A Duplicate copy of a folder onto a same-named one is renamed `F (1)` (DocSpace) or merged (Workspace); DocSpace's duplicate of a folder is `F (1)` with its content.", transfers::duplicate_folder),
    check!("effects.copy.same-parent", Must, [], "reference §13.6 ([DS-T])", "A folder copied into its own parent with Skip changes nothing.", transfers::same_parent),
    check!("effects.delete.unknown", Must, [], "reference §13.7", "A delete of an unknown file or folder is refused (DocSpace 404, live) or reported in the operation's error (Workspace).", transfers::delete_unknown),
    check!("ids.third-party", Must, [], "reference §2a, §2c, §6", "A third-party string id binds as an id (never 400 or 5xx) and matches nothing.", folders::third_party_ids),
    check!("effects.delete.routes", Must, [], "reference §1a (notes), §13.7", "DELETE file/{id} and DELETE folder/{id} start a Delete operation with fileops/delete's flags: a file goes to the caller's Trash, a folder with immediately is removed for good.", delete_routes::routes),
    check!("effects.delete.immediately", Must, [], "reference §13.7", "Delete with immediately removes the file for good, not via Trash.", effects::delete_immediately),
    check!("effects.duplicate", Must, ["docspace"], "reference §13.8", "Duplicate copies a file into its own folder as `name (1).ext`; an unknown file is answered as a reading allows.", effects::duplicate),
    check!("effects.mark-as-read", Should, [], "reference §13.8 (open fact)", "Mark as read leaves the file not new and reports it, or not, as a reading allows.", effects::mark_as_read),
    check!("effects.conflict-check", Must, [], "reference §1a, §1b", "GET fileops/move lists the requested sources that clash at the destination (a file with its own folderId; a same-named folder itself on DocSpace, the clashing files inside it on Workspace), never the entries already there, and moves nothing.", effects::conflict_check),
    check!("effects.checkdestfolder", Must, ["docspace"], "reference §2b", "checkdestfolder answers an unknown destination, and one outside every room, as a reading allows; where it gives a verdict, it lists the requested files it allows, with no name-clash check: readable files are AllAllowed and all listed; an unknown id beside a readable file gives PartAllowed.", effects::check_dest_folder),
    check!("effects.delete-versions", Must, ["docspace"], "reference §13.8", "Deleting the current version is refused with 403; deleting an old one keeps the current version.", effects::delete_versions),
    check!("effects.empty-trash", Must, [], "reference §13.7", "Empty trash removes what the caller's Trash holds; with an empty Trash it queues an operation or not, as a reading allows.", effects::empty_trash),
    check!("effects.download.one-at-a-time", Must, [], "reference §9, §13.8", "A second bulk download while the caller's first is unfinished is refused with 403.", downloads::concurrent),
    check!("effects.download.url", Must, [], "reference §13.8", "A finished download has a url that serves the content.", effects::download),
    check!("effects.download.handler", Must, [], "reference §13.8", "A finished download's url names the family's handler (DocSpace `/filehandler.ashx`, Workspace `/Products/Files/HttpHandlers/filehandler.ashx`) with `action=bulk` and a file name.", effects::download_handler),
    check!("effects.download.entries", Must, [], "reference §3a, §13.8", "A finished download lists no files or folders.", transfers::download_entries),
    check!("effects.download.names", Must, ["docspace"], "reference §13.8", "A download of one file serves that file, of one folder `<title>.zip`; a download of nothing the portal has is 404.", transfers::download_names),
    check!("model.random-sequences", Must, [], "reference §5, §9, §13.6, §13.7", "Random sequences of two users' creates, moves, copies and deletes of files and nested folders (merges, Trash, enums in random encodings, the second user acting on the first user's entries) leave both users' trees as a model of the rules predicts.", model::random_sequences),
    check!("bad-input.malformed-json", Must, [], "reference §2c, §4a", "Malformed JSON gets a 4xx with the error envelope, never a 5xx; where only JSON is bound, a form body gets 415 in a form a reading allows.", bad_input::malformed_json),
    check!("bad-input.changes-nothing", Must, [], "reference §2c, §4a", "Refused input changes nothing.", bad_input::changes_nothing),
    check!("bad-input.unknown-enum", Should, [], "reference §2c, §4a (code reading)", "An unknown enum value gets a 400 with the error envelope.", bad_input::unknown_enum),
    // Last: every answer of the run, judged against the dialect's projection.
    check!("wire.syntax", Must, [], "reference §4a, §4b", "Every answer body is well-formed JSON or XML (UTF-8).", wire::syntax),
    check!("wire.status", Must, [], "reference §1a, §1b, §4a, §4b, §8, §13", "Every answer's status is one the family documents for the operation.", wire::status),
    check!("wire.content-type", Must, [], "reference §4a, §4b, §8", "Every answer has a documented media type, and no body where the family sends none (DocSpace's 401).", wire::content_type),
    check!("wire.envelope", Must, [], "reference §4a, §4b, §10.5", "Every answer is the family's envelope: its keys, statusCode equal to the HTTP status, status 0 or 1, count by the family's rule.", wire::envelope),
    check!("wire.types", Must, [], "reference §3a, §3b, §3c, §5, §6", "Every value has the JSON type the family writes (progress a number, processed a string, finished a boolean, internal ids numbers).", wire::types),
    check!("wire.required", Must, [], "reference §3a, §3b, §13.2", "Every key the family always writes is there.", wire::required),
    check!("wire.enum-domain", Must, [], "reference §5", "Every enum value is one of this family's (Workspace has no operation 7).", wire::enum_domain),
    check!("wire.enum-unknown", Should, [], "reference §5, §10.3", "No enum value is one no family knows (a newer server may add values).", wire::enum_unknown),
    check!("wire.range", Must, [], "reference §3a, §9", "Every number is within its bounds (progress 0..100).", wire::range),
    check!("wire.format", Must, [], "reference §6, §7", "Every date has seven fractional digits and Z or an offset; operation ids are GUIDs; string ids are third-party ids.", wire::format),
    check!("wire.escaping", Must, ["workspace", "r7"], "reference §4b", "Workspace JSON writes every `/` as `\\/`.", wire::escaping),
    check!("wire.xml", Must, ["workspace", "r7"], "reference §4b", "XML is Newtonsoft's conversion: root <result>, booleans true/false, empty lists absent.", wire::xml),
];
