//! Reading a YAML document into a JSON tree, safely: aliases may not expand the document
//! beyond a budget (an alias bomb is refused after linear work), merge keys (`<<: *base`) are
//! applied, and one document only. Every refusal carries a line and column, or the JSON
//! pointer of the offending key.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::error::{Location, escape_pointer};

/// How many nodes the document may have once its aliases are expanded: generous for any real
/// document (a node takes at least a byte of text unless an alias repeats it), small enough
/// that counting up to it is cheap.
fn node_budget(text: &str) -> u64 {
    (text.len() as u64 * 4).max(1_000_000)
}

/// Parses `text` as exactly one YAML document, with merge keys applied.
pub fn parse(text: &str) -> Result<Value, (Location, String)> {
    let mut documents = serde_yaml_ng::Deserializer::from_str(text);
    let Some(first) = documents.next() else {
        return Err((Location::Document, "the document is empty".into()));
    };
    let budget = node_budget(text);
    NodeCount { left: budget }
        .deserialize(first)
        .map_err(|e| syntax_error(text, &e, budget))?;
    if let Some(second) = documents.next() {
        // Deserializing the second document fails at once, at its first node.
        let error = Refuse.deserialize(second).unwrap_err();
        let location = line_of(&error);
        return Err((
            location,
            "a second YAML document starts here; the file must hold one OpenAPI document".into(),
        ));
    }
    let mut yaml: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(text).map_err(|e| syntax_error(text, &e, budget))?;
    yaml.apply_merge().map_err(|e| {
        (
            Location::Document,
            format!("invalid YAML merge key (`<<`): {e}"),
        )
    })?;
    to_json(yaml, &mut String::new())
}

fn line_of(error: &serde_yaml_ng::Error) -> Location {
    error
        .location()
        .map_or(Location::Document, |l| Location::Line {
            line: l.line(),
            column: l.column(),
        })
}

fn syntax_error(text: &str, error: &serde_yaml_ng::Error, budget: u64) -> (Location, String) {
    let message = error.to_string();
    if message.contains(TOO_BIG) || message.contains("repetition limit exceeded") {
        // Where the budget ran out (inside what an alias repeats), or else the first alias.
        let location = match line_of(error) {
            Location::Document => first_alias(text).unwrap_or(Location::Document),
            known => known,
        };
        let message = format!(
            "the YAML aliases expand the document to more than {budget} nodes (counted up to here); \
             write the repeated parts out or use fewer aliases"
        );
        return (location, message);
    }
    (line_of(error), format!("invalid YAML: {message}"))
}

/// The position of the first alias (`*name`) in the text, outside comments and quotes.
fn first_alias(text: &str) -> Option<Location> {
    for (index, line) in text.lines().enumerate() {
        let mut previous = ' ';
        let mut quote = None;
        for (column, c) in line.chars().enumerate() {
            match (quote, c) {
                (Some(q), _) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') if " [{,:".contains(previous) => quote = Some(c),
                (None, '#') if previous.is_whitespace() => break,
                (None, '*') if " [{,:-".contains(previous) || column == 0 => {
                    return Some(Location::Line {
                        line: index + 1,
                        column: column + 1,
                    });
                }
                _ => {}
            }
            previous = if column == 0 && c.is_whitespace() {
                ' '
            } else {
                c
            };
        }
    }
    None
}

const TOO_BIG: &str = "node budget exceeded";

/// YAML allows keys that are not strings (`200:` for a status); OpenAPI means them as strings.
fn to_json(yaml: serde_yaml_ng::Value, pointer: &mut String) -> Result<Value, (Location, String)> {
    use serde_yaml_ng::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => serde_json::to_value(&n).map_err(|e| {
            (
                Location::pointer(pointer.clone()),
                format!("unsupported number {n}: {e}"),
            )
        })?,
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (index, item) in items.into_iter().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{index}"));
                out.push(to_json(item, pointer)?);
                pointer.truncate(len);
            }
            Value::Array(out)
        }
        Y::Mapping(map) => {
            let mut object = serde_json::Map::new();
            for (key, value) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    _ => {
                        return Err((
                            Location::pointer(if pointer.is_empty() { "/".to_owned() } else { pointer.clone() }),
                            "a mapping here has a key that is a sequence, a mapping or a tagged value; \
                             OpenAPI keys are strings"
                                .into(),
                        ));
                    }
                };
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape_pointer(&key));
                let value = to_json(value, pointer)?;
                pointer.truncate(len);
                object.insert(key, value);
            }
            Value::Object(object)
        }
        Y::Tagged(tagged) => to_json(tagged.value, pointer)?,
    })
}

/// Counts the nodes of a document, aliases expanded, and fails once the budget is spent.
struct NodeCount {
    left: u64,
}

impl NodeCount {
    fn spend<E: de::Error>(&mut self) -> Result<(), E> {
        self.left = self.left.checked_sub(1).ok_or_else(|| E::custom(TOO_BIG))?;
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for &mut NodeCount {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> DeserializeSeed<'de> for NodeCount {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(mut self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(&mut self)
    }
}

impl<'de> Visitor<'de> for &mut NodeCount {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML node")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.spend()
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.spend()
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        self.spend()
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.spend()
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        self.spend()
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.spend()
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.spend()
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<(), E> {
        self.spend()
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.spend()
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.spend()
    }
    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_newtype_struct<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.spend()?;
        while seq.next_element_seed(&mut *self)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.spend()?;
        while map.next_key_seed(&mut *self)?.is_some() {
            map.next_value_seed(&mut *self)?;
        }
        Ok(())
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        use de::VariantAccess;
        self.spend()?;
        let ((), variant) = data.variant_seed(&mut *self)?;
        variant.newtype_variant_seed(&mut *self)
    }
}

/// A seed that fails at the first node, so that the error carries that node's position.
struct Refuse;

impl<'de> DeserializeSeed<'de> for Refuse {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Refuse {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("nothing")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_keys_are_applied() {
        let value = parse(
            "base: &base {type: string, maxLength: 5}\nthing:\n  <<: *base\n  description: d\n",
        )
        .unwrap();
        assert_eq!(
            value["thing"],
            serde_json::json!({"type": "string", "maxLength": 5, "description": "d"})
        );
    }

    #[test]
    fn an_alias_bomb_is_refused_with_a_line() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..12 {
            let previous = format!("*a{}", level - 1);
            let items = vec![previous; 10].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{items}]\n"));
        }
        let (location, message) = parse(&text).unwrap_err();
        assert!(message.contains("aliases expand the document"), "{message}");
        assert_eq!(
            location,
            Location::Line {
                line: 2,
                column: 10
            }
        );
    }

    #[test]
    fn a_second_document_is_refused_at_its_line() {
        let (location, message) = parse("openapi: 3.0.3\n---\nother: 1\n").unwrap_err();
        assert!(message.contains("second YAML document"), "{message}");
        assert_eq!(location, Location::Line { line: 3, column: 1 });
    }

    #[test]
    fn a_complex_key_is_refused_with_its_pointer() {
        let (location, message) = parse("paths:\n  /x:\n    ? [a, b]\n    : 1\n").unwrap_err();
        assert!(message.contains("key that is a sequence"), "{message}");
        assert_eq!(location, Location::pointer("/paths/~1x"));
    }
}
