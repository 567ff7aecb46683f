//! CPython 3.12's bytecode, translated as it is decoded into the 3.11 instructions the reader
//! reads: opcodes renumbered or split (`translate_312`), and the instruction patterns 3.12 lays
//! out differently rewritten as 3.11 has them (`fuse_312`, `chain_cleanups_312`,
//! `loop_breaks_312`).

use super::*;

// CPython 3.12 opcodes with no 3.11 instruction of the same number (`opcode.opmap`).
const END_FOR_312: u8 = 4;
const BINARY_SLICE_312: u8 = 26;
const STORE_SLICE_312: u8 = 27;
const RETURN_CONST_312: u8 = 121;
const LOAD_FAST_CHECK_312: u8 = 127;
const YIELD_VALUE_312: u8 = 150;
const CALL_INTRINSIC_1_312: u8 = 173;
// `CALL_INTRINSIC_1`'s arguments read (`INTRINSIC_UNARY_POSITIVE`, `INTRINSIC_LIST_TO_TUPLE`).
const INTRINSIC_UNARY_POSITIVE: i64 = 5;
const INTRINSIC_LIST_TO_TUPLE: i64 = 6;

/// The opcodes of `SUPPORTED` that 3.12 numbers alike with the same meaning and inline cache
/// entries as 3.11 has them, or whose 3.12 differences `translate_312` undoes (`LOAD_ATTR`,
/// `COMPARE_OP`'s argument; the conditional jumps, forward only in 3.12).
fn same_in_312(op: u8) -> bool {
    SUPPORTED.contains(&op)
        && !matches!(
            op,
            UNARY_POSITIVE | LIST_TO_TUPLE | JUMP_IF_FALSE_OR_POP | JUMP_IF_TRUE_OR_POP | LOAD_METHOD | PRECALL | YIELD_VALUE
                | POP_JUMP_BACKWARD_IF_NOT_NONE | POP_JUMP_BACKWARD_IF_NONE | POP_JUMP_BACKWARD_IF_FALSE | POP_JUMP_BACKWARD_IF_TRUE
        )
}

/// Code units of inline cache after a 3.12 opcode (`opcode._inline_cache_entries`).
pub(super) fn cache_entries_312(op: u8) -> usize {
    match op {
        LOAD_ATTR => 9,
        STORE_ATTR | LOAD_GLOBAL => 4,
        CALL => 3,
        BINARY_SUBSCR | STORE_SUBSCR | UNPACK_SEQUENCE | BINARY_OP | COMPARE_OP | FOR_ITER => 1,
        _ => 0,
    }
}

/// A 3.12 jump's target offset (its argument counts code units from past its caches), or None.
fn jump_target_312(op: u8, arg: i64, offset: usize) -> Option<i64> {
    let next = (offset + 2 + 2 * cache_entries_312(op)) as i64;
    match op {
        FOR_ITER | JUMP_FORWARD | POP_JUMP_FORWARD_IF_FALSE | POP_JUMP_FORWARD_IF_TRUE | POP_JUMP_FORWARD_IF_NONE | POP_JUMP_FORWARD_IF_NOT_NONE => Some(next + arg * 2),
        JUMP_BACKWARD | JUMP_BACKWARD_NO_INTERRUPT => Some(next - arg * 2),
        _ => None,
    }
}

