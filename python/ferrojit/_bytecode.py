"""CPython's instructions decoded from a code object's ``co_code``, and its exception table.

Read by the Python rebuilding of a function's text (``ferrojit._decompile``) and by
``ferrojit._source``'s comparison of a rebuilt text's code with the function's, which must not
import the rebuilding (a large module) when the native reader (``ferrojit._native.function_text``)
rebuilt the text.
"""

from __future__ import annotations

import opcode
import sys

# The rebuilding (and `ferrojit._source`'s check of the rebuilt text) reads instructions as
# `dis.get_instructions` gives them, but only a few of their fields. `dis` is slow to import and
# builds much that is not read (argument reprs, jump labels, line starts, two named tuples per
# instruction); the first call of a function defined in `exec()` would pay for all of it, which
# one defined in a file does not. So `co_code` is decoded here, with the tables of `opcode` (the
# small module `dis` is built on).
#
# Each `_Instruction` has the fields of `dis.Instruction` that are read, with the same values
# (`tests/test_no_source.py` compares them with `dis`'s over many code objects): `opname`,
# `opcode`, `offset`, `arg` (with the bits of the `EXTENDED_ARG` prefixes before it, which are
# instructions too), `argval` and `lineno` (`dis`'s `positions.lineno`). `argval` is what the
# argument means: the constant of `LOAD_CONST` (and 3.12's `RETURN_CONST`), the name of name, local and free-variable
# instructions (`LOAD_GLOBAL`'s and 3.12's `LOAD_ATTR`'s without its low bit), a jump's target offset, `COMPARE_OP`'s
# operator; otherwise the argument itself (`dis` gives `KW_NAMES` `dis.UNKNOWN` and
# `FORMAT_VALUE` a pair, which nothing here reads), and None without an argument.

# What an opcode's `argval` is, by opcode: one table made once, so that decoding looks each
# instruction's kind up instead of testing the opcode against `opcode`'s lists.
_NO_ARG, _CONST, _NAME, _GLOBAL, _SUPER_NAME, _JUMP_ABSOLUTE, _JUMP_FORWARD, _JUMP_BACKWARD, _LOCAL, _COMPARE, _ARG = range(11)


def _kinds():
    kinds = [_NO_ARG if op < opcode.HAVE_ARGUMENT else _ARG for op in range(256)]

    def real(ops):
        # From Python 3.12 on, `opcode`'s lists also hold the compiler's pseudo-instructions,
        # numbered from 256, which never stand in `co_code`.
        return [op for op in ops if op < 256]

    for op in real(opcode.hasconst):
        kinds[op] = _CONST
    for op in real(opcode.hasname):
        kinds[op] = _NAME
    kinds[opcode.opmap["LOAD_GLOBAL"]] = _GLOBAL
    if sys.version_info >= (3, 12):
        # 3.12's `LOAD_ATTR` says in its low bit whether it loads a method (3.11's `LOAD_METHOD`).
        kinds[opcode.opmap["LOAD_ATTR"]] = _GLOBAL
        # And `LOAD_SUPER_ATTR` in its two low bits (a method, a `super()` of two arguments).
        kinds[opcode.opmap["LOAD_SUPER_ATTR"]] = _SUPER_NAME
    for op in real(opcode.hasjabs):
        kinds[op] = _JUMP_ABSOLUTE
    for op in real(opcode.hasjrel):
        # As `dis`: a relative jump whose name says backward counts its argument backward.
        kinds[op] = _JUMP_BACKWARD if "JUMP_BACKWARD" in opcode.opname[op] else _JUMP_FORWARD
    for op in real(opcode.haslocal + opcode.hasfree):
        kinds[op] = _LOCAL
    for op in real(opcode.hascompare):
        kinds[op] = _COMPARE
    return kinds


