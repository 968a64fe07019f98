package org.fadkd.nlp.data;

import org.fadkd.api.DatasetFactory;
import org.fadkd.api.FadPlugin;
import org.fadkd.api.TaskFactory;
import org.fadkd.nlp.task.TextClassificationTaskFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The text datasets and task with the tests' tokenizer ({@link TestingEncoderProvider}) and a
 * tarball "packed" by copying a local file, so that nothing runs npm or reaches the network.
 */
final class TestingNlpDataPlugin implements FadPlugin {
    private final StdlibDatasetsTarball tarball;

    /** Datasets whose download copies {@code tarball} and expects the published checksum. */
    TestingNlpDataPlugin(Path tarball) {
        this.tarball = new StdlibDatasetsTarball(copying(tarball), StdlibDatasetsTarball.SHA256);
    }

    /** Datasets that are never downloaded. */
    TestingNlpDataPlugin() {
        this.tarball =
                new StdlibDatasetsTarball(
                        directory -> {
                            throw new AssertionError("nothing is packed here");
                        },
                        StdlibDatasetsTarball.SHA256);
    }

    /** Packs by copying a local tarball, under the name npm gives it. */
    static TarballPacker copying(Path tarball) {
        return directory -> {
            try {
                Files.copy(
                        tarball,
                        directory.resolve(StdlibDatasetsTarball.FILE_NAME),
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @Override
    public List<DatasetFactory> getDatasetFactories() {
        TestingEncoderProvider encoders = new TestingEncoderProvider();
        return List.of(
                new SpamAssassinDatasetFactory(encoders, tarball),
                new SotuDatasetFactory(encoders, tarball),
                new GlueDatasetFactory(encoders));
    }

    @Override
    public List<TaskFactory> getTaskFactories() {
        return List.of(new TextClassificationTaskFactory());
    }
}
