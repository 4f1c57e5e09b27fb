//! A Standard Webhooks signer written apart from the crate's (RustCrypto `hmac` and `sha2`,
//! the `base64` crate), and the deliveries the webhook tests send.

#![allow(dead_code)] // each test binary uses part of it

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use http::{HeaderMap, HeaderValue};
use sha2::Sha256;

/// A signing secret in the form the careCycle dashboard shows (`whsec_`, 24 bytes, base64).
pub const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// `v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` under the decoded secret.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> String {
    let key = STANDARD
        .decode(secret.trim_start_matches("whsec_"))
        .expect("a base64 secret");
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes any key length");
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// Standard base64, with padding.
pub fn encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// The three headers careCycle sends.
pub fn headers(id: &str, timestamp: i64, signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("svix-id", HeaderValue::from_str(id).unwrap());
    headers.insert(
        "svix-timestamp",
        HeaderValue::from_str(&timestamp.to_string()).unwrap(),
    );
    headers.insert("svix-signature", HeaderValue::from_str(signature).unwrap());
    headers
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The `customer.created` example of the reference's events page, as far as it is shown,
/// and one property after the cut (kept in the catch-all).
pub fn customer_created() -> Vec<u8> {
    br#"{"event_type":"customer.created","id":"b1f7c0e2-3a4d-4e5f-8a9b-0c1d2e3f4a5b","createdAt":"2026-06-17T19:07:23.709Z","updatedAt":"2026-06-17T19:07:23.709Z","externalId":"CRM-48213","status":"Lead","firstName":"Marcus","middleName":null,"lastName":"Delacroix","salutation":null,"suffix":null,"preferredName":null,"phoneNumber":"+13128471928","lineType":"mobile","email":"marcus.delacroix@example.com","dateOfBirth":"1958-04-12","language":"en","ethnicity":null,"gender":"Male","maritalStatus":"Married","address":"4427 Westbrook Ave","address2":"Apt 3B","city":"Mesa","county":"Maricopa","state":"AZ","postalCode":"85204","timezone":"America/Phoenix","mbiNumber":"1EG4TE5MK73","medicareCard":true,"medicarePartADate":"2023-05-01","medicarePartBDate":"2023-05-01","hasMedicaid":false,"medicaidNumber":null,"socialSecurityDisability":false,"veteran":true,"vaNumber":"VA-5531"}"#.to_vec()
}
