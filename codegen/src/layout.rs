//! The layout of the runtime macros' calls in the generated files: one entry a line.
//!
//! The compacting passes write one macro call per type (`builder!`, `deserialize_struct!`,
//! `check_fields!`, `redacted_debug!`, `string_enum!`): a name, maybe a word such as
//! `redacted`, then `{ entry, entry, .. }`. prettyplease fills a macro call's tokens up to its
//! margin, so a change to one field of the document would reflow a whole paragraph of the
//! generated file; laid out one entry a line, it changes one line, as a field of a struct
//! does. A call of another shape, or one prettyplease printed on one line, is left as it is.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// `text` (prettyplease's rendering of `file`) with the body of every multi-line call of
/// shape `name [word..] { entries }` among the items of `file` laid out one entry a line.
pub fn macro_calls(file: &syn::File, text: String) -> String {
    let mut calls = Vec::new();
    collect(&file.items, &mut calls);
    if calls.is_empty() {
        return text;
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut next = 0;
    let mut lines = text.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        let trimmed = line.trim();
        let Some(path) = trimmed
            .strip_suffix("!(")
            .or_else(|| trimmed.strip_suffix("! {"))
        else {
            continue;
        };
        let first = lines.peek().map(|l| l.trim_start()).unwrap_or_default();
        // The call this line opens: the next one in file order with this path whose body
        // starts with its head (calls printed on one line are passed over).
        let Some(found) = calls[next..]
            .iter()
            .position(|c| c.path == path && opens(first, &c.head))
        else {
            continue;
        };
        let call = &calls[next + found];
        next += found + 1;
        let indent = &line[..line.len() - line.trim_start().len()];
        let close = if trimmed.ends_with('(') {
            format!("{indent});")
        } else {
            format!("{indent}}}")
        };
        // prettyplease's body lines are replaced; it closes the call at the call's indentation.
        lines
            .by_ref()
            .take_while(|l| l.trim_end() != close)
            .for_each(drop);
        out.push_str(&body_layout(call, &format!("{indent}    ")));
        out.push_str(&close);
        out.push('\n');
    }
    out
}

/// A call of shape `name [word..] { entries }`.
struct Call {
    /// The macro's path as prettyplease prints it (`crate::check::check_fields`).
    path: String,
    /// The tokens before the braces, on one line (`Upload redacted`).
    head: String,
    /// Each entry on one line, without its comma.
    entries: Vec<String>,
    /// Whether the last entry is followed by a comma.
    trailing_comma: bool,
}

fn collect(items: &[syn::Item], calls: &mut Vec<Call>) {
    for item in items {
        match item {
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    collect(inner, calls);
                }
            }
            syn::Item::Macro(m) if m.ident.is_none() => calls.extend(call(&m.mac)),
            _ => {}
        }
    }
}

fn call(mac: &syn::Macro) -> Option<Call> {
    let trees: Vec<TokenTree> = mac.tokens.clone().into_iter().collect();
    let (TokenTree::Group(body), head) = trees.split_last()? else {
        return None;
    };
    if body.delimiter() != Delimiter::Brace
        || head.is_empty()
        || !head.iter().all(|t| matches!(t, TokenTree::Ident(_)))
    {
        return None;
    }
    // Each entry is written on its line as its tokens come (no stream per entry to walk again).
    let mut entries = Vec::new();
    let mut entry = Line::default();
    let mut trailing_comma = false;
    // Commas inside a type's angle brackets (`Map<String, Value>`) do not end an entry.
    let mut angles = 0usize;
    let mut arrow = false;
    for tree in body.stream() {
        match tree {
            TokenTree::Punct(p) if p.as_char() == ',' && angles == 0 => {
                entries.push(std::mem::take(&mut entry).text);
                trailing_comma = true;
            }
            other => {
                if let TokenTree::Punct(p) = &other {
                    match p.as_char() {
                        '<' => angles += 1,
                        '>' if !arrow => angles = angles.saturating_sub(1),
                        _ => {}
                    }
                }
                // The `>` of `=>` or `->` closes no bracket.
                arrow = matches!(&other, TokenTree::Punct(p) if matches!(p.as_char(), '=' | '-') && p.spacing() == Spacing::Joint);
                entry.push(other);
                trailing_comma = false;
            }
        }
    }
    if !entry.text.is_empty() {
        entries.push(entry.text);
    }
    let path = mac
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::");
    let path = if mac.path.leading_colon.is_some() {
        format!("::{path}")
    } else {
        path
    };
    Some(Call {
        path,
        head: one_line(head.iter().cloned().collect()),
        entries,
        trailing_comma,
    })
}

/// Whether prettyplease's first body line starts with `head` and its brace.
fn opens(first: &str, head: &str) -> bool {
    first
        .strip_prefix(head)
        .is_some_and(|rest| rest.starts_with(" {"))
}

fn body_layout(call: &Call, indent: &str) -> String {
    let mut out = String::with_capacity(
        call.entries
            .iter()
            .map(|e| e.len() + indent.len() + 6)
            .sum::<usize>()
            + 64,
    );
    out.push_str(indent);
    out.push_str(&call.head);
    out.push_str(" {\n");
    let last = call.entries.len().saturating_sub(1);
    for (i, entry) in call.entries.iter().enumerate() {
        out.push_str(indent);
        out.push_str("    ");
        out.push_str(entry);
        if i < last || call.trailing_comma {
            out.push(',');
        }
        out.push('\n');
    }
    out.push_str(indent);
    out.push_str("}\n");
    out
}

