//! Pass: each builder of `types::builder` becomes one call of the file's `builder!` macro.
//!
//! A builder is seven items (its struct, `Default`, the setters, `TryFrom` into the type,
//! `From` the type, `crate::Builds` and, when it redacts, `Debug`), about 16 lines per field.
//! Here each builder is read back into a [`Spec`] (its fields, how each is kept and set, its
//! wire name, whether `Debug` hides it); the items that spec expands to are generated one at
//! a time, each compared with the builder's as syn structures and dropped, and only when all
//! are equal are the builder's items replaced by a call of the macro, whose `macro_rules!`
//! (written once, first in the module) comes from the same templates. A builder whose items
//! differ in any way stays as it is, so this pass never changes what a builder is.
//!
//! Most builders never reach this pass as items: `deferred_builders` left typify's as
//! placeholders, and their calls are written here from their structs of `types`
//! ([`deferred_spec`]), as the passes would have left them.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use syn::visit::Visit;
use syn::{Expr, Fields, ImplItem, Item, ItemStruct};

use super::builder_macro::{self, Field, Keep, Spec, Take};
use super::deferred_builders::{self, Deferred, deferred, deferred_name};
use super::{builder_expansion, nested_builders, redact_debug};
use super::{derives, generic_arg, has_serde_flag, module_items, option_inner, wire_names_by_type};
use crate::plan::Plan;

pub fn compact_builders(file: &mut syn::File, plan: &Plan) -> Result<(), String> {
    let Some(types) = module_items(&mut file.items, &["types"]) else {
        return Ok(());
    };
    let wire_names = wire_names_by_type(types);
    let deferred_calls = deferred_calls(types, &wire_names, plan)?;
    let Some(builders) = module_items(types, &["builder"]) else {
        return Ok(());
    };
    let mut impls: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, item) in builders.iter().enumerate() {
        if let Item::Impl(block) = item
            && let Some(name) = last_segment(&block.self_ty)
        {
            impls.entry(name).or_default().push(index);
        }
    }
    // Struct position → the call replacing it and the positions of the items it stands for.
    let mut calls: BTreeMap<usize, (Item, Vec<usize>)> = BTreeMap::new();
    for (index, item) in builders.iter().enumerate() {
        let Item::Struct(builder) = item else {
            continue;
        };
        let name = builder.ident.to_string();
        let (Some(wires), Some(impl_positions)) = (wire_names.get(&name), impls.get(&name)) else {
            continue;
        };
        let mut positions = vec![index];
        positions.extend(impl_positions);
        positions.sort_unstable();
        let own: Vec<&Item> = positions.iter().map(|&i| &builders[i]).collect();
        if let Some(call) = compacted(&own, wires) {
            calls.insert(index, (call, positions));
        }
    }
    calls.extend(
        deferred_calls
            .into_iter()
            .map(|(index, call)| (index, (call, vec![index]))),
    );
    if calls.is_empty() {
        return Ok(());
    }
    let replaced: std::collections::HashSet<usize> = calls
        .values()
        .flat_map(|(_, positions)| positions.iter().copied())
        .collect();
    let items = std::mem::take(builders);
    builders.push(builder_macro::definition());
    for (index, item) in items.into_iter().enumerate() {
        if let Some((call, _)) = calls.remove(&index) {
            builders.push(call);
        } else if !replaced.contains(&index) {
            builders.push(item);
        }
    }
    Ok(())
}

/// The call of each builder left as a placeholder (`deferred_builders`), by its position:
/// written from the struct of `types` as the passes left it, and what the plan says of it.
fn deferred_calls(
    types: &[Item],
    wire_names: &HashMap<String, HashMap<String, String>>,
    plan: &Plan,
) -> Result<Vec<(usize, Item)>, String> {
    let Some(builders) = types.iter().find_map(|item| match item {
        Item::Mod(m) if m.ident == "builder" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    }) else {
        return Ok(Vec::new());
    };
    let placeholders: Vec<(usize, Deferred, &[syn::Attribute])> = builders
        .iter()
        .enumerate()
        .filter_map(|(index, item)| match item {
            Item::Macro(call) => deferred(item).map(|d| (index, d, call.attrs.as_slice())),
            _ => None,
        })
        .collect();
    if placeholders.is_empty() {
        return Ok(Vec::new());
    }
    let structs: HashMap<String, &ItemStruct> = types
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some((s.ident.to_string(), s)),
            _ => None,
        })
        .collect();
    let defined: HashSet<String> = types
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some(s.ident.to_string()),
            Item::Enum(e) => Some(e.ident.to_string()),
            _ => None,
        })
        .collect();
    let with_builder = with_builder(builders);
    placeholders
        .into_iter()
        .map(|(index, builder, attrs)| {
            let name = builder.name.to_string();
            let item = structs
                .get(&name)
                .ok_or_else(|| format!("builder `{name}` has no struct in `types`"))?;
            let wires = wire_names
                .get(&name)
                .ok_or_else(|| format!("builder `{name}` has no struct in `types`"))?;
            let spec = deferred_spec(&builder, item, wires, &defined, &with_builder, plan)?;
            Ok((index, builder_macro::call(&spec, attrs)))
        })
        .collect()
}

