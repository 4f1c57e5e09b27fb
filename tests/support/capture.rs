//! A `tracing` subscriber that captures every span and event, for tests that check what the
//! client traces.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// A span or an event as the capture saw it.
#[derive(Clone, Debug, Default)]
pub struct Captured {
    pub name: String,
    pub fields: BTreeMap<String, String>,
}

#[derive(Default)]
struct Store {
    next_id: AtomicU64,
    spans: Mutex<HashMap<u64, Captured>>,
    span_order: Mutex<Vec<u64>>,
    events: Mutex<Vec<Captured>>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

/// A subscriber that keeps every span (with the fields recorded later) and every event, at
/// every level down to TRACE. Clones share what they captured.
#[derive(Clone, Default)]
pub struct Capture(Arc<Store>);

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let id = self.0.next_id.fetch_add(1, Ordering::SeqCst) + 1;
        let mut span = Captured {
            name: attributes.metadata().name().to_owned(),
            ..Captured::default()
        };
        attributes.record(&mut Fields(&mut span.fields));
        self.0.spans.lock().unwrap().insert(id, span);
        self.0.span_order.lock().unwrap().push(id);
        Id::from_u64(id)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        if let Some(span) = self.0.spans.lock().unwrap().get_mut(&span.into_u64()) {
            values.record(&mut Fields(&mut span.fields));
        }
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut captured = Captured {
            name: event.metadata().name().to_owned(),
            ..Captured::default()
        };
        event.record(&mut Fields(&mut captured.fields));
        self.0.events.lock().unwrap().push(captured);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

impl Capture {
    /// The spans of this name, in the order they began.
    pub fn spans_named(&self, name: &str) -> Vec<Captured> {
        let spans = self.0.spans.lock().unwrap();
        let order = self.0.span_order.lock().unwrap();
        order
            .iter()
            .filter_map(|id| spans.get(id))
            .filter(|s| s.name == name)
            .cloned()
            .collect()
    }
    /// Every event, in order.
    pub fn events(&self) -> Vec<Captured> {
        self.0.events.lock().unwrap().clone()
    }

    /// Every span and event with its fields, as one text to search.
    pub fn everything(&self) -> String {
        let spans: Vec<Captured> = self.0.spans.lock().unwrap().values().cloned().collect();
        let events = self.0.events.lock().unwrap().clone();
        format!("{spans:?}\n{events:?}")
    }
}
