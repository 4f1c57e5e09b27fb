//! What the constructs the curated document does not use generate: the curated document with
//! an operation for each (`fuzz::with_constructs`), its API surface and public Rust API for
//! those operations kept as snapshots, and the generated code checked where it matters.

use carecycle_codegen::{CLIENT_FILE, MOCK_FILE, OutputFile};

use crate::document_path;

fn generated() -> (serde_json::Value, Vec<OutputFile>) {
    let base = carecycle_codegen::load::load(&document_path())
        .unwrap()
        .value;
    let document = carecycle_codegen::fuzz::with_constructs(&base)
        .expect("the curated document has a GET with a path parameter");
    let bytes = serde_json::to_vec_pretty(&document).unwrap();
    let loaded =
        carecycle_codegen::load::parse(std::path::Path::new("constructs.json"), bytes).unwrap();
    let files = carecycle_codegen::generate_document(&loaded).unwrap_or_else(|e| panic!("{e}"));
    (document, files)
}

fn file<'a>(files: &'a [OutputFile], name: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.name == name)
        .expect("the pipeline writes the file")
        .contents
}

/// The lines of `text` that mention one of the constructs' operations.
fn lines_of_constructs(text: &str) -> String {
    const NAMES: [&str; 9] = [
        "GetNote",
        "get_note",
        "/note",
        "GetExport",
        "get_export",
        "/export",
        "GetByBuilderNames",
        "get_by_builder_names",
        "/builder-names",
    ];
    text.lines()
        .filter(|l| NAMES.iter().any(|n| l.contains(n)))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn constructs_surface_and_public_api() {
    let (document, files) = generated();
    let surface = carecycle_codegen::surface::summary(&document);
    insta::assert_snapshot!("constructs_api_surface", lines_of_constructs(&surface));
    let client = syn::parse_file(file(&files, CLIENT_FILE)).unwrap();
    insta::assert_snapshot!(
        "constructs_public_rust_api",
        lines_of_constructs(&carecycle_codegen::public_api::listing(&client))
    );
}

#[test]
fn text_and_bytes_success_bodies_are_read_by_the_runtime_and_mocked_as_such() {
    let (_, files) = generated();
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let client = squash(file(&files, CLIENT_FILE));
    for needle in [
        "Result<ResponseValue<::std::string::String>,crate::Error>",
        "crate::runtime::send_text(client,request,&info,\"/v2/customers/{id}/note\"",
        "Result<ResponseValue<::std::vec::Vec<u8>>,crate::Error>",
        "crate::runtime::send_bytes(client,request,&info,\"/v2/customers/{id}/export\"",
    ] {
        assert!(client.contains(needle), "the client has no `{needle}`");
    }
    let mock = squash(file(&files, MOCK_FILE));
    for needle in [
        "pubfnok(self,value:&str)->Self",
        ".header(\"content-type\",\"text/plain;charset=utf-8\").body(value)",
        "pubfnok(self,value:&[u8])->Self",
        ".header(\"content-type\",\"application/octet-stream\").body(value)",
    ] {
        assert!(mock.contains(needle), "the mock has no `{needle}`");
    }
}

#[test]
fn parameters_named_like_builder_methods_are_renamed_and_keep_their_wire_names() {
    let (_, files) = generated();
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let client = squash(file(&files, CLIENT_FILE));
    for needle in [
        "pubfnsend_param<V>(mutself,value:V)->Self",
        "QueryParam::new(\"timeout\",&timeout_param)",
        "QueryParam::new(\"body\",&body_param)",
        "header_map.append(\"Retry-Policy\"",
        "header_map.append(\"client\"",
        "forheaderclientfailed",
    ] {
        assert!(client.contains(needle), "the client has no `{needle}`");
    }
    let mock = squash(file(&files, MOCK_FILE));
    for needle in [
        "query_param(\"timeout\",",
        "query_param(\"body\",",
        "header(\"client\",",
        "header_missing(\"Retry-Policy\")",
    ] {
        assert!(mock.contains(needle), "the mock has no `{needle}`");
    }
}