/// The names of the builders of the module: its structs and its placeholders.
pub(super) fn with_builder(builders: &[Item]) -> BTreeSet<String> {
    builders
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some(s.ident.to_string()),
            _ => deferred_name(item),
        })
        .collect()
}

/// What the passes make of typify's builder of `item`, which they did not see: the field's
/// type as the builder names it (`patch_fields` and `personal_strings` changed the struct's
/// and the builder's alike), required unless a catch-all (`catch_all_defaults`), set through
/// `crate::Builds` when it holds a type with a builder (`nested_builders`), its `Debug`
/// written out for a type with personal fields and hiding them (`redact_debug`).
fn deferred_spec(
    builder: &Deferred,
    item: &ItemStruct,
    wires: &HashMap<String, String>,
    defined: &HashSet<String>,
    with_builder: &BTreeSet<String>,
    plan: &Plan,
) -> Result<Spec, String> {
    let name = builder.name.to_string();
    let differs = || format!("builder `{name}` no longer has the fields of its struct in `types`");
    let Fields::Named(named) = &item.fields else {
        return Err(differs());
    };
    if named.named.len() != builder.fields.len() {
        return Err(differs());
    }
    let personal = plan
        .personal_fields
        .get(&name)
        .map(|wire_names| redact_debug::personal_fields(item, wire_names));
    let mut fields = Vec::new();
    for (field, (ident, required)) in named.named.iter().zip(&builder.fields) {
        if field.ident.as_ref() != Some(ident) {
            return Err(differs());
        }
        let key = ident.to_string();
        let kept = deferred_builders::builder_type(&field.ty, defined);
        let required = *required && !has_serde_flag(&field.attrs, "flatten");
        let (keep, value) = keep_of(required, &kept, &key);
        let take = match nested_builders::nested_shape(&kept, with_builder) {
            Some(shape) if shape.many => Take::NestedList,
            Some(_) => Take::Nested,
            None => Take::Converted,
        };
        let ty = match take {
            Take::NestedList => generic_arg(value, "Vec").ok_or_else(differs)?,
            Take::Converted | Take::Nested => value,
        };
        fields.push(Field {
            keep,
            take,
            ty: ty.clone(),
            wire: wires.get(&key).ok_or_else(differs)?.clone(),
            redacted: personal
                .as_ref()
                .is_some_and(|personal| personal.contains(&key)),
            ident: ident.clone(),
        });
    }
    Ok(Spec {
        name: builder.name.clone(),
        redacting_debug: personal.is_some(),
        fields,
    })
}

/// How a builder keeps a field from whether `Default` refuses it and the type it keeps inside
/// `Result`; with the value's type inside `Option` or `Patch`.
fn keep_of<'a>(required: bool, kept: &'a syn::Type, name: &str) -> (Keep, &'a syn::Type) {
    if let (true, Some(inner)) = (required, option_inner(kept)) {
        (Keep::Nullable, inner)
    } else if required {
        (Keep::Required, kept)
    } else if let Some(inner) = option_inner(kept) {
        (Keep::Optional, inner)
    } else if let Some(inner) = generic_arg(kept, "Patch") {
        (Keep::Patch(quote::format_ident!("clear_{name}")), inner)
    } else {
        (Keep::Defaulted, kept)
    }
}

