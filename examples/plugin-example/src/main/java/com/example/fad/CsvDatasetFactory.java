package com.example.fad;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.util.Set;
import org.fadkd.api.DatasetFactory;
import org.fadkd.api.FadContext;
import org.fadkd.api.LabeledDataset;

/**
 * Dataset {@code csv}: rows of numeric features and an integer class label, read from one CSV file;
 * settings in {@code defaults/csv.conf}. {@link #check} and {@link #create} read them through the
 * same {@code CsvSettings.from}, so that {@code runner validate} accepts exactly what a run accepts;
 * {@link #create} then reads and checks the whole file, so a missing file or a malformed row fails
 * before anything trains.
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

    /**
     * Reads the settings as {@link #create} does, without opening the file: whether it exists and
     * what it holds is checked when the dataset is created.
     */
    @Override
    public void check(Config settings) {
        CsvSettings.from(requireNonNull(settings, "settings is null"));
    }

    /** {@code file} only says where the rows are; the fingerprint covers what they hold. */
    @Override
    public Set<String> getLocationKeys() {
        return Set.of("file");
    }
}
