package org.fadkd.api;

import java.nio.file.Path;

/**
 * Files that a plugin can download on request and that are not a dataset, such as a pretrained
 * model's weights and tokenizer. {@code runner data fetch NAME} downloads them into a data root,
 * as it does a {@linkplain DatasetFactory#download downloadable dataset}; experiments then name the
 * files by path (a model's {@code weights.file}, a tokenizer's {@code file}). Creating a component
 * never downloads: this is, with {@link DatasetFactory#download}, the only place FAD touches the
 * network.
 *
 * <p>Offered by {@link FadPlugin#getDownloadableAssets()}. The host calls {@link #download} once
 * per {@code data fetch}, on one thread; an implementation need not be thread-safe.
 *
 * @since 0.2
 */
public interface DownloadableAsset {
    /**
     * Returns the name users write after {@code runner data fetch}: lowercase kebab case, unique
     * among the assets and the datasets of every loaded plugin, and the folder the files go to.
     *
     * @return the name, never null
     * @since 0.2
     */
    String getName();

    /**
     * Returns one sentence saying what the files are and where they come from, for the console.
     *
     * @return the description, never null
     * @since 0.2
     */
    String getDescription();

    /**
     * Downloads the files into {@code directory/<name>/} and verifies their checksums. A file
     * already there with the right checksum is kept; an interrupted or corrupted download leaves
     * no file that could be mistaken for a verified one.
     *
     * @param directory the data root, never null; created when missing
     * @throws FadException with {@link ErrorCode#DATA_MISSING} when the download or a checksum
     *     fails, saying what else to do
     * @since 0.2
     */
    void download(Path directory);
}
