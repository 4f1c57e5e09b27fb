//! Pass: the builders of `types` take nested values as builders, and their refusals say where.
//!
//! typify's setter of a field holding another type of `types` takes `TryInto<T>`, which a
//! builder of `T` is not, so a caller had to build each nested value first and handle typify's
//! `ConversionError`. Here that setter takes `crate::Builds<T>` (the value or its builder; for
//! an array, any iterator of either), and builds it in place. Every refusal a builder keeps is
//! written as `"<path>: <reason>"` in the document's field names (through
//! `crate::builds`), so the operation's `send()` names the whole path
//! (`body.records[2].phoneNumber`): a required field's "no value supplied", each setter's
//! conversion error, and a nested value's refusal moved under its field. Each builder also
//! implements `crate::Builds` for its type.

use std::collections::{BTreeMap, BTreeSet};

use quote::quote;
use syn::visit_mut::VisitMut;
use syn::{Expr, Fields, ImplItem, Item};

use super::template::{Fill, Template};
use super::{generic_arg, module_items, option_inner, wire_names_by_type};

pub fn nested_builders(file: &mut syn::File) -> Result<(), String> {
    let types = module_items(&mut file.items, &["types"]).ok_or("no `types` module")?;
    let wire_names = wire_names_by_type(types);
    let builders = module_items(types, &["builder"]).ok_or("no `types::builder` module")?;
    // Builders left as placeholders (`deferred_builders`) are nested into like the others;
    // their `Builds` impl is part of the `builder!` call `compact_builders` writes.
    let with_builder = super::compact_builders::with_builder(builders);
    let deferred: BTreeSet<String> = builders
        .iter()
        .filter_map(super::deferred_builders::deferred_name)
        .collect();
    // Builder name → (field identifier → how the builder keeps it, when it holds a type with
    // a builder).
    let fields: BTreeMap<String, BTreeMap<String, Option<NestedShape>>> = builders
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some((s.ident.to_string(), builder_fields(s, &with_builder))),
            _ => None,
        })
        .collect();
    let code = Code::new();

    for item in builders.iter_mut() {
        let Item::Impl(block) = item else { continue };
        let Some(name) = self_name(&block.self_ty) else {
            continue;
        };
        let (Some(wires), Some(kept)) = (wire_names.get(&name), fields.get(&name)) else {
            continue;
        };
        let is_default = block
            .trait_
            .as_ref()
            .is_some_and(|(path, _)| path.segments.last().is_some_and(|s| s.ident == "Default"));
        if is_default {
            RequiredMessages(wires, &code).visit_item_impl_mut(block);
            continue;
        }
        if block.trait_.is_some() {
            continue;
        }
        for impl_item in &mut block.items {
            let ImplItem::Fn(setter) = impl_item else {
                continue;
            };
            let Some(field) = assigned_field(setter) else {
                continue;
            };
            let (Some(wire), Some(shape)) = (wires.get(&field), kept.get(&field)) else {
                return Err(format!(
                    "builder `{name}` sets `{field}`, which is not a field of `{name}`"
                ));
            };
            // Setters are named after their field; others (`clear_*`) store a fixed value.
            match shape.as_ref().filter(|_| setter.sig.ident == field) {
                Some(shape) => *setter = nested_setter(setter, &field, wire, shape),
                None => ReasonMessages(wire, &code).visit_block_mut(&mut setter.block),
            }
        }
    }
    let conversions: Vec<Item> = with_builder
        .iter()
        .filter(|name| wire_names.contains_key(*name) && !deferred.contains(*name))
        .map(|name| code.conversion.fill(&mut [("__TYPE", Fill::ident(name))]))
        .collect();
    builders.extend(conversions);
    Ok(())
}

/// The last segment of an impl's self type.
fn self_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Field identifier → the shape of the `T` of the builder's `field: Result<T, String>`, when
/// it holds a type with a builder.
fn builder_fields(
    item: &syn::ItemStruct,
    with_builder: &BTreeSet<String>,
) -> BTreeMap<String, Option<NestedShape>> {
    let Fields::Named(named) = &item.fields else {
        return BTreeMap::new();
    };
    named
        .named
        .iter()
        .filter_map(|f| {
            Some((
                f.ident.as_ref()?.to_string(),
                nested_shape(generic_arg(&f.ty, "Result")?, with_builder),
            ))
        })
        .collect()
}

/// The field a setter assigns: the `x` of its `self.x = ..`.
fn assigned_field(setter: &mut syn::ImplItemFn) -> Option<String> {
    setter.block.stmts.iter().find_map(|stmt| {
        let syn::Stmt::Expr(Expr::Assign(assign), _) = stmt else {
            return None;
        };
        let Expr::Field(field) = &*assign.left else {
            return None;
        };
        let is_self = matches!(&*field.base, Expr::Path(p) if p.path.is_ident("self"));
        match (&field.member, is_self) {
            (syn::Member::Named(ident), true) => Some(ident.to_string()),
            _ => None,
        }
    })
}

