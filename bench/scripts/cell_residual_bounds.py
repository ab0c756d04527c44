"""Share of the probed blocks a tighter bound would still screen (docs/benchmarks.md, sixteenth pass, dropped).

Cells as ItemCells builds them (k-means in the augmented space, 1,024 cells, 30% of 1M items probed), blocks of 16
by falling bias within a cell; per block the served bound (largest bias + |q| * largest norm, cut from the 400
highest-bias items) against bias + q.c + |q| * largest distance to the cell's mean (cut also from the best cell).

    python3 bench/scripts/cell_residual_bounds.py gen|trained HISTORY
"""
import numpy as np, sys
from cells_sim import catalogue, augmented, cells
rng=np.random.default_rng(1)
N=1_000_000; d=32; Q=100; TOP=200; W=16; K=1024; share=0.3
mode=sys.argv[1]; H=int(sys.argv[2])
V,B=catalogue(mode,N,rng,d)
cent,lab=cells(augmented(V,B),K,rng,32,8)
order=np.lexsort((-B,lab)); Vs=V[order]; Bs=B[order]; Ls=lab[order]
sizes=np.bincount(lab,minlength=K); start=np.concatenate([[0],np.cumsum(sizes)])
meanV=np.zeros((K,d),np.float32); meanB=np.zeros(K,np.float32)
np.add.at(meanV,Ls,Vs); meanV/=np.maximum(sizes,1)[:,None]; np.add.at(meanB,Ls,Bs); meanB/=np.maximum(sizes,1)
nb=(N+W-1)//W
pad=nb*W-N
refcell=Ls[::W][:nb]
res=np.linalg.norm(Vs-meanV[Ls],axis=1)  # own-cell residual; blocks spanning cells: use ref cell residual
res_ref=np.linalg.norm(Vs-meanV[np.repeat(refcell,W)[:N]],axis=1)
blkRes=np.pad(res_ref,(0,pad),constant_values=0).reshape(nb,W).max(1)
blkNorm=np.pad(np.linalg.norm(Vs,axis=1),(0,pad)).reshape(nb,W).max(1)
blkBias=np.pad(Bs,(0,pad),constant_values=-9).reshape(nb,W).max(1)
headIdx=np.argsort(-Bs)[:400]
qs=np.zeros((Q,d),np.float32)
for h in range(H): qs+=V[rng.integers(0,N,Q)]
fr_norm=[];fr_res=[];fr_res2=[]
for q in qs:
    cs=meanV@q+meanB; co=np.argsort(-cs); cum=np.cumsum(sizes[co]); p=np.searchsorted(cum,share*N)+1
    probed=np.zeros(K,bool); probed[co[:p]]=True
    blkProbed=np.zeros(nb,bool)
    for c in co[:p]:
        blkProbed[start[c]//W:(start[c+1]+W-1)//W]=True
    qn=np.linalg.norm(q)
    headcut=np.sort(Vs[headIdx]@q+Bs[headIdx])[-TOP]
    best=co[0]; rows=slice(start[best],min(start[best+1],start[best]+2*TOP))
    sc=Vs[rows]@q+Bs[rows]
    cellcut=np.sort(sc)[-TOP] if len(sc)>=TOP else -9
    cut=max(headcut,cellcut)
    b_norm=blkBias+qn*blkNorm
    b_res=blkBias+(meanV[refcell]@q)+qn*blkRes
    P=blkProbed.sum()
    fr_norm.append(((b_norm>=headcut)&blkProbed).sum()/P)
    fr_res.append(((b_res>=headcut)&blkProbed).sum()/P)
    fr_res2.append(((np.minimum(b_res,b_norm)>=cut)&blkProbed).sum()/P)
print(mode,H,"probed blocks screened: norm-bound/head cut %.3f, residual/head %.3f, min(both)/max(head,bestcell) cut %.3f"%(np.mean(fr_norm),np.mean(fr_res),np.mean(fr_res2)))
