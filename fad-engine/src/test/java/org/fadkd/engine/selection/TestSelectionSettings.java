package org.fadkd.engine.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Path;
import java.util.List;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.engine.selection.SelectionSettings.CandidateSpec;
import org.junit.jupiter.api.Test;

final class TestSelectionSettings {
    /** The repository root: tests run in the module's directory. */
    private static final Path REPOSITORY = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();

    /**
     * The runner's documented defaults, read from its source tree: fad-engine cannot depend on
     * fad-runner, and this keeps the documentation and the code from drifting apart.
     */
    private static final Path DOCUMENTED_DEFAULTS =
            REPOSITORY.resolve("fad-runner/src/main/resources/org/fadkd/runner/job/selection-defaults.conf");

    private static Config defaults() {
        return ConfigFactory.parseFile(DOCUMENTED_DEFAULTS.toFile(), ConfigParseOptions.defaults().setAllowMissing(false))
                .getConfig("selection");
    }

    private static SelectionSettings read(String overrides) {
        return SelectionSettings.from(ConfigFactory.parseString(overrides).withFallback(defaults()).resolve());
    }

    @Test
    void testDocumentedDefaultsAreTheSpecsDefaults() {
        assertThat(SelectionSettings.from(defaults())).isEqualTo(SelectionSettings.defaults(List.of()));
        assertThat(SelectionSettings.defaults(List.of()).budgets()).isEqualTo(SelectionBudgets.NONE);
        assertThat(SelectionSettings.defaults(List.of()).proxy()).isEqualTo(new SelectionSettings.Proxy(true, SelectionSettings.Proxy.DEFAULTS.method(), 100, 10));
        assertThat(SelectionSettings.defaults(List.of()).batches()).isEqualTo(10);
        assertThat(SelectionSettings.defaults(List.of()).weights()).isEqualTo(new SelectionWeights(0.4, 0.3, 0.3));
    }

    @Test
    void testFullMapping() {
        SelectionSettings settings = read("""
                enabled = true
                candidates = [cnn, { name = cnn-wide, model = cnn, settings { widths = [32, 64] } }, { model = mlp }]
                budgets { max-params = 100000, max-gflops = 0.005, max-latency-ms = 2.5 }
                batches = 4
                proxy { enabled = false, steps = 20, eval-batches = 3 }
                weights { alignment = 0.5, match = 0.5, proxy = 0 }
                """);

        assertThat(settings.enabled()).isTrue();
        assertThat(settings.candidates()).containsExactly(
                CandidateSpec.of("cnn"),
                new CandidateSpec("cnn-wide", "cnn", ConfigFactory.parseString("widths = [32, 64]")),
                CandidateSpec.of("mlp"));
        assertThat(settings.budgets()).isEqualTo(new SelectionBudgets(100_000L, 0.005, 2.5));
        assertThat(settings.batches()).isEqualTo(4);
        assertThat(settings.proxy()).isEqualTo(new SelectionSettings.Proxy(false, SelectionSettings.Proxy.DEFAULTS.method(), 20, 3));
        assertThat(settings.weights()).isEqualTo(new SelectionWeights(0.5, 0.5, 0));
    }

    @Test
    void testEveryProblemAtOnce() {
        assertThatThrownBy(() -> read("""
                enabled = yes-please
                candidates = [cnn, 42, { model = vgg, widths = [8] }, { name = cnn, model = cnn }]
                budgets { max-params = 1.5, max-gflops = 0 }
                batches = 0
                proxy { steps = 0 }
                weights { alignment = 0, match = 0 }
                """))
                .isInstanceOf(FadException.class)
                .hasMessageStartingWith("Invalid settings for section 'selection':")
                .hasMessageContaining("Setting 'enabled' of section 'selection' is 'yes-please'; it must be true or"
                        + " false.")
                .hasMessageContaining("but entry 2 is '42'")
                .hasMessageContaining("but entry 3 has the key 'widths' (architecture settings go in its 'settings')")
                .hasMessageContaining("distinct names, but 'cnn' appears twice")
                .hasMessageContaining("Setting 'budgets.max-params' of section 'selection' is '1.5'; it must be a"
                        + " number in [1, inf), a whole number.")
                .hasMessageContaining("Setting 'budgets.max-gflops' of section 'selection' is '0'")
                .hasMessageContaining("Setting 'batches' of section 'selection' is '0'; it must be an integer >= 1.")
                .hasMessageContaining("Setting 'proxy.steps' of section 'selection' is '0'")
                .hasMessageContaining("Setting 'weights.match' of section 'selection' is '0'; it must be positive"
                        + " when weights.alignment is 0")
                .hasMessageEndingWith("9 errors")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.CONFIG_INVALID);
    }

    @Test
    void testTheSelectionExperimentIsValid() {
        // the runner cannot validate the section until it is wired in (WIRING.md); until then this does
        Path experiment = REPOSITORY.resolve("experiments/fashion_mnist_selection.conf");
        Config section = ConfigFactory.parseFile(experiment.toFile(), ConfigParseOptions.defaults().setAllowMissing(false))
                .getConfig("selection");

        SelectionSettings settings = SelectionSettings.from(section.withFallback(defaults()));

        assertThat(settings.enabled()).isTrue();
        assertThat(settings.candidates()).extracting(CandidateSpec::name)
                .containsExactly("cnn", "cnn-small", "mlp", "mlp-large", "mobilenet", "vgg", "vgg-wide");
        assertThat(settings.budgets()).isEqualTo(new SelectionBudgets(100_000L, 0.005, null));
        assertThat(settings.proxy()).isEqualTo(SelectionSettings.Proxy.DEFAULTS);
    }

    @Test
    void testEnabledNeedsCandidates() {
        assertThatThrownBy(() -> read("enabled = true"))
                .isInstanceOf(FadException.class)
                .hasMessageStartingWith("Setting 'candidates' of section 'selection' is '[]' (at ")
                .hasMessageContaining("selection-defaults.conf: ")
                .hasMessageEndingWith("; it must be a non-empty list when 'enabled' is true.");
        assertThatThrownBy(() -> read("candidates = cnn"))
                .hasMessageContaining("Setting 'candidates' of section 'selection' is 'cnn'; it must be a list of"
                        + " candidates.");
    }
}
