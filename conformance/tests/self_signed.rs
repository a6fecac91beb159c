//! Self-hosted portals: the two self-signed certificates ONLYOFFICE installs are made with,
//! given with `--ca-cert`, are trusted as the server's own (pinned), whatever their version,
//! CA flag or names; a server that shows the certificate without holding its key is still
//! refused, and so is an unknown self-signed one.
//!
//! - a version-1 certificate with only a CN (`openssl genrsa` + `openssl req -new` +
//!   `openssl x509 -req -signkey`), which chain validation refuses (UnsupportedCertVersion);
//! - an `openssl req -x509` certificate: CA:TRUE, used as the server's own
//!   (CaUsedAsEndEntity).

use fileops_api::dialects::DOCSPACE;
use fileops_reference::{Config, Reference, DEMO_USERS};
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::Arc;
use yasna::models::{ObjectIdentifier, UTCTime};

#[allow(dead_code)] // not every test uses every helper
mod process;
use process::shown;

const ECDSA_WITH_SHA256: &[u64] = &[1, 2, 840, 10045, 4, 3, 2];
const COMMON_NAME: &[u64] = &[2, 5, 4, 3];

/// A certificate (DER) and its key (PKCS#8 DER).
struct Identity {
    cert: Vec<u8>,
    key: Vec<u8>,
}

impl Identity {
    fn pem(&self) -> String {
        pem::encode(&pem::Pem::new("CERTIFICATE", self.cert.clone()))
    }
}

/// A name with only a CN.
fn name(writer: yasna::DERWriter<'_>) {
    writer.write_sequence(|w| {
        w.next().write_set(|w| {
            w.next().write_sequence(|w| {
                w.next()
                    .write_oid(&ObjectIdentifier::from_slice(COMMON_NAME));
                w.next().write_utf8_string("portal.local");
            });
        });
    });
}

/// A self-signed version-1 certificate (no version field, no extensions) for `key`, signed
/// with `signer` (the same key, unless a test wants a forged one).
fn version_one(key: &rcgen::KeyPair, signer: &rcgen::KeyPair) -> Vec<u8> {
    let algorithm = ObjectIdentifier::from_slice(ECDSA_WITH_SHA256);
    let tbs = yasna::construct_der(|w| {
        w.write_sequence(|w| {
            w.next().write_u64(4242);
            w.next().write_sequence(|w| w.next().write_oid(&algorithm));
            name(w.next());
            w.next().write_sequence(|w| {
                w.next()
                    .write_utctime(&UTCTime::parse(b"200101000000Z").expect("time"));
                w.next()
                    .write_utctime(&UTCTime::parse(b"491231235959Z").expect("time"));
            });
            name(w.next());
            w.next().write_der(&key.public_key_der());
        });
    });
    let rng = SystemRandom::new();
    let signing = EcdsaKeyPair::from_pkcs8(
        &ECDSA_P256_SHA256_ASN1_SIGNING,
        &signer.serialize_der(),
        &rng,
    )
    .expect("P-256 key");
    let signature = signing.sign(&rng, &tbs).expect("signs");
    let signature = signature.as_ref();
    yasna::construct_der(|w| {
        w.write_sequence(|w| {
            w.next().write_der(&tbs);
            w.next().write_sequence(|w| w.next().write_oid(&algorithm));
            w.next().write_bitvec_bytes(signature, signature.len() * 8);
        });
    })
}

/// `openssl x509 -req -signkey`: version 1, only a CN.
fn version_one_identity() -> Identity {
    let key = rcgen::KeyPair::generate().expect("key");
    Identity {
        cert: version_one(&key, &key),
        key: key.serialize_der(),
    }
}

/// `openssl req -x509`: self-signed, CA:TRUE, only a CN, used as the server's own.
fn ca_as_server_identity() -> Identity {
    let key = rcgen::KeyPair::generate().expect("key");
    let mut params = rcgen::CertificateParams::new(Vec::new()).expect("params");
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "portal.local");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).expect("signs itself");
    Identity {
        cert: cert.der().to_vec(),
        key: key.serialize_der(),
    }
}

