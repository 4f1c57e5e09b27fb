//! What the generated types' serde attributes call.

/// Whether an optional field is left out of the JSON: `skip_serializing_if` of every
/// `Option` field of `types`, shorter than `::std::option::Option::is_none` and not shadowed
/// by a generated type named `Option`.
pub(crate) fn is_none<T>(value: &Option<T>) -> bool {
    value.is_none()
}
