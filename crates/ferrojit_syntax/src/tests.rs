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
fn try_is_unsupported_with_its_line() {
    let err = parse("def f():\n    try:\n        pass\n    except Exception:\n        pass\n").unwrap_err();
    assert_eq!(err.kind, SyntaxErrorKind::Unsupported);
    assert!(err.message.contains("`try`"), "{}", err.message);
    assert_eq!(err.span.line, 11);
}

#[test]
fn invalid_python_is_reported() {
    let err = parse("def f(:\n    pass\n").unwrap_err();
    assert_eq!(err.kind, SyntaxErrorKind::Invalid);
    assert_eq!(err.span.line, 10);
}
