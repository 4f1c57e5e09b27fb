//! A mutation fuzzer for the pipeline. Each seed edits a document (the curated one, usually)
//! in a few ways: curated edits of OpenAPI constructs (properties, types, patterns, enums,
//! parameters, bodies, media types, methods, compositions, references, text), destructive
//! edits of the tree, and edits of the YAML text (encoding, aliases, merge keys, documents).
//! Every mutant must either generate or be refused with a located message, without a panic;
//! `cargo xtask fuzz-codegen` also compiles a sample of what generates.
//!
//! Seeds are fixed and the random generator is our own, so a seed means the same mutant on
//! every machine and every run.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use serde_json::{Value, json};

use crate::error::{Location, escape_pointer};
use crate::walk::{self, Kind};
use crate::{Error, OutputFile};

/// A small deterministic random generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One of `items`, or None when there is none.
    pub fn pick_some<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

/// One mutated document.
pub struct Mutant {
    /// The file name it is generated under (`fuzz-<seed>.json` or `.yaml`).
    pub name: String,
    /// What was done to the base, for the report.
    pub edits: Vec<String>,
    pub bytes: Vec<u8>,
}

/// The mutant of seed `seed`: the base document's tree (`base`) or text (`text`), edited.
pub fn mutant(base: &Value, text: &str, seed: u64) -> Mutant {
    let mut rng = Rng::new(seed);
    if rng.chance(15) {
        let (edit, bytes) = text_edit(text, &mut rng);
        return Mutant {
            name: format!("fuzz-{seed}.yaml"),
            edits: vec![edit],
            bytes,
        };
    }
    let mut document = base.clone();
    let mut edits = Vec::new();
    for _ in 0..1 + rng.below(3) {
        edits.extend(tree_edit(&mut document, &mut rng, seed));
    }
    Mutant {
        name: format!("fuzz-{seed}.json"),
        edits,
        bytes: serde_json::to_vec_pretty(&document).expect("a JSON tree serialises"),
    }
}

/// What the pipeline made of a mutant.
pub enum Verdict {
    Generated(Vec<OutputFile>),
    Refused(Error),
    /// A broken promise: a panic, or a refusal that does not say where.
    Broken(String),
}

/// Runs the whole pipeline on a mutant and judges the outcome.
pub fn run(mutant: &Mutant) -> Verdict {
    let path = Path::new(&mutant.name);
    let bytes = mutant.bytes.clone();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        crate::load::parse(path, bytes).and_then(|document| crate::generate_document(&document))
    }));
    match outcome {
        Err(_) => Verdict::Broken("the pipeline panicked".into()),
        Ok(Ok(files)) => Verdict::Generated(files),
        Ok(Err(error)) => match error
            .problems
            .iter()
            .find(|p| !is_located(&p.location, &p.message))
        {
            Some(problem) => Verdict::Broken(format!("a refusal without a location: {problem}")),
            None if !error.to_string().starts_with(&mutant.name) => {
                Verdict::Broken(format!("a refusal without the file name: {error}"))
            }
            None => Verdict::Refused(error),
        },
    }
}

/// Whether a problem says where it is; only problems of the document as a whole may not.
fn is_located(location: &Location, message: &str) -> bool {
    const WHOLE: [&str; 3] = [
        "the document is empty",
        "not an OpenAPI document",
        "cannot read the document",
    ];
    !matches!(location, Location::Document) || WHOLE.iter().any(|w| message.starts_with(w))
}

/// A document made of many construct edits that all generate together: each edit is kept
/// only when the document still generates. For compile checks of accepted output.
pub fn combined(base: &Value, seed: u64, attempts: usize) -> (Value, Vec<String>) {
    let mut rng = Rng::new(seed);
    let mut document = base.clone();
    let mut kept = Vec::new();
    for attempt in 0..attempts {
        let mut candidate = document.clone();
        let Some(edit) = construct_edit(&mut candidate, &mut rng, seed * 1000 + attempt as u64)
        else {
            continue;
        };
        let mutant = Mutant {
            name: "combined.json".into(),
            edits: Vec::new(),
            bytes: serde_json::to_vec(&candidate).expect("serialises"),
        };
        if let Verdict::Generated(_) = run(&mutant) {
            document = candidate;
            kept.push(edit);
        }
    }
    (document, kept)
}

