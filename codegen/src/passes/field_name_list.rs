//! Pass: the list of every field name the document defines, for the runtime.
//!
//! What the service sends in an error is untrusted text: it may echo a patient's data or the
//! API key. A validation issue's path is printed only where each segment is a field name of
//! our own document (or an array index), so the runtime needs those names. They are read from
//! the generated types (each named field's wire name), not from progenitor's text, and appended
//! as `pub(crate) const FIELD_NAMES: &[&str]`, sorted for a binary search, with
//! `ARRAY_FIELD_NAMES`, the fields that hold arrays (an index prints only after one of them).

use std::collections::BTreeSet;

use syn::{Fields, GenericArgument, Item, PathArguments, Type};

use super::{module_items, wire_name};

pub fn field_name_list(file: &mut syn::File) {
    let mut names = BTreeSet::new();
    let mut arrays = BTreeSet::new();
    if let Some(items) = module_items(&mut file.items, &["types"]) {
        for item in items.iter() {
            if let Item::Struct(s) = item
                && let Fields::Named(fields) = &s.fields
            {
                for field in &fields.named {
                    if holds_array(&field.ty) {
                        arrays.insert(wire_name(field));
                    }
                    names.insert(wire_name(field));
                }
            }
        }
    }
    let (names, arrays) = (names.into_iter(), arrays.into_iter());
    file.items.push(syn::parse_quote! {
        /// Every field name the document defines, sorted: the segments of a validation issue's
        /// path that may be printed.
        pub(crate) const FIELD_NAMES: &[&str] = &[#(#names),*];
    });
    file.items.push(syn::parse_quote! {
        /// The fields that hold arrays, sorted: an index in a path prints after one of them.
        pub(crate) const ARRAY_FIELD_NAMES: &[&str] = &[#(#arrays),*];
    });
}

/// `Vec<T>`, or a `Vec` inside `Option<..>` or `Patch<..>`.
fn holds_array(ty: &Type) -> bool {
    let Type::Path(path) = ty else {
        return false;
    };
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    if last.ident == "Vec" {
        return true;
    }
    match &last.arguments {
        PathArguments::AngleBracketed(args) if last.ident == "Option" || last.ident == "Patch" => {
            args.args
                .iter()
                .any(|arg| matches!(arg, GenericArgument::Type(inner) if holds_array(inner)))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    #[test]
    fn the_wire_names_of_every_types_struct_field_sorted_and_once() {
        let mut file = parse_file(
            r#"pub mod types {
                pub struct A { #[serde(rename = "firstName")] pub first_name: String, pub ssn: String, pub tags: Option<Vec<String>> }
                pub struct B { pub ssn: String, #[serde(default, rename = "zip")] pub postal: String }
                pub struct Name(String);
            }
            pub struct Client { baseurl: String }"#,
        );
        field_name_list(&mut file);
        let out = pretty(&file);
        assert!(
            has(
                &out,
                r#"pub(crate) const FIELD_NAMES: &[&str] = &["firstName", "ssn", "tags", "zip"];"#
            ),
            "{out}"
        );
        assert!(
            has(
                &out,
                r#"pub(crate) const ARRAY_FIELD_NAMES: &[&str] = &["tags"];"#
            ),
            "{out}"
        );
    }
}
