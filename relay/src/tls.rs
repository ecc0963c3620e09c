//! TLS for wss://: the usual webpki verification against the Mozilla roots (plus any CA given
//! with --ca-file), with the server's certificate kept so a refusal can show what it presented.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use wsprobe_core::relay::Certificate;

/// Built once: parsing the root store for every connection would be wasted work.
pub struct Tls {
    provider: Arc<CryptoProvider>,
    verifier: Arc<WebPkiServerVerifier>,
}

impl Tls {
    pub fn new(extra_roots: &[CertificateDer<'static>]) -> Result<Tls, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        for root in extra_roots {
            // read_ca_file has already tried each one.
            roots
                .add(root.clone())
                .map_err(|e| format!("--ca-file: {e}"))?;
        }
        let verifier =
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .map_err(|e| format!("TLS setup: {e}"))?;
        Ok(Tls { provider, verifier })
    }

    /// A client configuration for one connection, and where its server certificate will land.
    pub fn client_config(&self) -> Result<(Arc<ClientConfig>, Recorded), String> {
        let recorded = Recorded::default();
        let verifier = Recorder {
            inner: self.verifier.clone(),
            end_entity: recorded.clone(),
        };
        let config = ClientConfig::builder_with_provider(self.provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS setup: {e}"))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        Ok((Arc::new(config), recorded))
    }
}

/// Every certificate in a PEM file given with --ca-file (the relay's and `wsprobe run`'s), each
/// checked as a trust root; an error naming the file when it cannot be read or holds none.
pub fn read_ca_file(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let shown = path.display();
    let bytes = std::fs::read(path).map_err(|e| format!("--ca-file {shown}: {e}"))?;
    let found = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("--ca-file {shown}: not a readable PEM file: {e}"))?;
    if found.is_empty() {
        return Err(format!(
            "--ca-file {shown}: no certificate in it (expected -----BEGIN CERTIFICATE-----)"
        ));
    }
    for certificate in &found {
        RootCertStore::empty()
            .add(certificate.clone())
            .map_err(|e| {
                format!("--ca-file {shown}: a certificate in it cannot be trusted: {e}")
            })?;
    }
    Ok(found)
}

/// The end-entity certificate the server sent, once it has sent one.
#[derive(Clone, Default, Debug)]
pub struct Recorded(Arc<Mutex<Option<Vec<u8>>>>);

impl Recorded {
    pub fn certificate(&self) -> Option<Certificate> {
        let der = self.0.lock().ok()?.clone()?;
        describe(&der)
    }
}

/// Delegates every decision to webpki; it only writes down what it was shown.
#[derive(Debug)]
struct Recorder {
    inner: Arc<WebPkiServerVerifier>,
    end_entity: Recorded,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut slot) = self.end_entity.0.lock() {
            *slot = Some(end_entity.to_vec());
        }
        self.inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// Subject, issuer and validity of a DER certificate; None when it does not parse.
pub fn describe(der: &[u8]) -> Option<Certificate> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let validity = cert.validity();
    Some(Certificate {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        not_before: rfc3339(&validity.not_before),
        not_after: rfc3339(&validity.not_after),
    })
}

fn rfc3339(time: &x509_parser::time::ASN1Time) -> String {
    let t = time.to_datetime();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The rustls reason behind a failed TLS handshake, e.g. "invalid peer certificate: UnknownIssuer".
pub fn explain(error: &std::io::Error) -> String {
    match error
        .get_ref()
        .and_then(|e| e.downcast_ref::<rustls::Error>())
    {
        Some(tls) => tls.to_string(),
        None => error.to_string(),
    }
}
