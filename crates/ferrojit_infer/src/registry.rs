//! The library of callables implemented in the compiler: every built-in, `math` and NumPy
//! function, array method and array attribute that compiled code can use is one [`Entry`]: its
//! qualified name, its parameters (a [`Signature`]) and the function that types it and builds
//! its IR.
//!
//! Entries are declared next to their building functions, by each module's `register`
//! (`builtins.rs`: built-ins, `math`, NumPy scalar functions and types; `arrays.rs`: array
//! creation, methods and attributes); functions of the math table (`ferrojit_ir::MATH_FUNCTIONS`)
//! are registered from that table. The maps are built once per process.
//!
//! A call is looked up by name (one hash lookup), its arguments bound by
//! `FnInfer::bind` to the entry's signature, then built.

use super::bind::{Args, Signature};
use crate::expr::Value;
use crate::function::{FnInfer, Result};
use ferrojit_ir as ir;
use ferrojit_syntax::ast::Span;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Types and builds a call of a function from its bound arguments.
pub(crate) type BuildFunction = fn(&mut FnInfer<'_>, &mut Args, Span) -> Result<Value>;
/// Types and builds a call of an array method on `receiver` (an array).
pub(crate) type BuildMethod = fn(&mut FnInfer<'_>, ir::Expr, &mut Args, Span) -> Result<ir::Expr>;
/// Types and builds an array attribute of `receiver`.
pub(crate) type BuildAttribute = fn(&mut FnInfer<'_>, ir::Expr, Span) -> Result<Value>;

/// How an entry is typed and built.
pub(crate) enum Build {
    Function(BuildFunction),
    /// A function of the math table: `math.sqrt` (`python`: `floor`, `ceil`, `trunc` give
    /// `int64`, as Python's) or `np.sqrt` (they give floats, as NumPy's).
    Math { func: ir::MathFunc, python: bool },
    /// A NumPy function that is a method of its first argument `a`, an array: `np.sum(a)` is
    /// `a.sum()`. The method reads the other arguments by name.
    ArrayFunction(BuildMethod),
    Method(BuildMethod),
    Attribute(BuildAttribute),
}

pub(crate) struct Entry {
    /// `builtins.abs`, `math.sqrt`, `numpy.zeros`, `ndarray.sum`, `ndarray.shape`.
    pub name: &'static str,
    /// As users write it, for messages: `abs`, `math.sqrt`, `np.zeros`, `ndarray.sum`.
    pub callee: &'static str,
    pub signature: Signature,
    pub build: Build,
    /// A function of numbers applied to each element of array arguments (NumPy's ufuncs, and
    /// Python's `abs`, which arrays implement as `np.absolute`): its inputs may be arrays,
    /// which broadcast, and its builder types one element (see `array_exprs`).
    pub elementwise: bool,
}

/// What modules add their entries to.
#[derive(Default)]
pub(crate) struct Registry {
    /// Functions reached by qualified name (`builtins.`, `math.`, `numpy.`).
    functions: HashMap<&'static str, Entry>,
    /// Methods and attributes of arrays, by their bare name.
    array_members: HashMap<&'static str, Entry>,
}

impl Registry {
    /// Adds the callable `name` with the parameters `params` (a Python parameter list, see
    /// [`crate::builtins::bind`]). Each name is defined once.
    pub fn add(&mut self, name: &'static str, params: &'static str, build: Build) {
        let (namespace, member) = name.split_once('.').expect("qualified names have a module");
        let callee: &'static str = match namespace {
            "builtins" => member,
            "numpy" => Box::leak(format!("np.{member}").into_boxed_str()),
            _ => name,
        };
        // NumPy's element-wise functions are those with a ufunc's parameters: positional-only
        // inputs, then `out=` (reductions such as `np.sum` have an `out=` too, not after `/`).
        let elementwise = matches!(build, Build::Math { python: false, .. }) || (namespace == "numpy" && params.contains("/, out=None"));
        let entry = Entry { name, callee, signature: Signature::parse(params), build, elementwise };
        let map = if namespace == "ndarray" { &mut self.array_members } else { &mut self.functions };
        let previous = map.insert(if namespace == "ndarray" { member } else { name }, entry);
        assert!(previous.is_none(), "`{name}` is defined twice");
    }

    pub fn function(&mut self, name: &'static str, params: &'static str, build: BuildFunction) {
        self.add(name, params, Build::Function(build));
    }

    pub fn method(&mut self, name: &'static str, params: &'static str, build: BuildMethod) {
        self.add(name, params, Build::Method(build));
    }

    pub fn array_function(&mut self, name: &'static str, params: &'static str, build: BuildMethod) {
        self.add(name, params, Build::ArrayFunction(build));
    }

    pub fn attribute(&mut self, name: &'static str, build: BuildAttribute) {
        self.add(name, "", Build::Attribute(build));
    }

    /// Marks `name` (already added) element-wise over arrays, though its parameters are not a
    /// ufunc's (Python's `abs`).
    pub fn elementwise(&mut self, name: &'static str) {
        self.functions.get_mut(name).expect("added before").elementwise = true;
    }
}

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut r = Registry::default();
        crate::builtins::register(&mut r);
        crate::arrays::register(&mut r);
        crate::advanced_index::register(&mut r);
        crate::parallel::register(&mut r);
        crate::linalg::register(&mut r);
        crate::random::register(&mut r);
        crate::datetimes::register(&mut r);
        crate::lists::register(&mut r);
        crate::dicts::register(&mut r);
        crate::strings::register(&mut r);
        crate::typed_containers::register(&mut r);
        r
    })
}

/// The function called `qualified` (`math.sqrt`), if compiled code supports it.
pub(crate) fn function(qualified: &str) -> Option<&'static Entry> {
    registry().functions.get(qualified)
}

/// The array method or attribute `name` (`sum`, `shape`).
pub(crate) fn array_member(name: &str) -> Option<&'static Entry> {
    registry().array_members.get(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_math_table_name_is_registered_once() {
        // Building the registry parses every signature and refuses a name defined twice.
        for func in ir::MATH_FUNCTIONS {
            assert!(function(&format!("math.{}", func.name)).is_some(), "math.{}", func.name);
            for name in func.numpy {
                assert!(matches!(function(&format!("numpy.{name}")).map(|e| &e.build), Some(Build::Math { python: false, .. })), "numpy.{name}");
            }
        }
        let name = ir::MathFunc::ROUND_HALF_EVEN.name;
        assert!(function(&format!("math.{name}")).is_none() && function(&format!("numpy.{name}")).is_none());
    }
}