_KINDS = _kinds()
_OPNAMES = opcode.opname
# Code units of inline cache after each opcode (`CACHE` entries, which are not instructions).
_CACHES = opcode._inline_cache_entries  # type: ignore[attr-defined]  # private, as `dis` reads it
_EXTENDED_ARG = opcode.EXTENDED_ARG
# The opcodes whose `argval` is their constant (`KW_NAMES`' is not read).
_CONSTANT_LOADS = frozenset(opcode.opmap[name] for name in ("LOAD_CONST", "RETURN_CONST") if name in opcode.opmap)
# `COMPARE_OP`'s argument is the operator's index shifted left by this (from 3.12 on, the low
# bits are for specialisation).
_COMPARE_SHIFT = 4 if sys.version_info >= (3, 12) else 0
# Opcodes whose argument is a jump target.
JUMPS = frozenset(opcode.hasjrel + opcode.hasjabs)
# An `EXTENDED_ARG` prefix's bits wrap as a C `int` (as in `dis._unpack_opargs`).
_INT_OVERFLOW = 2**31


class _Instruction:
    """One instruction (its fields: see the comment that opens this section)."""

    __slots__ = ("opname", "opcode", "arg", "argval", "offset", "lineno")

    def __init__(self, opname, op, arg, argval, offset, lineno):
        self.opname = opname
        self.opcode = op
        self.arg = arg
        self.argval = argval
        self.offset = offset
        self.lineno = lineno

    def __repr__(self):
        return f"Instruction({self.opname}, arg={self.arg}, argval={self.argval!r}, offset={self.offset}, line={self.lineno})"


# id of a code object -> (the code object, its instructions), for the code objects of the last
# function rebuilt (`function_text` empties it): `ferrojit._source` reads them again right
# after (the function's global calls, its comparison without NOPs). The code object is kept
# with its instructions, so that its id stays its own.
_decoded: dict[int, tuple[object, list[_Instruction]]] = {}


def instructions(code):
    """The instructions of ``code``, in order, as ``list(dis.get_instructions(code))`` has
    them (``CACHE`` entries left out). The list may be shared: not to be modified."""
    known = _decoded.get(id(code))
    if known is not None and known[0] is code:
        return known[1]
    raw = code.co_code  # the unspecialised bytecode: every opcode is its base one
    # One position per code unit, cache entries included.
    lines = [position[0] for position in code.co_positions()]
    consts = code.co_consts
    names = code.co_names
    local_name = code._varname_from_oparg  # locals, cells and free variables, as `dis` names them
    kinds, opnames, caches = _KINDS, _OPNAMES, _CACHES
    result = []
    extended = 0
    offset = 0
    end = len(raw)
    while offset < end:
        op = raw[offset]
        kind = kinds[op]
        if kind == _NO_ARG:
            arg = argval = None
            extended = 0
        else:
            arg = argval = raw[offset + 1] | extended
            if op == _EXTENDED_ARG:
                extended = arg << 8
                if extended >= _INT_OVERFLOW:
                    extended -= 2 * _INT_OVERFLOW
            else:
                extended = 0
            if kind == _NAME:
                argval = names[arg]
            elif kind == _LOCAL:
                argval = local_name(arg)
            elif kind == _JUMP_FORWARD:
                # Counted from past the jump's inline caches (3.12's `FOR_ITER` has one).
                argval = offset + 2 + arg * 2 + 2 * caches[op]
            elif kind == _JUMP_BACKWARD:
                argval = offset + 2 - arg * 2 + 2 * caches[op]
            elif kind == _CONST:
                argval = consts[arg] if op in _CONSTANT_LOADS else arg
            elif kind == _GLOBAL:
                argval = names[arg >> 1]
            elif kind == _SUPER_NAME:
                argval = names[arg >> 2]
            elif kind == _JUMP_ABSOLUTE:
                argval = arg * 2
            elif kind == _COMPARE:
                argval = opcode.cmp_op[arg >> _COMPARE_SHIFT]
        result.append(_Instruction(opnames[op], op, arg, argval, offset, lines[offset >> 1]))
        offset += 2 + 2 * caches[op]
    _decoded[id(code)] = (code, result)
    return result


def exception_table(code):
    """``code``'s exception table as ``(start, end, target, depth, lasti)`` tuples, offsets in
    bytes with ``end`` exclusive (``dis._parse_exception_table``'s entries)."""
    table = code.co_exceptiontable
    entries = []
    at = 0

    def varint():
        # Six bits a byte, most significant first; bit 6 says another byte follows.
        nonlocal at
        byte = table[at]
        at += 1
        value = byte & 63
        while byte & 64:
            byte = table[at]
            at += 1
            value = (value << 6) | (byte & 63)
        return value

    while at < len(table):
        start = varint() * 2
        end = start + varint() * 2
        target = varint() * 2
        depth_lasti = varint()
        entries.append((start, end, target, depth_lasti >> 1, bool(depth_lasti & 1)))
    return entries