/// The base document with operations for the constructs the generator takes that the curated
/// document does not use: a `text/plain` and an `application/octet-stream` success body, and
/// parameters named like the builder's own methods (a path, query and header parameter each)
/// or like the locals of its `send()`.
/// Its operations copy the first GET with a path parameter, under new paths. For the tests of
/// what those constructs generate, and for compile checks.
pub fn with_constructs(base: &Value) -> Option<Value> {
    let mut document = base.clone();
    let (path, _, template) = walk::operations(base)
        .into_iter()
        .find(|(path, method, _)| *method == "get" && path.contains('{'))?;
    let inherited = base
        .pointer(&format!("/paths/{}/parameters", escape_pointer(path)))
        .cloned();
    let paths = document.get_mut("paths")?.as_object_mut()?;
    let raw_bodies = [
        ("note", "getNote", "text/plain", json!({"type": "string"})),
        (
            "export",
            "getExport",
            "application/octet-stream",
            json!({"type": "string", "format": "binary"}),
        ),
    ];
    for (suffix, id, media, schema) in raw_bodies {
        let mut operation = template.clone();
        operation["operationId"] = json!(id);
        let responses = operation.get_mut("responses")?.as_object_mut()?;
        responses.retain(|status, _| !status.starts_with('2'));
        responses.insert("200".into(), json!({"description": format!("The {suffix}."), "content": {media: {"schema": schema}}}));
        let mut item = json!({"get": operation});
        if let Some(parameters) = &inherited {
            item["parameters"] = parameters.clone();
        }
        paths.insert(format!("{path}/{suffix}"), item);
    }
    let mut named = template.clone();
    named["operationId"] = json!("getByBuilderNames");
    let string = json!({"type": "string"});
    named["parameters"] = json!([
        {"name": "send", "in": "path", "required": true, "schema": string},
        {"name": "timeout", "in": "query", "required": true, "schema": {"type": "integer"}},
        {"name": "body", "in": "query", "schema": {"type": "array", "items": string}},
        {"name": "Retry-Policy", "in": "header", "schema": string},
        {"name": "client", "in": "header", "required": true, "schema": string},
        {"name": "url", "in": "query", "schema": string},
        {"name": "info", "in": "query", "schema": string},
        {"name": "header_map", "in": "query", "schema": string},
        {"name": "request", "in": "query", "schema": string},
        {"name": "value", "in": "query", "schema": string},
        {"name": "self", "in": "query", "schema": string},
        {"name": "checks", "in": "query", "schema": string},
        {"name": "options", "in": "header", "schema": string}
    ]);
    paths.insert("/v2/builder-names/{send}".into(), json!({"get": named}));
    Some(document)
}

fn tree_edit(document: &mut Value, rng: &mut Rng, seed: u64) -> Option<String> {
    if rng.chance(25) {
        destructive_edit(document, rng)
    } else {
        construct_edit(document, rng, seed)
    }
}

const TYPES: [&str; 9] = [
    "string", "number", "integer", "boolean", "array", "object", "strin", "null", "file",
];
const PATTERNS: [&str; 7] = [
    "^[a-z]+$",
    "([",
    "\\d{3}",
    "(?<n>a)\\k<n>",
    "a{2,1}",
    "\\p{L}+",
    "[[:alpha:]]",
];
const NAMES: [&str; 28] = [
    "q",
    "tags",
    "send",
    "client",
    "id",
    "fooBar",
    "foo_bar",
    "foo-bar",
    "x-trace",
    "body",
    "timeout",
    "1st",
    "ünï",
    "type",
    "self",
    "$ref",
    "header",
    "Query",
    "retry_policy",
    "new",
    "body_map",
    "call_options",
    "send_param",
    "Retry-Policy",
    "request",
    "header_map",
    "url",
    "info",
];
const MEDIA: [&str; 9] = [
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "application/octet-stream",
    "application/problem+json",
    "application/xml",
    "text/plain; charset=utf-8",
    "text/plain; charset=iso-8859-1",
    "text/csv",
];
const TEXT: [&str; 14] = [
    "\r",
    "\r\n",
    "\u{202E}",
    "*/",
    "/*",
    "\"",
    "\\",
    "#[doc]",
    "```",
    "\u{0}",
    "\t",
    "<b>",
    "ünïcödé",
    "\u{2066}",
];

