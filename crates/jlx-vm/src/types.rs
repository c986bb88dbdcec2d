//! Julia's type lattice as jlx models it: [`JType`] values (concrete,
//! abstract, parametric, tuple, union, type variables), the type table
//! ([`TypeDef`] per nominal type) and the subtype relation used by `isa`
//! and method dispatch.
//!
//! Invariants: builtin types have the fixed ids in [`tid`], registered in
//! that order by [`builtin_typedefs`]; user types are appended after them.
//! A nominal type with no parameters written (`Vector` alone) is a
//! `UnionAll`: it matches every instance.

use jlx_base::Sym;
use jlx_bytecode::ModId;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub u32);

/// A type variable from `where T<:Bound` or a struct's parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeVar {
    pub name: Sym,
    pub ub: JType,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TParam {
    Type(JType),
    Int(i64),
}

#[derive(Clone, Debug, PartialEq)]
pub enum JType {
    /// `Union{}`
    Bottom,
    /// A nominal type with its parameters (empty = no parameters / UnionAll).
    Data(TypeId, Arc<[TParam]>),
    Tuple(Arc<[JType]>),
    NamedTuple(Arc<[Sym]>, Arc<[JType]>),
    Union(Arc<[JType]>),
    Var(Arc<TypeVar>),
    /// `Type{T}`
    TypeOf(Arc<JType>),
    /// The type of a generic function `f` (`typeof(f)`).
    Function(crate::value::FuncId),
}

/// The empty parameter list, shared per thread so that `JType::data`, plain
/// struct instances and `Pair`s do not allocate one each.
#[inline]
pub fn no_params() -> Arc<[TParam]> {
    thread_local! {
        static EMPTY: Arc<[TParam]> = Arc::from(Vec::new());
    }
    EMPTY.with(Arc::clone)
}

impl JType {
    pub fn data(id: TypeId) -> JType {
        JType::Data(id, no_params())
    }

    pub fn with(id: TypeId, params: Vec<TParam>) -> JType {
        JType::Data(id, params.into())
    }

    pub fn any() -> JType {
        JType::data(tid::ANY)
    }

    pub fn is_any(&self) -> bool {
        matches!(self, JType::Data(id, p) if *id == tid::ANY && p.is_empty())
    }

    pub fn vector(elt: JType) -> JType {
        JType::with(tid::ARRAY, vec![TParam::Type(elt), TParam::Int(1)])
    }

    pub fn array(elt: JType, n: usize) -> JType {
        JType::with(tid::ARRAY, vec![TParam::Type(elt), TParam::Int(n as i64)])
    }

    /// The nominal id, if this is a `Data` type.
    pub fn id(&self) -> Option<TypeId> {
        match self {
            JType::Data(id, _) => Some(*id),
            _ => None,
        }
    }

    pub fn param(&self, i: usize) -> Option<&JType> {
        match self {
            JType::Data(_, ps) => match ps.get(i) {
                Some(TParam::Type(t)) => Some(t),
                _ => None,
            },
            _ => None,
        }
    }

