//! Proof that the suite catches faults: each deliberately broken variant of the reference is
//! caught by at least the check named here, and the report says which.

use fileops_api::dialects::{DOCSPACE, WORKSPACE};
use fileops_conformance::context::Target;
use fileops_conformance::embedded;
use fileops_conformance::runner::{self, Selection};
use fileops_reference::faults::{Faults, ALL};
use fileops_reference::{Config, Reference};
use std::time::Duration;

mod support;

/// The check that must catch each fault, and the dialect it is shown in.
const EXPECTED: &[(&str, &str, &str)] = &[
    (
        "enum-names-rejected",
        "docspace",
        "enums.conflict-resolve.accepts-name-or-number",
    ),
    ("enums-as-names", "docspace", "enums.written-as-numbers"),
    ("wrong-key-case", "docspace", "envelope.success.keys"),
    (
        "xml-booleans-capitalized",
        "workspace",
        "envelope.xml.booleans",
    ),
    (
        "empty-list-as-element",
        "workspace",
        "envelope.xml.empty-list",
    ),
    ("status-code-always-200", "workspace", "envelope.error.keys"),
    ("no-auth", "workspace", "auth.unauthorized.status"),
    ("shared-operations", "docspace", "auth.isolation"),
    ("read-once-broken", "workspace", "lifecycle.read-once"),
    ("skip-overwrites", "docspace", "effects.copy.skip"),
    (
        "overwrite-without-version",
        "workspace",
        "effects.copy.overwrite",
    ),
    ("delete-bypasses-trash", "docspace", "effects.delete.trash"),
    (
        "malformed-json-500",
        "workspace",
        "bad-input.malformed-json",
    ),
    ("progress-as-string", "docspace", "wire.types"),
    ("progress-over-100", "workspace", "wire.range"),
    ("finished-as-string", "docspace", "wire.types"),
    ("processed-as-number", "workspace", "wire.types"),
    ("ids-as-strings", "docspace", "wire.format"),
    ("status-as-string", "workspace", "wire.types"),
    ("foreign-operation-kind", "workspace", "wire.enum-domain"),
    ("dates-without-fraction", "docspace", "wire.format"),
    ("slash-unescaped", "workspace", "wire.escaping"),
    // Unreadable listings fail the checks that asked and wire.types; the work folder is
    // still set up from the raw answer, so the run is not aborted.
    ("dates-as-objects", "docspace", "wire.types"),
    ("count-off-by-one", "workspace", "wire.envelope"),
    ("links-missing", "docspace", "wire.envelope"),
    ("error-status-0", "workspace", "wire.enum-domain"),
    ("error-message-missing", "docspace", "wire.required"),
    ("nulls-omitted", "workspace", "wire.required"),
    ("nulls-written", "docspace", "wire.types"),
    ("processed-negative", "workspace", "wire.format"),
    ("operation-id-not-guid", "docspace", "wire.format"),
    ("folder-type-foreign", "workspace", "wire.enum-domain"),
    ("access-foreign", "r7", "wire.enum-domain"),
    ("date-zone-missing", "workspace", "wire.format"),
    ("version-as-string", "docspace", "wire.types"),
    ("json-as-text-plain", "docspace", "wire.content-type"),
    ("unauthorized-with-body", "docspace", "wire.content-type"),
    ("xml-root-renamed", "workspace", "wire.xml"),
    ("xml-writes-json", "r7", "envelope.xml.writes"),
    ("xml-labelled-json", "r7", "wire.syntax"),
    ("kind-filter-ignored", "docspace", "lifecycle.list-by-kind"),
    ("id-filter-ignored", "docspace", "lifecycle.list-by-kind"),
    (
        "terminate-by-id-all",
        "docspace",
        "lifecycle.terminate-by-id",
    ),
    (
        "docspace-routes-on-workspace",
        "workspace",
        "routes.family-only",
    ),
    ("json-suffix-refused", "workspace", "routes.family-only"),
    ("docspace-json-suffix", "docspace", "routes.family-only"),
    ("keys-case-sensitive", "docspace", "binding.any-case"),
    (
        "other-id-kinds-refused",
        "docspace",
        "binding.other-id-kinds",
    ),
    (
        "single-operation-ignored",
        "docspace",
        "lifecycle.single-operation",
    ),
    ("query-brackets-ignored", "docspace", "binding.query-lists"),
    (
        "url-on-every-operation",
        "docspace",
        "lifecycle.finished-fields",
    ),
    ("cookie-refused", "docspace", "auth.cookie"),
    ("challenge-missing", "workspace", "auth.challenge"),
    ("login-refusal-bare", "docspace", "auth.login-refused"),
    ("paging-ignored", "docspace", "folders.listing"),
    ("trash-root-type", "docspace", "folders.listing"),
    ("listing-deep", "docspace", "folders.listing"),
    ("path-parts-reversed", "docspace", "folders.listing"),
    ("info-wrong-parent", "docspace", "folders.listing"),
    ("unknown-entry-500", "docspace", "folders.unknown"),
    ("history-unknown-404", "docspace", "folders.unknown"),
    ("history-empty", "docspace", "create.file"),
    ("post-status-200", "workspace", "create.folder"),
    ("untitled-folder-accepted", "docspace", "create.untitled"),
    ("new-file-version-0", "docspace", "create.file"),
    ("trash-total-stale", "docspace", "effects.empty-trash"),
    (
        "download-lists-entries",
        "docspace",
        "effects.download.entries",
    ),
    ("xml-for-json-requests", "workspace", "envelope.xml.writes"),
    ("bearer-refused", "docspace", "coverage.auth.bearer"),
    (
        "empty-trash-anonymous",
        "workspace",
        "coverage.auth.required",
    ),
    (
        "mutations-as-first-user",
        "docspace",
        "coverage.isolation.mutations",
    ),
    ("third-party-ids-rejected", "docspace", "ids.third-party"),
    (
        "bad-bool-accepted",
        "workspace",
        "bad-input.changes-nothing",
    ),
    ("unknown-enum-500", "docspace", "bad-input.changes-nothing"),
    (
        "subfolder-move-allowed",
        "docspace",
        "effects.move.into-own-subfolder",
    ),
    (
        "unknown-destination-accepted",
        "docspace",
        "effects.move.unknown-destination",
    ),
    (
        "trash-delete-not-permanent",
        "workspace",
        "effects.delete.from-trash",
    ),
    ("empty-trash-noop", "docspace", "effects.empty-trash"),
    (
        "current-version-deletable",
        "docspace",
        "effects.delete-versions",
    ),
    (
        "duplicate-keeps-title",
        "docspace",
        "effects.copy.duplicate-title",
    ),
    (
        "duplicate-renamed",
        "workspace",
        "effects.copy.duplicate-title",
    ),
    ("delete-after-ignored", "docspace", "lifecycle.delete-after"),
    (
        "terminate-others",
        "docspace",
        "coverage.isolation.terminate",
    ),
    ("terminate-flipped", "workspace", "lifecycle.terminate"),
    ("download-url-broken", "workspace", "effects.download.url"),
    (
        "downloads-concurrent",
        "workspace",
        "effects.download.one-at-a-time",
    ),
    (
        "copy-reports-source",
        "docspace",
        "effects.reported.entries",
    ),
    ("skip-reported", "workspace", "effects.reported.entries"),
    ("forms-refused", "workspace", "binding.name-value"),
    (
        "delete-routes-ignore-flags",
        "workspace",
        "effects.delete.routes",
    ),
    (
        "download-handler-foreign",
        "docspace",
        "effects.download.handler",
    ),
    (
        "version-deletion-noop",
        "docspace",
        "effects.delete-versions",
    ),
    ("answers-every-kind", "docspace", "lifecycle.answer-kinds"),
    (
        "empty-selection-queues",
        "docspace",
        "lifecycle.empty-selection",
    ),
    ("checkdest-dedup", "docspace", "effects.checkdestfolder"),
    (
        "trash-preview-allowed",
        "workspace",
        "folders.trash-preview",
    ),
    (
        "folder-titles-deduplicated",
        "docspace",
        "create.folder.same-title",
    ),
    ("titles-unsanitized", "workspace", "create.folder"),
    ("create-anywhere", "docspace", "create.refused"),
    ("extension-kept", "workspace", "create.file"),
    ("unknown-source-404", "docspace", "effects.unknown-sources"),
    ("move-new-id", "docspace", "effects.move"),
    ("overwrite-new-id", "workspace", "effects.copy.overwrite"),
    (
        "overwrite-move-to-trash",
        "docspace",
        "effects.move.overwrite",
    ),
    (
        "duplicate-move-renames",
        "workspace",
        "effects.move.duplicate",
    ),
    (
        "duplicate-folder-merges",
        "docspace",
        "effects.copy.duplicate-folder",
    ),
    ("same-parent-copies", "docspace", "effects.copy.same-parent"),
    (
        "delete-unknown-accepted",
        "docspace",
        "effects.delete.unknown",
    ),
    (
        "duplicate-folder-empty",
        "docspace",
        "effects.copy.duplicate-folder",
    ),
    ("copy-empties", "docspace", "model.random-sequences"),
    (
        "single-download-zipped",
        "docspace",
        "effects.download.names",
    ),
    (
        "download-nothing-accepted",
        "docspace",
        "effects.download.names",
    ),
    (
        "versions-in-trash-deletable",
        "docspace",
        "effects.delete-versions",
    ),
];

