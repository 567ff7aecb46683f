"""Array-expression benchmark kernels: plain, undecorated Python functions over NumPy arrays,
written the way NumPy users write them: whole-array arithmetic, slices, broadcasting,
reductions and ufunc calls, no loops over elements.

bench/run_exprs.py runs each of them as it is (NumPy), and compiled by ``numba.njit``, by
``ferrojit.njit`` and by Pythran. Several come from numpy-benchmarks
(https://github.com/serge-sans-paille/numpy-benchmarks, BSD-3-Clause, the kernels Pythran's
authors measure): ``arc_distance``, ``diffusion``, ``harris``, ``l2norm``, ``laplacien``,
``log_likelihood``, ``rosen``, ``specialconvolve`` and ``vibr_energy``, unchanged but for
names, comments and line breaks.

Kernels whose docstring says "in place" return nothing: they update their array arguments,
which is what the result checks compare.
"""

import numpy as np


def pairwise_dist_broadcast(X):
    """Euclidean distances between the rows of X (n x 3) through an (n, n, 3) broadcast."""
    return np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(-1))


def pairwise_dist_rows(X):
    """The same distances, one row of the result per iteration: each row is a broadcast
    expression of the coordinate columns against one point."""
    n = X.shape[0]
    out = np.empty((n, n))
    for i in range(n):
        out[i, :] = np.sqrt((X[:, 0] - X[i, 0]) ** 2 + (X[:, 1] - X[i, 1]) ** 2
                            + (X[:, 2] - X[i, 2]) ** 2)
    return out


def pairwise_dist_row_sums(X):
    """The same distances, one row per iteration: the differences of every point to one
    point broadcast (n x 3 minus 3), squared and summed along the rows."""
    n = X.shape[0]
    out = np.empty((n, n))
    for i in range(n):
        out[i] = np.sqrt(((X - X[i]) ** 2).sum(axis=1))
    return out


def jacobi_2d(u):
    """One Jacobi step of the 2-d Laplace equation written with slices; a new array whose
    boundary is u's."""
    v = u.copy()
    v[1:-1, 1:-1] = 0.25 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:])
    return v


def stencil_3pt(x):
    """3-point smoothing stencil 0.25, 0.5, 0.25 of the interior of x; a new array."""
    return 0.25 * x[:-2] + 0.5 * x[1:-1] + 0.25 * x[2:]


def laplacian_2d(u):
    """The 5-point discrete Laplacian of the interior of u; a new array."""
    return u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:] - 4.0 * u[1:-1, 1:-1]


def laplacien(image):
    """numpy-benchmarks' laplacien: |Laplacian| of an n x n x 3 image, normalised by its
    maximum."""
    out_image = np.abs(4 * image[1:-1, 1:-1] - image[0:-2, 1:-1] - image[2:, 1:-1]
                       - image[1:-1, 0:-2] - image[1:-1, 2:])
    valmax = np.max(out_image)
    valmax = max(1.0, valmax) + 1.0e-9
    out_image /= valmax
    return out_image


def diffusion(u, temp_u, iterations):
    """numpy-benchmarks' diffusion, in place: forward-Euler steps of the heat equation with
    slice assignment, u copied back from temp_u at each step."""
    mu = 0.1
    for _ in range(iterations):
        temp_u[1:-1, 1:-1] = u[1:-1, 1:-1] + mu * (
            u[2:, 1:-1] - 2 * u[1:-1, 1:-1] + u[0:-2, 1:-1]
            + u[1:-1, 2:] - 2 * u[1:-1, 1:-1] + u[1:-1, 0:-2])
        u[:, :] = temp_u[:, :]
        temp_u[:, :] = 0.0


def standardize(x):
    """(x - mean) / standard deviation, the deviation written out (no x.std())."""
    m = x.mean()
    s = np.sqrt(((x - m) ** 2).mean())
    return (x - m) / s


def log_likelihood(data, mean, sigma):
    """numpy-benchmarks' log_likelihood: sum of the log densities of a Gaussian."""
    s = (data - mean) ** 2 / (2 * (sigma ** 2))
    pdfs = np.exp(-s)
    pdfs /= np.sqrt(2 * np.pi) * sigma
    return np.log(pdfs).sum()


def sqrt_exp_sin(a, b, c):
    """A mixed element-wise expression of three ufuncs; a new array."""
    return np.sqrt(a) * np.exp(-b) + np.sin(c)


def logistic(x):
    """The logistic function 1 / (1 + exp(-x)); a new array."""
    return 1.0 / (1.0 + np.exp(-x))


def softplus(x):
    """log(1 + exp(x)) in its overflow-free form; a new array."""
    return np.log1p(np.exp(-np.abs(x))) + np.maximum(x, 0.0)


