"""Python's ``heapq`` module in compiled code: ``heappush``, ``heappop``, ``heapreplace``,
``heappushpop``, ``heapify``, ``nsmallest``, ``nlargest`` and ``merge`` on lists, with CPython's
results and errors.

The heap functions are CPython's own algorithms (``Lib/heapq.py``, which ``_heapq`` implements
in C with the same steps): the same items are compared in the same order, so a heap holds its
items in CPython's order after every operation, and items that do not order totally (NaN)
give CPython's results too. Items compare with ``<`` only: numbers, strings, tuples of them
(Dijkstra's ``(dist, node)``), lists. ``nsmallest``/``nlargest`` take a list, a homogeneous
tuple, a 1-d array or a string; ``merge`` gives the list of what CPython's generator yields.
"""

from __future__ import annotations

import heapq

from .. import types
from ..extending import CallRefused, overload, register_jitable


def _heap_or_refuse(heap, callee):
    if not isinstance(heap, types.List):
        raise CallRefused(f"`heapq.{callee}()` needs a list as its heap, not a `{heap}`", hint="keep the heap in a list")


def _key_function(key, callee):
    if not (key is None or isinstance(key, (types.NoneType, types.Function))):
        raise CallRefused(f"the `key` of `heapq.{callee}()` must be a function or None, not `{key}`", hint="pass a compiled function, an inner function or a lambda")


def _sized_or_refuse(iterable, callee):
    """``nsmallest``/``nlargest`` read their items by position: a list, a homogeneous tuple,
    a 1-d array or a string."""
    sized = isinstance(iterable, (types.List, types.UnicodeType)) or (isinstance(iterable, types.Array) and iterable.ndim == 1)
    uniform = isinstance(iterable, types.BaseTuple) and len(iterable.types) > 0 and all(t == iterable.types[0] for t in iterable.types)
    if not (sized or uniform):
        raise CallRefused(f"`heapq.{callee}()` of a `{iterable}` is not supported", hint="pass a list, a tuple of items of one type, a 1-d array or a string")


# ---- CPython's sifts (Lib/heapq.py) -------------------------------------------------------


@register_jitable
def _siftdown(heap, startpos, pos):
    """Moves the item at ``pos`` up toward ``startpos`` while it is smaller than its parent."""
    newitem = heap[pos]
    while pos > startpos:
        parentpos = (pos - 1) >> 1
        parent = heap[parentpos]
        if newitem < parent:
            heap[pos] = parent
            pos = parentpos
            continue
        break
    heap[pos] = newitem


@register_jitable
def _siftup(heap, pos):
    """Moves the smaller child up until a leaf is reached, then the item at ``pos`` down into
    that leaf's place and up again (``_siftdown``): fewer comparisons than stopping early."""
    endpos = len(heap)
    startpos = pos
    newitem = heap[pos]
    childpos = 2 * pos + 1
    while childpos < endpos:
        rightpos = childpos + 1
        if rightpos < endpos and not heap[childpos] < heap[rightpos]:
            childpos = rightpos
        heap[pos] = heap[childpos]
        pos = childpos
        childpos = 2 * pos + 1
    heap[pos] = newitem
    _siftdown(heap, startpos, pos)


@register_jitable
def _siftdown_max(heap, startpos, pos):
    """``_siftdown`` of a max-heap."""
    newitem = heap[pos]
    while pos > startpos:
        parentpos = (pos - 1) >> 1
        parent = heap[parentpos]
        if parent < newitem:
            heap[pos] = parent
            pos = parentpos
            continue
        break
    heap[pos] = newitem


@register_jitable
def _siftup_max(heap, pos):
    """``_siftup`` of a max-heap."""
    endpos = len(heap)
    startpos = pos
    newitem = heap[pos]
    childpos = 2 * pos + 1
    while childpos < endpos:
        rightpos = childpos + 1
        if rightpos < endpos and not heap[rightpos] < heap[childpos]:
            childpos = rightpos
        heap[pos] = heap[childpos]
        pos = childpos
        childpos = 2 * pos + 1
    heap[pos] = newitem
    _siftdown_max(heap, startpos, pos)


