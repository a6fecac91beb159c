//! The judge against the fixture projection `tests/fixtures/judge/projected.yaml`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::*;

const FIXTURE: &str = include_str!("../../tests/fixtures/judge/projected.yaml");
const LIST: &str = "getOperationStatuses";
const JSON: Option<&str> = Some("application/json; charset=UTF-8");
const XML: Option<&str> = Some("text/xml; charset=UTF-8");

fn document() -> Value {
    serde_yaml::from_str(FIXTURE).expect("the fixture is YAML")
}

/// Workspace-like rules: `\/`, `count` left out when 0.
fn workspace() -> WireRules {
    WireRules {
        escape_slash: true,
        counts: vec![Counting::list(CountRule::LengthOmitZero)],
        status_code_key: true,
    }
}

fn rules(count: CountRule) -> WireRules {
    WireRules {
        escape_slash: false,
        counts: vec![Counting::list(count)],
        status_code_key: true,
    }
}

fn known() -> BTreeMap<String, BTreeSet<i64>> {
    BTreeMap::from([("FileOperationType".to_owned(), BTreeSet::from([7]))])
}

fn judge_with(rules: WireRules) -> Judge {
    Judge::new(&document(), rules)
        .expect("the fixture compiles")
        .with_known_values(known())
}

fn operation() -> Value {
    json!({
        "id": "9d6e0c8e-1f3c-4b1a-9c55-0a4f5e6d7c8b",
        "operation": 1,
        "progress": 100,
        "error": "",
        "processed": "1",
        "finished": true,
        "url": "http://portal.example/files/a.zip",
        "created": "2026-11-22T10:15:30.1234567+03:00",
        "files": [{"id": 5, "title": "a/b.docx", "parentId": null}],
        "fileIds": [5, "sbox-1"]
    })
}

fn envelope(response: Vec<Value>) -> Value {
    let mut env =
        json!({"count": response.len(), "status": 0, "statusCode": 200, "response": response});
    if response_is_empty(&env) {
        env.as_object_mut().map(|m| m.remove("count"));
    }
    env
}

fn response_is_empty(env: &Value) -> bool {
    env["response"].as_array().is_some_and(Vec::is_empty)
}

/// JSON text with every `/` written `\/`, the way Workspace writes it.
fn escaped(value: &Value) -> String {
    value.to_string().replace('/', "\\/")
}

fn answer<'a>(status: u16, content_type: Option<&'a str>, body: &'a str) -> Answer<'a> {
    Answer {
        operation: LIST,
        status,
        content_type,
        body: body.as_bytes(),
    }
}

/// Judges an envelope of one operation changed by `change`, as Workspace JSON.
fn judge_changed(change: impl FnOnce(&mut Value)) -> Vec<Violation> {
    let mut op = operation();
    change(&mut op);
    let body = escaped(&envelope(vec![op]));
    judge_with(workspace()).judge(&answer(200, JSON, &body))
}

/// Asserts exactly one violation, of `rule` at `pointer`, and returns it.
#[track_caller]
fn only(found: &[Violation], rule: Rule, pointer: &str) -> Violation {
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].rule, rule, "{found:#?}");
    assert_eq!(found[0].pointer, pointer, "{found:#?}");
    found[0].clone()
}

// --- faithful answers ---------------------------------------------------------------------

#[test]
fn a_faithful_json_answer_has_no_violations() {
    let body = escaped(&envelope(vec![operation(), operation()]));
    assert_eq!(
        judge_with(workspace()).judge(&answer(200, JSON, &body)),
        vec![]
    );
}

#[test]
fn a_faithful_error_envelope_has_no_violations() {
    let body = json!({"status": 1, "statusCode": 400, "error": {"message": "bad", "type": null, "hresult": 0}});
    let found = judge_with(workspace()).judge(&answer(400, JSON, &escaped(&body)));
    assert_eq!(found, vec![]);
}

#[test]
fn extra_unknown_keys_are_no_violation() {
    let found = judge_changed(|op| {
        op["somethingNew"] = json!({"deep": [1, 2]});
        op["status"] = json!(2);
    });
    assert_eq!(found, vec![]);
}

