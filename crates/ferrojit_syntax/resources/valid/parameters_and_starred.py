def f(a, /, b=1, *args, c, d=2, **kw):
    t = (*args, a)
    lst = [*args, *t]
    return g(*t, c=c), {*lst}, (n := len(lst)), n
