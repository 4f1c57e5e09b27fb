//! The generated client's public Rust API, one line per item: types with their fields and
//! variants, methods with their signatures. Its insta snapshot shows reviewers what a document
//! change does to the crate's users, and the spec diff compares the items of two versions.

use quote::ToTokens;
use syn::{ImplItem, Item, TraitItem, Visibility};

/// What kind of public item an [`ApiItem`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ItemKind {
    Struct,
    Field,
    Enum,
    Variant,
    Trait,
    Fn,
    Impl,
}

/// One public item of the generated crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiItem {
    pub kind: ItemKind,
    /// What the item is called, unique within the crate: `types::Provider`,
    /// `types::Provider.fax`, `types::Gender::Male`, `Client::get_customer`, or the whole
    /// line of a trait impl.
    pub path: String,
    /// The whole item on one line: the listing's line, compared between versions.
    pub line: String,
    /// A struct or enum that is `#[non_exhaustive]`: fields and variants can be added to it.
    pub non_exhaustive: bool,
    /// A function's owner path (`Client::`) and its signature's tokens, to lay it out later.
    pub signature: Option<(String, String)>,
}

impl ApiItem {
    /// The line as the listing writes it: a function's signature laid out as rustfmt would.
    /// [`items`] keeps signatures in their quick token form, which is enough to compare.
    pub fn pretty_line(&self) -> String {
        let Some((owner, tokens)) = &self.signature else {
            return self.line.clone();
        };
        match syn::parse_str::<syn::Signature>(tokens) {
            Ok(sig) => {
                let asyncness = if sig.asyncness.is_some() {
                    "async "
                } else {
                    ""
                };
                format!("{asyncness}fn {owner}{}", signature(&sig))
            }
            Err(_) => self.line.clone(),
        }
    }
}

