//! A forwarding HTTP proxy on loopback: it reads each request in absolute form
//! (`GET http://127.0.0.1:4000/v2/... HTTP/1.1`), records it, sends it on to the server it
//! names over a new connection, and passes the response back. Plain http only (no `CONNECT`).

use std::sync::{Arc, Mutex};

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

use crate::{Recorded, read_request};

/// A loopback proxy; it stops when dropped.
pub struct TestProxy {
    url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl TestProxy {
    pub async fn start() -> TestProxy {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = requests.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let recorded = recorded.clone();
                tokio::spawn(async move {
                    let _ = forward(stream, &recorded).await;
                });
            }
        });
        TestProxy {
            url,
            requests,
            task,
        }
    }

    /// The proxy's URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Every request the proxy read, as it read it (`path` is the absolute URL).
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for TestProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Headers meant for the proxy itself, not passed on.
const HOP_BY_HOP: [&str; 4] = [
    "proxy-connection",
    "proxy-authorization",
    "connection",
    "keep-alive",
];

async fn forward(mut client: TcpStream, recorded: &Mutex<Vec<Recorded>>) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    while let Some(request) = read_request(&mut client, &mut buffer).await? {
        recorded.lock().unwrap().push(request.clone());
        let Some(rest) = request.path.strip_prefix("http://") else {
            client
                .write_all(b"HTTP/1.1 501 Not Implemented\r\ncontent-length: 0\r\n\r\n")
                .await?;
            continue;
        };
        let (authority, origin) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let origin = if origin.is_empty() { "/" } else { origin };
        let mut upstream = TcpStream::connect(authority).await?;
        let mut message = format!("{} {origin} HTTP/1.1\r\n", request.method).into_bytes();
        for (name, value) in &request.headers {
            if !HOP_BY_HOP.contains(&name.as_str()) {
                message.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
            }
        }
        message.extend_from_slice(b"\r\n");
        message.extend_from_slice(&request.body);
        upstream.write_all(&message).await?;
        // A response reads like a request: its "method" is the version, its "path" the status.
        let mut upstream_buffer = Vec::new();
        let Some(response) = read_request(&mut upstream, &mut upstream_buffer).await? else {
            return Ok(());
        };
        let mut message = format!("HTTP/1.1 {} Proxied\r\n", response.path).into_bytes();
        for (name, value) in &response.headers {
            message.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        message.extend_from_slice(b"\r\n");
        message.extend_from_slice(&response.body);
        client.write_all(&message).await?;
    }
    Ok(())
}