fn construct_edit(document: &mut Value, rng: &mut Rng, seed: u64) -> Option<String> {
    let schemas = places(document, Kind::Schema);
    let components: Vec<String> = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(n, _)| n.clone())
        .collect();
    let component_ref = |rng: &mut Rng| json!({"$ref": format!("#/components/schemas/{}", escape_pointer(rng.pick(&components).as_str()))});
    let operations: Vec<String> = walk::operations(document)
        .iter()
        .map(|(p, m, _)| format!("/paths/{}/{m}", escape_pointer(p)))
        .collect();
    if schemas.is_empty() || components.is_empty() || operations.is_empty() {
        return None;
    }
    let schema = rng.pick(&schemas).clone();
    let operation = rng.pick(&operations).clone();
    let scalar_schema = |rng: &mut Rng| {
        rng.pick(&[
            json!({"type": "string"}),
            json!({"type": "integer"}),
            json!({"type": "boolean"}),
            json!({"type": "number", "format": "double"}),
        ])
        .clone()
    };
    match rng.below(14) {
        0 => {
            let at = rng.pick(&schemas).clone();
            let properties = document
                .pointer_mut(&at)?
                .as_object_mut()?
                .entry("properties")
                .or_insert_with(|| json!({}))
                .as_object_mut()?;
            let name = properties
                .keys()
                .next()
                .cloned()
                .unwrap_or_else(|| "fooBar".into());
            let variant = match rng.below(4) {
                0 => heck::ToSnakeCase::to_snake_case(name.as_str()),
                1 => heck::ToKebabCase::to_kebab_case(name.as_str()),
                2 => heck::ToUpperCamelCase::to_upper_camel_case(name.as_str()),
                _ => rng.pick(&NAMES).to_string(),
            };
            properties.insert(variant.clone(), scalar_schema(rng));
            Some(format!("property `{variant}` at {at}"))
        }
        1 => set(document, &format!("{schema}/type"), json!(rng.pick(&TYPES))),
        2 => set(
            document,
            &format!("{schema}/pattern"),
            json!(rng.pick(&PATTERNS)),
        ),
        3 => {
            let pool = [
                json!("a"),
                json!("B c"),
                json!("a-b"),
                json!("a_b"),
                json!(1),
                json!(2.5),
                json!(true),
                Value::Null,
                json!(""),
                json!("Unrecognized"),
                json!("ünï"),
                json!("x\u{202E}"),
            ];
            let values: Vec<Value> = (0..1 + rng.below(4))
                .map(|_| rng.pick(&pool).clone())
                .collect();
            set(document, &format!("{schema}/enum"), json!(values))
        }
        4 => {
            let place = *rng.pick(&["path", "query", "query", "header", "cookie"]);
            let parameter_schema = match rng.below(5) {
                0 => json!({"type": "array", "items": {"type": "string"}}),
                1 => json!({"type": "object"}),
                2 => component_ref(rng),
                _ => scalar_schema(rng),
            };
            let parameter = json!({"name": rng.pick(&NAMES), "in": place, "required": rng.chance(50), "schema": parameter_schema});
            let list = document
                .pointer_mut(&operation)?
                .as_object_mut()?
                .entry("parameters")
                .or_insert_with(|| json!([]))
                .as_array_mut()?;
            list.push(parameter.clone());
            Some(format!("parameter {parameter} at {operation}"))
        }
        5 => {
            let body_schema = match rng.below(5) {
                0 => json!({"type": "integer"}),
                1 => json!({"type": "array", "items": {"type": "integer"}}),
                2 => json!({"type": "object", "properties": {"ok": {"type": "boolean"}}}),
                _ => component_ref(rng),
            };
            let status = *rng.pick(&["200", "201", "204", "2XX", "default"]);
            let media = *rng.pick(&MEDIA);
            let responses = document
                .pointer_mut(&format!("{operation}/responses"))?
                .as_object_mut()?;
            responses.retain(|s, _| !s.starts_with('2'));
            let content = if status == "204" {
                json!({})
            } else {
                json!({"content": {media: {"schema": body_schema}}})
            };
            let mut response = json!({"description": "fuzzed"});
            response
                .as_object_mut()?
                .extend(content.as_object()?.clone());
            responses.insert(status.into(), response);
            Some(format!("success {status} {media} at {operation}"))
        }
        6 => {
            let (path_pointer, _) = operation.rsplit_once('/')?;
            let method = *rng.pick(&walk::METHODS);
            let mut copy = document.pointer(&operation)?.clone();
            copy["operationId"] = json!(format!("fuzz{seed}{method}"));
            if matches!(method, "get" | "head" | "options" | "trace" | "delete") {
                copy.as_object_mut()?.remove("requestBody");
            }
            document
                .pointer_mut(path_pointer)?
                .as_object_mut()?
                .insert(method.into(), copy);
            Some(format!("{method} operation at {path_pointer}"))
        }
        7 => {
            let strings = string_pointers(document, rng.chance(80));
            let at = rng.pick_some(&strings)?.clone();
            let insert = rng.pick(&TEXT);
            let Value::String(text) = document.pointer_mut(&at)? else {
                return None;
            };
            text.push_str(insert);
            Some(format!("text {insert:?} at {at}"))
        }
        8 => {
            let not = rng
                .pick(&[json!({"type": "integer"}), json!({"enum": ["x"]})])
                .clone();
            let not = if rng.chance(50) {
                component_ref(rng)
            } else {
                not
            };
            set(document, &format!("{schema}/not"), not)
        }
        9 => {
            let key = *rng.pick(&["allOf", "oneOf", "anyOf"]);
            let at = format!(
                "/components/schemas/{}",
                escape_pointer(rng.pick(&components).as_str())
            );
            let members = json!([component_ref(rng), {"type": "object", "properties": {"extra": {"type": "string"}}}]);
            set(document, &format!("{at}/{key}"), members)
        }
        10 => {
            let refs = ref_pointers(document);
            let at = rng.pick_some(&refs)?.clone();
            let target = match rng.below(8) {
                0 => "#".to_owned(),
                1 => "#/paths".to_owned(),
                2 => format!("#{}", at.trim_end_matches("/$ref")),
                3 => "#/components/responses/BadRequest".to_owned(),
                4 => "other.yaml#/X".to_owned(),
                5 => "#/components/schemas/Nope".to_owned(),
                _ => format!(
                    "#/components/schemas/{}",
                    escape_pointer(rng.pick(&components).as_str())
                ),
            };
            set(document, &at, json!(target))
        }
        11 => {
            let (key, value) = rng
                .pick(&[
                    ("nullable", json!(true)),
                    ("minItems", json!(1)),
                    ("maxItems", json!(0)),
                    ("additionalProperties", json!(false)),
                    ("additionalProperties", json!({"type": "integer"})),
                    ("readOnly", json!(true)),
                    ("default", json!("d")),
                    ("format", json!("date-time")),
                    ("format", json!("int64")),
                    ("format", json!("binary")),
                    ("format", json!("weird")),
                    ("minimum", json!(1)),
                    ("maximum", json!(-1.5)),
                ])
                .clone();
            set(document, &format!("{schema}/{key}"), value)
        }
        13 => {
            // A path parameter of any name, in a new path under the operation's.
            let (path_pointer, method) = operation.rsplit_once('/')?;
            let path = crate::error::unescape_pointer(path_pointer.strip_prefix("/paths/")?);
            let name = *rng.pick(&NAMES);
            let mut copy = document.pointer(&operation)?.clone();
            copy["operationId"] = json!(format!("fuzz{seed}Path"));
            let list = copy
                .as_object_mut()?
                .entry("parameters")
                .or_insert_with(|| json!([]))
                .as_array_mut()?;
            list.push(
                json!({"name": name, "in": "path", "required": true, "schema": scalar_schema(rng)}),
            );
            let inherited = document
                .pointer(&format!("{path_pointer}/parameters"))
                .cloned();
            let mut item = json!({method: copy});
            if let Some(parameters) = inherited {
                item["parameters"] = parameters;
            }
            let new_path = format!("{path}/{{{name}}}");
            document
                .get_mut("paths")?
                .as_object_mut()?
                .insert(new_path.clone(), item);
            Some(format!("path parameter `{name}` in {new_path}"))
        }
        _ => {
            let status = *rng.pick(&["299x", "2x", "600", "1XX", "default", "abc", "404"]);
            set(
                document,
                &format!("{operation}/responses/{status}"),
                json!({"description": "fuzzed"}),
            )
        }
    }
}