/// The public API of a generated client file, as the snapshot keeps it.
pub fn listing(file: &syn::File) -> String {
    let mut lines: Vec<String> = items(file, "").iter().map(ApiItem::pretty_line).collect();
    lines.sort();
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// The public items of a generated file whose items sit under `module` in the crate
/// (`""` for the client, `"mock::"` for the typed mocks).
pub fn items(file: &syn::File, module: &str) -> Vec<ApiItem> {
    let mut out = Vec::new();
    list_items(&file.items, module, &mut out);
    out
}

fn push(out: &mut Vec<ApiItem>, kind: ItemKind, path: String, line: String) {
    out.push(ApiItem {
        kind,
        path,
        line,
        non_exhaustive: false,
        signature: None,
    });
}

fn push_fn(out: &mut Vec<ApiItem>, owner: String, sig: &syn::Signature) {
    let asyncness = if sig.asyncness.is_some() {
        "async "
    } else {
        ""
    };
    out.push(ApiItem {
        kind: ItemKind::Fn,
        path: format!("{owner}{}", sig.ident),
        line: format!("{asyncness}fn {owner}{}", quick_signature(sig)),
        non_exhaustive: false,
        signature: Some((owner, sig.to_token_stream().to_string())),
    });
}

fn list_items(items: &[Item], module: &str, out: &mut Vec<ApiItem>) {
    for item in items {
        match item {
            Item::Mod(m) if is_pub(&m.vis) => {
                if let Some((_, inner)) = &m.content {
                    list_items(inner, &format!("{module}{}::", m.ident), out);
                }
            }
            Item::Struct(s) if is_pub(&s.vis) => {
                let name = format!("{module}{}", s.ident);
                let non_exhaustive = has_attr(&s.attrs, "non_exhaustive");
                let marker = if non_exhaustive {
                    " (non_exhaustive)"
                } else {
                    ""
                };
                out.push(ApiItem {
                    kind: ItemKind::Struct,
                    path: name.clone(),
                    line: format!(
                        "struct {name}{}{marker}",
                        squash(&s.generics.to_token_stream().to_string())
                    ),
                    non_exhaustive,
                    signature: None,
                });
                for (index, field) in s.fields.iter().enumerate() {
                    if is_pub(&field.vis) {
                        let field_name = field
                            .ident
                            .as_ref()
                            .map_or_else(|| index.to_string(), ToString::to_string);
                        let path = format!("{name}.{field_name}");
                        let line = format!(
                            "struct {path}: {}",
                            squash(&field.ty.to_token_stream().to_string())
                        );
                        push(out, ItemKind::Field, path, line);
                    }
                }
            }
            Item::Enum(e) if is_pub(&e.vis) => {
                let name = format!("{module}{}", e.ident);
                let non_exhaustive = has_attr(&e.attrs, "non_exhaustive");
                let marker = if non_exhaustive {
                    " (non_exhaustive)"
                } else {
                    ""
                };
                out.push(ApiItem {
                    kind: ItemKind::Enum,
                    path: name.clone(),
                    line: format!("enum {name}{marker}"),
                    non_exhaustive,
                    signature: None,
                });
                for variant in &e.variants {
                    let fields = if variant.fields.is_empty() {
                        String::new()
                    } else {
                        squash(&variant.fields.to_token_stream().to_string())
                    };
                    let path = format!("{name}::{}", variant.ident);
                    push(
                        out,
                        ItemKind::Variant,
                        path.clone(),
                        format!("enum {path}{fields}"),
                    );
                }
            }
            Item::Trait(t) if is_pub(&t.vis) => {
                let name = format!("{module}{}", t.ident);
                push(out, ItemKind::Trait, name.clone(), format!("trait {name}"));
                for trait_item in &t.items {
                    if let TraitItem::Fn(f) = trait_item {
                        push_fn(out, format!("{name}::"), &f.sig);
                    }
                }
            }
            // The impls a macro call stands for are listed as if written out.
            Item::Macro(_) => {
                if let Some(impls) = crate::passes::macro_expansion(item) {
                    list_items(&impls, module, out);
                }
            }
            Item::Impl(block) => {
                let self_ty = squash(&block.self_ty.to_token_stream().to_string());
                let trait_name = block
                    .trait_
                    .as_ref()
                    .map(|(path, _)| squash(&path.to_token_stream().to_string()));
                if let Some(trait_name) = trait_name {
                    let line = format!("impl {trait_name} for {module}{self_ty}");
                    push(out, ItemKind::Impl, line.clone(), line);
                    continue;
                }
                for impl_item in &block.items {
                    if let ImplItem::Fn(f) = impl_item
                        && is_pub(&f.vis)
                    {
                        push_fn(out, format!("{module}{self_ty}::"), &f.sig);
                    }
                }
            }
            _ => {}
        }
    }
}

/// A signature on one line from its tokens, without `fn` and `async`: quick, and as exact as
/// [`signature`] for comparing two versions.
fn quick_signature(sig: &syn::Signature) -> String {
    let mut sig = sig.clone();
    sig.asyncness = None;
    let text = squash(&sig.to_token_stream().to_string());
    text.strip_prefix("fn ").map_or(text.clone(), str::to_owned)
}

/// A signature on one line, as rustfmt would write it.
fn signature(sig: &syn::Signature) -> String {
    let function: syn::ItemFn = syn::parse_quote!(#sig {});
    let file: syn::File = syn::parse_quote!(#function);
    let text = prettyplease::unparse(&file);
    let text = squash(&text);
    let text = text.trim_end_matches("{}").trim_end();
    text.split_once("fn ")
        .map_or(text, |(_, rest)| rest)
        .to_owned()
}

/// Whitespace folded, and the spaces `to_string` puts inside paths and generics removed.
fn squash(text: &str) -> String {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    folded
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace("& '", "&'")
        .replace(", }", " }")
        .replace(",)", ")")
        .replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn has_attr(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().any(|a| a.path().is_ident(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_public_types_fields_variants_and_method_signatures() {
        let file: syn::File = syn::parse_str(
            r#"
            pub mod types {
                #[non_exhaustive]
                pub struct Thing { pub name: Option<String>, secret: u8 }
                pub enum Kind { A, Unrecognized(String) }
                struct Hidden;
            }
            pub struct Client { pub(crate) baseurl: String }
            impl Client {
                pub fn get_thing(&self) -> builder::GetThing<'_> { todo!() }
                fn private(&self) {}
            }
            impl Clone for Client { fn clone(&self) -> Self { todo!() } }
            "#,
        )
        .unwrap();
        assert_eq!(
            listing(&file),
            "fn Client::get_thing(&self) -> builder::GetThing<'_>\n\
             impl Clone for Client\n\
             struct Client\n\
             struct types::Thing (non_exhaustive)\n\
             struct types::Thing.name: Option<String>\n\
             enum types::Kind\n\
             enum types::Kind::A\n\
             enum types::Kind::Unrecognized(String)\n"
                .lines()
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
                .join("\n")
                + "\n"
        );
    }
}