# --- the instructions of a later Python, as 3.11's ------------------------------------------------
#
# The Python reader (`ferrojit._decompile`) reads 3.11's instructions. On a later Python, the
# native decoder translates a code object's bytecode into them (`ferrojit._native.instructions`:
# 3.11's opcodes, with 3.12's exception handling laid out as 3.11 has it), and
# `translated_instructions` gives them the fields above, by 3.11's tables: the opcodes 3.11 and
# 3.12 number alike have their names in the running Python's `opcode`, the others are these.
_OPNAMES_311_ONLY = {
    10: "UNARY_POSITIVE", 70: "PRINT_EXPR", 82: "LIST_TO_TUPLE", 84: "IMPORT_STAR", 86: "YIELD_VALUE",
    87: "ASYNC_GEN_WRAP", 88: "PREP_RERAISE_STAR", 111: "JUMP_IF_FALSE_OR_POP", 112: "JUMP_IF_TRUE_OR_POP",
    114: "POP_JUMP_FORWARD_IF_FALSE", 115: "POP_JUMP_FORWARD_IF_TRUE", 128: "POP_JUMP_FORWARD_IF_NOT_NONE",
    129: "POP_JUMP_FORWARD_IF_NONE", 148: "LOAD_CLASSDEREF", 160: "LOAD_METHOD", 166: "PRECALL",
    173: "POP_JUMP_BACKWARD_IF_NOT_NONE", 174: "POP_JUMP_BACKWARD_IF_NONE", 175: "POP_JUMP_BACKWARD_IF_FALSE",
    176: "POP_JUMP_BACKWARD_IF_TRUE",
}
# 3.11's `HAVE_ARGUMENT`: the opcodes below it take no argument.
_HAVE_ARGUMENT_311 = 90
# 3.11's opcodes whose argument is a name (`LOAD_GLOBAL`'s shifted by its NULL bit; the
# translation already shifted `LOAD_ATTR`'s and `LOAD_METHOD`'s), a constant, a local or free
# variable (3.12's `LOAD_FAST_AND_CLEAR`, 143, kept by the translation, among them), an operator.
_NAMES_311 = frozenset((90, 91, 95, 96, 97, 98, 101, 106, 108, 109, 160))
_LOAD_GLOBAL_311 = 116
_LOAD_CONST_311 = 100
_LOCALS_311 = frozenset((124, 125, 126, 135, 136, 137, 138, 139, 143, 148))
_COMPARE_OP_311 = 107


def translated_instructions(code):
    """``(instructions, aliases, exception_table)`` of ``code`` as CPython 3.11 has them, read by
    the Python reader on a later Python (see the comment above): the instructions as
    :func:`instructions` gives them on 3.11, the offsets of those the translation left out
    mapped to the offset of the instruction that stands for them, and the exception table as
    :func:`exception_table` gives it (``end`` -1 past the last instruction)."""
    from . import _native

    translated = _native.instructions(code)
    if translated is None:
        return None
    listed, aliases, table = translated
    consts = code.co_consts
    names = code.co_names
    local_name = code._varname_from_oparg
    result = []
    for op, arg, target, offset, line in listed:
        if target is not None:
            argval = target
        elif op < _HAVE_ARGUMENT_311:
            arg = argval = None
        elif op == _LOAD_CONST_311:
            argval = consts[arg]
        elif op == _LOAD_GLOBAL_311:
            argval = names[arg >> 1]
        elif op in _NAMES_311:
            argval = names[arg]
        elif op in _LOCALS_311:
            argval = local_name(arg)
        elif op == _COMPARE_OP_311:
            argval = opcode.cmp_op[arg]
        else:
            argval = arg
        result.append(_Instruction(_OPNAMES_311_ONLY.get(op) or _OPNAMES[op], op, arg, argval, offset, line))
    return result, dict(aliases), table
