package org.fadkd.runner;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.fadkd.api.Architecture;
import org.fadkd.api.ArchitectureFactory;
import org.fadkd.api.DataSplit;
import org.fadkd.api.DatasetFactory;
import org.fadkd.api.FadContext;
import org.fadkd.api.FadPlugin;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.api.block.MacCounted;

/**
 * A plugin with models of two int64 inputs, as text models take them: dataset {@code
 * testing-text} gives token ids {@code (B, L)} and a mask {@code (B, L)}, padded to the longest
 * sample of the batch, and architecture {@code testing-bag-of-embeddings} averages the embeddings
 * of the masked tokens and classifies the mean with a linear layer.
 *
 * <p>The model refuses what the engine must not give it, so that a job passes only when every
 * engine path hands it both inputs and int64 ids: initialising, counting MACs or declaring output
 * shapes with other than two input shapes, and a forward pass on float ids or without a mask.
 */
public final class TestingTextPlugin implements FadPlugin {
    /** Token ids are in [0, VOCABULARY); 0 is padding. */
    static final int VOCABULARY = 32;
    /** The most tokens a sample has. */
    static final int MAX_LENGTH = 8;
    private static final long PAD = 0;

    @Override
    public List<DatasetFactory> getDatasetFactories() {
        return List.of(new DatasetFactory() {
            @Override
            public String getName() {
                return "testing-text";
            }

            @Override
            public LabeledDataset create(Config settings, FadContext context) {
                return new Texts(settings.getInt("train-size"), settings.getInt("test-size"));
            }

            @Override
            public Config getDefaults() {
                return ConfigFactory.parseString("train-size = 128\ntest-size = 64");
            }
        });
    }

    @Override
    public List<ArchitectureFactory> getArchitectureFactories() {
        return List.of(new ArchitectureFactory() {
            @Override
            public String getName() {
                return "testing-bag-of-embeddings";
            }

            @Override
            public Architecture create(Config settings, FadContext context) {
                int embeddingSize = settings.getInt("embedding-size");
                return new Architecture() {
                    @Override
                    public Block newBlock(Shape sampleShape, int outputSize) {
                        return new SequentialBlock()
                                .add(new MaskedMeanEmbedding(VOCABULARY, embeddingSize))
                                .add(Linear.builder().setUnits(outputSize).build());
                    }

                    @Override
                    public List<String> getTapNames() {
                        return List.of();
                    }
                };
            }

            @Override
            public Config getDefaults() {
                return ConfigFactory.parseString("embedding-size = 8");
            }
        });
    }

    /**
     * Two classes of texts: class 0 uses ids [1, 16), class 1 ids [16, 32); 3 to {@link
     * #MAX_LENGTH} tokens each, so batches hold padding.
     */
    private static final class Texts implements LabeledDataset {
        private final DataSplit train;
        private final DataSplit test;
        private final int trainSize;
        private final int testSize;

        Texts(int trainSize, int testSize) {
            this.trainSize = trainSize;
            this.testSize = testSize;
            this.train = split(trainSize, 1);
            this.test = split(testSize, 2);
        }

        private static DataSplit split(int size, long seed) {
            Random random = new Random(seed);
            long[][] texts = new long[size][];
            long[] labels = new long[size];
            int half = VOCABULARY / 2;
            for (int i = 0; i < size; i++) {
                int label = i % 2;
                labels[i] = label;
                texts[i] = new long[3 + random.nextInt(MAX_LENGTH - 2)];
                for (int t = 0; t < texts[i].length; t++) {
                    texts[i][t] = label == 0 ? 1 + random.nextInt(half - 1) : half + random.nextInt(half);
                }
            }
            return new DataSplit() {
                @Override
                public int size() {
                    return size;
                }

                @Override
                public LabeledBatch getBatch(NDManager manager, int[] indices) {
                    int length = Arrays.stream(indices).map(index -> texts[index].length).max().orElseThrow();
                    long[] ids = new long[indices.length * length];
                    long[] mask = new long[indices.length * length];
                    long[] batchLabels = new long[indices.length];
                    Arrays.fill(ids, PAD);
                    for (int i = 0; i < indices.length; i++) {
                        long[] text = texts[indices[i]];
                        System.arraycopy(text, 0, ids, i * length, text.length);
                        Arrays.fill(mask, i * length, i * length + text.length, 1);
                        batchLabels[i] = labels[indices[i]];
                    }
                    Shape shape = new Shape(indices.length, length);
                    return new LabeledBatch(new NDList(manager.create(ids, shape), manager.create(mask, shape)),
                            new NDList(manager.create(batchLabels)));
                }
            };
        }

