//! Support shared by the workspace's tests and the client's example: a real HTTP/1.1 server on
//! loopback that answers from a script and records every request it reads, and a forwarding
//! proxy on loopback that records what passes through it.
//!
//! ```no_run
//! use harness::{Reply, TestServer};
//! # async fn demo() {
//! let server = TestServer::scripted(vec![
//!     Reply::json(503, serde_json::json!({"message": "busy", "code": "INTERNAL_ERROR"})),
//!     Reply::json(200, serde_json::json!({"ok": true})),
//! ])
//! .await;
//! // ... point a client at server.url() ...
//! assert_eq!(server.count(), 2);
//! # }
//! ```

// `json!` of a customer with every field nests deeper than the default limit.
#![recursion_limit = "256"]

pub mod capture;
pub mod fixtures;
mod proxy;

pub use proxy::TestProxy;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as the server read it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    /// The request target: path and query.
    pub path: String,
    /// Header names in lowercase, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first header with this (case-insensitive) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (`Value::Null` when there is none or it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A response with this status, headers and body.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Wait, then do the inner reply (a read timeout when the wait is longer than the
    /// client's request timeout).
    Delay(Duration, Box<Reply>),
    /// Reset the connection (TCP RST) without answering, after reading the request.
    Reset,
    /// A body of `total` bytes (`None`: without end), written in 64 KiB pieces, each after
    /// `pause`; with a `content-length` when `declare_length`, else chunked. It stops when the
    /// client closes the connection.
    Stream {
        status: u16,
        headers: Vec<(String, String)>,
        total: Option<u64>,
        declare_length: bool,
        pause: Duration,
    },
}

impl Reply {
    /// A JSON response.
    pub fn json(status: u16, body: Value) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    /// A response with a raw body and content type.
    pub fn raw(status: u16, content_type: &str, body: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// A JSON-typed body of `total` bytes (`None`: endless), chunked unless `declare_length`.
    pub fn stream(status: u16, total: Option<u64>, declare_length: bool) -> Reply {
        Reply::Stream {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            total,
            declare_length,
            pause: Duration::ZERO,
        }
    }

    /// An endless chunked body that sends a few bytes every `pause`.
    pub fn trickle(status: u16, pause: Duration) -> Reply {
        match Reply::stream(status, None, false) {
            Reply::Stream {
                status,
                headers,
                total,
                declare_length,
                ..
            } => Reply::Stream {
                status,
                headers,
                total,
                declare_length,
                pause,
            },
            _ => unreachable!("stream builds a Stream"),
        }
    }

    /// The same reply with one more header.
    pub fn with_header(self, name: &str, value: &str) -> Reply {
        match self {
            Reply::Respond {
                status,
                mut headers,
                body,
            } => {
                headers.push((name.to_ascii_lowercase(), value.to_owned()));
                Reply::Respond {
                    status,
                    headers,
                    body,
                }
            }
            Reply::Delay(wait, inner) => {
                Reply::Delay(wait, Box::new(inner.with_header(name, value)))
            }
            Reply::Stream {
                status,
                mut headers,
                total,
                declare_length,
                pause,
            } => {
                headers.push((name.to_ascii_lowercase(), value.to_owned()));
                Reply::Stream {
                    status,
                    headers,
                    total,
                    declare_length,
                    pause,
                }
            }
            Reply::Reset => Reply::Reset,
        }
    }

    /// The same reply after a wait.
    pub fn after(self, wait: Duration) -> Reply {
        Reply::Delay(wait, Box::new(self))
    }
}

type Responder = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

/// A loopback HTTP server; it stops when dropped.
pub struct TestServer {
    url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// A server that answers each request with `respond(request, index)` (index from 0).
    pub async fn start(
        respond: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let respond: Arc<Responder> = Arc::new(respond);
        let counter = Arc::new(AtomicUsize::new(0));
        let recorded = requests.clone();
        let connections = Arc::new(AtomicUsize::new(0));
        let accepted = connections.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let _ = stream.set_nodelay(true);
                accepted.fetch_add(1, Ordering::SeqCst);
                let (respond, recorded, counter) =
                    (respond.clone(), recorded.clone(), counter.clone());
                tokio::spawn(async move {
                    let _ = serve(stream, &*respond, &recorded, &counter).await;
                });
            }
        });
        TestServer {
            url,
            requests,
            connections,
            task,
        }
    }

    /// A server that answers the n-th request with `replies[n]`, repeating the last one.
    pub async fn scripted(replies: Vec<Reply>) -> TestServer {
        assert!(!replies.is_empty(), "a script needs at least one reply");
        TestServer::start(move |_, index| replies[index.min(replies.len() - 1)].clone()).await
    }

    /// The base URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Every request read so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// How many requests the server has read.
    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    /// How many connections the server has accepted (fewer than requests when clients reuse
    /// them).
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves requests on one connection until the client closes it.
async fn serve(
    mut stream: TcpStream,
    respond: &Responder,
    recorded: &Mutex<Vec<Recorded>>,
    counter: &AtomicUsize,
) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer).await? else {
            return Ok(());
        };
        let index = counter.fetch_add(1, Ordering::SeqCst);
        recorded.lock().unwrap().push(request.clone());
        let mut reply = respond(&request, index);
        while let Reply::Delay(wait, inner) = reply {
            tokio::time::sleep(wait).await;
            reply = *inner;
        }
        match reply {
            Reply::Respond {
                status,
                headers,
                body,
            } => {
                let mut head = format!(
                    "HTTP/1.1 {status} {}\r\ncontent-length: {}\r\n",
                    reason(status),
                    body.len()
                );
                for (name, value) in headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str("\r\n");
                // One write: a head and body in two segments would wait on delayed ACKs.
                let mut message = head.into_bytes();
                message.extend_from_slice(&body);
                stream.write_all(&message).await?;
                stream.flush().await?;
            }
            Reply::Reset => {
                // SO_LINGER 0 makes close send RST instead of FIN.
                let socket = socket2::SockRef::from(&stream);
                socket.set_linger(Some(Duration::ZERO))?;
                return Ok(());
            }
            Reply::Stream {
                status,
                headers,
                total,
                declare_length,
                pause,
            } => {
                write_stream(&mut stream, status, headers, total, declare_length, pause).await?;
            }
            Reply::Delay(..) => unreachable!("delays are unwrapped above"),
        }
    }
}

