//! A jlx session: one runtime, one VM, the embedded standard library
//! (loaded from the image the build script compiles), and the source →
//! tokens → AST → bytecode → VM pipeline for files, `-e` strings and REPL
//! inputs.
//!
//! Invariant: syntax and compile errors come back as `Diagnostic` data;
//! only `diagnostics.rs` renders them.

use jlx_base::{Diagnostic, FileId};
use jlx_bytecode::ModId;
use jlx_compiler::Options;
use jlx_vm::natives;
use jlx_vm::obj::{IoObj, Obj};
use jlx_vm::{Fiber, Runtime, RuntimeOptions, Value, Vm};
use std::sync::Arc;

/// `include` support: parse and compile a file into Main.
struct FileLoader;

impl jlx_vm::runtime::Loader for FileLoader {
    fn load(&self, rt: &Runtime, path: &str, src: &str) -> Result<Arc<jlx_bytecode::Proto>, String> {
        let file = rt.sources.add(path, src);
        let prog = jlx_syntax::parse_program(src, file).map_err(|d| crate::diagnostics::to_text(rt, &d))?;
        let opts = Options { source_name: path.to_string(), module: ModId::MAIN, interactive: false };
        let c = jlx_compiler::compile_program(&prog, file, src, &rt.names, &opts)
            .map_err(|d| crate::diagnostics::to_text(rt, &d))?;
        if !c.warnings.is_empty() {
            crate::diagnostics::render_warnings(rt, &c.warnings);
        }
        Ok(c.proto)
    }
}

pub enum Outcome {
    Value(Value),
    /// Syntax or compile errors (rendered by the caller).
    Diagnostics(Vec<Diagnostic>),
    /// An uncaught exception, already printed to stderr.
    Uncaught,
    /// Ctrl-C ended the run (`jlx_runtime::Sigint::Exit`); the report is
    /// printed to stderr.
    Interrupted,
}

/// The standard library compiled by the build script (`build.rs`), in the
/// format of `jlx_bytecode::image`.
static STDLIB_IMAGE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/stdlib.image"));

