//! Shared by the tests that run the whole suite against a configured reference.

use fileops_api::runtime::Dialect;
use fileops_conformance::context::Target;
use fileops_conformance::embedded;
use fileops_conformance::runner::{self, Run, Selection, SetupError};
use fileops_reference::{Config, Reference};
use std::time::Duration;

/// Serves `config` and runs every check, JSON and XML, against it as `dialect` (what a user
/// would claim), with seed 1, four cases per property check and operations timing out after
/// `timeout`. Downloads pack at a store's pace (25 ms an entry), so the suite can see one
/// still running and prove that a second is refused.
pub async fn check_reference(
    mut config: Config,
    dialect: &'static Dialect,
    timeout: Duration,
) -> Result<Run, SetupError> {
    config.archive_pace = Duration::from_millis(25);
    let server = embedded::serve(Reference::new(config))
        .await
        .expect("serves");
    let target = Target::builder(server.base_url, dialect)
        .token(server.token)
        .token2(Some(server.token2))
        .timeout(timeout)
        .seed(1)
        .cases(4)
        .build()
        .expect("target");
    let selection = Selection {
        xml: true,
        json: true,
        ..Selection::default()
    };
    runner::run(target, &selection, |_| {}).await
}
