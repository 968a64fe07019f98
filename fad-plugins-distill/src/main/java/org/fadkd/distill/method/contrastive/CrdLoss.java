package org.fadkd.distill.method.contrastive;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fadkd.api.BatchField;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LossValue;
import org.fadkd.api.MethodSetup;
import org.fadkd.distill.method.FirstStepWarnings;
import org.fadkd.distill.method.KdLoss;
import org.fadkd.distill.method.KdSettings;
import org.fadkd.flow.Scalars;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Contrastive representation distillation (Tian et al., fad-spec §11.5), as RepDistiller: both
 * embeddings are projected by trained linear heads and normalised, then contrasted with memory
 * banks ({@code objective = memory}) or within the batch ({@code objective = in-batch}).
 *
 * <p>{@code D_X = D_crd}; alone {@code L = task-weight·L_task + D_X + kd-weight·D_kd}, as the
 * feature methods do: under fad only {@code D_crd} is the kd-term. The extra
 * modules ({@link #getTrainableBlocks()}) are the student's head, the teacher's head and, for the
 * memory objective, the {@link MemoryBanks}; the normalisers {@code Z^S, Z^T} are the method's
 * state ({@link #getState()}).
 *
 * <p>Every call of {@link #distillationTerm} or {@link #compute} is a training step: it updates the
 * memory after scoring the batch. Negatives are drawn from a generator seeded by the job's seed
 * and the batch's global step, so a resumed run draws the same ones.
 *
 * @since 0.1
 */
public final class CrdLoss implements DistillationLoss {
    private static final Logger LOG = LoggerFactory.getLogger(CrdLoss.class);

    private final FirstStepWarnings warnings = new FirstStepWarnings(LOG);
    private static final String STUDENT_NORMALISER = "student-normaliser";
    private static final String TEACHER_NORMALISER = "teacher-normaliser";
    /** The temperature of the added D_kd, RepDistiller's. */
    private static final double KD_TEMPERATURE = 4;

    private final CrdSettings settings;
    private final KdLoss kd;
    private Linear studentHead;
    private Linear teacherHead;
    private MemoryBanks banks;
    private ContrastiveMemory memory;
    private NegativeSampler sampler;
    private long seed;

    /**
     * Creates the loss; {@link #prepare} builds its modules.
     *
     * @param settings its settings, never null
     * @since 0.1
     */
    public CrdLoss(CrdSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
        this.kd = new KdLoss(new KdSettings(KD_TEMPERATURE, 1));
    }

    /**
     * Returns the settings.
     *
     * @return the settings, never null
     * @since 0.1
     */
    public CrdSettings getSettings() {
        return settings;
    }

    @Override
    public Set<BatchField> getRequirements() {
        Set<BatchField> requirements = EnumSet.of(BatchField.EMBEDDINGS);
        if (settings.objective() == CrdSettings.Objective.MEMORY) {
            requirements.add(BatchField.SAMPLE_INDICES);
        }
        if (settings.kdWeight() > 0) {
            requirements.add(BatchField.TEACHER_OUTPUT);
        }
        return requirements;
    }

    /**
     * Builds the heads from the embedding sizes and, for the memory objective, the banks ({@code n
     * × feature-dim}, seeded by the job's seed) and the per-class index of the training labels.
     *
     * @throws FadException with INCOMPATIBLE_COMPONENTS when a model exposes no embedding or the
     *     training split offers no negatives
     */
    @Override
    public void prepare(MethodSetup setup) {
        warnings.clear();
        studentHead = head(setup.studentEmbeddingSize(), setup.studentModel(), "student", setup);
        teacherHead = head(setup.teacherEmbeddingSize(), setup.teacherModel(), "teacher", setup);
        seed = setup.seed();
        if (settings.objective() != CrdSettings.Objective.MEMORY) {
            return;
        }
        try {
            sampler = new NegativeSampler(setup.trainingSamples(), setup.trainingLabels());
        } catch (IllegalArgumentException e) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, "Method 'crd' (objective = memory) cannot draw"
                    + " negatives: " + e.getMessage() + ". Use objective = in-batch or another dataset.", e);
        }
        if (settings.negatives() > sampler.fewestCandidates()) {
            warnings.add(String.format("Method 'crd': negatives = %d exceeds the %d candidate negatives some"
                    + " samples have; theirs are drawn with replacement.", settings.negatives(),
                    sampler.fewestCandidates()));
        }
        banks = MemoryBanks.seeded(setup.manager(), setup.trainingSamples(), settings.featureDim(), seed,
                DataType.FLOAT32);
        memory = new ContrastiveMemory(banks, settings.negatives(), settings.temperature(), settings.momentum(),
                ContrastiveMemory.Scoring.cheaper(setup.trainingSamples(), settings.negatives()));
    }

    @Override
    public List<Block> getTrainableBlocks() {
        if (studentHead == null) {
            return List.of();
        }
        return banks == null ? List.of(studentHead, teacherHead) : List.of(studentHead, teacherHead, banks);
    }

    @Override
    public NDArray distillationTerm(DistillationBatch batch) {
        return parts(batch, false).crd();
    }

    @Override
    public LossValue compute(DistillationBatch batch) {
        Parts parts = parts(batch, settings.kdWeight() > 0);
        NDArray total = Scalars.mul(batch.taskLoss(), settings.taskWeight()).add(parts.crd());
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put("L_task", batch.taskLoss());
        terms.put("L_crd", parts.crd());
        if (parts.kd() != null) {
            total = total.add(Scalars.mul(parts.kd(), settings.kdWeight()));
            terms.put("L_kd", parts.kd());
        }
        return new LossValue(total, terms);
    }

    /** Returns the normalisers {@code Z^S, Z^T} once the first batch has set them; empty before, and for in-batch. */
    @Override
    public Map<String, Object> getState() {
        double[] normalisers = memory == null ? null : memory.normalisers();
        if (normalisers == null) {
            return Map.of();
        }
        return Map.of(STUDENT_NORMALISER, normalisers[0], TEACHER_NORMALISER, normalisers[1]);
    }

    @Override
    public void restoreState(Map<String, Object> state) {
        requireNonNull(state, "state is null");
        if (state.isEmpty()) {
            return;
        }
        if (memory == null) {
            throw new IllegalArgumentException("method 'crd' has no memory to restore (objective = "
                    + settings.objective() + ", or prepare() was not called), but the state holds " + state.keySet());
        }
        memory.restoreNormalisers(number(state, STUDENT_NORMALISER), number(state, TEACHER_NORMALISER));
    }

    /** @param withKd whether to compute {@code D_kd} too (only alone, with {@code kd-weight > 0}) */
    private Parts parts(DistillationBatch batch, boolean withKd) {
        warnings.flush();
        if (studentHead == null) {
            throw new IllegalStateException("method 'crd' was not prepared");
        }
        NDArray studentEmbedding = batch.studentEmbedding();
        NDArray teacherEmbedding = batch.teacherEmbedding();
        if (studentEmbedding == null || teacherEmbedding == null) {
            throw new IllegalStateException("method 'crd' needs both embeddings, but the batch lacks one");
        }
        NDArray student = project(studentHead, studentEmbedding, batch);
        // The teacher's backbone is constant; its head trains through v.
        NDArray teacher = project(teacherHead, teacherEmbedding.stopGradient(), batch);
        NDArray crd = Scalars.mul(contrast(student, teacher, batch), settings.beta());
        NDArray kdTerm = withKd ? kd.distillationTerm(batch) : null;
        return new Parts(crd, kdTerm);
    }

    private NDArray contrast(NDArray student, NDArray teacher, DistillationBatch batch) {
        if (memory == null) {
            return Contrast.inBatch(student, teacher, settings.temperature());
        }
        if (batch.sampleIndices() == null) {
            throw new IllegalStateException("method 'crd' (objective = memory) needs sample indices, but the batch"
                    + " has none");
        }
        long[] ids = batch.sampleIndices().toType(DataType.INT64, false).toLongArray();
        long[] lists = sampler.indexLists(ids, settings.negatives(),
                NegativeSampler.generator(seed, batch.progress().globalStep()));
        ContrastiveMemory.Nce nce = memory.contrast(student, teacher, ids, lists);
        return nce.student().add(nce.teacher());
    }

    private static NDArray project(Linear head, NDArray embedding, DistillationBatch batch) {
        return Contrast.normalise(head.forward(batch.moduleParameters(), new NDList(embedding), true).head());
    }

    private Linear head(long inputSize, String model, String role, MethodSetup setup) {
        if (inputSize == 0) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, "Method 'crd' needs the embedding of the "
                    + role + " model '" + model + "' (the input of its classifier), but the model exposes none."
                    + " Use an architecture with an embedding, or another method.");
        }
        Linear head = Linear.builder().setUnits(settings.featureDim()).build();
        head.initialize(setup.manager(), DataType.FLOAT32, new Shape(1, inputSize));
        return head;
    }

    private static double number(Map<String, Object> state, String key) {
        if (!(state.get(key) instanceof Number value)) {
            throw new IllegalArgumentException("method 'crd' state lacks the number '" + key + "': " + state);
        }
        return value.doubleValue();
    }

    /** The contrastive term with β, and the unweighted D_kd or null. */
    private record Parts(NDArray crd, NDArray kd) {}
}
