//! The TLS stack, chosen by cargo feature: `native-tls`, else `rustls-ring`, else `rustls`
//! (aws-lc-rs). Extra root certificates are added to the platform's. And what a handshake the
//! stack refused looks like, so that it is not retried.

use std::error::Error as StdError;

use crate::Error;

/// Whether a TLS feature was compiled in (without one, only plain http on loopback works).
pub(crate) const AVAILABLE: bool = cfg!(any(
    feature = "rustls",
    feature = "rustls-ring",
    feature = "native-tls"
));

fn invalid(reason: String) -> Error {
    Error::InvalidConfig {
        setting: "root_certificates",
        reason,
    }
}

/// Sets the TLS stack and the extra roots (PEM bundles) on `http`.
#[cfg(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls"))]
pub(crate) fn configure(
    http: reqwest::ClientBuilder,
    pem_bundles: &[Vec<u8>],
) -> Result<reqwest::ClientBuilder, Error> {
    let mut certificates = Vec::new();
    for (index, pem) in pem_bundles.iter().enumerate() {
        let bundle = reqwest::Certificate::from_pem_bundle(pem)
            .ok()
            .filter(|certs| !certs.is_empty())
            .ok_or_else(|| invalid(format!("bundle {} holds no PEM certificate", index + 1)))?;
        certificates.extend(bundle);
    }
    #[cfg(feature = "native-tls")]
    let http = http.tls_backend_native().tls_certs_merge(certificates);
    #[cfg(all(feature = "rustls-ring", not(feature = "native-tls")))]
    let http = {
        // Read again as DER for rustls; reading them above checked them.
        drop(certificates);
        http.tls_backend_preconfigured(ring_config(pem_bundles)?)
    };
    #[cfg(all(
        feature = "rustls",
        not(feature = "rustls-ring"),
        not(feature = "native-tls")
    ))]
    let http = http.tls_backend_rustls().tls_certs_merge(certificates);
    Ok(http)
}

#[cfg(not(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls")))]
pub(crate) fn configure(
    http: reqwest::ClientBuilder,
    pem_bundles: &[Vec<u8>],
) -> Result<reqwest::ClientBuilder, Error> {
    if pem_bundles.is_empty() {
        Ok(http)
    } else {
        Err(invalid(
            "carecycle was built without a TLS feature (`rustls`, `rustls-ring`, `native-tls`)"
                .into(),
        ))
    }
}

/// rustls with the ring provider, given to reqwest whole: reqwest would otherwise look for a
/// process-wide provider, and installing one is the application's decision, not a library's.
#[cfg(all(feature = "rustls-ring", not(feature = "native-tls")))]
fn ring_config(pem_bundles: &[Vec<u8>]) -> Result<rustls::ClientConfig, Error> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    use std::sync::Arc;

    let roots = pem_bundles
        .iter()
        .flat_map(|pem| CertificateDer::pem_slice_iter(pem))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| invalid("a PEM certificate could not be read".into()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier =
        rustls_platform_verifier::Verifier::new_with_extra_roots(roots, provider.clone())
            .map_err(|e| invalid(format!("the platform's verifier refused them: {e}")))?;
    let tls = |e: rustls::Error| Error::InvalidConfig {
        setting: "tls",
        reason: e.to_string(),
    };
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth())
}

/// Whether a failed connection is the TLS library refusing the handshake (a certificate it does
/// not trust, no protocol in common, a peer that does not speak TLS), which another attempt
/// would meet again, rather than the network failing under it (refused, reset, a hang-up).
///
/// Told by the library's error type among the causes, never by their text: rustls's `Error`
/// (reqwest hands it over inside `io::Error`s), or native-tls's over an error of the TLS
/// library itself (OpenSSL's error stack); native-tls's over an `io::Error`, or over nothing
/// (OpenSSL's report of a peer that hung up), is the network's. Secure Transport's and
/// SChannel's errors carry no such cause, so there a refused handshake stays a connect failure.
pub(crate) fn refused_handshake(error: &(dyn StdError + 'static)) -> bool {
    causes(error).any(refused_by_library)
}

fn refused_by_library(cause: &(dyn StdError + 'static)) -> bool {
    #[cfg(any(feature = "rustls", feature = "rustls-ring"))]
    if cause.is::<rustls::Error>() {
        return true;
    }
    #[cfg(feature = "native-tls")]
    if cause.is::<native_tls::Error>() {
        return cause
            .source()
            .is_some_and(|inner| !inner.is::<std::io::Error>());
    }
    let _ = cause; // Without a TLS feature there is no library to ask.
    false
}

/// The error and its causes. An `io::Error`'s own `source` skips the error it wraps (the
/// cause's cause), so the walk looks inside it instead.
fn causes<'e>(
    error: &'e (dyn StdError + 'static),
) -> impl Iterator<Item = &'e (dyn StdError + 'static)> {
    std::iter::successors(Some(error), |&cause| next_cause(cause))
}

fn next_cause<'e>(cause: &'e (dyn StdError + 'static)) -> Option<&'e (dyn StdError + 'static)> {
    match cause.downcast_ref::<std::io::Error>() {
        Some(io) => io.get_ref().map(|inner| inner as &(dyn StdError + 'static)),
        None => cause.source(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;

    #[test]
    fn the_network_failing_is_no_refused_handshake() {
        let reset = io::Error::other(io::Error::from(io::ErrorKind::ConnectionReset));
        assert!(!refused_handshake(&reset));
        let hung_up = io::Error::new(io::ErrorKind::UnexpectedEof, "tls handshake eof");
        assert!(!refused_handshake(&hung_up));
        assert!(!refused_handshake(&io::Error::from(
            io::ErrorKind::ConnectionRefused
        )));
    }

    #[cfg(any(feature = "rustls", feature = "rustls-ring"))]
    #[test]
    fn rustls_refusing_is_found_inside_the_io_errors_that_carry_it() {
        let refusal = rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
        let carried = io::Error::other(io::Error::new(io::ErrorKind::InvalidData, refusal));
        // `source` alone never reaches it.
        assert!(
            carried
                .source()
                .is_none_or(|inner| !inner.is::<rustls::Error>())
        );
        assert!(refused_handshake(&carried));
    }
}
