package org.fadkd.api;

import java.nio.file.Path;
import java.util.Set;

/**
 * Creates a dataset (kind dataset).
 *
 * @since 0.1
 */
public interface DatasetFactory extends ComponentFactory<LabeledDataset> {
    /**
     * Returns the settings that only say where the dataset's files are (a directory, a URL), not
     * what they hold or how samples are transformed. Two sections that differ only in these keys
     * describe the same data when the datasets' {@linkplain LabeledDataset#getFingerprint()
     * fingerprints} agree; the runner ignores them when it checks that an exported student is
     * evaluated on the data it was trained on.
     *
     * @return top-level keys of this factory's settings, never null; empty by default
     * @since 0.1
     */
    default Set<String> getLocationKeys() {
        return Set.of();
    }

    /**
     * Returns whether {@link #download} can fetch this dataset from its official source.
     *
     * @return true when downloadable
     * @since 0.1
     */
    default boolean isDownloadable() {
        return false;
    }

    /**
     * Downloads the dataset's files from their official location into {@code directory} (which
     * the dataset then finds) and verifies their checksums. Only the runner's {@code data fetch}
     * command calls this; creating a dataset never touches the network.
     *
     * @param directory the data root; files go to {@code directory/<name>/}, never null
     * @throws FadException with {@link ErrorCode#DATA_MISSING} when the download or a checksum
     *     fails, or when the dataset is not downloadable
     * @since 0.1
     */
    default void download(Path directory) {
        throw new FadException(
                ErrorCode.DATA_MISSING,
                "Dataset '" + getName() + "' cannot be downloaded by FAD; see its documentation.");
    }
}
