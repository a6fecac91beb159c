//! Malformed or unsupported specs give located errors, never a panic.

use fileops_codegen::diag::{Diagnostic, Failure, Severity};

fn schema() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../schema/fileops.yaml"
    ))
    .expect("schema")
}

/// The errors of a spec that must fail validation.
fn errors(text: &str) -> Vec<Diagnostic> {
    match fileops_codegen::check(text) {
        Err(Failure::Invalid(diags)) => diags
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect(),
        Err(Failure::Unreadable(message)) => {
            panic!("expected located problems, got unreadable: {message}")
        }
        Ok(warnings) => panic!("expected errors, got a clean check ({warnings:?})"),
    }
}

fn find<'a>(diags: &'a [Diagnostic], pointer: &str) -> &'a Diagnostic {
    diags
        .iter()
        .find(|d| d.pointer == pointer)
        .unwrap_or_else(|| panic!("no error at {pointer}; got {diags:#?}"))
}

#[test]
fn the_project_schema_checks_clean() {
    let warnings = fileops_codegen::check(&schema()).expect("valid");
    assert!(warnings.is_empty(), "{warnings:#?}");
}

#[test]
fn truncated_yaml_is_located_wherever_it_is_cut() {
    let text = schema();
    for sixteenth in 1..16 {
        let mut cut = text.len() * sixteenth / 16;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        match fileops_codegen::check(&text[..cut]) {
            Err(Failure::Unreadable(message)) => assert!(message.contains("line"), "{message}"),
            Err(Failure::Invalid(diags)) => {
                assert!(
                    diags.iter().any(|d| d.severity == Severity::Error),
                    "cut at {cut}"
                );
            }
            Ok(_) => panic!(
                "a spec cut at {cut} of {} bytes cannot be complete",
                text.len()
            ),
        }
    }
    let broken = format!("{}\n  broken: {{unclosed: [1, 2\n", &text[..200]);
    match fileops_codegen::check(&broken) {
        Err(Failure::Unreadable(message)) => assert!(message.contains("line"), "{message}"),
        other => panic!("unbalanced flow YAML must be unreadable, got {other:?}"),
    }
}

#[test]
fn a_dangling_ref_names_the_node_and_the_target() {
    let text = schema().replacen(
        "destFolderId: {$ref: '#/components/schemas/EntryId'}",
        "destFolderId: {$ref: '#/components/schemas/EntryIdentifier'}",
        1,
    );
    let diags = errors(&text);
    let d = find(
        &diags,
        "/components/schemas/BatchRequest/properties/destFolderId/$ref",
    );
    assert_eq!(
        d.target.as_deref(),
        Some("#/components/schemas/EntryIdentifier")
    );
    assert!(d.to_string().contains("EntryIdentifier"));
}

#[test]
fn a_duplicate_operation_id_points_at_the_second_use() {
    let text = schema().replacen(
        "operationId: createFile\n",
        "operationId: createFolder\n",
        1,
    );
    let diags = errors(&text);
    let d = find(
        &diags,
        "/paths/~1api~12.0~1files~1{folderId}~1file/post/operationId",
    );
    assert!(d.message.contains("createFolder"), "{d}");
    assert!(
        d.message
            .contains("/paths/~1api~12.0~1files~1folder~1{folderId}/post"),
        "{d}"
    );
}

#[test]
fn openapi_3_1_is_refused_with_its_syntax_located() {
    let diags = errors(&schema().replacen("openapi: 3.0.3", "openapi: 3.1.0", 1));
    assert!(find(&diags, "/openapi").message.contains("3.1.0"));

    let text = schema().replacen(
        "processed: {type: string,",
        "processed: {type: [string, 'null'],",
        1,
    );
    let diags = errors(&text);
    find(
        &diags,
        "/components/schemas/FileOperation/properties/processed/type",
    );

    let text = schema().replacen(
        "    ApiDateTime:\n",
        "    ApiDateTime:\n      const: x\n",
        1,
    );
    find(&errors(&text), "/components/schemas/ApiDateTime/const");

    let text = schema().replacen("tags:\n", "webhooks: {}\ntags:\n", 1);
    find(&errors(&text), "/webhooks");
}

#[test]
fn documents_that_are_not_openapi_are_located() {
    find(&errors("hello: world\n"), "/openapi");
    let diags = errors("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: 5\n");
    assert!(
        diags.iter().any(|d| d.pointer.starts_with("/paths")),
        "{diags:#?}"
    );
    match fileops_codegen::check("{\"openapi\": ") {
        Err(Failure::Unreadable(message)) => assert!(message.contains("line 1"), "{message}"),
        other => panic!("truncated JSON is unreadable, got {other:?}"),
    }
}

/// Every dialect word is read into the shared vocabulary: a misspelt one is an error at its
/// place that lists the words allowed, never another rule.
#[test]
fn a_misspelt_dialect_word_lists_the_words_allowed() {
    for (from, to, pointer, allowed) in [
        (
            "      count: one\n",
            "      count: lenght\n",
            "/x-fileops-dialects/docspace/success-envelope/count",
            "one, length, length-omit-zero",
        ),
        (
            "      keys: [response, count, total, links, status, statusCode]",
            "      keys: [response, count, totals, links, status, statusCode]",
            "/x-fileops-dialects/docspace/success-envelope/keys/2",
            "response, count, total, links, status, statusCode, startIndex, nextIndex",
        ),
        (
            "      reported-entries: last-phase\n",
            "      reported-entries: last-phases\n",
            "/x-fileops-dialects/docspace/behaviour/reported-entries",
            "last-phase, all-phases, sources-and-results, sources-results-and-destination",
        ),
    ] {
        let text = schema().replacen(from, to, 1);
        let diags = errors(&text);
        let d = find(&diags, pointer);
        assert!(d.message.contains(&format!("(allowed: {allowed})")), "{d}");
    }
}

