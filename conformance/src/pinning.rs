//! Trust for a self-hosted portal: a certificate given with `--ca-cert` is a CA for chain
//! validation, as before, and is also pinned, accepted as the server's own certificate when
//! the server presents exactly it, whatever its version, CA flag or names. So the two
//! self-signed recipes portals are set up with both work: a version-1 certificate with only a
//! CN (`openssl x509 -req -signkey`), which chain validation refuses as
//! `UnsupportedCertVersion`, and an `openssl req -x509` one (CA:TRUE used as the server's own),
//! refused as `CaUsedAsEndEntity`. curl's `--cacert` accepts both the same way.
//!
//! A pinned certificate still proves itself: the handshake's signature is checked with the
//! key it holds, so a server that only copied the (public) certificate is refused.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, SubjectPublicKeyInfoDer, UnixTime};
use rustls::{DigitallySignedStruct, Error, PeerMisbehaved, SignatureScheme};
use std::sync::Arc;

/// Verifies a server's certificate: exactly a pinned one, or a chain to a trusted root.
#[derive(Debug)]
pub struct PinnedOrChain {
    /// The pinned certificates, each with its public key.
    pinned: Vec<(CertificateDer<'static>, SubjectPublicKeyInfoDer<'static>)>,
    /// Chain validation over the platform's roots and the CA file's (`None`: no root at
    /// all, so only a pinned certificate is accepted).
    chain: Option<Arc<WebPkiServerVerifier>>,
    /// The signature algorithms of the crypto provider.
    algorithms: WebPkiSupportedAlgorithms,
}

impl PinnedOrChain {
    /// Pins `certificates` (those whose key can be read; others stay CAs only) beside `chain`.
    pub fn new(
        certificates: &[CertificateDer<'static>],
        chain: Option<Arc<WebPkiServerVerifier>>,
        provider: &CryptoProvider,
    ) -> Self {
        let pinned = certificates
            .iter()
            .filter_map(|cert| Some((cert.clone(), public_key(cert)?)))
            .collect();
        PinnedOrChain {
            pinned,
            chain,
            algorithms: provider.signature_verification_algorithms,
        }
    }

    /// The key of `cert` if it is pinned.
    fn pinned_key(&self, cert: &CertificateDer<'_>) -> Option<&SubjectPublicKeyInfoDer<'static>> {
        self.pinned
            .iter()
            .find(|(pinned, _)| pinned.as_ref() == cert.as_ref())
            .map(|(_, key)| key)
    }

    fn chain(&self) -> Result<&WebPkiServerVerifier, Error> {
        self.chain.as_deref().ok_or(Error::InvalidCertificate(
            rustls::CertificateError::UnknownIssuer,
        ))
    }

    /// Checks a TLS 1.2 handshake signature with a pinned key, by any algorithm the scheme
    /// allows (rustls's own check reads the key from the certificate, which a version-1
    /// certificate does not allow).
    fn verify_with_key(
        &self,
        message: &[u8],
        key: &SubjectPublicKeyInfoDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        let entity = webpki::RawPublicKeyEntity::try_from(key)
            .map_err(|e| Error::General(format!("the pinned certificate's key: {e}")))?;
        let algorithms = self
            .algorithms
            .mapping
            .iter()
            .find(|(scheme, _)| *scheme == dss.scheme)
            .map(|(_, algorithms)| *algorithms)
            .ok_or(PeerMisbehaved::SignedHandshakeWithUnadvertisedSigScheme)?;
        let signed = algorithms.iter().any(|alg| {
            entity
                .verify_signature(*alg, message, dss.signature())
                .is_ok()
        });
        if signed {
            Ok(HandshakeSignatureValid::assertion())
        } else {
            Err(Error::InvalidCertificate(
                rustls::CertificateError::BadSignature,
            ))
        }
    }
}

impl ServerCertVerifier for PinnedOrChain {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        if self.pinned_key(end_entity).is_some() {
            return Ok(ServerCertVerified::assertion());
        }
        self.chain()?
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        match self.pinned_key(cert) {
            Some(key) => self.verify_with_key(message, key, dss),
            None => self.chain()?.verify_tls12_signature(message, cert, dss),
        }
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        match self.pinned_key(cert) {
            Some(key) => rustls::crypto::verify_tls13_signature_with_raw_key(
                message,
                key,
                dss,
                &self.algorithms,
            ),
            None => self.chain()?.verify_tls13_signature(message, cert, dss),
        }
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// The public key a certificate holds, read whatever its version or extensions.
fn public_key(cert: &CertificateDer<'_>) -> Option<SubjectPublicKeyInfoDer<'static>> {
    let (_, parsed) = x509_parser::parse_x509_certificate(cert.as_ref()).ok()?;
    Some(SubjectPublicKeyInfoDer::from(
        parsed.public_key().raw.to_vec(),
    ))
}
