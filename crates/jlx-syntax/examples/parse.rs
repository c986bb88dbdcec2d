//! Debug helper: `cargo run -p jlx-syntax --example parse -- FILE` (or stdin) prints the AST
//! as S-expressions, or the diagnostics with byte spans.

use std::io::Read;

fn main() {
    let mut src = String::new();
    match std::env::args().nth(1) {
        Some(path) => src = std::fs::read_to_string(path).expect("read file"),
        None => {
            std::io::stdin().read_to_string(&mut src).expect("read stdin");
        }
    }
    println!("status: {:?}", jlx_syntax::input_status(&src));
    match jlx_syntax::parse_program(&src, jlx_base::FileId(0)) {
        Ok(p) => println!("{}", jlx_syntax::sexp::program_sexp(&p)),
        Err(errs) => {
            for e in errs {
                println!("error: {} [{}..{}]", e.message, e.span.start, e.span.end);
                for l in e.labels {
                    println!("  label: {} [{}..{}]", l.message, l.span.start, l.span.end);
                }
                for n in e.notes {
                    println!("  note: {n}");
                }
            }
        }
    }
}
