package org.fadkd.nlp.data;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;

import org.fadkd.api.DatasetFactory;
import org.fadkd.api.FadContext;
import org.fadkd.api.LabeledDataset;
import org.fadkd.nlp.tokenize.TextEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Dataset {@code glue}: one GLUE task ({@code task = sst2 | qqp | mnli}) read from the official
 * TSV files ({@link GlueTask}, {@link GlueTsv}). Training is {@code train.tsv}; the test split is
 * the labelled dev file ({@code dev.tsv}; MNLI's {@code dev_matched.tsv} or, with {@code mnli-dev =
 * mismatched}, {@code dev_mismatched.tsv}), since GLUE's test files carry no labels. GLUE has no
 * labelled split left for validation, so {@link LabeledDataset#hasValidationSplit()} is false and
 * the host holds out part of {@code train.tsv}: no choice is made on the reported split.
 *
 * <p>The files are looked for in {@code root} when set, else in the first {@code <dir>/glue} of
 * the data search path that has them; either may hold the task's folder ({@code SST-2}, {@code QQP},
 * {@code MNLI}, as in {@code glue_data}) or its files. GLUE cannot be downloaded by FAD.
 */
public final class GlueDatasetFactory implements DatasetFactory {
    public static final String NAME = "glue";

    private static final Logger log = LoggerFactory.getLogger(GlueDatasetFactory.class);

    private final TextEncoderProvider encoders;

    /**
     * @param encoders builds the encoder of the {@code tokenizer} setting
     */
    public GlueDatasetFactory(TextEncoderProvider encoders) {
        this.encoders = requireNonNull(encoders, "encoders is null");
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public LabeledDataset create(Config settings, FadContext context) {
        requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        GlueSettings parsed = GlueSettings.from(settings);
        encoders.check(parsed.text().tokenizer());
        GlueTask task = parsed.task();
        Path directory =
                taskDirectory(
                        DataDirectories.find(
                                NAME,
                                parsed.root(),
                                context,
                                candidate -> missing(candidate, parsed),
                                howToGet(task)),
                        task);
        log.info("Reading GLUE {} from '{}'", task.getFolder(), directory);
        // Read once: a tokenizer that learns its vocabulary needs the training texts first.
        Supplier<TextSplits> texts = TextSplits.readOnce(
                () ->
                        new TextSplits(
                                GlueTsv.read(directory.resolve(GlueTask.TRAIN_FILE), task),
                                null,
                                GlueTsv.read(
                                        directory.resolve(task.getTestFile(parsed.mismatched())),
                                        task)));
        TextEncoder encoder = encoders.open(parsed.text().tokenizer(),
                () -> texts.get().trainingTexts(), directory.resolve(TextEncoderProvider.CACHE_DIRECTORY));
        return new EncodedTextDataset(
                NAME + " " + task.getFolder(),
                task.getClassNames(),
                texts,
                false,
                encoder,
                parsed.text().maxLength(),
                parsed.text().limit());
    }

    /** Reads the settings as {@link #create} does, the tokenizer's included; reads no data. */
    @Override
    public void check(Config settings) {
        GlueSettings parsed = GlueSettings.from(requireNonNull(settings, "settings is null"));
        encoders.check(parsed.text().tokenizer());
    }

    /** {@code root} only says where the files are; the fingerprint covers what they hold. */
    @Override
    public Set<String> getLocationKeys() {
        return Set.of("root");
    }

    /** The task's folder inside {@code directory} when there is one, else the directory itself. */
    private static Path taskDirectory(Path directory, GlueTask task) {
        Path folder = directory.resolve(task.getFolder());
        return Files.isDirectory(folder) ? folder : directory;
    }

    private static List<String> missing(Path directory, GlueSettings settings) {
        Path files = taskDirectory(directory, settings.task());
        return settings.files().stream()
                .filter(name -> !Files.isRegularFile(files.resolve(name)))
                .map(name -> files == directory ? name : settings.task().getFolder() + "/" + name)
                .toList();
    }

    private static String howToGet(GlueTask task) {
        return String.format(
                "GLUE cannot be downloaded by FAD: get the GLUE data (gluebenchmark.com/tasks, the"
                        + " 'glue_data' folder of its download script) and put %1$s/%2$s and"
                        + " %1$s/%3$s into ~/.fad/data/glue/ (or $FAD_DATA/glue/).",
                task.getFolder(),
                GlueTask.TRAIN_FILE,
                task == GlueTask.MNLI
                        ? "dev_matched.tsv (and dev_mismatched.tsv)"
                        : task.getTestFile(false));
    }
}
