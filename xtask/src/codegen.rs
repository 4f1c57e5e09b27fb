//! `cargo xtask codegen [--check] [--spec PATH] [--out DIR]`

use std::path::PathBuf;

use carecycle_codegen::OutputFile;

use crate::{Failure, take_flag, take_value, workspace_root};

pub fn run(args: &[String]) -> Result<(), Failure> {
    let mut args = args.to_vec();
    let check = take_flag(&mut args, "--check");
    let root = workspace_root();
    let spec = take_value(&mut args, "--spec")?
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("openapi/carecycle.yaml"));
    let out = take_value(&mut args, "--out")?
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("generated-client/src"));
    if let Some(extra) = args.first() {
        return Err(Failure::Usage(format!("unexpected argument `{extra}`")));
    }
    let files = carecycle_codegen::generate(&spec).map_err(|e| Failure::Input(e.to_string()))?;
    if check {
        check_files(&out, &files)
    } else {
        write_files(&out, &files)
    }
}

fn write_files(out: &std::path::Path, files: &[OutputFile]) -> Result<(), Failure> {
    std::fs::create_dir_all(out)
        .map_err(|e| Failure::Input(format!("cannot create {}: {e}", out.display())))?;
    for file in files {
        let path = out.join(file.name);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(file.contents.as_str()) {
            println!("unchanged {}", path.display());
            continue;
        }
        std::fs::write(&path, &file.contents)
            .map_err(|e| Failure::Input(format!("cannot write {}: {e}", path.display())))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

fn check_files(out: &std::path::Path, files: &[OutputFile]) -> Result<(), Failure> {
    let mut report = String::new();
    for file in files {
        let path = out.join(file.name);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != file.contents {
            let diff = similar::TextDiff::from_lines(&committed, &file.contents);
            report.push_str(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(
                        &format!("{} (committed)", path.display()),
                        &format!("{} (generated)", path.display()),
                    )
                    .to_string(),
            );
        }
    }
    if report.is_empty() {
        println!("generated files are up to date");
        Ok(())
    } else {
        Err(Failure::Check(format!(
            "{report}\nThe generated files are stale. Run `cargo xtask codegen` and commit the result."
        )))
    }
}
