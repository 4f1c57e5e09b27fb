//! The second signal: the crate generated from each document, compared item by item.
//!
//! The rules judge the document; this judges the Rust that consumers compile against. Both
//! versions are generated in memory (`codegen::generate_syntax`), their public items listed
//! (`public_api::items`, the client at the crate root and the typed mocks under `mock::`), and
//! every item added, removed or changed gets Cargo's semver bump.

use std::collections::BTreeMap;

use serde::Serialize;

use super::rules::Bump;
use crate::load::Document;
use crate::public_api::{self, ApiItem, ItemKind};

/// What happened to one public item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemChange {
    Removed,
    Changed,
    Added,
}

impl ItemChange {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemChange::Removed => "removed",
            ItemChange::Changed => "changed",
            ItemChange::Added => "added",
        }
    }
}

/// One public item that differs between the two generated crates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiChange {
    pub change: ItemChange,
    /// The item's path in the crate (`types::Provider.fax`, `Client::get_customer`).
    pub path: String,
    /// The item as the old crate has it (absent when added).
    pub old: Option<String>,
    /// The item as the new crate has it (absent when removed).
    pub new: Option<String>,
    pub bump: Bump,
}

impl ApiChange {
    pub fn is_breaking(&self) -> bool {
        self.bump == Bump::Major
    }
}

/// The Rust API signal of a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RustApi {
    /// Only the rules were run (`diff::diff_values`).
    NotCompared,
    /// A document does not generate; the reason says which and why.
    Missing(String),
    /// Every public item that differs, breaking ones first.
    Compared(Vec<ApiChange>),
}

impl RustApi {
    /// The item changes, when both crates were generated.
    pub fn changes(&self) -> &[ApiChange] {
        match self {
            RustApi::Compared(changes) => changes,
            _ => &[],
        }
    }

    pub fn breaking(&self) -> usize {
        self.changes().iter().filter(|c| c.is_breaking()).count()
    }
}

/// The public items of the crate generated from `document`, or why it does not generate.
pub fn public_api(document: &Document) -> Result<Vec<ApiItem>, String> {
    let generated = crate::generate_syntax(document).map_err(|e| e.to_string())?;
    let mut items = public_api::items(&generated.client, "");
    items.extend(public_api::items(&generated.mock, "mock::"));
    Ok(items)
}

/// The Rust API signal from the two generation results.
pub fn signal(old: Result<Vec<ApiItem>, String>, new: Result<Vec<ApiItem>, String>) -> RustApi {
    match (old, new) {
        (Ok(old), Ok(new)) => RustApi::Compared(compare(&old, &new)),
        (Err(reason), _) => {
            RustApi::Missing(format!("the old document does not generate: {reason}"))
        }
        (_, Err(reason)) => {
            RustApi::Missing(format!("the new document does not generate: {reason}"))
        }
    }
}

/// Items keyed by path; a path that repeats (two impl blocks with a method of the same name)
/// is keyed by its whole line.
fn by_path(items: &[ApiItem]) -> BTreeMap<&str, &ApiItem> {
    let mut map = BTreeMap::new();
    for item in items {
        if map.insert(item.path.as_str(), item).is_some() {
            let first = items.iter().find(|i| i.path == item.path).unwrap_or(item);
            map.insert(first.path.as_str(), first);
            map.insert(item.line.as_str(), item);
        }
    }
    map
}

