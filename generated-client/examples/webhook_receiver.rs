//! A webhook receiver: an axum server that verifies careCycle's deliveries, decodes them and
//! dispatches each event to a handler.
//!
//! It runs offline: started on loopback, it is sent one signed `customer.created` delivery
//! and one that is tampered with.
//!
//! ```sh
//! cargo run -p carecycle --example webhook_receiver
//! ```
//!
//! In a service, build the [`Verifier`] from the endpoint's signing secret (from your secret
//! store), and serve [`router`] behind your HTTPS front end at the URL registered in
//! careCycle's dashboard.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use carecycle::types::WebhookEvent;
use carecycle::webhooks::{Delivery, Verifier, WebhookError};

/// What the service does with each event. Here: it records what it saw.
#[derive(Clone, Default)]
pub struct Handler {
    seen: Arc<Mutex<Vec<String>>>,
}

impl Handler {
    /// Dispatches one verified delivery by its event.
    fn handle(&self, delivery: &Delivery) {
        let what = match &delivery.event {
            WebhookEvent::CustomerCreated(customer) => format!("new customer {}", id(customer.id)),
            WebhookEvent::CustomerUpdated(customer) => {
                format!("customer {} changed", id(customer.id))
            }
            WebhookEvent::CallCompleted(call) => {
                format!("call completed ({} properties)", call.extra.len())
            }
            // careCycle added an event this crate does not know: acknowledge it all the same.
            other => format!("ignored {}", other.event_type()),
        };
        self.seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(format!("{}: {what}", delivery.id));
    }

    /// One line per event handled, in order.
    pub fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

fn id(id: Option<uuid::Uuid>) -> String {
    id.map_or_else(|| "without id".to_owned(), |id| id.to_string())
}

#[derive(Clone)]
struct Receiver {
    verifier: Verifier,
    handler: Handler,
}

/// `POST /webhooks/carecycle`. Bodies over the verifier's limit are refused (413) before
/// they are read whole.
pub fn router(verifier: Verifier, handler: Handler) -> Router {
    let limit = verifier.max_body_bytes();
    Router::new()
        .route("/webhooks/carecycle", post(receive))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(Receiver { verifier, handler })
}

/// 204 when the event was handled (any 2xx acknowledges), 400 when the delivery does not
/// verify. The reason is logged (it never holds the secret or the payload), not returned.
async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    match receiver.verifier.verify(&headers, &body) {
        Ok(delivery) => {
            receiver.handler.handle(&delivery);
            StatusCode::NO_CONTENT
        }
        Err(WebhookError::BodyTooLarge { .. }) => StatusCode::PAYLOAD_TOO_LARGE,
        Err(error) => {
            eprintln!("refused a webhook delivery: {error}");
            StatusCode::BAD_REQUEST
        }
    }
}

/// Serves `router` on `listener` until the task is dropped.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(listener, router).await
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A stand-in for the endpoint's secret; careCycle's dashboard shows the real one.
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let handler = Handler::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/webhooks/carecycle", listener.local_addr()?);
    tokio::spawn(serve(
        listener,
        router(Verifier::new(secret)?, handler.clone()),
    ));

    // Play careCycle: sign a delivery with the Standard Webhooks library and POST it.
    let body = r#"{"event_type":"customer.created","id":"b1f7c0e2-3a4d-4e5f-8a9b-0c1d2e3f4a5b","firstName":"Marcus"}"#;
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs() as i64;
    let signature =
        standardwebhooks::Webhook::new(secret)?.sign("msg_example", timestamp, body.as_bytes())?;
    let http = reqwest::Client::new();
    for (label, sent) in [
        ("signed", body.to_owned()),
        ("tampered", body.replace("Marcus", "Mallory")),
    ] {
        let status = http
            .post(&url)
            .header("svix-id", "msg_example")
            .header("svix-timestamp", timestamp.to_string())
            .header("svix-signature", &signature)
            .body(sent)
            .send()
            .await?
            .status();
        println!("{label} delivery: {status}");
    }
    println!("handled: {:?}", handler.seen());
    Ok(())
}
