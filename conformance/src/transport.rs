//! How a run reaches its server: the base address it is given, and the one HTTP client
//! (rustls with the platform's trust store plus any private CA, request timeouts) that
//! [`TargetBuilder::build`](crate::context::TargetBuilder::build) makes for it.

use fileops_api::runtime::client::error_chain;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::context::TargetError;
use crate::pinning::PinnedOrChain;

/// What a server address looks like, for error messages.
pub const EXAMPLE_URL: &str = "https://portal.example.com";

/// A PEM file of extra CA certificates to trust, and where it was named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaFile {
    /// Given with the target ([`ca_cert`](crate::context::TargetBuilder::ca_cert),
    /// `--ca-cert`).
    Given(PathBuf),
    /// Named by `SSL_CERT_FILE`, as many TLS clients read it, when no file was given.
    FromEnvironment(PathBuf),
}

impl CaFile {
    /// The file.
    pub fn path(&self) -> &Path {
        match self {
            CaFile::Given(path) | CaFile::FromEnvironment(path) => path,
        }
    }

    /// The file as error messages name it.
    fn name(&self) -> String {
        match self {
            CaFile::Given(path) => path.display().to_string(),
            CaFile::FromEnvironment(path) => format!("{} (SSL_CERT_FILE)", path.display()),
        }
    }
}

/// What the HTTP client is made from.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Bounds every request, connection included.
    pub request_timeout: Duration,
    /// Extra CA certificates to trust, besides the platform's.
    pub ca_file: Option<CaFile>,
    /// Accept any certificate (a test portal's self-signed one).
    pub insecure: bool,
}

/// The HTTP client of a run: rustls trusting the platform's store and the CA file's
/// certificates, which are also pinned as a server's own (see [`crate::pinning`]), every
/// request bounded by the timeout from connecting to the last byte.
pub fn http_client(settings: &Settings) -> Result<reqwest::Client, TargetError> {
    build(settings, client_builder(settings)?)
}

/// The client a proxy forwards with: the run's TLS, and redirects handed back to the
/// client rather than followed.
pub fn forwarding_client(settings: &Settings) -> Result<reqwest::Client, TargetError> {
    let builder = client_builder(settings)?.redirect(reqwest::redirect::Policy::none());
    build(settings, builder)
}

fn client_builder(settings: &Settings) -> Result<reqwest::ClientBuilder, TargetError> {
    let builder = reqwest::Client::builder()
        .use_rustls_tls()
        .timeout(settings.request_timeout)
        .connect_timeout(settings.request_timeout);
    Ok(match &settings.ca_file {
        _ if settings.insecure => builder.danger_accept_invalid_certs(true),
        Some(file) => builder.use_preconfigured_tls(tls_config(file)?),
        None => builder,
    })
}

fn build(
    settings: &Settings,
    builder: reqwest::ClientBuilder,
) -> Result<reqwest::Client, TargetError> {
    builder.build().map_err(|e| {
        TargetError(match &settings.ca_file {
            Some(file) => format!(
                "cannot use the CA file {}: {}",
                file.name(),
                error_chain(&e)
            ),
            None => format!("cannot set up the HTTP client: {}", error_chain(&e)),
        })
    })
}

/// TLS that trusts the platform's roots and the CA file's certificates as CAs, and accepts
/// a server presenting exactly one of the file's certificates (pinned).
fn tls_config(file: &CaFile) -> Result<rustls::ClientConfig, TargetError> {
    let certs = ca_certificates(file)?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    // A store that cannot be read leaves the file's certificates, as reqwest's own loading
    // of the platform store does.
    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    roots.add_parsable_certificates(certs.iter().cloned());
    let chain = if roots.is_empty() {
        None
    } else {
        let built = rustls::client::WebPkiServerVerifier::builder_with_provider(
            Arc::new(roots),
            provider.clone(),
        )
        .build()
        .map_err(|e| TargetError(format!("cannot use the CA file {}: {e}", file.name())))?;
        Some(built)
    };
    let verifier = PinnedOrChain::new(&certs, chain, &provider);
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TargetError(format!("cannot set up TLS: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok(config)
}

/// The certificates of a PEM file (it may hold several, a bundle).
fn ca_certificates(file: &CaFile) -> Result<Vec<CertificateDer<'static>>, TargetError> {
    let name = file.name();
    let pem = std::fs::read(file.path())
        .map_err(|e| TargetError(format!("cannot read the CA file {name}: {e}")))?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TargetError(format!("the CA file {name} is not valid PEM: {e}")))?;
    if certs.is_empty() {
        return Err(TargetError(format!(
            "the CA file {name} holds no PEM certificate (no -----BEGIN CERTIFICATE----- block)"
        )));
    }
    for (i, cert) in certs.iter().enumerate() {
        if let Err(e) = x509_parser::parse_x509_certificate(cert.as_ref()) {
            return Err(TargetError(format!(
                "cannot use the CA file {name}: its certificate {} is no X.509 certificate ({e})",
                i + 1
            )));
        }
    }
    Ok(certs)
}

