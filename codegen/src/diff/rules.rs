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
    /// What it does to the generated crate's public items, checked against the crate
    /// generated from both documents.
    pub api: Api,
}

/// What a rule says a change does to the public items of the generated crate. The spec diff
/// generates both crates and reports a rule whose claim the generated API contradicts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Api {
    /// No public item changes (behaviour or the wire may still change).
    Unchanged,
    /// Public items are added, none removed or changed.
    Added,
    /// A public item is removed or changes its type or signature.
    Breaks,
    /// It depends on the schema (a limit on a plain string makes it a newtype): not checked.
    Varies,
}

impl Api {
    pub fn as_str(self) -> &'static str {
        match self {
            Api::Unchanged => "unchanged",
            Api::Added => "added",
            Api::Breaks => "breaks",
            Api::Varies => "varies",
        }
    }
}

const fn rule(
    id: &'static str,
    level: Level,
    bump: Bump,
    summary: &'static str,
    rust: &'static str,
    api: Api,
) -> Rule {
    Rule {
        id,
        level,
        bump,
        summary,
        rust,
        api,
    }
}

use Api::{Added, Breaks, Unchanged, Varies};
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
        Added,
    ),
    rule(
        "path-removed",
        Breaking,
        Major,
        "A path with all its operations was removed.",
        "`Client` methods are removed; calls to them stop compiling.",
        Breaks,
    ),
    rule(
        "operation-added",
        Info,
        Minor,
        "An operation was added to an existing path.",
        "A new `Client` method and its builder.",
        Added,
    ),
    rule(
        "operation-removed",
        Breaking,
        Major,
        "An operation was removed.",
        "The `Client` method and its builder are removed; calls stop compiling.",
        Breaks,
    ),
    rule(
        "operation-id-changed",
        Breaking,
        Major,
        "An operation's operationId changed.",
        "The `Client` method (named after the operationId) is renamed; calls stop compiling.",
        Breaks,
    ),
    rule(
        "operation-path-changed",
        Breaking,
        Patch,
        "An operation moved to another path, keeping its operationId.",
        "The `Client` method keeps its name and signature, but released versions of the crate keep calling the old path: they fail once it is gone. A patch release follows the move.",
        Unchanged,
    ),
    // Parameters.
    rule(
        "new-required-request-parameter",
        Breaking,
        Major,
        "A required parameter was added.",
        "A new builder method that must be called: existing calls fail in the builder before sending.",
        Added,
    ),
    rule(
        "new-optional-request-parameter",
        Info,
        Minor,
        "An optional parameter was added.",
        "A new optional builder method.",
        Added,
    ),
    rule(
        "request-parameter-removed",
        Breaking,
        Major,
        "A parameter was removed.",
        "The builder method of the parameter is removed; calls to it stop compiling.",
        Breaks,
    ),
    rule(
        "request-parameter-renamed",
        Breaking,
        Major,
        "A path parameter was renamed.",
        "The builder method of the parameter is renamed; calls to it stop compiling.",
        Breaks,
    ),
    rule(
        "request-parameter-became-required",
        Breaking,
        Major,
        "An optional parameter became required.",
        "Calls that do not set the parameter fail in the builder before sending; the typed mock's `When` method for it takes the value instead of an `Option`.",
        Breaks,
    ),
    rule(
        "request-parameter-became-optional",
        Breaking,
        Major,
        "A required parameter became optional.",
        "The builder no longer insists on the parameter, but the typed mock's `When` method for it now takes an `Option`: tests that match on it stop compiling.",
        Breaks,
    ),
    // Request bodies.
    rule(
        "request-body-added",
        Breaking,
        Major,
        "An operation without a request body now takes one.",
        "The builder gains `body`/`body_map`; calls without a body fail in the builder when it is required.",
        Added,
    ),
    rule(
        "request-body-removed",
        Breaking,
        Major,
        "An operation's request body was removed.",
        "The builder's `body`/`body_map` methods are removed; calls to them stop compiling.",
        Breaks,
    ),
    rule(
        "request-body-became-required",
        Breaking,
        Major,
        "An optional request body became required.",
        "Calls that send no body fail in the builder before sending.",
        Unchanged,
    ),
    rule(
        "request-body-became-optional",
        Info,
        Minor,
        "A required request body became optional.",
        "Existing calls keep working; the body may now be left out.",
        Unchanged,
    ),
    // Request properties.
    rule(
        "new-required-request-property",
        Breaking,
        Major,
        "A required property was added to a request body.",
        "A new field the builder checks before sending: existing calls fail until they set it.",
        Added,
    ),
    rule(
        "new-optional-request-property",
        Info,
        Minor,
        "An optional property was added to a request body.",
        "A new field and builder setter on a `#[non_exhaustive]` type.",
        Added,
    ),
    rule(
        "request-property-removed",
        Breaking,
        Major,
        "A request property was removed.",
        "The field and its builder setter are removed; code using them stops compiling.",
        Breaks,
    ),
    rule(
        "request-property-became-required",
        Breaking,
        Major,
        "An optional request property became required.",
        "The builder now checks the field before sending: calls that leave it out fail.",
        Varies,
    ),
    rule(
        "request-property-became-optional",
        Breaking,
        Major,
        "A required, non-nullable request property became optional.",
        "The field's type changes from `T` to `Option<T>`: builder calls keep compiling, code building or reading the struct does not.",
        Breaks,
    ),
    rule(
        "request-property-presence-changed",
        Info,
        Minor,
        "A required, nullable request property became optional, or the reverse for an optional one that stays nullable.",
        "No API change: the field is `Option<T>` either way; the builder no longer insists on it.",
        Unchanged,
    ),
    rule(
        "request-property-became-nullable",
        Info,
        Patch,
        "An optional property of a non-PATCH request became nullable.",
        "No API change: the field is `Option<T>` and an unset field is not sent.",
        Unchanged,
    ),
    rule(
        "request-property-became-non-nullable",
        Info,
        Patch,
        "An optional property of a non-PATCH request is no longer nullable.",
        "No API change: the crate never sends `null` for an unset optional field.",
        Unchanged,
    ),
    rule(
        "request-required-property-nullability-changed",
        Breaking,
        Major,
        "A required request property became nullable or stopped being nullable.",
        "The field's type changes between `T` and `Option<T>`; setters and code reading the field change.",
        Breaks,
    ),
    rule(
        "patch-field-became-clearable",
        Breaking,
        Major,
        "A field of a PATCH body became nullable.",
        "The field's type changes from `Option<T>` to `carecycle::Patch<T>` and the builder gains `clear_<field>()`; builder calls keep compiling, code reading the field does not.",
        Breaks,
    ),
    rule(
        "patch-field-no-longer-clearable",
        Breaking,
        Major,
        "A nullable field of a PATCH body is no longer nullable.",
        "The builder's `clear_<field>()` is removed and the field's type changes from `carecycle::Patch<T>` to `Option<T>`.",
        Breaks,
    ),
    // Request values (properties, parameters, items).
    rule(
        "request-type-changed",
        Breaking,
        Major,
        "The type or format of a request value changed so that its Rust type changes.",
        "The field's or setter's Rust type changes (for example `String` to `uuid::Uuid`, `i32` to `i64`).",
        Breaks,
    ),
    rule(
        "request-format-changed",
        Info,
        Patch,
        "The format of a request value changed without changing its Rust type.",
        "No API change.",
        Unchanged,
    ),
    rule(
        "request-enum-value-added",
        Info,
        Minor,
        "A value was added to an enum that requests send.",
        "A new variant on a `#[non_exhaustive]` enum: consumers may send it.",
        Added,
    ),
    rule(
        "request-enum-value-removed",
        Breaking,
        Major,
        "A value was removed from an enum that requests send.",
        "The variant is removed; the service rejects the value consumers may be sending.",
        Breaks,
    ),
    rule(
        "request-max-length-decreased",
        Breaking,
        Major,
        "A request string's maxLength was lowered or added.",
        "The builder rejects values that were valid before; the service rejects them too.",
        Varies,
    ),
    rule(
        "request-max-length-increased",
        Info,
        Minor,
        "A request string's maxLength was raised or removed.",
        "Longer values are accepted; without any limit left the field's newtype becomes `String` (builder calls with `&str` keep compiling).",
        Varies,
    ),
    rule(
        "request-pattern-added",
        Breaking,
        Major,
        "A pattern was added to a request string.",
        "The builder and the service reject values that do not match; the field becomes a validated newtype.",
        Varies,
    ),
    rule(
        "request-pattern-changed",
        Breaking,
        Major,
        "The pattern of a request string changed.",
        "Values valid under the old pattern may be rejected by the builder and the service.",
        Unchanged,
    ),
    rule(
        "request-pattern-removed",
        Info,
        Minor,
        "The pattern of a request string was removed.",
        "More values are accepted; without any limit left the field's newtype becomes `String`.",
        Varies,
    ),
    rule(
        "request-range-narrowed",
        Breaking,
        Major,
        "A request value's minimum, maximum, minLength, minItems or maxItems was tightened or added.",
        "Values valid before are rejected by the service (for `minLength`, `minItems` and `maxItems` by the builder first).",
        Varies,
    ),
    rule(
        "request-range-widened",
        Info,
        Minor,
        "A request value's minimum, maximum, minLength, minItems or maxItems was relaxed or removed.",
        "More values are accepted.",
        Varies,
    ),
    // Response properties and values.
    rule(
        "response-property-added",
        Info,
        Minor,
        "A property was added to a response.",
        "A new field on a `#[non_exhaustive]` response type.",
        Added,
    ),
    rule(
        "response-property-removed",
        Breaking,
        Major,
        "A response property was removed.",
        "The field is removed from the response type; code reading it stops compiling.",
        Breaks,
    ),
    rule(
        "response-property-became-optional",
        Breaking,
        Major,
        "A required, non-nullable response property became optional.",
        "The field's type changes from `T` to `Option<T>`; code reading it stops compiling.",
        Breaks,
    ),
    rule(
        "response-property-became-required",
        Breaking,
        Major,
        "An optional, non-nullable response property became required.",
        "The field's type changes from `Option<T>` to `T`; code reading it stops compiling.",
        Breaks,
    ),
    rule(
        "response-property-became-nullable",
        Breaking,
        Major,
        "A required response property became nullable.",
        "The field's type changes from `T` to `Option<T>`; code reading it stops compiling.",
        Breaks,
    ),
    rule(
        "response-property-became-non-nullable",
        Breaking,
        Major,
        "A required, nullable response property is no longer nullable.",
        "The field's type changes from `Option<T>` to `T`; code reading it stops compiling.",
        Breaks,
    ),
    rule(
        "response-property-presence-changed",
        Info,
        Patch,
        "A response property's required or nullable flag changed, it stays `Option<T>`, and released versions still decode it.",
        "No API change: the field is `Option<T>` either way.",
        Unchanged,
    ),
    rule(
        "response-nullable-property-became-optional",
        Breaking,
        Patch,
        "A required, nullable response property became optional.",
        "The field stays `Option<T>`, but released versions of the crate require the key to be present (`null` or a value): they fail to decode a response without it. A patch release reads it as optional.",
        Unchanged,
    ),
    rule(
        "response-type-changed",
        Breaking,
        Major,
        "The type or format of a response value changed so that its Rust type changes.",
        "The field's Rust type changes; code reading it stops compiling.",
        Breaks,
    ),
    rule(
        "response-format-changed",
        Info,
        Patch,
        "The format of a response value changed without changing its Rust type.",
        "No API change.",
        Unchanged,
    ),
    rule(
        "response-enum-value-added",
        Warning,
        Minor,
        "A value was added to an enum that responses carry.",
        "A new variant on a `#[non_exhaustive]` enum; released versions decode the value as `Unrecognized(String)` until consumers upgrade.",
        Added,
    ),
    rule(
        "response-enum-value-removed",
        Breaking,
        Major,
        "A value was removed from an enum that responses carry.",
        "The variant is removed: `match` arms and code naming it stop compiling (decoding is unaffected).",
        Breaks,
    ),
    rule(
        "response-limit-changed",
        Info,
        Patch,
        "A length, pattern or range limit of a response value changed.",
        "No API change: codegen drops limits from response-only schemas and responses are read tolerantly.",
        Unchanged,
    ),
    // Responses.
    rule(
        "success-status-added",
        Info,
        Minor,
        "An operation documents another success status with the same body.",
        "The runtime accepts any 2xx already; the typed mock's `Then` gains a method for the status.",
        Added,
    ),
    rule(
        "success-status-removed",
        Breaking,
        Major,
        "A success status was removed while others remain.",
        "The runtime accepts any 2xx, so calls are unaffected; the typed mock's `Then` method for the status is removed, and tests calling it stop compiling.",
        Breaks,
    ),
    rule(
        "success-status-replaced",
        Breaking,
        Major,
        "Every success status of an operation was replaced.",
        "The runtime accepts any 2xx, so calls are unaffected; the typed mock's `Then` methods are renamed after the new statuses (`ok()` becomes `created()`), and tests calling the old ones stop compiling.",
        Breaks,
    ),
    rule(
        "response-body-added",
        Breaking,
        Major,
        "A success response without a body now has one.",
        "The method's return type changes from `ResponseValue<()>` to a typed body.",
        Breaks,
    ),
    rule(
        "response-body-removed",
        Breaking,
        Major,
        "A success response lost its body.",
        "The method's return type changes to `ResponseValue<()>`; code reading the body stops compiling.",
        Breaks,
    ),
    rule(
        "error-status-added",
        Warning,
        Minor,
        "An error status was added to an operation.",
        "Consumers may see a `carecycle::Error` kind they did not see before for this call; the typed mock's `Then` gains a method for the status.",
        Added,
    ),
    rule(
        "error-status-removed",
        Breaking,
        Major,
        "An error status was removed from an operation.",
        "The runtime still classifies any error by its body's `code` and status; the typed mock's `Then` method for the status is removed, and tests calling it stop compiling.",
        Breaks,
    ),
    // Security.
    rule(
        "security-requirement-added",
        Breaking,
        Major,
        "An operation without security now requires credentials.",
        "Calls fail unless the runtime sends the new credentials.",
        Unchanged,
    ),
    rule(
        "security-requirement-removed",
        Info,
        Patch,
        "An operation no longer requires credentials.",
        "No API change; the runtime still sends the API key.",
        Unchanged,
    ),
    rule(
        "security-requirement-changed",
        Breaking,
        Major,
        "An operation's security requirements changed.",
        "The hand-written runtime sends only the `x-api-key` header: it must change, or calls fail with 401.",
        Unchanged,
    ),
    rule(
        "security-alternatives-changed",
        Info,
        Patch,
        "An operation's security alternatives changed, and one of them is still the API key alone.",
        "No API change: the runtime's `x-api-key` header still meets one alternative.",
        Unchanged,
    ),
    rule(
        "security-scheme-changed",
        Breaking,
        Major,
        "A security scheme's type, location or name changed.",
        "The hand-written runtime must send the credentials differently, or calls fail with 401.",
        Unchanged,
    ),
    // Schemas.
    rule(
        "schema-renamed",
        Breaking,
        Major,
        "A place in the document now uses a schema whose Rust type has another name: another component, or a schema moved between `components` and inline (an inline type is named after where it is written).",
        "The Rust type in `carecycle::types` is renamed; code naming it stops compiling.",
        Breaks,
    ),
    rule(
        "additional-properties-added",
        Info,
        Minor,
        "An object now keeps properties the document does not name (`additionalProperties` with a schema; `true` is the default already).",
        "The type gains a catch-all map field on a `#[non_exhaustive]` type.",
        Added,
    ),
    rule(
        "additional-properties-removed",
        Breaking,
        Major,
        "An object no longer keeps properties the document does not name (its `additionalProperties` schema is gone).",
        "The type's catch-all map field is removed; code reading it stops compiling.",
        Breaks,
    ),
    rule(
        "default-added",
        Breaking,
        Major,
        "An optional, non-nullable property gained a `default`.",
        "The field changes from `Option<T>` to `T`, filled in with the default when absent; code building or reading it stops compiling.",
        Breaks,
    ),
    rule(
        "default-removed",
        Breaking,
        Major,
        "An optional, non-nullable property lost its `default`.",
        "The field changes from `T` to `Option<T>`; code building or reading it stops compiling.",
        Breaks,
    ),
    rule(
        "default-changed",
        Warning,
        Patch,
        "A property's `default` changed value, or came or went on a required or nullable property.",
        "No type change: builders and decoding fill in a different value when the property is absent.",
        Unchanged,
    ),
    // Documentation.
    rule(
        "description-changed",
        Info,
        Bump::None,
        "A summary or description changed.",
        "No API change; only the generated documentation changes.",
        Unchanged,
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
    let mut out = String::from(
        "| Rule id | Level | Bump | Change | Rust impact | Public items |\n|---|---|---|---|---|---|\n",
    );
    for rule in RULES {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            rule.id,
            rule.level,
            rule.bump,
            rule.summary,
            rule.rust.replace('|', "\\|"),
            rule.api.as_str()
        ));
    }
    out
}
