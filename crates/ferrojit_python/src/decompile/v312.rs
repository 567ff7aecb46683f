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
const LOAD_SUPER_ATTR_312: u8 = 141;
const END_SEND_312: u8 = 5;
// `CALL_INTRINSIC_1`'s arguments read (`INTRINSIC_IMPORT_STAR`, `INTRINSIC_STOPITERATION_ERROR`,
// `INTRINSIC_UNARY_POSITIVE`, `INTRINSIC_LIST_TO_TUPLE`).
const INTRINSIC_IMPORT_STAR: i64 = 2;
const INTRINSIC_STOPITERATION_ERROR: i64 = 3;
const INTRINSIC_UNARY_POSITIVE: i64 = 5;
const INTRINSIC_LIST_TO_TUPLE: i64 = 6;
// 3.11's `IMPORT_STAR` (3.12's `CALL_INTRINSIC_1 INTRINSIC_IMPORT_STAR`).
const IMPORT_STAR: u8 = 84;

// 3.12 instructions with no 3.11 counterpart that the translated stream keeps, under their 3.12
// numbers, which no 3.11 opcode has: the Python reader reads them by their 3.12 names
// (`ferrojit._bytecode.translated_instructions`).
/// Saves a variable of the function that an inlined comprehension (PEP 709) binds.
pub(super) const LOAD_FAST_AND_CLEAR_312: u8 = 143;
/// The handler of an exception thrown into the iterator of `yield from`.
const CLEANUP_THROW_312: u8 = 55;
/// `CALL_INTRINSIC_1 INTRINSIC_STOPITERATION_ERROR`, the handler around a generator's body,
/// under 3.12's number of `INTERPRETER_EXIT`, which no code object holds.
const STOPITERATION_ERROR_312: u8 = 3;

/// The opcodes 3.11 and 3.12 both have under one number (`opcode.opmap`), `CACHE` aside: the same
/// instruction with the same argument, but for what `translate_312` undoes (`LOAD_ATTR`'s method
/// bit, `COMPARE_OP`'s specialisation bits, `FOR_ITER`'s and `SEND`'s targets and caches). And
/// 3.12's conditional jumps, forward only, which are 3.11's forward ones (114, 115, 128, 129).
const NUMBERED_ALIKE_IN_312: &[u8] = &[
    1, 2, 9, 11, 12, 15, 25, 30, 31, 32, 33, 35, 36, 37, 49, 50, 51, 52, 53, 54, 60, 61, 68, 69, 71, 74, 75, 83, 85, 89, 90, 91, 92, 93, 94,
    95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 114, 115, 116, 117, 118, 119, 120, 122, 123, 124, 125,
    126, 128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 142, 144, 145, 146, 147, 149, 151, 152, 155, 156, 157, 162,
    163, 164, 165, 171, 172,
];

/// Whether 3.12's `op` is 3.11's instruction of the same number (see `NUMBERED_ALIKE_IN_312`).
fn same_in_312(op: u8) -> bool {
    NUMBERED_ALIKE_IN_312.contains(&op)
}

/// Code units of inline cache after a 3.12 opcode (`opcode._inline_cache_entries`).
pub(super) fn cache_entries_312(op: u8) -> usize {
    match op {
        LOAD_ATTR => 9,
        STORE_ATTR | LOAD_GLOBAL => 4,
        CALL => 3,
        BINARY_SUBSCR | STORE_SUBSCR | UNPACK_SEQUENCE | BINARY_OP | COMPARE_OP | FOR_ITER | SEND | LOAD_SUPER_ATTR_312 => 1,
        _ => 0,
    }
}

