package org.fadkd.runner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

final class TestConfigComposer {
    private static final String EXAMPLE =
            """
            defaults = [
              { task: classification }
              { data: fashion-mnist }
              { "model@teacher": resnet }
              { "model@student": cnn }
              { method: fad }
              { trainer: default }
              _self_
            ]
            seed = 1
            trainer.epochs = 3
            sweep { method = [kd, fad] }
            """;

    @Test
    void testCompositionOrderAndPackages(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment = project.experiment("example", EXAMPLE);

        ComposedJob job =
                project.composer().compose(experiment, List.of(), ComponentDefaults.none());

        Config config = job.config();
        assertThat(job.experimentName()).isEqualTo("example");
        assertThat(job.overrides()).isEmpty();
        assertThat(config.getString("task.type")).isEqualTo("classification");
        assertThat(config.getString("data.type")).isEqualTo("fashion-mnist");
        assertThat(config.getString("teacher.type")).isEqualTo("resnet");
        assertThat(config.getInt("teacher.width")).isEqualTo(64);
        assertThat(config.getString("student.type")).isEqualTo("cnn");
        assertThat(config.getInt("student.width")).isEqualTo(16);
        assertThat(config.hasPath("model")).isFalse();
        assertThat(config.getString("method.type")).isEqualTo("fad");
        assertThat(config.getInt("seed")).isEqualTo(1);
        // _self_ comes after trainer, so the experiment's epochs win over the group's.
        assertThat(config.getInt("trainer.epochs")).isEqualTo(3);
        assertThat(config.getDouble("trainer.learning-rate")).isEqualTo(0.1);
        assertThat(config.hasPath("defaults")).isFalse();
        assertThat(config.hasPath("sweep")).isFalse();
        assertThat(config.root().keySet())
                .containsExactlyInAnyOrder(
                        "task", "data", "teacher", "student", "method", "trainer", "seed");
    }

    @Test
    void testLaterEntriesWinAndSelfPosition(@TempDir Path root) {
        TestingProject project =
                TestingProject.standard(root)
                        .config("overrides/fast.conf", "trainer.epochs = 1\nteacher.width = 8");
        Path selfFirst =
                project.experiment(
                        "self-first",
                        """
defaults = [ _self_, { trainer: default }, { "model@teacher": resnet }, { "overrides@_global_": fast } ]
trainer.epochs = 3
trainer.extra = true
""");
        Path selfAbsent =
                project.experiment(
                        "self-absent",
                        """
                        defaults = [ { trainer: default } ]
                        trainer.epochs = 3
                        """);
        ConfigComposer composer = project.composer();

        Config first = composer.compose(selfFirst, List.of(), ComponentDefaults.none()).config();
        assertThat(first.getInt("trainer.epochs")).isEqualTo(1);
        assertThat(first.getInt("teacher.width")).isEqualTo(8);
        assertThat(first.getBoolean("trainer.extra")).isTrue();
        assertThat(
                        composer.compose(selfAbsent, List.of(), ComponentDefaults.none())
                                .config()
                                .getInt("trainer.epochs"))
                .isEqualTo(3);
    }

    @Test
    void testEarlierConfigDirectoryWins(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root.resolve("project"));
        Path extra = root.resolve("extra");
        TestingProject.write(extra.resolve("method/fad.conf"), "type = fad\ntemperature = 9");
        TestingProject.write(extra.resolve("method/mine.conf"), "type = mine");
        Path experiment = project.experiment("e", "defaults = [ { method: fad } ]");
        ConfigComposer composer = new ConfigComposer(List.of(extra, project.configs()));