#[test]
fn wire_rules_come_from_the_dialects_in_every_reading() {
    let docspace = WireRules::from(&fileops_api::dialects::DOCSPACE);
    assert!(!docspace.escape_slash && docspace.status_code_key);
    // The list count is open (reference §4a, §12); an object is 1.
    assert_eq!(
        docspace.counts,
        vec![
            Counting::list(CountRule::One),
            Counting::list(CountRule::Length)
        ]
    );
    let workspace_rules = WireRules::from(&fileops_api::dialects::WORKSPACE);
    assert!(workspace_rules.escape_slash);
    // Zero left out or written (§13.10), times the three object rules (§13.2).
    assert_eq!(
        workspace_rules.counts.len(),
        6,
        "{:?}",
        workspace_rules.counts
    );
    assert_eq!(
        workspace_rules.counts[0],
        Counting {
            list: CountRule::LengthOmitZero,
            object: ObjectCount::OwnCount
        }
    );
}

#[test]
fn the_judge_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Judge>();
}

#[test]
fn every_rule_has_a_distinct_id() {
    let ids: BTreeSet<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
    assert_eq!(ids.len(), Rule::ALL.len());
    assert!(ids.iter().all(|id| id.starts_with("wire.")));
}

// --- types, ranges, formats, required -------------------------------------------------------

#[test]
fn progress_as_a_string_is_a_type_error() {
    let found = judge_changed(|op| op["progress"] = json!("50"));
    only(&found, Rule::Types, "/response/0/progress");
}

#[test]
fn progress_over_100_is_a_range_error() {
    let found = judge_changed(|op| op["progress"] = json!(101));
    only(&found, Rule::Range, "/response/0/progress");
}

#[test]
fn finished_as_a_string_is_a_type_error() {
    let found = judge_changed(|op| op["finished"] = json!("true"));
    only(&found, Rule::Types, "/response/0/finished");
}

#[test]
fn processed_as_a_number_is_a_type_error() {
    let found = judge_changed(|op| op["processed"] = json!(1));
    only(&found, Rule::Types, "/response/0/processed");
}

#[test]
fn a_missing_required_key_is_reported_at_the_key() {
    let found = judge_changed(|op| {
        op.as_object_mut().map(|m| m.remove("id"));
    });
    only(&found, Rule::Required, "/response/0/id");
}

#[test]
fn a_missing_envelope_key_is_an_envelope_violation() {
    let mut env = envelope(vec![operation()]);
    env.as_object_mut().map(|m| m.remove("statusCode"));
    let found = judge_with(workspace()).judge(&answer(200, JSON, &escaped(&env)));
    only(&found, Rule::Envelope, "/statusCode");
}

#[test]
fn status_as_a_string_is_a_type_error() {
    let mut env = envelope(vec![operation()]);
    env["status"] = json!("0");
    let found = judge_with(workspace()).judge(&answer(200, JSON, &escaped(&env)));
    only(&found, Rule::Types, "/status");
}

#[test]
fn a_wrong_status_value_is_a_failed_enum() {
    let body = json!({"status": 0, "statusCode": 400, "error": {"message": "bad"}});
    let found = judge_with(workspace()).judge(&answer(400, JSON, &escaped(&body)));
    let v = only(&found, Rule::EnumDomain, "/status");
    assert_eq!(v.severity, Severity::Fail);
}

#[test]
fn a_bad_date_is_a_format_error() {
    let found = judge_changed(|op| op["created"] = json!("2020-01-01T00:00:00Z"));
    only(&found, Rule::Format, "/response/0/created");
}

#[test]
fn null_is_fine_where_nullable_and_a_type_error_elsewhere() {
    assert_eq!(
        judge_changed(|op| {
            op["url"] = Value::Null;
            op["error"] = Value::Null;
            op["files"] = Value::Null;
            op["files"] = json!([{"id": 1, "title": "t", "parentId": null}]);
        }),
        vec![]
    );
    let found = judge_changed(|op| op["id"] = Value::Null);
    only(&found, Rule::Types, "/response/0/id");
}

