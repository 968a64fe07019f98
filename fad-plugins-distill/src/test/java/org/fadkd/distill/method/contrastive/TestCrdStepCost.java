package org.fadkd.distill.method.contrastive;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.typesafe.config.ConfigFactory;
import java.util.Random;
import java.util.function.IntConsumer;
import org.fadkd.api.DistillationBatch;
import org.junit.jupiter.api.Test;

/**
 * Measures what one crd step costs at a realistic size (B = 128, d_S = 32, d_T = 64, n = 60000,
 * K = 4096, dim 128) and prints it; nothing is asserted about time.
 */
final class TestCrdStepCost {
    private static final int BATCH = 128;
    private static final int SAMPLES = 60_000;
    private static final int NEGATIVES = 4096;
    private static final int DIM = 128;
    private static final int WARMUP = 2;
    private static final int STEPS = 5;

    @Test
    void testPrintsThePerStepCost() {
        try (NDManager run = NDManager.newBaseManager()) {
            CrdLoss loss = new CrdLoss(CrdSettings.from(ConfigFactory.parseString("negatives = " + NEGATIVES)
                    .withFallback(new CrdFactory().getDefaults())));
            loss.prepare(CrdFixtures.setup(run, 64, 32, SAMPLES, CrdFixtures.labels(SAMPLES), 1));
            ParameterStore store = new ParameterStore(run, false);
            Random random = new Random(1);
            double step = time(index -> {
                try (NDManager stepManager = run.newSubManager()) {
                    DistillationBatch batch = CrdFixtures.batch(stepManager, random,
                            CrdFixtures.ids(BATCH, (long) index * BATCH, SAMPLES), 32, 64, index, store);
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        collector.backward(loss.compute(batch).total());
                    }
                }
            });
            NegativeSampler sampler = new NegativeSampler(SAMPLES, CrdFixtures.labels(SAMPLES));
            double sampling = time(index -> sampler.indexLists(CrdFixtures.ids(BATCH, (long) index * BATCH, SAMPLES),
                    NEGATIVES, NegativeSampler.generator(1, index)));
            System.out.printf("crd per-step cost (B=%d, d_S=32, d_T=64, n=%d, K=%d, dim=%d, %d threads): %.1f ms"
                            + " for compute + backward (scoring %s), of which drawing negatives %.1f ms%n",
                    BATCH, SAMPLES, NEGATIVES, DIM, Runtime.getRuntime().availableProcessors(), step,
                    ContrastiveMemory.Scoring.cheaper(SAMPLES, NEGATIVES), sampling);
            for (ContrastiveMemory.Scoring scoring : ContrastiveMemory.Scoring.values()) {
                System.out.printf("crd memory objective alone, scoring %s: %.1f ms%n", scoring,
                        memoryStep(run, sampler, scoring));
            }
        }
    }

    /** The memory objective and its backward alone, from given projections. */
    private static double memoryStep(NDManager run, NegativeSampler sampler, ContrastiveMemory.Scoring scoring) {
        MemoryBanks banks = MemoryBanks.seeded(run, SAMPLES, DIM, 2, DataType.FLOAT32);
        ContrastiveMemory memory = new ContrastiveMemory(banks, NEGATIVES, 0.07, 0.5, scoring);
        double milliseconds = time(index -> {
            try (NDManager stepManager = run.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray student = Contrast.normalise(stepManager.randomNormal(new Shape(BATCH, DIM)));
                NDArray teacher = Contrast.normalise(stepManager.randomNormal(new Shape(BATCH, DIM)));
                student.setRequiresGradient(true);
                teacher.setRequiresGradient(true);
                long[] ids = CrdFixtures.ids(BATCH, (long) index * BATCH, SAMPLES);
                ContrastiveMemory.Nce nce = memory.contrast(student, teacher, ids,
                        sampler.indexLists(ids, NEGATIVES, NegativeSampler.generator(2, index)));
                collector.backward(nce.student().add(nce.teacher()));
            }
        });
        banks.clear();
        return milliseconds;
    }

    /** Mean milliseconds of {@link #STEPS} calls after {@link #WARMUP} untimed ones. */
    private static double time(IntConsumer body) {
        long total = 0;
        for (int index = 0; index < WARMUP + STEPS; index++) {
            long start = System.nanoTime();
            body.accept(index);
            if (index >= WARMUP) {
                total += System.nanoTime() - start;
            }
        }
        return total / 1e6 / STEPS;
    }
}
