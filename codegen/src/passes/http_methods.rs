//! Pass: OPTIONS and TRACE operations send with `request(Method, url)`.
//!
//! progenitor calls a method named after the HTTP method on the `reqwest::Client`
//! (`client.client.options(url)`), and reqwest has such shorthands for the common methods only.
//!
//! Every method call of the file reaches it through the one walk of `expression_rewrites`.

use syn::{Expr, ExprMethodCall, Member};

/// Whether `expr` is `client.client`, the reqwest client inside progenitor's `Client`.
fn is_reqwest_client(expr: &Expr) -> bool {
    let Expr::Field(field) = expr else {
        return false;
    };
    matches!(&field.member, Member::Named(name) if name == "client")
        && matches!(&*field.base, Expr::Path(p) if p.path.is_ident("client"))
}

/// `client.client.options(url)` becomes `client.client.request(::reqwest::Method::OPTIONS, url)`.
pub(super) fn methods_without_shorthand(call: &mut ExprMethodCall) {
    let method = match call.method.to_string().as_str() {
        "options" => quote::quote!(OPTIONS),
        "trace" => quote::quote!(TRACE),
        _ => return,
    };
    if !is_reqwest_client(&call.receiver) || call.args.len() != 1 {
        return;
    }
    let receiver = &call.receiver;
    let url = &call.args[0];
    *call = syn::parse_quote!(#receiver.request(::reqwest::Method::#method, #url));
}

#[cfg(test)]
mod tests {
    use crate::passes::expression_rewrites::expression_rewrites;
    use crate::passes::{has, parse_file, pretty};

    #[test]
    fn options_and_trace_use_request() {
        let mut file = parse_file(
            "fn f() { client.client.options(url).build(); client.client.trace(url); client.client.get(url); x.options(y); }",
        );
        expression_rewrites(&mut file);
        let out = pretty(&file);
        assert!(
            has(
                &out,
                "client.client.request(::reqwest::Method::OPTIONS, url).build()"
            ),
            "{out}"
        );
        assert!(
            has(&out, "client.client.request(::reqwest::Method::TRACE, url)"),
            "{out}"
        );
        assert!(has(&out, "client.client.get(url)"), "{out}");
        assert!(has(&out, "x.options(y)"), "{out}");
    }
}
