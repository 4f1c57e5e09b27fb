//! Runs the quickstart example's code against its loopback stand-in and checks what it did.
//!
//! The example's source is compiled into this test (rather than run as a process), so that
//! `cargo test` runs it every time and a change that breaks it fails here. The stand-in
//! answers only the requests the quickstart should send (a POST, then a PATCH with
//! `"specialty": null` and one with the bad email, then one upload of two leads), so a wrong
//! request fails the run.

#[path = "../examples/quickstart.rs"]
#[allow(dead_code)] // the example's `main` is not called here
mod quickstart;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quickstart_creates_clears_handles_a_validation_error_and_uploads_leads() {
    let server = quickstart::fake_carecycle().await;
    let client = quickstart::client_for(&server.base_url()).unwrap();
    let outcome = quickstart::run(&client, quickstart::CUSTOMER_ID)
        .await
        .unwrap();

    assert_eq!(outcome.provider_id.to_string(), quickstart::PROVIDER_ID);
    assert_eq!(outcome.specialty_after_clear, None);
    assert_eq!(outcome.rejected_paths, ["email"]);
    assert_eq!(outcome.leads_uploaded, Some(2));
    assert_eq!(
        outcome.refused_before_sending,
        "body.records[1].phoneNumber"
    );
}
