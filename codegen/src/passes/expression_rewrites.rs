//! One walk of the whole client file for the passes that rewrite a kind of attribute or
//! expression wherever it is: `doc_examples`, `header_values` and `http_methods`. Walking every
//! node of the file costs more than all their rewrites together, so they share the walk.

use syn::visit_mut::{self, VisitMut};

use super::{doc_examples, header_values, http_methods};

pub fn expression_rewrites(file: &mut syn::File) {
    Rewrites.visit_file_mut(file);
}

struct Rewrites;

impl VisitMut for Rewrites {
    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        doc_examples::sketch_as_text(attr);
    }

    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        visit_mut::visit_expr_method_call_mut(self, call);
        header_values::invalid_header_values(call);
        http_methods::methods_without_shorthand(call);
    }
}
