//! Binding a call's arguments to the callee's parameters, as Python binds a call to a
//! signature, with CPython's error messages: of the library's callables and of the user's
//! compiled functions alike.
//!
//! A [`Signature`] is written as a Python parameter list and parsed once, when the registry is
//! built: `"x, /"`, `"shape, dtype=None, ~order='C', *, ~like=None"`, `"*values, sep=' '"`.
//! - `name` is required, `name=default` is optional (the default, written without commas, is
//!   documentation: the building function decides what an absent argument means);
//! - parameters before `/` are positional-only, those after `*` or `*rest` keyword-only;
//! - `*rest` collects the extra positional arguments;
//! - `~name` is a parameter the library accepts but compiled code does not support yet: the
//!   call binds (so that misspelt names still get Python's error) and then is refused.
//!
//! Errors follow CPython's wording. A callee that takes no keyword argument at all (`abs`,
//! `math.sqrt`) is worded as CPython's built-ins are (`takes exactly one argument (2 given)`,
//! `takes no keyword arguments`); any other as a Python `def` is (`missing 1 required
//! positional argument`, `got an unexpected keyword argument`, `got multiple values for
//! argument`). Binding errors are typing errors at the call, or at the keyword they are about.

use crate::expr::Value;
use crate::function::{FnInfer, Result};
use ferrojit_ir as ir;
use ferrojit_syntax::ast::{self, Span};
use ferrojit_types::Type;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ParamKind {
    PositionalOnly,
    PositionalOrKeyword,
    KeywordOnly,
}

/// A parameter, named by a `&'static str` in the library's signatures and by a `String` in
/// those of the user's compiled functions.
#[derive(Clone, Debug)]
pub(crate) struct Param<Name = &'static str> {
    pub name: Name,
    pub kind: ParamKind,
    pub required: bool,
    /// Accepted by the library, refused by compiled code when given.
    pub unsupported: bool,
}

/// A callee's parameters, in order.
#[derive(Clone, Debug)]
pub(crate) struct Signature<Name = &'static str> {
    pub params: Vec<Param<Name>>,
    /// The name of the `*rest` parameter, when extra positional arguments are collected.
    pub rest: Option<&'static str>,
    /// Whether a `**rest` parameter collects the extra keyword arguments (a compiled
    /// function's `**kwargs`).
    pub keywords_rest: bool,
}

/// A call bound to a signature: per parameter its argument if given (with where it was
/// written), the extra positional arguments `*rest` collects, and the extra keyword ones
/// `**rest` collects.
pub(crate) struct Bound {
    pub values: Vec<Option<(Value, Span)>>,
    pub rest: Vec<Value>,
    pub keywords: Vec<(String, Value, Span)>,
}

impl Signature {
    /// Parses a Python parameter list (see the module documentation). Panics on a malformed
    /// list: signatures are constants of the compiler, checked by its tests.
    pub fn parse(text: &'static str) -> Signature {
        let mut sig = Signature { params: Vec::new(), rest: None, keywords_rest: false };
        let mut keyword_only = false;
        for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match item {
                "/" => {
                    assert!(!keyword_only, "`/` after `*` in `{text}`");
                    for p in &mut sig.params {
                        p.kind = ParamKind::PositionalOnly;
                    }
                }
                "*" => keyword_only = true,
                _ if item.starts_with('*') => {
                    assert!(sig.rest.is_none() && !keyword_only, "a second `*` in `{text}`");
                    sig.rest = Some(&item[1..]);
                    keyword_only = true;
                }
                _ => {
                    let (unsupported, item) = match item.strip_prefix('~') {
                        Some(rest) => (true, rest),
                        None => (false, item),
                    };
                    let (name, required) = match item.split_once('=') {
                        Some((name, _default)) => (name.trim(), false),
                        None => (item, true),
                    };
                    assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "bad parameter `{name}` in `{text}`");
                    let kind = if keyword_only { ParamKind::KeywordOnly } else { ParamKind::PositionalOrKeyword };
                    assert!(keyword_only || !required || sig.params.iter().all(|p| p.required), "a required parameter after an optional one in `{text}`");
                    sig.params.push(Param { name, kind, required, unsupported });
                }
            }
        }
        sig
    }
}