/// The call standing for a builder's items (struct first, then its impls in module order),
/// when they are exactly what the call expands to.
fn compacted(own: &[&Item], wires: &HashMap<String, String>) -> Option<Item> {
    let Item::Struct(builder) = own[0] else {
        return None;
    };
    let impl_with = |trait_name: &str| {
        own.iter().find_map(|item| match item {
            Item::Impl(block)
                if block
                    .trait_
                    .as_ref()
                    .and_then(|(path, _)| path.segments.last())
                    .is_some_and(|s| s.ident == trait_name) =>
            {
                Some(block)
            }
            _ => None,
        })
    };
    let inherent = own.iter().find_map(|item| match item {
        Item::Impl(block) if block.trait_.is_none() => Some(block),
        _ => None,
    })?;
    let required = required_fields(impl_with("Default")?);
    let redacted = impl_with("Debug").map(redacted_labels);
    // The attributes every item shares (the `mock` gate), after the struct's derive.
    let shared: Vec<syn::Attribute> = builder
        .attrs
        .iter()
        .filter(|a| !a.path().is_ident("derive"))
        .cloned()
        .collect();
    let Fields::Named(named) = &builder.fields else {
        return None;
    };
    let mut fields = Vec::new();
    for field in &named.named {
        let ident = field.ident.clone()?;
        let name = ident.to_string();
        let kept = generic_arg(&field.ty, "Result")?;
        let setter = inherent.items.iter().find_map(|item| match item {
            ImplItem::Fn(f) if f.sig.ident == ident => Some(f),
            _ => None,
        })?;
        let take = take_of(setter)?;
        let required = required.get(&name).copied()?;
        let (keep, value) = keep_of(required, kept, &name);
        let ty = match take {
            Take::NestedList => generic_arg(value, "Vec")?,
            Take::Converted | Take::Nested => value,
        };
        fields.push(Field {
            keep,
            take,
            ty: ty.clone(),
            wire: wires.get(&name)?.clone(),
            redacted: redacted
                .as_ref()
                .is_some_and(|labels| labels.contains(&name)),
            ident,
        });
    }
    let spec = Spec {
        name: builder.ident.clone(),
        redacting_debug: redacted.is_some() && !derives(&builder.attrs, "Debug"),
        fields,
    };
    builder_expansion::matches(&spec, own, &shared).then(|| builder_macro::call(&spec, &shared))
}

/// How a setter takes its value, from its bound: `TryInto`, `Builds`, or an iterator.
fn take_of(setter: &syn::ImplItemFn) -> Option<Take> {
    let where_clause = setter.sig.generics.where_clause.as_ref()?;
    let syn::WherePredicate::Type(first) = where_clause.predicates.first()? else {
        return None;
    };
    let syn::TypeParamBound::Trait(bound) = first.bounds.first()? else {
        return None;
    };
    match bound.path.segments.last()?.ident.to_string().as_str() {
        "TryInto" => Some(Take::Converted),
        "Builds" => Some(Take::Nested),
        "IntoIterator" => Some(Take::NestedList),
        _ => None,
    }
}

/// Field identifier → whether `Default` starts it as `Err(..)`.
fn required_fields(default: &syn::ItemImpl) -> HashMap<String, bool> {
    struct Values(HashMap<String, bool>);
    impl<'ast> Visit<'ast> for Values {
        fn visit_expr_struct(&mut self, expr: &'ast syn::ExprStruct) {
            for field in &expr.fields {
                if let syn::Member::Named(ident) = &field.member {
                    let refused = matches!(&field.expr, Expr::Call(call) if matches!(&*call.func, Expr::Path(p) if p.path.is_ident("Err")));
                    self.0.insert(ident.to_string(), refused);
                }
            }
        }
    }
    let mut values = Values(HashMap::new());
    values.visit_item_impl(default);
    values.0
}

/// The labels a written `Debug` prints `crate::redact::Redacted` for.
fn redacted_labels(debug: &syn::ItemImpl) -> Vec<String> {
    struct Labels(Vec<String>);
    impl<'ast> Visit<'ast> for Labels {
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            syn::visit::visit_expr_method_call(self, call);
            if call.method == "field"
                && let [Expr::Lit(label), Expr::Reference(value)] =
                    call.args.iter().collect::<Vec<_>>()[..]
                && let syn::Lit::Str(label) = &label.lit
                && matches!(&*value.expr, Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Redacted"))
            {
                self.0.push(label.value());
            }
        }
    }
    let mut labels = Labels(Vec::new());
    labels.visit_item_impl(debug);
    labels.0
}