#[test]
fn a_nullable_array_takes_null() {
    assert_eq!(judge_changed(|op| op["files"] = Value::Null), vec![]);
}

// --- enums ----------------------------------------------------------------------------------

#[test]
fn an_enum_value_of_another_family_fails() {
    let found = judge_changed(|op| op["operation"] = json!(7));
    let v = only(&found, Rule::EnumDomain, "/response/0/operation");
    assert_eq!(v.severity, Severity::Fail);
    assert!(v.message.contains("FileOperationType"), "{}", v.message);
    assert!(v.message.contains("6 Convert"), "{}", v.message);
}

#[test]
fn an_enum_value_no_family_knows_warns() {
    let found = judge_changed(|op| op["operation"] = json!(99));
    let v = only(&found, Rule::EnumDomain, "/response/0/operation");
    assert_eq!(v.severity, Severity::Warn);
}

#[test]
fn an_enum_value_as_a_string_is_a_type_error_only() {
    let found = judge_changed(|op| op["operation"] = json!("1"));
    only(&found, Rule::Types, "/response/0/operation");
}

#[test]
fn known_values_come_from_the_other_families_documents() {
    let mut other = document();
    other["components"]["schemas"]["FileOperationType"]["enum"] = json!([0, 1, 2, 3, 4, 5, 6, 7]);
    let known = known_values(&[&other]);
    assert_eq!(
        known["FileOperationType"],
        (0..=7).collect::<BTreeSet<i64>>()
    );
    assert_eq!(known["Entry.access"], BTreeSet::from([0, 1, 2]));
    let judge = Judge::new(&document(), workspace())
        .expect("the fixture compiles")
        .with_known_values(known);
    let judged = |value: i64| {
        let mut op = operation();
        op["operation"] = json!(value);
        judge.judge(&answer(200, JSON, &escaped(&envelope(vec![op]))))
    };
    let seven = only(&judged(7), Rule::EnumDomain, "/response/0/operation");
    assert_eq!(seven.severity, Severity::Fail);
    let eight = only(&judged(8), Rule::EnumDomain, "/response/0/operation");
    assert_eq!(eight.severity, Severity::Warn);
}

#[test]
fn an_inline_enum_is_known_by_component_and_property_in_any_case() {
    let known = BTreeMap::from([("entry.ACCESS".to_owned(), BTreeSet::from([3]))]);
    let judge = Judge::new(&document(), workspace())
        .expect("the fixture compiles")
        .with_known_values(known);
    let judged = |value: i64| {
        let mut op = operation();
        op["files"][0]["access"] = json!(value);
        judge.judge(&answer(200, JSON, &escaped(&envelope(vec![op]))))
    };
    let three = only(&judged(3), Rule::EnumDomain, "/response/0/files/0/access");
    assert_eq!(three.severity, Severity::Fail);
    let four = only(&judged(4), Rule::EnumDomain, "/response/0/files/0/access");
    assert_eq!(four.severity, Severity::Warn);
    assert_eq!(judged(2), vec![]);
}

// --- unions ---------------------------------------------------------------------------------

#[test]
fn a_value_of_no_variant_type_is_a_type_error_naming_the_variants() {
    let found = judge_changed(|op| op["fileIds"] = json!([5, true]));
    let v = only(&found, Rule::Types, "/response/0/fileIds/1");
    assert!(v.message.contains("integer | string"), "{}", v.message);
}

#[test]
fn a_union_error_is_the_closest_variant_error() {
    let found = judge_changed(|op| op["fileIds"] = json!([""]));
    let v = only(&found, Rule::Range, "/response/0/fileIds/0");
    assert!(v.message.contains("read as string"), "{}", v.message);
}

#[test]
fn an_int32_out_of_bounds_is_a_range_error() {
    let found = judge_changed(|op| op["fileIds"] = json!([2_147_483_648_i64]));
    only(&found, Rule::Range, "/response/0/fileIds/0");
}

