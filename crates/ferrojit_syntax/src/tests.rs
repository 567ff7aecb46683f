use super::*;
use crate::ast::{ExprKind, StmtKind};

fn parse(text: &str) -> Result<ast::FunctionDef, SyntaxError> {
    parse_function(&SourceText::new("t.py", 10, text))
}

#[test]
fn dedents_and_keeps_file_coordinates() {
    let f = parse("    @njit\n    def f(a, b=2):\n        return a + b\n").unwrap();
    assert_eq!(f.name, "f");
    assert_eq!(f.params.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    let ret = &f.body[0];
    assert!(matches!(ret.kind, StmtKind::Return(Some(_))));
    // `return` is on the third line of the snippet (file line 12), column 9 after the indentation.
    assert_eq!((ret.span.line, ret.span.col), (12, 9));
}

#[test]
fn docstrings_are_dropped() {
    let f = parse("def f():\n    \"\"\"doc\"\"\"\n    return 1\n").unwrap();
    assert_eq!(f.body.len(), 1);
    assert!(matches!(&f.body[0].kind, StmtKind::Return(Some(e)) if matches!(e.kind, ExprKind::Int(1))));
}

#[test]
fn return_break_and_continue_in_finally_parse() {
    let def = parse("def f(n):\n    for i in range(n):\n        try:\n            pass\n        finally:\n            if i:\n                break\n            continue\n    try:\n        pass\n    finally:\n        return 1\n").unwrap();
    let ast::StmtKind::Try { finalbody, .. } = &def.body[1].kind else { panic!("{:?}", def.body[1].kind) };
    assert!(matches!(finalbody[0].kind, ast::StmtKind::Return(Some(_))));
}

#[test]
fn try_except_else_parses() {
    let def = parse("def f(x):\n    try:\n        y = 1 // x\n    except (ValueError, ZeroDivisionError):\n        y = 0\n    except:\n        y = 1\n    else:\n        y = 2\n    return y\n").unwrap();
    let ast::StmtKind::Try { body, handlers, orelse, .. } = &def.body[0].kind else { panic!("{:?}", def.body[0].kind) };
    assert_eq!((body.len(), handlers.len(), orelse.len()), (1, 2, 1));
    assert!(handlers[0].typ.is_some() && handlers[1].typ.is_none());
}

#[test]
fn invalid_python_is_reported() {
    let err = parse("def f(:\n    pass\n").unwrap_err();
    assert_eq!(err.kind, SyntaxErrorKind::Invalid);
    assert_eq!(err.span.line, 10);
}

fn sum_of_terms(n: usize) -> String {
    format!("def f(x):\n    y = 1\n    return {}\n", vec!["x"; n].join(" + "))
}

/// Parsing and lowering run on a deep stack: a thread with a small stack (128 KB, musl's
/// default) parses code nested as deep as the limit allows.
#[test]
fn deep_nesting_parses_on_a_small_stack() {
    let text = sum_of_terms(MAX_NESTING - 10);
    let f = std::thread::Builder::new().stack_size(128 << 10).spawn(move || parse(&text).map(|f| f.body.len())).unwrap().join().unwrap();
    assert_eq!(f, Ok(2));
}

#[test]
fn deep_nesting_past_the_limit_is_an_error_with_its_line() {
    let err = parse(&sum_of_terms(MAX_NESTING + 10)).unwrap_err();
    assert_eq!(err.kind, SyntaxErrorKind::Unsupported);
    assert!(err.message.contains(&format!("more than {MAX_NESTING} levels")), "{}", err.message);
    assert_eq!(err.span.line, 12);
    assert!(err.hint.as_deref().is_some_and(|h| h.contains("intermediate variables")));
}