/// Whether `url` is a server's base address: absolute, http or https, without the API path,
/// a query or a fragment (the clients append `/api/2.0/...` themselves).
pub fn check_base_url(url: &str) -> Result<(), TargetError> {
    let parsed = reqwest::Url::parse(url).map_err(|e| {
        // A bare host name is the likely slip: show it with a scheme.
        let like = if !url.contains("://") && url.contains('.') && !url.contains(' ') {
            format!("https://{}", url.trim_start_matches('/'))
        } else {
            EXAMPLE_URL.to_owned()
        };
        TargetError(format!(
            "the server address `{url}` is not an absolute URL ({e}): give the portal's \
             base address, like {like}"
        ))
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(TargetError(format!(
            "the server address `{url}` uses the scheme `{}`: only http and https are \
             spoken, like {EXAMPLE_URL}",
            parsed.scheme()
        )));
    }
    // `…/api` or `…/api/2.0…`: the API's own path, which the clients add.
    let segments: Vec<&str> = parsed.path().split('/').collect();
    if let Some(i) = segments.iter().position(|s| s.eq_ignore_ascii_case("api")) {
        let next = segments.get(i + 1).copied().unwrap_or("");
        if next.is_empty() || next.starts_with(|c: char| c.is_ascii_digit()) {
            let base = format!(
                "{}{}",
                parsed.origin().ascii_serialization(),
                segments[..i].join("/")
            );
            return Err(TargetError(format!(
                "the server address `{url}` carries the API path: give the portal's base \
                 address, {base}"
            )));
        }
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(TargetError(format!(
            "the server address `{url}` carries a query or fragment: give the portal's base \
             address, like {EXAMPLE_URL}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(url: &str) -> String {
        check_base_url(url).expect_err("refused").0
    }

    fn temp(name: &str, text: &[u8]) -> PathBuf {
        let path =
            std::env::temp_dir().join(format!("fileops-transport-{}-{name}", std::process::id()));
        std::fs::write(&path, text).expect("writes");
        path
    }

    fn client(ca_file: CaFile) -> Result<reqwest::Client, TargetError> {
        http_client(&Settings {
            request_timeout: Duration::from_secs(1),
            ca_file: Some(ca_file),
            insecure: false,
        })
    }

    #[test]
    fn base_addresses_are_accepted() {
        for url in [
            "http://127.0.0.1:8080",
            "https://portal.example.com/",
            "https://example.com/onlyoffice",
            "https://example.com/apis",
        ] {
            assert_eq!(check_base_url(url), Ok(()), "{url}");
        }
    }

    #[test]
    fn a_non_url_says_what_is_wrong_and_shows_an_example() {
        let m = refused("not-a-url");
        assert!(m.contains("`not-a-url` is not an absolute URL"), "{m}");
        assert!(m.contains("like https://portal.example.com"), "{m}");
        let m = refused("portal.example.org");
        assert!(m.contains("like https://portal.example.org"), "{m}");
    }

    #[test]
    fn an_address_with_the_api_path_shows_the_base_address() {
        for (url, base) in [
            ("https://p.example.com/api/2.0", "https://p.example.com"),
            (
                "https://p.example.com/api/2.0/files",
                "https://p.example.com",
            ),
            ("https://p.example.com/api", "https://p.example.com"),
            (
                "http://127.0.0.1:8080/office/API/2.0/files/fileops",
                "http://127.0.0.1:8080/office",
            ),
        ] {
            let m = refused(url);
            assert!(m.contains("carries the API path"), "{m}");
            assert!(m.ends_with(&format!("address, {base}")), "{m}");
        }
    }

    #[test]
    fn other_schemes_queries_and_fragments_are_refused() {
        let m = refused("ftp://p.example.com");
        assert!(
            m.contains("scheme `ftp`") && m.contains("http and https"),
            "{m}"
        );
        for url in ["https://p.example.com/?x=1", "https://p.example.com/#top"] {
            assert!(refused(url).contains("query or fragment"), "{url}");
        }
    }

    #[test]
    fn bad_ca_files_are_named_with_the_reason() {
        let missing = std::env::temp_dir().join("fileops-transport-no-such-ca.pem");
        let m = client(CaFile::Given(missing)).expect_err("refused").0;
        assert!(
            m.contains("cannot read the CA file") && m.contains("no-such-ca.pem"),
            "{m}"
        );
        let text = temp("text.pem", b"just some text\n");
        let m = client(CaFile::Given(text.clone())).expect_err("refused").0;
        assert!(m.contains("text.pem holds no PEM certificate"), "{m}");
        let m = client(CaFile::FromEnvironment(text))
            .expect_err("refused")
            .0;
        assert!(m.contains("text.pem (SSL_CERT_FILE) holds no"), "{m}");
        let broken = temp(
            "broken.pem",
            b"-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n",
        );
        let m = client(CaFile::Given(broken)).expect_err("refused").0;
        assert!(m.contains("broken.pem is not valid PEM"), "{m}");
        // Well-formed PEM around bytes that are no certificate.
        let junk = temp(
            "junk.pem",
            b"-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n",
        );
        let m = client(CaFile::Given(junk)).expect_err("refused").0;
        assert!(
            m.contains("cannot use the CA file") && m.contains("junk.pem"),
            "{m}"
        );
    }

    #[test]
    fn a_bundle_of_certificates_is_trusted() {
        let cert = |name: &str| {
            let key = rcgen::KeyPair::generate().expect("key");
            let mut params = rcgen::CertificateParams::new(Vec::new()).expect("params");
            params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
            params
                .distinguished_name
                .push(rcgen::DnType::CommonName, name);
            params.self_signed(&key).expect("signs").pem()
        };
        let bundle = temp(
            "bundle.pem",
            format!("{}{}", cert("one"), cert("two")).as_bytes(),
        );
        assert!(client(CaFile::Given(bundle)).is_ok());
    }
}