        @Override
        public DataSplit getSplit(Split split) {
            return split == Split.TRAIN ? train : test;
        }

        @Override
        public Shape getSampleShape() {
            return new Shape(MAX_LENGTH);
        }

        @Override
        public List<Shape> getInputShapes() {
            return List.of(new Shape(MAX_LENGTH), new Shape(MAX_LENGTH));
        }

        /** Ids of real tokens (never padding) and a mask of ones: a full-length batch. */
        @Override
        public NDList newExampleInputs(NDManager manager, int batchSize) {
            Shape shape = new Shape(batchSize, MAX_LENGTH);
            return new NDList(manager.randomInteger(1, VOCABULARY, shape, DataType.INT64),
                    manager.ones(shape, DataType.INT64));
        }

        @Override
        public int getClassCount() {
            return 2;
        }

        @Override
        public String getFingerprint() {
            return "testing-text-" + trainSize + "-" + testSize;
        }
    }

    /**
     * {@code (ids (B, L) int64, mask (B, L) int64)} to the mean of the masked tokens' embeddings,
     * {@code (B, E)}. Embedding lookups are not counted as MACs (fad-spec §13), so it reports 0,
     * after checking that the counter gave it both inputs.
     */
    static final class MaskedMeanEmbedding extends AbstractBlock implements MacCounted {
        private final int embeddingSize;
        private final Parameter embedding;

        MaskedMeanEmbedding(int vocabulary, int embeddingSize) {
            this.embeddingSize = embeddingSize;
            this.embedding = addParameter(Parameter.builder()
                    .setName("embedding")
                    .setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(vocabulary, embeddingSize))
                    .build());
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
            if (inputs.size() != 2 || inputs.get(0).getDataType() != DataType.INT64
                    || inputs.get(1).getDataType() != DataType.INT64) {
                throw new IllegalArgumentException("expected (ids, mask), both int64, got " + describe(inputs));
            }
            NDArray ids = inputs.get(0);
            NDArray weight = parameterStore.getValue(embedding, ids.getDevice(), training);
            NDArray vectors = Embedding.embedding(ids, weight, SparseFormat.DENSE).head();
            NDArray mask = inputs.get(1).toType(DataType.FLOAT32, false).expandDims(2);
            // Every sample has a token, so the count is at least 1.
            return new NDList(vectors.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1})));
        }

        @Override
        protected void prepare(Shape[] inputShapes) {
            requireTwo("initialised", inputShapes);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            requireTwo("asked for its output shapes", inputShapes);
            return new Shape[] {new Shape(inputShapes[0].get(0), embeddingSize)};
        }

        @Override
        public long countMultiplyAccumulates(Shape[] inputShapes, Children children) {
            requireTwo("counted", inputShapes);
            return 0;
        }

        private static void requireTwo(String what, Shape[] inputShapes) {
            requireNonNull(inputShapes, "inputShapes is null");
            if (inputShapes.length != 2 || !inputShapes[0].equals(inputShapes[1])) {
                throw new IllegalArgumentException(what + " with input shapes " + Arrays.toString(inputShapes)
                        + "; it takes ids and a mask of one shape");
            }
        }

        private static String describe(NDList inputs) {
            StringBuilder text = new StringBuilder();
            for (NDArray input : inputs) {
                text.append(input.getShape()).append(' ').append(input.getDataType()).append("; ");
            }
            return text.toString();
        }
    }
}
