//! Pass: `types::WebhookEvent`, one variant per event of the document's `x-webhooks`.
//!
//! progenitor generates the payload types (they are component schemas) but knows nothing of
//! webhooks. This pass adds the enum that tells events apart by their `event_type`. An event
//! type this version of the crate does not know decodes into `Unrecognized`, never an error:
//! careCycle may add events at any time, and a receiver must keep acknowledging them.

use quote::{format_ident, quote};

use super::module_items;
use crate::plan::Plan;

pub fn webhook_events(file: &mut syn::File, plan: &Plan) -> Result<(), String> {
    if plan.webhooks.is_empty() {
        return Ok(());
    }
    let types = module_items(&mut file.items, &["types"]).ok_or("no `types` module")?;
    let mut variants = Vec::new();
    let mut names = Vec::new();
    let mut decodes = Vec::new();
    for webhook in &plan.webhooks {
        let variant = format_ident!("{}", webhook.variant);
        let payload = format_ident!("{}", webhook.schema);
        let event_type = &webhook.event_type;
        let doc = format!("`{event_type}`: {}", webhook.summary.trim_end_matches('.'));
        variants.push(quote! {
            #[doc = #doc]
            #variant(#payload)
        });
        names.push(quote!(Self::#variant(_) => #event_type));
        decodes
            .push(quote!(#event_type => Self::#variant(crate::webhooks::decode_payload(payload)?)));
    }
    let known = plan.webhooks.iter().map(|w| w.event_type.as_str());
    let items: syn::File = syn::parse2(quote! {
        /// An event careCycle delivered to a webhook endpoint, told apart by its `event_type`.
        ///
        /// Get one from [`crate::webhooks::Verifier::verify`], which checks the delivery's
        /// signature first.
        #[derive(Clone, Debug)]
        pub enum WebhookEvent {
            #(#variants,)*
            /// An event type this version of the crate does not know, kept as careCycle sent it.
            Unrecognized(crate::webhooks::UnrecognizedEvent),
        }

        impl WebhookEvent {
            /// The event types that decode into their own variant.
            pub const KNOWN_EVENT_TYPES: &'static [&'static str] = &[#(#known),*];

            /// The payload's `event_type`, for example `customer.created`.
            pub fn event_type(&self) -> &str {
                match self {
                    #(#names,)*
                    Self::Unrecognized(event) => event.event_type(),
                }
            }

            /// Decodes a payload whose `event_type` is `event_type`.
            pub(crate) fn decode(event_type: &str, payload: &[u8]) -> Result<Self, crate::webhooks::WebhookError> {
                Ok(match event_type {
                    #(#decodes,)*
                    _ => Self::Unrecognized(crate::webhooks::decode_payload(payload)?),
                })
            }
        }
    })
    .map_err(|e| format!("the webhook event enum does not parse: {e}"))?;
    types.extend(items.items);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};
    use crate::plan::Webhook;

    fn plan() -> Plan {
        let webhook = |event_type: &str, variant: &str| Webhook {
            event_type: event_type.into(),
            variant: variant.into(),
            schema: "CustomerEvent".into(),
            summary: "A customer was created.".into(),
        };
        Plan {
            webhooks: vec![
                webhook("customer.created", "CustomerCreated"),
                webhook("customer.updated", "CustomerUpdated"),
            ],
            ..Plan::default()
        }
    }

    #[test]
    fn each_event_becomes_a_variant_decoded_by_its_event_type_and_unknown_ones_are_kept() {
        let mut file = parse_file("pub mod types { pub struct CustomerEvent {} }");
        webhook_events(&mut file, &plan()).unwrap();
        let out = pretty(&file);
        assert!(has(&out, "CustomerCreated(CustomerEvent)"), "{out}");
        assert!(has(&out, "CustomerUpdated(CustomerEvent)"), "{out}");
        assert!(
            has(&out, "`customer.created`: A customer was created"),
            "{out}"
        );
        assert!(
            has(&out, "Unrecognized(crate::webhooks::UnrecognizedEvent)"),
            "{out}"
        );
        assert!(
            has(
                &out,
                r#""customer.updated" => { Self::CustomerUpdated(crate::webhooks::decode_payload(payload)?) }"#
            ),
            "{out}"
        );
        assert!(
            has(
                &out,
                "_ => Self::Unrecognized(crate::webhooks::decode_payload(payload)?)"
            ),
            "{out}"
        );
        assert!(
            has(&out, r#"Self::CustomerCreated(_) => "customer.created""#),
            "{out}"
        );
        assert!(
            has(
                &out,
                r#"KNOWN_EVENT_TYPES: &'static [&'static str] = &["customer.created", "customer.updated","#
            ),
            "{out}"
        );
    }

    #[test]
    fn a_document_without_webhooks_gets_no_enum() {
        let mut file = parse_file("pub mod types {}");
        webhook_events(&mut file, &Plan::default()).unwrap();
        assert!(!pretty(&file).contains("WebhookEvent"));
    }
}