/// The 3.11 instructions a 3.12 instruction stands for (`op`, `arg`, its target offset when a
/// jump), in order: one, two (a `RETURN_CONST`, a slice) or none (`END_FOR`, whose offset then
/// stands for the next instruction). An instruction outside what is read is `NOT_READ`.
pub(super) fn translate_312(op: u8, arg: i64, offset: usize) -> Vec<(u8, i64, i64)> {
    let one = |op: u8, arg: i64| vec![(op, arg, jump_target_312(op, arg, offset).unwrap_or(0))];
    match op {
        // The method form of 3.11's `LOAD_METHOD` is `LOAD_ATTR` with its low bit set.
        LOAD_ATTR => one(if arg & 1 != 0 { LOAD_METHOD } else { LOAD_ATTR }, arg >> 1),
        // The operator is in the high bits (the low four are for specialisation).
        COMPARE_OP => one(COMPARE_OP, arg >> 4),
        RETURN_CONST_312 => vec![(LOAD_CONST, arg, 0), (RETURN_VALUE, 0, 0)],
        BINARY_SLICE_312 => vec![(BUILD_SLICE, 2, 0), (BINARY_SUBSCR, 0, 0)],
        STORE_SLICE_312 => vec![(BUILD_SLICE, 2, 0), (STORE_SUBSCR, 0, 0)],
        // 3.11's `FOR_ITER` jumps past the loop, 3.12's to the `END_FOR` there.
        END_FOR_312 => vec![],
        LOAD_FAST_CHECK_312 => one(LOAD_FAST, arg),
        YIELD_VALUE_312 => one(YIELD_VALUE, arg),
        CALL_INTRINSIC_1_312 if arg == INTRINSIC_UNARY_POSITIVE => one(UNARY_POSITIVE, 0),
        CALL_INTRINSIC_1_312 if arg == INTRINSIC_LIST_TO_TUPLE => one(LIST_TO_TUPLE, 0),
        _ if same_in_312(op) => one(op, arg),
        _ => one(NOT_READ, arg),
    }
}

/// 3.12's forms of two 3.11 instructions, rewritten as 3.11 has them; the instructions left out
/// have their offsets in `aliases`, each with the offset of the instruction it stands for (the
/// one after it).
/// - `COPY 1; POP_JUMP_IF_FALSE t; POP_TOP` is `JUMP_IF_FALSE_OR_POP t` (and `TRUE` alike): an
///   `and`/`or` value, a chained comparison's link.
/// - `POP_JUMP_IF_FALSE past; JUMP_BACKWARD t` is `POP_JUMP_BACKWARD_IF_TRUE t` (and the other
///   tests alike): 3.12's conditional jumps go forward only, so a backward one is compiled as
///   the opposite test jumping over a backward jump (`normalize_jumps`), which nothing else
///   jumps to.
pub(super) fn fuse_312(ins: Vec<Ins>, aliases: &mut Vec<(usize, usize)>) -> Vec<Ins> {
    let mut result: Vec<Ins> = Vec::with_capacity(ins.len());
    let mut k = 0;
    while k < ins.len() {
        let x = &ins[k];
        // The conditional jump after `k` (past its EXTENDED_ARG prefixes), and that index.
        let prefixed = |from: usize| {
            let mut j = from;
            while j < ins.len() && ins[j].op == EXTENDED_ARG {
                j += 1;
            }
            (j < ins.len()).then_some(j)
        };
        if x.op == COPY && x.arg == 1 {
            if let Some(j) = prefixed(k + 1) {
                let jump = &ins[j];
                if matches!(jump.op, POP_JUMP_FORWARD_IF_FALSE | POP_JUMP_FORWARD_IF_TRUE) && ins.get(j + 1).is_some_and(|p| p.op == POP_TOP) {
                    let op = if jump.op == POP_JUMP_FORWARD_IF_FALSE { JUMP_IF_FALSE_OR_POP } else { JUMP_IF_TRUE_OR_POP };
                    result.push(Ins { op, arg: jump.arg, target_offset: jump.target_offset, offset: x.offset, line: x.line });
                    if let Some(next) = ins.get(j + 2) {
                        aliases.extend(ins[k + 1..=j + 1].iter().map(|i| (i.offset, next.offset)));
                    }
                    k = j + 2;
                    continue;
                }
            }
        }
        if let Some(opposite) = match x.op {
            POP_JUMP_FORWARD_IF_FALSE => Some(POP_JUMP_BACKWARD_IF_TRUE),
            POP_JUMP_FORWARD_IF_TRUE => Some(POP_JUMP_BACKWARD_IF_FALSE),
            POP_JUMP_FORWARD_IF_NONE => Some(POP_JUMP_BACKWARD_IF_NOT_NONE),
            POP_JUMP_FORWARD_IF_NOT_NONE => Some(POP_JUMP_BACKWARD_IF_NONE),
            _ => None,
        } {
            if let Some(j) = prefixed(k + 1) {
                let back = &ins[j];
                if back.op == JUMP_BACKWARD && x.target_offset == back.offset as i64 + 2 {
                    result.push(Ins { op: opposite, arg: back.arg, target_offset: back.target_offset, offset: x.offset, line: x.line });
                    if let Some(next) = ins.get(j + 1) {
                        aliases.extend(ins[k + 1..=j].iter().map(|i| (i.offset, next.offset)));
                    }
                    k = j + 1;
                    continue;
                }
            }
        }
        result.push(Ins { op: x.op, arg: x.arg, target_offset: x.target_offset, offset: x.offset, line: x.line });
        k += 1;
    }
    result
}

