//! End-to-end tests without Python: source -> machine code -> a call through the entry point.

use super::*;
use ferrojit_runtime::ExcInfo;

struct Builtins;
impl GlobalEnv for Builtins {
    fn lookup(&self, name: &str) -> Option<GlobalValue> {
        match name {
            "range" | "abs" | "min" | "max" | "print" | "int" | "float" | "round" => Some(GlobalValue::Function(format!("builtins.{name}"))),
            "math" => Some(GlobalValue::Module(ModuleKind::Math)),
            "ValueError" => Some(GlobalValue::ExceptionClass(ExcKind::ValueError)),
            _ => None,
        }
    }
}

fn compile_text(text: &str, args: &[Type]) -> Result<CompiledFunction, CompileError> {
    let f = Arc::new(function_source(1, "f", SourceText::new("t.py", 1, text), Box::new(Builtins), vec![]));
    compile(&f, args, None, &Options::default())
}

/// Calls a compiled function with raw 8-byte slots; returns the result slots or the exception.
fn call(f: &CompiledFunction, args: &[u64]) -> Result<Vec<u64>, (u32, String)> {
    let mut ret = vec![0u64; f.ret.leaves().len().max(1)];
    let mut exc = ExcInfo::default();
    let status = unsafe { (f.entry)(ret.as_mut_ptr(), &mut exc, args.as_ptr()) };
    if status == 0 {
        Ok(ret)
    } else {
        Err((exc.kind, unsafe { exc.message() }.to_string()))
    }
}

#[test]
fn sums_a_range_into_a_float() {
    let f = compile_text("def f(n):\n    s = 0\n    for i in range(n):\n        s += i / 2\n    return s\n", &[Type::INT64]).unwrap();
    assert_eq!(f.ret, Type::FLOAT64);
    let r = call(&f, &[10]).unwrap();
    assert_eq!(f64::from_bits(r[0]), 22.5);
}

#[test]
fn floor_division_and_modulo_of_negatives() {
    let f = compile_text("def f(a, b):\n    return a // b, a % b\n", &[Type::INT64, Type::INT64]).unwrap();
    let r = call(&f, &[(-7i64) as u64, 2]).unwrap();
    assert_eq!((r[0] as i64, r[1] as i64), (-4, 1));
    let r = call(&f, &[7, (-3i64) as u64]).unwrap();
    assert_eq!((r[0] as i64, r[1] as i64), (-3, -2));
    let r = call(&f, &[i64::MIN as u64, (-1i64) as u64]).unwrap();
    assert_eq!((r[0] as i64, r[1] as i64), (i64::MIN, 0));
}

#[test]
fn division_by_zero_raises() {
    let f = compile_text("def f(a, b):\n    return a // b\n", &[Type::INT64, Type::INT64]).unwrap();
    let (kind, msg) = call(&f, &[1, 0]).unwrap_err();
    assert_eq!(kind, ExcKind::ZeroDivisionError.code());
    assert!(msg.contains("by zero"), "{msg}");
}

#[test]
fn raise_with_message() {
    let f = compile_text("def f(x):\n    if x > 1:\n        raise ValueError(\"too big\")\n    return x\n", &[Type::INT64]).unwrap();
    assert_eq!(call(&f, &[1]).unwrap()[0], 1);
    assert_eq!(call(&f, &[5]).unwrap_err(), (ExcKind::ValueError.code(), "too big".to_string()));
}

#[test]
fn typing_errors_name_file_line_and_source() {
    let err = compile_text("def f(x):\n    y = x + (1, 2)\n    return y\n", &[Type::INT64]).err().unwrap();
    assert_eq!(err.kind, ErrorKind::Typing);
    assert!(err.message.contains("File \"t.py\", line 2"), "{}", err.message);
    assert!(err.message.contains("y = x + (1, 2)"), "{}", err.message);
}

#[test]
fn math_and_min_max() {
    let f = compile_text("def f(x):\n    return max(math.sqrt(x), 2.0), min(3, 1, 2)\n", &[Type::FLOAT64]).unwrap();
    let r = call(&f, &[16f64.to_bits()]).unwrap();
    assert_eq!(f64::from_bits(r[0]), 4.0);
    assert_eq!(r[1] as i64, 1);
}
