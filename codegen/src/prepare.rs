//! The first lowering: rewrites that fit the document's media types and text to the generator
//! without changing what the client does.
//!
//! - A JSON media type with parameters (`application/json; charset=utf-8`) or a `+json`
//!   suffix becomes `application/json`, the one progenitor reads; other media types beside a
//!   JSON one are dropped (the client sends and reads JSON).
//! - Descriptions, summaries and titles become doc comments: a carriage return would not
//!   compile there and a bidirectional control character is refused by rustc, so line ends
//!   are normalised and such characters shown as `<U+202E>`.
//! - `not` is dropped: the generator implements it for few schemas, and a value it forbids is
//!   left for the service to refuse.

use serde_json::Value;

use crate::walk::{self, Kind};

pub fn prepare(document: &mut Value) {
    let mut contents = Vec::new();
    let mut nots = Vec::new();
    walk::each_place(document, &mut |pointer, value, kind| match kind {
        Kind::RequestBody | Kind::Response if value.get("$ref").is_none() => {
            contents.push(pointer.to_owned())
        }
        Kind::Schema if value.get("not").is_some() => nots.push(pointer.to_owned()),
        _ => {}
    });
    for pointer in contents {
        if let Some(holder) = document.pointer_mut(&pointer) {
            json_only(holder);
        }
    }
    for pointer in nots {
        if let Some(schema) = document
            .pointer_mut(&pointer)
            .and_then(Value::as_object_mut)
        {
            schema.remove("not");
        }
    }
    clean_doc_text(document);
}

/// Keeps only the JSON entry of `content`, named `application/json`.
fn json_only(holder: &mut Value) {
    let Some(key) = walk::json_media_key(holder).map(str::to_owned) else {
        return;
    };
    let Some(content) = holder.get_mut("content").and_then(Value::as_object_mut) else {
        return;
    };
    let Some(entry) = content.remove(&key) else {
        return;
    };
    content.clear();
    content.insert("application/json".to_owned(), entry);
}

/// The keys whose text the generator writes into doc comments.
const DOC_KEYS: [&str; 3] = ["description", "summary", "title"];

fn clean_doc_text(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match child {
                    Value::String(text)
                        if DOC_KEYS.contains(&key.as_str()) && needs_cleaning(text) =>
                    {
                        *text = doc_text(text)
                    }
                    _ => clean_doc_text(child),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(clean_doc_text),
        _ => {}
    }
}

/// Whether a character changes the visible direction of text (rustc refuses them in code).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Whether [`doc_text`] would change `text` (most text it would only copy).
fn needs_cleaning(text: &str) -> bool {
    text.chars().any(|c| c == '\r' || is_bidi_control(c))
}

/// Text fit for a doc comment: `\n` line ends, bidirectional controls made visible.
pub fn doc_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    text.chars()
        .map(|c| {
            if is_bidi_control(c) {
                format!("<U+{:04X}>", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_media_types_with_parameters_become_application_json() {
        let mut document = json!({"paths": {"/x": {"post": {
            "requestBody": {"content": {"application/json; charset=utf-8": {"schema": {"type": "string"}}, "text/plain": {}}},
            "responses": {"200": {"description": "ok", "content": {"application/problem+json": {"schema": {"type": "integer"}}}}}
        }}}});
        prepare(&mut document);
        let operation = &document["paths"]["/x"]["post"];
        assert_eq!(
            operation["requestBody"]["content"],
            json!({"application/json": {"schema": {"type": "string"}}})
        );
        assert_eq!(
            operation["responses"]["200"]["content"],
            json!({"application/json": {"schema": {"type": "integer"}}})
        );
    }

    #[test]
    fn doc_text_loses_carriage_returns_and_shows_direction_controls() {
        let mut document = json!({"info": {"description": "a\r\nb\rc"}, "components": {"schemas": {"S": {
            "title": "x\u{202E}y", "properties": {"description": {"type": "string", "description": "\u{2066}"}}
        }}}});
        prepare(&mut document);
        assert_eq!(document["info"]["description"], json!("a\nb\nc"));
        assert_eq!(
            document["components"]["schemas"]["S"]["title"],
            json!("x<U+202E>y")
        );
        assert_eq!(
            document["components"]["schemas"]["S"]["properties"]["description"],
            json!({"type": "string", "description": "<U+2066>"}),
            "a property named `description` is kept"
        );
    }

    #[test]
    fn not_is_dropped_from_schemas_only() {
        let mut document = json!({"components": {"schemas": {"S": {"type": "object", "properties": {
            "not": {"type": "string", "not": {"enum": ["x"]}}
        }}}}});
        prepare(&mut document);
        assert_eq!(
            document["components"]["schemas"]["S"]["properties"],
            json!({"not": {"type": "string"}})
        );
    }
}