fn last_segment(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{parse_file, pretty};

    /// Two builders as the passes before this one leave them, written out by hand: one with a
    /// field of each kind and a redacting `Debug`, one behind the `mock` gate.
    const BUILDERS: &str = r#"
        pub mod types {
            pub struct Upload {
                #[serde(rename = "batchName")]
                pub batch_name: ::std::option::Option<::std::string::String>,
                pub nickname: crate::Patch<::std::string::String>,
                pub count: i64,
                #[serde(rename = "endedAt")]
                pub ended_at: ::std::option::Option<::std::string::String>,
                #[serde(flatten)]
                pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                pub owner: ::std::option::Option<Record>,
                pub records: ::std::vec::Vec<Record>,
            }
            pub struct Record {
                pub id: i64,
            }
            pub mod builder {
                #[derive(Clone)]
                pub struct Upload {
                    batch_name: ::std::result::Result<::std::option::Option<::std::string::String>, ::std::string::String>,
                    nickname: ::std::result::Result<crate::Patch<::std::string::String>, ::std::string::String>,
                    count: ::std::result::Result<i64, ::std::string::String>,
                    ended_at: ::std::result::Result<::std::option::Option<::std::string::String>, ::std::string::String>,
                    extra: ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, ::std::string::String>,
                    owner: ::std::result::Result<::std::option::Option<super::Record>, ::std::string::String>,
                    records: ::std::result::Result<::std::vec::Vec<super::Record>, ::std::string::String>,
                }
                impl ::std::default::Default for Upload {
                    fn default() -> Self {
                        Self {
                            batch_name: Ok(Default::default()),
                            nickname: Ok(Default::default()),
                            count: Err(crate::builds::required("count")),
                            ended_at: Err(crate::builds::required("endedAt")),
                            extra: Ok(Default::default()),
                            owner: Ok(Default::default()),
                            records: Err(crate::builds::required("records")),
                        }
                    }
                }
                impl Upload {
                    pub fn batch_name<T>(mut self, value: T) -> Self
                    where
                        T: ::std::convert::TryInto<::std::string::String>,
                        T::Error: ::std::fmt::Display,
                    {
                        self.batch_name = value.try_into().map(::std::option::Option::Some).map_err(|e| crate::builds::refused("batchName", e));
                        self
                    }
                    pub fn nickname<T>(mut self, value: T) -> Self
                    where
                        T: ::std::convert::TryInto<::std::string::String>,
                        T::Error: ::std::fmt::Display,
                    {
                        self.nickname = value.try_into().map(crate::Patch::Set).map_err(|e| crate::builds::refused("nickname", e));
                        self
                    }
                    pub fn count<T>(mut self, value: T) -> Self
                    where
                        T: ::std::convert::TryInto<i64>,
                        T::Error: ::std::fmt::Display,
                    {
                        self.count = value.try_into().map_err(|e| crate::builds::refused("count", e));
                        self
                    }
                    pub fn ended_at<T>(mut self, value: T) -> Self
                    where
                        T: ::std::convert::TryInto<::std::string::String>,
                        T::Error: ::std::fmt::Display,
                    {
                        self.ended_at = value.try_into().map(::std::option::Option::Some).map_err(|e| crate::builds::refused("endedAt", e));
                        self
                    }
                    pub fn extra<T>(mut self, value: T) -> Self
                    where
                        T: ::std::convert::TryInto<::serde_json::Map<::std::string::String, ::serde_json::Value>>,
                        T::Error: ::std::fmt::Display,
                    {
                        self.extra = value.try_into().map_err(|e| crate::builds::refused("extra", e));
                        self
                    }
                    pub fn owner<T>(mut self, value: T) -> Self
                    where
                        T: crate::Builds<super::Record>,
                    {
                        self.owner = crate::Builds::build(value).map(::std::option::Option::Some).map_err(|e| crate::builds::nested("owner", e));
                        self
                    }
                    pub fn records<I>(mut self, value: I) -> Self
                    where
                        I: ::std::iter::IntoIterator,
                        I::Item: crate::Builds<super::Record>,
                    {
                        self.records = crate::builds::build_all(value).map_err(|e| crate::builds::nested("records", e));
                        self
                    }
                    ///Clears `nickname`: the request sends `null` for it.
                    pub fn clear_nickname(mut self) -> Self {
                        self.nickname = Ok(crate::Patch::Clear);
                        self
                    }
                }
                impl ::std::convert::TryFrom<Upload> for super::Upload {
                    type Error = super::error::ConversionError;
                    fn try_from(value: Upload) -> ::std::result::Result<Self, super::error::ConversionError> {
                        Ok(Self {
                            batch_name: value.batch_name?,
                            nickname: value.nickname?,
                            count: value.count?,
                            ended_at: value.ended_at?,
                            extra: value.extra?,
                            owner: value.owner?,
                            records: value.records?,
                        })
                    }
                }
                impl ::std::convert::From<super::Upload> for Upload {
                    fn from(value: super::Upload) -> Self {
                        Self {
                            batch_name: Ok(value.batch_name),
                            nickname: Ok(value.nickname),
                            count: Ok(value.count),
                            ended_at: Ok(value.ended_at),
                            extra: Ok(value.extra),
                            owner: Ok(value.owner),
                            records: Ok(value.records),
                        }
                    }
                }
                #[derive(Clone, Debug)]
                #[cfg(feature = "mock")]
                pub struct Record {
                    id: ::std::result::Result<i64, ::std::string::String>,
                }
                #[cfg(feature = "mock")]
                impl ::std::default::Default for Record {
                    fn default() -> Self {
                        Self {
                            id: Err(crate::builds::required("id")),
                        }
                    }
                }
                #[cfg(feature = "mock")]
                impl Record {
                    pub fn id<T>(mut self, value: T) -> Self
                    where
                        T: ::std::convert::TryInto<i64>,
                        T::Error: ::std::fmt::Display,
                    {
                        self.id = value.try_into().map_err(|e| crate::builds::refused("id", e));
                        self
                    }
                }
                #[cfg(feature = "mock")]
                impl ::std::convert::TryFrom<Record> for super::Record {
                    type Error = super::error::ConversionError;
                    fn try_from(value: Record) -> ::std::result::Result<Self, super::error::ConversionError> {
                        Ok(Self {
                            id: value.id?,
                        })
                    }
                }
                #[cfg(feature = "mock")]
                impl ::std::convert::From<super::Record> for Record {
                    fn from(value: super::Record) -> Self {
                        Self {
                            id: Ok(value.id),
                        }
                    }
                }
                impl crate::Builds<super::Upload> for Upload {
                    fn build(self) -> ::std::result::Result<super::Upload, ::std::string::String> {
                        super::Upload::try_from(self).map_err(|e| e.to_string())
                    }
                }
                #[cfg(feature = "mock")]
                impl crate::Builds<super::Record> for Record {
                    fn build(self) -> ::std::result::Result<super::Record, ::std::string::String> {
                        super::Record::try_from(self).map_err(|e| e.to_string())
                    }
                }
                impl ::std::fmt::Debug for Upload {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.debug_struct("Upload")
                            .field("batch_name", &self.batch_name)
                            .field("nickname", &crate::redact::Redacted)
                            .field("count", &self.count)
                            .field("ended_at", &self.ended_at)
                            .field("extra", &crate::redact::Redacted)
                            .field("owner", &self.owner)
                            .field("records", &self.records)
                            .finish()
                    }
                }
            }
        }
    "#;

    /// The fixture as this pass sees it: after `linear_conversions`, which runs first.
    fn fixture(source: &str) -> syn::File {
        let mut file = parse_file(source);
        crate::passes::linear_conversions(&mut file);
        file
    }

    fn builder_items(file: &mut syn::File) -> Vec<Item> {
        module_items(&mut file.items, &["types", "builder"])
            .unwrap()
            .clone()
    }

    /// The items of the builder `name` in the fixture, in module order.
    fn original(name: &str) -> Vec<Item> {
        builder_items(&mut fixture(BUILDERS))
            .into_iter()
            .filter(|item| match item {
                Item::Struct(s) => s.ident == name,
                Item::Impl(block) => last_segment(&block.self_ty).as_deref() == Some(name),
                _ => false,
            })
            .collect()
    }

    fn compacted_file() -> syn::File {
        let mut file = fixture(BUILDERS);
        compact_builders(&mut file, &Plan::default()).unwrap();
        file
    }

    #[test]
    fn every_kind_of_field_is_compacted_and_expands_to_the_original_items() {
        let mut file = compacted_file();
        let items = builder_items(&mut file);
        assert_eq!(
            items.len(),
            3,
            "the macro and one call per builder: {}",
            pretty(&file)
        );
        assert!(matches!(&items[0], Item::Macro(m) if m.mac.path.is_ident("macro_rules")));
        let upload = builder_macro::spec_of(&items[1]).expect("a call");
        let kinds: Vec<(String, Keep, Take, bool)> = upload
            .fields
            .iter()
            .map(|f| (f.ident.to_string(), f.keep.clone(), f.take, f.redacted))
            .collect();
        let clear = quote::format_ident!("clear_nickname");
        assert_eq!(
            kinds,
            [
                ("batch_name".into(), Keep::Optional, Take::Converted, false),
                ("nickname".into(), Keep::Patch(clear), Take::Converted, true),
                ("count".into(), Keep::Required, Take::Converted, false),
                ("ended_at".into(), Keep::Nullable, Take::Converted, false),
                ("extra".into(), Keep::Defaulted, Take::Converted, true),
                ("owner".into(), Keep::Optional, Take::Nested, false),
                ("records".into(), Keep::Required, Take::NestedList, false),
            ]
        );
        assert!(upload.redacting_debug);
        assert_eq!(upload.fields[1].wire, "nickname");
        assert_eq!(upload.fields[0].wire, "batchName");
        assert_eq!(
            builder_macro::expansion(&items[1]).unwrap(),
            original("Upload")
        );
        let Item::Macro(record) = &items[2] else {
            unreachable!()
        };
        assert!(
            record.attrs.iter().any(|a| a.path().is_ident("cfg")),
            "the gate is the call's"
        );
        assert_eq!(
            builder_macro::expansion(&items[2]).unwrap(),
            original("Record")
        );
    }

    #[test]
    fn a_builder_with_anything_else_is_left_alone() {
        let extra_method = BUILDERS.replace(
            "///Clears `nickname`",
            "pub fn twice(self) -> Self { self }\n///Clears `nickname`",
        );
        let changed_debug = BUILDERS.replace(
            r#".field("count", &self.count)"#,
            r#".field("count", &"?")"#,
        );
        for source in [extra_method, changed_debug] {
            let mut file = fixture(&source);
            compact_builders(&mut file, &Plan::default()).unwrap();
            let items = builder_items(&mut file);
            assert!(
                items
                    .iter()
                    .any(|i| matches!(i, Item::Struct(s) if s.ident == "Upload")),
                "{}",
                pretty(&file)
            );
            assert!(
                items
                    .iter()
                    .all(|i| builder_macro::spec_of(i).is_none_or(|spec| spec.name == "Record"))
            );
        }
    }

    #[test]
    fn a_module_without_builders_to_compact_gets_no_macro() {
        let source = BUILDERS.replace(
            "pub struct Record {\n                pub id: i64,\n            }",
            "",
        );
        let source = source.replace(
            "pub struct Upload {\n                #[serde",
            "pub struct Other {\n                #[serde",
        );
        let mut file = fixture(&source);
        compact_builders(&mut file, &Plan::default()).unwrap();
        assert!(
            builder_items(&mut file)
                .iter()
                .all(|i| !matches!(i, Item::Macro(_)))
        );
    }

    #[test]
    fn calls_are_laid_out_one_field_a_line_and_read_back_the_same() {
        let mut file = compacted_file();
        let text = crate::render::unparse(&file);
        assert!(text.contains("\n            Upload redacted {\n                batch_name: optional<::std::string::String> = \"batchName\",\n"), "{text}");
        assert!(text.contains("\n                nickname: patch(clear_nickname)<::std::string::String> = \"nickname\" redacted,\n"), "{text}");
        assert!(text.contains("\n                extra: defaulted<::serde_json::Map<::std::string::String, ::serde_json::Value>> = \"extra\" redacted,\n"), "{text}");
        assert!(
            text.contains(
                "\n                records: required nested_list<super::Record> = \"records\",\n"
            ),
            "{text}"
        );
        // Read back, the calls say the same, and the file is laid out the same again.
        let mut reread = syn::parse_file(&text).unwrap();
        let specs = |file: &mut syn::File| {
            builder_items(file)
                .iter()
                .filter_map(builder_macro::spec_of)
                .collect::<Vec<_>>()
        };
        assert_eq!(specs(&mut reread), specs(&mut file));
        assert_eq!(specs(&mut reread).len(), 2);
        assert_eq!(crate::render::unparse(&reread), text);
    }
}
