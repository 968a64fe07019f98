package org.fadkd.vision.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

final class Checksums {
    private Checksums() {}

    static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            // every Java platform must provide MD5 and SHA-256
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }

    /** Feeds the whole stream into {@code digest} and closes it. */
    static void update(MessageDigest digest, InputStream in) throws IOException {
        try (InputStream digesting = new DigestInputStream(in, digest)) {
            digesting.transferTo(OutputStream.nullOutputStream());
        }
    }

    /** Returns the lowercase hex MD5 of the file's bytes as stored (not decompressed). */
    static String md5(Path path) throws IOException {
        MessageDigest digest = newDigest("MD5");
        update(digest, Files.newInputStream(path));
        return HexFormat.of().formatHex(digest.digest());
    }
}
