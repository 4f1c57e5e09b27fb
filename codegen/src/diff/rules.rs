//! The rule catalogue: every kind of change the spec diff reports, with its level, the semver
//! bump it needs in the client crate, and what it does to the crate's Rust API.
//!
//! This table is the single source: the walkers look rules up by id, and the rule table in
//! docs/spec-diff.md is generated from it (a test keeps the two in step).

use std::fmt;

use serde::Serialize;

/// How much a change matters to consumers of the crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Existing consumer code stops compiling or existing calls stop working.
    Breaking,
    /// Code keeps compiling, but consumers see different behaviour they should check.
    Warning,
    /// Nothing consumers rely on changes.
    Info,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Breaking => "breaking",
            Level::Warning => "warning",
            Level::Info => "info",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The semver bump a change needs in the client crate, in Cargo's sense.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// Nothing in the crate changes.
    None,
    /// Documentation or behaviour within the documented contract.
    Patch,
    /// Additions: new methods, fields, variants.
    Minor,
    /// Removals or changed types: needs a new major version (a new minor for 0.x).
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One kind of change.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// Stable id, kebab-case, in the manner of oasdiff.
    pub id: &'static str,
    pub level: Level,
    pub bump: Bump,
    /// What the change is, in the document.
    pub summary: &'static str,
    /// What it does to the generated crate's public API and to its consumers.
    pub rust: &'static str,
}

const fn rule(
    id: &'static str,
    level: Level,
    bump: Bump,
    summary: &'static str,
    rust: &'static str,
) -> Rule {
    Rule {
        id,
        level,
        bump,
        summary,
        rust,
    }
}

use Bump::{Major, Minor, Patch};
use Level::{Breaking, Info, Warning};

