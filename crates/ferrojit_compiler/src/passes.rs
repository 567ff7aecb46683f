//! The passes over the typed IR, in the order they run: inference builds the IR (and verifies
//! it), each pass below rewrites it, then codegen lowers it to LLVM IR. Each pass is a module
//! with one entry function; [`ferrojit_ir::verify`] runs after each, and a failure is a bug in
//! the pass that ran last.

use ferrojit_ir as ir;

/// A pass: its name (for messages) and its entry function.
pub struct Pass {
    pub name: &'static str,
    pub run: fn(&mut ir::Function),
}

/// The passes between inference and codegen, in order.
pub const PASSES: &[Pass] = &[
    // The loops a generator suspends in keep their state in locals, which its state saves.
    Pass { name: "generators", run: ferrojit_ir::generators::resumable_loops },
    // Array expressions read once by the next statement are computed inside its loop.
    Pass { name: "fusion", run: ferrojit_infer::fuse::fuse_statements },
    // Where references to heap values are taken and dropped: explicit from here on.
    Pass { name: "ownership", run: ferrojit_ir::ownership::insert_ownership },
];

/// Runs [`PASSES`] over every function of a typed program, verifying after each pass. The
/// error names the pass, the function and the broken invariant.
pub fn run_passes(functions: &mut [ir::Function]) -> Result<(), String> {
    for f in functions.iter_mut() {
        for pass in PASSES {
            (pass.run)(f);
            ir::verify(f).map_err(|msg| format!("typed IR of `{}` is invalid after the {} pass: {msg}", f.name, pass.name))?;
        }
    }
    Ok(())
}
