//! The `$ref`s of the document as a graph: each must point at the kind of object its place
//! holds, and schemas may not include themselves in a way the generator cannot take.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::{Problem, escape_pointer, unescape_pointer};
use crate::walk::{self, Kind};

/// `$ref`s that point at the wrong kind of object, or deeper than a component, or at another
/// `$ref` where the generator follows only one.
pub fn misplaced(root: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    walk::each_place(root, &mut |pointer, value, kind| {
        let Some(target) = value.get("$ref").and_then(Value::as_str) else {
            return;
        };
        let Some(found) = target.strip_prefix('#').and_then(|t| root.pointer(t)) else {
            return; // dangling or not local: reported by the load step
        };
        let section = kind.section();
        let message = match component_name(target, section) {
            None => Some(format!(
                "a {} `$ref` must point at #/components/{section}/NAME; `{target}` does not",
                kind_name(kind)
            )),
            Some(_) if kind != Kind::Schema && found.get("$ref").is_some() => Some(format!(
                "`{target}` is itself a `$ref`; a {} is followed through one reference only",
                kind_name(kind)
            )),
            Some(_) => None,
        };
        if let Some(message) = message {
            problems.push(Problem::new(
                walk::location_of(&format!("{pointer}/$ref")),
                message,
            ));
        }
    });
    problems
}

/// The component name in `#/components/<section>/<name>`, if the target is exactly that.
fn component_name<'a>(target: &'a str, section: &str) -> Option<&'a str> {
    let name = target
        .strip_prefix("#/components/")?
        .strip_prefix(section)?
        .strip_prefix('/')?;
    (!name.is_empty() && !name.contains('/')).then_some(name)
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Schema => "schema",
        Kind::Parameter => "parameter",
        Kind::RequestBody => "request body",
        Kind::Response => "response",
        Kind::Header => "header",
    }
}

/// How one component schema reaches another without a property, item or map in between.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Edge {
    /// Through `allOf` or as the whole schema: the generator merges or aliases the target.
    Includes,
    /// Through `oneOf`, `anyOf` or `not` only: the generator makes an enum variant or a check.
    Chooses,
}

/// Component schemas that include themselves (through `allOf`, or by being a bare `$ref`),
/// directly or through others. The generator merges `allOf` members recursively and would
/// not end; a schema that is only a reference to itself has no shape. Cycles through
/// properties, items and maps are fine (they become boxed fields), as are cycles through
/// `oneOf`/`anyOf` alone.
pub fn inclusion_cycles(root: &Value) -> Vec<Problem> {
    let Some(schemas) = root
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    // name → [(target name, edge, pointer of the $ref)]
    let mut graph: BTreeMap<&str, Vec<(String, Edge, String)>> = BTreeMap::new();
    for (name, schema) in schemas {
        let pointer = format!("/components/schemas/{}", escape_pointer(name));
        let mut edges = Vec::new();
        edges_of(schema, &pointer, false, false, &mut edges);
        graph.insert(name, edges);
    }
    let mut reported: BTreeSet<BTreeSet<String>> = BTreeSet::new();
    let mut problems = Vec::new();
    for (from, edges) in &graph {
        for (to, edge, at) in edges {
            if *edge != Edge::Includes {
                continue;
            }
            let Some(back) = path_between(&graph, to, from) else {
                continue;
            };
            let mut cycle = vec![at.clone()];
            cycle.extend(back.iter().map(|(_, at)| at.clone()));
            let members: BTreeSet<String> = [from.to_string(), to.clone()]
                .into_iter()
                .chain(back.into_iter().map(|(n, _)| n))
                .collect();
            if !reported.insert(members) {
                continue;
            }
            problems.push(Problem::new(
                crate::error::Location::pointer(at),
                format!(
                    "schema `{from}` includes itself: {} → back to `{from}`; the generator merges `allOf` members \
                     (and a schema's own properties into its `oneOf`/`anyOf` members) and follows bare references, \
                     and cannot take a cycle through them (a cycle through a property or array item is fine)",
                    cycle.iter().map(|p| format!("#{p}")).collect::<Vec<_>>().join(" → "),
                ),
            ));
        }
    }
    problems
}

/// The component schemas a schema reaches through compositions and bare references.
fn edges_of(
    schema: &Value,
    pointer: &str,
    through_all_of: bool,
    through_choice: bool,
    out: &mut Vec<(String, Edge, String)>,
) {
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        if let Some(name) = component_name(target, "schemas") {
            let edge = if through_all_of || !through_choice {
                Edge::Includes
            } else {
                Edge::Chooses
            };
            out.push((unescape_pointer(name), edge, format!("{pointer}/$ref")));
        }
        return;
    }
    // typify merges a schema's own object constraints into each of its `oneOf`/`anyOf`
    // members, which includes a member as much as an `allOf` one.
    let merges_members = [
        "properties",
        "required",
        "additionalProperties",
        "minProperties",
        "maxProperties",
    ]
    .iter()
    .any(|k| schema.get(k).is_some());
    for key in ["allOf", "oneOf", "anyOf"] {
        for (index, member) in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let includes = key == "allOf" || merges_members;
            let all_of = through_all_of || includes;
            let choice = through_choice || !includes;
            edges_of(
                member,
                &format!("{pointer}/{key}/{index}"),
                all_of,
                choice,
                out,
            );
        }
    }
    if let Some(not) = schema.get("not") {
        edges_of(not, &format!("{pointer}/not"), through_all_of, true, out);
    }
}

