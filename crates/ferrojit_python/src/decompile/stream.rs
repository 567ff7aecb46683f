//! A code object's instructions as 3.11's, with its exception table, for the Python reader
//! (`ferrojit._native.instructions`): on 3.11 what `ferrojit._bytecode` decodes, on a later
//! Python its bytecode translated into 3.11's instructions (`decode`) and its exception
//! handling laid out as 3.11 has it (`v312::exception_blocks_312`), so that one reader reads both.

use super::v312::{exception_blocks_312, Handler};
use super::*;

/// `code.co_exceptiontable`'s entries as `(start, end, handler)`, offsets in bytes, `end`
/// exclusive (as `ferrojit._bytecode.exception_table` decodes them).
fn exception_entries(code: &Bound<'_, PyAny>) -> PyResult<Vec<(usize, usize, Handler)>> {
    let table = code.getattr("co_exceptiontable")?;
    let table = table.cast::<PyBytes>()?.as_bytes();
    let mut at = 0;
    // Six bits a byte, most significant first; bit 6 says another byte follows.
    let mut varint = || -> Option<usize> {
        let mut byte = *table.get(at)?;
        at += 1;
        let mut value = usize::from(byte & 63);
        while byte & 64 != 0 {
            byte = *table.get(at)?;
            at += 1;
            value = (value << 6) | usize::from(byte & 63);
        }
        Some(value)
    };
    let mut entries = vec![];
    while let (Some(start), Some(length), Some(target), Some(depth_lasti)) = (varint(), varint(), varint(), varint()) {
        entries.push((start * 2, (start + length) * 2, (target * 2, (depth_lasti >> 1) as i64, depth_lasti & 1 != 0)));
    }
    Ok(entries)
}

/// One instruction as `ferrojit._bytecode.translated_instructions` reads it: `(opcode, arg,
/// target offset of a jump, offset, line)`, the opcode 3.11's (or a 3.12 instruction 3.11 lacks,
/// under its 3.12 number, which 3.11 leaves free).
type Instruction = (u8, i64, Option<i64>, usize, Option<i64>);
/// An exception-table entry: `(start, end, target, depth, lasti)`, offsets of the instructions
/// (`end` that of the first instruction past the range, -1 past the last).
type Entry = (usize, i64, usize, i64, bool);

/// `(instructions, aliases, exception table)` of `code` as 3.11 has them (see the module's
/// comment); `aliases` maps the offsets of instructions left out (3.12's `END_FOR`, the parts of a
/// pattern fused into one 3.11 instruction) to the offset of the instruction that stands for them.
/// None on a Python whose bytecode is not read.
#[pyfunction]
pub(crate) fn instructions(code: &Bound<'_, PyAny>) -> PyResult<Option<(Vec<Instruction>, Vec<(usize, usize)>, Vec<Entry>)>> {
    let Some(dialect) = dialect(code.py()) else { return Ok(None) };
    let Some((ins, aliases)) = decode(code, false)? else { return Ok(None) };
    let code_length = code.getattr("co_code")?.cast::<PyBytes>()?.as_bytes().len();
    let entries = exception_entries(code)?;
    // The handler of each instruction; one the translation added (a jump, past the code's end)
    // has that of the instruction before it.
    let mut coverage: Vec<Option<Handler>> = vec![];
    for x in &ins {
        let covered = if x.offset >= code_length {
            coverage.last().copied().flatten()
        } else {
            entries.iter().find(|(start, end, _)| *start <= x.offset && x.offset < *end).map(|e| e.2)
        };
        coverage.push(covered);
    }
    let aliases: HashMap<usize, usize> = aliases.into_iter().collect();
    let (ins, coverage) = match dialect {
        Dialect::V311 => (ins, coverage),
        Dialect::V312 => {
            let mut synthetic = ins.iter().map(|x| x.offset).max().unwrap_or(0).max(code_length) | 1;
            exception_blocks_312(ins, coverage, &aliases, &mut synthetic)
        }
    };
    // The entries: the runs of instructions with one handler.
    let mut table: Vec<Entry> = vec![];
    let mut k = 0;
    while k < ins.len() {
        let Some((target, depth, lasti)) = coverage[k] else {
            k += 1;
            continue;
        };
        let mut end = k + 1;
        while end < ins.len() && coverage[end] == coverage[k] {
            end += 1;
        }
        table.push((ins[k].offset, ins.get(end).map_or(-1, |x| x.offset as i64), target, depth, lasti));
        k = end;
    }
    let listed = ins.iter().map(|x| (x.op, x.arg, (is_jump(x.op) || x.op == SEND_311).then_some(x.target_offset), x.offset, x.line)).collect();
    // Each alias with the instruction it finally stands for.
    let resolved = aliases
        .keys()
        .map(|&alias| {
            let mut next = aliases[&alias];
            for _ in 0..aliases.len() {
                match aliases.get(&next) {
                    Some(&further) => next = further,
                    None => break,
                }
            }
            (alias, next)
        })
        .collect();
    Ok(Some((listed, resolved, table)))
}

// 3.11's `SEND`, a jump `is_jump` (the native reader's) leaves out.
const SEND_311: u8 = 123;
