//! Contract tests: the client against Prism, an independent mock server of the curated document
//! (`prism mock --errors`, installed at a pinned version by `.ci/install-prism`).
//!
//! In static mode (Prism answers with the document's examples) and in dynamic mode (`-d`, data
//! generated from the schemas), every operation is called with realistic values, every
//! `clear_*` of the PATCH and PUT bodies included: Prism must accept each request (a violation
//! is an error response with `--errors`, or an `sl-violations` header) and the response must
//! decode. Every documented error status, forced with `Prefer: code=...` through the per-call
//! `.header()`, must become its typed error. And each request body is checked to be validated
//! at all: a body of the wrong type must be refused.
//!
//! A test binary of its own (`harness = false`) so that what it reports, including why it did
//! not run, is always printed. Without npm it says so and passes, except under `CI=true`, where
//! it fails.

use std::collections::{BTreeMap, BTreeSet};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant, SystemTime};

use carecycle::{Client, Error, ResponseValue, RetryPolicy, types};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const KEY: &str = "cc_contract_test_key";
const CUSTOMER: &str = "87d8e330-2878-4742-a86f-dbbb3bf522ac";
const PROVIDER: &str = "497f6eca-6276-4993-bfeb-53cbbbba6f08";
const FIELD_DEFINITION: &str = "079f459a-0b19-4274-98b0-427a624178ff";
const FIELD_VALUE: &str = "6ecd8c99-4036-403d-bf84-cf8400f67836";
const CAMPAIGN: &str = "8b1f6a5e-2c3d-4e5f-9a0b-1c2d3e4f5a6b";
const MEMBER: &str = "3c6e0b8a-9c0f-4b8e-8d5a-2f1e7c9b4a10";
const SOURCE: &str = "6f9d2c1b-7a4e-4c3d-9b2a-1e0f8d7c6b5a";
const PRESCRIPTION: &str = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

fn main() -> ExitCode {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if !filters.is_empty() && !filters.iter().any(|f| "contract".contains(f.as_str())) {
        println!("contract: filtered out");
        return ExitCode::SUCCESS;
    }
    let prism = match install_prism() {
        Ok(prism) => prism,
        Err(Missing::Npm(why)) if std::env::var("CI").as_deref() != Ok("true") => {
            println!("contract: NOT RUN, Prism could not be installed: {why}");
            println!(
                "contract: install Node.js 18.20 or later (with npm) to run the contract tests; CI=true makes this a failure"
            );
            return ExitCode::SUCCESS;
        }
        Err(Missing::Npm(why) | Missing::Other(why)) => {
            println!("contract: FAILED, Prism could not be installed: {why}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    match runtime.block_on(run(&prism)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            println!("contract: FAILED\n{failure}");
            ExitCode::FAILURE
        }
    }
}

enum Missing {
    Npm(String),
    Other(String),
}

fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `.ci/install-prism`, which prints the path of the pinned `prism`.
fn install_prism() -> Result<PathBuf, Missing> {
    let output = Command::new("bash")
        .arg(workspace().join(".ci/install-prism"))
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| Missing::Npm(format!("bash could not run .ci/install-prism: {e}")))?;
    let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    match output.status.code() {
        Some(0) => Ok(PathBuf::from(
            String::from_utf8_lossy(&output.stdout).trim(),
        )),
        Some(2) => Err(Missing::Npm(stderr)),
        _ => Err(Missing::Other(stderr)),
    }
}

async fn run(prism: &Path) -> Result<(), String> {
    let document = carecycle_codegen::load::load(&workspace().join("openapi/carecycle.yaml"))
        .map_err(|e| e.to_string())?
        .value;
    let spec = std::env::temp_dir().join(format!("carecycle-contract-{}.json", std::process::id()));
    std::fs::write(
        &spec,
        serde_json::to_vec_pretty(&for_prism(&document)).unwrap(),
    )
    .map_err(|e| e.to_string())?;
    let servers = [
        Mock::start(prism, &spec, false)?,
        Mock::start(prism, &spec, true)?,
    ];
    let mut failures = Vec::new();
    for server in &servers {
        server.wait_until_listening()?;
        let mode = server.mode();
        let outcome = check_server(&document, server).await;
        match outcome {
            Ok(summary) => println!("contract ({mode}): {summary}"),
            Err(failure) => failures.push(format!(
                "{mode} mode: {failure}\n--- prism log ---\n{}",
                server.log_tail()
            )),
        }
    }
    let _ = std::fs::remove_file(&spec);
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n\n"))
    }
}