        assertThat(
                        composer.compose(experiment, List.of(), ComponentDefaults.none())
                                .config()
                                .getInt("method.temperature"))
                .isEqualTo(9);
        assertThat(composer.options("method")).containsExactly("fad", "kd", "mine");
        assertThat(composer.groups()).containsExactly("data", "method", "model", "task", "trainer");
    }

    @Test
    void testGroupSwitchOverride(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment = project.experiment("example", EXAMPLE);

        ComposedJob job =
                project.composer()
                        .compose(
                                experiment,
                                List.of("method=kd", "teacher=cnn", "student=\"resnet\""),
                                ComponentDefaults.none());

        assertThat(job.config().getString("method.type")).isEqualTo("kd");
        assertThat(job.config().getDouble("method.temperature")).isEqualTo(2.0);
        assertThat(job.config().getString("teacher.type")).isEqualTo("cnn");
        assertThat(job.config().getString("student.type")).isEqualTo("resnet");
        assertThat(job.overrides())
                .containsExactly("method=kd", "teacher=cnn", "student=\"resnet\"");
    }

    @Test
    void testGroupUsedTwiceMustBeNamedByPackage(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment = project.experiment("example", EXAMPLE);

        assertThatThrownBy(
                        () ->
                                project.composer()
                                        .compose(
                                                experiment,
                                                List.of("model=cnn"),
                                                ComponentDefaults.none()))
                .hasMessage(
                        "Ambiguous override 'model=cnn': group 'model' is used for several packages"
                            + " ('teacher', 'student'); name the package instead, e.g."
                            + " 'teacher=cnn'.");
    }

    @Test
    void testKeyOverrideTypes(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment = project.experiment("example", EXAMPLE + "x = [0]\nname = base\n");

        Config config =
                project.composer()
                        .compose(
                                experiment,
                                List.of(
                                        "trainer.epochs=5",
                                        "method.temperature=2.5",
                                        "data.root=\"/tmp/x\"",
                                        "x=[1,2]",
                                        "name=fad-run",
                                        "seed = 7"),
                                ComponentDefaults.none())
                        .config();

        assertThat(config.getInt("trainer.epochs")).isEqualTo(5);
        assertThat(config.getDouble("method.temperature")).isEqualTo(2.5);
        assertThat(config.getString("data.root")).isEqualTo("/tmp/x");
        assertThat(config.getIntList("x")).containsExactly(1, 2);
        assertThat(config.getString("name")).isEqualTo("fad-run");
        assertThat(config.getInt("seed")).isEqualTo(7);
    }

    @Test
    void testUnknownKeySuggestsNearest(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment = project.experiment("example", EXAMPLE);
        ConfigComposer composer = project.composer();

        assertThatThrownBy(
                        () ->
                                composer.compose(
                                        experiment,
                                        List.of("method.temprature=2"),
                                        ComponentDefaults.none()))
                .isInstanceOfSatisfying(
                        FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessage(
                        "Unknown config key 'method.temprature' in override 'method.temprature=2':"
                            + " only keys that exist in the composed config can be set. Keys under"
                            + " 'method': temperature, type. Did you mean 'method.temperature'?");
        assertThatThrownBy(
                        () ->
                                composer.compose(
                                        experiment,
                                        List.of("temperature=2"),
                                        ComponentDefaults.none()))
                .hasMessageContaining(
                        "Top-level keys: data, method, seed, student, task, teacher, trainer.")
                .hasMessageEndingWith("Did you mean 'method.temperature'?");
    }

    @Test
    void testGroupMissingFromDefaultsIsExplained(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment = project.experiment("e", "defaults = [ { method: fad } ]");

        assertThatThrownBy(
                        () ->
                                project.composer()
                                        .compose(
                                                experiment,
                                                List.of("trainer=default"),
                                                ComponentDefaults.none()))
                .hasMessageContaining(
                        "'trainer' is a config group that the experiment's defaults list does not"
                            + " use; write '+trainer=default' to add it, or add { trainer: <option> } to"
                            + " the defaults list.");
    }

    @Test
    void testUnknownOptionListsOptions(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment = project.experiment("example", EXAMPLE);
        ConfigComposer composer = project.composer();

        assertThatThrownBy(
                        () ->
                                composer.compose(
                                        experiment,
                                        List.of("method=kdd"),
                                        ComponentDefaults.none()))
                .isInstanceOfSatisfying(
                        FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.UNKNOWN_COMPONENT))
                .hasMessage(
                        "Unknown option 'kdd' for config group 'method' in override 'method=kdd'."
                                + " Available options: fad, kd. Did you mean 'kd'?");

        Path typo =
                project.experiment(
                        "typo",
                        "defaults = [\n  { method: fad }\n  { \"model@teacher\": resnt }\n]\n");
        assertThatThrownBy(() -> composer.compose(typo, List.of(), ComponentDefaults.none()))
                .hasMessage(
                        "Unknown option 'resnt' for config group 'model' at "
                                + typo
                                + ": 3."
                                + " Available options: cnn, resnet. Did you mean 'resnet'?");
    }

    @Test
    void testUnknownGroup(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment = project.experiment("e", "defaults = [ { modl: resnet } ]");

        assertThatThrownBy(
                        () ->
                                project.composer()
                                        .compose(experiment, List.of(), ComponentDefaults.none()))
                .isInstanceOfSatisfying(
                        FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageStartingWith(
                        "Unknown config group 'modl' at "
                                + experiment
                                + ": 1: no directory 'modl' in ")
                .hasMessageEndingWith(
                        "Known groups: data, method, model, task, trainer. Did you mean 'model'?");
    }

    @Test
    void testSeveralErrorsReportedAtOnce(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment =
                project.experiment("example", EXAMPLE.replace("fashion-mnist", "fashion-minst"));

        assertThatThrownBy(
                        () ->
                                project.composer()
                                        .compose(
                                                experiment,
                                                List.of("trainer.epoch=5", "oops", "data.root=x"),
                                                ComponentDefaults.none()))
                .isInstanceOfSatisfying(
                        FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageStartingWith(
                        "Invalid configuration:\n\n"
                            + "1) Malformed override 'oops': expected key=value")
                .hasMessageContaining(
                        "\n\n2) Unknown option 'fashion-minst' for config group 'data' at "
                                + experiment
                                + ": 3. Available options: fashion-mnist. Did you mean"
                                + " 'fashion-mnist'?")
                .hasMessageContaining(
                        "\n\n3) Unknown config key 'trainer.epoch' in override 'trainer.epoch=5'")
                .hasMessageContaining("Did you mean 'trainer.epochs'?")
                // data.root cannot be checked while the data option is missing, so it is not
                // reported.
                .hasMessageNotContaining("data.root")
                .hasMessageEndingWith("\n\n3 errors");
    }

    /**
     * Issue 17, item 8: what validation finds (a value of the wrong type) is reported with what
     * composition found (an unknown option, an unknown key), not in a second round; what it says
     * about a section whose option failed to load is dropped.
     */
    @Test
    void testProblemsOfLaterStagesComeWithCompositionProblems(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment = project.experiment("example", EXAMPLE + "method.temperature = 3\n");
        List<Config> validated = new ArrayList<>();
        ComponentDefaults checking =
                new ComponentDefaults() {
                    @Override
                    public Config fill(Config composed) {
                        return composed;
                    }

                    @Override
                    public List<String> validate(Config resolved) {
                        validated.add(resolved);
                        List<String> problems = new ArrayList<>();
                        if (!resolved.hasPath("method.type")) {
                            problems.add("In 'method' (the experiment): it has no 'type'.");
                        }
                        if (resolved.getValue("trainer.epochs").valueType() != ConfigValueType.NUMBER) {
                            problems.add("Setting 'trainer.epochs' is '"
                                    + resolved.getString("trainer.epochs") + "'; it must be an integer.");
                        }
                        return problems;
                    }
                };

        assertThatThrownBy(
                        () ->
                                project.composer()
                                        .compose(
                                                experiment,
                                                List.of("trainer.epoch=1", "trainer.epochs=one", "method=kdd"),
                                                checking))
                .isInstanceOfSatisfying(
                        FadException.class,
                        e -> assertThat(e.getProblems())
                                .hasSize(3)
                                .satisfiesExactly(
                                        first -> assertThat(first).startsWith("Unknown option 'kdd' for config group"),
                                        second -> assertThat(second).startsWith(
                                                "Unknown config key 'trainer.epoch' in override 'trainer.epoch=1'"),
                                        third -> assertThat(third).isEqualTo(
                                                "Setting 'trainer.epochs' is 'one'; it must be an integer.")));
        assertThat(validated).hasSize(1);

        // Without composition problems, validating is the caller's next step, not the composer's.
        project.composer().compose(experiment, List.of("trainer.epochs=2"), checking);
        assertThat(validated).hasSize(1);
    }

    @Test
    void testMalformedOverrides(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment = project.experiment("example", EXAMPLE);

        assertThatThrownBy(
                        () ->
                                project.composer()
                                        .compose(
                                                experiment,
                                                List.of(
                                                        "=5",
                                                        "seed=a=b",
                                                        "seed=1, other = 2",
                                                        "seed=range(1,3)"),
                                                ComponentDefaults.none()))
                .hasMessageContaining("1) Malformed override '=5': it has no key.")
                .hasMessageContaining(
                        "2) Malformed override 'seed=a=b': the value 'a=b' has an unquoted '='")
                .hasMessageContaining(
                        "3) Malformed override 'seed=1, other = 2': the value 'other = 2' has an"
                                + " unquoted '='")
                .hasMessageContaining("4) Override 'seed=range(1,3)' sweeps over several values")
                .hasMessageEndingWith("4 errors");
    }

    @Test
    void testAddForceAddAndDeleteKeys(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment = project.experiment("example", EXAMPLE + "tags = [a, b]\n");
        ConfigComposer composer = project.composer();

        Config config =
                composer.compose(
                                experiment,
                                List.of(
                                        "+trainer.note=hello",
                                        "trainer.note=again",
                                        "++trainer.extra=1",
                                        "++trainer.epochs=7",
                                        "~method.temperature",
                                        "~data.batch-size=32",
                                        "tags=[c]",
                                        "+teacher.extra={a:1}",
                                        "teacher.extra={b:2}",
                                        "data.root="),
                                ComponentDefaults.none())
                        .config();

        assertThat(config.getString("trainer.note")).isEqualTo("again");
        assertThat(config.getInt("trainer.extra")).isEqualTo(1);
        assertThat(config.getInt("trainer.epochs")).isEqualTo(7);
        assertThat(config.hasPath("method.temperature")).isFalse();
        assertThat(config.hasPath("data.batch-size")).isFalse();
        assertThat(config.getStringList("tags")).containsExactly("c");
        assertThat(config.getInt("teacher.extra.a")).isEqualTo(1);
        assertThat(config.getInt("teacher.extra.b")).isEqualTo(2);
        assertThat(config.getString("data.root")).isEmpty();
    }

    @Test
    void testAddAndDeleteKeyErrors(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment = project.experiment("example", EXAMPLE);

        assertThatThrownBy(
                        () ->
                                project.composer()
                                        .compose(
                                                experiment,
                                                List.of(
                                                        "+trainer.epochs=5",
                                                        "~trainer.epoch",
                                                        "~seed=2"),
                                                ComponentDefaults.none()))
                .hasMessageContaining(
                        "1) Cannot add key 'trainer.epochs' in override '+trainer.epochs=5': it already"
                            + " exists (value '3' at "
                                + experiment
                                + ": 11). Write 'trainer.epochs=5' to change it, or"
                                + " '++trainer.epochs=5' to add or change.")
                .hasMessageContaining(
                        "2) Unknown config key 'trainer.epoch' in override '~trainer.epoch': only keys"
                            + " that exist in the composed config can be deleted.")
                .hasMessageContaining("Did you mean 'trainer.epochs'?")
                .hasMessageContaining(
                        "3) Cannot delete key 'seed' in override '~seed=2': its value is not '2' but"
                            + " '1' at "
                                + experiment
                                + ": 10. Write '~seed' to delete it whatever its value.")
                .hasMessageEndingWith("3 errors");
    }

    @Test
    void testOptionalEntryIsSkippedOnlyWhenItsFileIsMissing(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment =
                project.experiment(
                        "e",
                        """
                        defaults = [ { method: kd }, { "optional method@extra": local }, { "optional model@teacher": resnet } ]
                        """);
        Config config = project.composer().compose(experiment, List.of(), ComponentDefaults.none()).config();
        assertThat(config.hasPath("extra")).isFalse();
        assertThat(config.getString("teacher.type")).isEqualTo("resnet");

        Path missing = project.experiment("m", "defaults = [ { method: local } ]\n");
        assertThatThrownBy(() -> project.composer().compose(missing, List.of(), ComponentDefaults.none()))
                .hasMessageContaining("Unknown option 'local' for config group 'method'");
    }

    @Test
    void testAddSwitchAndDeleteGroups(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment =
                project.experiment(
                        "e",
                        """
                        defaults = [ { method: fad }, { "model@teacher": resnet }, { trainer: null } ]
                        """);
        ConfigComposer composer = project.composer();

        Config added =
                composer.compose(
                                experiment,
                                List.of("+model@student=cnn", "+data=fashion-mnist", "~method", "trainer=default"),
                                ComponentDefaults.none())
                        .config();
        assertThat(added.getString("student.type")).isEqualTo("cnn");
        assertThat(added.getString("data.type")).isEqualTo("fashion-mnist");
        assertThat(added.hasPath("method")).isFalse();
        assertThat(added.getInt("trainer.epochs")).isEqualTo(10);

        Config forced =
                composer.compose(
                                experiment,
                                List.of("++method=kd", "++task=classification", "~teacher=resnet", "method=null"),
                                ComponentDefaults.none())
                        .config();
        assertThat(forced.hasPath("method")).isFalse();
        assertThat(forced.getString("task.type")).isEqualTo("classification");
        assertThat(forced.hasPath("teacher")).isFalse();

        assertThatThrownBy(
                        () ->
                                composer.compose(
                                        experiment,
                                        List.of("+method=kd", "~teacher=cnn", "~data", "task=classification"),
                                        ComponentDefaults.none()))
                .hasMessageContaining(
                        "1) Cannot add config group 'method' in override '+method=kd': the defaults list"
                            + " already chooses 'fad' (at "
                                + experiment
                                + ": 1). Write 'method=<option>' to switch it, or '++method=<option>' to"
                                + " add or switch.")
                .hasMessageContaining(
                        "2) Cannot delete config group 'teacher' in override '~teacher=cnn': its option is"
                            + " 'resnet' (at "
                                + experiment
                                + ": 1), not 'cnn'.")
                .hasMessageContaining(
                        "3) Cannot delete config group 'data' in override '~data': the defaults list"
                            + " chooses no option for it.")
                .hasMessageContaining(
                        "4) Unknown config key 'task' in override 'task=classification'")
                .hasMessageContaining("write '+task=classification' to add it")
                .hasMessageEndingWith("4 errors");
    }

    @Test
    void testMultirunExpandsInArgumentOrderAfterTheFileSweep(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment =
                project.experiment(
                        "sweep",
                        EXAMPLE.replace(
                                "sweep { method = [kd, fad] }",
                                "sweep { method = [kd, fad], trainer.epochs = [1, 2] }"));
        ConfigComposer composer = project.composer();

        RunPlan plan = composer.plan(experiment, List.of("method=kd,fad", "seed=1,2", "data.root=x"), true);

        assertThat(plan.sweep()).isTrue();
        assertThat(plan.jobs())
                .extracting(JobPlan::overrides)
                .containsExactly(
                        List.of("trainer.epochs=1", "method=kd", "seed=1", "data.root=x"),
                        List.of("trainer.epochs=1", "method=kd", "seed=2", "data.root=x"),
                        List.of("trainer.epochs=1", "method=fad", "seed=1", "data.root=x"),
                        List.of("trainer.epochs=1", "method=fad", "seed=2", "data.root=x"),
                        List.of("trainer.epochs=2", "method=kd", "seed=1", "data.root=x"),
                        List.of("trainer.epochs=2", "method=kd", "seed=2", "data.root=x"),
                        List.of("trainer.epochs=2", "method=fad", "seed=1", "data.root=x"),
                        List.of("trainer.epochs=2", "method=fad", "seed=2", "data.root=x"));
        assertThat(plan.jobs()).extracting(JobPlan::number).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);

        List<JobPlan> functions =
                composer.plan(
                                experiment,
                                List.of("trainer.epochs=range(1,3)", "method=glob(*, exclude=fad)",
                                        "+trainer.lr=choice(0.1,'x y')"),
                                true)
                        .jobs();
        assertThat(functions)
                .extracting(JobPlan::overrides)
                .containsExactly(
                        List.of("trainer.epochs=1", "method=kd", "+trainer.lr=0.1"),
                        List.of("trainer.epochs=1", "method=kd", "+trainer.lr=\"x y\""),
                        List.of("trainer.epochs=2", "method=kd", "+trainer.lr=0.1"),
                        List.of("trainer.epochs=2", "method=kd", "+trainer.lr=\"x y\""));
        Config last = composer.compose(experiment, functions.get(3).overrides(), ComponentDefaults.none()).config();
        assertThat(last.getString("trainer.lr")).isEqualTo("x y");

        assertThat(composer.plan(experiment, List.of("method=kd", "trainer.epochs=1"), true))
                .isEqualTo(new RunPlan(List.of(new JobPlan(0, List.of("method=kd", "trainer.epochs=1"))), true));
        assertThat(composer.plan(experiment, List.of("method=kd", "trainer.epochs=1"), false).sweep()).isFalse();
        assertThatThrownBy(() -> composer.plan(experiment, List.of("seed=glob(*)"), true))
                .hasMessageContaining("Override 'seed=glob(*)': glob() selects options of a config group, and"
                        + " 'seed' is not one.");
        assertThatThrownBy(() -> composer.plan(experiment, List.of("method=glob(x*)"), true))
                .hasMessageContaining("glob() matches no option of config group 'method'. Options: fad, kd.");
    }

    @Test
    void testSweepSettingsInTheSweepBlockAreNotAxes(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment =
                project.experiment(
                        "sweep",
                        EXAMPLE.replace(
                                "sweep { method = [kd, fad] }",
                                "sweep { method = [kd, fad], dir = \"out/{experiment}\" }"));

        RunPlan plan = project.composer().plan(experiment, List.of(), false);

        assertThat(plan.jobs()).hasSize(2);
        Config config =
                project.composer().compose(experiment, plan.jobs().get(0).overrides(), ComponentDefaults.none())
                        .config();
        assertThat(config.getString("sweep.dir")).isEqualTo("out/{experiment}");
    }

    @Test
    void testSyntaxErrorNamesFileAndLine(@TempDir Path root) {
        TestingProject project =
                TestingProject.standard(root)
                        .config(
                                "method/broken.conf",
                                "type = broken\ntemperature = 4\nalpha = = 2\n");
        Path experiment = project.experiment("example", EXAMPLE);
        Path brokenExperiment =
                project.experiment("broken", "defaults = [ { method: fad } ]\nseed = {\n");
        ConfigComposer composer = project.composer();

        assertThatThrownBy(
                        () ->
                                composer.compose(
                                        experiment,
                                        List.of("method=broken"),
                                        ComponentDefaults.none()))
                .isInstanceOfSatisfying(
                        FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageStartingWith(
                        "Syntax error at "
                                + project.configs().resolve("method/broken.conf")
                                + ": 3: ");
        // The file ends inside the '{' of line 2: that line is named, not the end of the file.
        String unclosed =
                "Syntax error at " + brokenExperiment + ":2: '{' opened here is never closed";
        assertThatThrownBy(
                        () ->
                                composer.compose(
                                        brokenExperiment, List.of(), ComponentDefaults.none()))
                .hasMessageStartingWith(unclosed);
        assertThatThrownBy(() -> composer.planSweep(brokenExperiment, List.of()))
                .hasMessageStartingWith(unclosed);
    }

    /** Issue 17, item 9: Typesafe reports the end of the file, asking for a ')' never opened. */
    @Test
    void testAnUnclosedBraceIsReportedWhereItOpened(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment =
                project.experiment(
                        "x",
                        """
                        defaults = [
                          { task: classification }
                          { data: fashion-mnist }
                          { "model@teacher": resnet }
                          { "model@student": cnn }
                          { method: fad }
                          _self_
                        ]
                        # a comment with a { is not code
                        run.dir = "outputs/{date}"
                        trainer {
                          epochs = 4
                          note = \"""a { in a
                          multi-line string\"""
                          learning-rate = ${?LR}

                        teacher-training {
                          epochs = 4
                        }
                        """);
        project.config("method/broken.conf", "type = fad\nweights = [1, 2\n");
        ConfigComposer composer = project.composer();

        assertThatThrownBy(() -> composer.compose(experiment, List.of(), ComponentDefaults.none()))
                .isInstanceOfSatisfying(
                        FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessage(
                        "Syntax error at "
                                + experiment
                                + ":11: '{' opened here is never closed (the file ends at line 19"
                                + " still inside it). Add the missing '}'.");
        assertThatThrownBy(() -> composer.planSweep(experiment, List.of()))
                .hasMessageStartingWith("Syntax error at " + experiment + ":11: '{' opened here");
        // In an option file too, and for a list's '['.
        assertThatThrownBy(
                        () ->
                                composer.compose(
                                        project.experiment("example", EXAMPLE),
                                        List.of("method=broken"),
                                        ComponentDefaults.none()))
                .hasMessageContaining(
                        "Syntax error at "
                                + project.configs().resolve("method/broken.conf")
                                + ":2: '[' opened here is never closed");
    }

    @Test
    void testSubstitutionsResolvedAfterOverrides(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment =
                project.experiment("example", EXAMPLE + "student.width = ${teacher.width}\n");
        ConfigComposer composer = project.composer();

        assertThat(
                        composer.compose(experiment, List.of(), ComponentDefaults.none())
                                .config()
                                .getInt("student.width"))
                .isEqualTo(64);
        Config overridden =
                composer.compose(experiment, List.of("teacher.width=128"), ComponentDefaults.none())
                        .config();
        assertThat(overridden.getInt("student.width")).isEqualTo(128);
        Config fromCommandLine =
                composer.compose(
                                experiment,
                                List.of("trainer.epochs=${seed}", "seed=4"),
                                ComponentDefaults.none())
                        .config();
        assertThat(fromCommandLine.getInt("trainer.epochs")).isEqualTo(4);
    }

    @Test
    void testUnresolvableSubstitutionIsReported(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment =
                project.experiment("example", EXAMPLE + "student.width = ${teacher.widht}\n");

        assertThatThrownBy(
                        () ->
                                project.composer()
                                        .compose(experiment, List.of(), ComponentDefaults.none()))
                .hasMessageStartingWith(
                        "Cannot resolve the composed config at " + experiment + ": 13: ")
                .hasMessageContaining("${teacher.widht}");
    }

    @Test
    void testComponentDefaultsFilledBeforeKeyOverrides(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment = project.experiment("example", EXAMPLE);
        // Stands in for the runner: the fad factory documents alpha and a default temperature.
        ComponentDefaults fadDefaults =
                composed ->
                        composed.withFallback(
                                ConfigFactory.parseString(
                                                "alpha = 0.9\ntemperature = 1.0\nwarmup = 0")
                                        .atPath("method"));

        Config config =
                project.composer()
                        .compose(experiment, List.of("method.alpha=0.5"), fadDefaults)
                        .config();

        assertThat(config.getDouble("method.alpha")).isEqualTo(0.5);
        assertThat(config.getDouble("method.temperature")).isEqualTo(4.0);
        assertThat(config.getInt("method.warmup")).isZero();
        assertThatThrownBy(
                        () ->
                                project.composer()
                                        .compose(
                                                experiment,
                                                List.of("method.alpha=0.5"),
                                                ComponentDefaults.none()))
                .hasMessageStartingWith("Unknown config key 'method.alpha'");
    }

    @Test
    void testComponentDefaultsProblemsAreCollected(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment = project.experiment("example", EXAMPLE);
        ComponentDefaults failing =
                composed -> {
                    throw new FadException(
                            ErrorCode.UNKNOWN_COMPONENT, "Unknown method type 'fad'.");
                };

        assertThatThrownBy(
                        () -> project.composer().compose(experiment, List.of("seed=x=y"), failing))
                .isInstanceOfSatisfying(
                        FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.CONFIG_INVALID))
                // Overrides are parsed before the component sections are bound, so their
                // problems come first.
                .hasMessageContaining("1) Malformed override 'seed=x=y'")
                .hasMessageContaining("2) Unknown method type 'fad'.")
                .hasMessageEndingWith("2 errors");
    }

    @Test
    void testSweepInDeclaredOrderWithCommandLineOverridesAppended(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment =
                project.experiment(
                        "sweep",
                        EXAMPLE.replace(
                                "sweep { method = [kd, fad] }",
                                "sweep {\n  seed = [1, 2]\n  method = [kd, fad]\n}"));
        ConfigComposer composer = project.composer();

        List<JobPlan> jobs = composer.planSweep(experiment, List.of("trainer.epochs=1"));

        assertThat(jobs)
                .containsExactly(
                        new JobPlan(0, List.of("seed=1", "method=kd", "trainer.epochs=1")),
                        new JobPlan(1, List.of("seed=1", "method=fad", "trainer.epochs=1")),
                        new JobPlan(2, List.of("seed=2", "method=kd", "trainer.epochs=1")),
                        new JobPlan(3, List.of("seed=2", "method=fad", "trainer.epochs=1")));
        ComposedJob job =
                composer.compose(experiment, jobs.get(2).overrides(), ComponentDefaults.none());
        assertThat(job.config().getInt("seed")).isEqualTo(2);
        assertThat(job.config().getString("method.type")).isEqualTo("kd");
        assertThat(job.config().getInt("trainer.epochs")).isEqualTo(1);
    }

    @Test
    void testCommandLineValueReplacesTheSweptKey(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment = project.experiment("sweep", EXAMPLE);

        List<JobPlan> jobs = project.composer().planSweep(experiment, List.of("method=kd", "seed=2"));

        assertThat(jobs).containsExactly(new JobPlan(0, List.of("method=kd", "seed=2")));
    }

    @Test
    void testSweepOnOneLineAndNestedKeys(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment =
                project.experiment(
                        "sweep",
                        EXAMPLE.replace(
                                "sweep { method = [kd, fad] }",
                                "sweep { trainer.epochs = [1, 2], method = [kd, fad], data.root ="
                                    + " [\"/a b\", plain] }"));

        List<JobPlan> jobs = project.composer().planSweep(experiment, List.of());

        assertThat(jobs).hasSize(8);
        assertThat(jobs.get(0).overrides())
                .containsExactly("trainer.epochs=1", "method=kd", "data.root=\"/a b\"");
        assertThat(jobs.get(1).overrides())
                .containsExactly("trainer.epochs=1", "method=kd", "data.root=plain");
        assertThat(jobs.get(7).overrides())
                .containsExactly("trainer.epochs=2", "method=fad", "data.root=plain");
        Config config =
                project.composer()
                        .compose(experiment, jobs.get(0).overrides(), ComponentDefaults.none())
                        .config();
        assertThat(config.getString("data.root")).isEqualTo("/a b");
    }

    @Test
    void testNoSweepIsOneJob(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment =
                project.experiment("single", "defaults = [ { method: fad } ]\nseed = 1\n");

        assertThat(project.composer().planSweep(experiment, List.of("seed=2")))
                .containsExactly(new JobPlan(0, List.of("seed=2")));
    }

    @Test
    void testMalformedSweep(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment = project.experiment("bad", "sweep {\n  seed = 1\n  method = []\n}\n");

        assertThatThrownBy(() -> project.composer().planSweep(experiment, List.of()))
                .hasMessageContaining(
                        "Sweep key 'seed' at "
                                + experiment
                                + ": 2 must be a non-empty list of values")
                .hasMessageContaining(
                        "Sweep key 'method' at " + experiment + ": 3 must be a non-empty list")
                .hasMessageEndingWith("2 errors");
    }

    @Test
    void testMalformedDefaults(@TempDir Path root) {
        TestingProject project = TestingProject.standard(root);
        Path experiment =
                project.experiment(
                        "bad",
                        """
                        defaults = [
                          { method: fad, trainer: default }
                          42
                          { method: kd }
                        ]
                        """);

        assertThatThrownBy(
                        () ->
                                project.composer()
                                        .compose(experiment, List.of(), ComponentDefaults.none()))
                .hasMessageContaining(
                        "1) Malformed defaults entry '{\"method\":\"fad\",\"trainer\":\"default\"}'"
                            + " at "
                                + experiment
                                + ": 2.")
                .hasMessageContaining("2) Malformed defaults entry '42' at " + experiment + ": 3.")
                .hasMessageEndingWith("2 errors");
        Path twice = project.experiment("twice", "defaults = [ { method: fad }, { method: kd } ]");
        assertThatThrownBy(
                        () ->
                                project.composer()
                                        .compose(twice, List.of(), ComponentDefaults.none()))
                .hasMessageStartingWith("Package 'method' is chosen twice in the defaults list");
    }
}