/// One library file's loaded code, and whether it came from the image.
pub type LoadedFile = (&'static jlx_vm::code::Code, bool);

/// Where a session's standard library comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(test), allow(dead_code))] // `Source` is for the image's test
pub enum StdlibFrom {
    /// The embedded image, falling back to source from the first file the
    /// image does not hold as it is now.
    Image,
    /// Parse and compile every file at start-up.
    Source,
}

pub struct Session {
    pub rt: Arc<Runtime>,
    pub vm: Vm,
    /// Set by `exit(n)`.
    pub exit_code: Option<i32>,
    /// Runs the main task and every task it starts.
    pub driver: jlx_runtime::Driver,
}

impl Session {
    pub fn new(opts: RuntimeOptions) -> Result<Session, String> {
        Self::with_stdlib(opts, StdlibFrom::Image).map(|(s, _)| s)
    }

    /// A session whose standard library comes from the embedded image or
    /// from source; also returns each library file's loaded code and
    /// whether it came from the image.
    pub fn with_stdlib(opts: RuntimeOptions, from: StdlibFrom) -> Result<(Session, Vec<LoadedFile>), String> {
        let rt = Runtime::new(opts);
        let _ = rt.loader.set(Arc::new(FileLoader));
        natives::register_all(&rt);
        let vm = Vm::new(rt.clone());
        let driver = jlx_runtime::Driver::new().map_err(|e| format!("event loop: {e}"))?;
        let mut s = Session { rt, vm, exit_code: None, driver };
        let rt = s.rt.clone();
        let mut image = match from {
            StdlibFrom::Image => jlx_bytecode::image::Reader::new(STDLIB_IMAGE).ok(),
            StdlibFrom::Source => None,
        };
        let mut loaded = vec![];
        let mut compile = |name: &str, src: &str| {
            let file = rt.sources.add(name, src);
            if let Some(reader) = image.as_mut() {
                match reader.unit(name, src, file, &rt.names) {
                    Ok(proto) => {
                        let code = jlx_vm::code::load(&proto);
                        loaded.push((code, true));
                        return Ok(code);
                    }
                    // Units are loaded in order: once one is missing, the
                    // rest are compiled from source too.
                    Err(_) => image = None,
                }
            }
            let code = compile_file(&rt, file, name, src, ModId::BASE, false)
                .map_err(|d| crate::diagnostics::to_text(&rt, &d))?;
            loaded.push((code, false));
            Ok(code)
        };
        jlx_runtime::stdlib::load(&mut s.vm, &mut s.driver, &mut compile)
            .map_err(|e| format!("stdlib {e}"))?;
        jlx_runtime::start_workers(&s.rt).map_err(|e| format!("worker threads: {e}"))?;
        Ok((s, loaded))
    }

    /// Parse, compile and run one source text in `module`.
    pub fn run_source(&mut self, name: &str, src: &str, module: ModId, interactive: bool) -> Outcome {
        match self.compile(name, src, module, interactive) {
            Ok(code) => self.run_code(code),
            Err(diags) => Outcome::Diagnostics(diags),
        }
    }

    /// Parse and compile one source text (warnings are printed).
    pub fn compile(
        &mut self,
        name: &str,
        src: &str,
        module: ModId,
        interactive: bool,
    ) -> Result<&'static jlx_vm::code::Code, Vec<Diagnostic>> {
        compile_source(&self.rt, name, src, module, interactive)
    }

    /// Compile some top-level statements of an already parsed source
    /// (`file`, whose text is `src`) as one unit (warnings are printed).
    pub fn compile_items(
        &mut self,
        file: FileId,
        src: &str,
        name: &str,
        items: &[jlx_syntax::ast::Expr],
        module: ModId,
    ) -> Result<&'static jlx_vm::code::Code, Vec<Diagnostic>> {
        let prog = jlx_syntax::ast::Program { body: items.to_vec() };
        let opts = Options { source_name: name.to_string(), module, interactive: false };
        let compiled = jlx_compiler::compile_program(&prog, file, src, &self.rt.names, &opts)?;
        if !compiled.warnings.is_empty() {
            crate::diagnostics::render_warnings(&self.rt, &compiled.warnings);
        }
        Ok(jlx_vm::code::load(&compiled.proto))
    }

    /// Run compiled top-level code in the main task.
    pub fn run_code(&mut self, code: &'static jlx_vm::code::Code) -> Outcome {
        let mut fb = Fiber::new();
        self.vm.push_toplevel(&mut fb, code);
        match self.driver.run_main(&mut self.vm, &mut fb) {
            jlx_runtime::Outcome::Finished(v) => Outcome::Value(v),
            jlx_runtime::Outcome::Threw(e) => {
                self.report_uncaught(&e, &fb);
                Outcome::Uncaught
            }
            jlx_runtime::Outcome::Deadlock => Outcome::Uncaught,
            jlx_runtime::Outcome::Interrupted => {
                let text = self.interrupt_report(&mut fb);
                natives::io::flush_stdout(&mut self.vm);
                eprint_quietly(&text);
                Outcome::Interrupted
            }
        }
    }

    /// What Julia prints when Ctrl-C ends a non-interactive `julia FILE`
    /// (its `exit_on_sigint`): the signal, the top-level expression that
    /// was running, then the frames of the main task, innermost first
    /// (Julia lists native frames there; jlx lists its own).
    pub fn interrupt_report(&self, fb: &mut Fiber) -> String {
        fb.capture_backtrace();
        let place = |code: &jlx_vm::code::Code, pc: u32| {
            let span = code.proto.span_at(pc as usize);
            let f = self.rt.sources.get(span.file);
            format!("{}:{}", absolute(&f.name), f.line_of(span.start))
        };
        let mut out = format!("\n[{}] signal 2: Interrupt\n", std::process::id());
        // The top-level expression running in the innermost top-level
        // frame (an `include`d file's, else the program's), by the line it
        // starts on, as Julia's `jl_lineno`.
        if let Some((code, pc)) =
            fb.backtrace.iter().find(|(c, _)| c.proto.name.as_str() == "top-level scope")
        {
            let span = code.proto.span_at(*pc as usize);
            let f = self.rt.sources.get(span.file);
            let start = jlx_syntax::parse_program(&f.text, span.file)
                .ok()
                .and_then(|p| {
                    p.body
                        .iter()
                        .find(|e| e.span.start <= span.start && span.start < e.span.end)
                        .map(|e| e.span.start)
                })
                .unwrap_or(span.start);
            out.push_str(&format!("in expression starting at {}:{}\n", absolute(&f.name), f.line_of(start)));
        }
        for (code, pc) in &fb.backtrace {
            out.push_str(&format!("{} at {}\n", code.proto.name.as_str(), place(code, *pc)));
        }
        out
    }

    /// Disassemble a source without running it.
    pub fn disassemble(&mut self, name: &str, src: &str) -> Result<String, (FileId, Vec<Diagnostic>)> {
        let file = self.rt.sources.add(name, src);
        let prog = jlx_syntax::parse_program(src, file).map_err(|d| (file, d))?;
        let opts = Options { source_name: name.to_string(), module: ModId::MAIN, interactive: false };
        let c =
            jlx_compiler::compile_program(&prog, file, src, &self.rt.names, &opts).map_err(|d| (file, d))?;
        Ok(jlx_bytecode::disasm::disassemble(&c.proto))
    }

    /// The text of `showerror(e)`, using user methods when there are any.
    pub fn error_text(&mut self, e: &Value) -> String {
        let io = Value::obj(Obj::Io(IoObj::Buffer(Default::default())));
        if let Some(f) = self.vm.base_func("showerror") {
            if self.vm.call_value(Value::Func(f), vec![io.clone(), e.clone()], None).is_ok() {
                if let Value::Obj(o) = &io {
                    if let Obj::Io(IoObj::Buffer(b)) = &**o {
                        return String::from_utf8_lossy(&b.lock().data).into_owned();
                    }
                }
            }
        }
        natives::io::error_message(&self.vm, e)
    }

    /// Print `ERROR: ...` and the jlx stack trace to stderr, then, as Julia's
    /// `show_exception_stack`, each exception it was thrown while handling
    /// (`caused by: ...`), newest first.
    pub fn report_uncaught(&mut self, e: &Value, fb: &Fiber) {
        let msg = self.error_text(e);
        // (A native called from outside any jlx frame, as `-E`'s `show`
        // of a builtin value, leaves no frame to list.)
        let trace = if fb.backtrace.is_empty() {
            String::new()
        } else {
            jlx_vm::errors::format_stacktrace(&self.rt, &fb.backtrace)
        };
        let mut out = format!("ERROR: {msg}\n{trace}");
        let mut causes = fb.excstack.as_slice();
        if let Some((top, rest)) = causes.split_last() {
            if top.exc.egal(e) {
                causes = rest;
            }
        }
        for c in causes.iter().rev() {
            let text = self.error_text(&c.exc);
            out.push_str(&format!(
                "\ncaused by: {text}\n{}",
                jlx_vm::errors::format_stacktrace(&self.rt, &c.bt)
            ));
        }
        natives::io::flush_stdout(&mut self.vm);
        eprint_quietly(&out);
    }

    /// Bind `ARGS` and `PROGRAM_FILE` in Main.
    pub fn set_program_globals(&mut self, file: &str, args: &[String]) {
        let items: Vec<Value> = args.iter().map(|a| Value::str(a.clone())).collect();
        let arr = jlx_vm::arrays::vector_from_values(
            &self.vm.world,
            items,
            Some(jlx_vm::types::JType::data(jlx_vm::types::tid::STRING)),
        );
        let g = self.rt.global(ModId::BASE, "ARGS");
        let _ = self.rt.set_const(g, arr);
        let g = self.rt.global(ModId::BASE, "PROGRAM_FILE");
        let _ = self.rt.set_const(g, Value::str(file));
        self.vm.refresh();
    }

    /// `-E`: print the value with `show` (user methods included) and a
    /// newline, as Julia's `-E` does. Returns false if `show` threw (the
    /// error is printed).
    pub fn show_value(&mut self, v: &Value) -> bool {
        let Some(show) = self.vm.base_func("show") else {
            print_quietly(&format!("{}\n", jlx_vm::show::repr(&self.vm, v)));
            return true;
        };
        match self.vm.call_value(Value::Func(show), vec![v.clone()], None) {
            Ok(_) => {
                let nl = Value::obj(Obj::Io(IoObj::Stdout));
                let _ = natives::io::write_io(&mut self.vm, &nl, "\n");
                true
            }
            Err((e, fb)) => {
                self.report_uncaught(&e, &fb);
                false
            }
        }
    }

    pub fn flush(&mut self) {
        natives::io::flush_stdout(&mut self.vm);
    }
}