#[test]
fn a_nullable_all_of_ref_takes_null_and_checks_the_rest() {
    let found = judge_changed(|op| op["files"] = json!([{"id": 1, "title": "t", "parentId": 2.5}]));
    only(&found, Rule::Types, "/response/0/files/0/parentId");
}

// --- the envelope ---------------------------------------------------------------------------

#[test]
fn status_code_must_equal_the_http_status() {
    let mut env = envelope(vec![operation()]);
    env["statusCode"] = json!(201);
    let found = judge_with(workspace()).judge(&answer(200, JSON, &escaped(&env)));
    only(&found, Rule::Envelope, "/statusCode");
}

fn count_violations(rule: CountRule, count: Option<i64>, items: usize) -> Vec<Violation> {
    counted(rules(rule), count, items)
}

fn counted(rules: WireRules, count: Option<i64>, items: usize) -> Vec<Violation> {
    let mut env = envelope(vec![operation(); items]);
    match count {
        Some(c) => env["count"] = json!(c),
        None => {
            env.as_object_mut().map(|m| m.remove("count"));
        }
    }
    judge_with(rules).judge(&answer(200, JSON, &env.to_string()))
}

#[test]
fn count_one_is_1() {
    assert_eq!(count_violations(CountRule::One, Some(1), 3), vec![]);
    for wrong in [Some(3), Some(5), None] {
        only(
            &count_violations(CountRule::One, wrong, 3),
            Rule::Envelope,
            "/count",
        );
    }
}

#[test]
fn every_allowed_counting_is_accepted_and_nothing_else() {
    let either = WireRules {
        counts: vec![
            Counting::list(CountRule::One),
            Counting::list(CountRule::Length),
        ],
        ..rules(CountRule::One)
    };
    assert_eq!(counted(either.clone(), Some(1), 3), vec![]);
    assert_eq!(counted(either.clone(), Some(3), 3), vec![]);
    let found = counted(either, Some(5), 3);
    only(&found, Rule::Envelope, "/count");
    assert!(found[0].message.contains("1 or 3"), "{}", found[0].message);
}

#[test]
fn count_length_is_the_length() {
    assert_eq!(count_violations(CountRule::Length, Some(2), 2), vec![]);
    assert_eq!(count_violations(CountRule::Length, Some(0), 0), vec![]);
    only(
        &count_violations(CountRule::Length, Some(1), 2),
        Rule::Envelope,
        "/count",
    );
    only(
        &count_violations(CountRule::Length, None, 2),
        Rule::Envelope,
        "/count",
    );
}

#[test]
fn count_length_omit_zero_leaves_zero_out() {
    assert_eq!(
        count_violations(CountRule::LengthOmitZero, Some(2), 2),
        vec![]
    );
    assert_eq!(count_violations(CountRule::LengthOmitZero, None, 0), vec![]);
    only(
        &count_violations(CountRule::LengthOmitZero, Some(0), 0),
        Rule::Envelope,
        "/count",
    );
    only(
        &count_violations(CountRule::LengthOmitZero, None, 2),
        Rule::Envelope,
        "/count",
    );
    only(
        &count_violations(CountRule::LengthOmitZero, Some(1), 2),
        Rule::Envelope,
        "/count",
    );
}

// --- escaping -------------------------------------------------------------------------------

#[test]
fn a_bare_slash_breaks_the_escaping_rule_once() {
    let body = envelope(vec![operation()]).to_string();
    let found = judge_with(workspace()).judge(&answer(200, JSON, &body));
    let v = only(&found, Rule::Escaping, "/response/0/url");
    assert!(v.message.contains("line 1"), "{}", v.message);
}

#[test]
fn escaped_slashes_pass_and_bare_ones_pass_without_the_rule() {
    let env = envelope(vec![operation()]);
    assert_eq!(
        judge_with(workspace()).judge(&answer(200, JSON, &escaped(&env))),
        vec![]
    );
    let plain = env.to_string();
    assert_eq!(
        judge_with(rules(CountRule::Length)).judge(&answer(200, JSON, &plain)),
        vec![]
    );
}

