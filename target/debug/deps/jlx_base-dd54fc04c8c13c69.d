/work/main/target/debug/deps/jlx_base-dd54fc04c8c13c69.d: crates/jlx-base/src/lib.rs crates/jlx-base/src/diag.rs crates/jlx-base/src/source.rs crates/jlx-base/src/span.rs crates/jlx-base/src/symbol.rs

/work/main/target/debug/deps/libjlx_base-dd54fc04c8c13c69.rlib: crates/jlx-base/src/lib.rs crates/jlx-base/src/diag.rs crates/jlx-base/src/source.rs crates/jlx-base/src/span.rs crates/jlx-base/src/symbol.rs

/work/main/target/debug/deps/libjlx_base-dd54fc04c8c13c69.rmeta: crates/jlx-base/src/lib.rs crates/jlx-base/src/diag.rs crates/jlx-base/src/source.rs crates/jlx-base/src/span.rs crates/jlx-base/src/symbol.rs

crates/jlx-base/src/lib.rs:
crates/jlx-base/src/diag.rs:
crates/jlx-base/src/source.rs:
crates/jlx-base/src/span.rs:
crates/jlx-base/src/symbol.rs:
