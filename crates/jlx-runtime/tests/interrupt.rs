//! Ctrl-C reaches every kind of loop. With an interrupt already pending
//! when a program starts (as if Ctrl-C came at once), the first loop
//! safepoint must throw `InterruptException` into it: for each loop shape
//! (a `while`, a `for` over a range, a vector, a string, an `enumerate`, a
//! user iterator, a channel, a comprehension; at top level and inside a
//! function) the body runs at most once and the loop never finishes.
//! One test, so nothing else in this process touches the global flag; a
//! watchdog ends the process if a loop is not interrupted (it would run
//! for hours), so the test is bounded in time.

use jlx_bytecode::ModId;
use jlx_runtime::{Driver, Outcome};
use jlx_vm::{natives, Runtime, RuntimeOptions, Vm};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;
use common::{load_stdlib, run};

/// The loops: (what, the loop; `n[] += 1` in its body counts iterations).
/// Each would run for a long time (or forever) if not interrupted.
const LOOPS: &[(&str, &str)] = &[
    ("while true", "while true; n[] += 1; end"),
    ("for over a range", "for i in 1:10^12; n[] += 1; end"),
    ("for over a step range", "for i in 1:2:10^12; n[] += 1; end"),
    ("for over a vector", "for x in big; n[] += 1; end"),
    ("for over a string", "for c in text; n[] += 1; end"),
    ("for over enumerate", "for (i, x) in enumerate(big); n[] += 1; end"),
    ("for over a user iterator", "for x in Forever(); n[] += 1; end"),
    ("for over a channel", "for x in ch; n[] += 1; end"),
    ("nested for", "for i in 1:10^6, j in 1:10^6; n[] += 1; end"),
    ("comprehension", "[(n[] += 1) for i in 1:10^12]"),
];

#[test]
fn a_pending_interrupt_stops_every_loop_at_its_first_step() {
    let rt = Runtime::new(RuntimeOptions::default());
    natives::register_all(&rt);
    let mut vm = Vm::new(rt.clone());
    let mut driver = Driver::new().expect("event loop");
    load_stdlib(&rt, &mut vm, &mut driver);
    let setup = "
        const n = Ref(0)
        const big = collect(1:10^6)
        const text = repeat(\"ab\", 10^6)
        struct Forever end
        Base.iterate(::Forever, s = 0) = (s, s + 1)
        const ch = Channel{Int}(10^4)
        for i in 1:10^4; put!(ch, i); end
    ";
    let out = run(&rt, &mut vm, &mut driver, "setup.jlx", setup, ModId::MAIN);
    assert!(matches!(out, Outcome::Finished(_)), "setup failed");
    // The loop being probed; `None` once all are done.
    let current = Arc::new(Mutex::new(Some(String::from("setup"))));
    {
        let current = current.clone();
        std::thread::spawn(move || {
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(60) {
                std::thread::sleep(Duration::from_millis(100));
                if current.lock().unwrap().is_none() {
                    return;
                }
            }
            // Straight to the stream: the test harness's capture would
            // lose the message when the process exits.
            let msg = format!("timed out: {:?} was not interrupted\n", current.lock().unwrap());
            let _ = std::io::Write::write_all(&mut std::io::stderr(), msg.as_bytes());
            std::process::exit(101);
        });
    }
    for (what, body) in LOOPS {
        for in_function in [false, true] {
            *current.lock().unwrap() = Some(format!("{what} (in a function: {in_function})"));
            let code = if in_function {
                format!("function probe(); {body}; end; probe()")
            } else {
                body.to_string()
            };
            let src = format!(
                "n[] = 0
                 r = try
                     {code}
                     :finished
                 catch e
                     e
                 end
                 (r, n[])"
            );
            jlx_vm::interrupt::request();
            let out = run(&rt, &mut vm, &mut driver, "loop.jlx", &src, ModId::MAIN);
            let where_ = if in_function { "in a function" } else { "at top level" };
            let Outcome::Finished(v) = out else { panic!("{what} {where_}: the program failed") };
            let shown = jlx_vm::show::repr(&vm, &v);
            // (A `while` in a function tests at the bottom: its first
            // back edge comes before the body ran.)
            assert!(
                shown == "(InterruptException(), 1)" || shown == "(InterruptException(), 0)",
                "{what} {where_}: {shown}"
            );
            assert!(!jlx_vm::interrupt::take(), "{what} {where_}: the interrupt was not taken");
        }
    }
    *current.lock().unwrap() = None;
}
