//! A compact S-expression rendering of the AST, e.g. `1 + 2 * 3` is
//! `(call + 1 (call * 2 3))`. Used by the parser tests and handy for debugging.
//!
//! Invariant: the rendering is deterministic and ignores spans.

use crate::ast::*;
use std::fmt::Write;

/// Renders one expression.
pub fn to_sexp(e: &Expr) -> String {
    let mut s = String::new();
    expr(&mut s, e);
    s
}

/// Renders a whole program, one top-level expression per line.
pub fn program_sexp(p: &Program) -> String {
    p.body.iter().map(to_sexp).collect::<Vec<_>>().join("\n")
}

fn list(out: &mut String, head: &str, items: &[Expr]) {
    out.push('(');
    out.push_str(head);
    for i in items {
        out.push(' ');
        expr(out, i);
    }
    out.push(')');
}

fn arg(out: &mut String, a: &Arg) {
    match a {
        Arg::Pos(e) => expr(out, e),
        Arg::Splat(e) => {
            out.push_str("(... ");
            expr(out, e);
            out.push(')');
        }
    }
}

fn args(out: &mut String, v: &[Arg]) {
    for a in v {
        out.push(' ');
        arg(out, a);
    }
}

fn specs(out: &mut String, specs: &[ForSpec], cond: &Option<Box<Expr>>) {
    for s in specs {
        out.push_str(" (in ");
        expr(out, &s.pattern);
        out.push(' ');
        expr(out, &s.iter);
        out.push(')');
    }
    if let Some(c) = cond {
        out.push_str(" (if ");
        expr(out, c);
        out.push(')');
    }
}

fn param(out: &mut String, p: &Param) {
    let mut inner = match (&p.name, &p.destructure) {
        (Some(n), _) => n.clone(),
        (None, Some(names)) => format!("(tuple {})", names.join(" ")),
        (None, None) => String::new(),
    };
    if let Some(t) = &p.ty {
        inner = if inner.is_empty() {
            format!("(:: {})", to_sexp(t))
        } else {
            format!("(:: {inner} {})", to_sexp(t))
        };
    }
    if p.splat {
        inner = format!("(... {inner})");
    }
    if let Some(d) = &p.default {
        inner = format!("(= {inner} {})", to_sexp(d));
    }
    out.push_str(&inner);
}

fn tparams(out: &mut String, ps: &[(Name, Option<Expr>)]) {
    for (n, b) in ps {
        out.push(' ');
        match b {
            None => out.push_str(n),
            Some(b) => {
                let _ = write!(out, "(<: {n} {})", to_sexp(b));
            }
        }
    }
}

fn function(out: &mut String, head: &str, f: &Function) {
    out.push('(');
    out.push_str(head);
    match &f.name {
        FuncName::Plain(n) => {
            out.push(' ');
            out.push_str(n);
        }
        FuncName::Qualified(path, n) => {
            let _ = write!(out, " {}.{}", path.join("."), n);
        }
        FuncName::Anonymous => {}
    }
    out.push_str(" (");
    for (i, p) in f.params.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        param(out, p);
    }
    if !f.kwparams.is_empty() {
        out.push_str(" ;");
        for p in &f.kwparams {
            out.push(' ');
            param(out, p);
        }
    }
    out.push(')');
    if let Some(t) = &f.ret_type {
        out.push_str(" (ret ");
        expr(out, t);
        out.push(')');
    }
    if !f.where_params.is_empty() {
        out.push_str(" (where");
        tparams(out, &f.where_params);
        out.push(')');
    }
    if let Some(d) = &f.doc {
        let _ = write!(out, " (doc {d:?})");
    }
    out.push(' ');
    expr(out, &f.body);
    out.push(')');
}

