package org.fadkd.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fadkd.api.DataSplit;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.TestingComponents;
import org.fadkd.engine.model.TappedModel;
import org.junit.jupiter.api.Test;

/** {@code trainer.prefetch} in the loop: the same training with and without a loader thread. */
final class TestDistillationLoopPrefetch {
    private static TrainingSettings settings(int epochs, int prefetch) {
        return TrainingSettings.from(ConfigFactory.parseString("epochs = " + epochs + ", batch-size = 16,"
                + " eval-batch-size = 64, optimizer = adam, learning-rate = 0.01, momentum = 0.9, weight-decay = 0,"
                + " schedule = cosine, augment = none, prefetch = " + prefetch), "trainer");
    }

    private static TappedModel model() {
        Model model = Model.newInstance("student");
        model.setBlock(TestingComponents.mlp(16, 16).newBlock(new Shape(8), 4));
        return new TappedModel("student", model, TestingComponents.mlp(16, 16).getTapNames());
    }

    private record Run(List<Double> losses, List<List<Double>> epochLosses, Map<String, float[]> weights,
            Set<String> loaderThreads) {}

    private static Run train(LabeledDataset data, int prefetch) {
        List<Double> losses = new ArrayList<>();
        Set<String> threads = Collections.synchronizedSet(new java.util.TreeSet<>());
        LoopListener listener = new LoopListener() {
            @Override
            public void onStep(double loss) {
                losses.add(loss);
            }
        };
        TappedModel student = model();
        try (Model closing = student.model()) {
            TrainingOutcome outcome = new DistillationLoop(TestingComponents.classification(),
                    threadRecording(data, threads), settings(3, prefetch), 17, (key, value, step) -> {}, listener)
                    .train(student, null, TestingComponents.taskOnly());
            List<List<Double>> epochs = outcome.epochs().stream()
                    .map(report -> List.of(report.training().get("loss"), report.validation().get("top1")))
                    .toList();
            return new Run(losses, epochs, TestingComponents.weights(student), threads);
        }
    }

    @Test
    void testPrefetchingTrainsOnTheSameBatchesAsBuildingThemInTheStep() {
        LabeledDataset data = TestingComponents.blobs(200, 64, 4);
        Run direct = train(data, 0);
        Run prefetched = train(data, 2);
        Run deep = train(data, 5);
        assertThat(direct.losses()).hasSize(3 * (200 / 16));
        for (Run run : List.of(prefetched, deep)) {
            assertThat(run.losses()).containsExactlyElementsOf(direct.losses());
            assertThat(run.epochLosses()).isEqualTo(direct.epochLosses());
            assertThat(run.weights().keySet()).containsExactlyElementsOf(direct.weights().keySet());
            direct.weights().forEach((name, values) -> assertThat(run.weights().get(name)).as(name)
                    .containsExactly(values));
        }
        // Training batches came from the loader thread only when prefetching; the rest from the caller.
        assertThat(direct.loaderThreads()).noneMatch(name -> name.startsWith("fad-batch-loader"));
        assertThat(prefetched.loaderThreads()).contains("fad-batch-loader-epoch-1", "fad-batch-loader-epoch-3");
        assertThat(loaderThreadsAlive()).isZero();
    }

    @Test
    void testAFailingStepStopsTheLoaderAndClosesItsBatches() {
        LabeledDataset data = TestingComponents.blobs(200, 64, 4);
        int[] steps = {0};
        LoopListener failing = new LoopListener() {
            @Override
            public void onStep(double loss) {
                if (++steps[0] == 4) {
                    throw new IllegalStateException("simulated failure after step 4");
                }
            }
        };
        TappedModel student = model();
        try (Model closing = student.model()) {
            assertThatThrownBy(() -> new DistillationLoop(TestingComponents.classification(), data, settings(2, 3), 17,
                    (key, value, step) -> {}, failing).train(student, null, TestingComponents.taskOnly()))
                    .hasMessage("simulated failure after step 4");
        }
        assertThat(loaderThreadsAlive()).isZero();
    }

    private static long loaderThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("fad-batch-loader") && thread.isAlive())
                .count();
    }

    /** {@code data} whose training split records the name of each thread that reads it for training. */
    private static LabeledDataset threadRecording(LabeledDataset data, Set<String> threads) {
        return new LabeledDataset() {
            @Override
            public DataSplit getSplit(Split split) {
                DataSplit inner = data.getSplit(split);
                return new DataSplit() {
                    @Override
                    public int size() {
                        return inner.size();
                    }

                    @Override
                    public LabeledBatch getBatch(NDManager manager, int[] indices) {
                        return inner.getBatch(manager, indices);
                    }

                    @Override
                    public LabeledBatch getTrainingBatch(NDManager manager, int[] indices, long seed, int epoch) {
                        threads.add(Thread.currentThread().getName());
                        return inner.getTrainingBatch(manager, indices, seed, epoch);
                    }
                };
            }

            @Override
            public Shape getSampleShape() {
                return data.getSampleShape();
            }

            @Override
            public int getClassCount() {
                return data.getClassCount();
            }

            @Override
            public String getFingerprint() {
                return data.getFingerprint();
            }
        };
    }
}
