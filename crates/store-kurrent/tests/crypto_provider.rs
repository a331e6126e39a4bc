//! Its own process, so nothing but the call under test installs a rustls provider.

use rustls::crypto::CryptoProvider;

#[test]
fn rustls_works_once_the_provider_is_installed() {
    // With kurrentdb in the graph rustls has both aws-lc-rs and ring, so it picks no default
    // from its features: without the call below `ClientConfig::builder()` would panic.
    assert!(CryptoProvider::get_default().is_none());
    store_kurrent::install_crypto_provider();
    assert!(CryptoProvider::get_default().is_some());
    let config = rustls::ClientConfig::builder()
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth();
    assert!(!config.crypto_provider().cipher_suites.is_empty());
    // A second call (another store, the binary's start-up) keeps the provider installed.
    store_kurrent::install_crypto_provider();
    assert!(CryptoProvider::get_default().is_some());
}
