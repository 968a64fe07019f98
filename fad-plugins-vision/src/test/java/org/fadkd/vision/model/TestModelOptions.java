package org.fadkd.vision.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import org.fadkd.api.ArchitectureFactory;
import org.fadkd.engine.measure.MacCounter;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The options of the repository's {@code model} config group ({@code configs/model/*.conf}): each
 * builds with this plugin, and the sizes the comments of the Fashion-MNIST options state (the
 * selection experiment's budgets rely on them) are the ones the models have at 1×28×28 with 10
 * classes. The reference options (torchvision's and RepDistiller's networks) state their sizes at
 * their own input size, which {@link TestReferenceFamilies} checks.
 */
final class TestModelOptions {
    private static final Path OPTIONS = TestingModels.OPTIONS;

    private static final Map<String, ArchitectureFactory> FACTORIES =
            TestingModels.families().stream()
                    .collect(Collectors.toMap(ArchitectureFactory::getName, factory -> factory));

    /** Option → trainable parameters and MACs, as each option file's comment states them. */
    private static final Map<String, List<Long>> SIZES =
            Map.of(
                    "resnet", List.of(309_162L, 10_520_320L),
                    "cnn", List.of(24_058L, 1_919_872L),
                    "cnn-small", List.of(6_274L, 508_352L),
                    "mlp", List.of(27_658L, 27_456L),
                    "mlp-large", List.of(113_802L, 113_280L),
                    "mobilenet", List.of(31_946L, 778_080L),
                    "vgg", List.of(18_482L, 1_863_104L),
                    "vgg-wide", List.of(72_666L, 7_338_880L));

    @Test
    void testEveryOptionBuildsWithItsStatedSize() throws Exception {
        List<Path> files;
        try (Stream<Path> listing = Files.list(OPTIONS)) {
            files = listing.filter(file -> file.toString().endsWith(".conf")).sorted().toList();
        }
        assertThat(files.stream().map(TestModelOptions::option))
                .containsExactlyInAnyOrderElementsOf(
                        Stream.concat(
                                        SIZES.keySet().stream(),
                                        TestReferenceFamilies.OPTIONS.stream())
                                .toList());
        for (Path file : files) {
            String option = option(file);
            if (!SIZES.containsKey(option)) {
                continue;
            }
            Config section = ConfigFactory.parseFile(file.toFile());
            Map<String, Object> settings = section.withoutPath("type").root().unwrapped();
            Block block =
                    TestingModels.create(FACTORIES.get(section.getString("type")), settings)
                            .newBlock(TestingModels.SAMPLE, 10);
            try (NDManager manager = NDManager.newBaseManager()) {
                block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, TestingModels.BATCH);

                assertThat(
                                List.of(
                                        TestingModels.trainableParameters(block),
                                        MacCounter.count(block, TestingModels.SAMPLE)))
                        .as(option)
                        .isEqualTo(SIZES.get(option));
            }
        }
    }

    private static String option(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".conf".length());
    }
}
