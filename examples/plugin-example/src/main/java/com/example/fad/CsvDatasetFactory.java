package com.example.fad;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.util.Set;
import org.fadkd.api.DatasetFactory;
import org.fadkd.api.FadContext;
import org.fadkd.api.LabeledDataset;

/**
 * Dataset {@code csv}: rows of numeric features and an integer class label, read from one CSV file;
 * settings in {@code defaults/csv.conf}. The whole file is read and checked by {@link #create}, so
 * a missing file or a malformed row fails before anything trains.
 */
public final class CsvDatasetFactory implements DatasetFactory {
    static final String NAME = "csv";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public LabeledDataset create(Config settings, FadContext context) {
        requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        return CsvDataset.read(CsvSettings.from(settings));
    }

    /** {@code file} only says where the rows are; the fingerprint covers what they hold. */
    @Override
    public Set<String> getLocationKeys() {
        return Set.of("file");
    }
}