/// Parse and compile one source text named `name` into `module` (warnings
/// are printed).
fn compile_source(
    rt: &Runtime,
    name: &str,
    src: &str,
    module: ModId,
    interactive: bool,
) -> Result<&'static jlx_vm::code::Code, Vec<Diagnostic>> {
    let file = rt.sources.add(name, src);
    compile_file(rt, file, name, src, module, interactive)
}

/// Parse and compile `src`, already registered as `file`.
fn compile_file(
    rt: &Runtime,
    file: FileId,
    name: &str,
    src: &str,
    module: ModId,
    interactive: bool,
) -> Result<&'static jlx_vm::code::Code, Vec<Diagnostic>> {
    let prog = jlx_syntax::parse_program(src, file)?;
    let opts = Options { source_name: name.to_string(), module, interactive };
    let compiled = jlx_compiler::compile_program(&prog, file, src, &rt.names, &opts)?;
    if !compiled.warnings.is_empty() {
        crate::diagnostics::render_warnings(rt, &compiled.warnings);
    }
    Ok(jlx_vm::code::load(&compiled.proto))
}

/// `path` made absolute against the working directory, as Julia names an
/// included file (library files keep their `stdlib/` names).
fn absolute(path: &str) -> String {
    if path.starts_with("stdlib/") || path == "none" || path == "stdin" {
        return path.to_string();
    }
    std::path::absolute(path).map_or_else(|_| path.to_string(), |p| p.display().to_string())
}