/// Always presents one certificate: rustls's own single-certificate setup parses it with
/// webpki, which a version-1 certificate does not pass.
#[derive(Debug)]
struct Fixed(Arc<CertifiedKey>);

impl ResolvesServerCert for Fixed {
    fn resolve(&self, _: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.0.clone())
    }
}

/// Serves the DocSpace reference over HTTPS presenting `cert`, signing with `key`.
fn serve(cert: &[u8], key: &[u8]) -> String {
    let provider = rustls::crypto::ring::default_provider();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.to_vec()));
    let signing = provider
        .key_provider
        .load_private_key(key)
        .expect("loads the key");
    let certified = CertifiedKey::new(vec![CertificateDer::from(cert.to_vec())], signing);
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(provider))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(Fixed(Arc::new(certified))));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let base_url = format!(
        "https://127.0.0.1:{}",
        listener.local_addr().expect("addr").port()
    );
    let reference = Reference::new(Config::demo(&DOCSPACE));
    reference.set_base_url(base_url.clone());
    let app = reference.router();
    process::in_background(move || async move {
        let tls = axum_server::tls_rustls::RustlsConfig::from_config(Arc::new(config));
        axum_server::from_tcp_rustls(listener, tls)
            .expect("listener")
            .serve(app.into_make_service())
            .await
            .expect("serves");
    });
    base_url
}

fn write(name: &str, text: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("fileops-pinned-{}-{name}", std::process::id()));
    std::fs::write(&path, text).expect("writes");
    path
}

fn run(base_url: &str, ca: Option<&PathBuf>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fileops-conformance"));
    command
        .env_remove("SSL_CERT_FILE")
        .env_remove("SSL_CERT_DIR")
        .args(["run", "--url", base_url, "--token", DEMO_USERS[0].1])
        .args([
            "--dialect",
            "docspace",
            "--include",
            "envelope.success.keys",
        ]);
    if let Some(ca) = ca {
        command.arg("--ca-cert").arg(ca);
    }
    command.output().expect("runs")
}

#[test]
fn both_self_signed_recipes_are_trusted_when_given_and_only_then() {
    for (recipe, identity) in [
        ("x509 -req -signkey (version 1)", version_one_identity()),
        ("req -x509 (CA:TRUE)", ca_as_server_identity()),
    ] {
        let base_url = serve(&identity.cert, &identity.key);
        let ca = write(&format!("{}.pem", recipe.len()), &identity.pem());
        let out = run(&base_url, Some(&ca));
        assert_eq!(out.status.code(), Some(0), "{recipe}: {}", shown(&out));
        let out = run(&base_url, None);
        assert_eq!(out.status.code(), Some(2), "{recipe}: {}", shown(&out));
        let error = String::from_utf8_lossy(&out.stderr).to_lowercase();
        assert!(error.contains("certificate"), "{recipe}: {}", shown(&out));
    }
}

#[test]
fn a_server_without_the_pinned_certificates_key_is_refused() {
    let key = rcgen::KeyPair::generate().expect("key");
    let other = rcgen::KeyPair::generate().expect("other key");
    // The certificate anyone can copy, served by a key that is not its own.
    let cert = version_one(&key, &key);
    let base_url = serve(&cert, &other.serialize_der());
    let pinned = Identity {
        cert,
        key: Vec::new(),
    };
    let ca = write("copied.pem", &pinned.pem());
    let out = run(&base_url, Some(&ca));
    assert_eq!(out.status.code(), Some(2), "{}", shown(&out));

    // Another self-signed certificate than the one given is not trusted either.
    let stranger = version_one_identity();
    let base_url = serve(&stranger.cert, &stranger.key);
    let out = run(&base_url, Some(&ca));
    assert_eq!(out.status.code(), Some(2), "{}", shown(&out));
}