#[test]
fn an_escaped_quote_before_a_slash_is_still_a_bare_slash() {
    let body = r#"{"status":0,"statusCode":200,"count":1,"response":[{"id":"a\"/b","operation":1,"progress":1,"processed":"1","finished":false,"created":"2026-11-22T10:15:30.1234567Z"}]}"#;
    let found = judge_with(workspace()).judge(&answer(200, JSON, body));
    only(&found, Rule::Escaping, "/response/0/id");
}

// --- status, content type, syntax -----------------------------------------------------------

#[test]
fn an_undocumented_status_is_a_status_violation() {
    let body = escaped(&envelope(vec![operation()]));
    let judge = judge_with(workspace());
    assert!(!judge.documents(LIST, 201));
    assert!(judge.documents(LIST, 200));
    assert!(judge.documents("terminateTasks", 503));
    only(&judge.judge(&answer(201, JSON, &body)), Rule::Status, "");
}

#[test]
fn an_unknown_operation_is_a_status_violation() {
    let judge = judge_with(workspace());
    let found = judge.judge(&Answer {
        operation: "noSuchThing",
        status: 200,
        content_type: JSON,
        body: b"{}",
    });
    let v = only(&found, Rule::Status, "");
    assert!(v.message.contains("noSuchThing"));
    assert!(!judge.knows("noSuchThing"));
}

#[test]
fn a_body_on_a_response_without_content_is_a_content_type_violation() {
    let judge = judge_with(workspace());
    let body_less = |body: &'static [u8]| Answer {
        operation: "terminateTasks",
        status: 401,
        content_type: None,
        body,
    };
    assert_eq!(judge.judge(&body_less(b"")), vec![]);
    only(&judge.judge(&body_less(b"{}")), Rule::ContentType, "");
}

#[test]
fn an_undocumented_media_type_is_a_content_type_violation() {
    let body = escaped(&envelope(vec![operation()]));
    let found = judge_with(workspace()).judge(&answer(200, Some("text/html"), &body));
    only(&found, Rule::ContentType, "");
}

#[test]
fn a_missing_content_type_is_reported_and_the_body_still_judged() {
    let mut env = envelope(vec![operation()]);
    env["statusCode"] = json!(500);
    let found = judge_with(workspace()).judge(&answer(200, None, &escaped(&env)));
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].rule, Rule::ContentType);
    assert_eq!(found[1].rule, Rule::Envelope);
}

#[test]
fn malformed_json_is_a_syntax_violation_with_its_position() {
    let found = judge_with(workspace()).judge(&answer(200, JSON, "{\n  \"status\": 0,,\n}"));
    let v = only(&found, Rule::Syntax, "");
    assert!(v.message.contains("line 2, column"), "{}", v.message);
}

#[test]
fn a_body_that_is_not_utf8_is_a_syntax_violation() {
    let found = judge_with(workspace()).judge(&Answer {
        operation: LIST,
        status: 200,
        content_type: JSON,
        body: b"{\"a\":\n\"\xff\"}",
    });
    let v = only(&found, Rule::Syntax, "");
    assert!(v.message.contains("line 2, column 2"), "{}", v.message);
}

#[test]
fn a_text_answer_must_be_a_documented_text() {
    let judge = judge_with(workspace());
    let text = Some("text/plain; charset=utf-8");
    assert_eq!(judge.judge(&answer(401, text, "Unauthorized\n")), vec![]);
    assert_eq!(judge.judge(&answer(401, text, "Unauthorized")), vec![]);
    only(
        &judge.judge(&answer(401, text, "Forbidden")),
        Rule::Envelope,
        "",
    );
}

#[test]
fn a_schemaless_media_type_only_checks_the_media_type() {
    let judge = judge_with(workspace());
    let html = Answer {
        operation: "terminateTasks",
        status: 502,
        content_type: Some("text/html"),
        body: b"<html>bad gateway</html>",
    };
    assert_eq!(judge.judge(&html), vec![]);
}

