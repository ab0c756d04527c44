"""How much of the true top-200 falls in the probed k-means cells (docs/benchmarks.md, sixteenth pass).

A numpy simulation run before ItemCells was built: the bench's generated catalogue (Gaussian vectors sd 0.1,
log-popularity bias) or a simulated trained-like one (9,742 random centres + noise of a quarter of the spread,
not the real model), queries as the bench makes them (the sum of 20 items' vectors), k-means in the augmented
space x = [v, b, sqrt(M^2 - |v|^2 - b^2)], cells probed by mean score up to a share of the items.

    python3 bench/scripts/ivf_cells_recall.py gen|trained CELLS[,CELLS...] [ITEMS]
"""
import numpy as np, sys, time
rng=np.random.default_rng(1)
N=int(sys.argv[3]) if len(sys.argv)>3 else 1_000_000; d=32; Q=200; TOP=200
mode=sys.argv[1]
if mode=='gen':
    V=(rng.standard_normal((N,d))*0.1).astype(np.float32)
    U=rng.integers(0,N,N); pop=np.floor(100000.0/(1+U)); B=(np.log1p(pop)/10).astype(np.float32)
else:
    # trained-like: 9742 centres with spread, +0.25 sd noise
    T=9742; C=(rng.standard_normal((T,d))*0.1*(1+rng.random((T,1)))).astype(np.float32)
    cb=(rng.standard_normal(T)*0.3).astype(np.float32)
    src=rng.integers(0,T,N); sd=C.std(0)
    V=C[src]+rng.standard_normal((N,d)).astype(np.float32)*0.25*sd; B=cb[src]
qs=np.zeros((Q,d),np.float32)
for h in range(20): qs+=V[rng.integers(0,N,Q)]
S=qs@V.T+B
truth=np.argpartition(-S,TOP,axis=1)[:,:TOP]
# augmented vectors for MIPS: x=[v,b], q=[q,1]; k-means on L2-transform
X=np.hstack([V,B[:,None]])
M=np.sqrt((X**2).sum(1).max())
Xa=np.hstack([X,np.sqrt(np.maximum(M*M-(X**2).sum(1),0))[:,None]])
for K in [int(a) for a in sys.argv[2].split(',')]:
    t=time.time()
    sub=Xa[rng.choice(N,min(N,K*64),replace=False)]
    cent=sub[rng.choice(len(sub),K,replace=False)].copy()
    for it in range(12):
        dd=(sub**2).sum(1)[:,None]-2*sub@cent.T+(cent**2).sum(1)[None]
        a=dd.argmin(1)
        for k in range(K):
            m=a==k
            if m.any(): cent[k]=sub[m].mean(0)
    lab=np.empty(N,np.int64)
    for s in range(0,N,100000):
        ch=Xa[s:s+100000]; lab[s:s+100000]=((ch**2).sum(1)[:,None]-2*ch@cent.T+(cent**2).sum(1)[None]).argmin(1)
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