/// Writes a streamed reply; returns when it is complete or the client has gone.
async fn write_stream(
    stream: &mut TcpStream,
    status: u16,
    headers: Vec<(String, String)>,
    total: Option<u64>,
    declare_length: bool,
    pause: Duration,
) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    match total {
        Some(total) if declare_length => head.push_str(&format!("content-length: {total}\r\n")),
        _ => head.push_str("transfer-encoding: chunked\r\n"),
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    // A trickle sends a few bytes at a time; a stream sends 64 KiB pieces.
    let piece = if pause.is_zero() { 64 * 1024 } else { 8 };
    let filler = vec![b' '; piece];
    let mut left = total.unwrap_or(u64::MAX);
    while left > 0 {
        let size = usize::try_from(left).map_or(piece, |left| left.min(piece));
        if !pause.is_zero() {
            tokio::time::sleep(pause).await;
        }
        if declare_length {
            stream.write_all(&filler[..size]).await?;
        } else {
            let mut chunk = format!("{size:x}\r\n").into_bytes();
            chunk.extend_from_slice(&filler[..size]);
            chunk.extend_from_slice(b"\r\n");
            stream.write_all(&chunk).await?;
        }
        left -= size as u64;
    }
    if !declare_length {
        stream.write_all(b"0\r\n\r\n").await?;
    }
    stream.flush().await
}

/// Reads one request (head and `content-length` body); `None` when the connection closed.
pub(crate) async fn read_request(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
) -> std::io::Result<Option<Recorded>> {
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        let mut chunk = [0u8; 8192];
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut start = lines.next().unwrap_or_default().split(' ');
    let method = start.next().unwrap_or_default().to_owned();
    let path = start.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let body_start = head_end + 4;
    while buffer.len() < body_start + length {
        let mut chunk = [0u8; 8192];
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    let body = buffer[body_start..body_start + length].to_vec();
    buffer.drain(..body_start + length);
    Ok(Some(Recorded {
        method,
        path,
        headers,
        body,
    }))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}