/// Every item added, removed or changed, with its bump; breaking ones first, then by path.
pub fn compare(old: &[ApiItem], new: &[ApiItem]) -> Vec<ApiChange> {
    let (old_map, new_map) = (by_path(old), by_path(new));
    let mut changes = Vec::new();
    for (path, before) in &old_map {
        match new_map.get(path) {
            None => changes.push(ApiChange {
                change: ItemChange::Removed,
                path: before.path.clone(),
                old: Some(before.pretty_line()),
                new: None,
                bump: Bump::Major,
            }),
            Some(after) if after.line != before.line => changes.push(ApiChange {
                change: ItemChange::Changed,
                path: after.path.clone(),
                old: Some(before.pretty_line()),
                new: Some(after.pretty_line()),
                bump: changed_bump(before, after),
            }),
            Some(_) => {}
        }
    }
    for (path, after) in &new_map {
        if !old_map.contains_key(path) {
            changes.push(ApiChange {
                change: ItemChange::Added,
                path: after.path.clone(),
                old: None,
                new: Some(after.pretty_line()),
                bump: added_bump(after, &new_map),
            });
        }
    }
    changes.sort_by(|a, b| {
        (std::cmp::Reverse(a.bump), a.change, &a.path).cmp(&(
            std::cmp::Reverse(b.bump),
            b.change,
            &b.path,
        ))
    });
    changes
}

/// A changed item breaks, unless the only change is that a type stopped being
/// `#[non_exhaustive]` (which allows more, not less).
fn changed_bump(before: &ApiItem, after: &ApiItem) -> Bump {
    let opened = before.non_exhaustive && !after.non_exhaustive;
    let strip = |line: &str| line.replace(" (non_exhaustive)", "");
    if opened && strip(&before.line) == strip(&after.line) {
        Bump::Minor
    } else {
        Bump::Major
    }
}

/// An added item is an addition, except a field or variant of a type that is not
/// `#[non_exhaustive]`: struct literals and exhaustive `match`es of it stop compiling.
fn added_bump(item: &ApiItem, new: &BTreeMap<&str, &ApiItem>) -> Bump {
    let owner = match item.kind {
        ItemKind::Field => item.path.rsplit_once('.').map(|(owner, _)| owner),
        ItemKind::Variant => item.path.rsplit_once("::").map(|(owner, _)| owner),
        _ => return Bump::Minor,
    };
    match owner.and_then(|o| new.get(o)) {
        Some(owner) if !owner.non_exhaustive => Bump::Major,
        _ => Bump::Minor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(source: &str) -> Vec<ApiItem> {
        public_api::items(&syn::parse_str(source).unwrap(), "")
    }

    #[test]
    fn removed_and_changed_items_break_and_additions_to_non_exhaustive_types_do_not() {
        let old = items(
            "pub mod types {
                #[non_exhaustive] pub struct Open { pub a: String, pub gone: u8 }
                pub struct Closed { pub a: String }
                #[non_exhaustive] pub enum Kind { A }
             }
             impl Client { pub fn get(&self) -> u8 { 0 } }",
        );
        let new = items(
            "pub mod types {
                #[non_exhaustive] pub struct Open { pub a: Option<String>, pub added: u8 }
                pub struct Closed { pub a: String, pub b: u8 }
                #[non_exhaustive] pub enum Kind { A, B }
             }
             impl Client { pub fn get(&self) -> u8 { 0 } pub fn put(&self) {} }",
        );
        let changes = compare(&old, &new);
        let found: Vec<(ItemChange, &str, Bump)> = changes
            .iter()
            .map(|c| (c.change, c.path.as_str(), c.bump))
            .collect();
        assert_eq!(
            found,
            vec![
                (ItemChange::Removed, "types::Open.gone", Bump::Major),
                (ItemChange::Changed, "types::Open.a", Bump::Major),
                (ItemChange::Added, "types::Closed.b", Bump::Major),
                (ItemChange::Added, "Client::put", Bump::Minor),
                (ItemChange::Added, "types::Kind::B", Bump::Minor),
                (ItemChange::Added, "types::Open.added", Bump::Minor),
            ]
        );
    }

    #[test]
    fn a_type_that_stops_being_non_exhaustive_is_an_addition() {
        let old = items("#[non_exhaustive] pub struct S { pub a: u8 }");
        let new = items("pub struct S { pub a: u8 }");
        let changes = compare(&old, &new);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].bump, Bump::Minor);
        assert_eq!(compare(&new, &old)[0].bump, Bump::Major);
    }
}
