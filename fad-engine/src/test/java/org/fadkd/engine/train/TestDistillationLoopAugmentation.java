package org.fadkd.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fadkd.api.BatchField;
import org.fadkd.api.DataSplit;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.LossValue;
import org.fadkd.api.Split;
import org.fadkd.api.TapLayout;
import org.fadkd.engine.TestingComponents;
import org.fadkd.engine.data.HeldOutValidation;
import org.fadkd.engine.model.TappedModel;
import org.fadkd.engine.teacher.TeacherLogits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code augment = crop-flip} with {@code schedule = one-cycle} in the loop, on 8×8 images with
 * part of the training split held out as validation: only training batches are augmented, each
 * sample as its (seed, epoch, index) draw says, and a resumed run repeats an uninterrupted one.
 */
final class TestDistillationLoopAugmentation {
    private static final int SIDE = 8;
    private static final int PIXELS = SIDE * SIDE;
    private static final long SEED = 5;
    /** Every image's smallest pixel (see {@link #images}), hence the padding. */
    private static final float DARKEST = -2;

    private sealed interface Event permits Fetch, Forward, EpochStart {}

    private record Fetch(Split split, int[] indices) implements Event {}

    private record Forward(boolean training, float[] inputs) implements Event {}

    private record EpochStart(int epoch) implements Event {}

    /** Without prefetching: the tests read the fetches and forwards as one sequence, on one thread. */
    private static TrainingSettings settings(int epochs) {
        return TrainingSettings.from(ConfigFactory.parseString("epochs = " + epochs + ", batch-size = 16,"
                + " eval-batch-size = 8, optimizer = sgd, learning-rate = 0.05, momentum = 0, weight-decay = 0,"
                + " schedule = one-cycle, augment = crop-flip, prefetch = 0"), "trainer");
    }

    /** 80 training and 20 test images of 1×8×8, two classes; no validation split of its own. */
    private static LabeledDataset images() {
        return new LabeledDataset() {
            private final DataSplit train = split(80, 0);
            private final DataSplit test = split(20, 1000);

            private DataSplit split(int size, int offset) {
                return new DataSplit() {
                    @Override
                    public int size() {
                        return size;
                    }

                    @Override
                    public LabeledBatch getBatch(NDManager manager, int[] indices) {
                        float[] values = new float[indices.length * PIXELS];
                        long[] labels = new long[indices.length];
                        for (int n = 0; n < indices.length; n++) {
                            int sample = offset + indices[n];
                            labels[n] = sample % 2;
                            for (int p = 0; p < PIXELS; p++) {
                                // Class 1 is brighter on the left half; every image holds DARKEST.
                                float level = (sample * 3 + p) % 7 + DARKEST;
                                values[n * PIXELS + p] = level + (sample % 2 == 1 && p % SIDE < SIDE / 2 ? 3 : 0);
                            }
                        }
                        return new LabeledBatch(
                                new NDList(manager.create(values, new Shape(indices.length, 1, SIDE, SIDE))),
                                new NDList(manager.create(labels)));
                    }
                };
            }

            @Override
            public DataSplit getSplit(Split split) {
                return split == Split.TRAIN ? train : test;
            }

            @Override
            public Shape getSampleShape() {
                return new Shape(1, SIDE, SIDE);
            }

            @Override
            public int getClassCount() {
                return 2;
            }

            @Override
            public String getFingerprint() {
                return "images-80-20";
            }
        };
    }

