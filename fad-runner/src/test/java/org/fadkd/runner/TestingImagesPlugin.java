package org.fadkd.runner;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Random;
import org.fadkd.api.DataSplit;
import org.fadkd.api.DatasetFactory;
import org.fadkd.api.FadContext;
import org.fadkd.api.FadPlugin;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;

/**
 * A plugin with one dataset, {@code testing-images}: small synthetic 1×28×28 images whose class
 * decides which quadrant is bright, so the real vision models learn it within a few steps.
 */
public final class TestingImagesPlugin implements FadPlugin {
    @Override
    public List<DatasetFactory> getDatasetFactories() {
        return List.of(new DatasetFactory() {
            @Override
            public String getName() {
                return "testing-images";
            }

            @Override
            public LabeledDataset create(Config settings, FadContext context) {
                return new Images(settings.getInt("train-size"), settings.getInt("test-size"));
            }

            @Override
            public Config getDefaults() {
                return ConfigFactory.parseString("train-size = 256\ntest-size = 128");
            }
        });
    }

    private static final class Images implements LabeledDataset {
        private static final int CLASSES = 4;
        private final DataSplit train;
        private final DataSplit test;

        Images(int trainSize, int testSize) {
            this.train = split(trainSize, 1);
            this.test = split(testSize, 2);
        }

        private static DataSplit split(int size, long seed) {
            Random random = new Random(seed);
            float[][] images = new float[size][28 * 28];
            long[] labels = new long[size];
            for (int i = 0; i < size; i++) {
                int label = i % CLASSES;
                labels[i] = label;
                for (int p = 0; p < 28 * 28; p++) {
                    int row = p / 28;
                    int column = p % 28;
                    int quadrant = (row < 14 ? 0 : 2) + (column < 14 ? 0 : 1);
                    images[i][p] = (quadrant == label ? 1f : 0f) + 0.3f * (float) random.nextGaussian();
                }
            }
            return new DataSplit() {
                @Override
                public int size() {
                    return size;
                }

                @Override
                public LabeledBatch getBatch(NDManager manager, int[] indices) {
                    float[] flat = new float[indices.length * 28 * 28];
                    long[] batchLabels = new long[indices.length];
                    for (int i = 0; i < indices.length; i++) {
                        System.arraycopy(images[indices[i]], 0, flat, i * 28 * 28, 28 * 28);
                        batchLabels[i] = labels[indices[i]];
                    }
                    return new LabeledBatch(
                            new NDList(manager.create(flat, new Shape(indices.length, 1, 28, 28))),
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
            return new Shape(1, 28, 28);
        }

        @Override
        public int getClassCount() {
            return CLASSES;
        }

        @Override
        public String getFingerprint() {
            return "testing-images-" + train.size() + "-" + test.size();
        }
    }
}
