//! Loaded code: a [`Proto`] with its constants turned into [`Value`]s and
//! its nested prototypes loaded too. Loaded code lives for the whole
//! process (`&'static`), as Julia never frees compiled code; frames then
//! hold a plain reference and calls touch no reference count.

use crate::value::Value;
use jlx_bytecode::{Const, Proto};
use std::sync::Arc;

#[derive(Debug)]
pub struct Code {
    pub proto: Arc<Proto>,
    pub consts: Box<[Value]>,
    pub children: Box<[&'static Code]>,
}

fn const_value(c: &Const) -> Value {
    match c {
        Const::Int(i) => Value::Int(*i),
        Const::Float(f) => Value::Float(*f),
        Const::Str(s) => Value::str(s.to_string()),
        Const::Char(c) => Value::Char(*c),
        Const::Sym(s) => Value::Sym(*s),
        Const::Syms(ss) => Value::tuple(ss.iter().map(|s| Value::Sym(*s)).collect()),
    }
}

/// Load a prototype (and its children) for execution.
pub fn load(proto: &Arc<Proto>) -> &'static Code {
    let consts = proto.consts.iter().map(const_value).collect();
    let children = proto.protos.iter().map(load).collect();
    Box::leak(Box::new(Code { proto: proto.clone(), consts, children }))
}
