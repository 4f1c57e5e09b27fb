//! Prints the JSON Schema of a request body, to validate input before it reaches the client.
//!
//! `cargo run -p carecycle --features schemars --example json_schema`

use carecycle::types::UpdateProviderRequest;

fn main() {
    let schema = schemars::schema_for!(UpdateProviderRequest);
    println!(
        "{}",
        serde_json::to_string_pretty(&schema).expect("a schema is JSON")
    );
}