/// Faults shown in a reading other than the family's default: where the default reading
/// hides what the fault breaks (DocSpace's checkdestfolder answers 500 outside a room, so
/// its verdict is seen only in the reading that gives one).
const READINGS: &[(&str, &str, &str)] = &[(
    "checkdest-dedup",
    "docspace-checkdest-outside-rooms",
    "verdict",
)];

async fn failures(
    dialect: &'static fileops_api::runtime::Dialect,
    fault: &str,
    faults: Faults,
) -> Vec<&'static str> {
    let mut config = Config::demo(dialect);
    config.faults = faults;
    for (_, fact, reading) in READINGS.iter().filter(|(f, _, _)| *f == fault) {
        config = config.reading(fact, reading).expect("a known reading");
    }
    match support::check_reference(config, dialect, Duration::from_secs(3)).await {
        Ok(run) => run
            .results
            .iter()
            .filter(|r| r.state() == "fail")
            .map(|r| r.id)
            .collect(),
        Err(e) => vec![Box::leak(e.0.into_boxed_str())],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_broken_variant_is_caught() {
    assert_eq!(
        EXPECTED.len(),
        ALL.len(),
        "every fault has an expected check"
    );
    let mut rows = Vec::new();
    let mut missed = Vec::new();
    // A few suites at a time: each runs against its own broken server.
    for chunk in ALL.chunks(4) {
        let mut runs = tokio::task::JoinSet::new();
        for (i, fault) in chunk.iter().enumerate() {
            let (_, dialect, _) = EXPECTED
                .iter()
                .find(|(n, _, _)| *n == fault.name)
                .unwrap_or_else(|| panic!("no expectation for {}", fault.name));
            assert!(
                fault.dialects.contains(dialect),
                "{} is shown in {dialect}, which it does not apply to",
                fault.name
            );
            let dialect = fileops_api::dialects::by_name(dialect).expect("a dialect");
            let mut faults = Faults::default();
            (fault.set)(&mut faults);
            let name = fault.name;
            runs.spawn(async move { (i, failures(dialect, name, faults).await) });
        }
        let mut done = runs.join_all().await;
        done.sort_by_key(|(i, _)| *i);
        for (i, failed) in done {
            let fault = &chunk[i];
            let (_, dialect, check) = EXPECTED
                .iter()
                .find(|(n, _, _)| *n == fault.name)
                .expect("checked above");
            record(fault.name, dialect, check, &failed, &mut rows, &mut missed);
        }
    }
    println!(
        "{:<28} {:<10} {:<48} MUST checks failed",
        "fault", "dialect", "caught by"
    );
    for row in &rows {
        println!("{row}");
    }
    println!(
        "score: {} caught / {} planted",
        ALL.len() - missed.len(),
        ALL.len()
    );
    println!("{}", facts_proven());
    assert!(missed.is_empty(), "missed faults:\n{}", missed.join("\n"));
}

/// How many of the register's checked facts a caught fault proves: facts one of whose
/// checks is the check that catches some planted fault.
fn facts_proven() -> String {
    let proving: std::collections::BTreeSet<&str> = EXPECTED.iter().map(|(_, _, c)| *c).collect();
    let facts = fileops_conformance::facts::register().expect("the facts register reads");
    let checked: Vec<_> = facts.iter().filter(|f| !f.checks.is_empty()).collect();
    let proven = checked
        .iter()
        .filter(|f| f.checks.iter().any(|c| proving.contains(c.as_str())))
        .count();
    format!(
        "facts: {proven} of {} checked facts proven by a planted fault ({} facts in the register)",
        checked.len(),
        facts.len()
    )
}

fn record(
    name: &str,
    dialect: &str,
    check: &str,
    failed: &[&str],
    rows: &mut Vec<String>,
    missed: &mut Vec<String>,
) {
    {
        if !failed.contains(&check) {
            missed.push(format!(
                "{name} ({dialect}): {check} did not fail; failed: {failed:?}"
            ));
        }
        rows.push(format!(
            "{name:<28} {dialect:<10} {check:<48} {}",
            failed.len()
        ));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_model_check_shrinks_a_behavioural_fault_to_a_minimal_sequence() {
    for fault in ALL.iter().filter(|f| {
        [
            "skip-overwrites",
            "delete-bypasses-trash",
            "overwrite-without-version",
        ]
        .contains(&f.name)
    }) {
        let (name, set) = (&fault.name, fault.set);
        let mut faults = Faults::default();
        set(&mut faults);
        let mut config = Config::demo(&DOCSPACE);
        config.faults = faults;
        let server = embedded::serve(Reference::new(config))
            .await
            .expect("serves");
        let target = Target::builder(server.base_url, &DOCSPACE)
            .token(server.token)
            .timeout(Duration::from_secs(3))
            .seed(7)
            .cases(64)
            .build()
            .expect("target");
        let selection = Selection {
            include: vec!["model.*".into()],
            xml: true,
            json: true,
            ..Selection::default()
        };
        let results = runner::run(target, &selection, |_| {})
            .await
            .expect("runs")
            .results;
        let outcome = &results[0].outcome;
        println!("{name}: {outcome:?}");
        if *name == "skip-overwrites" {
            match outcome {
                fileops_conformance::outcome::Outcome::Fail { message, .. } => {
                    assert!(
                        message.starts_with("seed 7: minimal failing sequence"),
                        "{message}"
                    );
                    assert!(
                        message.contains("Skip"),
                        "the shrunk case names the cause: {message}"
                    );
                }
                other => panic!("skip-overwrites must be caught by the model check: {other:?}"),
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_faithful_reference_fails_nothing() {
    for dialect in [&DOCSPACE, &WORKSPACE] {
        assert!(
            failures(dialect, "", Faults::default()).await.is_empty(),
            "{}",
            dialect.name
        );
    }
}
