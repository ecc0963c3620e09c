//! `wsprobe run` against a wss:// server on 127.0.0.1 whose certificate a test CA signed: it
//! fails at TLS, saying why, until the CA is given with --ca-file; a CA file that cannot be
//! read is bad input, named, before anything is dialled.

// A test that cannot go on should stop with the reason: unwrap, expect and panic are its way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, OnceLock};

use common::{Dir, scenario, serve_on_thread};
use futures_util::{SinkExt, StreamExt};

const ECHO_STEPS: &str = r#"
    {"kind": "connect"},
    {"kind": "send", "text": "over TLS"},
    {"kind": "expect_message", "match": {"equals": "over TLS"}},
    {"kind": "close"},
    {"kind": "expect_close", "code": 1000}"#;

/// The test CA (as PEM) and a wss:// echo server on 127.0.0.1 with a certificate it signed,
/// running on its own thread until the test binary exits.
fn private_ca_server() -> &'static (String, String) {
    static SERVER: OnceLock<(String, String)> = OnceLock::new();
    SERVER.get_or_init(|| {
        let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(rcgen::DnType::CommonName, "wsprobe test CA");
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let ca_pem = ca.self_signed(&ca_key).unwrap().pem();
        let issuer = rcgen::Issuer::new(ca, ca_key);
        let mut params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "wsprobe run test");
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &issuer).unwrap();

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![cert.der().clone()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
            )
            .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
        let addr = serve_on_thread(|listener| async move {
            while let Ok((stream, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    // A client that refuses the certificate ends here; that is the point.
                    let Ok(tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    let Ok(mut socket) = tokio_tungstenite::accept_async(tls).await else {
                        return;
                    };
                    while let Some(Ok(message)) = socket.next().await {
                        if message.is_text() && socket.send(message).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        (format!("wss://{addr}/"), ca_pem)
    })
}

#[test]
fn a_server_with_a_private_ca_passes_only_with_ca_file() {
    let (url, ca_pem) = private_ca_server();
    let dir = Dir::new();
    let file = dir.write("tls.json", &scenario("TLS", url, "", ECHO_STEPS));
    let ca = dir.write("ca.pem", ca_pem);

    // Without the CA the certificate is refused, as a browser would refuse it, and said why.
    dir.wsprobe(&["run", &file], &[])
        .expect_code(1)
        .has("\u{2717} 1. Connect")
        .has("the TLS handshake with 127.0.0.1 failed: invalid peer certificate: UnknownIssuer");

    dir.wsprobe(&["run", &file, "--ca-file", &ca], &[])
        .expect_code(0)
        .has("\u{2713} 3. Expect message")
        .has("1 scenario: 1 passed, 0 failed");
}

#[test]
fn a_ca_file_that_is_missing_empty_or_not_pem_is_bad_input_named() {
    let (url, _) = private_ca_server();
    let dir = Dir::new();
    let file = dir.write("tls.json", &scenario("TLS", url, "", ECHO_STEPS));
    let missing = dir.path("no-such-ca.pem").to_string_lossy().into_owned();
    let empty = dir.write("empty.pem", "nothing here\n");
    let broken = dir.write(
        "broken.pem",
        "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
    );
    for (ca, says) in [
        (missing, "No such file"),
        (empty, "no certificate in it"),
        (broken, "--ca-file"),
    ] {
        dir.wsprobe(&["run", &file, "--ca-file", &ca], &[])
            .expect_code(2)
            .has(&format!("--ca-file {ca}: "))
            .has(says)
            // Nothing was dialled: the scenario never started.
            .lacks("1. Connect");
    }
}
