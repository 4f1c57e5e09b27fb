//! Pass: the builders of types only responses hold are compiled with the `mock` feature only.
//!
//! typify writes a builder (`types::builder::X`, its impls, and `X::builder()`) for every
//! struct. A service builds request bodies and their parts; a type only responses hold is
//! decoded, and built only to make a mock answer with it. The types a request can hold are
//! found in the code: the fields of the operation builders (module `builder`: path, query and
//! body values) are the roots, and every type of `types` that a reached type names in its
//! definition is reached too. The builders of the other types, every impl whose self type is
//! one, and their `builder()` get `#[cfg(feature = "mock")]`.

use std::collections::{BTreeMap, BTreeSet};

use syn::visit::Visit;
use syn::{ImplItem, Item};

use super::module_items;

pub fn response_builders(file: &mut syn::File) -> Result<(), String> {
    let types = module_items(&mut file.items, &["types"]).ok_or("no `types` module")?;
    let defined: BTreeSet<String> = types.iter().filter_map(type_name).collect();
    let uses: BTreeMap<String, BTreeSet<String>> = types
        .iter()
        .filter_map(|item| Some((type_name(item)?, named_types(fields_of(item), &defined))))
        .collect();

    let operations = module_items(&mut file.items, &["builder"]).ok_or("no `builder` module")?;
    let mut reached = BTreeSet::new();
    for item in operations
        .iter()
        .filter(|item| matches!(item, Item::Struct(_)))
    {
        reached.extend(named_types(fields_of(item), &defined));
    }
    let mut pending: Vec<String> = reached.iter().cloned().collect();
    while let Some(name) = pending.pop() {
        for found in uses.get(&name).into_iter().flatten() {
            if reached.insert(found.clone()) {
                pending.push(found.clone());
            }
        }
    }

    let gate: syn::Attribute = syn::parse_quote!(#[cfg(feature = "mock")]);
    let types = module_items(&mut file.items, &["types"]).expect("found above");
    for item in types.iter_mut() {
        if let Item::Impl(imp) = item
            && imp.trait_.is_none()
            && self_name(imp).is_some_and(|name| !reached.contains(&name))
        {
            for function in imp.items.iter_mut() {
                if let ImplItem::Fn(f) = function
                    && f.sig.ident == "builder"
                {
                    f.attrs.push(gate.clone());
                }
            }
        }
    }
    let builders = module_items(types, &["builder"]).ok_or("no `types::builder` module")?;
    for item in builders.iter_mut() {
        let gated_placeholder = super::deferred_builders::deferred_name(item)
            .is_some_and(|name| !reached.contains(&name));
        match item {
            Item::Struct(s) if !reached.contains(&s.ident.to_string()) => {
                s.attrs.push(gate.clone())
            }
            Item::Impl(imp) if self_name(imp).is_some_and(|name| !reached.contains(&name)) => {
                imp.attrs.push(gate.clone())
            }
            // A builder left as a placeholder: its `builder!` call takes the gate.
            Item::Macro(placeholder) if gated_placeholder => placeholder.attrs.push(gate.clone()),
            _ => {}
        }
    }
    Ok(())
}

/// The name of a struct or enum.
fn type_name(item: &Item) -> Option<String> {
    match item {
        Item::Struct(s) => Some(s.ident.to_string()),
        Item::Enum(e) => Some(e.ident.to_string()),
        _ => None,
    }
}

/// The last segment of an impl's self type, for `impl X` and `impl Trait for X`.
fn self_name(imp: &syn::ItemImpl) -> Option<String> {
    match &*imp.self_ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The names of `defined` among the path segments of the field types of `fields`.
fn named_types<'a>(
    fields: impl IntoIterator<Item = &'a syn::Field>,
    defined: &BTreeSet<String>,
) -> BTreeSet<String> {
    let mut names = Names {
        defined,
        found: BTreeSet::new(),
    };
    for field in fields {
        names.visit_type(&field.ty);
    }
    names.found
}

/// The fields of a struct, or of every variant of an enum.
fn fields_of(item: &Item) -> Vec<&syn::Field> {
    match item {
        Item::Struct(s) => s.fields.iter().collect(),
        Item::Enum(e) => e.variants.iter().flat_map(|v| v.fields.iter()).collect(),
        _ => Vec::new(),
    }
}

struct Names<'d> {
    defined: &'d BTreeSet<String>,
    found: BTreeSet<String>,
}

