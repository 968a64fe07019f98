package org.fadkd.distill.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fadkd.api.ComponentFactory;
import org.fadkd.api.DistillationTrainer;
import org.fadkd.api.FadException;
import org.fadkd.api.StageResult;
import org.fadkd.api.StageSettings;
import org.fadkd.api.TrainerHost;
import org.fadkd.api.TrainingModel;
import org.fadkd.api.TrainingStage;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;

/** The built-in trainers' schedules, against a host that records the stages it is asked to run. */
class TestTrainers {
    private static final StageSettings JOB = new StageSettings(4, "adam", 0.005, 0.9, 0.0, "cosine");

    @Test
    void testStandardRunsOneStageOfTheWholeStudentWithTheJobsMethod() {
        RecordingHost host = new RecordingHost();
        create(new StandardTrainerFactory(), "").train(host);

        assertThat(host.stages).singleElement().satisfies(stage -> {
            assertThat(stage.name()).isEqualTo("distill");
            assertThat(stage.learner()).isSameAs(host.student);
            assertThat(stage.teacher()).isSameAs(host.teacher);
            assertThat(stage.method()).isEqualTo(host.method());
            assertThat(stage.settings()).isEqualTo(JOB);
            assertThat(stage.trainsUpToTap()).isNull();
        });
    }

    @Test
    void testStagedDefaultsAreFitnetsTwoStageRecipe() {
        RecordingHost host = new RecordingHost();
        create(new StagedTrainerFactory(), "").train(host);

        assertThat(host.stages).hasSize(2);
        TrainingStage hint = host.stages.get(0);
        assertThat(hint.name()).isEqualTo("hint");
        assertThat(hint.trainsUpToTap()).isEqualTo(TrainingStage.MIDDLE_TAP);
        assertThat(hint.method().getString("type")).isEqualTo("fitnets");
        assertThat(hint.method().getDouble("task-weight")).isZero();
        assertThat(hint.method().getInt("beta")).isEqualTo(100); // the job's own setting is kept
        assertThat(hint.settings().epochs()).isEqualTo(1);
        assertThat(hint.settings().learningRate()).isEqualTo(0.005);
        TrainingStage kd = host.stages.get(1);
        assertThat(kd.name()).isEqualTo("kd");
        assertThat(kd.method().getString("type")).isEqualTo("kd");
        assertThat(kd.method().getDouble("temperature")).isEqualTo(4);
        assertThat(kd.settings()).isEqualTo(JOB);
        assertThat(kd.trainsUpToTap()).isNull();
    }

    @Test
    void testStagedTaskOnlyStageHasNoTeacher() {
        RecordingHost host = new RecordingHost();
        create(new StagedTrainerFactory(), "stages = [{ name = warm, method = task, learning-rate = 0.01 }, { name = d }]")
                .train(host);

        assertThat(host.stages.get(0).method()).isNull();
        assertThat(host.stages.get(0).teacher()).isNull();
        assertThat(host.stages.get(0).settings().learningRate()).isEqualTo(0.01);
        assertThat(host.stages.get(1).method()).isEqualTo(host.method());
    }

    @Test
    void testStagedReportsEveryBadStageAtOnce() {
        assertThatThrownBy(() -> create(new StagedTrainerFactory(),
                "stages = [{ name = Bad }, { name = x, method = nope }, { name = y, epoch = 2 }]"))
                .isInstanceOf(FadException.class)
                .satisfies(e -> assertThat(((FadException) e).getProblems()).hasSize(3))
                .hasMessageContaining("trainer.stages[0]").hasMessageContaining("trainer.stages[1]")
                .hasMessageContaining("epoch");
        assertThatThrownBy(() -> new StagedTrainerFactory().check(ConfigFactory.parseString(
                        "stages = [{ name = x, epochs = 0 }]")))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("epochs").hasMessageContaining("trainer.stages[0]");
    }

    @Test
    void testAssistantLearnsFromTheTeacherThenTeachesTheStudent() {
        RecordingHost host = new RecordingHost();
        DistillationTrainer trainer = create(new AssistantTrainerFactory(), "assistant-epochs = 2");
        trainer.preflight(host);
        trainer.train(host);

        assertThat(host.built).containsOnlyKeys("assistant");
        assertThat(host.built.get("assistant").getString("type")).isEqualTo("cnn");
        assertThat(host.stages).extracting(TrainingStage::name).containsExactly("assistant", "student");
        TrainingModel assistant = host.stages.get(0).learner();
        assertThat(host.stages.get(0).teacher()).isSameAs(host.teacher);
        assertThat(host.stages.get(0).settings().epochs()).isEqualTo(2);
        assertThat(host.stages.get(1).learner()).isSameAs(host.student);
        assertThat(host.stages.get(1).teacher()).isSameAs(assistant);
        assertThat(host.stages.get(1).settings()).isEqualTo(JOB);
        assertThat(host.reported).containsEntry("assistant_top1", 0.5);
    }

    @Test
    void testAssistantChecksItsEpochs() {
        Config settings = ConfigFactory.parseString("assistant-epochs = -1")
                .withFallback(new AssistantTrainerFactory().getDefaults());
        assertThatThrownBy(() -> new AssistantTrainerFactory().check(settings)).isInstanceOf(FadException.class)
                .hasMessage("Setting 'assistant-epochs' of trainer 'assistant' is '-1'; it must be an integer >= 0.");
    }

    private static DistillationTrainer create(ComponentFactory<DistillationTrainer> factory, String settings) {
        try (TestingFadContext context = TestingFadContext.of()) {
            Config section = ConfigFactory.parseString(settings).withFallback(factory.getDefaults()).resolve();
            return factory.create(section, context);
        }
    }

    private record Model(String name) implements TrainingModel {
        @Override
        public List<String> tapNames() {
            return List.of("conv1", "conv2", "conv3");
        }
    }

    /** Runs nothing: records the stages, and answers each with a made-up result. */
    private static final class RecordingHost implements TrainerHost {
        final TrainingModel teacher = new Model("teacher");
        final TrainingModel student = new Model("student");
        final List<TrainingStage> stages = new ArrayList<>();
        final Map<String, Config> built = new LinkedHashMap<>();
        final Map<String, Double> reported = new LinkedHashMap<>();

        @Override
        public TrainingModel teacher() {
            return teacher;
        }

        @Override
        public TrainingModel student() {
            return student;
        }

        @Override
        public Config method() {
            return ConfigFactory.parseString("type = fitnets, beta = 100, task-weight = 1");
        }

        @Override
        public StageSettings settings() {
            return JOB;
        }

        @Override
        public TrainingModel newModel(String name, Config architecture) {
            built.put(name, architecture);
            return new Model(name);
        }

        @Override
        public StageResult runStage(TrainingStage stage) {
            stages.add(stage);
            return new StageResult("top1", 0.6, 1, 0.5, stage.settings().epochs());
        }

        @Override
        public void report(Map<String, Double> metrics) {
            reported.putAll(metrics);
        }
    }
}
