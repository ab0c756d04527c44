package io.streamrec.trainer.cli;

import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.Interactions;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 over the events a model was trained on, so a manifest names its data exactly. */
final class DataDigest {
    private DataDigest() {}

    static String of(Dataset d) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            Interactions ev = d.events();
            ByteBuffer b = ByteBuffer.allocate(24);
            for (int i = 0; i < ev.size(); i++) {
                b.clear();
                b.putInt(ev.userId(i)).putInt(ev.movieId(i)).putFloat(ev.rating(i)).putFloat(ev.completion(i)).putLong(ev.timestamp(i));
                md.update(b.array());
            }
            return "sha256:" + HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