/// Every rule, grouped by area. Ids are stable: reviewers and tools match on them.
pub const RULES: &[Rule] = &[
    // Paths and operations.
    rule(
        "path-added",
        Info,
        Minor,
        "A path with its operations was added.",
        "New `Client` methods, one per operation.",
    ),
    rule(
        "path-removed",
        Breaking,
        Major,
        "A path with all its operations was removed.",
        "`Client` methods are removed; calls to them stop compiling.",
    ),
    rule(
        "operation-added",
        Info,
        Minor,
        "An operation was added to an existing path.",
        "A new `Client` method and its builder.",
    ),
    rule(
        "operation-removed",
        Breaking,
        Major,
        "An operation was removed.",
        "The `Client` method and its builder are removed; calls stop compiling.",
    ),
    rule(
        "operation-id-changed",
        Breaking,
        Major,
        "An operation's operationId changed.",
        "The `Client` method (named after the operationId) is renamed; calls stop compiling.",
    ),
    rule(
        "operation-path-changed",
        Warning,
        Patch,
        "An operation moved to another path, keeping its operationId.",
        "The `Client` method keeps its name and signature; released versions of the crate call the old path.",
    ),
    // Parameters.
    rule(
        "new-required-request-parameter",
        Breaking,
        Major,
        "A required parameter was added.",
        "A new builder method that must be called: existing calls fail in the builder before sending.",
    ),
    rule(
        "new-optional-request-parameter",
        Info,
        Minor,
        "An optional parameter was added.",
        "A new optional builder method.",
    ),
    rule(
        "request-parameter-removed",
        Breaking,
        Major,
        "A parameter was removed.",
        "The builder method of the parameter is removed; calls to it stop compiling.",
    ),
    rule(
        "request-parameter-renamed",
        Breaking,
        Major,
        "A path parameter was renamed.",
        "The builder method of the parameter is renamed; calls to it stop compiling.",
    ),
    rule(
        "request-parameter-became-required",
        Breaking,
        Major,
        "An optional parameter became required.",
        "Calls that do not set the parameter fail in the builder before sending.",
    ),
    rule(
        "request-parameter-became-optional",
        Info,
        Minor,
        "A required parameter became optional.",
        "The builder no longer insists on the parameter; existing calls keep working.",
    ),
    // Request bodies.
    rule(
        "request-body-added",
        Breaking,
        Major,
        "An operation without a request body now takes one.",
        "The builder gains `body`/`body_map`; calls without a body fail in the builder when it is required.",
    ),
    rule(
        "request-body-removed",
        Breaking,
        Major,
        "An operation's request body was removed.",
        "The builder's `body`/`body_map` methods are removed; calls to them stop compiling.",
    ),
    rule(
        "request-body-became-required",
        Breaking,
        Major,
        "An optional request body became required.",
        "Calls that send no body fail in the builder before sending.",
    ),
    rule(
        "request-body-became-optional",
        Info,
        Minor,
        "A required request body became optional.",
        "Existing calls keep working; the body may now be left out.",
    ),
    // Request properties.
    rule(
        "new-required-request-property",
        Breaking,
        Major,
        "A required property was added to a request body.",
        "A new field the builder checks before sending: existing calls fail until they set it.",
    ),
    rule(
        "new-optional-request-property",
        Info,
        Minor,
        "An optional property was added to a request body.",
        "A new field and builder setter on a `#[non_exhaustive]` type.",
    ),
    rule(
        "request-property-removed",
        Breaking,
        Major,
        "A request property was removed.",
        "The field and its builder setter are removed; code using them stops compiling.",
    ),
    rule(
        "request-property-became-required",
        Breaking,
        Major,
        "An optional request property became required.",
        "The builder now checks the field before sending: calls that leave it out fail.",
    ),
    rule(
        "request-property-became-optional",
        Info,
        Minor,
        "A required request property became optional.",
        "The builder no longer insists on the field; existing calls keep working.",
    ),
    rule(
        "request-property-became-nullable",
        Info,
        Patch,
        "An optional property of a non-PATCH request became nullable.",
        "No API change: the field is `Option<T>` and an unset field is not sent.",
    ),
    rule(
        "request-property-became-non-nullable",
        Info,
        Patch,
        "An optional property of a non-PATCH request is no longer nullable.",
        "No API change: the crate never sends `null` for an unset optional field.",
    ),
    rule(
        "request-required-property-nullability-changed",
        Breaking,
        Major,
        "A required request property became nullable or stopped being nullable.",
        "The field's type changes between `T` and `Option<T>`; setters and code reading the field change.",
    ),
    rule(
        "patch-field-became-clearable",
        Breaking,
        Major,
        "A field of a PATCH body became nullable.",
        "The field's type changes from `Option<T>` to `carecycle::Patch<T>` and the builder gains `clear_<field>()`; builder calls keep compiling, code reading the field does not.",
    ),
    rule(
        "patch-field-no-longer-clearable",
        Breaking,
        Major,
        "A nullable field of a PATCH body is no longer nullable.",
        "The builder's `clear_<field>()` is removed and the field's type changes from `carecycle::Patch<T>` to `Option<T>`.",
    ),
    // Request values (properties, parameters, items).
    rule(
        "request-type-changed",
        Breaking,
        Major,
        "The type or format of a request value changed so that its Rust type changes.",
        "The field's or setter's Rust type changes (for example `String` to `uuid::Uuid`, `i32` to `i64`).",
    ),
    rule(
        "request-format-changed",
        Info,
        Patch,
        "The format of a request value changed without changing its Rust type.",
        "No API change.",
    ),
    rule(
        "request-enum-value-added",
        Info,
        Minor,
        "A value was added to an enum that requests send.",
        "A new variant on a `#[non_exhaustive]` enum: consumers may send it.",
    ),
    rule(
        "request-enum-value-removed",
        Breaking,
        Major,
        "A value was removed from an enum that requests send.",
        "The variant is removed; the service rejects the value consumers may be sending.",
    ),
    rule(
        "request-max-length-decreased",
        Breaking,
        Major,
        "A request string's maxLength was lowered or added.",
        "The builder rejects values that were valid before; the service rejects them too.",
    ),
    rule(
        "request-max-length-increased",
        Info,
        Minor,
        "A request string's maxLength was raised or removed.",
        "Longer values are accepted; without any limit left the field's newtype becomes `String` (builder calls with `&str` keep compiling).",
    ),
    rule(
        "request-pattern-added",
        Breaking,
        Major,
        "A pattern was added to a request string.",
        "The builder and the service reject values that do not match; the field becomes a validated newtype.",
    ),
    rule(
        "request-pattern-changed",
        Breaking,
        Major,
        "The pattern of a request string changed.",
        "Values valid under the old pattern may be rejected by the builder and the service.",
    ),
    rule(
        "request-pattern-removed",
        Info,
        Minor,
        "The pattern of a request string was removed.",
        "More values are accepted; without any limit left the field's newtype becomes `String`.",
    ),
    rule(
        "request-range-narrowed",
        Breaking,
        Major,
        "A request value's minimum, maximum or minLength was tightened or added.",
        "Values valid before are rejected by the service.",
    ),
    rule(
        "request-range-widened",
        Info,
        Minor,
        "A request value's minimum, maximum or minLength was relaxed or removed.",
        "More values are accepted.",
    ),
    // Response properties and values.
    rule(
        "response-property-added",
        Info,
        Minor,
        "A property was added to a response.",
        "A new field on a `#[non_exhaustive]` response type.",
    ),
    rule(
        "response-property-removed",
        Breaking,
        Major,
        "A response property was removed.",
        "The field is removed from the response type; code reading it stops compiling.",
    ),
    rule(
        "response-property-became-optional",
        Breaking,
        Major,
        "A required, non-nullable response property became optional.",
        "The field's type changes from `T` to `Option<T>`; code reading it stops compiling.",
    ),
    rule(
        "response-property-became-required",
        Breaking,
        Major,
        "An optional, non-nullable response property became required.",
        "The field's type changes from `Option<T>` to `T`; code reading it stops compiling.",
    ),
    rule(
        "response-property-became-nullable",
        Breaking,
        Major,
        "A required response property became nullable.",
        "The field's type changes from `T` to `Option<T>`; code reading it stops compiling.",
    ),
    rule(
        "response-property-became-non-nullable",
        Breaking,
        Major,
        "A required, nullable response property is no longer nullable.",
        "The field's type changes from `Option<T>` to `T`; code reading it stops compiling.",
    ),
    rule(
        "response-property-presence-changed",
        Info,
        Patch,
        "A response property's required or nullable flag changed, and it stays optional or nullable.",
        "No API change: the field is `Option<T>` either way.",
    ),
    rule(
        "response-type-changed",
        Breaking,
        Major,
        "The type or format of a response value changed so that its Rust type changes.",
        "The field's Rust type changes; code reading it stops compiling.",
    ),
    rule(
        "response-format-changed",
        Info,
        Patch,
        "The format of a response value changed without changing its Rust type.",
        "No API change.",
    ),
    rule(
        "response-enum-value-added",
        Warning,
        Minor,
        "A value was added to an enum that responses carry.",
        "A new variant on a `#[non_exhaustive]` enum; released versions decode the value as `Unrecognized(String)` until consumers upgrade.",
    ),
    rule(
        "response-enum-value-removed",
        Breaking,
        Major,
        "A value was removed from an enum that responses carry.",
        "The variant is removed: `match` arms and code naming it stop compiling (decoding is unaffected).",
    ),
    rule(
        "response-limit-changed",
        Info,
        Patch,
        "A length, pattern or range limit of a response value changed.",
        "No API change: codegen drops limits from response-only schemas and responses are read tolerantly.",
    ),
    // Responses.
    rule(
        "success-status-added",
        Info,
        Patch,
        "An operation documents another success status with the same body.",
        "No API change: the runtime accepts every documented success status.",
    ),
    rule(
        "success-status-removed",
        Info,
        Patch,
        "A success status was removed while others remain.",
        "No API change: the operation keeps its success type.",
    ),
    rule(
        "success-status-replaced",
        Breaking,
        Major,
        "Every success status of an operation was replaced.",
        "The method's success handling changes; responses with the old status become errors.",
    ),
    rule(
        "response-body-added",
        Breaking,
        Major,
        "A success response without a body now has one.",
        "The method's return type changes from `ResponseValue<()>` to a typed body.",
    ),
    rule(
        "response-body-removed",
        Breaking,
        Major,
        "A success response lost its body.",
        "The method's return type changes to `ResponseValue<()>`; code reading the body stops compiling.",
    ),
    rule(
        "error-status-added",
        Warning,
        Patch,
        "An error status was added to an operation.",
        "No API change; consumers may see a `carecycle::Error` kind they did not see before for this call.",
    ),
    rule(
        "error-status-removed",
        Info,
        Patch,
        "An error status was removed from an operation.",
        "No API change; the runtime still classifies any error by its body's `code` and status.",
    ),
    rule(
        "error-body-changed",
        Warning,
        Patch,
        "The shape of an error body changed.",
        "Error bodies are decoded by the hand-written runtime (by `code` first, status second): check `generated-client/src/error.rs` still reads them.",
    ),
    // Security.
    rule(
        "security-requirement-added",
        Breaking,
        Major,
        "An operation without security now requires credentials.",
        "Calls fail unless the runtime sends the new credentials.",
    ),
    rule(
        "security-requirement-removed",
        Info,
        Patch,
        "An operation no longer requires credentials.",
        "No API change; the runtime still sends the API key.",
    ),
    rule(
        "security-requirement-changed",
        Breaking,
        Major,
        "An operation's security requirements changed.",
        "The hand-written runtime sends only the `x-api-key` header: it must change, or calls fail with 401.",
    ),
    rule(
        "security-scheme-changed",
        Breaking,
        Major,
        "A security scheme's type, location or name changed.",
        "The hand-written runtime must send the credentials differently, or calls fail with 401.",
    ),
    // Schemas.
    rule(
        "schema-renamed",
        Breaking,
        Major,
        "A place in the document now uses a component schema of another name.",
        "The Rust type in `carecycle::types` is renamed; code naming it stops compiling.",
    ),
    rule(
        "additional-properties-added",
        Info,
        Minor,
        "An object now keeps properties the document does not name (additionalProperties).",
        "The type gains a catch-all map field on a `#[non_exhaustive]` type.",
    ),
    rule(
        "additional-properties-removed",
        Breaking,
        Major,
        "An object no longer keeps properties the document does not name.",
        "The type's catch-all map field is removed; code reading it stops compiling.",
    ),
    // Documentation.
    rule(
        "description-changed",
        Info,
        Bump::None,
        "A summary or description changed.",
        "No API change; only the generated documentation changes.",
    ),
];

/// The rule with this id. Ids are compile-time constants of the walkers, so a miss is a bug.
pub fn rule_by_id(id: &str) -> &'static Rule {
    RULES
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| unreachable!("the walkers use only catalogue ids; `{id}` is not one"))
}

/// The rule table of docs/spec-diff.md, generated from the catalogue.
pub fn markdown_table() -> String {
    let mut out =
        String::from("| Rule id | Level | Bump | Change | Rust impact |\n|---|---|---|---|---|\n");
    for rule in RULES {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            rule.id,
            rule.level,
            rule.bump,
            rule.summary,
            rule.rust.replace('|', "\\|")
        ));
    }
    out
}