/// A path of (schema, pointer of the `$ref` leaving the previous one) from `from` to `to`,
/// through edges of any kind; empty when `from` is `to`.
fn path_between(
    graph: &BTreeMap<&str, Vec<(String, Edge, String)>>,
    from: &str,
    to: &str,
) -> Option<Vec<(String, String)>> {
    let mut previous: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([from.to_owned()]);
    let mut seen = BTreeSet::from([from.to_owned()]);
    while let Some(node) = queue.pop_front() {
        if node == to {
            let mut path = Vec::new();
            let mut current = node;
            while let Some((before, at)) = previous.get(&current) {
                path.push((current.clone(), at.clone()));
                current = before.clone();
            }
            path.reverse();
            return Some(path);
        }
        for (next, _, at) in graph.get(node.as_str()).into_iter().flatten() {
            if seen.insert(next.clone()) {
                previous.insert(next.clone(), (node.clone(), at.clone()));
                queue.push_back(next.clone());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schemas(schemas: Value) -> Value {
        json!({"components": {"schemas": schemas}})
    }

    fn r(name: &str) -> Value {
        json!({"$ref": format!("#/components/schemas/{name}")})
    }

    #[test]
    fn an_all_of_cycle_through_a_one_of_is_reported_with_its_pointers() {
        let document = schemas(
            json!({"A": {"allOf": [r("B"), {"type": "object"}]}, "B": {"oneOf": [r("A"), {"type": "string"}]}}),
        );
        let problems = inclusion_cycles(&document);
        assert_eq!(problems.len(), 1, "{problems:?}");
        let text = problems[0].to_string();
        assert!(
            text.contains(
                "#/components/schemas/A/allOf/0/$ref → #/components/schemas/B/oneOf/0/$ref"
            ),
            "{text}"
        );
    }

    #[test]
    fn self_inclusion_and_bare_reference_loops_are_reported() {
        assert_eq!(
            inclusion_cycles(&schemas(json!({"A": {"allOf": [r("A")]}}))).len(),
            1
        );
        assert_eq!(
            inclusion_cycles(&schemas(json!({"A": r("B"), "B": r("A")}))).len(),
            1
        );
    }

    #[test]
    fn a_choice_of_itself_beside_its_own_properties_is_reported() {
        let own = json!({"type": "object", "properties": {"a": {"type": "string"}}, "anyOf": [r("A"), {"type": "object"}]});
        let problems = inclusion_cycles(&schemas(json!({"A": own})));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0]
                .to_string()
                .contains("#/components/schemas/A/anyOf/0/$ref"),
            "{problems:?}"
        );
        // Without properties of its own, the choice is an enum variant: fine.
        assert_eq!(
            inclusion_cycles(&schemas(
                json!({"A": {"type": "object", "oneOf": [r("A"), {"type": "object"}]}})
            )),
            vec![]
        );
    }

    #[test]
    fn cycles_through_properties_items_and_choices_are_fine() {
        let document = schemas(json!({
            "Tree": {"type": "object", "properties": {"children": {"type": "array", "items": r("Tree")}, "parent": {"allOf": [r("Tree")]}}},
            "A": {"oneOf": [r("B"), {"type": "string"}]},
            "B": {"anyOf": [r("A"), {"type": "integer"}]},
        }));
        assert_eq!(inclusion_cycles(&document), vec![]);
    }

    #[test]
    fn references_must_point_at_their_kind_of_component() {
        let document = json!({
            "paths": {"/x": {"get": {
                "parameters": [{"$ref": "#/components/schemas/S"}],
                "responses": {"200": {"$ref": "#/paths"}, "201": {"$ref": "#/components/responses/Alias"}},
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S/properties/a"}}}}
            }}},
            "components": {
                "schemas": {"S": {"type": "object", "properties": {"a": {"type": "string"}}}},
                "responses": {"Alias": {"$ref": "#/components/responses/Real"}, "Real": {"description": "ok"}}
            }
        });
        let problems: Vec<String> = misplaced(&document)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(problems.len(), 4, "{problems:#?}");
        assert!(problems.iter().any(|p| p.contains("GET /x (#/paths/~1x/get/parameters/0/$ref): a parameter `$ref` must point at #/components/parameters/NAME")), "{problems:#?}");
        assert!(
            problems
                .iter()
                .any(|p| p.contains("responses/200/$ref): a response `$ref`")),
            "{problems:#?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("is itself a `$ref`")),
            "{problems:#?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("a schema `$ref` must point at #/components/schemas/NAME")),
            "{problems:#?}"
        );
    }
}
