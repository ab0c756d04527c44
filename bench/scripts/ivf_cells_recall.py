"""How much of the true top-200 falls in the probed k-means cells (docs/benchmarks.md, sixteenth pass).

A numpy simulation run before ItemCells was built: the bench's generated catalogue (Gaussian vectors sd 0.1,
log-popularity bias) or a simulated trained-like one (9,742 random centres + noise of a quarter of the spread,
not the real model), queries as the bench makes them (the sum of 20 items' vectors), k-means in the augmented
space x = [v, b, sqrt(M^2 - |v|^2 - b^2)], cells probed by mean score up to a share of the items.

    python3 bench/scripts/ivf_cells_recall.py gen|trained CELLS[,CELLS...] [ITEMS]
"""
import numpy as np, sys, time
from cells_sim import catalogue, augmented, cells
rng=np.random.default_rng(1)
N=int(sys.argv[3]) if len(sys.argv)>3 else 1_000_000; d=32; Q=200; TOP=200
mode=sys.argv[1]
V,B=catalogue(mode,N,rng,d)
qs=np.zeros((Q,d),np.float32)
for h in range(20): qs+=V[rng.integers(0,N,Q)]
S=qs@V.T+B
truth=np.argpartition(-S,TOP,axis=1)[:,:TOP]
Xa=augmented(V,B)
for K in [int(a) for a in sys.argv[2].split(',')]:
    t=time.time()
    cent,lab=cells(Xa,K,rng,64,12)
    sizes=np.bincount(lab,minlength=K)
    # probe by q·centroid over [q,1,0]
    qa=np.hstack([qs,np.ones((Q,1),np.float32),np.zeros((Q,1),np.float32)])
    cs=qa@cent.T
    order=np.argsort(-cs,1)
    tl=lab[truth]
    print(f"{mode} K={K} kmeans {time.time()-t:.0f}s sizes min {sizes.min()} max {sizes.max()}")
    for frac in [0.02,0.05,0.1,0.15,0.2,0.3,0.4]:
        recs=[]; scanned=[]
        for qi in range(Q):
            cum=np.cumsum(sizes[order[qi]]); p=np.searchsorted(cum,frac*N)+1
            sel=np.zeros(K,bool); sel[order[qi][:p]]=True
            recs.append(sel[tl[qi]].mean()); scanned.append(cum[p-1]/N)
        print(f"  scan {np.mean(scanned):.3f}: recall(cells) {np.mean(recs):.4f} p5 {np.percentile(recs,5):.3f}")