#[test]
fn a_document_with_a_bad_pattern_is_refused() {
    let mut doc = document();
    doc["components"]["schemas"]["Operation"]["properties"]["created"]["pattern"] = json!("([");
    assert!(Judge::new(&doc, workspace()).is_err());
    assert!(Judge::new(&json!({"openapi": "3.0.3"}), workspace()).is_err());
}

#[test]
fn a_document_with_a_dangling_ref_is_refused() {
    let mut doc = document();
    doc["components"]["schemas"]["Entry"]["properties"]["id"] =
        json!({"$ref": "#/components/schemas/Nope"});
    let refused = Judge::new(&doc, workspace()).expect_err("a dangling $ref is refused");
    assert!(refused.contains("Nope"), "{refused}");
}

// --- XML ------------------------------------------------------------------------------------

/// A Workspace XML answer with `ops` as the `<response>` elements.
fn xml_envelope(count: Option<usize>, ops: &[String]) -> String {
    let count = count.map_or(String::new(), |c| format!("  <count>{c}</count>\n"));
    format!(
        "<result>\n{count}  <status>0</status>\n  <statusCode>200</statusCode>\n{}</result>\n",
        ops.concat()
    )
}

fn xml_operation(change: impl FnOnce(&mut Vec<(&'static str, String)>)) -> String {
    let mut fields: Vec<(&'static str, String)> = vec![
        ("id", "<id>9d6e0c8e</id>".into()),
        ("operation", "<operation>1</operation>".into()),
        ("progress", "<progress>100</progress>".into()),
        ("error", "<error></error>".into()),
        ("processed", "<processed>1</processed>".into()),
        ("finished", "<finished>true</finished>".into()),
        ("url", "<url />".into()),
        (
            "created",
            "<created>2026-11-22T10:15:30.1234567+03:00</created>".into(),
        ),
        (
            "files",
            "<files><id>5</id><title>a/b.docx</title><parentId /></files>".into(),
        ),
        ("fileIds", "<fileIds>5</fileIds>".into()),
    ];
    change(&mut fields);
    let inner: Vec<String> = fields
        .into_iter()
        .map(|(_, f)| format!("    {f}\n"))
        .collect();
    format!("  <response>\n{}  </response>\n", inner.concat())
}

fn set(fields: &mut [(&'static str, String)], name: &str, xml: &str) {
    for field in fields.iter_mut().filter(|(n, _)| *n == name) {
        field.1 = xml.to_owned();
    }
}

fn judge_xml(body: &str) -> Vec<Violation> {
    judge_with(workspace()).judge(&answer(200, XML, body))
}

#[test]
fn a_faithful_xml_answer_has_no_violations() {
    let one = xml_operation(|_| {});
    assert_eq!(
        judge_xml(&xml_envelope(Some(1), std::slice::from_ref(&one))),
        vec![]
    );
    assert_eq!(
        judge_xml(&xml_envelope(Some(2), &[one.clone(), one])),
        vec![]
    );
}

#[test]
fn xml_booleans_are_lower_case() {
    let found = judge_xml(&xml_envelope(
        Some(1),
        &[xml_operation(|f| {
            set(f, "finished", "<finished>True</finished>")
        })],
    ));
    let v = only(&found, Rule::Xml, "/response/0/finished");
    assert!(v.message.contains("True"), "{}", v.message);
    let ok = xml_operation(|f| set(f, "finished", "<finished>false</finished>"));
    assert_eq!(judge_xml(&xml_envelope(Some(1), &[ok])), vec![]);
}

#[test]
fn an_empty_xml_list_writes_no_element() {
    // No <response> at all: the required array reads as [], and count 0 is left out.
    assert_eq!(judge_xml(&xml_envelope(None, &[])), vec![]);
    let no_ids = xml_operation(|f| f.retain(|(n, _)| *n != "fileIds"));
    assert_eq!(judge_xml(&xml_envelope(Some(1), &[no_ids])), vec![]);
}

#[test]
fn a_one_item_xml_list_is_a_list() {
    // One <response> and one <fileIds> are one-item lists; the count says 1.
    assert_eq!(
        judge_xml(&xml_envelope(Some(1), &[xml_operation(|_| {})])),
        vec![]
    );
    let found = judge_xml(&xml_envelope(Some(2), &[xml_operation(|_| {})]));
    only(&found, Rule::Envelope, "/count");
}

#[test]
fn xml_null_and_empty_string_differ() {
    // `<url />` is null (nullable: fine); `<processed />` is null where a string is required.
    let found = judge_xml(&xml_envelope(
        Some(1),
        &[xml_operation(|f| set(f, "processed", "<processed />"))],
    ));
    only(&found, Rule::Types, "/response/0/processed");
    // `<processed></processed>` is "", a string.
    let empty = xml_operation(|f| set(f, "processed", "<processed></processed>"));
    assert_eq!(judge_xml(&xml_envelope(Some(1), &[empty])), vec![]);
    // A nullable array written `<files />` is null.
    let null_files = xml_operation(|f| set(f, "files", "<files />"));
    assert_eq!(judge_xml(&xml_envelope(Some(1), &[null_files])), vec![]);
}

#[test]
fn the_xml_root_is_result() {
    let body = xml_envelope(Some(1), &[xml_operation(|_| {})]).replace("result>", "answer>");
    only(&judge_xml(&body), Rule::Xml, "");
}

#[test]
fn xml_integer_text_that_is_not_a_number_is_a_type_error() {
    let found = judge_xml(&xml_envelope(
        Some(1),
        &[xml_operation(|f| {
            set(f, "progress", "<progress>fifty</progress>")
        })],
    ));
    only(&found, Rule::Types, "/response/0/progress");
    let leading_zero = xml_operation(|f| set(f, "progress", "<progress>050</progress>"));
    let found = judge_xml(&xml_envelope(Some(1), &[leading_zero]));
    only(&found, Rule::Types, "/response/0/progress");
}

#[test]
fn a_repeated_xml_element_that_is_no_list_is_an_xml_violation() {
    let twice = xml_operation(|f| set(f, "id", "<id>a</id><id>b</id>"));
    let found = judge_xml(&xml_envelope(Some(1), &[twice]));
    only(&found, Rule::Xml, "/response/0/id");
}

#[test]
fn xml_values_meet_the_same_schema() {
    let found = judge_xml(&xml_envelope(
        Some(1),
        &[xml_operation(|f| {
            set(f, "operation", "<operation>7</operation>")
        })],
    ));
    let v = only(&found, Rule::EnumDomain, "/response/0/operation");
    assert_eq!(v.severity, Severity::Fail);
    let body = xml_envelope(Some(1), &[xml_operation(|_| {})]).replace(">200<", ">201<");
    only(&judge_xml(&body), Rule::Envelope, "/statusCode");
}

#[test]
fn malformed_xml_is_a_syntax_violation_with_its_position() {
    let found = judge_xml("<result>\n  <status>0</statu>\n</result>");
    let v = only(&found, Rule::Syntax, "");
    assert!(v.message.contains("line 2, column"), "{}", v.message);
    let unclosed = judge_xml("<result>\n  <status>0</status>\n");
    let v = only(&unclosed, Rule::Syntax, "");
    assert!(v.message.contains("line 1, column 1"), "{}", v.message);
    only(&judge_xml("<result /><result />"), Rule::Syntax, "");
}

#[test]
fn an_xml_error_envelope_reads_like_json() {
    let body = "<result>\n  <status>1</status>\n  <statusCode>400</statusCode>\n  <error>\n    <message>bad</message>\n    <hresult>-5</hresult>\n    <data />\n  </error>\n</result>\n";
    let found = judge_with(workspace()).judge(&answer(400, XML, body));
    assert_eq!(found, vec![]);
}

#[test]
fn deeply_nested_bodies_are_syntax_violations_not_crashes() {
    let xml = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
    only(&judge_xml(&xml), Rule::Syntax, "");
    let json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    only(
        &judge_with(workspace()).judge(&answer(200, JSON, &json)),
        Rule::Syntax,
        "",
    );
}