/// The length of the code `ins[p..]` has in common with the copy of it at `copy` up to and
/// including a return or raise (jumps compared by target), or None when the copy is not one.
fn copied_exit_312(ins: &[Ins], p: usize, copy: usize) -> Option<usize> {
    let mut k = 0;
    loop {
        let (a, b) = (ins.get(p + k)?, ins.get(copy + k)?);
        let overlapping = if p < copy { p + k >= copy } else { copy + k >= p };
        if a.op != b.op || (if is_jump(a.op) { a.target_offset != b.target_offset } else { a.arg != b.arg }) || overlapping {
            return None;
        }
        if matches!(a.op, RETURN_VALUE | RAISE_VARARGS) {
            return Some(k + 1);
        }
        k += 1;
    }
}

/// A `JUMP_FORWARD` to `target` that 3.12 does not have, at an odd offset past the code's end
/// (which no jump targets).
fn synthetic_jump(synthetic: &mut usize, target: usize, line: Option<i64>) -> Ins {
    *synthetic += 2;
    Ins { op: JUMP_FORWARD, arg: 0, target_offset: target as i64, offset: *synthetic, line }
}

/// 3.12 compiles a `break` out of a `for` loop followed by a small exit block (`return s`
/// after the loop) as `POP_TOP` and a copy of that block, lines included; 3.11 as `POP_TOP;
/// JUMP_FORWARD` past the loop (or its `else`). This puts the jump back in place of the copy. A `return` in
/// the loop's body has lines of its own, so is never taken for a copy.
pub(super) fn loop_breaks_312(mut ins: Vec<Ins>, synthetic: &mut usize) -> Vec<Ins> {
    let mut h = 0;
    while h < ins.len() {
        if ins[h].op != FOR_ITER {
            h += 1;
            continue;
        }
        // The loop's exit: past its `END_FOR`.
        let exit = ins[h].target_offset as usize;
        let Some(mut e) = ins.iter().position(|x| x.offset == exit || x.offset == exit + 2) else { break };
        let mut p = h + 1;
        while p < e {
            // The code copied: past the loop, or past its `else` block.
            let original = (ins[p - 1].op == POP_TOP && ins[p].line != ins[p - 1].line)
                .then(|| (e..ins.len()).find_map(|q| copied_exit_312(&ins, q, p).filter(|&n| p + n <= e && (0..n).all(|k| ins[p + k].line == ins[q + k].line)).map(|n| (q, n))))
                .flatten();
            if let Some((q, n)) = original {
                let jump = synthetic_jump(synthetic, ins[q].offset, ins[p - 1].line);
                ins.splice(p..p + n, [jump]);
                e -= n - 1;
            }
            p += 1;
        }
        h += 1;
    }
    ins
}

