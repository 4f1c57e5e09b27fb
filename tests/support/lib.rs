//! Support shared by the workspace's tests and the client's example: a real HTTP/1.1 server on
//! loopback that answers from a script and records every request it reads.
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

pub mod fixtures;

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
            Reply::Delay(..) => unreachable!("delays are unwrapped above"),
        }
    }
}

/// Reads one request (head and `content-length` body); `None` when the connection closed.
async fn read_request(
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
