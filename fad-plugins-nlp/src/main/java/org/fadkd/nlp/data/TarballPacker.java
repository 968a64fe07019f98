package org.fadkd.nlp.data;

import java.nio.file.Path;

/**
 * Puts an npm package's tarball into a directory: {@link NpmPack} runs {@code npm pack}; tests copy
 * a local file instead, so that everything after packing (checksum, unpacking) runs offline.
 */
@FunctionalInterface
interface TarballPacker {
    /**
     * Writes the tarball into {@code directory}, which exists.
     *
     * @throws org.fadkd.api.FadException with {@link org.fadkd.api.ErrorCode#DATA_MISSING} when it
     *     cannot
     */
    void pack(Path directory);
}
