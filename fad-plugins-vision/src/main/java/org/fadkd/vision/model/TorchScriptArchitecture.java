package org.fadkd.vision.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import org.fadkd.api.EmbeddingSource;
import org.fadkd.api.PretrainedWeights;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A TorchScript module as a tapped architecture: {@link TorchScriptBlock} loads the file and
 * reorders the module's named outputs into {@code [logits, taps…]}. Its weights are the file's
 * ({@link #getPretrainedWeights()}), fingerprinted by SHA-256 so that the teacher-flow cache notices
 * a replaced file.
 */
final class TorchScriptArchitecture extends ImageArchitecture<TorchScriptSettings> {
    private String fingerprint;

    TorchScriptArchitecture(TorchScriptSettings settings) {
        super(TorchScriptArchitectureFactory.NAME, settings);
    }

    @Override
    Block build(Shape sampleShape, int outputSize, List<String> tapNames) {
        return TorchScriptBlock.probe(settings.file(), settings.logits(), tapNames, sampleShape, outputSize);
    }

    @Override
    public List<String> getTapNames() {
        return settings.taps();
    }

    /** Which of the module's outputs is its embedding is not known, so none is offered. */
    @Override
    public EmbeddingSource getEmbeddingSource() {
        return EmbeddingSource.NONE;
    }

    @Override
    public Optional<PretrainedWeights> getPretrainedWeights() {
        return Optional.of(new PretrainedWeights(settings.file(), "sha256:" + fingerprint()));
    }

    private synchronized String fingerprint() {
        if (fingerprint == null) {
            try (InputStream in = new DigestInputStream(Files.newInputStream(settings.file()), sha256())) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
                fingerprint = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + settings.file(), e);
            }
        }
        return fingerprint;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
