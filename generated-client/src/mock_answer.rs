//! What every JSON answer of the typed mocks does, written once: the `mock_json_answers` pass
//! of codegen makes each method of an operation's `…Then` that answers JSON call [`json`].

/// Answers with `status` and `value` serialised as a JSON body.
pub(crate) fn json<T: serde::Serialize + ?Sized>(
    then: httpmock::Then,
    status: u16,
    value: &T,
) -> httpmock::Then {
    then.status(status)
        .header("content-type", "application/json")
        .json_body_obj(value)
}
