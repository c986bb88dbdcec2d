//! A task switch must not allocate: two tasks yielding to each other N
//! times allocate the same (small, constant) amount whatever N is. Counted
//! with a global allocator wrapper around the system allocator.

use jlx_bytecode::ModId;
use jlx_runtime::{Driver, Outcome};
use jlx_vm::{natives, Runtime, RuntimeOptions, Vm};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call unchanged to the system allocator, which
// upholds the `GlobalAlloc` contract; the counter has no effect on memory.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same layout contract as our caller's.
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        // SAFETY: `p` came from `System.alloc` with layout `l`.
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: `p` came from `System` with layout `l`.
        unsafe { System.realloc(p, l, n) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

mod common;

fn run(rt: &Runtime, vm: &mut Vm, driver: &mut Driver, name: &str, src: &str, module: ModId) {
    let out = common::run(rt, vm, driver, name, src, module);
    assert!(matches!(out, Outcome::Finished(_)), "{name} failed");
}

/// Allocations made by `n` rounds of two tasks yielding to each other.
fn allocations_for(rt: &Runtime, vm: &mut Vm, driver: &mut Driver, n: usize) -> usize {
    let src = format!(
        "let t = @async for i in 1:{n}; yield(); end
             for i in 1:{n}; yield(); end
             wait(t)
         end"
    );
    let before = ALLOCS.load(Ordering::Relaxed);
    run(rt, vm, driver, "switch.jlx", &src, ModId::MAIN);
    ALLOCS.load(Ordering::Relaxed) - before
}

#[test]
fn task_switch_does_not_allocate() {
    let rt = Runtime::new(RuntimeOptions::default());
    natives::register_all(&rt);
    let mut vm = Vm::new(rt.clone());
    let mut driver = Driver::new().expect("event loop");
    common::load_stdlib(&rt, &mut vm, &mut driver);
    // Warm up (fiber pool, queue capacity), then compare a short and a long run.
    allocations_for(&rt, &mut vm, &mut driver, 1000);
    let short = allocations_for(&rt, &mut vm, &mut driver, 100);
    let long = allocations_for(&rt, &mut vm, &mut driver, 20_000);
    assert!(long <= short + 16, "{short} allocations for 200 switches, {long} for 40000");
}
