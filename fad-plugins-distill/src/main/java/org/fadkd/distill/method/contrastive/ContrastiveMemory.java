package org.fadkd.distill.method.contrastive;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import org.fadkd.flow.Scalars;

/**
 * crd's memory objective (fad-spec §11.5): scores of both anchors against K+1 rows of the other
 * side's memory, RepDistiller's NCE, and the momentum update of the banks.
 *
 * <p>The normalisers {@code Z^S, Z^T} are set from the first batch and then kept; {@link
 * #normalisers()} and {@link #restoreNormalisers} carry them through checkpoints.
 */
final class ContrastiveMemory {
    /** RepDistiller's ε in {@code x + K/n + ε}. */
    private static final double EPSILON = 1e-7;

    private final MemoryBanks banks;
    private final int negatives;
    private final double temperature;
    private final double momentum;
    private final Scoring scoring;
    private double studentNormaliser = Double.NaN;
    private double teacherNormaliser = Double.NaN;

    /** The two NCE terms of a batch, without β. */
    record Nce(NDArray student, NDArray teacher) {}

    /**
     * How the scores {@code ⟨M[I_bk], z_b⟩} are computed; both give the same values. Which is
     * cheaper depends on {@code n/K}. Measured on two CPU threads for B = 128, dim = 128, n = 60000,
     * K = 4096 ({@code n ≈ 15·K}), forward and backward of both banks: 0.57 s scoring the whole
     * bank, 1.0 s gathering rows. Gathering costs the same for any {@code n}, scoring the whole bank
     * grows with it, so {@link #cheaper} scores the whole bank up to {@code n = 16·(K+1)}.
     */
    enum Scoring {
        /**
         * Gathers the {@code K+1} rows of every sample, {@code (B, K+1, dim)}, and multiplies them
         * with the anchors (RepDistiller's way): time and memory grow with {@code B·K·dim}, about
         * 0.27 GB per bank and step at B = 128, K = 4096 and 1.1 GB at K = 16384.
         */
        GATHER,
        /**
         * Scores the anchors against a copy of the whole bank, {@code (B, n)}, and picks the
         * {@code K+1} scores of every sample: time grows with {@code B·n·dim}, memory with {@code
         * n·(dim + 2B)} (the copy keeps the values backward needs while the bank is updated in
         * place; the scores and their gradient are {@code B × n}).
         */
        FULL;

        /** Returns the cheaper way for a bank of {@code rows} rows and K negatives. */
        static Scoring cheaper(long rows, int negatives) {
            return rows <= 16L * (negatives + 1) ? FULL : GATHER;
        }
    }

    /**
     * @param banks the memory, which this object updates in place
     * @param negatives K
     * @param temperature τ
     * @param momentum η
     * @param scoring how scores are computed
     */
    ContrastiveMemory(MemoryBanks banks, int negatives, double temperature, double momentum, Scoring scoring) {
        this.banks = requireNonNull(banks, "banks is null");
        this.negatives = negatives;
        this.temperature = temperature;
        this.momentum = momentum;
        this.scoring = requireNonNull(scoring, "scoring is null");
    }

    /**
     * Computes {@code NCE(u)} and {@code NCE(v)} of a batch from the memory as it is, then writes
     * the batch's projections into the rows {@code id_b} of both banks.
     *
     * @param student {@code z^S (B, dim)}, normalised, with gradient
     * @param teacher {@code z^T (B, dim)}, normalised, with gradient (through the teacher's head)
     * @param ids the batch's sample indices
     * @param indexLists {@code B·(K+1)} indices, row {@code b} being {@code I_b}
     * @return both terms, scalars on the student's manager
     */
    Nce contrast(NDArray student, NDArray teacher, long[] ids, long[] indexLists) {
        NDManager manager = student.getManager();
        int batch = ids.length;
        if (indexLists.length != (long) batch * (negatives + 1)) {
            throw new IllegalArgumentException(indexLists.length + " indices for " + batch + " lists of "
                    + (negatives + 1));
        }
        NDArray lists = manager.create(indexLists, new Shape(batch, negatives + 1));
        NDArray studentScores = scores(banks.teacher(), student, lists);
        NDArray teacherScores = scores(banks.student(), teacher, lists);
        if (Double.isNaN(studentNormaliser)) {
            studentNormaliser = normaliser(studentScores);
            teacherNormaliser = normaliser(teacherScores);
        }
        Nce nce = new Nce(nce(Scalars.add(studentScores, -Math.log(studentNormaliser))),
                nce(Scalars.add(teacherScores, -Math.log(teacherNormaliser))));
        update(student, teacher, ids);
        return nce;
    }

