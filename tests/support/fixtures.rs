//! Response bodies as the service sends them, every field filled, for tests that decode them.
//!
//! The personal values are distinctive strings, listed in [`PERSONAL_VALUES`], so that a test
//! can search any output (Debug, logs, errors) for them.

use serde_json::{Value, json};

/// A customer id used by the fixtures.
pub const CUSTOMER_ID: &str = "87d8e330-2878-4742-a86f-dbbb3bf522ac";
/// A provider id used by the fixtures.
pub const PROVIDER_ID: &str = "497f6eca-6276-4993-bfeb-53cbbbba6f08";
/// A dependent id used by the fixtures.
pub const DEPENDENT_ID: &str = "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b";
/// A custom field definition id used by the fixtures.
pub const FIELD_DEFINITION_ID: &str = "079f459a-0b19-4274-98b0-427a624178ff";
/// A custom field value id used by the fixtures.
pub const FIELD_VALUE_ID: &str = "6ecd8c99-4036-403d-bf84-cf8400f67836";

/// Every personal value in [`customer`], [`dependent`] and the notes of [`provider`].
pub const PERSONAL_VALUES: &[&str] = &[
    "Quintessa",
    "Marguerite",
    "Vanderhoeven",
    "Quinnie",
    "Dame",
    "Esq-IV",
    "+1-555-0142",
    "quintessa.v@example.org",
    "1957-11-23",
    "Ethnicity-Zeta",
    "94999",
    "Springfieldia",
    "Countyshire",
    "742 Evergreen Terrace",
    "Unit 7B",
    "1EG4-TE5-MK73",
    "MCD-00998877",
    "VA-55443322",
    "hs-cust-8841",
    "carrier-cust-7731",
    "87123",
    "64321",
    "Alexandrina",
    "Oakenshield",
    "Rosalind",
    "123-45-6789",
    "2012-03-09",
    "+1-555-0199",
    "alexandrina@example.org",
    "allergic to penicillin",
    "24681",
    "diagnosed with condition X",
];

/// A provider; `notes` is personal data.
pub fn provider() -> Value {
    json!({
        "id": PROVIDER_ID,
        "createdAt": "2024-01-01T10:00:00Z",
        "updatedAt": "2024-01-02T10:00:00Z",
        "customerId": CUSTOMER_ID,
        "providerType": "Primary Care",
        "specialty": "Cardiology",
        "providerName": "Dr. Lee",
        "practiceName": "Heart Clinic",
        "npi": "1234567893",
        "phone": "+1-555-0100",
        "fax": "+1-555-0101",
        "email": "office@heart.example",
        "address": "1 Clinic Way",
        "address2": "Suite 2",
        "city": "Oakland",
        "state": "CA",
        "postalCode": "94607",
        "isPrimaryProvider": true,
        "isActive": true,
        "notes": "diagnosed with condition X"
    })
}

/// A dependent with every field filled.
pub fn dependent() -> Value {
    json!({
        "id": DEPENDENT_ID,
        "createdAt": "2024-01-01T10:00:00Z",
        "updatedAt": "2024-01-02T10:00:00Z",
        "customerId": CUSTOMER_ID,
        "firstName": "Alexandrina",
        "lastName": "Oakenshield",
        "middleName": "Rosalind",
        "dateOfBirth": "2012-03-09",
        "gender": "Female",
        "annualIncome": 24681,
        "relationshipType": "Child",
        "phone": "+1-555-0199",
        "email": "alexandrina@example.org",
        "ssn": "123-45-6789",
        "isCovered": true,
        "coverageStartDate": "2024-01-01",
        "coverageEndDate": "2024-12-31",
        "isActive": true,
        "notes": "allergic to penicillin"
    })
}

/// A custom field value.
pub fn custom_field_value() -> Value {
    json!({
        "id": FIELD_VALUE_ID,
        "createdAt": "2024-01-01T10:00:00Z",
        "updatedAt": null,
        "fieldDefinitionId": FIELD_DEFINITION_ID,
        "recordId": CUSTOMER_ID,
        "recordType": "customers",
        "textValue": "referred by a friend",
        "numberValue": null,
        "booleanValue": null,
        "dateValue": null,
        "selectValue": null,
        "multiSelectValue": null
    })
}