/// 3.12 moves the cleanup of a chained comparison (`SWAP 2; POP_TOP` for a value, `POP_TOP` in
/// a condition: the middle operand left when a link is false) to the end of the code, followed
/// by a jump back to where the chain's value is used (or its condition's false branch) or by a
/// copy of the code there up to its return. 3.11 has it right after the chain, jumped over:
/// `...; COMPARE_OP; JUMP_FORWARD after; cleanup: SWAP 2; POP_TOP; after: ...` for a value,
/// `...; COMPARE_OP; POP_JUMP_FORWARD_IF_FALSE f; JUMP_FORWARD body; cleanup: POP_TOP;
/// JUMP_FORWARD f; body: ...` in a condition. This puts the cleanup back there (keeping its
/// offsets, which the links jump to) and drops the jump or copy after it. The jumps it adds
/// take odd offsets past the code's end, which no jump targets.
pub(super) fn chain_cleanups_312(mut ins: Vec<Ins>, synthetic: &mut usize) -> Vec<Ins> {
    let mut done: BTreeSet<usize> = BTreeSet::new();
    let mut jump = |target: usize, line: Option<i64>| synthetic_jump(synthetic, target, line);
    'search: loop {
        let index_of: HashMap<usize, usize> = ins.iter().enumerate().map(|(k, x)| (x.offset, k)).collect();
        for l in 3..ins.len() {
            let link = &ins[l];
            if done.contains(&link.offset) || !matches!(link.op, JUMP_IF_FALSE_OR_POP | POP_JUMP_FORWARD_IF_FALSE) {
                continue;
            }
            if !(is_compare(ins[l - 1].op) && ins[l - 2].op == COPY && ins[l - 2].arg == 2 && ins[l - 3].op == SWAP && ins[l - 3].arg == 2) {
                continue;
            }
            let Some(&t) = index_of.get(&(link.target_offset as usize)) else { continue };
            let value = link.op == JUMP_IF_FALSE_OR_POP;
            let rest = if value {
                if ins[t].op == SWAP && ins[t].arg == 2 && ins.get(t + 1).is_some_and(|x| x.op == POP_TOP) { t + 2 } else { continue }
            } else if ins[t].op == POP_TOP {
                t + 1
            } else {
                continue;
            };
            // Only a cleanup after an exit (at the end of the code) was moved: one jumped over
            // right after the chain's last compare or jump is in place already.
            let in_place = ins[t - 1].op == JUMP_FORWARD && (is_compare(ins[t - 2].op) || conditional_jump(ins[t - 2].op).is_some());
            if t <= l || in_place || !matches!(ins[t - 1].op, RETURN_VALUE | RAISE_VARARGS | JUMP_FORWARD | JUMP_BACKWARD) || rest >= ins.len() {
                continue;
            }
            // Whether the cleanup goes on to `p` (by a jump or a copy), and the end of the jump
            // or copy after it. (One that falls into the false branch of a conditional
            // expression, `return x if a < b < c else y`, has no 3.11 form the reader takes.)
            let goes_to = |p: usize| -> Option<usize> {
                if is_unconditional_jump(ins[rest].op) {
                    (ins[rest].target_offset == ins[p].offset as i64).then_some(rest + 1)
                } else {
                    copied_exit_312(&ins, p, rest).map(|n| rest + n)
                }
            };
            done.insert(link.offset);
            let mut relaid = None;
            for j in l + 1..t {
                // The chain's last compare, or (in a condition) its last link `is None` or
                // `is not None`, which became the jump.
                let none_jump = !value && conditional_jump(ins[j].op).is_some_and(|(_, none_test)| none_test);
                if !is_compare(ins[j - 1].op) && !none_jump {
                    continue;
                }
                if value {
                    if let Some(end) = goes_to(j) {
                        let mut out: Vec<Ins> = ins.drain(..).collect();
                        let tail: Vec<Ins> = out.drain(end..).collect();
                        out.truncate(rest);
                        let cleanup: Vec<Ins> = out.drain(t..).collect();
                        let middle: Vec<Ins> = out.drain(j..).collect();
                        let after = jump(middle[0].offset, out[j - 1].line);
                        out.push(after);
                        out.extend(cleanup);
                        out.extend(middle);
                        out.extend(tail);
                        relaid = Some(out);
                        break;
                    }
                } else if ins[j].op == POP_JUMP_FORWARD_IF_FALSE || none_jump {
                    let Some(&f) = index_of.get(&(ins[j].target_offset as usize)) else { continue };
                    if let Some(end) = goes_to(f) {
                        let false_offset = ins[f].offset;
                        let mut out: Vec<Ins> = ins.drain(..).collect();
                        let tail: Vec<Ins> = out.drain(end..).collect();
                        out.truncate(rest);
                        let cleanup: Vec<Ins> = out.drain(t..).collect();
                        let body: Vec<Ins> = out.drain(j + 1..).collect();
                        let line = out[j].line;
                        let over = jump(body[0].offset, line);
                        let to_false = jump(false_offset, line);
                        out.push(over);
                        out.extend(cleanup);
                        out.push(to_false);
                        out.extend(body);
                        out.extend(tail);
                        relaid = Some(out);
                        break;
                    }
                }
            }
            if let Some(out) = relaid {
                ins = out;
            }
            continue 'search;
        }
        return ins;
    }
}
