package io.streamrec.model;

import io.streamrec.core.coldstart.MovieFeatureMap;
import io.streamrec.core.model.RecommenderModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The model directory round-trips through its typed manifest, reads directories written before it was typed, and refuses newer formats. */
class ModelDirectoryTest {
    private static final int[] HIDDEN = {16, 8};

    @Test
    void aGeneratedModelRoundTrips(@TempDir Path dir) {
        GeneratedModel.write(dir, 50, 8, HIDDEN, 3);
        ModelDirectory.Loaded loaded = ModelDirectory.read(dir);
        RecommenderModel expected = GeneratedModel.model(50, 8, 3), actual = loaded.model();
        assertEquals(expected.version(), actual.version());
        assertArrayEquals(expected.retrievalVectors(), actual.retrievalVectors());
        assertArrayEquals(expected.ratingVectors(), actual.ratingVectors());
        assertArrayEquals(expected.itemFeatures(), actual.itemFeatures());
        assertEquals(expected.online(), actual.online());

        Manifest m = loaded.manifest();
        assertEquals(Manifest.FORMAT_VERSION, m.formatVersion());
        assertEquals(8, m.dim());
        assertEquals(8, m.ratingDim());
        assertEquals(50, m.items());
        assertEquals(50, m.trainedItems());
        assertArrayEquals(new int[] {expected.featureSpec().inputSize(), 16, 8, 2}, m.rankerLayers());
        assertEquals("generated", m.data().get("name"));
        assertEquals("not run", m.evaluation().get("status"));
        assertTrue(loaded.onnx().length > 0);
    }

    @Test
    void anEvaluationIsStoredInTheManifestAndBeside(@TempDir Path dir) throws Exception {
        GeneratedModel.write(dir, 20, 4, HIDDEN, 1);
        ModelDirectory.writeEvaluation(dir, Map.of("rating", java.util.List.of(Map.of("model", "x", "RMSE", 0.9))));
        assertEquals("x", ((Map<?, ?>) ((java.util.List<?>) ModelDirectory.manifest(dir).evaluation().get("rating")).get(0)).get("model"));
        assertTrue(Files.readString(dir.resolve(ModelDirectory.EVALUATION)).contains("RMSE"));
        assertEquals(20, ModelDirectory.read(dir).model().itemCount(), "still loads");
    }

    @Test
    void aManifestWrittenBeforeItWasTypedStillReads(@TempDir Path dir) throws Exception {
        GeneratedModel.write(dir, 20, 4, HIDDEN, 1);
        // the untyped writer had no formatVersion, no ratingDim (one dimension), extra keys, and no online settings
        Files.writeString(dir.resolve(ModelDirectory.MANIFEST), """
                {"version": "old-1", "dim": 4, "globalMean": 3.5, "items": 20, "rankerWeight": 0.5, "note": "extra key"}
                """);
        ModelDirectory.Loaded loaded = ModelDirectory.read(dir);
        assertEquals(1, loaded.manifest().formatVersion());
        assertEquals(4, loaded.model().ratingDim());
        assertEquals("old-1", loaded.model().version());
        assertEquals(0.5f, loaded.rankerWeight());
        assertEquals(io.streamrec.core.learn.OnlineConfig.defaults(), loaded.model().online());
    }

    @Test
    void aNewerFormatIsRefusedByName(@TempDir Path dir) throws Exception {
        GeneratedModel.write(dir, 20, 4, HIDDEN, 1);
        Files.writeString(dir.resolve(ModelDirectory.MANIFEST), """
                {"formatVersion": 99, "version": "future", "dim": 4, "globalMean": 3.5}
                """);
        Exception e = assertThrows(RuntimeException.class, () -> ModelDirectory.read(dir));
        String all = e.getMessage() + (e.getCause() == null ? "" : " " + e.getCause().getMessage());
        assertTrue(all.contains("formatVersion 99"), all);
    }

    @Test
    void anUnknownOnlineSettingIsRefusedByItsPath(@TempDir Path dir) throws Exception {
        GeneratedModel.write(dir, 20, 4, HIDDEN, 1);
        Path manifest = dir.resolve(ModelDirectory.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("\"online\"\\s*:\\s*\\{", "\"online\" : { \"fromTheFuture\" : 1,"));
        Exception e = assertThrows(IllegalArgumentException.class, () -> ModelDirectory.read(dir));
        assertTrue(e.getMessage().contains("'online.fromTheFuture'") && e.getMessage().contains("newer trainer"), e.getMessage());
    }

