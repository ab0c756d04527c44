"""Shared parts of the cell simulations (ivf_cells_recall.py, cell_residual_bounds.py): the bench's catalogues and
k-means cells in the space where the inner product is a distance, as ItemCells builds them (numpy, not the Java)."""
import numpy as np


def catalogue(mode, n, rng, d=32):
    """Vectors and biases: 'gen' as GeneratedModel (Gaussian sd 0.1, log-popularity bias), else a simulated
    trained-like catalogue (9,742 random centres, noise of a quarter of the spread, the centre's bias)."""
    if mode == 'gen':
        V = (rng.standard_normal((n, d)) * 0.1).astype(np.float32)
        U = rng.integers(0, n, n)
        pop = np.floor(100000.0 / (1 + U))
        return V, (np.log1p(pop) / 10).astype(np.float32)
    T = 9742
    C = (rng.standard_normal((T, d)) * 0.1 * (1 + rng.random((T, 1)))).astype(np.float32)
    cb = (rng.standard_normal(T) * 0.3).astype(np.float32)
    src = rng.integers(0, T, n)
    sd = C.std(0)
    return C[src] + rng.standard_normal((n, d)).astype(np.float32) * 0.25 * sd, cb[src]


def augmented(V, B):
    """x = [v, b, sqrt(M^2 - |v|^2 - b^2)]: every row of length M."""
    X = np.hstack([V, B[:, None]])
    M = np.sqrt((X ** 2).sum(1).max())
    return np.hstack([X, np.sqrt(np.maximum(M * M - (X ** 2).sum(1), 0))[:, None]])


def cells(Xa, K, rng, per_cell, rounds):
    """Lloyd's k-means on per_cell * K sampled rows, then every row assigned: (centroids, cell of each row)."""
    n = len(Xa)
    sub = Xa[rng.choice(n, min(n, K * per_cell), replace=False)]
    cent = sub[rng.choice(len(sub), K, replace=False)].copy()
    for _ in range(rounds):
        a = ((sub ** 2).sum(1)[:, None] - 2 * sub @ cent.T + (cent ** 2).sum(1)[None]).argmin(1)
        for k in range(K):
            m = a == k
            if m.any():
                cent[k] = sub[m].mean(0)
    lab = np.empty(n, np.int64)
    for s in range(0, n, 100000):
        ch = Xa[s:s + 100000]
        lab[s:s + 100000] = ((ch ** 2).sum(1)[:, None] - 2 * ch @ cent.T + (cent ** 2).sum(1)[None]).argmin(1)
    return cent, lab
