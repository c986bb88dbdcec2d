//! The standard library written in jlx (`stdlib/*.jlx`): which files make
//! up `Base`, their load order, and how loading them sets up the VM. The
//! `jlx` binary (every run: files, `-e`, the REPL) and the runtime's own
//! integration tests load it through [`load`], so there is one list.
//!
//! Parsing and compiling are the caller's (this crate does not depend on
//! the syntax or compiler crates): `load` takes a function that turns one
//! library file into loaded code.

use crate::{Driver, Outcome};
use jlx_vm::code::Code;
use jlx_vm::{Fiber, Vm};

/// The library files, in load order: `(name, source)`. Names keep the
/// `stdlib/` prefix, which marks library frames in stack traces. The list
/// is `stdlib/files.rs`, which the `jlx` build script reads too.
pub const FILES: &[(&str, &str)] = include!("../../../stdlib/files.rs");

/// Compiles one library file (`name`, `source`) into `Base`, or says why not.
pub type Compile<'a> = dyn FnMut(&str, &str) -> Result<&'static Code, String> + 'a;

/// Load every library file into `vm`'s `Base`, in order, each run as the
/// main task on `driver`. The VM's well-known functions are set up as soon
/// as the library defines the last of them (`__unpack__`, in base.jlx:
/// later files construct objects at top level, which needs them), and once
/// more at the end. An error names the file.
pub fn load(vm: &mut Vm, driver: &mut Driver, compile: &mut Compile) -> Result<(), String> {
    for (name, src) in FILES {
        let code = compile(name, src).map_err(|e| format!("{name}: {e}"))?;
        let mut fb = Fiber::new();
        vm.push_toplevel(&mut fb, code);
        match driver.run_main(vm, &mut fb) {
            Outcome::Finished(_) => {}
            Outcome::Threw(e) => {
                return Err(format!("{name}: {}", jlx_vm::natives::io::error_message(vm, &e)))
            }
            Outcome::Deadlock | Outcome::Interrupted => return Err(format!("{name} did not finish loading")),
        }
        vm.refresh();
        if vm.wk.is_none() && vm.base_func("__unpack__").is_some() {
            vm.init_well_known();
        }
    }
    vm.refresh();
    vm.init_well_known();
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_library_file_is_loaded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../stdlib");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .expect("stdlib dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".jlx"))
            .map(|n| format!("stdlib/{n}"))
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = super::FILES.iter().map(|(n, _)| n.to_string()).collect();
        listed.sort();
        assert_eq!(on_disk, listed, "stdlib/*.jlx and jlx_runtime::stdlib::FILES differ");
    }
}
