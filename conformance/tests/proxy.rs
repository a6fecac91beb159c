//! A client's session through the proxy to the reference is judged clean; through the proxy to a reference with a wire fault it is not, and the
//! violations header names the rule.

use fileops_api::client::Client;
use fileops_api::operations::*;
use fileops_api::runtime::client::{ClientConfig, EnumEncoding};
use fileops_api::runtime::{Dialect, Format};
use fileops_conformance::context::my_folder_with;
use fileops_conformance::embedded;
use fileops_conformance::proxy::{Proxy, ProxyConfig};
use fileops_conformance::traffic::TrafficJudge;
use fileops_reference::{faults, Config, Reference, DEMO_USERS};
use std::sync::{Arc, Mutex};

async fn through_proxy(reference: Reference, dialect: &'static Dialect) -> (Vec<String>, usize) {
    let upstream = embedded::serve(reference).await.expect("serves");
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = seen.clone();
    let proxy = Proxy::new(
        ProxyConfig {
            upstream: upstream.base_url.clone(),
            client: reqwest::Client::new(),
            violations_header: true,
        },
        TrafficJudge::new(dialect),
        Box::new(move |judged, _| {
            for v in &judged.violations {
                sink.lock().expect("lock").push(v.rule.id().to_owned());
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let address = format!("http://{}", listener.local_addr().expect("addr"));
    let app = proxy.router();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let client = Client::new(ClientConfig {
        observer: None,
        http: None,
        base_url: address.clone(),
        dialect,
        authorization: Some(DEMO_USERS[0].1.to_owned()),
        format: Format::Json,
        enums: EnumEncoding::Wire,
    });
    my_folder_with(&client).await.expect("My documents");
    let listed = client
        .get_operation_statuses(&GetOperationStatusesRequest { id: None })
        .await
        .expect("lists");
    let header = listed
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("x-fileops-violations"))
        .count();
    let rules = seen.lock().expect("lock").clone();
    (rules, header)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_through_the_proxy_is_judged() {
    for dialect in fileops_api::dialects::ALL {
        let (rules, header) = through_proxy(Reference::new(Config::demo(dialect)), dialect).await;
        assert!(rules.is_empty(), "{}: {rules:?}", dialect.name);
        assert_eq!(header, 0);
        let mut config = Config::demo(dialect);
        let fault = faults::ALL
            .iter()
            .find(|f| f.name == "status-as-string")
            .expect("fault");
        (fault.set)(&mut config.faults);
        let (rules, header) = through_proxy(Reference::new(config), dialect).await;
        assert!(
            rules.iter().any(|r| r == "wire.types"),
            "{}: {rules:?}",
            dialect.name
        );
        assert_eq!(header, 1, "{}", dialect.name);
    }
}
