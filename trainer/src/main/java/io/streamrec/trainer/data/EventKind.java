package io.streamrec.trainer.data;

/** What a user did: gave an explicit rating, or watched (implicit feedback with a completion ratio). */
public enum EventKind {
    RATING,
    WATCH
}
