//! `jlx_compiler::MACROS` lists exactly the macros the compiler implements:
//! each one compiles, and a name outside the list does not.

use jlx_base::SourceMap;
use jlx_bytecode::{GlobalNames, ModId};
use jlx_compiler::{compile_program, Options, MACROS};

fn compiles(src: &str) -> Result<(), String> {
    let names = GlobalNames::new();
    let sources = SourceMap::new();
    let file = sources.add("macros", src);
    let prog = jlx_syntax::parse_program(src, file).map_err(|d| format!("{:?}", d[0].message))?;
    let opts = Options { source_name: "macros".into(), module: ModId::MAIN, interactive: false };
    compile_program(&prog, file, src, &names, &opts).map(|_| ()).map_err(|d| d[0].message.clone())
}

#[test]
fn every_listed_macro_compiles() {
    for m in MACROS {
        let src = format!("using Base.Threads\n@{m} a b\n");
        assert_eq!(compiles(&src), Ok(()), "@{m}");
    }
}

#[test]
fn unlisted_macros_do_not() {
    let err = compiles("@nosuchmacro a b\n").unwrap_err();
    assert!(err.contains("not defined"), "{err}");
}
