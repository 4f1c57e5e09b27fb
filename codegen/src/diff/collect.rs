//! Gathers changes as the walkers find them. A change found through several operations (a
//! shared component) is kept once, with every operation it affects.

use std::collections::HashMap;

use super::Change;
use super::rules::rule_by_id;

#[derive(Default)]
pub struct Collector {
    changes: Vec<Change>,
    /// (rule id, pointer, message) → index in `changes`.
    seen: HashMap<(&'static str, String, String), usize>,
    /// The operation being compared, named `METHOD /path`.
    pub operation: Option<String>,
}

impl Collector {
    /// Records a change in the current operation. An empty `rust` means the rule's own text.
    pub fn emit(&mut self, id: &'static str, pointer: &str, message: String, rust: String) {
        let operations = self.operation.iter().cloned().collect();
        self.emit_for(id, pointer, message, rust, operations);
    }

    /// Records a change that affects the given operations.
    pub fn emit_for(
        &mut self,
        id: &'static str,
        pointer: &str,
        message: String,
        rust: String,
        operations: Vec<String>,
    ) {
        let key = (id, pointer.to_owned(), message);
        if let Some(&index) = self.seen.get(&key) {
            let change = &mut self.changes[index];
            for operation in operations {
                // Operations arrive in document order, so a repeat is the last one added.
                if change.operations.last() != Some(&operation)
                    && !change.operations.contains(&operation)
                {
                    change.operations.push(operation);
                }
            }
            return;
        }
        let rule = rule_by_id(id);
        let rust = if rust.is_empty() {
            rule.rust.to_owned()
        } else {
            rust
        };
        self.seen.insert(key.clone(), self.changes.len());
        self.changes.push(Change {
            rule,
            operations,
            pointer: key.1,
            message: key.2,
            rust,
        });
    }

    pub fn into_changes(self) -> Vec<Change> {
        self.changes
    }
}