@register_jitable
def _heapify(x):
    # In reverse order, each node's children are heaps before it is sifted (`_heapq` visits
    # the nodes of large heaps in another order that, as its comment says, builds the same heap).
    for i in range(len(x) // 2 - 1, -1, -1):
        _siftup(x, i)


@register_jitable
def _heapify_max(x):
    for i in range(len(x) // 2 - 1, -1, -1):
        _siftup_max(x, i)


@register_jitable
def _heappop(heap):
    if len(heap) == 0:
        raise IndexError("index out of range")
    lastelt = heap.pop()
    if len(heap) > 0:
        returnitem = heap[0]
        heap[0] = lastelt
        _siftup(heap, 0)
        return returnitem
    return lastelt


@register_jitable
def _heappop_max(heap):
    if len(heap) == 0:
        raise IndexError("index out of range")
    lastelt = heap.pop()
    if len(heap) > 0:
        returnitem = heap[0]
        heap[0] = lastelt
        _siftup_max(heap, 0)
        return returnitem
    return lastelt


@register_jitable
def _heapreplace(heap, item):
    if len(heap) == 0:
        raise IndexError("index out of range")
    returnitem = heap[0]
    heap[0] = item
    _siftup(heap, 0)
    return returnitem


@register_jitable
def _heapreplace_max(heap, item):
    if len(heap) == 0:
        raise IndexError("index out of range")
    returnitem = heap[0]
    heap[0] = item
    _siftup_max(heap, 0)
    return returnitem


@register_jitable
def _first_extreme(iterable, key, largest):
    """The position of ``min(iterable, key=key)`` (``max`` with ``largest``) of a non-empty
    iterable: as CPython's, a later item replaces the best only when its key is strictly
    smaller (larger)."""
    best = 0
    if key is None:
        best_key = iterable[0]
    else:
        best_key = key(iterable[0])
    for i in range(1, len(iterable)):
        if key is None:
            k = iterable[i]
        else:
            k = key(iterable[i])
        if (k > best_key) if largest else (k < best_key):
            best = i
            best_key = k
    return best


# ---- the module's functions --------------------------------------------------------------


@overload(heapq.heappush)
def heappush(heap, item):
    _heap_or_refuse(heap, "heappush")

    def impl(heap, item):
        heap.append(item)
        _siftdown(heap, 0, len(heap) - 1)

    return impl


@overload(heapq.heappop)
def heappop(heap):
    _heap_or_refuse(heap, "heappop")

    def impl(heap):
        return _heappop(heap)

    return impl


@overload(heapq.heapreplace)
def heapreplace(heap, item):
    _heap_or_refuse(heap, "heapreplace")

    def impl(heap, item):
        return _heapreplace(heap, item)

    return impl


@overload(heapq.heappushpop)
def heappushpop(heap, item):
    _heap_or_refuse(heap, "heappushpop")

    def impl(heap, item):
        if len(heap) > 0 and heap[0] < item:
            returnitem = heap[0]
            heap[0] = item
            _siftup(heap, 0)
            return returnitem
        return item

    return impl


@overload(heapq.heapify)
def heapify(x):
    _heap_or_refuse(x, "heapify")

    def impl(x):
        _heapify(x)

    return impl


@overload(heapq.nsmallest)
def nsmallest(n, iterable, key=None):
    _key_function(key, "nsmallest")
    _sized_or_refuse(iterable, "nsmallest")
    if not isinstance(n, (types.Integer, types.Boolean)):
        raise CallRefused(f"`heapq.nsmallest()` needs an integer count, not a `{n}`")

    # CPython's `nsmallest`, branch for branch; the iterator it consumes is a position here.
    def impl(n, iterable, key=None):
        size = len(iterable)
        if n == 1:
            # `min()` of the items (the first smallest), or nothing.
            out = [iterable[i] for i in range(0)]
            if size > 0:
                out.append(iterable[_first_extreme(iterable, key, False)])
            return out
        if n >= size:
            return sorted(iterable, key=key)[:n]
        if key is None:
            # (item, position) pairs in a max-heap of the n smallest: equal items keep their order.
            result = [(iterable[i], i) for i in range(max(n, 0))]
            if len(result) == 0:
                return [iterable[i] for i in range(0)]
            _heapify_max(result)
            top = result[0][0]
            order = n
            for i in range(n, size):
                elem = iterable[i]
                if elem < top:
                    _heapreplace_max(result, (elem, order))
                    top = result[0][0]
                    order += 1
            result.sort()
            return [pair[0] for pair in result]
        # CPython's (key, order, item) triples never compare their items (the orders differ):
        # the item's position stands for it here, so that items need no `<` of their own.
        keyed = [(key(iterable[i]), i, i) for i in range(max(n, 0))]
        if len(keyed) == 0:
            return [iterable[i] for i in range(0)]
        _heapify_max(keyed)
        top_key = keyed[0][0]
        order = n
        for i in range(n, size):
            k = key(iterable[i])
            if k < top_key:
                _heapreplace_max(keyed, (k, order, i))
                top_key = keyed[0][0]
                order += 1
        keyed.sort()
        return [iterable[triple[2]] for triple in keyed]

    return impl


@overload(heapq.nlargest)
def nlargest(n, iterable, key=None):
    _key_function(key, "nlargest")
    _sized_or_refuse(iterable, "nlargest")
    if not isinstance(n, (types.Integer, types.Boolean)):
        raise CallRefused(f"`heapq.nlargest()` needs an integer count, not a `{n}`")

    # CPython's `nlargest`, branch for branch: a min-heap of the n largest, positions counted
    # down so that of equal items the earlier comes first.
    def impl(n, iterable, key=None):
        size = len(iterable)
        if n == 1:
            out = [iterable[i] for i in range(0)]
            if size > 0:
                out.append(iterable[_first_extreme(iterable, key, True)])
            return out
        if n >= size:
            return sorted(iterable, key=key, reverse=True)[:n]
        if key is None:
            result = [(iterable[i], -i) for i in range(max(n, 0))]
            if len(result) == 0:
                return [iterable[i] for i in range(0)]
            _heapify(result)
            top = result[0][0]
            order = -n
            for i in range(n, size):
                elem = iterable[i]
                if top < elem:
                    _heapreplace(result, (elem, order))
                    top = result[0][0]
                    order -= 1
            result.sort(reverse=True)
            return [pair[0] for pair in result]
        keyed = [(key(iterable[i]), -i, i) for i in range(max(n, 0))]
        if len(keyed) == 0:
            return [iterable[i] for i in range(0)]
        _heapify(keyed)
        top_key = keyed[0][0]
        order = -n
        for i in range(n, size):
            k = key(iterable[i])
            if top_key < k:
                _heapreplace(keyed, (k, order, i))
                top_key = keyed[0][0]
                order -= 1
        keyed.sort(reverse=True)
        return [iterable[triple[2]] for triple in keyed]

    return impl


# `merge(*iterables)`: compiled implementations take no `*args`, so one form per count of lists.
_MOST_MERGED = 4


@register_jitable
def _merge_lists(iterables, key, reverse):
    """CPython's ``heapq.merge`` of the lists ``iterables``, collected: a heap of (head item,
    list number, position) entries, its key first with ``key=``. The list numbers (negative
    with ``reverse``, as CPython's ``direction``) are distinct, so entries never compare
    beyond them, and of equal heads the earlier list's comes first."""
    direction = -1 if reverse else 1
    out = [iterables[0][i] for i in range(0)]
    if key is None:
        h = [(iterables[0][0], 0, 0) for _ in range(0)]
        for order in range(len(iterables)):
            if len(iterables[order]) > 0:
                h.append((iterables[order][0], order * direction, 0))
    else:
        h = [(key(iterables[0][0]), 0, 0) for _ in range(0)]
        for order in range(len(iterables)):
            if len(iterables[order]) > 0:
                h.append((key(iterables[order][0]), order * direction, 0))
    if reverse:
        _heapify_max(h)
    else:
        _heapify(h)
    while len(h) > 1:
        s = h[0]
        lst = iterables[s[1] * direction]
        out.append(lst[s[2]])
        at = s[2] + 1
        if at < len(lst):
            if key is None:
                s = (lst[at], s[1], at)
            else:
                s = (key(lst[at]), s[1], at)
            if reverse:
                _heapreplace_max(h, s)
            else:
                _heapreplace(h, s)
        elif reverse:
            _heappop_max(h)
        else:
            _heappop(h)
    if len(h) > 0:
        lst = iterables[h[0][1] * direction]
        for i in range(h[0][2], len(lst)):
            out.append(lst[i])
    return out


@overload(heapq.merge)
def merge(a=None, b=None, c=None, d=None, key=None, reverse=False):
    lists = [t for t in (a, b, c, d) if t is not None and not isinstance(t, types.NoneType)]
    _key_function(key, "merge")
    if not lists or not all(isinstance(t, types.List) for t in lists):
        raise CallRefused("`heapq.merge()` in compiled code merges lists", hint=f"pass 1 to {_MOST_MERGED} lists of one item type; the result is a list")
    if any(t != lists[0] for t in lists):
        raise CallRefused(f"`heapq.merge()` of lists of different types ({', '.join(f'`{t}`' for t in lists)})", hint="convert the items to one type first")
    if len(lists) == 1:

        def merge_one(a=None, b=None, c=None, d=None, key=None, reverse=False):
            return _merge_lists([a], key, reverse)

        return merge_one
    if len(lists) == 2:

        def merge_two(a=None, b=None, c=None, d=None, key=None, reverse=False):
            return _merge_lists([a, b], key, reverse)

        return merge_two
    if len(lists) == 3:

        def merge_three(a=None, b=None, c=None, d=None, key=None, reverse=False):
            return _merge_lists([a, b, c], key, reverse)

        return merge_three

    def merge_four(a=None, b=None, c=None, d=None, key=None, reverse=False):
        return _merge_lists([a, b, c, d], key, reverse)

    return merge_four
