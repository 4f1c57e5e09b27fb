//! The client-side pacer against a loopback server that enforces a rate limit: clones share one
//! pacer, so a bulk job runs at the limit without meeting a 429, and no sooner than the rate
//! allows.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use carecycle::{Client, Error, Pacing, RetryPolicy};
use harness::fixtures::{self, CUSTOMER_ID};
use harness::{Reply, TestServer};
use tokio::task::JoinSet;

/// A server that answers 429 when a request would make more than `limit` requests in the
/// last `window`, like careCycle's 60 a minute.
async fn rate_limited_server(limit: usize, window: Duration) -> (TestServer, Arc<Mutex<Vec<u16>>>) {
    let arrivals: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let statuses: Arc<Mutex<Vec<u16>>> = Arc::default();
    let seen = statuses.clone();
    let server = TestServer::start(move |_, _| {
        let now = Instant::now();
        let mut arrivals = arrivals.lock().unwrap();
        arrivals.push(now);
        let in_window = arrivals
            .iter()
            .filter(|t| now.duration_since(**t) < window)
            .count();
        let status = if in_window > limit { 429 } else { 201 };
        seen.lock().unwrap().push(status);
        if status == 429 {
            Reply::json(429, fixtures::rate_limited(1))
        } else {
            Reply::json(201, fixtures::dependent())
        }
    })
    .await;
    (server, statuses)
}

fn client(server: &TestServer, pacing: Option<Pacing>) -> Client {
    Client::builder()
        .api_key("cc_test_pacing_key")
        .base_url(server.url())
        .pacing(pacing)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// Sends `n` requests at once from clones of `client`; returns how many failed with a 429.
async fn bulk_job(client: &Client, n: usize) -> usize {
    let mut tasks = JoinSet::new();
    for _ in 0..n {
        let client = client.clone();
        tasks.spawn(async move {
            client
                .create_customer_dependent()
                .id(CUSTOMER_ID)
                .send()
                .await
                .map(|_| ())
        });
    }
    let mut limited = 0;
    while let Some(result) = tasks.join_next().await {
        match result.unwrap() {
            Ok(()) => {}
            Err(Error::RateLimited { .. }) => limited += 1,
            Err(other) => panic!("{other}"),
        }
    }
    limited
}

// The server allows 12 requests in any second; the client paces 10 a second. The two extra
// requests absorb scheduling jitter on a busy machine; a burst of 14 still meets the limit.
const N: usize = 14;
const LIMIT: usize = 12;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clones_sharing_the_pacer_run_at_the_rate_without_a_429() {
    let (server, statuses) = rate_limited_server(LIMIT, Duration::from_secs(1)).await;
    let client = client(&server, Some(Pacing::per_second(10)));
    let started = Instant::now();
    let limited = bulk_job(&client, N).await;
    let elapsed = started.elapsed();

    assert_eq!(limited, 0, "statuses seen: {:?}", statuses.lock().unwrap());
    assert_eq!(server.count(), N);
    assert!(!statuses.lock().unwrap().contains(&429));
    // N paced requests cannot finish before (N - 1) intervals.
    assert!(
        elapsed >= Duration::from_millis(100) * (N as u32 - 1),
        "{N} requests took {elapsed:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_job_without_pacing_meets_the_limit() {
    let (server, statuses) = rate_limited_server(LIMIT, Duration::from_secs(1)).await;
    let limited = bulk_job(&client(&server, None), N).await;
    assert_eq!(
        limited,
        N - LIMIT,
        "statuses seen: {:?}",
        statuses.lock().unwrap()
    );
    assert_eq!(server.count(), N);
}

#[tokio::test]
async fn the_default_pacing_is_one_request_a_second() {
    assert_eq!(Pacing::default(), Pacing::per_minute(60));
    assert_eq!(Pacing::default().interval, Duration::from_secs(1));
    let server = TestServer::scripted(vec![Reply::json(201, fixtures::dependent())]).await;
    let client = Client::builder()
        .api_key("cc_test_pacing_key")
        .base_url(server.url())
        .build()
        .unwrap();
    let started = Instant::now();
    for _ in 0..3 {
        client
            .clone()
            .create_customer_dependent()
            .id(CUSTOMER_ID)
            .send()
            .await
            .unwrap();
    }
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "3 requests took {:?}",
        started.elapsed()
    );
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn a_429_holds_back_every_clone_for_the_wait_it_asks() {
    let arrivals: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let seen = arrivals.clone();
    let server = TestServer::start(move |_, index| {
        seen.lock().unwrap().push(Instant::now());
        if index == 0 {
            Reply::json(429, fixtures::rate_limited(1))
        } else {
            Reply::json(201, fixtures::dependent())
        }
    })
    .await;
    let client = client(&server, Some(Pacing::per_second(100)));

    // The first call gets the 429 and, without retries, returns it at once...
    let error = client
        .clone()
        .create_customer_dependent()
        .id(CUSTOMER_ID)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::RateLimited { .. }), "{error:?}");
    // ...but the shared pacer holds the next request of any clone for the second asked.
    client
        .clone()
        .create_customer_dependent()
        .id(CUSTOMER_ID)
        .send()
        .await
        .unwrap();

    let arrivals = arrivals.lock().unwrap().clone();
    assert_eq!(arrivals.len(), 2);
    let gap = arrivals[1].duration_since(arrivals[0]);
    assert!(
        gap >= Duration::from_secs(1),
        "the next request came after {gap:?}"
    );
}

#[tokio::test]
async fn a_429_asking_for_more_than_the_cap_does_not_hold_the_pacer() {
    let server = TestServer::start(|_, index| {
        if index == 0 {
            Reply::json(429, fixtures::rate_limited(3600))
        } else {
            Reply::json(201, fixtures::dependent())
        }
    })
    .await;
    let client = client(&server, Some(Pacing::per_second(100)));
    let error = client
        .create_customer_dependent()
        .id(CUSTOMER_ID)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::RateLimited { retry_after: Some(w), .. } if w == Duration::from_secs(3600))
    );
    // The caller chose to get the error instead of waiting an hour: the pacer must not wait
    // it either. (The guard is an hour's twelfth, far from any scheduling delay.)
    let next = client.create_customer_dependent().id(CUSTOMER_ID).send();
    tokio::time::timeout(Duration::from_secs(300), next)
        .await
        .expect("the pacer was held for the hour the 429 asked")
        .unwrap();
    assert_eq!(server.count(), 2);
}