impl Signature<String> {
    /// The signature of a compiled function with the parameters `params`, each with a default
    /// or not (`has_default(i)` of `params[i]`): `*args` and `**kwargs` collect the extra
    /// arguments (see [`FnInfer::collected_arguments`]).
    pub fn of_function(params: &[ast::Param], has_default: impl Fn(usize) -> bool) -> Signature<String> {
        let mut sig = Signature { params: Vec::new(), rest: None, keywords_rest: false };
        for (i, p) in params.iter().enumerate() {
            let kind = match p.kind {
                ast::ParamKind::Positional => ParamKind::PositionalOrKeyword,
                ast::ParamKind::KeywordOnly => ParamKind::KeywordOnly,
                ast::ParamKind::VarPositional => {
                    sig.rest = Some("args");
                    continue;
                }
                ast::ParamKind::VarKeyword => {
                    sig.keywords_rest = true;
                    continue;
                }
            };
            sig.params.push(Param { name: p.name.clone(), kind, required: !has_default(i), unsupported: false });
        }
        sig
    }
}

impl Signature<String> {
    /// The signature of plain parameters named `names` (a named tuple class's fields), each
    /// with a default or not.
    pub fn of_names(names: impl IntoIterator<Item = String>, has_default: impl Fn(usize) -> bool) -> Signature<String> {
        let params = names.into_iter().enumerate().map(|(i, name)| Param { name, kind: ParamKind::PositionalOrKeyword, required: !has_default(i), unsupported: false }).collect();
        Signature { params, rest: None, keywords_rest: false }
    }
}

impl<Name: AsRef<str>> Signature<Name> {
    /// Whether any parameter can be passed by keyword.
    fn takes_keywords(&self) -> bool {
        self.keywords_rest || self.params.iter().any(|p| p.kind != ParamKind::PositionalOnly)
    }

    fn positional_count(&self) -> usize {
        self.params.iter().filter(|p| p.kind != ParamKind::KeywordOnly).count()
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.params.iter().position(|p| p.name.as_ref() == name)
    }
}

/// The arguments of one call bound to the callee's parameters: one optional value per
/// parameter (with where it was written), plus the `*rest` values.
#[derive(Clone)]
pub(crate) struct Args {
    /// The callee as users write it: `abs`, `math.sqrt`, `np.zeros`, `ndarray.sum`.
    pub callee: &'static str,
    signature: &'static Signature,
    values: Vec<Option<(Value, Span)>>,
    /// Per parameter: whether its argument is written as a number literal, a weak scalar for
    /// NumPy's promotion (NEP 50: `np.minimum(a_float32, 0.5)` is float32).
    literal: Vec<bool>,
    pub rest: Vec<Value>,
}

impl Args {
    /// Takes the argument of parameter `name`, if given. A name the signature does not have
    /// is never given: one building function can serve callees whose parameters differ
    /// (`np.reshape(a, shape)` and `a.reshape(*shape)`).
    pub fn take(&mut self, name: &str) -> Option<Value> {
        self.take_spanned(name).map(|(v, _)| v)
    }

    /// Like [`Args::take`], with the span of the argument (its keyword when passed by name).
    pub fn take_spanned(&mut self, name: &str) -> Option<(Value, Span)> {
        let i = self.signature.index(name)?;
        self.values[i].take()
    }

    /// The argument of parameter `name`, if given, left in place to be read or replaced.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Value> {
        let i = self.signature.index(name)?;
        self.values[i].as_mut().map(|(v, _)| v)
    }

    /// The callee's positional-only parameters: the inputs of an element-wise function.
    pub fn positional_only(&self) -> impl Iterator<Item = &'static str> {
        self.signature.params.iter().filter(|p| p.kind == ParamKind::PositionalOnly).map(|p| p.name)
    }

    /// Whether the argument of `name` is written as a number literal.
    pub fn is_literal(&self, name: &str) -> bool {
        self.signature.index(name).is_some_and(|i| self.literal[i])
    }

    /// The argument of a required parameter: binding has checked that it is there.
    pub fn required(&mut self, name: &str) -> Value {
        debug_assert!(self.signature.index(name).is_some_and(|i| self.signature.params[i].required), "`{name}` is not a required parameter of `{}`", self.callee);
        self.take(name).expect("binding checks required parameters")
    }
}

pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") }
}

