//! Step 4: progenitor. Turns the lowered document into token streams for the client and for
//! the typed httpmock helpers. A panic inside progenitor or typify is caught and reported as an
//! error, so that no document makes codegen panic.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;

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
fn guarded(f: impl FnOnce() -> progenitor_impl::Result<TokenStream>) -> Result<TokenStream, String> {
    // The panic hook is process-wide: silence it only while the generator runs, one at a time.
    static HOOK: Mutex<()> = Mutex::new(());
    let _guard = HOOK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = catch_unwind(AssertUnwindSafe(f));
    std::panic::set_hook(previous);
    match result {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(error)) => Err(format!("the generator rejected the document: {error}")),
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("no message");
            Err(format!(
                "the generator failed on a construct it does not support ({message}); \
                 simplify that construct in the document"
            ))
        }
    }
}
