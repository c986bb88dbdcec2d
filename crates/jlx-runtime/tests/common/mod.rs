//! What the runtime's integration tests share: the standard library
//! standard library loaded into a fresh VM, and running one program to
//! its outcome on a given driver.

use jlx_bytecode::ModId;
use jlx_runtime::{Driver, Outcome};
use jlx_vm::{Fiber, Runtime, Vm};

/// The library written in jlx, in load order (into `Base`).
const STDLIB: &[(&str, &str)] = &[
    ("stdlib/base.jlx", include_str!("../../../../stdlib/base.jlx")),
    ("stdlib/collections.jlx", include_str!("../../../../stdlib/collections.jlx")),
    ("stdlib/strings.jlx", include_str!("../../../../stdlib/strings.jlx")),
    ("stdlib/tasks.jlx", include_str!("../../../../stdlib/tasks.jlx")),
    ("stdlib/threads.jlx", include_str!("../../../../stdlib/threads.jlx")),
];

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

/// Load the standard library into `vm`'s `Base`, initialising the VM's
/// well-known functions as soon as the library defines them (later files
/// use them) and once more at the end.
pub fn load_stdlib(rt: &Runtime, vm: &mut Vm, driver: &mut Driver) {
    for (name, src) in STDLIB {
        let out = run(rt, vm, driver, name, src, ModId::BASE);
        assert!(matches!(out, Outcome::Finished(_)), "{name} failed to load");
        vm.refresh();
        if vm.wk.is_none() && vm.base_func("__unpack__").is_some() {
            vm.init_well_known();
        }
    }
    vm.refresh();
    vm.init_well_known();
}