/// `a`, `a` and `b`, `a`, `b`, and `c`: CPython's list of missing parameters, each name
/// between `quote`s (CPython's own `'`, or the backquotes of compile-time messages).
pub(crate) fn name_list(names: &[&str], quote: char) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("{quote}{n}{quote}")).collect();
    match quoted.len() {
        0 | 1 => quoted.concat(),
        2 => format!("{} and {}", quoted[0], quoted[1]),
        n => format!("{}, and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

impl FnInfer<'_> {
    /// Binds `positional` and `keywords` to `signature` as Python binds a call, then refuses
    /// parameters compiled code does not support. `callee` names the function in messages.
    pub(crate) fn bind(&self, callee: &'static str, signature: &'static Signature, positional: Vec<Value>, keywords: Vec<(String, Value, Span)>, span: Span) -> Result<Args> {
        let Bound { values, rest, .. } = self.bind_values(callee, signature, positional, keywords, span)?;
        if let Some((p, (_, at))) = signature.params.iter().zip(&values).find_map(|(p, v)| v.as_ref().filter(|_| p.unsupported).map(|v| (p, v))) {
            return Err(self.unsupported(*at, format!("`{callee}({}=...)` is not supported in compiled code yet", p.name), None));
        }
        let literal = values.iter().map(|v| matches!(v, Some((Value::Expr(e), _)) if self.literal_spans.contains(&e.span))).collect();
        Ok(Args { callee, signature, values, literal, rest })
    }

    /// Binds `positional` and `keywords` to `sig` as Python binds a call: per parameter its
    /// argument if given (with where it was written), and the extra positional arguments
    /// `*rest` collects. The one binder of every callee, the library's and the user's
    /// compiled functions.
    pub(crate) fn bind_values<Name: AsRef<str>>(&self, callee: &str, sig: &Signature<Name>, positional: Vec<Value>, keywords: Vec<(String, Value, Span)>, span: Span) -> Result<Bound> {
        let positional_slots = sig.positional_count();
        let given = positional.len();
        // Built-in style: every parameter positional-only (`abs(x, /)`, `int(x=0, /)`).
        let builtin_style = !sig.takes_keywords();
        let too_many = given > positional_slots && sig.rest.is_none();
        if too_many {
            let at_least = sig.params.iter().filter(|p| p.kind != ParamKind::KeywordOnly && p.required).count();
            let message = if builtin_style {
                Self::builtin_count_message(callee, at_least, positional_slots, given)
            } else {
                let takes = if at_least == positional_slots { plural(positional_slots, "positional argument") } else { format!("from {at_least} to {positional_slots} positional arguments") };
                let were = if given == 1 { "was" } else { "were" };
                format!("`{callee}()` takes {takes} but {given} {were} given")
            };
            return Err(self.typing(span, message, None));
        }
        let mut values: Vec<Option<(Value, Span)>> = Vec::with_capacity(sig.params.len());
        values.resize_with(sig.params.len(), || None);
        let mut rest = Vec::new();
        let mut extra_keywords: Vec<(String, Value, Span)> = Vec::new();
        for (i, v) in positional.into_iter().enumerate() {
            if i < positional_slots {
                let at = match &v {
                    Value::Expr(e) => e.span,
                    _ => span,
                };
                values[i] = Some((v, at));
            } else {
                rest.push(v);
            }
        }
        for (name, v, at) in keywords {
            if builtin_style {
                return Err(self.typing(at, format!("`{callee}()` takes no keyword arguments"), None));
            }
            let index = sig.index(&name).filter(|&i| !(sig.keywords_rest && sig.params[i].kind == ParamKind::PositionalOnly));
            let Some(i) = index else {
                if sig.keywords_rest {
                    if extra_keywords.iter().any(|(k, _, _)| *k == name) {
                        return Err(self.typing(at, format!("`{callee}()` got multiple values for keyword argument `{name}`"), None));
                    }
                    extra_keywords.push((name, v, at));
                    continue;
                }
                return Err(self.typing(at, format!("`{callee}()` got an unexpected keyword argument `{name}`"), None));
            };
            if sig.params[i].kind == ParamKind::PositionalOnly {
                return Err(self.typing(at, format!("`{callee}()` got some positional-only arguments passed as keyword arguments: `{name}`"), None));
            }
            if values[i].is_some() {
                return Err(self.typing(at, format!("`{callee}()` got multiple values for argument `{name}`"), None));
            }
            values[i] = Some((v, at));
        }
        let missing = |kind: fn(ParamKind) -> bool| -> Vec<&str> {
            sig.params.iter().zip(&values).filter(|(p, v)| p.required && v.is_none() && kind(p.kind)).map(|(p, _)| p.name.as_ref()).collect()
        };
        let missing_positional = missing(|k| k != ParamKind::KeywordOnly);
        if !missing_positional.is_empty() {
            let message = if builtin_style {
                let at_least = sig.params.iter().filter(|p| p.required).count();
                Self::builtin_count_message(callee, at_least, positional_slots, given)
            } else {
                let what = if missing_positional.len() == 1 { "argument" } else { "arguments" };
                format!("`{callee}()` missing {} required positional {what}: {}", missing_positional.len(), name_list(&missing_positional, '`'))
            };
            return Err(self.typing(span, message, None));
        }
        let missing_keyword = missing(|k| k == ParamKind::KeywordOnly);
        if !missing_keyword.is_empty() {
            let what = if missing_keyword.len() == 1 { "argument" } else { "arguments" };
            return Err(self.typing(span, format!("`{callee}()` missing {} required keyword-only {what}: {}", missing_keyword.len(), name_list(&missing_keyword, '`')), None));
        }
        Ok(Bound { values, rest, keywords: extra_keywords })
    }

    /// The arguments of a call of a compiled function with the parameters `params` (whose
    /// signature `bound` was bound to), one per parameter: those bound, the extra positional
    /// ones as the tuple `*args` takes, the extra keyword ones as the dict `**kwargs` takes
    /// (names to values of one type, as compiled dicts hold; an empty one holds `int64`s).
    pub(crate) fn collected_arguments(&mut self, params: &[ast::Param], bound: Bound, span: Span) -> Result<Vec<Option<(Value, Span)>>> {
        let Bound { values, rest, keywords } = bound;
        let mut values = values.into_iter();
        let mut out = Vec::with_capacity(params.len());
        let mut rest = Some(rest);
        let mut keywords = Some(keywords);
        for p in params {
            out.push(match p.kind {
                ast::ParamKind::Positional | ast::ParamKind::KeywordOnly => values.next().expect("one bound value per parameter"),
                ast::ParamKind::VarPositional => {
                    let items = rest.take().unwrap_or_default().into_iter().map(|v| self.value_expr(v, span)).collect::<Result<Vec<_>>>()?;
                    let ty = Type::Tuple(items.iter().map(|i| i.ty.clone()).collect());
                    Some((Value::Expr(ir::Expr::new(ir::ExprKind::Tuple(items), ty, span)), span))
                }
                ast::ParamKind::VarKeyword => {
                    let given = keywords.take().unwrap_or_default();
                    let mut names = Vec::with_capacity(given.len());
                    let mut items = Vec::with_capacity(given.len());
                    for (name, v, at) in given {
                        names.push(ir::Expr::new(ir::ExprKind::Const(ir::Const::Str(name)), Type::Str, at));
                        items.push(self.value_expr(v, at)?);
                    }
                    if let Some(first) = items.first() {
                        if let Some(other) = items.iter().find(|i| ferrojit_types::unify(&first.ty, &i.ty).is_none()) {
                            let message = format!("the keyword arguments that `**{}` collects have values of different types (`{}` and `{}`)", p.name, first.ty, other.ty);
                            return Err(self.unsupported(other.span, message, Some("compiled code holds them in a dict of one value type: pass values of one type, or pass these as named parameters")));
                        }
                    }
                    let empty = Type::Dict(Box::new(Type::Str), Box::new(Type::INT64));
                    let dict = self.dict_of_items(names, items, Some(&empty), span)?;
                    Some((Value::Expr(dict), span))
                }
            });
        }
        Ok(out)
    }

    /// CPython's built-in wording for a wrong number of positional-only arguments.
    fn builtin_count_message(callee: &str, at_least: usize, at_most: usize, given: usize) -> String {
        let (how, n) = if at_least == at_most {
            ("exactly", at_least)
        } else if given > at_most {
            ("at most", at_most)
        } else {
            ("at least", at_least)
        };
        let count = if n == 1 && how == "exactly" { "one argument".to_string() } else { plural(n, "argument") };
        format!("`{callee}()` takes {how} {count} ({given} given)")
    }

    /// The argument of `name` as a value expression, if given.
    pub(crate) fn arg_expr(&self, args: &mut Args, name: &str) -> Result<Option<ir::Expr>> {
        args.take_spanned(name).map(|(v, at)| self.value_expr(v, at)).transpose()
    }

    /// The argument of the required parameter `name` as a value expression.
    pub(crate) fn required_expr(&self, args: &mut Args, name: &str) -> Result<ir::Expr> {
        Ok(self.arg_expr(args, name)?.expect("binding checks required parameters"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_lists_parse_as_python_reads_them() {
        let sig = Signature::parse("x, /, y=1, ~z=None, *rest, w, v='a')");
        let kinds: Vec<(&str, ParamKind, bool, bool)> = sig.params.iter().map(|p| (p.name, p.kind, p.required, p.unsupported)).collect();
        use ParamKind::*;
        assert_eq!(kinds, [("x", PositionalOnly, true, false), ("y", PositionalOrKeyword, false, false), ("z", PositionalOrKeyword, false, true), ("w", KeywordOnly, true, false), ("v", KeywordOnly, false, false)]);
        assert_eq!(sig.rest, Some("rest"));
        assert!(sig.takes_keywords() && !Signature::parse("x=0, /").takes_keywords());
        assert_eq!(sig.positional_count(), 3);
    }

    #[test]
    fn missing_names_are_listed_as_cpython_lists_them() {
        assert_eq!(name_list(&["a"], '`'), "`a`");
        assert_eq!(name_list(&["a", "b"], '`'), "`a` and `b`");
        assert_eq!(name_list(&["a", "b", "c"], '\''), "'a', 'b', and 'c'");
    }
}
