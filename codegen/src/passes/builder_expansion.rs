//! The items a `builder!` call stands for, computed fast: the templates of `builder_macro`,
//! quoted with placeholders and parsed once per thread, then cloned and filled in per field.
//! Parsing each builder's items anew costs as much as parsing them from progenitor's output
//! did, once for the pass and again for every public-API listing.

use std::collections::HashMap;

use proc_macro2::Span;
use quote::quote;
use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;
use syn::{Expr, ImplItem, Item, LitStr};

use super::builder_macro::{
    Keep, Parts, Slots, Spec, Take, clear, clear_doc, debug_entry, debug_value, default_value,
    field_decl, items, kept, kept_type, setter, taken, taken_field,
};

const NAME: &str = "__Name";
const FIELD: &str = "__field";
const CLEAR: &str = "__clear";
const TYPE: &str = "__Ty";
const WIRE: &str = "__wire";

/// The parsed templates, with placeholders for the builder's name and a field's values.
struct Templates {
    /// The builder's items without fields: with a derived `Debug`, and with a written one.
    derived: Vec<Item>,
    redacting: Vec<Item>,
    /// By (how the field is kept, how it is set): its declaration, value in `Default`, setter.
    kinds: HashMap<(&'static str, Take), (syn::Field, syn::FieldValue, syn::ImplItemFn)>,
    clear: syn::ImplItemFn,
    /// `let field = value.field?;` and the local put into the type.
    taken: syn::Stmt,
    taken_field: syn::FieldValue,
    kept: syn::FieldValue,
    /// `.field(..)` calls of a written `Debug`, on a placeholder receiver.
    shown: syn::ExprMethodCall,
    redacted: syn::ExprMethodCall,
}

thread_local! {
    static TEMPLATES: Templates = Templates::parse();
}

fn ident(name: &str) -> syn::Ident {
    syn::Ident::new(name, Span::call_site())
}

fn placeholders() -> Slots {
    let (field, ty) = (ident(FIELD), ident(TYPE));
    Slots {
        field: quote!(#field),
        ty: quote!(#ty),
        wire: quote!(#WIRE),
    }
}

/// The one field of `struct S { .. }`, or the one value of `S { .. }`.
fn field_of(tokens: proc_macro2::TokenStream) -> syn::Field {
    let item: syn::ItemStruct =
        syn::parse2(quote!(struct S { #tokens })).expect("a field template");
    item.fields.into_iter().next().expect("one field")
}

fn value_of(tokens: proc_macro2::TokenStream) -> syn::FieldValue {
    let expr: syn::ExprStruct = syn::parse2(quote!(S { #tokens })).expect("a field value template");
    expr.fields.into_iter().next().expect("one value")
}

fn method_call(entry: proc_macro2::TokenStream) -> syn::ExprMethodCall {
    syn::parse2(quote!(receiver #entry)).expect("a method call template")
}

/// The items a call of `spec` stands for.
pub(super) fn expand(spec: &Spec) -> Vec<Item> {
    TEMPLATES.with(|templates| templates.expand(spec))
}

/// Whether `own` are exactly what a call of `spec` with the attributes `shared` stands for,
/// without building all of its items first.
pub(super) fn matches(spec: &Spec, own: &[&Item], shared: &[syn::Attribute]) -> bool {
    TEMPLATES.with(|templates| templates.matches(spec, own, shared))
}

impl Templates {
    fn parse() -> Self {
        let slots = placeholders();
        let (name, field, clear_name) = (ident(NAME), &slots.field, ident(CLEAR));
        let skeleton = |redacting_debug: bool| {
            let parts = Parts {
                name: quote!(#name),
                label: quote!(#NAME),
                redacting_debug,
                fields: quote!(),
                defaults: quote!(),
                setters: quote!(),
                clears: quote!(),
                taken: quote!(),
                taken_fields: quote!(),
                kept: quote!(),
                debug_entries: quote!(),
            };
            syn::parse2::<syn::File>(items(&parts))
                .expect("the builder templates are items")
                .items
        };
        let mut kinds = HashMap::new();
        for keep in [
            Keep::Optional,
            Keep::Patch(clear_name.clone()),
            Keep::Required,
            Keep::Nullable,
            Keep::Defaulted,
        ] {
            for take in [Take::Converted, Take::Nested, Take::NestedList] {
                let declaration = field_of(field_decl(field, &kept_type(&keep, take, &slots.ty)));
                let value = default_value(&keep, &slots.wire);
                let default = value_of(quote!(#field: #value,));
                let setter = syn::parse2(setter(&keep, take, &slots)).expect("a setter template");
                kinds.insert((keep.word(), take), (declaration, default, setter));
            }
        }
        Templates {
            derived: skeleton(false),
            redacting: skeleton(true),
            kinds,
            clear: syn::parse2(clear(
                field,
                &quote!(#clear_name),
                &clear_doc(&ident(FIELD)),
            ))
            .expect("a clear template"),
            taken: syn::parse2(taken(field)).expect("a taken template"),
            taken_field: value_of(taken_field(field)),
            kept: value_of(kept(field)),
            shown: method_call(debug_entry(&quote!(#FIELD), &debug_value(false, field))),
            redacted: method_call(debug_entry(&quote!(#FIELD), &debug_value(true, field))),
        }
    }

    fn skeleton(&self, spec: &Spec) -> &[Item] {
        if spec.redacting_debug {
            &self.redacting
        } else {
            &self.derived
        }
    }

    fn expand(&self, spec: &Spec) -> Vec<Item> {
        (0..self.skeleton(spec).len())
            .map(|index| self.item(spec, index))
            .collect()
    }

    /// Whether `own` are exactly the items of `spec`, each with `shared` attributes after its
    /// own. Item by item, each dropped once compared, and stopping at the first difference.
    fn matches(&self, spec: &Spec, own: &[&Item], shared: &[syn::Attribute]) -> bool {
        own.len() == self.skeleton(spec).len()
            && own.iter().enumerate().all(|(index, original)| {
                let mut expected = self.item(spec, index);
                super::builder_macro::item_attrs(&mut expected).is_some_and(|attrs| {
                    attrs.extend_from_slice(shared);
                    true
                }) && expected == **original
            })
    }

    /// The skeleton's item at `index` (struct, Default, setters, TryFrom, From, Builds,
    /// Debug), filled in with the builder's name and its fields.
    fn item(&self, spec: &Spec, index: usize) -> Item {
        let mut item = self.skeleton(spec)[index].clone();
        Fill::builder(spec).visit_item_mut(&mut item);
        let fills = || {
            spec.fields
                .iter()
                .map(|field| (field, Fill::for_field(spec, field)))
        };
        let kind =
            |field: &super::builder_macro::Field| &self.kinds[&(field.keep.word(), field.take)];
        match (index, &mut item) {
            (0, Item::Struct(builder)) => {
                if let syn::Fields::Named(named) = &mut builder.fields {
                    extend(
                        &mut named.named,
                        fills()
                            .map(|(field, mut fill)| fill.field_decl(&kind(field).0))
                            .collect(),
                    );
                }
            }
            (1, item) => StructValues(Some(
                fills()
                    .map(|(field, mut fill)| fill.value(&kind(field).1))
                    .collect(),
            ))
            .visit_item_mut(item),
            (2, Item::Impl(inherent)) => {
                inherent.items = fills()
                    .map(|(field, mut fill)| ImplItem::Fn(fill.function(&kind(field).2)))
                    .collect();
                inherent.items.extend(
                    fills()
                        .filter(|(field, _)| matches!(field.keep, Keep::Patch(_)))
                        .map(|(_, mut fill)| ImplItem::Fn(fill.function(&self.clear))),
                );
            }
            (3, Item::Impl(conversion)) => {
                let taken = fills().map(|(_, mut fill)| {
                    let mut statement = self.taken.clone();
                    fill.visit_stmt_mut(&mut statement);
                    statement
                });
                if let Some(ImplItem::Fn(try_from)) = conversion
                    .items
                    .iter_mut()
                    .find(|i| matches!(i, ImplItem::Fn(_)))
                {
                    try_from.block.stmts.splice(0..0, taken);
                }
                StructValues(Some(
                    fills()
                        .map(|(_, mut fill)| fill.value(&self.taken_field))
                        .collect(),
                ))
                .visit_item_impl_mut(conversion);
            }
            (4, item) => StructValues(Some(
                fills()
                    .map(|(_, mut fill)| fill.value(&self.kept))
                    .collect(),
            ))
            .visit_item_mut(item),
            (6, item) => {
                let entries = fills()
                    .map(|(field, mut fill)| {
                        let mut entry = if field.redacted {
                            self.redacted.clone()
                        } else {
                            self.shown.clone()
                        };
                        fill.visit_expr_method_call_mut(&mut entry);
                        entry
                    })
                    .collect();
                DebugEntries(Some(entries)).visit_item_mut(item);
            }
            _ => {}
        }
        item
    }
}

/// Appends values each followed by a comma, as the templates write them.
fn extend<T, P: Default>(list: &mut Punctuated<T, P>, values: Vec<T>) {
    for value in values {
        list.push_value(value);
        list.push_punct(P::default());
    }
}

/// Puts the fields' values into the first struct expression (`Self { }`).
struct StructValues(Option<Vec<syn::FieldValue>>);

impl VisitMut for StructValues {
    fn visit_expr_struct_mut(&mut self, expr: &mut syn::ExprStruct) {
        if let Some(values) = self.0.take() {
            extend(&mut expr.fields, values);
        }
    }
}

/// Puts the `.field(..)` calls between `f.debug_struct(..)` and `.finish()`.
struct DebugEntries(Option<Vec<syn::ExprMethodCall>>);

impl VisitMut for DebugEntries {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        if call.method == "finish"
            && let Some(entries) = self.0.take()
        {
            let mut receiver = std::mem::replace(
                &mut *call.receiver,
                Expr::Verbatim(proc_macro2::TokenStream::new()),
            );
            for mut entry in entries {
                *entry.receiver = receiver;
                receiver = Expr::MethodCall(entry);
            }
            *call.receiver = receiver;
            return;
        }
        syn::visit_mut::visit_expr_method_call_mut(self, call);
    }
}

/// Replaces the placeholders by a builder's name and one field's values.
struct Fill<'a> {
    name: &'a syn::Ident,
    field: Option<&'a super::builder_macro::Field>,
}

impl<'a> Fill<'a> {
    fn builder(spec: &'a Spec) -> Self {
        Fill {
            name: &spec.name,
            field: None,
        }
    }

    fn for_field(spec: &'a Spec, field: &'a super::builder_macro::Field) -> Self {
        Fill {
            name: &spec.name,
            field: Some(field),
        }
    }

    fn field_decl(&mut self, template: &syn::Field) -> syn::Field {
        let mut copy = template.clone();
        self.visit_field_mut(&mut copy);
        copy
    }

    fn value(&mut self, template: &syn::FieldValue) -> syn::FieldValue {
        let mut copy = template.clone();
        self.visit_field_value_mut(&mut copy);
        copy
    }

    fn function(&mut self, template: &syn::ImplItemFn) -> syn::ImplItemFn {
        let mut copy = template.clone();
        self.visit_impl_item_fn_mut(&mut copy);
        copy
    }

    /// A template's string with the placeholders filled in: the name, the wire name, the
    /// field's name, or the field's name inside a doc text.
    fn text(&self, value: &str) -> String {
        match (value, self.field) {
            (NAME, _) => self.name.to_string(),
            (WIRE, Some(field)) => field.wire.clone(),
            (_, Some(field)) => value.replace(FIELD, &field.ident.to_string()),
            (_, None) => value.to_owned(),
        }
    }
}

impl VisitMut for Fill<'_> {
    fn visit_ident_mut(&mut self, ident: &mut syn::Ident) {
        if ident == NAME {
            *ident = self.name.clone();
        } else if let Some(field) = self.field {
            if ident == FIELD {
                *ident = field.ident.clone();
            } else if ident == CLEAR
                && let Keep::Patch(method) = &field.keep
            {
                *ident = method.clone();
            }
        }
    }

    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        if let (Some(field), syn::Type::Path(path)) = (self.field, &*ty)
            && path.qself.is_none()
            && path.path.is_ident(TYPE)
        {
            *ty = field.ty.clone();
            return;
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }

    fn visit_lit_str_mut(&mut self, lit: &mut LitStr) {
        let value = lit.value();
        if value.contains("__") {
            *lit = LitStr::new(&self.text(&value), lit.span());
        }
    }

    fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}
}
