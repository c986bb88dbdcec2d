//! Multiple dispatch: choosing the method of a generic function for given
//! arguments, and ordering method tables by specificity.
//!
//! Invariant: method tables are kept sorted so the first applicable method
//! is a most specific one; native fallbacks (`Any...`) come last.

use crate::runtime::{Method, World};
use crate::types::JType;
use crate::value::Value;

/// Does `m` accept these positional arguments?
#[inline]
pub fn applicable(w: &World, m: &Method, args: &[Value]) -> bool {
    if m.simple {
        return m.sig.len() == args.len();
    }
    let n = m.sig.len();
    if m.vararg {
        if args.len() + 1 < n {
            return false;
        }
        for (i, a) in args.iter().enumerate() {
            let t = &m.sig[i.min(n - 1)];
            if !t.is_any() && !w.isa(a, t) {
                return false;
            }
        }
        true
    } else {
        if args.len() != n {
            return false;
        }
        if !args.iter().zip(m.sig.iter()).all(|(a, t)| t.is_any() || w.isa(a, t)) {
            return false;
        }
        diagonal_ok(w, &m.sig, args)
    }
}

/// `f(a::T, b::T) where T`: every parameter declared as the same bare type
/// variable must get an argument of the same concrete type.
fn diagonal_ok(w: &World, sig: &[JType], args: &[Value]) -> bool {
    if !sig.iter().any(|t| matches!(t, JType::Var(_))) {
        return true;
    }
    let mut seen: Vec<(jlx_base::Sym, JType)> = Vec::new();
    for (t, a) in sig.iter().zip(args) {
        if let JType::Var(tv) = t {
            let at = w.typeof_(a);
            match seen.iter().find(|(n, _)| *n == tv.name) {
                Some((_, bound)) if *bound != at => return false,
                Some(_) => {}
                None => seen.push((tv.name, at)),
            }
        }
    }
    true
}

/// The first applicable method.
#[inline]
pub fn select<'a>(w: &World, methods: &'a [Method], args: &[Value]) -> Option<&'a Method> {
    methods.iter().find(|m| applicable(w, m, args))
}

/// Is `a` strictly more specific than `b`?
pub fn more_specific(w: &World, a: &Method, b: &Method) -> bool {
    if a.vararg != b.vararg {
        // A fixed-arity method beats a vararg one it overlaps with.
        return !a.vararg && a.sig.len() + 1 >= b.sig.len();
    }
    if a.sig.len() != b.sig.len() {
        return false;
    }
    let all_sub = a.sig.iter().zip(b.sig.iter()).all(|(x, y)| w.subtype(x, y));
    let some_strict = a.sig.iter().zip(b.sig.iter()).any(|(x, y)| !w.subtype(y, x));
    all_sub && some_strict
}