/// How a builder keeps a field that holds a type with a builder.
pub(super) struct NestedShape {
    /// The type of `types` (as the builder module names it, `super::X`).
    item: syn::Type,
    /// An array of them.
    pub(super) many: bool,
    /// How the built value is stored: `Option::Some`, `Patch::Set`, or as it is.
    wrap: Option<syn::Path>,
}

pub(super) fn nested_shape(
    kept: &syn::Type,
    with_builder: &BTreeSet<String>,
) -> Option<NestedShape> {
    let (wrap, inner): (Option<fn() -> syn::Path>, _) = if let Some(inner) = option_inner(kept) {
        (
            Some(|| syn::parse_quote!(::std::option::Option::Some)),
            inner,
        )
    } else if let Some(inner) = generic_arg(kept, "Patch") {
        (Some(|| syn::parse_quote!(crate::Patch::Set)), inner)
    } else {
        (None, kept)
    };
    let (many, item) = match generic_arg(inner, "Vec") {
        Some(item) => (true, item),
        None => (false, inner),
    };
    let syn::Type::Path(path) = item else {
        return None;
    };
    let segments: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    match segments.as_slice() {
        [module, name] if module == "super" && with_builder.contains(name) => Some(NestedShape {
            item: item.clone(),
            many,
            wrap: wrap.map(|path| path()),
        }),
        _ => None,
    }
}

