package org.fadkd.engine.testing;

import ai.djl.ndarray.NDManager;
import org.fadkd.api.MethodSetup;
import org.fadkd.api.TapLayout;

/**
 * {@link MethodSetup}s for testing a distillation method outside a run: the models are called
 * {@code teacher} and {@code student}, expose no embeddings, train for one epoch with seed 0 on an
 * empty training split. Build a {@link MethodSetup} directly when a test needs more.
 */
public final class TestingMethodSetups {
    private TestingMethodSetups() {}

    /**
     * A setup with the given tap layouts.
     *
     * @param manager the manager the method builds its modules on; the test closes it
     */
    public static MethodSetup of(NDManager manager, TapLayout teacher, TapLayout student) {
        return new MethodSetup(teacher, student, 0, 0, "teacher", "student", manager, 0, null, 1, 0);
    }
}
