//! Pass: a header value that HTTP cannot carry is an invalid request naming the header.
//!
//! progenitor converts each header parameter with `value.to_string().try_into()?`, whose error
//! (`InvalidHeaderValue`) `crate::Error` has no conversion from. The `?` gets a `map_err` that
//! turns it into `crate::Error::invalid_request`, found as the second argument of a
//! `header_map.append(name, ..)` call.
//!
//! Every method call of the file reaches it through the one walk of `expression_rewrites`.

use syn::{Expr, ExprMethodCall, Lit};

/// `header_map.append("name", value?)` gets its `map_err`.
pub(super) fn invalid_header_values(call: &mut ExprMethodCall) {
    let is_header_map = matches!(&*call.receiver, Expr::Path(p) if p.path.is_ident("header_map"));
    if call.method != "append" || !is_header_map || call.args.len() != 2 {
        return;
    }
    let Some(Expr::Lit(syn::ExprLit {
        lit: Lit::Str(name),
        ..
    })) = call.args.first()
    else {
        return;
    };
    let message = format!(
        "conversion to `HeaderValue` for header {} failed: the value holds a character an HTTP header cannot carry",
        name.value()
    );
    if let Some(Expr::Try(attempt)) = call.args.last_mut() {
        let inner = &attempt.expr;
        *attempt.expr = syn::parse_quote!(#inner.map_err(|_| crate::Error::invalid_request(#message.to_owned())));
    }
}

#[cfg(test)]
mod tests {
    use crate::passes::expression_rewrites::expression_rewrites;
    use crate::passes::{has, parse_file, pretty};

    #[test]
    fn a_header_conversion_error_becomes_an_invalid_request() {
        let mut file = parse_file(
            "fn f() { header_map.append(\"x-trace\", value.to_string().try_into()?); other.append(\"a\", b?); }",
        );
        expression_rewrites(&mut file);
        let out = pretty(&file);
        assert!(
            has(
                &out,
                "value.to_string().try_into().map_err(|_| crate::Error::invalid_request("
            ),
            "{out}"
        );
        assert!(has(&out, "for header x-trace failed"), "{out}");
        assert!(has(&out, "other.append(\"a\", b?)"), "{out}");
    }
}