/// A customer with every documented field filled.
pub fn customer() -> Value {
    json!({
        "id": CUSTOMER_ID,
        "createdAt": "2024-01-01T10:00:00Z",
        "createdBy": "c56a4180-65aa-42ec-a945-5fd21dec0538",
        "updatedAt": "2024-01-02T10:00:00Z",
        "updatedBy": "c56a4180-65aa-42ec-a945-5fd21dec0538",
        "clientId": "9b2a2f4e-8d4c-4c59-9d1f-1a3c5e7f9b11",
        "clientCustomerId": "client-42",
        "status": "Active",
        "qualificationStatus": "Qualified",
        "intent": "High",
        "isDecisionMaker": true,
        "disqualificationReason": null,
        "productInterest": "Medicare Advantage",
        "productFamily": "Health",
        "salutation": "Dame",
        "suffix": "Esq-IV",
        "firstName": "Quintessa",
        "middleName": "Marguerite",
        "lastName": "Vanderhoeven",
        "preferredName": "Quinnie",
        "callerId": "+1-555-0142",
        "lineType": "mobile",
        "email": "quintessa.v@example.org",
        "dateOfBirth": "1957-11-23",
        "language": "English",
        "ethnicity": "Ethnicity-Zeta",
        "gender": "Female",
        "maritalStatus": "Widowed",
        "postalCode": "94999",
        "timezone": "America/Los_Angeles",
        "state": "CA",
        "city": "Springfieldia",
        "county": "Countyshire",
        "address": "742 Evergreen Terrace",
        "address2": "Unit 7B",
        "mbiNumber": "1EG4-TE5-MK73",
        "medicareCard": true,
        "medicarePartADate": "2022-11-01",
        "medicarePartBDate": "2022-11-01",
        "medicaid": true,
        "medicaidNumber": "MCD-00998877",
        "socialSecurityDisability": false,
        "veteran": true,
        "vaNumber": "VA-55443322",
        "healthSherpaCustomerId": "hs-cust-8841",
        "householdIncome": 87123,
        "annualIncome": 64321,
        "filingStatus": "Single",
        "dependentCount": 1,
        "subsidyAmount": 0,
        "subsidyEligible": false,
        "existingCoverage": "Original Medicare",
        "existingCoveragePlanName": "Plan G",
        "existingCoverageCarrier": "Carrier Co",
        "desiredCoverageStartDate": "2025-01-01",
        "currentSourceId": "3f1c2b5a-8e2d-4a6b-9c7d-0e1f2a3b4c5d",
        "originalSourceId": "3f1c2b5a-8e2d-4a6b-9c7d-0e1f2a3b4c5d",
        "agentName": "Agent Smith",
        "agentNpn": 7654321,
        "memberId": "5d2e8f1a-3b4c-4d5e-8f6a-7b8c9d0e1f2a",
        "carrierName": "Carrier Co",
        "planName": "Plan G",
        "planCode": "PG-1",
        "enrollmentDate": "2024-01-15",
        "effectiveDate": "2024-02-01",
        "carrierAssignedCustomerId": "carrier-cust-7731",
        "doNotCall": false,
        "doNotSMS": true,
        "doNotEmail": false,
        "doNotMail": false,
        "lastContactedAt": "2024-03-01T09:00:00Z",
        "convertedAt": "2024-01-20T09:00:00Z",
        "testCustomer": false
    })
}

/// A validation error body with one issue per `(path, code)`.
pub fn validation_error(issues: &[(&str, &str)]) -> Value {
    let errors: Vec<Value> = issues
        .iter()
        .map(|(path, code)| {
            json!({
                "path": path.split('.').collect::<Vec<_>>(),
                "message": format!("Invalid {path}"),
                "expected": "string",
                "received": "number",
                "code": code
            })
        })
        .collect();
    json!({"message": "Validation failed", "code": "VALIDATION_ERROR", "errors": errors})
}

/// An error body with this code and message.
pub fn error_body(code: &str, message: &str) -> Value {
    json!({"message": message, "code": code})
}

/// The rate limit body, asking to wait `retry_after` seconds.
pub fn rate_limited(retry_after: u64) -> Value {
    json!({"message": "Rate limit exceeded", "code": "RATE_LIMIT_EXCEEDED", "retryAfter": retry_after})
}
