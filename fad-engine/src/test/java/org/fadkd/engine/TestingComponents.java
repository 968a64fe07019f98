package org.fadkd.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import com.typesafe.config.Config;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.fadkd.api.Architecture;
import org.fadkd.api.BatchField;
import org.fadkd.api.DataSplit;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.DistillationLossFactory;
import org.fadkd.api.FadContext;
import org.fadkd.api.FadPlugin;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.LossValue;
import org.fadkd.api.Split;
import org.fadkd.api.Task;
import org.fadkd.api.TaskEvaluator;
import org.fadkd.api.block.TappedSequentialBlock;
import org.fadkd.engine.model.TappedModel;
import org.fadkd.engine.train.TrainingSettings;

/** Hand-written fakes for engine tests: a separable synthetic dataset, an MLP, CE and task-only losses. */
public final class TestingComponents {
    private TestingComponents() {}

    /** Two Gaussian blobs per class in 8 dimensions; a small MLP separates them well. */
    public static LabeledDataset blobs(int trainSize, int testSize, int classes) {
        float[][] centres = new float[classes][8];
        Random random = new Random(7);
        for (float[] centre : centres) {
            for (int d = 0; d < centre.length; d++) {
                centre[d] = (float) random.nextGaussian() * 3;
            }
        }
        return new LabeledDataset() {
            private final DataSplit train = split(trainSize, 11);
            private final DataSplit test = split(testSize, 13);

            private DataSplit split(int size, long seed) {
                Random sampler = new Random(seed);
                float[][] x = new float[size][8];
                long[] y = new long[size];
                for (int i = 0; i < size; i++) {
                    int label = i % classes;
                    y[i] = label;
                    for (int d = 0; d < 8; d++) {
                        x[i][d] = centres[label][d] + (float) sampler.nextGaussian();
                    }
                }
                return new DataSplit() {
                    @Override
                    public int size() {
                        return size;
                    }

                    @Override
                    public LabeledBatch getBatch(NDManager manager, int[] indices) {
                        float[] flat = new float[indices.length * 8];
                        long[] labels = new long[indices.length];
                        for (int i = 0; i < indices.length; i++) {
                            System.arraycopy(x[indices[i]], 0, flat, i * 8, 8);
                            labels[i] = y[indices[i]];
                        }
                        return new LabeledBatch(new NDList(manager.create(flat, new Shape(indices.length, 8))),
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
                return new Shape(8);
            }

            @Override
            public int getClassCount() {
                return classes;
            }

            @Override
            public String getFingerprint() {
                return "blobs-" + trainSize + "-" + testSize + "-" + classes;
            }
        };
    }

    /**
     * The inputs of a text dataset without its samples: token ids and a mask, both {@code (length)}
     * int64 per sample; example ids are in [1, vocabulary), the example mask is ones. Its splits
     * are not there ({@link UnsupportedOperationException}).
     */
    public static LabeledDataset tokenInputs(int length, int vocabulary) {
        return new LabeledDataset() {
            @Override
            public DataSplit getSplit(Split split) {
                throw new UnsupportedOperationException("tokenInputs has inputs only, no " + split + " split");
            }

            @Override
            public Shape getSampleShape() {
                return new Shape(length);
            }

            @Override
            public List<Shape> getInputShapes() {
                return List.of(new Shape(length), new Shape(length));
            }

            @Override
            public NDList newExampleInputs(NDManager manager, int batchSize) {
                Shape shape = new Shape(batchSize, length);
                return new NDList(manager.randomInteger(1, vocabulary, shape, DataType.INT64),
                        manager.ones(shape, DataType.INT64));
            }

            @Override
            public int getClassCount() {
                return 2;
            }

            @Override
            public String getFingerprint() {
                return "token-inputs-" + length + "-" + vocabulary;
            }
        };
    }

    /** An MLP with one tap per hidden layer. */
    public static Architecture mlp(int... widths) {
        return new Architecture() {
            @Override
            public Block newBlock(Shape sampleShape, int outputSize) {
                TappedSequentialBlock block = new TappedSequentialBlock();
                for (int i = 0; i < widths.length; i++) {
                    block.addStage("hidden" + (i + 1), new SequentialBlock()
                            .add(Linear.builder().setUnits(widths[i]).build()).add(Activation::relu));
                }
                return block.setHead(Linear.builder().setUnits(outputSize).build());
            }

            @Override
            public List<String> getTapNames() {
                List<String> names = new java.util.ArrayList<>();
                for (int i = 0; i < widths.length; i++) {
                    names.add("hidden" + (i + 1));
                }
                return names;
            }
        };
    }

    /** Softmax cross-entropy and top-1 accuracy. */
    public static Task classification() {
        return new Task() {
            @Override
            public NDArray loss(NDArray output, NDList labels) {
                NDArray oneHot = labels.head().oneHot((int) output.getShape().get(1));
                return output.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg().mean();
            }

            @Override
            public TaskEvaluator newEvaluator() {
                return new TaskEvaluator() {
                    private long correct;
                    private long total;

                    @Override
                    public void update(NDArray output, NDList labels) {
                        long[] predicted = output.argMax(1).toType(DataType.INT64, false).toLongArray();
                        long[] truth = labels.head().toType(DataType.INT64, false).toLongArray();
                        for (int i = 0; i < truth.length; i++) {
                            correct += predicted[i] == truth[i] ? 1 : 0;
                        }
                        total += truth.length;
                    }

                    @Override
                    public Map<String, Double> getResults() {
                        Map<String, Double> results = new LinkedHashMap<>();
                        results.put("top1", total == 0 ? 0.0 : (double) correct / total);
                        return results;
                    }
                };
            }
        };
    }

    /** L = L_task; needs nothing from a teacher. */
    public static DistillationLoss taskOnly() {
        return new DistillationLoss() {
            @Override
            public NDArray distillationTerm(DistillationBatch batch) {
                return batch.taskLoss().zerosLike();
            }

            @Override
            public LossValue compute(DistillationBatch batch) {
                return new LossValue(batch.taskLoss(), Map.of("L_task", batch.taskLoss()));
            }

            @Override
            public Set<BatchField> getRequirements() {
                return EnumSet.noneOf(BatchField.class);
            }
        };
    }

    /** A plugin offering one method 'testing-loss' with a documented 'weight' setting. */
    public static FadPlugin plugin() {
        DistillationLossFactory factory = new DistillationLossFactory() {
            @Override
            public String getName() {
                return "testing-loss";
            }

            @Override
            public DistillationLoss create(Config settings, FadContext context) {
                settings.getDouble("weight");
                return taskOnly();
            }

            @Override
            public Config getDefaults() {
                return com.typesafe.config.ConfigFactory.parseString("weight = 1.0\nnested { temperature = 4 }\nhelper = other");
            }
        };
        return new FadPlugin() {
            @Override
            public List<DistillationLossFactory> getDistillationLossFactories() {
                return List.of(factory);
            }
        };
    }

    /** Every parameter's values, by name in declaration order, copied to the heap. */
    public static Map<String, float[]> weights(TappedModel model) {
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (Pair<String, Parameter> parameter : model.model().getBlock().getParameters()) {
            weights.put(parameter.getKey(), parameter.getValue().getArray().toFloatArray());
        }
        return weights;
    }

    /** Adam at 0.01 with a cosine schedule, batches of 32 (evaluation 64): what the loop tests train with. */
    public static TrainingSettings trainingSettings(int epochs) {
        return TrainingSettings.from(com.typesafe.config.ConfigFactory.parseString(
                "epochs = " + epochs + ", batch-size = 32, eval-batch-size = 64, optimizer = adam,"
                        + " learning-rate = 0.01, momentum = 0.9, weight-decay = 0, schedule = cosine"), "trainer");
    }
}