    /** {@code data} whose train and validation splits record every batch they are asked for. */
    private static LabeledDataset recording(LabeledDataset data, List<Event> events) {
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
                        events.add(new Fetch(split, indices.clone()));
                        return inner.getBatch(manager, indices);
                    }
                };
            }

            @Override
            public boolean hasValidationSplit() {
                return data.hasValidationSplit();
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

    /** Passes its input on, recording it and whether the forward was in training mode. */
    private static final class Recorder extends AbstractBlock {
        private final List<Event> events;

        Recorder(List<Event> events) {
            this.events = events;
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
            events.add(new Forward(training, inputs.head().toFloatArray()));
            return inputs;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }

    private static TappedModel student(List<Event> events) {
        Model model = Model.newInstance("student");
        model.setBlock(new SequentialBlock().add(new Recorder(events)).add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(2).build()));
        return new TappedModel("student", model, List.of());
    }

    private static LoopListener epochs(List<Event> events) {
        return new LoopListener() {
            @Override
            public void onEpochStart(int epoch, int epochs, int steps) {
                events.add(new EpochStart(epoch));
            }
        };
    }

    /** torchvision's RandomCrop(8, padding=4) then RandomHorizontalFlip, written out for one 8×8 image. */
    private static float[] padCropFlip(float[] image, RandomCropFlip.Draw draw) {
        float[][] padded = new float[SIDE + 8][SIDE + 8];
        for (float[] row : padded) {
            Arrays.fill(row, DARKEST);
        }
        for (int r = 0; r < SIDE; r++) {
            System.arraycopy(image, r * SIDE, padded[r + 4], 4, SIDE);
        }
        float[] out = new float[PIXELS];
        for (int r = 0; r < SIDE; r++) {
            for (int c = 0; c < SIDE; c++) {
                out[r * SIDE + c] = padded[draw.top() + r][draw.left() + (draw.flip() ? SIDE - 1 - c : c)];
            }
        }
        return out;
    }

    private static float[] pixels(DataSplit split, int[] indices) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return split.getBatch(manager, indices).inputs().head().toFloatArray();
        }
    }

    @Test
    void testOnlyTrainingBatchesAreAugmentedEachSampleByItsDraw() {
        LabeledDataset heldOut = HeldOutValidation.of(images(), 0.25);
        List<Event> events = new ArrayList<>();
        TappedModel student = student(events);
        try (Model closing = student.model()) {
            new DistillationLoop(TestingComponents.classification(), recording(heldOut, events), settings(2), SEED,
                    (key, value, step) -> {}, epochs(events)).train(student, null, TestingComponents.taskOnly());
        }
        DataSplit train = heldOut.getSplit(Split.TRAIN);
        DataSplit validation = heldOut.getSplit(Split.VALIDATION);
        assertThat(train.size()).isEqualTo(60);
        RandomCropFlip draws = new RandomCropFlip(SEED, new float[] {DARKEST});
        int epoch = 0;
        Fetch last = null;
        int trainingForwards = 0;
        int validationSamples = 0;
        int changedSamples = 0;
        for (Event event : events) {
            if (event instanceof EpochStart start) {
                epoch = start.epoch();
            } else if (event instanceof Fetch fetch) {
                last = fetch;
            } else if (event instanceof Forward forward) {
                assertThat(last).as("a forward follows a fetch").isNotNull();
                DataSplit source = last.split() == Split.TRAIN ? train : validation;
                float[] original = pixels(source, last.indices());
                if (!forward.training()) {
                    // Inference: the probe batch before training, then validation, each as stored.
                    if (last.split() == Split.TRAIN) {
                        assertThat(epoch).as("inference on training samples only before training").isZero();
                    }
                    assertThat(forward.inputs()).containsExactly(original);
                    validationSamples += last.split() == Split.VALIDATION ? last.indices().length : 0;
                    continue;
                }
                assertThat(last.split()).isEqualTo(Split.TRAIN);
                trainingForwards++;
                for (int n = 0; n < last.indices().length; n++) {
                    float[] image = Arrays.copyOfRange(original, n * PIXELS, (n + 1) * PIXELS);
                    float[] expected = padCropFlip(image, draws.draw(epoch, last.indices()[n]));
                    assertThat(Arrays.copyOfRange(forward.inputs(), n * PIXELS, (n + 1) * PIXELS))
                            .as("epoch %d sample %d", epoch, last.indices()[n]).containsExactly(expected);
                    changedSamples += Arrays.equals(expected, image) ? 0 : 1;
                }
            }
        }
        assertThat(trainingForwards).isEqualTo(2 * (60 / 16));
        assertThat(validationSamples).isEqualTo(2 * 20);
        assertThat(changedSamples).isGreaterThan(2 * 3 * 16 * 9 / 10);
    }

    @Test
    void testResumedRunRepeatsTheUninterruptedOne(@TempDir Path root) {
        // SGD without momentum keeps no state, so with the schedule continuing from the saved global
        // step and each epoch's augmentation drawn anew from (seed, epoch, index), resuming is exact.
        LabeledDataset data = HeldOutValidation.of(images(), 0.25);
        List<Event> straightEvents = new ArrayList<>();
        TappedModel straight = student(straightEvents);
        Map<String, float[]> expected;
        try (Model closing = straight.model()) {
            new DistillationLoop(TestingComponents.classification(), data, settings(3), SEED, (k, v, s) -> {},
                    epochs(straightEvents), root.resolve("straight")).train(straight, null, TestingComponents.taskOnly());
            expected = TestingComponents.weights(straight);
        }
        Path checkpoints = root.resolve("interrupted");
        TappedModel first = student(new ArrayList<>());
        LoopListener crashAfterOne = new LoopListener() {
            @Override
            public void onEpochEnd(EpochReport report) {
                throw new IllegalStateException("simulated crash after epoch " + report.epoch());
            }
        };
        try (Model closing = first.model()) {
            assertThatThrownBy(() -> new DistillationLoop(TestingComponents.classification(), data, settings(3), SEED,
                    (k, v, s) -> {}, crashAfterOne, checkpoints).train(first, null, TestingComponents.taskOnly()))
                    .hasMessageContaining("simulated crash after epoch 1");
        }
        List<Event> resumedEvents = new ArrayList<>();
        TappedModel resumed = student(resumedEvents);
        try (Model closing = resumed.model()) {
            new DistillationLoop(TestingComponents.classification(), data, settings(3), SEED, (k, v, s) -> {},
                    epochs(resumedEvents), checkpoints).train(resumed, null, TestingComponents.taskOnly());
            Map<String, float[]> weights = TestingComponents.weights(resumed);
            assertThat(weights.keySet()).isEqualTo(expected.keySet());
            expected.forEach((name, values) -> assertThat(weights.get(name)).as(name).containsExactly(values));
        }
        // Epochs 2 and 3 trained on the same augmented images.
        assertThat(trainingInputs(resumedEvents, 2)).isNotEmpty();
        for (int epoch = 2; epoch <= 3; epoch++) {
            List<float[]> straightInputs = trainingInputs(straightEvents, epoch);
            List<float[]> resumedInputs = trainingInputs(resumedEvents, epoch);
            assertThat(resumedInputs).hasSameSizeAs(straightInputs);
            for (int i = 0; i < straightInputs.size(); i++) {
                assertThat(resumedInputs.get(i)).containsExactly(straightInputs.get(i));
            }
        }
    }

    private static List<float[]> trainingInputs(List<Event> events, int wanted) {
        List<float[]> inputs = new ArrayList<>();
        int epoch = 0;
        for (Event event : events) {
            if (event instanceof EpochStart start) {
                epoch = start.epoch();
            } else if (event instanceof Forward forward && forward.training() && epoch == wanted) {
                inputs.add(forward.inputs());
            }
        }
        return inputs;
    }

    @Test
    void testCachedTeacherLogitsAreRefusedWithAugmentation() {
        LabeledDataset data = HeldOutValidation.of(images(), 0.25);
        DistillationLoss logitsOnly = new DistillationLoss() {
            @Override
            public ai.djl.ndarray.NDArray distillationTerm(DistillationBatch batch) {
                return batch.taskLoss().zerosLike();
            }

            @Override
            public LossValue compute(DistillationBatch batch) {
                return new LossValue(batch.taskLoss(), Map.of());
            }

            @Override
            public Set<BatchField> getRequirements() {
                return EnumSet.of(BatchField.TEACHER_OUTPUT);
            }
        };
        TeacherLogits logits = new TeacherLogits(new float[60 * 2], 60, 2, new TapLayout(List.of(), List.of()));
        TappedModel student = student(new ArrayList<>());
        try (Model closing = student.model()) {
            assertThatThrownBy(() -> new DistillationLoop(TestingComponents.classification(), data, settings(1), SEED,
                    (k, v, s) -> {}, LoopListener.NONE).train(student, null, logitsOnly, logits))
                    .isInstanceOfSatisfying(FadException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.CONFIG_INVALID))
                    .hasMessageContaining("augment = 'crop-flip'");
        }
    }
}