    /** Returns {@code (Z^S, Z^T)}, or null before the first batch. */
    double[] normalisers() {
        return Double.isNaN(studentNormaliser) ? null : new double[] {studentNormaliser, teacherNormaliser};
    }

    /** Continues with saved normalisers instead of setting them from the next batch. */
    void restoreNormalisers(double student, double teacher) {
        if (!(student > 0 && teacher > 0 && Double.isFinite(student) && Double.isFinite(teacher))) {
            throw new IllegalArgumentException("normalisers must be positive and finite: " + student + ", " + teacher);
        }
        studentNormaliser = student;
        teacherNormaliser = teacher;
    }

    /**
     * {@code ⟨M[I_bk], z_b⟩/τ}, {@code (B, K+1)}: the logarithm of the unnormalised u or v, on the
     * anchors' manager. Every operation is called on a batch array (the index lists, the anchors)
     * or its result is attached to the batch manager at once, never left on the bank's.
     */
    private NDArray scores(NDArray bank, NDArray anchors, NDArray lists) {
        NDArray products;
        if (scoring == Scoring.FULL) {
            NDArray snapshot = bank.duplicate();
            snapshot.attach(anchors.getManager());
            products = anchors.matMul(snapshot.transpose()).gather(lists, 1);
        } else {
            // torch's embedding lookup is an index_select, about twice as fast as advanced indexing;
            // DJL's Embedding block calls it the same way, and the rows land on the lists' manager.
            NDArray rows = lists.getNDArrayInternal().embedding(lists, bank, SparseFormat.DENSE).head();
            products = rows.batchMatMul(anchors.expandDims(2)).squeeze(2);
        }
        return Scalars.mul(products, 1 / temperature);
    }

    /** {@code Z = n · mean(exp(scores))} over the batch's B(K+1) entries, a constant. */
    private double normaliser(NDArray scores) {
        return banks.rows() * scores.stopGradient().exp().mean().toType(DataType.FLOAT64, false).getDouble();
    }

    /**
     * RepDistiller's NCE from {@code ln x}: {@code −(1/B) Σ_b [ln(x_b0/(x_b0 + c)) + Σ_{k≥1}
     * ln((K/n)/(x_bk + c))]} with {@code c = K/n + ε}, rearranged to {@code (Σ ln(x + c) − Σ_b ln
     * x_b0)/B − K·ln(K/n)} so that {@code ln x_b0} is not taken of an exponential.
     */
    private NDArray nce(NDArray logX) {
        double noise = (double) negatives / banks.rows();
        long batch = logX.getShape().get(0);
        NDArray denominators = Scalars.add(logX.exp(), noise + EPSILON).log().sum();
        NDArray positives = logX.get(":, 0").sum();
        return Scalars.add(Scalars.mul(denominators.sub(positives), 1.0 / batch), -negatives * Math.log(noise));
    }

    /** {@code M[id_b] ← l2n(η·M[id_b] + (1 − η)·z_b)} on both banks, from detached projections. */
    private void update(NDArray student, NDArray teacher, long[] ids) {
        NDManager manager = student.getManager();
        NDIndex rows = new NDIndex("{}", manager.create(ids));
        banks.student().set(rows, moved(banks.student().get(manager, rows), student));
        banks.teacher().set(rows, moved(banks.teacher().get(manager, rows), teacher));
    }

    private NDArray moved(NDArray memoryRows, NDArray projections) {
        return Contrast.normalise(Scalars.mul(memoryRows, momentum)
                .add(Scalars.mul(projections.stopGradient(), 1 - momentum)));
    }
}