impl<'ast> Visit<'ast> for Names<'_> {
    fn visit_path_segment(&mut self, segment: &'ast syn::PathSegment) {
        let name = segment.ident.to_string();
        if self.defined.contains(&name) {
            self.found.insert(name);
        }
        syn::visit::visit_path_segment(self, segment);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    const CODE: &str = r#"
        pub mod types {
            pub struct Body { pub tag: Tag, pub note: Option<Note> }
            pub struct Note(String);
            pub enum Tag { A, B(Detail) }
            pub struct Detail { pub x: i64 }
            pub struct Reply { pub body: Body, pub extra: Extra }
            pub struct Extra { pub y: i64 }
            impl Body { pub fn builder() -> builder::Body { Default::default() } }
            impl Detail { pub fn builder() -> builder::Detail { Default::default() } }
            impl Reply { pub fn builder() -> builder::Reply { Default::default() } }
            impl Extra { pub fn builder() -> builder::Extra { Default::default() } pub fn keep(&self) {} }
            pub mod builder {
                pub struct Body { tag: Result<super::Tag, String> }
                impl Default for Body { fn default() -> Self { todo!() } }
                pub struct Detail { x: Result<i64, String> }
                pub struct Reply { body: Result<super::Body, String> }
                impl Default for Reply { fn default() -> Self { todo!() } }
                impl ::std::convert::TryFrom<Reply> for super::Reply { type Error = String; fn try_from(v: Reply) -> Result<Self, String> { todo!() } }
                impl ::std::convert::From<super::Reply> for Reply { fn from(v: super::Reply) -> Self { todo!() } }
                pub struct Extra { y: Result<i64, String> }
                impl Extra { pub fn y(self) -> Self { self } }
            }
        }
        pub mod builder {
            pub struct CreateThing<'a> { client: &'a super::Client, body: Result<types::builder::Body, String> }
            impl<'a> CreateThing<'a> {
                pub async fn send(self) -> Result<ResponseValue<types::Reply>, crate::Error> { todo!() }
            }
        }
    "#;

    #[test]
    fn builders_of_types_a_request_reaches_stay_the_others_need_the_mock_feature() {
        let mut file = parse_file(CODE);
        response_builders(&mut file).unwrap();
        let out = pretty(&file);
        // Reached: the body, through its fields an enum, through a variant a struct.
        assert!(
            has(&out, "pub struct Body { tag: Result<super::Tag, String>, }"),
            "{out}"
        );
        assert!(has(&out, "impl Default for Body"), "{out}");
        assert!(
            has(&out, "pub struct Detail { x: Result<i64, String>, }"),
            "{out}"
        );
        assert!(
            has(&out, "impl Detail { pub fn builder() -> builder::Detail"),
            "{out}"
        );
        assert_eq!(
            out.matches("#[cfg(feature = \"mock\")]").count(),
            8,
            "{out}"
        );
        // The response's builder, its impls and `Reply::builder()` need the feature.
        let gated = |item: &str| has(&out, &format!("#[cfg(feature = \"mock\")] {item}"));
        assert!(gated("pub struct Reply { body: Result"), "{out}");
        assert!(gated("impl Default for Reply"), "{out}");
        assert!(
            gated("impl ::std::convert::TryFrom<Reply> for super::Reply"),
            "{out}"
        );
        assert!(
            gated("impl ::std::convert::From<super::Reply> for Reply"),
            "{out}"
        );
        assert!(gated("pub fn builder() -> builder::Reply"), "{out}");
        assert!(gated("pub struct Extra { y: Result"), "{out}");
        assert!(gated("impl Extra { pub fn y(self)"), "{out}");
        assert!(gated("pub fn builder() -> builder::Extra"), "{out}");
        // Other inherent items of a response type, and the types themselves, stay as they are.
        assert!(has(&out, "} pub fn keep(&self) {}"), "{out}");
        assert!(
            has(
                &out,
                "pub struct Reply { pub body: Body, pub extra: Extra, }"
            ),
            "{out}"
        );
    }

    #[test]
    fn a_file_without_the_modules_is_an_error() {
        let mut file = parse_file("pub mod types {}");
        assert!(
            response_builders(&mut file)
                .unwrap_err()
                .contains("`builder`")
        );
    }
}
