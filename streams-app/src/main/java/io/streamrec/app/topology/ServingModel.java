package io.streamrec.app.topology;

import io.streamrec.core.model.RecommenderModel;
import io.streamrec.trainer.export.ModelFiles;

import java.nio.file.Path;

/**
 * The model the topology serves: the shared read-only arrays plus the ONNX bytes each stream
 * task turns into its own ONNX Runtime session (sessions and their buffers are per thread).
 */
public record ServingModel(RecommenderModel model, byte[] onnx, float rankerWeight) {
    public static ServingModel load(Path dir) {
        ModelFiles.Loaded l = ModelFiles.read(dir);
        return new ServingModel(l.model(), l.onnx(), l.rankerWeight());
    }
}