    /// Does the type mention a free type variable?
    pub fn has_vars(&self) -> bool {
        match self {
            JType::Var(_) => true,
            JType::Data(_, ps) => ps.iter().any(|p| matches!(p, TParam::Type(t) if t.has_vars())),
            JType::Tuple(ts) | JType::Union(ts) => ts.iter().any(|t| t.has_vars()),
            JType::NamedTuple(_, ts) => ts.iter().any(|t| t.has_vars()),
            JType::TypeOf(t) => t.has_vars(),
            _ => false,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    Abstract,
    /// Built-in concrete type implemented in Rust.
    Builtin,
    /// A struct (user-defined or a built-in exception).
    Struct {
        fields: Vec<Sym>,
        field_types: Vec<JType>,
        mutable: bool,
        /// Which fields are declared `@atomic` (empty: none is).
        atomic: Vec<bool>,
    },
}

#[derive(Clone, Debug)]
pub struct TypeDef {
    pub name: Sym,
    pub module: ModId,
    pub supertype: TypeId,
    pub kind: TypeKind,
    /// Type parameter names (`T`, `N`).
    pub params: Vec<Sym>,
    /// Constructor methods (inner and outer constructors).
    pub ctor: Option<crate::value::FuncId>,
    /// Inner constructors replace the default constructor.
    pub inner_ctors: bool,
}

impl TypeDef {
    pub fn is_abstract(&self) -> bool {
        matches!(self.kind, TypeKind::Abstract)
    }

    pub fn fields(&self) -> &[Sym] {
        match &self.kind {
            TypeKind::Struct { fields, .. } => fields,
            _ => &[],
        }
    }

    pub fn is_mutable(&self) -> bool {
        matches!(self.kind, TypeKind::Struct { mutable: true, .. })
    }
}

macro_rules! builtin_types {
    ($( $id:ident = $n:expr, $name:expr, $sup:ident, $kind:ident, [$($p:expr),*] ; )*) => {
        /// Fixed ids of the built-in types.
        pub mod tid {
            use super::TypeId;
            $( pub const $id: TypeId = TypeId($n); )*
            pub const COUNT: u32 = [$($n),*].len() as u32;
        }

        /// The built-in type table, in id order.
        pub fn builtin_typedefs() -> Vec<TypeDef> {
            let mut v = Vec::new();
            $(
                debug_assert_eq!(v.len() as u32, $n);
                v.push(TypeDef {
                    name: Sym::new($name),
                    module: ModId::BASE,
                    supertype: tid::$sup,
                    kind: builtin_types!(@kind $kind),
                    params: vec![$(Sym::new($p)),*],
                    ctor: None,
                    inner_ctors: false,
                });
            )*
            v
        }
    };
    (@kind A) => { TypeKind::Abstract };
    (@kind B) => { TypeKind::Builtin };
}

builtin_types! {
    ANY = 0, "Any", ANY, A, [];
    NOTHING = 1, "Nothing", ANY, B, [];
    NUMBER = 2, "Number", ANY, A, [];
    REAL = 3, "Real", NUMBER, A, [];
    INTEGER = 4, "Integer", REAL, A, [];
    SIGNED = 5, "Signed", INTEGER, A, [];
    INT64 = 6, "Int64", SIGNED, B, [];
    BOOL = 7, "Bool", INTEGER, B, [];
    ABSTRACTFLOAT = 8, "AbstractFloat", REAL, A, [];
    FLOAT64 = 9, "Float64", ABSTRACTFLOAT, B, [];
    ABSTRACTCHAR = 10, "AbstractChar", ANY, A, [];
    CHAR = 11, "Char", ABSTRACTCHAR, B, [];
    ABSTRACTSTRING = 12, "AbstractString", ANY, A, [];
    STRING = 13, "String", ABSTRACTSTRING, B, [];
    SUBSTRING = 14, "SubString", ABSTRACTSTRING, B, ["T"];
    SYMBOL = 15, "Symbol", ANY, B, [];
    FUNCTION = 16, "Function", ANY, A, [];
    TYPE = 17, "Type", ANY, A, ["T"];
    DATATYPE = 18, "DataType", TYPE, B, [];
    UNIONALL = 19, "UnionAll", TYPE, B, [];
    UNION = 20, "Union", TYPE, B, [];
    TUPLE = 21, "Tuple", ANY, B, [];
    NAMEDTUPLE = 22, "NamedTuple", ANY, B, ["names", "T"];
    ABSTRACTARRAY = 23, "AbstractArray", ANY, A, ["T", "N"];
    ARRAY = 24, "Array", ABSTRACTARRAY, B, ["T", "N"];
    ABSTRACTRANGE = 25, "AbstractRange", ABSTRACTARRAY, A, ["T"];
    UNITRANGE = 26, "UnitRange", ABSTRACTRANGE, B, ["T"];
    STEPRANGE = 27, "StepRange", ABSTRACTRANGE, B, ["T", "S"];
    STEPRANGELEN = 28, "StepRangeLen", ABSTRACTRANGE, B, ["T", "R", "S", "L"];
    ABSTRACTDICT = 29, "AbstractDict", ANY, A, ["K", "V"];
    DICT = 30, "Dict", ABSTRACTDICT, B, ["K", "V"];
    ABSTRACTSET = 31, "AbstractSet", ANY, A, ["T"];
    SET = 32, "Set", ABSTRACTSET, B, ["T"];
    PAIR = 33, "Pair", ANY, B, ["A", "B"];
    EXCEPTION = 34, "Exception", ANY, A, [];
    IO = 35, "IO", ANY, A, [];
    IOBUFFER = 36, "IOBuffer", IO, B, [];
    IOSTREAM = 37, "IOStream", IO, B, [];
    MODULE = 38, "Module", ANY, B, [];
    REF = 39, "Ref", ANY, A, ["T"];
    REFVALUE = 40, "RefValue", REF, B, ["T"];
    SOME = 41, "Some", ANY, B, ["T"];
    COLON = 42, "Colon", ANY, B, [];
    TASK = 43, "Task", ANY, B, [];
    ABSTRACTCHANNEL = 44, "AbstractChannel", ANY, A, ["T"];
    CONDITION = 45, "Condition", ANY, B, [];
    REGEX = 46, "Regex", ANY, B, [];
    TYPEVAR = 47, "TypeVar", ANY, B, [];
    CELL = 48, "Core.Box", ANY, B, [];
    HOLE = 49, "Hole", ANY, B, [];
    GENERATOR = 50, "Generator", ANY, B, [];
    ENUMERATE = 51, "Enumerate", ANY, B, ["I"];
    ZIP = 52, "Zip", ANY, B, ["Is"];
    KEYSET = 53, "KeySet", ABSTRACTSET, B, ["K", "T"];
    VALUEITERATOR = 54, "ValueIterator", ANY, B, ["T"];
    ABSTRACTVECTOR = 55, "AbstractVector", ABSTRACTARRAY, A, ["T"];
    ABSTRACTMATRIX = 56, "AbstractMatrix", ABSTRACTARRAY, A, ["T"];
    ATOMIC = 57, "Atomic", ANY, B, ["T"];
    SPINLOCK = 58, "SpinLock", ANY, B, [];
    LOCKABLE = 59, "Lockable", ANY, B, [];
    // Exceptions (structs; fields set in `exception_fields`).
    ERROREXCEPTION = 60, "ErrorException", EXCEPTION, B, [];
    BOUNDSERROR = 61, "BoundsError", EXCEPTION, B, [];
    DOMAINERROR = 62, "DomainError", EXCEPTION, B, [];
    ARGUMENTERROR = 63, "ArgumentError", EXCEPTION, B, [];
    KEYERROR = 64, "KeyError", EXCEPTION, B, [];
    METHODERROR = 65, "MethodError", EXCEPTION, B, [];
    UNDEFVARERROR = 66, "UndefVarError", EXCEPTION, B, [];
    DIVIDEERROR = 67, "DivideError", EXCEPTION, B, [];
    INEXACTERROR = 68, "InexactError", EXCEPTION, B, [];
    OVERFLOWERROR = 69, "OverflowError", EXCEPTION, B, [];
    STACKOVERFLOWERROR = 70, "StackOverflowError", EXCEPTION, B, [];
    INTERRUPTEXCEPTION = 71, "InterruptException", EXCEPTION, B, [];
    ASSERTIONERROR = 72, "AssertionError", EXCEPTION, B, [];
    TYPEERROR = 73, "TypeError", EXCEPTION, B, [];
    STRINGINDEXERROR = 74, "StringIndexError", EXCEPTION, B, [];
    UNDEFKEYWORDERROR = 75, "UndefKeywordError", EXCEPTION, B, [];
    INVALIDSTATEEXCEPTION = 76, "InvalidStateException", EXCEPTION, B, [];
    TASKFAILEDEXCEPTION = 77, "TaskFailedException", EXCEPTION, B, [];
    COMPOSITEEXCEPTION = 78, "CompositeException", EXCEPTION, B, [];
    CONCURRENCYVIOLATIONERROR = 79, "ConcurrencyViolationError", EXCEPTION, B, [];
    DIMENSIONMISMATCH = 80, "DimensionMismatch", EXCEPTION, B, [];
    EOFERROR = 81, "EOFError", EXCEPTION, B, [];
    UNDEFREFERROR = 82, "UndefRefError", EXCEPTION, B, [];
    SYSTEMERROR = 83, "SystemError", EXCEPTION, B, [];
    DEADLOCKERROR = 84, "DeadlockError", EXCEPTION, B, [];
    FIELDERROR = 85, "FieldError", EXCEPTION, B, [];
    SCHEDULEDAFTERSYNC = 86, "ScheduledAfterSyncException", EXCEPTION, B, [];
    MISSING = 87, "Missing", ANY, B, [];
    VAL = 88, "Val", ANY, B, ["x"];
    UNSIGNED = 89, "Unsigned", INTEGER, A, [];
    UINT8 = 90, "UInt8", UNSIGNED, B, [];
    CHANNEL = 91, "Channel", ABSTRACTCHANNEL, B, ["T"];
    IDDICT = 92, "IdDict", ABSTRACTDICT, B, ["K", "V"];
    IOERROR = 93, "IOError", EXCEPTION, B, [];
}

/// Field names of the built-in exception structs (Julia's field names).
pub fn exception_fields(id: TypeId) -> &'static [&'static str] {
    match id {
        tid::ERROREXCEPTION => &["msg"],
        tid::BOUNDSERROR => &["a", "i"],
        tid::DOMAINERROR => &["val", "msg"],
        tid::ARGUMENTERROR => &["msg"],
        tid::KEYERROR => &["key"],
        tid::METHODERROR => &["f", "args", "world"],
        tid::UNDEFVARERROR => &["var", "scope"],
        tid::INEXACTERROR => &["func", "T", "val"],
        tid::OVERFLOWERROR => &["msg"],
        tid::ASSERTIONERROR => &["msg"],
        tid::TYPEERROR => &["func", "context", "expected", "got"],
        tid::STRINGINDEXERROR => &["string", "index"],
        tid::UNDEFKEYWORDERROR => &["var"],
        tid::INVALIDSTATEEXCEPTION => &["msg", "state"],
        tid::TASKFAILEDEXCEPTION => &["task"],
        tid::COMPOSITEEXCEPTION => &["exceptions"],
        tid::CONCURRENCYVIOLATIONERROR => &["msg"],
        tid::DIMENSIONMISMATCH => &["msg"],
        tid::SYSTEMERROR => &["prefix", "errnum"],
        tid::IOERROR => &["msg", "code"],
        tid::DEADLOCKERROR => &["msg"],
        tid::FIELDERROR => &["type", "field"],
        tid::SCHEDULEDAFTERSYNC => &["values"],
        tid::PAIR => &["first", "second"],
        tid::REFVALUE => &["x"],
        tid::SOME => &["value"],
        _ => &[],
    }
}

/// Is built-in type `id` a struct whose instances are `Obj::Struct` values?
pub fn is_builtin_struct(id: TypeId) -> bool {
    !exception_fields(id).is_empty()
        || matches!(
            id,
            tid::DIVIDEERROR
                | tid::STACKOVERFLOWERROR
                | tid::INTERRUPTEXCEPTION
                | tid::EOFERROR
                | tid::UNDEFREFERROR
        )
}
