//! Pass: a consumer builds a client with `ClientBuilder` only.
//!
//! progenitor gives the client two public constructors: `new`, which builds its own
//! `reqwest::Client` (following redirects, its own timeouts), and `new_with_client`, which
//! takes any `reqwest::Client`. Either would skip the checks and protections of
//! `ClientBuilder::build` (no redirects, base URL, timeouts, https only off loopback). The
//! one that takes a `reqwest::Client` becomes `pub(crate)`, for `build` to call; the others
//! are removed.
//!
//! The client is found by its role: the type that implements progenitor's `ClientInfo`. Its
//! constructors are the associated functions of its inherent impls that take no `self` and
//! return `Self`.

use syn::{FnArg, ImplItem, Item, ReturnType};

pub fn private_constructors(file: &mut syn::File) -> Result<(), String> {
    let client = file
        .items
        .iter()
        .find_map(|item| match item {
            Item::Impl(block) => {
                let (trait_path, _) = block.trait_.as_ref()?;
                let is_client_info = trait_path.segments.last()?.ident == "ClientInfo";
                if is_client_info {
                    type_name(&block.self_ty)
                } else {
                    None
                }
            }
            _ => None,
        })
        .ok_or("no type implements `ClientInfo`")?;
    let mut kept = 0;
    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() || type_name(&block.self_ty).as_ref() != Some(&client) {
            continue;
        }
        block.items.retain_mut(|impl_item| {
            let ImplItem::Fn(function) = impl_item else {
                return true;
            };
            if !is_constructor(&function.sig) {
                return true;
            }
            if takes_a_reqwest_client(&function.sig) {
                function.vis = syn::parse_quote!(pub(crate));
                kept += 1;
                true
            } else {
                false
            }
        });
    }
    match kept {
        1 => Ok(()),
        n => Err(format!(
            "{client} has {n} constructors taking a `reqwest::Client`, expected 1"
        )),
    }
}

fn type_name(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    Some(path.path.segments.last()?.ident.to_string())
}

fn is_constructor(sig: &syn::Signature) -> bool {
    let no_receiver = !sig.inputs.iter().any(|a| matches!(a, FnArg::Receiver(_)));
    let returns_self = match &sig.output {
        ReturnType::Type(_, ty) => type_name(ty).as_deref() == Some("Self"),
        ReturnType::Default => false,
    };
    no_receiver && returns_self
}

fn takes_a_reqwest_client(sig: &syn::Signature) -> bool {
    sig.inputs.iter().any(|arg| {
        let FnArg::Typed(typed) = arg else {
            return false;
        };
        let syn::Type::Path(path) = typed.ty.as_ref() else {
            return false;
        };
        let segments: Vec<String> = path
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        segments.first().is_some_and(|s| s == "reqwest")
            && segments.last().is_some_and(|s| s == "Client")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    const CLIENT: &str = r#"
        pub struct Client { baseurl: String, client: reqwest::Client }
        impl Client {
            pub fn new(baseurl: &str, inner: Inner) -> Self {
                Self::new_with_client(baseurl, reqwest::ClientBuilder::new().build().unwrap(), inner)
            }
            pub fn new_with_client(baseurl: &str, client: reqwest::Client, inner: Inner) -> Self {
                Self { baseurl: baseurl.to_string(), client }
            }
        }
        impl ClientInfo<Inner> for Client {
            fn baseurl(&self) -> &str { self.baseurl.as_str() }
        }
        impl Client {
            pub fn get_thing(&self) -> builder::GetThing<'_> { builder::GetThing::new(self) }
        }
    "#;

    #[test]
    fn only_a_crate_private_constructor_taking_the_http_client_is_left() {
        let mut file = parse_file(CLIENT);
        private_constructors(&mut file).unwrap();
        let out = pretty(&file);
        assert!(
            has(
                &out,
                "pub(crate) fn new_with_client(baseurl: &str, client: reqwest::Client"
            ),
            "{out}"
        );
        assert!(!out.contains("fn new("), "{out}");
        assert!(has(&out, "pub fn get_thing(&self)"), "{out}");
    }

    #[test]
    fn a_client_without_such_a_constructor_is_an_error() {
        let source = CLIENT.replace("client: reqwest::Client, inner", "inner");
        let error = private_constructors(&mut parse_file(&source)).unwrap_err();
        assert!(error.contains("Client has 0 constructors"), "{error}");
    }
}