#[test]
fn extension_mistakes_are_located() {
    let text = schema().replacen(
        "x-fileops-dialects: [docspace]\n      x-fileops-anonymous-setting: anonymous-operations\n      parameters:\n        - name: operationType",
        "x-fileops-dialects: [docsapce]\n      x-fileops-anonymous-setting: anonymous-operations\n      parameters:\n        - name: operationType",
        1,
    );
    let diags = errors(&text);
    let d = find(
        &diags,
        "/paths/~1api~12.0~1files~1fileops~1{operationType}/get/x-fileops-dialects/0",
    );
    assert!(d.message.contains("docsapce"), "{d}");

    let text = schema().replacen("        Folder: [parentId", "        Foldr: [parentId", 1);
    let diags = errors(&text);
    let d = find(
        &diags,
        "/components/schemas/FileEntry/x-fileops-variant-keys",
    );
    assert!(d.message.contains("Foldr"), "{d}");

    let text = schema().replacen("    nulls: omit\n", "    nulls: sometimes\n", 1);
    let diags = errors(&text);
    assert!(
        diags
            .iter()
            .any(|d| d.pointer.starts_with("/x-fileops-dialects/docspace")),
        "{diags:#?}"
    );

    let text = schema().replacen(
        "x-fileops-enum-unknown: {docspace: None}",
        "x-fileops-enum-unknown: {docspace: Nothing}",
        1,
    );
    find(
        &errors(&text),
        "/components/schemas/FileShare/x-fileops-enum-unknown",
    );

    let text = schema().replacen("x-fileops-flags: true", "x-fileops-flags: 'true'", 1);
    find(
        &errors(&text),
        "/components/schemas/FileStatus/x-fileops-flags",
    );

    let text = schema().replacen(
        "x-fileops-variant-dialects: {Duplicate: [docspace]}",
        "x-fileops-variant-dialects: {Duplicat: [docspace]}",
        1,
    );
    let diags = errors(&text);
    assert!(find(
        &diags,
        "/components/schemas/FileOperationType/x-fileops-variant-dialects"
    )
    .message
    .contains("Duplicat"));

    let text = schema().replacen("    formats: [json]\n", "    formats: [json, xml]\n", 1);
    find(&errors(&text), "/x-fileops-dialects/docspace/xml-suffixes");

    let text = schema().replacen(
        "x-fileops-wire-names: {operation: {docspace: Operation}}",
        "x-fileops-wire-names: {operation: {docspaces: Operation}}",
        1,
    );
    find(
        &errors(&text),
        "/components/schemas/FileOperation/x-fileops-wire-names/operation/docspaces",
    );
}

/// Open facts are checked like the dialect table: a reading must be a valid value of its
/// setting, the dialect's own value must be one reading, and conditions must name known
/// facts and readings; each mistake is located.
#[test]
fn open_fact_mistakes_are_located() {
    let facts = "/x-fileops-open-facts/docspace-list-count";
    let text = schema().replacen(
        "      length: {value: length, says: \"count is the list's length\"}",
        "      length: {value: lengths, says: \"count is the list's length\"}",
        1,
    );
    let diags = errors(&text);
    let d = find(&diags, &format!("{facts}/readings/length/value"));
    assert!(
        d.message.contains("lengths") && d.message.contains("allowed"),
        "{d}"
    );

    let text = schema().replacen(
        "      one: {value: one, says: 'count is 1 whatever the list holds'}",
        "      one: {value: length-omit-zero, says: 'count is 1 whatever the list holds'}",
        1,
    );
    let diags = errors(&text);
    let d = find(&diags, &format!("{facts}/readings"));
    assert!(d.message.contains("exactly one reading"), "{d}");

    let text = schema().replacen(
        "    setting: success-envelope/count\n    readings:\n      one:",
        "    setting: success-envelope/cuont\n    readings:\n      one:",
        1,
    );
    let diags = errors(&text);
    let d = find(&diags, &format!("{facts}/setting"));
    assert!(d.message.contains("cuont"), "{d}");

    let text = schema().replacen(
        "x-fileops-readings: {docspace-duplicate-unknown-file: ['404']}",
        "x-fileops-readings: {docspace-duplicate-unknown-file: ['409']}",
        1,
    );
    let diags = errors(&text);
    assert!(
        diags.iter().any(|d| d
            .pointer
            .ends_with("/x-fileops-readings/docspace-duplicate-unknown-file")
            && d.message.contains("`409` is not a reading")),
        "{diags:#?}"
    );

    let text = schema().replacen(
        "x-fileops-anonymous-setting: anonymous-folder-info",
        "x-fileops-anonymous-setting: anonymous-folders",
        1,
    );
    let diags = errors(&text);
    assert!(
        diags
            .iter()
            .any(|d| d.pointer.ends_with("/x-fileops-anonymous-setting")
                && d.message.contains("anonymous-folder-info")),
        "{diags:#?}"
    );
}
