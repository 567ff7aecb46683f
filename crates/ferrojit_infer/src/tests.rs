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
        parallel: false,
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

/// The definite-assignment analysis (`unbound`): each case is a function and, for a read of a
/// variable on a line (the function's `def` is line 1), what the analysis finds there.
#[test]
fn definite_assignment_of_reads() {
    use crate::unbound::{analyse, Binding::*};
    let cases: &[(&str, &[(&str, u32, crate::unbound::Binding)])] = &[
        ("def f(c):\n    if c:\n        x = 1\n    return x\n", &[("x", 4, Maybe), ("c", 2, Bound)]),
        ("def f(c):\n    if c:\n        x = 1\n    else:\n        x = 2\n    return x\n", &[("x", 6, Bound)]),
        ("def f(c):\n    if c:\n        x = 1\n    else:\n        return 0\n    return x\n", &[("x", 6, Bound)]),
        ("def f(n):\n    y = n + x\n    x = 1\n    return x\n", &[("x", 2, Unbound), ("x", 4, Bound)]),
        ("def f(n):\n    for i in range(n):\n        pass\n    return i\n", &[("i", 4, Maybe)]),
        ("def f(n):\n    while True:\n        x = n\n        if x > 3:\n            break\n        n += 1\n    return x\n", &[("x", 7, Bound)]),
        ("def f(n):\n    while n > 0:\n        x = n\n        break\n    return x\n", &[("x", 5, Maybe)]),
        ("def f(n):\n    for i in range(n):\n        if i == 2:\n            break\n    else:\n        r = 1\n    return r\n", &[("r", 7, Maybe)]),
        ("def f(n):\n    for i in range(n):\n        if i == 2:\n            r = 0\n            break\n    else:\n        r = 1\n    return r\n", &[("r", 8, Bound)]),
        ("def f(n):\n    t = 0\n    for i in range(n):\n        if i > 0:\n            t += p\n        p = i\n    return t\n", &[("p", 5, Maybe)]),
        ("def f(n):\n    for i in range(n):\n        if i > 0:\n            t = p\n        p = i\n        del p\n    return n\n", &[("p", 4, Maybe)]),
        ("def f(x):\n    del x\n    return x\n", &[("x", 3, Unbound)]),
        ("def f(c):\n    a = 1\n    if c:\n        del a\n    del a\n", &[("a", 5, Maybe)]),
        ("def f(n):\n    s = [(y := i) for i in range(n)]\n    return y\n", &[("y", 3, Maybe)]),
        ("def f(c):\n    if c and (y := 1):\n        return y\n    return y\n", &[("y", 3, Bound), ("y", 4, Maybe)]),
        ("def f(c):\n    z = (y := 1) if c else 2\n    return y\n", &[("y", 3, Maybe)]),
        ("def f(c):\n    if c or (y := 0):\n        return 1\n    return y\n", &[("y", 4, Bound)]),
        ("def f(c):\n    if not (c and (y := 1)):\n        return 0\n    return y\n", &[("y", 4, Bound)]),
        ("def f(c):\n    while not c:\n        x = 1\n        c = True\n    return x\n", &[("x", 5, Maybe)]),
        ("def f(n):\n    s = [i for i in range(n) if (k := i) > 1]\n    return k\n", &[("k", 3, Maybe)]),
        ("def f(c):\n    if c:\n        return 1\n        v = 2\n    return 0\n", &[]),
        ("def f(n):\n    x = 0\n    while n > 0:\n        x = n\n        n -= 1\n    return x\n", &[("x", 6, Bound)]),
        ("def f(n):\n    while (x := n) > 5:\n        n -= 1\n    return x\n", &[("x", 4, Bound)]),
        ("def f(c):\n    assert False\n    return x\n    x = 1\n", &[]),
    ];
    for (text, expected) in cases {
        let source = SourceText::new("t.py", 1, *text);
        let def = parse_function(&source).unwrap();
        let facts = analyse(&def);
        for (name, line, binding) in expected.iter() {
            assert_eq!(facts.on_line(name, *line), vec![*binding], "`{name}` on line {line} of:\n{text}");
        }
    }
    // An inner function reading a variable that may be unbound where it is defined: the
    // variable becomes a cell; one bound there stays captured by value.
    let source = SourceText::new("t.py", 1, "def f(c):\n    if c:\n        x = 1\n    y = 2\n    g = lambda: x + y\n    return g()\n");
    assert_eq!(analyse(&parse_function(&source).unwrap()).captured_unbound, vec!["x".to_string()]);
}

/// Each loop's body is analysed once, however deep the loops nest: forty nested loops (whose
/// iterations, followed one by one, would take 2**40 passes) are analysed at once.
#[test]
fn definite_assignment_of_deep_loops_is_linear() {
    let depth = 40;
    let mut text = String::from("def f(n):\n");
    for d in 0..depth {
        text.push_str(&format!("{}for i{d} in range(n):\n", "    ".repeat(d + 1)));
    }
    text.push_str(&format!("{}x = i0\n    return x\n", "    ".repeat(depth + 1)));
    let source = SourceText::new("t.py", 1, text);
    let facts = crate::unbound::analyse(&parse_function(&source).unwrap());
    assert_eq!(facts.on_line("x", depth as u32 + 3), vec![crate::unbound::Binding::Maybe]);
}