/// The document as Prism is given it. Prism 5 (issue stoplightio/prism#1931) adds `null` to the
/// enum of a nullable schema itself, and when the enum already lists it, as OpenAPI 3.0.3 wants,
/// its validator skips the whole body without a word. Under Prism's reading, the enum without
/// `null` next to `nullable: true` means what the document says; `bodies_are_validated` proves
/// that every body is then validated.
fn for_prism(document: &Value) -> Value {
    fn go(value: &mut Value) {
        match value {
            Value::Object(map) => {
                if map.get("nullable") == Some(&Value::Bool(true))
                    && let Some(Value::Array(values)) = map.get_mut("enum")
                {
                    values.retain(|v| !v.is_null());
                }
                map.values_mut().for_each(go);
            }
            Value::Array(items) => items.iter_mut().for_each(go),
            _ => {}
        }
    }
    let mut copy = document.clone();
    go(&mut copy);
    copy
}

/// A Prism process, killed when dropped.
struct Mock {
    child: Child,
    port: u16,
    dynamic: bool,
    log: PathBuf,
}

impl Mock {
    fn start(prism: &Path, spec: &Path, dynamic: bool) -> Result<Mock, String> {
        let port = free_port()?;
        let log = std::env::temp_dir().join(format!(
            "carecycle-contract-{}-{port}.log",
            std::process::id()
        ));
        let log_file = std::fs::File::create(&log).map_err(|e| e.to_string())?;
        let mut command = Command::new(prism);
        command.args([
            "mock",
            "--errors",
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
        ]);
        if dynamic {
            // A fixed seed: the same generated data on every run.
            command.args(["-d", "--seed", "carecycle"]);
        }
        let child = command
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
            .stderr(log_file)
            .spawn()
            .map_err(|e| format!("{} could not start: {e}", prism.display()))?;
        Ok(Mock {
            child,
            port,
            dynamic,
            log,
        })
    }

    fn mode(&self) -> &'static str {
        if self.dynamic { "dynamic" } else { "static" }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn wait_until_listening(&self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(90);
        while Instant::now() < deadline {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            if log.contains("Prism is listening")
                && TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).is_ok()
            {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Err(format!(
            "Prism ({} mode) did not start listening within 90 s:\n{}",
            self.mode(),
            self.log_tail()
        ))
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

fn client(server: &Mock) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .pacing(None)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a client")
}

/// Every check against one server; a summary, or everything that failed.
async fn check_server(document: &Value, server: &Mock) -> Result<String, String> {
    let client = client(server);
    let mut failures = Vec::new();

    let mut called = BTreeSet::new();
    let mut clears = BTreeMap::new();
    for operation in OPERATIONS {
        called.insert(operation.to_owned());
        match call(&client, operation, None, &mut clears).await {
            Ok(()) => {}
            Err(failure) => failures.push(format!("{operation}: {failure}")),
        }
    }
    let documented: BTreeSet<String> = operation_ids(document);
    if called != documented {
        failures.push(format!(
            "the operations called are not the documented ones: missing {:?}, unknown {:?}",
            documented.difference(&called).collect::<Vec<_>>(),
            called.difference(&documented).collect::<Vec<_>>()
        ));
    }
    let plan = carecycle_codegen::plan::Plan::of(document);
    for (body, fields) in &plan.patch_fields {
        if clears.get(body.as_str()) != Some(&fields.len()) {
            failures.push(format!(
                "{body}: {} clearable fields, {:?} cleared",
                fields.len(),
                clears.get(body.as_str())
            ));
        }
    }

    let mut forced = 0;
    for operation in OPERATIONS {
        for status in carecycle_codegen::lint::ERROR_STATUSES {
            let prefer = format!("code={status}");
            let result = call(&client, operation, Some(&prefer), &mut BTreeMap::new()).await;
            forced += 1;
            if let Err(failure) = expect_error(status, server.dynamic, result) {
                failures.push(format!("{operation} with Prefer {prefer}: {failure}"));
            }
        }
    }

    let validated = bodies_are_validated(document, server).await;
    if let Err(failure) = &validated {
        failures.push(failure.clone());
    }

    if failures.is_empty() {
        Ok(format!(
            "{} operations accepted and decoded, {} clears in {} bodies, {forced} forced error responses typed, {} request bodies validated",
            called.len(),
            clears.values().sum::<usize>(),
            clears.len(),
            validated.unwrap_or_default()
        ))
    } else {
        Err(failures.join("\n"))
    }
}

fn operation_ids(document: &Value) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for item in document["paths"]
        .as_object()
        .into_iter()
        .flat_map(|p| p.values())
    {
        for operation in item.as_object().into_iter().flat_map(|o| o.values()) {
            if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                ids.insert(id.to_owned());
            }
        }
    }
    ids
}

