//! Generates the LR parser from `grammar/jlx.lalrpop` (at the repository root) into OUT_DIR.

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let grammar = std::path::Path::new(&manifest).join("../../grammar");
    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    lalrpop::Configuration::new()
        .set_in_dir(&grammar)
        .set_out_dir(&out)
        .emit_rerun_directives(true)
        .process()
        .expect("lalrpop failed to process grammar/jlx.lalrpop");
}
