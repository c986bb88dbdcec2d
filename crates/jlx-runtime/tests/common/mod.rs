//! What the runtime's integration tests share: the standard library
//! loaded into a fresh VM, and running one program to
//! its outcome on a given driver.

use jlx_bytecode::ModId;
use jlx_runtime::{Driver, Outcome};
use jlx_vm::{Fiber, Runtime, Vm};

/// Compile `src` (named `name`) into `module` and run it as the main task.
pub fn run(rt: &Runtime, vm: &mut Vm, driver: &mut Driver, name: &str, src: &str, module: ModId) -> Outcome {
    let file = rt.sources.add(name, src);
    let prog = jlx_syntax::parse_program(src, file).expect("parses");
    let opts = jlx_compiler::Options { source_name: name.into(), module, interactive: false };
    let c = jlx_compiler::compile_program(&prog, file, src, &rt.names, &opts).expect("compiles");
    let mut fb = Fiber::new();
    vm.push_toplevel(&mut fb, jlx_vm::code::load(&c.proto));
    driver.run_main(vm, &mut fb)
}

/// Load the standard library into `vm`'s `Base` (`jlx_runtime::stdlib`).
pub fn load_stdlib(rt: &Runtime, vm: &mut Vm, driver: &mut Driver) {
    let mut compile = |name: &str, src: &str| {
        let file = rt.sources.add(name, src);
        let prog = jlx_syntax::parse_program(src, file).map_err(|d| format!("{d:?}"))?;
        let opts =
            jlx_compiler::Options { source_name: name.into(), module: ModId::BASE, interactive: false };
        let c = jlx_compiler::compile_program(&prog, file, src, &rt.names, &opts)
            .map_err(|d| format!("{d:?}"))?;
        Ok(jlx_vm::code::load(&c.proto))
    };
    if let Err(e) = jlx_runtime::stdlib::load(vm, driver, &mut compile) {
        panic!("the standard library failed to load: {e}");
    }
}
