package io.streamrec.core.retrieval;

/**
 * A retriever whose item vectors change online (the item-side learning and cold-start paths):
 * after {@link #update} returns, queries score the item with its new vector and bias.
 */
public interface UpdatableRetriever extends CandidateRetriever {
    /** Sets item {@code item}'s retrieval vector (from {@code vector[offset..offset+dim)}) and bias, and marks it active. */
    void update(int item, float[] vector, int offset, float bias);
}
