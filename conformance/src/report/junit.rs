//! JUnit XML through `quick-junit`: a test suite per dialect, a test case per check. A failed
//! SHOULD passes, with the warning in `system-out`, so CI marks only broken MUSTs red. Each
//! suite's properties carry the dialect's behaviour profile (`profile.<fact id>`: what the
//! server showed), as no reading passes or fails a test case.

use chrono::{DateTime, FixedOffset, Utc};
use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};
use std::time::{Duration, SystemTime};

use super::{by_dialect, duration, level_name, DialectProfile, ReportError, RunInfo};
use crate::outcome::{Evidence, Outcome};
use crate::runner::CheckResult;

fn timestamp(time: SystemTime) -> DateTime<FixedOffset> {
    DateTime::<Utc>::from(time).fixed_offset()
}

fn replay(evidence: &[Evidence]) -> String {
    evidence
        .iter()
        .map(|e| format!("{}\n{} {}\n", e.curl, e.status, e.body))
        .collect()
}

fn status(result: &CheckResult) -> TestCaseStatus {
    match &result.outcome {
        Outcome::Pass => TestCaseStatus::success(),
        Outcome::Skip { reason } => {
            let mut status = TestCaseStatus::skipped();
            status.set_message(reason.as_str());
            status
        }
        Outcome::Error { message } => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message(message.as_str());
            status
        }
        Outcome::Fail { .. } if result.state() == "warn" => TestCaseStatus::success(),
        Outcome::Fail { message, evidence } => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status
                .set_message(message.as_str())
                .set_type(level_name(result.level))
                .set_description(format!(
                    "{message}\nrule: {} ({})\n{}",
                    result.rule,
                    result.source,
                    replay(evidence)
                ));
            status
        }
    }
}

fn case(result: &CheckResult) -> TestCase {
    let mut case = TestCase::new(result.id, status(result));
    case.set_classname(result.dialect)
        .set_time(duration(result))
        .set_timestamp(timestamp(result.started));
    if let (Outcome::Fail { message, evidence }, "warn") = (&result.outcome, result.state()) {
        case.set_system_out(format!(
            "WARNING (SHOULD): {message}\nrule: {} ({})\n{}",
            result.rule,
            result.source,
            replay(evidence)
        ));
    }
    case
}

fn suite(
    dialect: &str,
    results: &[&CheckResult],
    profile: Option<&DialectProfile>,
    info: &RunInfo,
) -> TestSuite {
    let mut suite = TestSuite::new(dialect);
    if let Some(first) = results.iter().map(|r| r.started).min() {
        suite.set_timestamp(timestamp(first));
    }
    suite.set_time(results.iter().map(|r| duration(r)).sum::<Duration>());
    let warnings = results.iter().filter(|r| r.state() == "warn").count();
    suite.add_properties([
        Property::new("dialect", dialect),
        Property::new("seed", info.seed.to_string()),
        Property::new("cases", info.cases.to_string()),
        Property::new("version", info.version.as_str()),
        Property::new("target", info.target.as_str()),
        Property::new("selection", info.selection.to_string()),
        Property::new("warnings", warnings.to_string()),
    ]);
    suite.add_properties(
        profile
            .into_iter()
            .flat_map(|p| &p.facts)
            .map(|fact| Property::new(format!("profile.{}", fact.fact), fact.shown.text())),
    );
    suite.add_test_cases(results.iter().map(|r| case(r)));
    suite
}

/// The JUnit XML report of `results` and `profiles` from the run `info` describes.
pub fn junit(
    results: &[CheckResult],
    profiles: &[DialectProfile],
    info: &RunInfo,
) -> Result<String, ReportError> {
    let mut report = Report::new("fileops-conformance");
    report
        .set_timestamp(timestamp(info.started))
        .set_time(info.elapsed);
    let groups = by_dialect(results);
    // Both lists are in run order. A dialect the selection left no check in still ran
    // (setup, teardown) and has a profile: an empty suite keeps that profile in the report.
    let mut dialects: Vec<&str> = profiles.iter().map(|p| p.dialect).collect();
    for (dialect, _) in &groups {
        if !dialects.contains(dialect) {
            dialects.push(dialect);
        }
    }
    for dialect in dialects {
        let rs = groups
            .iter()
            .find(|(d, _)| *d == dialect)
            .map_or(&[][..], |(_, rs)| rs.as_slice());
        let profile = profiles.iter().find(|p| p.dialect == dialect);
        report.add_test_suite(suite(dialect, rs, profile, info));
    }
    report
        .to_string()
        .map_err(|e| ReportError(format!("cannot write the JUnit report: {e}")))
}

#[cfg(test)]
mod tests {
    use super::junit;
    use crate::report::fixtures;
    use quick_xml::events::Event;
    use std::collections::BTreeMap;

    /// An element's name and attributes.
    type Element = (String, BTreeMap<String, String>);

