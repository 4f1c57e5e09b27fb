//! Three-state fields for PATCH bodies.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field of a PATCH body: leave it alone, clear it, or set it.
///
/// `Absent` sends nothing for the field, `Clear` sends `null`, `Set(v)` sends the value.
/// The builders of PATCH bodies set these for you: `.specialty("Cardiology")` sets,
/// `.clear_specialty()` clears, and a field you do not touch stays absent.
///
/// ```
/// use carecycle::Patch;
/// use carecycle::types::UpdateProviderRequest;
///
/// let body = UpdateProviderRequest::builder()
///     .specialty("Cardiology")
///     .clear_notes();
/// let body = UpdateProviderRequest::try_from(body).unwrap();
/// assert_eq!(
///     serde_json::to_value(&body).unwrap(),
///     serde_json::json!({"specialty": "Cardiology", "notes": null}),
/// );
/// assert!(body.fax.is_absent());
/// assert_eq!(body.notes, Patch::Clear);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Patch<T> {
    /// Leave the field as it is: it is not sent.
    #[default]
    Absent,
    /// Clear the field: it is sent as `null`.
    Clear,
    /// Set the field to this value.
    Set(T),
}

impl<T> Patch<T> {
    /// Whether the field is left out of the request (used by serde's `skip_serializing_if`).
    pub fn is_absent(&self) -> bool {
        matches!(self, Patch::Absent)
    }

    /// The value, when the field is set.
    pub fn as_set(&self) -> Option<&T> {
        match self {
            Patch::Set(value) => Some(value),
            _ => None,
        }
    }
}

impl<T> From<T> for Patch<T> {
    fn from(value: T) -> Self {
        Patch::Set(value)
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Absent fields are skipped by `skip_serializing_if`; alone, absent reads as null.
            Patch::Absent | Patch::Clear => serializer.serialize_none(),
            Patch::Set(value) => serializer.serialize_some(value),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    /// A present field is `Clear` when `null`, `Set` otherwise; a missing one is `Absent`
    /// (through `#[serde(default)]`).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            None => Patch::Clear,
            Some(value) => Patch::Set(value),
        })
    }
}

/// A `Patch<T>` field's schema is `T` or `null`; absent is the field missing from the object
/// (every `Patch` field is optional: `#[serde(default)]`). So the three states are: not in the
/// object (left as it is), `null` (cleared), a value of `T` (set).
#[cfg(feature = "schemars")]
impl<T: schemars::JsonSchema> schemars::JsonSchema for Patch<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Patch_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Option<T>>::json_schema(generator)
    }
}
