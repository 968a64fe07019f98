package org.fadkd.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fadkd.api.DownloadableAsset;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FadPlugin;
import org.fadkd.engine.component.ComponentRegistry;
import org.fadkd.nlp.NlpPlugin;
import org.fadkd.runner.TestingCommandLine;
import org.fadkd.runner.config.ProjectLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code runner data fetch NAME} finds what to download: a downloadable dataset, or a
 * plugin's {@link DownloadableAsset} ({@link FadPlugin#getDownloadableAssets()}), never both.
 */
final class TestDataFetch {
    @TempDir Path root;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    /** An asset that records where it was asked to download to. */
    private static final class TestingAsset implements DownloadableAsset {
        private final String name;
        final List<Path> downloads = new ArrayList<>();

        TestingAsset(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getDescription() {
            return "two small files for tests";
        }

        @Override
        public void download(Path directory) {
            downloads.add(directory);
        }
    }

    private static FadPlugin offering(DownloadableAsset asset) {
        return new FadPlugin() {
            @Override
            public List<DownloadableAsset> getDownloadableAssets() {
                return List.of(asset);
            }
        };
    }

    private DataCommand.Fetch fetch(ComponentRegistry registry, String name) {
        ProjectLayout layout = new ProjectLayout(List.of(), List.of(), List.of(root.resolve("data")),
                root.resolve("cache"), root);
        DataCommand.Fetch fetch = new DataCommand.Fetch(registry, layout,
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        fetch.name = name;
        return fetch;
    }

    @Test
    void testAnAssetDownloadsIntoTheFirstDataDirectory() {
        TestingAsset asset = new TestingAsset("testing-weights");
        ComponentRegistry registry = new ComponentRegistry();
        registry.register(new NlpPlugin(), "nlp");
        registry.register(offering(asset), "testing");

        assertThat(fetch(registry, "testing-weights").call()).isZero();

        assertThat(asset.downloads).containsExactly(root.resolve("data"));
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains(
                "Downloading 'testing-weights' (two small files for tests) into " + root.resolve("data/testing-weights"),
                "Done: 'testing-weights' is in " + root.resolve("data/testing-weights"));
    }

    @Test
    void testAnUnknownNameListsTheDownloadableDatasetsAndAssets() {
        ComponentRegistry registry = new ComponentRegistry();
        registry.register(new NlpPlugin(), "nlp");

        assertThatThrownBy(() -> fetch(registry, "minlm").call())
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.UNKNOWN_COMPONENT))
                .hasMessage("Nothing named 'minlm' can be fetched. 'data fetch' knows: minilm, sotu, sotu-lm,"
                        + " spam-assassin. Did you mean 'minilm'?");
    }

    /** Through the command line, with the plugins of the class path: the nlp plugin offers minilm. */
    @Test
    void testTheCommandLineSuggestsMiniLmForATypo() {
        TestingCommandLine.Run run = TestingCommandLine.run(root, "data", "fetch", "minlm");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("Nothing named 'minlm' can be fetched.", "minilm", "fashion-mnist",
                "Did you mean 'minilm'?");
    }

    @Test
    void testANameThatIsBothADatasetAndAnAssetIsRefused() {
        TestingAsset asset = new TestingAsset("spam-assassin");
        ComponentRegistry registry = new ComponentRegistry();
        registry.register(new NlpPlugin(), "nlp");
        registry.register(offering(asset), "testing");

        assertThatThrownBy(() -> fetch(registry, "spam-assassin").call())
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.DUPLICATE_COMPONENT))
                .hasMessage("'spam-assassin' is both a dataset (nlp) and a downloadable asset (testing), so"
                        + " 'data fetch spam-assassin' cannot tell which to fetch. Remove one of the plugins.");
        assertThat(asset.downloads).isEmpty();
    }

    @Test
    void testTwoPluginsOfferingOneAssetAreBothNamedAndNeitherIsUsed() {
        ComponentRegistry registry = new ComponentRegistry();
        TestingAsset first = new TestingAsset("testing-weights");
        assertThat(registry.registerAvailable(offering(first), "first")).isEmpty();

        assertThat(registry.registerAvailable(offering(new TestingAsset("testing-weights")), "second"))
                .containsExactly("Downloadable asset 'testing-weights' is provided by both first and second;"
                        + " neither is used. Remove one of the plugins.");
        assertThat(registry.getAssetNames()).isEmpty();
        assertThatThrownBy(() -> fetch(registry, "testing-weights").call())
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.DUPLICATE_COMPONENT))
                .hasMessage("Downloadable asset 'testing-weights' is provided by both first and second."
                        + " Remove one of the plugins.");
        assertThat(first.downloads).isEmpty();
    }

    @Test
    void testStrictRegistrationRefusesASecondAssetOfTheSameName() {
        ComponentRegistry registry = new ComponentRegistry();
        registry.register(offering(new TestingAsset("testing-weights")), "first");

        assertThatThrownBy(() -> registry.register(offering(new TestingAsset("testing-weights")), "second"))
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.DUPLICATE_COMPONENT))
                .hasMessage("Downloadable asset 'testing-weights' is provided by both first and second."
                        + " Remove one of the plugins.");
        assertThat(registry.findAsset("testing-weights")).get()
                .extracting(ComponentRegistry.RegisteredAsset::source).isEqualTo("first");
    }
}