/// Write to stderr, ignoring a closed stream (never panics).
pub fn eprint_quietly(text: &str) {
    use std::io::Write;
    let mut e = std::io::stderr().lock();
    let _ = e.write_all(text.as_bytes());
    let _ = e.flush();
}

/// Write to stdout, ignoring a closed stream (never panics).
pub fn print_quietly(text: &str) {
    use std::io::Write;
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(text.as_bytes());
    let _ = o.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded image is current and loads exactly what compiling the
    /// library from source at start-up gives: the same prototypes (ops,
    /// constants, spans, names) and the same global table.
    #[test]
    fn stdlib_image_equals_the_library_compiled_from_source() {
        let (img, from_image) = Session::with_stdlib(Default::default(), StdlibFrom::Image).expect("session");
        let (src, from_source) =
            Session::with_stdlib(Default::default(), StdlibFrom::Source).expect("session");
        assert_eq!(from_image.len(), jlx_runtime::stdlib::FILES.len());
        assert!(from_image.iter().all(|(_, im)| *im), "a library file was not loaded from the image");
        assert!(from_source.iter().all(|(_, im)| !*im));
        for ((a, _), (b, _)) in from_image.iter().zip(&from_source) {
            assert_eq!(format!("{:?}", a.proto), format!("{:?}", b.proto));
        }
        let table = |s: &Session| {
            let names = &s.rt.names;
            (0..names.len() as u32).map(|i| names.name_of(jlx_bytecode::GlobalId(i))).collect::<Vec<_>>()
        };
        assert_eq!(table(&img), table(&src));
    }
}
