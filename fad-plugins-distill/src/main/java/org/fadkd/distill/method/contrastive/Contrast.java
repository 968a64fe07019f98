package org.fadkd.distill.method.contrastive;

import ai.djl.ndarray.NDArray;
import org.fadkd.flow.Scalars;

/** The parts of crd that need no memory: row normalisation and the in-batch objective. */
final class Contrast {
    private Contrast() {}

    /** {@code l2n}: divides every row by its L2 norm (no ε, as RepDistiller's {@code Normalize}). */
    static NDArray normalise(NDArray rows) {
        return rows.div(rows.norm(new int[] {1}, true));
    }

    /**
     * Computes the in-batch objective {@code CE(Λ, diag) + CE(Λᵀ, diag)}, {@code Λ_ij = ⟨z^S_i,
     * z^T_j⟩/τ}, without β: row {@code i}'s target is {@code i}, and every other sample of the
     * batch, same class or not, is a negative.
     *
     * @param student {@code z^S (B, dim)}, normalised
     * @param teacher {@code z^T (B, dim)}, normalised
     * @param temperature τ
     * @return a scalar on the student's manager
     */
    static NDArray inBatch(NDArray student, NDArray teacher, double temperature) {
        int batch = Math.toIntExact(student.getShape().get(0));
        NDArray scores = Scalars.mul(student.matMul(teacher.transpose()), 1 / temperature);
        NDArray diagonal = student.getManager().eye(batch, batch, 0, scores.getDataType());
        NDArray rows = scores.logSoftmax(1).mul(diagonal).sum();
        NDArray columns = scores.logSoftmax(0).mul(diagonal).sum();
        return Scalars.mul(rows.add(columns), -1.0 / batch);
    }
}
