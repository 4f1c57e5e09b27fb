//! Peak memory of a client that receives bodies it must not keep: a body announced as 2 GiB,
//! 2 GiB sent chunked without a length, and an endless chunked body, each with the default
//! settings (`DEFAULT_MAX_RESPONSE_BYTES`). The reference is the same process with the client
//! built and one ordinary call made (its connection pool warm), measured in the same run.
//!
//! Peak resident memory is `VmHWM` from `/proc/self/status`, reset before each case by writing
//! `5` to `/proc/self/clear_refs` (Linux). The loopback server runs in this process too; it
//! writes from one 64 KiB buffer, so what grows is the client.
//!
//! Run: `cargo bench -p carecycle-workspace --bench memory`

use std::time::Instant;

use carecycle::{Client, DEFAULT_MAX_RESPONSE_BYTES, Error, RetryPolicy};
use harness::{Reply, TestServer};

const CUSTOMER: &str = "87d8e330-2878-4742-a86f-dbbb3bf522ac";
const PROVIDER: &str = "497f6eca-6276-4993-bfeb-53cbbbba6f08";
const TWO_GIB: u64 = 2 << 30;
/// Target from the issue: at most 64 MiB above the idle client.
const TARGET_MIB: f64 = 64.0;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let cases = [
        (
            "2 GiB, content-length",
            Reply::stream(200, Some(TWO_GIB), true),
        ),
        ("2 GiB, chunked", Reply::stream(200, Some(TWO_GIB), false)),
        ("endless, chunked", Reply::stream(200, None, false)),
    ];
    let mut script = vec![Reply::json(200, harness::fixtures::provider())];
    script.extend(cases.iter().map(|(_, reply)| reply.clone()));
    let server = TestServer::scripted(script).await;
    let client = Client::builder()
        .api_key("cc_bench_key")
        .base_url(server.url())
        .pacing(None)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");

    call(&client).await.expect("the ordinary call succeeds");
    reset_peak();
    let idle = peak_kib();
    println!("limit: {DEFAULT_MAX_RESPONSE_BYTES} bytes (the default)");
    println!(
        "idle client (after one ordinary call): peak {:.1} MiB",
        mib(idle)
    );
    println!();
    println!("| body | outcome | time | peak RSS | above idle | peak / idle |");
    println!("|---|---|---:|---:|---:|---:|");
    let mut worst: f64 = 0.0;
    for (name, _) in &cases {
        reset_peak();
        let started = Instant::now();
        let outcome = match call(&client).await {
            Err(Error::ResponseTooLarge { .. }) => "ResponseTooLarge".to_owned(),
            other => format!("unexpected: {other:?}"),
        };
        let elapsed = started.elapsed();
        let peak = peak_kib();
        let above = mib(peak.saturating_sub(idle));
        worst = worst.max(above);
        println!(
            "| {name} | {outcome} | {:.0} ms | {:.1} MiB | {above:.1} MiB | {:.2} |",
            elapsed.as_secs_f64() * 1000.0,
            mib(peak),
            peak as f64 / idle as f64
        );
    }
    println!();
    let verdict = if worst <= TARGET_MIB {
        "met"
    } else {
        "NOT met"
    };
    println!("target: at most {TARGET_MIB} MiB above idle: {verdict} (worst {worst:.1} MiB)");
}

async fn call(client: &Client) -> Result<(), Error> {
    client
        .update_customer_provider()
        .id(CUSTOMER)
        .provider_id(PROVIDER)
        .body_map(|b| b.specialty("Cardiology"))
        .send()
        .await
        .map(drop)
}

/// Resets the peak resident set size of this process to its current size.
fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5")
        .expect("resetting VmHWM needs Linux and /proc/self/clear_refs");
}

/// The peak resident set size since the last reset, in KiB.
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/self/status")
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}