fn destructive_edit(document: &mut Value, rng: &mut Rng) -> Option<String> {
    let mut pointers = Vec::new();
    all_pointers(document, &mut String::new(), &mut pointers);
    let at = rng.pick_some(&pointers)?.clone();
    match rng.below(3) {
        0 => {
            let (parent, key) = at.rsplit_once('/')?;
            match document.pointer_mut(parent)? {
                Value::Object(map) => {
                    map.remove(&crate::error::unescape_pointer(key));
                }
                Value::Array(items) => {
                    let index: usize = key.parse().ok()?;
                    items.remove(index);
                }
                _ => return None,
            }
            Some(format!("deleted {at}"))
        }
        1 => {
            let value = rng
                .pick(&[
                    Value::Null,
                    json!(0),
                    json!(""),
                    json!([]),
                    json!({}),
                    json!("x"),
                    json!(true),
                ])
                .clone();
            set(document, &at, value)
        }
        _ => {
            let from = rng.pick(&pointers).clone();
            let value = document.pointer(&from)?.clone();
            set(document, &at, value).map(|_| format!("copied {from} to {at}"))
        }
    }
}

fn text_edit(text: &str, rng: &mut Rng) -> (String, Vec<u8>) {
    let mut bytes = text.as_bytes().to_vec();
    let position = rng.below(bytes.len());
    let edit = match rng.below(9) {
        0 => {
            bytes.splice(0..0, *b"\xEF\xBB\xBF");
            "byte-order mark".to_owned()
        }
        1 => {
            bytes.insert(position, 0xFF);
            format!("invalid UTF-8 at byte {position}")
        }
        2 => {
            bytes.extend_from_slice(b"---\nopenapi: 3.0.3\n");
            "second document".to_owned()
        }
        3 => {
            let mut bomb = String::from("x-bomb:\n  l0: &l0 [a, a, a, a, a, a, a, a, a, a]\n");
            for level in 1..9 {
                bomb.push_str(&format!(
                    "  l{level}: &l{level} [{}]\n",
                    vec![format!("*l{}", level - 1); 10].join(", ")
                ));
            }
            bytes.extend_from_slice(bomb.as_bytes());
            "alias bomb".to_owned()
        }
        4 => {
            bytes.extend_from_slice(
                b"x-base: &fuzzbase {a: 1}\nx-merged:\n  <<: *fuzzbase\n  b: 2\n",
            );
            "merge key".to_owned()
        }
        5 => {
            bytes.extend_from_slice(b"x-complex:\n  ? [a, b]\n  : c\n");
            "complex key".to_owned()
        }
        6 => {
            bytes.truncate(position);
            format!("truncated at byte {position}")
        }
        7 if !bytes.is_empty() => {
            bytes[position] = *rng.pick(b"{}[]:,&*!|>'\"#-? \n\t");
            format!("byte {position} replaced")
        }
        _ => {
            bytes.extend_from_slice(b"openapi: 3.0.3\n");
            "duplicate key".to_owned()
        }
    };
    (edit, bytes)
}

