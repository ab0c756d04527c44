package io.streamrec.core.retrieval;

import io.streamrec.core.model.RecommenderModel;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * One retriever per loaded model, shared by every stream task and thread that serves it: an HNSW
 * index over a large catalogue takes minutes to build and the exact scan keeps its own copy of the
 * matrix, so neither may be made per task. Entries go with their model (weak keys).
 */
public final class ModelRetrievers {
    private static final Map<RecommenderModel, UpdatableRetriever> BY_MODEL = new WeakHashMap<>();

    private ModelRetrievers() {}

    /** The retriever {@link Retrievers#forCatalogue} picks for this model's retrieval vectors, built on first use. */
    public static UpdatableRetriever forModel(RecommenderModel m) {
        synchronized (BY_MODEL) {
            return BY_MODEL.computeIfAbsent(m, model -> Retrievers.forCatalogue(model.retrievalVectors(), model.retrievalBiases(),
                    model.trainedFlags(), model.dim()));
        }
    }
}