/// The setter of a nested field: takes `Builds<T>` (an iterator of them for an array), keeps
/// the setter's name, visibility and docs.
fn nested_setter(
    setter: &syn::ImplItemFn,
    field: &str,
    wire: &str,
    shape: &NestedShape,
) -> syn::ImplItemFn {
    let (attrs, vis, name) = (&setter.attrs, &setter.vis, &setter.sig.ident);
    let field = syn::Ident::new(field, proc_macro2::Span::call_site());
    let item = &shape.item;
    let wrap = shape.wrap.as_ref().map(|wrap| quote!(.map(#wrap)));
    if shape.many {
        syn::parse_quote! {
            #(#attrs)*
            #vis fn #name<I>(mut self, value: I) -> Self
            where
                I: ::std::iter::IntoIterator,
                I::Item: crate::Builds<#item>,
            {
                self.#field = crate::builds::build_all(value)#wrap.map_err(|e| crate::builds::nested(#wire, e));
                self
            }
        }
    } else {
        syn::parse_quote! {
            #(#attrs)*
            #vis fn #name<T>(mut self, value: T) -> Self
            where
                T: crate::Builds<#item>,
            {
                self.#field = crate::Builds::build(value)#wrap.map_err(|e| crate::builds::nested(#wire, e));
                self
            }
        }
    }
}

/// The code this pass writes for every builder or field, parsed once per pass (parsing it
/// for each of them cost more than the rest of the pass).
struct Code {
    required: Template<Expr>,
    refused: Template<Expr>,
    conversion: Template<Item>,
}

impl Code {
    fn new() -> Self {
        Code {
            required: Template::new(syn::parse_quote!(Err(crate::builds::required("__WIRE")))),
            refused: Template::new(syn::parse_quote!(|e| crate::builds::refused("__WIRE", e))),
            conversion: Template::new(syn::parse_quote! {
                impl crate::Builds<super::__TYPE> for __TYPE {
                    fn build(self) -> ::std::result::Result<super::__TYPE, ::std::string::String> {
                        super::__TYPE::try_from(self).map_err(|e| e.to_string())
                    }
                }
            }),
        }
    }
}

/// In a builder's `Default`, a required field starts as `Err(crate::builds::required("wire"))`.
struct RequiredMessages<'a>(&'a std::collections::HashMap<String, String>, &'a Code);

impl VisitMut for RequiredMessages<'_> {
    fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
        if let (syn::Member::Named(ident), Expr::Call(call)) = (&field.member, &field.expr)
            && matches!(&*call.func, Expr::Path(p) if p.path.is_ident("Err"))
            && let Some(wire) = self.0.get(&ident.to_string())
        {
            field.expr = self
                .1
                .required
                .fill(&mut [("__WIRE", Fill::Str(wire.clone()))]);
        }
    }
}

/// In a setter, the conversion error becomes `crate::builds::refused("wire", e)`.
struct ReasonMessages<'a>(&'a str, &'a Code);

impl VisitMut for ReasonMessages<'_> {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        syn::visit_mut::visit_expr_method_call_mut(self, call);
        if call.method == "map_err" && call.args.len() == 1 {
            call.args[0] = self
                .1
                .refused
                .fill(&mut [("__WIRE", Fill::Str(self.0.to_owned()))]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    const TYPES: &str = r#"
        pub mod types {
            pub struct Upload {
                pub records: ::std::vec::Vec<Record>,
                pub owner: ::std::option::Option<Record>,
                #[serde(rename = "batchName")]
                pub batch_name: ::std::option::Option<::std::string::String>,
            }
            pub struct Record {
                #[serde(rename = "phoneNumber")]
                pub phone_number: ::std::string::String,
            }
            pub mod builder {
                pub struct Upload {
                    records: ::std::result::Result<::std::vec::Vec<super::Record>, ::std::string::String>,
                    owner: ::std::result::Result<::std::option::Option<super::Record>, ::std::string::String>,
                    batch_name: ::std::result::Result<::std::option::Option<::std::string::String>, ::std::string::String>,
                }
                impl ::std::default::Default for Upload {
                    fn default() -> Self {
                        Self {
                            records: Err("no value supplied for records".to_string()),
                            owner: Ok(Default::default()),
                            batch_name: Ok(Default::default()),
                        }
                    }
                }
                impl Upload {
                    ///The records.
                    pub fn records<T>(mut self, value: T) -> Self
                    where
                        T: ::std::convert::TryInto<::std::vec::Vec<super::Record>>,
                        T::Error: ::std::fmt::Display,
                    {
                        self.records = value.try_into().map_err(|e| format!("error converting supplied value for records: {e}"));
                        self
                    }
                    pub fn owner<T>(mut self, value: T) -> Self
                    where
                        T: ::std::convert::TryInto<super::Record>,
                        T::Error: ::std::fmt::Display,
                    {
                        self.owner = value.try_into().map(::std::option::Option::Some).map_err(|e| format!("error converting supplied value for owner: {e}"));
                        self
                    }
                    pub fn batch_name<T>(mut self, value: T) -> Self
                    where
                        T: ::std::convert::TryInto<::std::string::String>,
                        T::Error: ::std::fmt::Display,
                    {
                        self.batch_name = value.try_into().map(::std::option::Option::Some).map_err(|e| format!("error converting supplied value for batch_name: {e}"));
                        self
                    }
                }
                pub struct Record {
                    phone_number: ::std::result::Result<::std::string::String, ::std::string::String>,
                }
            }
        }
    "#;

    fn run() -> String {
        let mut file = parse_file(TYPES);
        nested_builders(&mut file).unwrap();
        pretty(&file)
    }

    #[test]
    fn nested_fields_take_builders_and_arrays_take_iterators() {
        let out = run();
        assert!(
            has(
                &out,
                "///The records. pub fn records<I>(mut self, value: I) -> Self where I: ::std::iter::IntoIterator, I::Item: crate::Builds<super::Record>,"
            ),
            "{out}"
        );
        assert!(
            has(
                &out,
                r#"self.records = crate::builds::build_all(value).map_err(|e| crate::builds::nested("records", e));"#
            ),
            "{out}"
        );
        assert!(
            has(
                &out,
                "pub fn owner<T>(mut self, value: T) -> Self where T: crate::Builds<super::Record>,"
            ),
            "{out}"
        );
        assert!(
            has(
                &out,
                r#"self.owner = crate::Builds::build(value).map(::std::option::Option::Some).map_err(|e| crate::builds::nested("owner", e));"#
            ),
            "{out}"
        );
    }

    #[test]
    fn refusals_use_the_wire_names() {
        let out = run();
        assert!(
            has(&out, r#"records: Err(crate::builds::required("records")),"#),
            "{out}"
        );
        assert!(
            has(
                &out,
                r#".map_err(|e| crate::builds::refused("batchName", e));"#
            ),
            "{out}"
        );
        assert!(!out.contains("error converting"), "{out}");
    }

    #[test]
    fn every_builder_builds_its_type() {
        let out = run();
        for name in ["Upload", "Record"] {
            assert!(
                has(
                    &out,
                    &format!("impl crate::Builds<super::{name}> for {name}")
                ),
                "{out}"
            );
        }
        assert!(
            has(
                &out,
                "super::Record::try_from(self).map_err(|e| e.to_string())"
            ),
            "{out}"
        );
    }

    #[test]
    fn a_setter_of_an_unknown_field_is_an_error() {
        let source = TYPES.replace("self.batch_name = value", "self.other = value");
        let error = nested_builders(&mut parse_file(&source)).unwrap_err();
        assert!(error.contains("`other`"), "{error}");
    }
}
