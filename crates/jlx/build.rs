//! Compiles the standard library (`stdlib/*.jlx`, in the load order of
//! `stdlib/files.rs`) into the image the binary embeds
//! (`jlx_bytecode::image`, written to `OUT_DIR/stdlib.image`), so a run
//! loads bytecode instead of parsing and compiling the library.
//!
//! The files are compiled as the binary would compile them at start-up
//! (module `Base`, one after the other against one global table). A file
//! that does not compile cleanly (an error or a warning) ends the image
//! there: the binary compiles it and the files after it from source at
//! start-up, and reports what it finds as it always has.
//!
//! Cargo reruns this script when a file under `stdlib/` changes, and
//! rebuilds it when the parser or compiler crates change.

use jlx_base::{FileId, Sym};
use jlx_bytecode::image::{self, UnitIn};
use jlx_bytecode::{GlobalNames, ModId};

const FILES: &[(&str, &str)] = include!("../../stdlib/files.rs");

fn main() {
    println!("cargo:rerun-if-changed=../../stdlib");
    println!("cargo:rerun-if-changed=build.rs");
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("stdlib.image");
    let names = GlobalNames::new();
    let mut compiled = vec![];
    for (i, (name, src)) in FILES.iter().enumerate() {
        // An id no source map hands out: a span of any other file (a
        // default `FileId(0)` one) makes the encoder refuse the unit.
        let file = FileId(u32::MAX - i as u32);
        let (syms0, globals0) = (Sym::interned_count(), names.len());
        let Ok(prog) = jlx_syntax::parse_program(src, file) else {
            println!("cargo:warning={name} has syntax errors; it is compiled at start-up");
            break;
        };
        let opts =
            jlx_compiler::Options { source_name: name.to_string(), module: ModId::BASE, interactive: false };
        match jlx_compiler::compile_program(&prog, file, src, &names, &opts) {
            Ok(c) if c.warnings.is_empty() => {
                let new_syms = Sym::interned_since(syms0);
                let new_globals = names.entries_since(globals0);
                compiled.push((name, src, file, new_syms, new_globals, globals0 as u32, c.proto));
            }
            _ => {
                println!("cargo:warning={name} does not compile cleanly; it is compiled at start-up");
                break;
            }
        }
    }
    let units: Vec<UnitIn> = compiled
        .iter()
        .map(|(name, source, file, syms, globals, first, proto)| UnitIn {
            name,
            source,
            file: *file,
            new_syms: syms.clone(),
            new_globals: globals.clone(),
            first_global: *first,
            proto,
        })
        .collect();
    let bytes = image::encode(&units).unwrap_or_else(|e| {
        println!("cargo:warning=the stdlib image cannot hold the library ({e}); it is compiled at start-up");
        image::encode(&[]).expect("an empty image")
    });
    std::fs::write(&out, bytes).expect("writing the stdlib image");
}
