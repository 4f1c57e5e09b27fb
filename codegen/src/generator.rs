//! Step 4: progenitor. Turns the lowered document into token streams for the client and for
//! the typed httpmock helpers. A panic inside progenitor or typify is caught and reported as an
//! error, so that no document makes codegen panic.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use openapiv3::OpenAPI;
use proc_macro2::TokenStream;
use progenitor_impl::{GenerationSettings, Generator, InterfaceStyle, TagStyle};
use quote::quote;

/// The client's shared runtime state, carried by the generated `Client`.
fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_inner_type(quote!(crate::runtime::Runtime));
    settings
}

/// The client: types, `Client` and one builder per operation.
pub fn client(spec: &OpenAPI) -> Result<TokenStream, String> {
    guarded(|| Generator::new(&settings()).generate_tokens(spec))
}

/// Typed httpmock helpers, for consumers' tests (`use crate::*` reaches the client's items).
pub fn mock(spec: &OpenAPI) -> Result<TokenStream, String> {
    guarded(|| Generator::new(&settings()).httpmock(spec, "crate"))
}

/// Runs `f`, turning both its error and any panic into a message.
fn guarded(
    f: impl FnOnce() -> progenitor_impl::Result<TokenStream>,
) -> Result<TokenStream, String> {
    let result = quietly(|| catch_unwind(AssertUnwindSafe(f)));
    match result {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(error)) => Err(format!(
            "the generator rejected the document: {}",
            first_line(&error.to_string())
        )),
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("no message");
            Err(format!(
                "the generator failed on a construct it does not support ({}); \
                 simplify that construct in the document",
                first_line(message)
            ))
        }
    }
}

thread_local! {
    /// Set while this thread runs the generator: its panics are caught and reported.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with the panic hook silenced for this thread only. The hook is process-wide, so it
/// is wrapped once and the wrapper asks the thread: generators may run on several threads at
/// once (the spec diff generates both versions in parallel), and other threads' panics still
/// reach the hook that was there before.
fn quietly<T>(f: impl FnOnce() -> T) -> T {
    static WRAP: Once = Once::new();
    WRAP.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.get() {
                previous(info);
            }
        }));
    });
    let was = QUIET.replace(true);
    let result = f();
    QUIET.set(was);
    result
}

/// The first line of a message, without a trailing `Name {` that starts a Debug dump.
fn first_line(message: &str) -> &str {
    let line = message.lines().next().unwrap_or("").trim_end();
    match line.strip_suffix('{') {
        Some(rest) => rest
            .trim_end()
            .rsplit_once(' ')
            .map_or(rest, |(head, _)| head)
            .trim_end(),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_the_generator_becomes_an_error() {
        let error = guarded(|| panic!("assertion failed: response_types.len() <= 1")).unwrap_err();
        assert!(
            error.contains("does not support (assertion failed: response_types.len() <= 1)"),
            "{error}"
        );
        let error = guarded(|| std::panic::panic_any(42u8)).unwrap_err();
        assert!(error.contains("no message"), "{error}");
        assert!(guarded(|| Ok(TokenStream::new())).is_ok());
    }

    #[test]
    fn generator_errors_keep_their_first_line_only() {
        assert_eq!(
            first_line("cookie parameters are not supported Cookie {\n  name: x\n}"),
            "cookie parameters are not supported"
        );
        assert_eq!(first_line("plain"), "plain");
    }
}