/// A 3.12 jump's target offset (its argument counts code units from past its caches), or None.
fn jump_target_312(op: u8, arg: i64, offset: usize) -> Option<i64> {
    let next = (offset + 2 + 2 * cache_entries_312(op)) as i64;
    match op {
        FOR_ITER | SEND | JUMP_FORWARD | POP_JUMP_FORWARD_IF_FALSE | POP_JUMP_FORWARD_IF_TRUE | POP_JUMP_FORWARD_IF_NONE | POP_JUMP_FORWARD_IF_NOT_NONE => Some(next + arg * 2),
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
        // 3.11's `FOR_ITER` jumps past the loop, 3.12's to the `END_FOR` there; and `SEND`
        // past `yield from`, 3.12's to the `END_SEND` there.
        END_FOR_312 | END_SEND_312 => vec![],
        LOAD_FAST_CHECK_312 => one(LOAD_FAST, arg),
        YIELD_VALUE_312 => one(YIELD_VALUE, arg),
        CALL_INTRINSIC_1_312 if arg == INTRINSIC_UNARY_POSITIVE => one(UNARY_POSITIVE, 0),
        CALL_INTRINSIC_1_312 if arg == INTRINSIC_LIST_TO_TUPLE => one(LIST_TO_TUPLE, 0),
        CALL_INTRINSIC_1_312 if arg == INTRINSIC_IMPORT_STAR => one(IMPORT_STAR, 0),
        CALL_INTRINSIC_1_312 if arg == INTRINSIC_STOPITERATION_ERROR => one(STOPITERATION_ERROR_312, 0),
        LOAD_FAST_AND_CLEAR_312 | CLEANUP_THROW_312 => one(op, arg),
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

// 3.11 opcodes of the exception handling the Python reader reads (`opcode.opmap`).
const PUSH_EXC_INFO: u8 = 35;
const WITH_EXCEPT_START: u8 = 49;
const RERAISE: u8 = 119;
const SEND: u8 = 123;
const CHECK_EXC_MATCH: u8 = 36;
const POP_EXCEPT: u8 = 89;

/// Whether control goes on from `op` to the instruction after it.
fn falls_through(op: u8) -> bool {
    !matches!(op, RETURN_VALUE | RAISE_VARARGS | RERAISE) && !is_unconditional_jump(op)
}

/// Whether two runs of instructions are the same code (jumps compared by target).
fn same_run(a: &[Ins], b: &[Ins]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.op == y.op && if is_jump(x.op) { x.target_offset == y.target_offset } else { x.arg == y.arg })
}

/// 3.12's exception handling laid out as 3.11 has it, for the Python reader: `ins` (decoded and
/// translated) with the handler each instruction goes to on an exception (`coverage`, from the
/// exception table), rewritten.
///
/// - The handlers 3.11 does not have are dropped, with the instructions they cover going to the
///   handler around them: the one around a generator's body (`CALL_INTRINSIC_1
///   INTRINSIC_STOPITERATION_ERROR; RERAISE 1`), `yield from`'s (`CLEANUP_THROW`), and an
///   inlined comprehension's, which restores the variables it saved (`SWAP 2; POP_TOP`, swaps
///   and `STORE_FAST`s, `RERAISE 0`; the comprehension itself is read as 3.12 compiles it).
/// - 3.12 moves the code only an exception reaches (the handlers of `try` and `with`, and their
///   cleanups) to the end of the function (`push_cold_blocks_to_end`), where 3.11 has it in
///   place: after the protected code's normal path and its jump over the handlers. Each handler
///   (a `PUSH_EXC_INFO` the exception table sends warm code to), with the cold code after it,
///   goes back: an `except` handler before the code its clauses jump to on their normal end; a
///   `finally` handler after the copy of its body the normal path runs (or after the exit the
///   protected code ends with); a `with` handler before the code after the statement, as 3.11
///   orders its parts (the call of `__exit__`, the cleanup, then the block that suppresses
///   the exception and falls into that code). A layout not recognised is left as it is: the
///   reader then fails, or the text it gives does not compile back to the function.
///
/// The jumps added take odd offsets from `synthetic` on, which no jump targets.
pub(super) fn exception_blocks_312(mut ins: Vec<Ins>, mut coverage: Vec<Option<Handler>>, aliases: &HashMap<usize, usize>, synthetic: &mut usize) -> (Vec<Ins>, Vec<Option<Handler>>) {
    let index_in = |ins: &[Ins], offset: usize| -> Option<usize> {
        let mut offset = offset;
        for _ in 0..ins.len() + 1 {
            if let Some(k) = ins.iter().position(|x| x.offset == offset) {
                return Some(k);
            }
            offset = *aliases.get(&offset)?;
        }
        None
    };
    // The handlers dropped, each with the handler around it.
    let mut dropped: HashMap<usize, Option<Handler>> = HashMap::new();
    let mut removed: BTreeSet<usize> = BTreeSet::new();
    let targets: BTreeSet<usize> = coverage.iter().flatten().map(|h| h.0).collect();
    for &t in &targets {
        let Some(h) = index_in(&ins, t) else { continue };
        let op_at = |k: usize| ins.get(k).map(|x| (x.op, x.arg));
        let length = match ins[h].op {
            STOPITERATION_ERROR_312 if op_at(h + 1).is_some_and(|(op, _)| op == RERAISE) => Some(2),
            CLEANUP_THROW_312 if ins.get(h + 1).is_some_and(|x| is_unconditional_jump(x.op)) => Some(2),
            SWAP if ins[h].arg == 2 && op_at(h + 1) == Some((POP_TOP, 0)) => {
                // The restores: stores of the saved values, brought up by swaps.
                let mut k = h + 2;
                while op_at(k).is_some_and(|(op, _)| op == SWAP || op == STORE_FAST) {
                    k += 1;
                }
                (k > h + 2 && op_at(k) == Some((RERAISE, 0))).then_some(k + 1 - h)
            }
            _ => None,
        };
        if let Some(n) = length {
            dropped.insert(t, coverage[h]);
            removed.extend(h..h + n);
        }
    }
    for c in coverage.iter_mut() {
        // A dropped handler inside another dropped one (a comprehension in a comprehension).
        for _ in 0..=dropped.len() {
            match *c {
                Some(h) if dropped.contains_key(&h.0) => *c = dropped[&h.0],
                _ => break,
            }
        }
    }
    let kept: Vec<usize> = (0..ins.len()).filter(|k| !removed.contains(k)).collect();
    let coverage_kept: Vec<Option<Handler>> = kept.iter().map(|&k| coverage[k]).collect();
    let mut taken: Vec<Option<Ins>> = ins.drain(..).map(Some).collect();
    ins = kept.iter().map(|&k| taken[k].take().unwrap()).collect();
    coverage = coverage_kept;

    match cold_blocks_in_place(&ins, &coverage, &index_in, synthetic) {
        Some(order) => {
            let mut taken: Vec<Option<Ins>> = ins.drain(..).map(Some).collect();
            let mut laid_out = vec![];
            let mut laid_coverage = vec![];
            for (k, x, c) in order {
                laid_out.push(match k {
                    Some(k) => taken[k].take().unwrap(),
                    None => x.unwrap(),
                });
                laid_coverage.push(c);
            }
            // A jump that the moves turned around is one of the other direction.
            let position: HashMap<usize, usize> = laid_out.iter().enumerate().map(|(k, x)| (x.offset, k)).collect();
            for k in 0..laid_out.len() {
                let x = &laid_out[k];
                if matches!(x.op, JUMP_FORWARD | JUMP_BACKWARD) {
                    if let Some(t) = index_in(&laid_out, x.target_offset.max(0) as usize).or_else(|| position.get(&(x.target_offset as usize)).copied()) {
                        laid_out[k].op = if t > k { JUMP_FORWARD } else { JUMP_BACKWARD };
                    }
                }
            }
            (laid_out, laid_coverage)
        }
        None => (ins, coverage),
    }
}

/// `(target offset, stack depth, lasti)`: where an exception-table entry sends an exception.
pub(super) type Handler = (usize, i64, bool);

/// One instruction of a new order: the index of an instruction of `ins`, or a new one, with the
/// handler that covers it.
type Placed = (Option<usize>, Option<Ins>, Option<Handler>);

/// The order of `exception_blocks_312`'s second step, or None when the layout is not one it
/// recognises.
fn cold_blocks_in_place(ins: &[Ins], coverage: &[Option<Handler>], index_in: &dyn Fn(&[Ins], usize) -> Option<usize>, synthetic: &mut usize) -> Option<Vec<Placed>> {
    let n = ins.len();
    // Warm: reached from the start by normal control flow.
    let mut warm = vec![false; n];
    let mut work = vec![0usize];
    while let Some(k) = work.pop() {
        if k >= n || warm[k] {
            continue;
        }
        warm[k] = true;
        let x = &ins[k];
        if falls_through(x.op) {
            work.push(k + 1);
        }
        if is_jump(x.op) || x.op == SEND {
            work.push(index_in(ins, x.target_offset.max(0) as usize)?);
        }
    }
    let first_cold = warm.iter().position(|w| !w)?;
    if warm[first_cold..].iter().any(|&w| w) {
        return None; // cold code before warm code: not 3.12's layout
    }
    // The handlers warm code goes to, in order.
    let mut tops: Vec<usize> = vec![];
    for k in 0..first_cold {
        if let Some((t, _, _)) = coverage[k] {
            let h = index_in(ins, t)?;
            if h >= first_cold && ins[h].op == PUSH_EXC_INFO && !tops.contains(&h) {
                tops.push(h);
            }
        }
    }
    tops.sort_unstable();
    if tops.first() != Some(&first_cold) {
        return None;
    }
    // Before which warm instruction each group goes (with a jump over it first or not).
    let mut inserts: Vec<(usize, Vec<Placed>)> = vec![];
    for (g, &h) in tops.iter().enumerate() {
        let group_end = tops.get(g + 1).copied().unwrap_or(n);
        let handler = ins[h].offset;
        let protected: Vec<usize> = (0..first_cold).filter(|&k| coverage[k].is_some_and(|c| c.0 == handler)).collect();
        let last = *protected.last()?;
        let place = |k: usize| -> Placed { (Some(k), None, coverage[k]) };
        let mut content: Vec<Placed> = (h..group_end).map(place).collect();
        let before: usize;
        if ins.get(h + 1).is_some_and(|x| x.op == WITH_EXCEPT_START) {
            // `PUSH_EXC_INFO; WITH_EXCEPT_START; POP_JUMP_IF_TRUE suppress; RERAISE 2`, then
            // `suppress: POP_TOP; POP_EXCEPT; POP_TOP; POP_TOP` and its way to after the
            // statement (a jump, or a copy of the exit block there), then the cleanup.
            let suppress = h + 4;
            let exit = suppress + 4;
            if exit >= group_end || ins[suppress].op != POP_TOP || ins[suppress + 1].op != POP_EXCEPT {
                return None;
            }
            let (after, exit_end) = if is_unconditional_jump(ins[exit].op) {
                (index_in(ins, ins[exit].target_offset.max(0) as usize)?, exit + 1)
            } else {
                let end = (exit..group_end).find(|&k| !falls_through(ins[k].op))? + 1;
                let copy = &ins[exit..end];
                ((last + 1..first_cold).find(|&q| q + copy.len() <= first_cold && same_run(&ins[q..q + copy.len()], copy))?, end)
            };
            let cleanup: Vec<usize> = (exit_end..group_end).collect();
            if cleanup.len() != 3 || ins[cleanup[0]].op != COPY || ins[cleanup[2]].op != RERAISE || after >= first_cold {
                return None;
            }
            content = (h..suppress).chain(cleanup).chain(suppress..exit).map(place).collect();
            before = after;
        } else if is_finally(ins, h, group_end) {
            let reraise = (h + 1..group_end).find(|&k| ins[k].op == RERAISE && ins[k].arg == 0)?;
            let body = &ins[h + 1..reraise];
            let mut q = last + 1;
            while q < first_cold && ins[q].op == NOP {
                q += 1;
            }
            if q + body.len() <= first_cold && same_run(&ins[q..q + body.len()], body) {
                before = q + body.len();
            } else {
                before = (last + 1..first_cold).find(|&k| !falls_through(ins[k].op))? + 1;
            }
        } else {
            // The warm code the clauses jump to when they end normally.
            let continuation = (h..group_end)
                .filter(|&k| is_unconditional_jump(ins[k].op))
                .filter_map(|k| index_in(ins, ins[k].target_offset.max(0) as usize))
                .filter(|&t| t > last && t < first_cold)
                .min();
            before = continuation.unwrap_or(last + 1);
        }
        if before > first_cold {
            return None;
        }
        if before > 0 && falls_through(ins[before - 1].op) {
            // The jump over the handler: covered as the code around the statement is.
            let outer = if coverage[before - 1].is_some_and(|c| c.0 == handler) { coverage[group_end - 1] } else { coverage[before - 1] };
            let target = if before < first_cold { ins[before].offset } else { return None };
            let jump = synthetic_jump(synthetic, target, ins[before - 1].line);
            content.insert(0, (None, Some(jump), outer));
        }
        inserts.push((before, content));
    }
    let mut order: Vec<Placed> = vec![];
    for k in 0..first_cold {
        for (before, content) in inserts.iter_mut() {
            if *before == k {
                order.append(content);
            }
        }
        order.push((Some(k), None, coverage[k]));
    }
    for (before, content) in inserts.iter_mut() {
        if *before == first_cold {
            order.append(content);
        }
    }
    Some(order)
}

/// Whether the handler at `h` (`PUSH_EXC_INFO`, its group of cold code ending at `end`) is a
/// `finally` body rather than `except` clauses (which pop the exception, a bare `except`, or
/// test its type first): the Python reader's `_is_finally_handler`.
fn is_finally(ins: &[Ins], h: usize, end: usize) -> bool {
    if ins.get(h + 1).is_some_and(|x| x.op == POP_TOP) {
        return false;
    }
    for k in h + 1..end {
        let op = ins[k].op;
        if op == CHECK_EXC_MATCH {
            return ins.get(k + 1).is_none_or(|x| x.op != POP_JUMP_FORWARD_IF_FALSE);
        }
        if is_store(op) || is_delete(op) || is_jump(op) || matches!(op, POP_TOP | POP_EXCEPT | RETURN_VALUE | RAISE_VARARGS | RERAISE | STORE_NAME_311) {
            return true;
        }
    }
    true
}
// 3.11's `STORE_NAME`, which `is_store` leaves out.
const STORE_NAME_311: u8 = 90;
