//! Reviewed snapshots of the shape of each endpoint's answers per dialect and format, taken
//! from the reference; a shape change is a snapshot diff. The `shapes.match-reference` check
//! compares any server with these.

use fileops_conformance::context::{Ctx, Target};
use fileops_conformance::{embedded, shapes};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reference_answer_shapes() {
    for dialect in fileops_api::dialects::ALL {
        let server = embedded::start(dialect).await.expect("server");
        let mut ctx = Ctx::new(Target {
            base_url: server.base_url,
            dialect,
            token: server.token,
            token2: None,
            timeout: Duration::from_secs(10),
            seed: 1,
            cases: 1,
        });
        ctx.setup().await.unwrap_or_else(|o| panic!("{o:?}"));
        for format in dialect.formats {
            let shapes = shapes::scenario(&ctx, *format)
                .await
                .unwrap_or_else(|o| panic!("{o:?}"));
            insta::assert_snapshot!(
                format!("{}_{format:?}", dialect.name).to_lowercase(),
                shapes
            );
        }
    }
}

#[test]
fn a_changed_shape_is_reported() {
    let expected = "== A\n{\n  \"id\": \"integer\"\n}\n== B\n{}\n";
    let actual = "== A\n{\n  \"id\": \"string\"\n}\n";
    let found = shapes::differences(expected, actual);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("A: shape differs"));
    assert!(found[1].starts_with("B: missing"));
}