fn set(document: &mut Value, pointer: &str, value: Value) -> Option<String> {
    let (parent, key) = pointer.rsplit_once('/')?;
    let key = crate::error::unescape_pointer(key);
    match document.pointer_mut(parent)? {
        Value::Object(map) => {
            map.insert(key, value.clone());
        }
        Value::Array(items) => *items.get_mut(key.parse::<usize>().ok()?)? = value.clone(),
        _ => return None,
    }
    let shown: String = value.to_string().chars().take(80).collect();
    Some(format!("{pointer} = {shown}"))
}

fn places(document: &Value, wanted: Kind) -> Vec<String> {
    let mut out = Vec::new();
    walk::each_place(document, &mut |pointer, value, kind| {
        if kind == wanted && value.is_object() && value.get("$ref").is_none() {
            out.push(pointer.to_owned());
        }
    });
    out
}

fn ref_pointers(document: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk::each_ref(document, &mut |pointer, _| {
        out.push(format!("{pointer}/$ref"))
    });
    out
}

/// Pointers of strings: only descriptions, summaries and titles, or any.
fn string_pointers(document: &Value, docs_only: bool) -> Vec<String> {
    let mut all = Vec::new();
    all_pointers(document, &mut String::new(), &mut all);
    all.retain(|p| {
        let is_doc = ["description", "summary", "title"]
            .iter()
            .any(|k| p.ends_with(&format!("/{k}")));
        document.pointer(p).is_some_and(Value::is_string) && (is_doc || !docs_only)
    });
    all
}

fn all_pointers(value: &Value, pointer: &mut String, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match value {
        Value::Object(map) => map.iter().map(|(k, v)| (escape_pointer(k), v)).collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => return,
    };
    for (key, child) in children {
        let len = pointer.len();
        pointer.push('/');
        pointer.push_str(&key);
        out.push(pointer.clone());
        all_pointers(child, pointer, out);
        pointer.truncate(len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_means_the_same_mutant() {
        let base = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/x": {"get": {"responses": {"200": {"description": "ok"}}}}},
            "components": {"schemas": {"A": {"type": "object", "properties": {"fooBar": {"type": "string"}}}}}});
        let text = serde_json::to_string(&base).unwrap();
        for seed in 0..20 {
            assert_eq!(
                mutant(&base, &text, seed).bytes,
                mutant(&base, &text, seed).bytes,
                "seed {seed}"
            );
        }
        assert_ne!(mutant(&base, &text, 1).bytes, mutant(&base, &text, 2).bytes);
    }
}