    @Test
    void aFeatureMapRoundTripsAndIsNamedInTheManifest(@TempDir Path dir) {
        RecommenderModel m = GeneratedModel.model(60, 4, 5);
        MovieFeatureMap map = MovieFeatureMap.fit(m);
        ModelDirectory.write(dir, new ModelContents(m, GeneratedModel.ranker(4, HIDDEN, 6), 1f, UserVectors.none(),
                Map.of(), Map.of(), map));
        assertEquals(ModelDirectory.FEATURE_MAP, ModelDirectory.manifest(dir).movieFeatureMap());
        MovieFeatureMap back = ModelDirectory.readFeatureMap(dir).orElseThrow();
        assertEquals(map.ratingDim(), back.ratingDim());
        assertEquals(map.dim(), back.dim());
        assertEquals(60, back.fittedOn());
        assertArrayEquals(map.weights(), back.weights());
        ModelDirectory.writeEvaluation(dir, Map.of("status", "x"));
        assertTrue(ModelDirectory.readFeatureMap(dir).isPresent(), "storing an evaluation keeps the map named");
        assertEquals(0f, back.retrievalBiasOffset());
        assertEquals(1f, back.mappedUserStep());
    }

    @Test
    void theMapsChosenSettingsRoundTripAndTheLoadedModelAppliesTheUserStep(@TempDir Path dir) throws Exception {
        RecommenderModel m = GeneratedModel.model(60, 4, 5);
        MovieFeatureMap map = MovieFeatureMap.fit(m).withRetrievalBiasOffset(-0.75f).withMappedUserStep(0.2f);
        ModelDirectory.write(dir, new ModelContents(m, GeneratedModel.ranker(4, HIDDEN, 6), 1f, UserVectors.none(),
                Map.of(), Map.of(), map));
        MovieFeatureMap back = ModelDirectory.readFeatureMap(dir).orElseThrow();
        assertEquals(-0.75f, back.retrievalBiasOffset());
        assertEquals(0.2f, back.mappedUserStep());
        ModelDirectory.Loaded loaded = ModelDirectory.read(dir, 3);
        assertEquals(0.2f, loaded.model().mappedUserStep());
        assertEquals(63, loaded.model().itemCount(), "60 movies and 3 free slots");
        assertEquals(60, loaded.model().items().loaded());
        // a map file written before these settings existed: no offset, a full step
        Path file = dir.resolve(ModelDirectory.FEATURE_MAP);
        String json = Files.readString(file).replaceAll(",\\s*\"retrievalBiasOffset\"\\s*:\\s*[-0-9.eE]+", "")
                .replaceAll(",\\s*\"mappedUserStep\"\\s*:\\s*[-0-9.eE]+", "");
        assertFalse(json.contains("mappedUserStep") || json.contains("retrievalBiasOffset"), json);
        Files.writeString(file, json);
        MovieFeatureMap old = ModelDirectory.readFeatureMap(dir).orElseThrow();
        assertEquals(0f, old.retrievalBiasOffset());
        assertEquals(1f, old.mappedUserStep());
    }

    @Test
    void aDirectoryWithoutFeatureMapReadsWithNone(@TempDir Path dir) throws Exception {
        GeneratedModel.write(dir, 20, 4, HIDDEN, 1);
        assertNull(ModelDirectory.manifest(dir).movieFeatureMap());
        assertFalse(Files.exists(dir.resolve(ModelDirectory.FEATURE_MAP)));
        assertTrue(ModelDirectory.readFeatureMap(dir).isEmpty());
        // a format-2 manifest as written before the map existed: no movieFeatureMap key at all
        String manifest = Files.readString(dir.resolve(ModelDirectory.MANIFEST));
        assertFalse(manifest.contains("movieFeatureMap"), manifest);
        assertEquals(20, ModelDirectory.read(dir).model().itemCount());
    }

    @Test
    void aManifestNamingAMissingMapFileSaysSo(@TempDir Path dir) throws Exception {
        RecommenderModel m = GeneratedModel.model(30, 4, 5);
        ModelDirectory.write(dir, new ModelContents(m, GeneratedModel.ranker(4, HIDDEN, 6), 1f, UserVectors.none(),
                Map.of(), Map.of(), MovieFeatureMap.fit(m)));
        Files.delete(dir.resolve(ModelDirectory.FEATURE_MAP));
        var e = assertThrows(IllegalArgumentException.class, () -> ModelDirectory.readFeatureMap(dir));
        assertTrue(e.getMessage().contains(ModelDirectory.FEATURE_MAP), e.getMessage());
    }

    @Test
    void missingFilesAreNamed(@TempDir Path dir) {
        var e = assertThrows(IllegalArgumentException.class, () -> ModelDirectory.read(dir));
        assertTrue(e.getMessage().contains("manifest.json"), e.getMessage());
    }
}