fn expr(out: &mut String, e: &Expr) {
    match &e.kind {
        ExprKind::Int(v) => {
            let _ = write!(out, "{v}");
        }
        ExprKind::Float(v) => {
            let _ = write!(out, "{v:?}");
        }
        ExprKind::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        ExprKind::Char(c) => {
            let _ = write!(out, "{c:?}");
        }
        ExprKind::Str(s) => {
            let _ = write!(out, "{s:?}");
        }
        ExprKind::Interp(parts) => {
            out.push_str("(string");
            for p in parts {
                out.push(' ');
                match p {
                    InterpPart::Lit(s) => {
                        let _ = write!(out, "{s:?}");
                    }
                    InterpPart::Expr(x) => expr(out, x),
                }
            }
            out.push(')');
        }
        ExprKind::Symbol(s) => {
            let _ = write!(out, ":{s}");
        }
        ExprKind::StrMacro(n, t) => {
            let _ = write!(out, "(strmacro {n} {t:?})");
        }
        ExprKind::Ident(n) => out.push_str(n),
        ExprKind::Field(a, n) => {
            out.push_str("(. ");
            expr(out, a);
            let _ = write!(out, " {n})");
        }
        ExprKind::Index(a, v) => {
            out.push_str("(ref ");
            expr(out, a);
            args(out, v);
            out.push(')');
        }
        ExprKind::IndexEnd => out.push_str("end"),
        ExprKind::IndexBegin => out.push_str("begin"),
        ExprKind::Curly(a, v) => {
            out.push_str("(curly ");
            expr(out, a);
            for x in v {
                out.push(' ');
                expr(out, x);
            }
            out.push(')');
        }
        ExprKind::Colon => out.push(':'),
        ExprKind::Call { func, args: a, kwargs } => {
            out.push_str("(call ");
            expr(out, func);
            args(out, a);
            for k in kwargs {
                match k {
                    Kwarg::Named(n, v, _) => {
                        let _ = write!(out, " (kw {n} {})", to_sexp(v));
                    }
                    Kwarg::Splat(v) => {
                        let _ = write!(out, " (kw... {})", to_sexp(v));
                    }
                }
            }
            out.push(')');
        }
        ExprKind::DotCall { func, args: a } => {
            out.push_str("(.call ");
            expr(out, func);
            args(out, a);
            out.push(')');
        }
        ExprKind::DoBlock { call, func } => {
            out.push_str("(do ");
            expr(out, call);
            out.push(' ');
            function(out, "->", func);
            out.push(')');
        }
        ExprKind::Macro { path, name, args: a } => {
            let mut head = String::from("macro @");
            for p in path {
                head.push_str(p);
                head.push('.');
            }
            head.push_str(name);
            list(out, &head, a);
        }
        ExprKind::Interpolate(x) => list(out, "$", std::slice::from_ref(x)),
        ExprKind::Comparison(ops, names) => {
            out.push_str("(comparison ");
            for (i, o) in ops.iter().enumerate() {
                if i > 0 {
                    let _ = write!(out, " {} ", names.get(i - 1).map_or("?", |s| s.as_str()));
                }
                expr(out, o);
            }
            out.push(')');
        }
        ExprKind::And(a, b) => list(out, "&&", &[(**a).clone(), (**b).clone()]),
        ExprKind::Or(a, b) => list(out, "||", &[(**a).clone(), (**b).clone()]),
        ExprKind::TypeAssert(a, b) => list(out, "::", &[(**a).clone(), (**b).clone()]),
        ExprKind::Tuple(v) => {
            out.push_str("(tuple");
            args(out, v);
            out.push(')');
        }
        ExprKind::NamedTuple(fields) => {
            out.push_str("(namedtuple");
            for (n, v) in fields {
                let _ = write!(out, " (= {n} {})", to_sexp(v));
            }
            out.push(')');
        }
        ExprKind::Vect(v) => {
            out.push_str("(vect");
            args(out, v);
            out.push(')');
        }
        ExprKind::Hcat(v) => list(out, "hcat", v),
        ExprKind::Vcat(rows) => {
            out.push_str("(vcat");
            for r in rows {
                out.push(' ');
                list(out, "row", r);
            }
            out.push(')');
        }
        ExprKind::TypedVect(t, v) => {
            out.push_str("(typed_vect ");
            expr(out, t);
            args(out, v);
            out.push(')');
        }
        ExprKind::TypedVcat(t, rows) => {
            out.push_str("(typed_vcat ");
            expr(out, t);
            for r in rows {
                out.push(' ');
                list(out, "row", r);
            }
            out.push(')');
        }
        ExprKind::Comprehension { body, specs: s, cond } => {
            out.push_str("(comprehension ");
            expr(out, body);
            specs(out, s, cond);
            out.push(')');
        }
        ExprKind::TypedComprehension { ty, body, specs: s, cond } => {
            out.push_str("(typed_comprehension ");
            expr(out, ty);
            out.push(' ');
            expr(out, body);
            specs(out, s, cond);
            out.push(')');
        }
        ExprKind::Generator { body, specs: s, cond } => {
            out.push_str("(generator ");
            expr(out, body);
            specs(out, s, cond);
            out.push(')');
        }
        ExprKind::Assign(a, b) => list(out, "=", &[(**a).clone(), (**b).clone()]),
        ExprKind::OpAssign(op, a, b) => list(out, &format!("{op}="), &[(**a).clone(), (**b).clone()]),
        ExprKind::DotAssign(a, b) => list(out, ".=", &[(**a).clone(), (**b).clone()]),
        ExprKind::Block(v) => list(out, "block", v),
        ExprKind::If { cond, then, else_ } => {
            let mut v = vec![(**cond).clone(), (**then).clone()];
            if let Some(e) = else_ {
                v.push((**e).clone());
            }
            list(out, "if", &v);
        }
        ExprKind::While { cond, body } => list(out, "while", &[(**cond).clone(), (**body).clone()]),
        ExprKind::For { specs: s, body } => {
            out.push_str("(for");
            specs(out, s, &None);
            out.push(' ');
            expr(out, body);
            out.push(')');
        }
        ExprKind::Let { bindings, body } => {
            out.push_str("(let ");
            list(out, "binds", bindings);
            out.push(' ');
            expr(out, body);
            out.push(')');
        }
        ExprKind::Try { body, catch, else_, finally } => {
            out.push_str("(try ");
            expr(out, body);
            if let Some(c) = catch {
                let _ = write!(out, " (catch {} {})", c.var.as_deref().unwrap_or("_"), to_sexp(&c.body));
            }
            if let Some(e) = else_ {
                let _ = write!(out, " (else {})", to_sexp(e));
            }
            if let Some(f) = finally {
                let _ = write!(out, " (finally {})", to_sexp(f));
            }
            out.push(')');
        }
        ExprKind::Return(v) => match v {
            Some(x) => list(out, "return", std::slice::from_ref(x)),
            None => out.push_str("(return)"),
        },
        ExprKind::Break => out.push_str("break"),
        ExprKind::Continue => out.push_str("continue"),
        ExprKind::Global(v) => list(out, "global", v),
        ExprKind::Local(v) => list(out, "local", v),
        ExprKind::Const(x) => list(out, "const", std::slice::from_ref(x)),
        ExprKind::FunctionDef(f) => function(out, "function", f),
        ExprKind::Lambda(f) => function(out, "->", f),
        ExprKind::MacroDef(f) => function(out, "macro-def", f),
        ExprKind::Struct(s) => {
            out.push_str(if s.mutable { "(mutable-struct " } else { "(struct " });
            out.push_str(&s.name);
            if !s.type_params.is_empty() {
                out.push_str(" (params");
                tparams(out, &s.type_params);
                out.push(')');
            }
            if let Some(t) = &s.supertype {
                let _ = write!(out, " (<: {})", to_sexp(t));
            }
            out.push_str(" (fields");
            for f in &s.fields {
                out.push(' ');
                let mut t = match &f.ty {
                    Some(ty) => format!("(:: {} {})", f.name, to_sexp(ty)),
                    None => f.name.clone(),
                };
                if f.atomic {
                    t = format!("(atomic {t})");
                }
                out.push_str(&t);
            }
            out.push(')');
            for c in &s.constructors {
                out.push(' ');
                function(out, "function", c);
            }
            if let Some(d) = &s.doc {
                let _ = write!(out, " (doc {d:?})");
            }
            out.push(')');
        }
        ExprKind::Abstract { name, type_params, supertype, doc } => {
            let _ = write!(out, "(abstract {name}");
            tparams(out, type_params);
            if let Some(t) = supertype {
                let _ = write!(out, " (<: {})", to_sexp(t));
            }
            if let Some(d) = doc {
                let _ = write!(out, " (doc {d:?})");
            }
            out.push(')');
        }
        ExprKind::Module(n, b) => {
            let _ = write!(out, "(module {n} {})", to_sexp(b));
        }
        ExprKind::Using(p, n) | ExprKind::Import(p, n) => {
            let head = if matches!(e.kind, ExprKind::Using(..)) { "using" } else { "import" };
            let _ = write!(out, "({head} {}", p.join("."));
            if !n.is_empty() {
                let _ = write!(out, " : {}", n.join(" "));
            }
            out.push(')');
        }
        ExprKind::Quote(x) => list(out, "quote", std::slice::from_ref(x)),
    }
}
