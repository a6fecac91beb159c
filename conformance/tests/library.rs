//! The suite as a library: the catalogue runs against a server in the test's own process
//! from a plain `#[tokio::test]`, a current-thread runtime that the server shares.

use fileops_api::dialects::DOCSPACE;
use fileops_conformance::embedded;
use fileops_conformance::runner::{self, CheckResult};
use fileops_reference::{Config, Reference, DEMO_USERS};
use std::time::Duration;

fn broken(results: &[CheckResult]) -> Vec<String> {
    results
        .iter()
        .filter(|r| matches!(r.state(), "fail" | "error"))
        .map(|r| format!("{} {}: {:?}", r.state(), r.id, r.outcome))
        .collect()
}

#[tokio::test]
async fn the_whole_catalogue_passes_against_an_in_process_router_on_a_current_thread_runtime() {
    assert_eq!(
        tokio::runtime::Handle::current().runtime_flavor(),
        tokio::runtime::RuntimeFlavor::CurrentThread
    );
    // `serve` is `serve_router_with` on the reference's router, told where it is served.
    let server = embedded::serve(Reference::new(Config::demo(&DOCSPACE)))
        .await
        .expect("serves");
    let results = embedded::check(&server, &DOCSPACE, &embedded::every_check())
        .await
        .expect("runs")
        .results;
    assert!(results.len() > 40, "{} results", results.len());
    assert_eq!(broken(&results), Vec::<String>::new());
    let model = results
        .iter()
        .find(|r| r.id == "model.random-sequences")
        .expect("the model check is in the catalogue");
    assert_eq!(model.state(), "pass", "{:?}", model.outcome);
}

#[tokio::test]
async fn a_handler_implementation_is_served_through_the_generated_router() {
    // The reference implements the generated trait; served bare (no download handler),
    // as a user's own implementation would be.
    let api = Reference::new(Config::demo(&DOCSPACE));
    let server = embedded::serve_api(api, &DOCSPACE, DEMO_USERS[0].1, DEMO_USERS[1].1)
        .await
        .expect("serves");
    let target = server
        .target(&DOCSPACE)
        .seed(7)
        .cases(2)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("target");
    let mut selection = embedded::every_check();
    selection.include = vec!["envelope.*".into(), "auth.*".into(), "model.*".into()];
    let mut seen = Vec::new();
    let results = runner::run(target, &selection, |r| seen.push(r.id))
        .await
        .expect("runs")
        .results;
    assert_eq!(broken(&results), Vec::<String>::new());
    assert_eq!(seen, results.iter().map(|r| r.id).collect::<Vec<_>>());
    assert!(seen.contains(&"model.random-sequences"), "{seen:?}");
    assert!(seen.contains(&"auth.isolation"), "{seen:?}");
}

#[tokio::test]
async fn a_single_user_server_skips_the_isolation_checks() {
    let server = embedded::serve_router(
        Reference::new(Config::demo(&DOCSPACE)).router(),
        DEMO_USERS[0].1,
        "",
    )
    .await
    .expect("serves");
    let mut selection = embedded::every_check();
    selection.include = vec!["auth.isolation".into()];
    let results = embedded::check(&server, &DOCSPACE, &selection)
        .await
        .expect("runs")
        .results;
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].state(), "skip", "{:?}", results[0].outcome);
}
