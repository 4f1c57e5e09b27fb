//! The TLS stack, chosen by cargo feature: `native-tls`, else `rustls-ring`, else `rustls`
//! (aws-lc-rs). Extra root certificates are added to the platform's.

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
