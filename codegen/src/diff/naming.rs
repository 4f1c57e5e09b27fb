//! Rust names of document things, as the generator forms them.

use heck::ToSnakeCase;

/// The field or builder method name of a property or parameter.
pub fn field(name: &str) -> String {
    let snake = name.to_snake_case();
    if is_keyword(&snake) {
        format!("{snake}_")
    } else {
        snake
    }
}

/// The `Client` method of an operation.
pub fn method(operation_id: &str) -> String {
    operation_id.to_snake_case()
}

/// The variant name of an enum value (see [`crate::lint::variant_name`]).
pub fn variant(value: &serde_json::Value) -> String {
    match value.as_str() {
        Some(text) => crate::lint::variant_name(text),
        None => value.to_string(),
    }
}

/// An enum value as the document shows it.
pub fn literal(value: &serde_json::Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned)
}

/// The text with its first letter in upper case, to start a sentence.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "as" | "break"
            | "const"
            | "continue"
            | "crate"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "async"
            | "await"
            | "dyn"
    )
}
