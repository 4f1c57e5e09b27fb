//! The careCycle code generator: the curated OpenAPI document in, the `carecycle` client
//! crate's generated files out.
//!
//! The pipeline is a line of small steps, each in its own module and tested on its own:
//!
//! 1. [`load`]: read YAML or JSON, check it is OpenAPI 3.0, every `$ref` resolves, every path
//!    parameter is declared.
//! 2. [`lint`]: the curation rules (operationId, tag, summary, security, provenance, the seven
//!    documented errors) and the constructs the generator cannot take.
//! 3. [`lower`]: rewrite in memory what progenitor cannot take (nullable enum components,
//!    several error bodies, limits on response fields).
//! 4. `generator`: progenitor's builder-style client and httpmock helpers, panics caught.
//! 5. [`passes`]: syn passes on the generated code (runtime-owned responses, open enums, PATCH
//!    fields that can clear, value setters, redacted Debug).
//! 6. [`render`]: prettyplease and the do-not-edit header with the document's fingerprint.
//!
//! Beside the pipeline, [`diff`] compares two versions of the document and says what the
//! change does to consumers of the generated crate (`cargo xtask spec-diff`).
//!
//! Nothing here knows about the command line; `xtask` and the tests call [`generate`].

mod constructs;
mod culprit;
pub mod diff;
pub mod error;
pub mod fingerprint;
/// A mutation fuzzer for the pipeline (`cargo xtask fuzz-codegen`, and a fast subset in the tests).
pub mod fuzz;
mod generator;
mod layout;
pub mod lint;
pub mod load;
pub mod lower;
pub mod passes;
pub mod plan;
mod prepare;
pub mod public_api;
mod refs;
pub mod render;
pub mod surface;
/// Synthetic documents of any size, for benchmarks and scaling tests.
pub mod synth;
mod walk;
pub mod weight;
mod yaml;

use std::path::Path;
use std::time::{Duration, Instant};

use openapiv3::OpenAPI;
use passes::deferred_builders::Parsing;
use serde::Deserialize;

pub use error::{Error, Location, Problem};
pub use load::Document;

/// The generated client: `Client`, its builders and the types. Relative to the crate's `src/`.
pub const CLIENT_FILE: &str = "generated.rs";
/// The typed httpmock helpers, behind the client crate's `mock` feature.
pub const MOCK_FILE: &str = "generated_mock.rs";

/// One file the pipeline produces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    /// The file name, relative to the client crate's `src/`.
    pub name: &'static str,
    pub contents: String,
}

/// Loads the document at `spec` and generates the client's files from it.
pub fn generate(spec: &Path) -> Result<Vec<OutputFile>, Error> {
    generate_document(&load::load(spec)?)
}

/// How long each stage of the pipeline took, in order: what the codegen benchmark reports
/// so that its hot spots can be found (each syn pass is a stage of its own).
pub type StageTimes = Vec<(&'static str, Duration)>;

/// Generates the client's files from a loaded document.
pub fn generate_document(document: &Document) -> Result<Vec<OutputFile>, Error> {
    generate_document_timed(document, &mut StageTimes::new())
}

/// [`generate_document`], recording how long each stage took in `times`.
pub fn generate_document_timed(
    document: &Document,
    times: &mut StageTimes,
) -> Result<Vec<OutputFile>, Error> {
    let generated = generate_syntax_timed(document, times)?;
    let started = Instant::now();
    let files = render_files(document, &generated);
    times.push(("render (prettyplease)", started.elapsed()));
    Ok(files)
}

/// The client and mock files as text, headed with the document's name and fingerprint.
fn render_files(document: &Document, generated: &Generated) -> Vec<OutputFile> {
    let file = &document.path;
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let fingerprint = fingerprint::fingerprint(&document.bytes);
    vec![
        OutputFile {
            name: CLIENT_FILE,
            contents: render::render(&generated.client, &name, &fingerprint),
        },
        OutputFile {
            name: MOCK_FILE,
            contents: render::render(&generated.mock, &name, &fingerprint),
        },
    ]
}

/// The generated code before it is rendered to text.
pub struct Generated {
    /// `generated.rs`: `Client`, the builders, the types.
    pub client: syn::File,
    /// `generated_mock.rs`: the typed httpmock helpers (the crate's `mock` module).
    pub mock: syn::File,
}

/// Runs the pipeline up to the syn passes: what [`generate_document`] renders, and what the
/// spec diff compares.
pub fn generate_syntax(document: &Document) -> Result<Generated, Error> {
    generate_syntax_timed(document, &mut StageTimes::new())
}

fn generate_syntax_timed(document: &Document, times: &mut StageTimes) -> Result<Generated, Error> {
    generate_syntax_parsed(document, times, Parsing::DeferBuilders)
}

/// [`generate_document`] with the client file parsed as `parsing` says: the test that the
/// deferred builders change nothing generates both ways.
#[cfg(test)]
fn generate_document_parsed(
    document: &Document,
    parsing: Parsing,
) -> Result<Vec<OutputFile>, Error> {
    let generated = generate_syntax_parsed(document, &mut StageTimes::new(), parsing)?;
    Ok(render_files(document, &generated))
}

fn generate_syntax_parsed(
    document: &Document,
    times: &mut StageTimes,
    parsing: Parsing,
) -> Result<Generated, Error> {
    let mut started = Instant::now();
    // The time since the previous stage ended, under `stage`.
    let mut lap = |times: &mut StageTimes, stage: Option<&'static str>| {
        if let Some(stage) = stage {
            times.push((stage, started.elapsed()));
        }
        started = Instant::now();
    };
    let file = &document.path;
    let fail = |problems: Vec<Problem>| Error {
        file: file.clone(),
        problems,
    };
    let whole = |message: String| Error::one(file, Location::Document, message);

    let problems = lint::lint(&document.value);
    if !problems.is_empty() {
        return Err(fail(problems));
    }
    lap(times, Some("lint"));
    let plan = plan::Plan::of(&document.value);
    lap(times, Some("plan"));
    let mut lowered = document.value.clone();
    lower::lower(&mut lowered).map_err(fail)?;
    let spec = OpenAPI::deserialize(&lowered)
        .map_err(|e| whole(format!("the lowered document is not valid OpenAPI: {e}")))?;
    lap(times, Some("lower"));
    // The generator's own messages seldom say where: find the schema or operation it fails on.
    let run = |generate: fn(&OpenAPI) -> Result<proc_macro2::TokenStream, String>| {
        generate(&spec).map_err(|message| match culprit::find(&lowered, generate) {
            Some((location, message)) => Error::one(file, location, message),
            None => whole(message),
        })
    };

    let tokens = run(generator::client)?;
    lap(times, Some("progenitor: client"));
    let mut client = passes::deferred_builders::parse_client(tokens, parsing).map_err(whole)?;
    lap(times, Some("parse (syn): client"));
    passes::apply_timed(&mut client, &plan, times)
        .map_err(|e| Error::one(file, culprit::named_in(&document.value, &e), e))?;
    lap(times, None);
    let tokens = run(generator::mock)?;
    lap(times, Some("progenitor: mock"));
    let mut mock = parse(tokens).map_err(whole)?;
    lap(times, Some("parse (syn): mock"));
    passes::apply_mock(&mut mock, &plan);
    lap(times, Some("passes on the mock file"));
    Ok(Generated { client, mock })
}

fn parse(tokens: proc_macro2::TokenStream) -> Result<syn::File, String> {
    syn::parse2(tokens).map_err(|e| format!("the generator produced code that does not parse: {e}"))
}