def horner_arrays(x, coefficients):
    """The polynomial with the given coefficients (highest degree first) at every x, by
    Horner's rule on whole arrays; a new array."""
    y = np.zeros_like(x)
    for c in coefficients:
        y = y * x + c
    return y


def diff_norm(a, b):
    """Euclidean norm of a - b."""
    d = a - b
    return np.sqrt((d * d).sum())


def scaled_sum_squares(x):
    """The Euclidean norm of x scaled by its largest magnitude, as BLAS's nrm2 does to avoid
    overflow."""
    scale = np.abs(x).max()
    return scale * np.sqrt(((x / scale) ** 2).sum())


def leapfrog_step(x, v, a, dt):
    """In place: one kick-drift step, v += dt * a, then x += dt * v."""
    v += dt * a
    x += dt * v


def rosen(x):
    """numpy-benchmarks' rosen: the Rosenbrock function of a vector."""
    t0 = 100 * (x[1:] - x[:-1] ** 2) ** 2
    t1 = (1 - x[:-1]) ** 2
    return np.sum(t0 + t1)


def arc_distance(theta_1, phi_1, theta_2, phi_2):
    """numpy-benchmarks' arc_distance: great-circle distances between paired points."""
    temp = (np.sin((theta_2 - theta_1) / 2) ** 2
            + np.cos(theta_1) * np.cos(theta_2) * np.sin((phi_2 - phi_1) / 2) ** 2)
    return 2 * np.arctan2(np.sqrt(temp), np.sqrt(1 - temp))


def clip_count(x, low, high):
    """How many elements lie in [low, high]: a sum of a boolean expression."""
    return ((x >= low) & (x <= high)).sum()


def vibr_energy(harmonic, anharmonic, i):
    """numpy-benchmarks' vibr_energy: one exp of a polynomial expression; a new array."""
    return np.exp(-harmonic * i - anharmonic * (i ** 2))


def harris(image):
    """numpy-benchmarks' harris: Harris corner scores from forward differences; statements
    chained through named temporaries, an expression sliced."""
    m, n = image.shape
    dx = (image[1:, :] - image[:m - 1, :])[:, 1:]
    dy = (image[:, 1:] - image[:, :n - 1])[1:, :]
    a = dx * dx
    b = dy * dy
    c = dx * dy
    tr = a + b
    det = a * b - c * c
    k = 0.05
    return det - k * tr * tr


def specialconvolve(a):
    """numpy-benchmarks' specialconvolve: a 3x3 box filter minus 9 times the centre, of a
    uint32 image (wrapping arithmetic); a new array."""
    rowconvol = a[1:-1, :] + a[:-2, :] + a[2:, :]
    colconvol = rowconvol[:, 1:-1] + rowconvol[:, :-2] + rowconvol[:, 2:] - 9 * a[1:-1, 1:-1]
    return colconvol


def l2norm(x):
    """numpy-benchmarks' l2norm: the Euclidean norm of each row (a reduction along axis 1)."""
    return np.sqrt(np.sum(np.abs(x) ** 2, 1))


def leaky_relu(x):
    """np.where of a comparison, an array and an expression; a new array."""
    return np.where(x > 0.0, x, 0.01 * x)


def positive_mean(x):
    """The mean of the positive elements, through a boolean mask (a new, shorter array)."""
    return x[x > 0.0].mean()


# ---- NumPy's library: sorting, searching, histograms, statistics, linear algebra, random ----


def sort_searchsorted(x, queries):
    """Sorts the data, then finds where each query falls in it."""
    return np.searchsorted(np.sort(x), queries)


def histogram_bincount(x, labels):
    """A fixed-range histogram of the data plus the counts of integer labels."""
    return np.histogram(x, 64, (-4.0, 4.0))[0] + np.bincount(labels, minlength=64)


def median_percentile(x):
    """The median and the 90th percentile of the data (each a partial sort)."""
    return np.median(x) + np.percentile(x, 90.0)


def least_squares(x, y):
    """A cubic fitted to the points by least squares (an SVD of the design matrix)."""
    return np.linalg.lstsq(np.vander(x, 4), y)[0]


def monte_carlo_pi(n):
    """pi from n random points of the unit square, with NumPy's seeded legacy stream."""
    np.random.seed(42)
    x = np.random.random(n)
    y = np.random.random(n)
    return 4.0 * np.sum(x * x + y * y < 1.0) / n


def kmeans_step(X, centroids):
    """One k-means step: each point to its nearest centroid, each centroid to the mean of its
    points."""
    d = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    labels = np.argmin(d, axis=1)
    moved = np.empty_like(centroids)
    for k in range(centroids.shape[0]):
        members = X[labels == k]
        moved[k] = members.sum(axis=0) / members.shape[0]
    return moved