/// What `call` failed on: a typed error, or a success Prism flagged.
enum CallFailure {
    Error(Error),
    Violations(String),
}

impl std::fmt::Display for CallFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallFailure::Error(error) => write!(f, "{error} ({error:?})"),
            CallFailure::Violations(v) => write!(f, "Prism reported violations: {v}"),
        }
    }
}

/// A success that Prism reported no violation for.
fn accepted<T>(response: Result<ResponseValue<T>, Error>) -> Result<T, CallFailure> {
    let response = response.map_err(CallFailure::Error)?;
    // Prism's report on the request it received; it holds no personal data.
    if let Some(violations) = response.headers().expose().get("sl-violations") {
        return Err(CallFailure::Violations(
            violations.to_str().unwrap_or("(not text)").to_owned(),
        ));
    }
    Ok(response.into_inner())
}

fn expect_error(
    status: &str,
    dynamic: bool,
    result: Result<(), CallFailure>,
) -> Result<(), String> {
    let error = match result {
        Err(CallFailure::Error(error)) => error,
        Err(other) => return Err(other.to_string()),
        Ok(()) => return Err("succeeded".into()),
    };
    let status_seen = error.status();
    let kind_fits = match (status, &error) {
        ("400", Error::BadRequest(_))
        | ("401", Error::Unauthorized(_))
        | ("403", Error::Forbidden(_)) => true,
        ("404", Error::NotFound(_)) | ("500", Error::Server(_)) => true,
        // The document's example carries one issue; generated data carries any number.
        ("422", Error::Validation { issues, .. }) => dynamic || issues.len() == 1,
        // The example says 60 seconds; generated data any whole number of seconds.
        ("429", Error::RateLimited { retry_after, .. }) => {
            dynamic || *retry_after == Some(Duration::from_secs(60))
        }
        _ => false,
    };
    if kind_fits && status_seen.map(|s| s.to_string()).as_deref() == Some(status) {
        Ok(())
    } else {
        Err(format!("not the typed error of {status}: {error:?}"))
    }
}

/// A request body of the wrong type for every operation that takes one must be refused (422):
/// Prism validates the body at all.
async fn bodies_are_validated(document: &Value, server: &Mock) -> Result<usize, String> {
    let mut checked = 0;
    let mut failures = Vec::new();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let Some(reference) = operation
                .pointer("/requestBody/content/application~1json/schema/$ref")
                .and_then(Value::as_str)
            else {
                continue;
            };
            let schema = document
                .pointer(reference.trim_start_matches('#'))
                .expect("the body schema");
            let Some((field, wrong)) = first_typed_property(document, schema) else {
                failures.push(format!("{method} {path}: no typed property to break"));
                continue;
            };
            let concrete = path
                .replace("{id}", CUSTOMER)
                .replace("{providerId}", PROVIDER)
                .replace("{customFieldId}", FIELD_VALUE)
                .replace("{prescriptionId}", PRESCRIPTION)
                .replace("{campaignId}", CAMPAIGN);
            let concrete = if path.starts_with("/v2/custom-fields/") {
                path.replace("{id}", FIELD_DEFINITION)
            } else {
                concrete
            };
            let body = json!({ field.clone(): wrong }).to_string();
            match raw_status(server.port, &method.to_uppercase(), &concrete, &body).await {
                Ok(422) => checked += 1,
                Ok(other) => failures.push(format!(
                    "{method} {path} with `{field}` of the wrong type: status {other}, not 422"
                )),
                Err(e) => failures.push(format!("{method} {path}: {e}")),
            }
        }
    }
    if failures.is_empty() {
        Ok(checked)
    } else {
        Err(failures.join("\n"))
    }
}

/// The first property with a type, and a value of another type: a number for a string, a
/// string for anything else.
fn first_typed_property(document: &Value, schema: &Value) -> Option<(String, Value)> {
    schema["properties"]
        .as_object()?
        .iter()
        .find_map(|(name, property)| {
            let property = match property.get("$ref").and_then(Value::as_str) {
                Some(target) => document.pointer(target.trim_start_matches('#'))?,
                None => property,
            };
            let wrong = if property.get("type")? == "string" {
                json!(12345)
            } else {
                json!("of the wrong type")
            };
            Some((name.clone(), wrong))
        })
}

