//! Inference tests with an in-memory global environment; golden IR dumps live in the
//! compiler crate's `tests/` where the whole pipeline runs.
use super::*;
use ferrojit_syntax::{parse_function, SourceText};

struct NoGlobals;
impl GlobalEnv for NoGlobals {
    fn lookup(&self, name: &str) -> Option<GlobalValue> {
        match name {
            "range" | "abs" | "min" | "max" | "print" | "int" | "float" => Some(GlobalValue::Function(format!("builtins.{name}"))),
            "ValueError" => Some(GlobalValue::ExceptionClass(ferrojit_ir::ExcKind::ValueError)),
            "SIZE" => Some(GlobalValue::Const(ConstValue::Int(7))),
            _ => None,
        }
    }
}

fn infer(text: &str, args: &[Type]) -> Result<Program, InferError> {
    let source = Arc::new(SourceText::new("t.py", 1, text));
    let func = Arc::new(FunctionSource {
        id: 1,
        name: "f".into(),
        ast: parse_function(&source),
        source,
        globals: Box::new(NoGlobals),
        defaults: vec![],
        library: false,
    });
    infer_program(&func, args).map_err(|f| match f {
        crate::Failure::Error(e) => e,
        crate::Failure::NeedsOverloads(needs) => panic!("no overloads are registered here, yet these were requested: {needs:?}"),
    })
}

#[test]
fn int_then_float_unifies_to_float64() {
    let p = infer("def f(n):\n    s = 0\n    for i in range(n):\n        s += i * 0.5\n    return s\n", &[Type::INT64]).unwrap();
    assert_eq!(p.root().ret, Type::FLOAT64);
}

#[test]
fn number_and_tuple_is_a_typing_error_on_the_second_assignment() {
    let err = infer("def f(c):\n    x = 1\n    if c:\n        x = (1, 2)\n    return x\n", &[Type::Bool]).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Typing);
    assert_eq!(err.span.line, 4);
}

#[test]
fn unknown_global_names_the_line() {
    let err = infer("def f():\n    return undefined_thing + 1\n", &[]).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Typing);
    assert!(err.message.contains("undefined_thing"));
    assert_eq!(err.span.line, 2);
}

#[test]
fn int_division_is_float_and_globals_are_constants() {
    let p = infer("def f(a):\n    return a / SIZE\n", &[Type::INT64]).unwrap();
    assert_eq!(p.root().ret, Type::FLOAT64);
}

#[test]
fn tuples_return_and_unpack() {
    let p = infer("def f(a, b):\n    a, b = b, a\n    return a, b\n", &[Type::INT64, Type::FLOAT64]).unwrap();
    assert_eq!(p.root().ret, Type::Tuple(vec![Type::FLOAT64, Type::FLOAT64]));
}