    /// Each element, in document order, and the text nodes.
    fn parse(xml: &str) -> (Vec<Element>, String) {
        let mut reader = quick_xml::Reader::from_str(xml);
        let (mut elements, mut text) = (Vec::new(), String::new());
        loop {
            match reader.read_event() {
                Ok(Event::Start(e) | Event::Empty(e)) => {
                    let name = e.name().as_ref().to_owned();
                    let attributes = e
                        .attributes()
                        .filter_map(Result::ok)
                        .map(|a| {
                            let key = a.key.as_ref().to_owned();
                            let value = a
                                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .map(|v| v.into_owned());
                            (key, value.unwrap_or_default())
                        })
                        .collect();
                    elements.push((name, attributes));
                }
                Ok(Event::Text(t)) => text.push_str(&t.xml10_content()),
                Ok(Event::GeneralRef(r)) => text.push_str(
                    &fileops_api::runtime::xml::resolve_reference(&r).unwrap_or_default(),
                ),
                Ok(Event::CData(t)) => text.push_str(&t.into_inner()),
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("the JUnit report is not XML: {e}\n{xml}"),
            }
        }
        (elements, text)
    }

    fn named<'a>(elements: &'a [Element], name: &str) -> Vec<&'a BTreeMap<String, String>> {
        elements
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, a)| a)
            .collect()
    }

    #[test]
    fn suites_count_states_and_carry_time_timestamp_and_properties() {
        let xml = junit(
            &fixtures::results(),
            &fixtures::profiles(),
            &fixtures::info(),
        )
        .unwrap_or_default();
        let (elements, text) = parse(&xml);
        let root = &named(&elements, "testsuites")[0];
        assert_eq!(root["tests"], "5");
        assert_eq!(root["failures"], "1");
        assert_eq!(root["errors"], "1");
        assert_eq!(root["time"], "1.500");
        assert!(
            root["timestamp"].starts_with("2026-11-18T11:06:40"),
            "{xml}"
        );
        let suites = named(&elements, "testsuite");
        assert_eq!(suites.len(), 2);
        let docspace = suites[0];
        assert_eq!(docspace["name"], "docspace");
        assert_eq!(docspace["tests"], "4");
        assert_eq!(docspace["failures"], "0", "a failed SHOULD is no failure");
        assert_eq!(docspace["errors"], "1");
        assert_eq!(docspace["skipped"], "1");
        assert_eq!(docspace["time"], "1.000");
        assert_eq!(suites[1]["failures"], "1");
        let properties: BTreeMap<&str, &str> = named(&elements, "property")
            .iter()
            .take(7)
            .map(|p| (p["name"].as_str(), p["value"].as_str()))
            .collect();
        assert_eq!(properties["seed"], "42");
        assert_eq!(properties["dialect"], "docspace");
        assert_eq!(properties["version"], "9.8.7");
        assert_eq!(properties["target"], "https://portal.example");
        assert_eq!(properties["warnings"], "1");
        let cases = named(&elements, "testcase");
        assert_eq!(cases[0]["time"], "0.250");
        let warned = cases
            .iter()
            .find(|c| c["name"] == "lifecycle.progress.monotone")
            .map(|c| c["timestamp"].as_str());
        assert!(
            warned.is_some_and(|t| t.starts_with("2026-11-18T11:06:40.600")),
            "{xml}"
        );
        assert!(text.contains("WARNING (SHOULD): progress went from 50 to 40"));
        assert!(
            text.contains("curl -sS -X GET"),
            "failures carry the replay"
        );
        assert_eq!(named(&elements, "failure").len(), 1);
    }

    /// Each suite's name and its properties, in document order.
    fn suite_properties(elements: &[Element]) -> Vec<(String, Vec<(String, String)>)> {
        let mut suites: Vec<(String, Vec<(String, String)>)> = Vec::new();
        for (name, attributes) in elements {
            match name.as_str() {
                "testsuite" => suites.push((attributes["name"].clone(), Vec::new())),
                "property" => {
                    if let Some((_, properties)) = suites.last_mut() {
                        properties.push((attributes["name"].clone(), attributes["value"].clone()));
                    }
                }
                _ => {}
            }
        }
        suites
    }

    #[test]
    fn each_suite_carries_its_dialects_profile_as_properties() {
        let xml = junit(
            &fixtures::results(),
            &fixtures::profiles(),
            &fixtures::info(),
        )
        .unwrap_or_default();
        let (elements, _) = parse(&xml);
        let suites = suite_properties(&elements);
        let profile_of = |suite: usize| -> Vec<(&str, &str)> {
            suites[suite]
                .1
                .iter()
                .filter(|(name, _)| name.starts_with("profile."))
                .map(|(name, value)| (name.as_str(), value.as_str()))
                .collect()
        };
        assert_eq!(suites[0].0, "docspace");
        assert_eq!(
            profile_of(0),
            [
                ("profile.docspace-error-nulls", "omitted"),
                ("profile.docspace-unauthorized-body", "not observed"),
            ]
        );
        assert_eq!(suites[1].0, "workspace");
        assert!(profile_of(1).is_empty(), "no fact concerns it");
    }

    #[test]
    fn a_profiled_dialect_without_checks_still_has_a_suite_in_run_order() {
        let workspace_only: Vec<_> = fixtures::results()
            .into_iter()
            .filter(|r| r.dialect == "workspace")
            .collect();
        let xml =
            junit(&workspace_only, &fixtures::profiles(), &fixtures::info()).unwrap_or_default();
        let (elements, _) = parse(&xml);
        let suites = suite_properties(&elements);
        let names: Vec<&str> = suites.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["docspace", "workspace"]);
        let docspace = named(&elements, "testsuite")[0];
        assert_eq!(docspace["tests"], "0");
        assert!(suites[0]
            .1
            .iter()
            .any(|(name, value)| name == "profile.docspace-error-nulls" && value == "omitted"));
    }
}