/// Tokens on one line as rustfmt spaces them: `address[0]: ::std::option::Option<i32>`,
/// `max_length(255usize)`, `name = "value"`, `field("wire") => Rule::NONE`.
pub fn one_line(stream: TokenStream) -> String {
    let mut line = Line::default();
    for tree in stream {
        line.push(tree);
    }
    line.text
}

/// What the previous token was, for the space before the next.
#[derive(Clone, Copy, PartialEq)]
enum Previous {
    Start,
    /// An identifier, a literal or a closed group: a space before a word, none before `(`.
    Word,
    /// A punctuation after which nothing is spaced: the first half of `::` or `=>`, `<`,
    /// `&`, `'`, `$`, `.`, a unary `-`, the second `:` of `::`.
    Glue,
    /// Any other punctuation (`,`, `=`, `=>`, a lone `:`): a space after it.
    Spaced(char),
}

/// A line written token by token.
struct Line {
    text: String,
    previous: Previous,
}

impl Default for Line {
    fn default() -> Self {
        Line {
            text: String::new(),
            previous: Previous::Start,
        }
    }
}

impl Line {
    fn push(&mut self, tree: TokenTree) {
        let previous = self.previous;
        let space = match (&tree, previous) {
            (_, Previous::Start | Previous::Glue) => false,
            (TokenTree::Punct(p), _) => match p.as_char() {
                ',' | ';' | '<' | '>' | '.' | '?' => false,
                // A lone `:` follows its field; `::` starts a path: spaced after `:`, `=`, `,`.
                ':' if p.spacing() == Spacing::Alone => false,
                ':' => matches!(previous, Previous::Spaced(_)),
                _ => true,
            },
            (TokenTree::Group(g), Previous::Word) => g.delimiter() == Delimiter::Brace,
            _ => true,
        };
        let out = &mut self.text;
        if space {
            out.push(' ');
        }
        self.previous = match tree {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                let mut inner = Line {
                    text: std::mem::take(out),
                    previous: Previous::Start,
                };
                for tree in group.stream() {
                    inner.push(tree);
                }
                self.text = inner.text;
                self.text.push_str(close);
                Previous::Word
            }
            TokenTree::Punct(p) => {
                let c = p.as_char();
                out.push(c);
                let second_colon = c == ':' && out.ends_with("::") && p.spacing() == Spacing::Alone;
                let unary_minus = c == '-' && previous != Previous::Word;
                if p.spacing() == Spacing::Joint
                    || matches!(c, '<' | '&' | '\'' | '$' | '.')
                    || second_colon
                    || unary_minus
                {
                    Previous::Glue
                } else {
                    Previous::Spaced(c)
                }
            }
            other => {
                // Written in place: a `String` per token cost most of the layout.
                let _ = std::fmt::Write::write_fmt(out, format_args!("{other}"));
                Previous::Word
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(tokens: &str) -> String {
        one_line(tokens.parse().unwrap())
    }

    #[test]
    fn tokens_are_spaced_as_rustfmt_spaces_them() {
        assert_eq!(
            line(
                "address [0] : :: std :: option :: Option < crate :: Personal > = \"address\" optional"
            ),
            "address[0]: ::std::option::Option<crate::Personal> = \"address\" optional"
        );
        assert_eq!(
            line("field_label (\"fieldLabel\") => Rule :: max_length (255usize)"),
            "field_label(\"fieldLabel\") => Rule::max_length(255usize)"
        );
        assert_eq!(
            line(
                "nickname : patch (clear_nickname) < :: std :: string :: String > = \"nickname\" redacted"
            ),
            "nickname: patch(clear_nickname)<::std::string::String> = \"nickname\" redacted"
        );
        assert_eq!(
            line(".. extra : :: serde_json :: Map < String , Value >"),
            "..extra: ::serde_json::Map<String, Value>"
        );
        assert_eq!(
            line("count (\"count\") => Rule :: minimum (- 5)"),
            "count(\"count\") => Rule::minimum(-5)"
        );
        assert_eq!(line("Lead = \"Lead\""), "Lead = \"Lead\"");
    }

    fn rendered(source: &str) -> String {
        let file = syn::parse_file(source).unwrap();
        macro_calls(&file, prettyplease::unparse(&file))
    }

    #[test]
    fn a_long_call_is_one_entry_a_line_and_reads_back_as_the_same_tokens() {
        let mut fields: Vec<String> = (0..12)
            .map(|i| format!("field_number_{i}: shown"))
            .collect();
        fields.push("extra: defaulted<::serde_json::Map<String, Value>> = \"extra\"".into());
        fields.push("rule(\"rule\") => Rule::max_length(5usize)".into());
        let source = format!(
            "mod types {{ crate::redact::redacted_debug!(Record {{ {} }}); }}",
            fields.join(", ")
        );
        let text = rendered(&source);
        assert!(text.contains("    crate::redact::redacted_debug!(\n        Record {\n            field_number_0: shown,\n"), "{text}");
        assert!(text.contains("            field_number_11: shown,\n            extra: defaulted<::serde_json::Map<String, Value>> = \"extra\",\n"), "{text}");
        assert!(
            text.contains(
                "            rule(\"rule\") => Rule::max_length(5usize)\n        }\n    );\n"
            ),
            "{text}"
        );
        let tokens = |s: &str| syn::parse_file(s).unwrap().into_token_stream().to_string();
        assert_eq!(tokens(&text), tokens(&source));
    }

    #[test]
    fn short_calls_and_other_shapes_are_left_to_prettyplease() {
        let source = "crate::enums::string_enum!(Kind { A = \"a\" });\nlist!(Alpha, Beta);\n";
        let file = syn::parse_file(source).unwrap();
        assert_eq!(
            macro_calls(&file, prettyplease::unparse(&file)),
            prettyplease::unparse(&file)
        );
    }

    use quote::ToTokens;
}