/// Sends one request over a plain connection and returns the response status.
async fn raw_status(port: u16, method: &str, path: &str, body: &str) -> Result<u16, String> {
    let mut stream = tokio::net::TcpStream::connect((Ipv4Addr::LOCALHOST, port))
        .await
        .map_err(|e| e.to_string())?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\nx-api-key: {KEY}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .await
        .map_err(|e| e.to_string())?;
    let head = String::from_utf8_lossy(&response);
    head.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status line in {head:?}"))
}

const OPERATIONS: [&str; 23] = [
    "getCustomer",
    "updateCustomer",
    "listCustomers",
    "listCustomerCalls",
    "createCustomerProvider",
    "updateCustomerProvider",
    "deleteCustomerProvider",
    "createCustomerDependent",
    "updateCustomerPrescription",
    "createCustomerCustomFieldValue",
    "updateCustomerCustomFieldValue",
    "deleteCustomerCustomFieldValue",
    "updateCustomerCampaignStatus",
    "listCustomFieldDefinitions",
    "createCustomFieldDefinition",
    "getCustomFieldDefinition",
    "updateCustomFieldDefinition",
    "getCampaign",
    "listAgentSourceRestrictions",
    "createAgentSourceRestriction",
    "getSourcePerformance",
    "syncAca",
    "uploadLeads",
];

/// Sends `$builder` (with the `Prefer` header when given) and checks that Prism accepted it.
macro_rules! send {
    ($prefer:expr, $builder:expr) => {{
        let builder = $builder;
        let builder = match $prefer {
            Some(prefer) => builder.header("Prefer", prefer),
            None => builder,
        };
        accepted(builder.send().await)
    }};
}

/// Calls `clear_*` for each named field on a body builder, and counts them under the body's name.
macro_rules! clear_all {
    ($counts:expr, $body:literal, $builder:expr, [$($clear:ident),* $(,)?]) => {{
        let builder = $builder;
        $(let builder = builder.$clear();)*
        *$counts.entry($body).or_insert(0) += [$(stringify!($clear)),*].len();
        builder
    }};
}

