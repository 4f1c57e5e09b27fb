//! TLS on loopback for the client's tests: a certificate authority made at test time, an
//! HTTPS front that decrypts and hands each connection to a plain [`TestServer`] (which records
//! the requests as usual), and an HTTP `CONNECT` proxy that records what it is asked and what
//! passes through its tunnels.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use harness::TestServer;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::{self, pki_types::PrivateKeyDer};

/// A root certificate and its key, which signs server certificates.
pub struct TestCa {
    pem: String,
    issuer: Issuer<'static, KeyPair>,
}

impl TestCa {
    /// A root with this common name. Roots and server certificates need names of their own:
    /// OpenSSL takes a certificate whose issuer is its own subject for a self-signed one.
    pub fn new(name: &str) -> TestCa {
        let mut params = CertificateParams::new(Vec::new()).expect("no names to check");
        params.distinguished_name = DistinguishedName::new();
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let key = KeyPair::generate().expect("a key pair");
        let pem = params.self_signed(&key).expect("a self-signed root").pem();
        TestCa {
            pem,
            issuer: Issuer::new(params, key),
        }
    }

    /// The root, as `add_root_certificates_pem` takes it.
    pub fn pem(&self) -> &str {
        &self.pem
    }

    /// A server configuration with a certificate for `localhost` and `127.0.0.1` signed by
    /// this root.
    fn server_config(&self) -> rustls::ServerConfig {
        let mut params = CertificateParams::new(["localhost".to_owned(), "127.0.0.1".to_owned()])
            .expect("valid names");
        params.distinguished_name = DistinguishedName::new();
        params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        params.use_authority_key_identifier_extension = true;
        params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
        let key = KeyPair::generate().expect("a key pair");
        let certificate = params
            .signed_by(&key, &self.issuer)
            .expect("a signed certificate");
        // The provider named, not the process-wide default: with several crypto features in the
        // build, rustls would not pick one.
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(
                vec![certificate.der().clone()],
                PrivateKeyDer::Pkcs8(key.serialize_der().into()),
            )
            .expect("a certificate and its key")
    }
}

/// An HTTPS listener on loopback in front of a plain [`TestServer`]: every connection whose
/// handshake completes is passed, decrypted, to the server. It stops when dropped.
pub struct HttpsFront {
    url: String,
    addr: SocketAddr,
    connections: Arc<AtomicUsize>,
    handshakes: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl HttpsFront {
    pub async fn start(ca: &TestCa, server: &TestServer) -> HttpsFront {
        let acceptor = TlsAcceptor::from(Arc::new(ca.server_config()));
        let backend = address_of(server.url());
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let (connections, handshakes) =
            (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let (accepted, completed) = (Arc::clone(&connections), Arc::clone(&handshakes));
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                accepted.fetch_add(1, Ordering::SeqCst);
                let (acceptor, completed) = (acceptor.clone(), Arc::clone(&completed));
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    completed.fetch_add(1, Ordering::SeqCst);
                    if let Ok(mut plain) = TcpStream::connect(backend).await {
                        let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
                    }
                });
            }
        });
        HttpsFront {
            url: format!("https://{addr}"),
            addr,
            connections,
            handshakes,
            task,
        }
    }

    /// The base URL, `https://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// `127.0.0.1:<port>`, as a `CONNECT` names it.
    pub fn authority(&self) -> String {
        self.addr.to_string()
    }

    /// Connections accepted, whether or not their handshake completed.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Handshakes that completed.
    pub fn handshakes(&self) -> usize {
        self.handshakes.load(Ordering::SeqCst)
    }
}

impl Drop for HttpsFront {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A listener on loopback that reads each client's first TLS record (its hello) and closes the
/// connection: a server gone mid-handshake, not one that refuses it. It stops when dropped.
pub struct HangUp {
    url: String,
    hellos: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl HangUp {
    pub async fn start() -> HangUp {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let url = format!("https://{}", listener.local_addr().expect("local address"));
        let hellos = Arc::new(AtomicUsize::new(0));
        let read = Arc::clone(&hellos);
        let task = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let read = Arc::clone(&read);
                tokio::spawn(async move {
                    // Read the whole record, so that closing sends the client an end of stream
                    // rather than a reset.
                    let mut header = [0u8; 5];
                    if stream.read_exact(&mut header).await.is_err() {
                        return;
                    }
                    let mut record =
                        vec![0u8; usize::from(u16::from_be_bytes([header[3], header[4]]))];
                    if stream.read_exact(&mut record).await.is_ok() && header[0] == 0x16 {
                        read.fetch_add(1, Ordering::SeqCst);
                    }
                });
            }
        });
        HangUp { url, hellos, task }
    }

    /// The base URL, `https://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Handshake records read, one per connection.
    pub fn hellos(&self) -> usize {
        self.hellos.load(Ordering::SeqCst)
    }
}

