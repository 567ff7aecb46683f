"""The summary chart: ferrojit's speed-up relative to Numba per kernel, log scale.

``write_chart(path, rows)`` with rows ``(kernel, first-call speed-up, steady speed-up)``,
each speed-up being Numba's time / ferrojit's time (> 1: ferrojit faster). Horizontal
bars, one pair per kernel, on a log axis centred on 1 (parity with Numba). Returns False
(and writes nothing) when matplotlib is not installed.
"""

import math


def write_chart(path, rows, header_note=""):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.ticker import FixedLocator, NullLocator
    except ImportError:
        return False

    n = len(rows)
    gm_first = math.exp(sum(math.log(r[1]) for r in rows) / n)
    gm_steady = math.exp(sum(math.log(r[2]) for r in rows) / n)
    # The kernels, then (after a gap) their geometric mean.
    names = [r[0] for r in rows] + ["geometric mean"]
    first = [r[1] for r in rows] + [gm_first]
    steady = [r[2] for r in rows] + [gm_steady]
    height = 0.38
    fig, ax = plt.subplots(figsize=(10, 0.36 * (n + 1) + 2.6), dpi=120)
    ys = list(range(n)) + [n + 0.6]
    # Bars start at 1 (parity), left for "slower than Numba", right for "faster".
    bars_first = ax.barh([y - height / 2 for y in ys], [v - 1 for v in first], height,
                         left=1, color="#f28e2b", label="first call (compile + run, fresh process)")
    bars_steady = ax.barh([y + height / 2 for y in ys], [v - 1 for v in steady], height,
                          left=1, color="#4e79a7", label="steady state (best of repeated calls)")
    ax.set_xscale("log")
    values = first + steady
    lo = min(0.25, min(values) / 1.6)
    hi = max(40.0, max(values) * 2.2)
    ax.set_xlim(lo, hi)
    ticks = [t for t in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200) if lo <= t <= hi]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticklabels([f"{t:g}x" for t in ticks])
    ax.axvline(1.0, color="black", linewidth=1)
    ax.set_yticks(ys)
    ax.set_yticklabels(names, fontsize=9)
    ax.get_yticklabels()[-1].set_fontweight("bold")
    ax.axhline(n - 0.2, color="#999999", linewidth=0.8)
    ax.set_ylim(ys[-1] + 0.7, -0.7)  # top to bottom, without empty margins
    ax.grid(axis="x", which="major", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    for bars, vals in ((bars_first, first), (bars_steady, steady)):
        for bar, v in zip(bars, vals):
            y = bar.get_y() + bar.get_height() / 2
            x = v * 1.06 if v >= 1 else v / 1.06
            ax.text(x, y, f"{v:.2f}x" if v < 10 else f"{v:.0f}x", va="center",
                    ha="left" if v >= 1 else "right", fontsize=7)
    ax.set_title("ferrojit speed-up relative to Numba (Numba time / ferrojit time, log scale)\n"
                 f"geometric mean over {n} kernels: first call {gm_first:.1f}x, "
                 f"steady state {gm_steady:.2f}x", fontsize=11, pad=24)
    ax.set_xlabel("<- Numba faster      |      ferrojit faster ->", fontsize=9)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8, frameon=False)
    if header_note:
        fig.text(0.01, 0.005, header_note, fontsize=7, color="#555555")
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    fig.savefig(path)
    plt.close(fig)
    return True