/// Calls one operation with realistic values; a PATCH or PUT is called twice, once setting
/// fields and once clearing every clearable one.
async fn call(
    client: &Client,
    operation: &str,
    prefer: Option<&str>,
    clears: &mut BTreeMap<&'static str, usize>,
) -> Result<(), CallFailure> {
    match operation {
        "getCustomer" => {
            let customer = send!(prefer, client.get_customer().id(CUSTOMER))?;
            let _ = customer.id;
        }
        "updateCustomer" => {
            send!(
                prefer,
                client.update_customer().id(CUSTOMER).body_map(|b| b
                    .status(types::CustomerStatus::Active)
                    .preferred_name("Sam")
                    .gender(types::Gender::Female)
                    .line_type(types::LineType::Mobile)
                    .email("maria@example.test")
                    .household_income(42000)
                    .existing_coverage(types::ExistingCoverage::OriginalMedicare)
                    .do_not_sms(true)
                    .custom_data(json!({"referral": "spring mailing"})))
            )?;
            send!(
                prefer,
                client
                    .update_customer()
                    .id(CUSTOMER)
                    .body_map(|b| clear_all!(
                        clears,
                        "UpdateCustomerRequest",
                        b,
                        [
                            clear_address,
                            clear_address2,
                            clear_agent_name,
                            clear_agent_npn,
                            clear_annual_income,
                            clear_carrier_assigned_customer_id,
                            clear_carrier_name,
                            clear_city,
                            clear_client_customer_id,
                            clear_converted_at,
                            clear_county,
                            clear_created_by,
                            clear_current_source_id,
                            clear_custom_data,
                            clear_date_of_birth,
                            clear_dependent_count,
                            clear_desired_coverage_start_date,
                            clear_disqualification_reason,
                            clear_do_not_call,
                            clear_do_not_email,
                            clear_do_not_mail,
                            clear_do_not_sms,
                            clear_effective_date,
                            clear_email,
                            clear_enrollment_date,
                            clear_ethnicity,
                            clear_existing_coverage,
                            clear_existing_coverage_carrier,
                            clear_existing_coverage_plan_name,
                            clear_filing_status,
                            clear_first_name,
                            clear_gender,
                            clear_health_sherpa_customer_id,
                            clear_household_income,
                            clear_intent,
                            clear_is_decision_maker,
                            clear_language,
                            clear_last_contacted_at,
                            clear_last_name,
                            clear_line_type,
                            clear_marital_status,
                            clear_mbi_number,
                            clear_medicaid,
                            clear_medicaid_number,
                            clear_medicare_card,
                            clear_medicare_part_a_date,
                            clear_medicare_part_b_date,
                            clear_member_id,
                            clear_middle_name,
                            clear_original_source_id,
                            clear_plan_code,
                            clear_plan_name,
                            clear_postal_code,
                            clear_preferred_name,
                            clear_product_family,
                            clear_product_interest,
                            clear_qualification_status,
                            clear_salutation,
                            clear_social_security_disability,
                            clear_state,
                            clear_status,
                            clear_subsidy_amount,
                            clear_subsidy_eligible,
                            clear_suffix,
                            clear_timezone,
                            clear_updated_by,
                            clear_va_number,
                            clear_veteran,
                        ]
                    ))
            )?;
        }
        "listCustomers" => {
            let page = send!(prefer, client.list_customers().query("page", "1"))?;
            let _ = page.items.len();
        }
        "listCustomerCalls" => {
            send!(prefer, client.list_customer_calls().id(CUSTOMER))?;
        }
        "createCustomerProvider" => {
            send!(
                prefer,
                client
                    .create_customer_provider()
                    .id(CUSTOMER)
                    .body_map(|b| b
                        .provider_type(types::ProviderType::Specialist)
                        .specialty("Cardiology")
                        .provider_name("Dr. Lee")
                        .npi("1234567893")
                        .is_primary_provider(false))
            )?;
        }
        "updateCustomerProvider" => {
            send!(
                prefer,
                client
                    .update_customer_provider()
                    .id(CUSTOMER)
                    .provider_id(PROVIDER)
                    .body_map(|b| b
                        .specialty("Cardiology")
                        .phone("+15555550111")
                        .is_active(true))
            )?;
            send!(
                prefer,
                client
                    .update_customer_provider()
                    .id(CUSTOMER)
                    .provider_id(PROVIDER)
                    .body_map(|b| clear_all!(
                        clears,
                        "UpdateProviderRequest",
                        b,
                        [
                            clear_address,
                            clear_address2,
                            clear_city,
                            clear_email,
                            clear_fax,
                            clear_is_active,
                            clear_is_primary_provider,
                            clear_notes,
                            clear_npi,
                            clear_phone,
                            clear_postal_code,
                            clear_practice_name,
                            clear_provider_name,
                            clear_specialty,
                            clear_state,
                        ]
                    ))
            )?;
        }
        "deleteCustomerProvider" => {
            send!(
                prefer,
                client
                    .delete_customer_provider()
                    .id(CUSTOMER)
                    .provider_id(PROVIDER)
            )?;
        }
        "createCustomerDependent" => {
            send!(
                prefer,
                client
                    .create_customer_dependent()
                    .id(CUSTOMER)
                    .body_map(|b| b
                        .first_name("Alex")
                        .relationship_type(types::RelationshipType::Child)
                        .gender(types::Gender::NonBinary)
                        .is_covered(true))
            )?;
        }
        "updateCustomerPrescription" => {
            send!(
                prefer,
                client
                    .update_customer_prescription()
                    .id(CUSTOMER)
                    .prescription_id(PRESCRIPTION)
                    .body_map(|b| b
                        .dosage("20 mg")
                        .route(types::PrescriptionRoute::Oral)
                        .status(types::PrescriptionStatus::Active))
            )?;
            send!(
                prefer,
                client
                    .update_customer_prescription()
                    .id(CUSTOMER)
                    .prescription_id(PRESCRIPTION)
                    .body_map(|b| clear_all!(
                        clears,
                        "UpdatePrescriptionRequest",
                        b,
                        [
                            clear_dosage,
                            clear_frequency,
                            clear_name,
                            clear_route,
                            clear_status
                        ]
                    ))
            )?;
        }
        "createCustomerCustomFieldValue" => {
            send!(
                prefer,
                client
                    .create_customer_custom_field_value()
                    .id(CUSTOMER)
                    .body_map(|b| b
                        .field_definition_id(FIELD_DEFINITION)
                        .text_value("referred by a friend"))
            )?;
        }
        "updateCustomerCustomFieldValue" => {
            send!(
                prefer,
                client
                    .update_customer_custom_field_value()
                    .id(CUSTOMER)
                    .custom_field_id(FIELD_VALUE)
                    .body_map(|b| b
                        .number_value("12.5")
                        .multi_select_value(vec!["a".to_owned(), "b".to_owned()]))
            )?;
            send!(
                prefer,
                client
                    .update_customer_custom_field_value()
                    .id(CUSTOMER)
                    .custom_field_id(FIELD_VALUE)
                    .body_map(|b| clear_all!(
                        clears,
                        "UpdateCustomFieldValueRequest",
                        b,
                        [
                            clear_boolean_value,
                            clear_date_value,
                            clear_multi_select_value,
                            clear_number_value,
                            clear_select_value,
                            clear_text_value,
                        ]
                    ))
            )?;
        }
        "deleteCustomerCustomFieldValue" => {
            send!(
                prefer,
                client
                    .delete_customer_custom_field_value()
                    .id(CUSTOMER)
                    .custom_field_id(FIELD_VALUE)
            )?;
        }
        "updateCustomerCampaignStatus" => {
            send!(
                prefer,
                client.update_customer_campaign_status().body_map(|b| b
                    .customer_id(CUSTOMER)
                    .campaign_id(CAMPAIGN)
                    .status(types::CustomerCampaignStatus::Completed))
            )?;
        }
        "listCustomFieldDefinitions" => {
            send!(
                prefer,
                client.list_custom_field_definitions().query("page", "1")
            )?;
        }
        "createCustomFieldDefinition" => {
            let mut rules = serde_json::Map::new();
            rules.insert("maxLength".into(), json!(40));
            send!(
                prefer,
                client.create_custom_field_definition().body_map(|b| b
                    .record_type(types::RecordType::Customers)
                    .field_label("Lead source")
                    .field_description("Where the lead came from.")
                    .field_type(types::CustomFieldType::Select)
                    .options(vec!["Mailer".to_owned(), "Web".to_owned()])
                    .validation_rules(rules))
            )?;
        }
        "getCustomFieldDefinition" => {
            send!(
                prefer,
                client.get_custom_field_definition().id(FIELD_DEFINITION)
            )?;
        }
        "updateCustomFieldDefinition" => {
            send!(
                prefer,
                client
                    .update_custom_field_definition()
                    .id(FIELD_DEFINITION)
                    .body_map(|b| b.field_label("Lead source (2025)").is_required(true))
            )?;
            send!(
                prefer,
                client
                    .update_custom_field_definition()
                    .id(FIELD_DEFINITION)
                    .body_map(|b| clear_all!(
                        clears,
                        "UpdateCustomFieldDefinitionRequest",
                        b,
                        [clear_is_required, clear_options]
                    ))
            )?;
        }
        "getCampaign" => {
            send!(prefer, client.get_campaign().campaign_id(CAMPAIGN))?;
        }
        "listAgentSourceRestrictions" => {
            send!(
                prefer,
                client
                    .list_agent_source_restrictions()
                    .campaign_id(CAMPAIGN)
            )?;
        }
        "createAgentSourceRestriction" => {
            send!(
                prefer,
                client
                    .create_agent_source_restriction()
                    .campaign_id(CAMPAIGN)
                    .body_map(|b| b.member_id(MEMBER).source_id(SOURCE))
            )?;
        }
        "getSourcePerformance" => {
            let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_067_200);
            send!(
                prefer,
                client
                    .get_source_performance()
                    .campaign_id(CAMPAIGN)
                    .start_date(start)
            )?;
        }
        "syncAca" => {
            // Nested values are written as builders, in place.
            let policy = types::AcaSyncPolicy::builder()
                .plan_name(json!("Silver 70"))
                .carrier_name(json!("Ambetter"))
                .status(json!("Active"))
                .health_sherpa_policy_id(json!("hsp-2001"));
            let record = types::AcaSyncRecord::builder()
                .first_name("Maria")
                .last_name("Gonzalez")
                .phone_number("+15555550100")
                .postal_code("30301")
                .date_of_birth("04-12-1958")
                .marital_status(types::MaritalStatus::Married)
                .policies([policy]);
            send!(prefer, client.sync_aca().body_map(|b| b.records([record])))?;
        }
        "uploadLeads" => {
            let record = types::LeadRecord::builder()
                .phone_number("+15555550100")
                .postal_code("30301")
                .first_name("Sam")
                .gender(types::Gender::Male)
                .source_id(json!("spring-mailers"))
                .lead_cost(json!(12.5));
            send!(
                prefer,
                client.upload_leads().body_map(|b| b.records([record]))
            )?;
        }
        other => panic!("no call written for operation `{other}`"),
    }
    Ok(())
}
