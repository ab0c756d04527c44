package io.streamrec.app.topology;

import io.streamrec.avro.Recommendations;
import io.streamrec.avro.RecommendedMovie;
import io.streamrec.schemas.RecordSerdes;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class EncodeOnceSerdeTest {
    private static Recommendations list(long user, int movie) {
        return new Recommendations(user, List.of(new RecommendedMovie(movie, 1.5f), new RecommendedMovie(movie + 1, 0.5f)),
                "v1", 1_000L, 3L);
    }

    @Test
    void theSameObjectIsEncodedOnceAndEqualsTheAvroEncoding() {
        EncodeOnceSerde<Recommendations> serde = new EncodeOnceSerde<>(RecordSerdes.recommendations());
        Recommendations a = list(7, 10);
        byte[] store = serde.serialize("recommendations-store-changelog", a);
        byte[] sink = serde.serializer().serialize("recommendations", a);
        assertSame(store, sink, "the second encoding of the same list is the first's bytes");
        assertArrayEquals(RecordSerdes.recommendations().serialize("recommendations", a), store);
        assertEquals(a, serde.deserializer().deserialize("recommendations", sink));
    }

    @Test
    void aNewObjectIsEncodedAgainEvenWhenEqual() {
        EncodeOnceSerde<Recommendations> serde = new EncodeOnceSerde<>(RecordSerdes.recommendations());
        byte[] first = serde.serialize("t", list(7, 10));
        byte[] equal = serde.serialize("t", list(7, 10));
        assertNotSame(first, equal);
        assertArrayEquals(first, equal);
        Recommendations other = list(8, 20);
        assertEquals(other, serde.deserializer().deserialize("t", serde.serialize("t", other)));
        assertNull(serde.serialize("t", null));
    }

    @Test
    void eachThreadRemembersOnlyItsOwnLastList() throws Exception {
        EncodeOnceSerde<Recommendations> serde = new EncodeOnceSerde<>(RecordSerdes.recommendations());
        Recommendations a = list(7, 10);
        byte[] here = serde.serialize("t", a);
        byte[] there = CompletableFuture.supplyAsync(() -> serde.serialize("t", a)).get();
        assertNotSame(here, there, "another thread encodes for itself");
        assertArrayEquals(here, there);
    }
}