impl Drop for HangUp {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A loopback port that nothing listens on: bound, then let go.
pub fn unused_loopback_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("bind a loopback port")
        .port()
}

/// One `CONNECT` as the proxy read it.
#[derive(Clone, Debug)]
pub struct Connect {
    /// The request head, as sent.
    pub head: String,
    /// The authority it asked for (`host:port`).
    pub target: String,
    /// Every byte the client sent through the tunnel.
    pub tunnelled: Vec<u8>,
}

/// An HTTP proxy on loopback that answers `CONNECT` with 200 and splices bytes both ways,
/// recording each `CONNECT` and what the client sent through it. It stops when dropped.
pub struct ConnectProxy {
    url: String,
    connections: Arc<AtomicUsize>,
    connects: Arc<Mutex<Vec<Connect>>>,
    task: tokio::task::JoinHandle<()>,
}

impl ConnectProxy {
    pub async fn start() -> ConnectProxy {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let connections = Arc::new(AtomicUsize::new(0));
        let connects = Arc::new(Mutex::new(Vec::new()));
        let (accepted, recorded) = (Arc::clone(&connections), Arc::clone(&connects));
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                accepted.fetch_add(1, Ordering::SeqCst);
                let recorded = Arc::clone(&recorded);
                tokio::spawn(async move {
                    let _ = tunnel(stream, &recorded).await;
                });
            }
        });
        ConnectProxy {
            url,
            connections,
            connects,
            task,
        }
    }

    /// The proxy's URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Connections the proxy accepted.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Every `CONNECT` so far, with what its tunnel carried from the client.
    pub fn connects(&self) -> Vec<Connect> {
        self.connects.lock().unwrap().clone()
    }
}

impl Drop for ConnectProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn tunnel(mut client: TcpStream, recorded: &Mutex<Vec<Connect>>) -> std::io::Result<()> {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let byte = client.read_u8().await?;
        head.push(byte);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let target = match head.split(' ').collect::<Vec<_>>()[..] {
        ["CONNECT", target, ..] => target.to_owned(),
        _ => {
            client
                .write_all(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n")
                .await?;
            return Ok(());
        }
    };
    let index = {
        let mut recorded = recorded.lock().unwrap();
        recorded.push(Connect {
            head,
            target: target.clone(),
            tunnelled: Vec::new(),
        });
        recorded.len() - 1
    };
    let mut upstream = TcpStream::connect(&target).await?;
    client
        .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        .await?;
    let (mut from_client, mut to_client) = client.split();
    let (mut from_upstream, mut to_upstream) = upstream.split();
    let outbound = copy(&mut from_client, &mut to_upstream, |bytes| {
        recorded.lock().unwrap()[index]
            .tunnelled
            .extend_from_slice(bytes);
    });
    let inbound = copy(&mut from_upstream, &mut to_client, |_| {});
    let _ = tokio::join!(outbound, inbound);
    Ok(())
}

/// Copies until the reader ends, showing every piece to `seen` first.
async fn copy(
    from: &mut (impl AsyncRead + Unpin),
    to: &mut (impl AsyncWrite + Unpin),
    mut seen: impl FnMut(&[u8]),
) -> std::io::Result<()> {
    let mut buffer = [0u8; 8192];
    loop {
        let read = from.read(&mut buffer).await?;
        if read == 0 {
            return to.shutdown().await;
        }
        seen(&buffer[..read]);
        to.write_all(&buffer[..read]).await?;
    }
}

fn address_of(url: &str) -> SocketAddr {
    url.trim_start_matches("http://")
        .parse()
        .expect("a loopback server's address")
}
