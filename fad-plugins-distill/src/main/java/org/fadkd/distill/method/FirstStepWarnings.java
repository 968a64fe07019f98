package org.fadkd.distill.method;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Warnings a method finds in {@code prepare} but reports at its first training step.
 *
 * <p>Why deferred: the host may call {@code prepare} on a probe instance that never trains, to
 * fail before the teacher trains when the models do not fit (see {@code
 * DistillationLoss#prepare}); warning there would print every warning twice.
 */
public final class FirstStepWarnings {
    private final Logger log;
    private final List<String> pending = new ArrayList<>();

    /** @param log where the warnings go */
    public FirstStepWarnings(Logger log) {
        this.log = log;
    }

    /** Queues a warning; a prepare called again replaces what an earlier one queued. */
    public void add(String message) {
        pending.add(message);
    }

    /** Drops the queued warnings: call at the start of {@code prepare}. */
    public void clear() {
        pending.clear();
    }

    /** Logs the queued warnings once: call from the method's step. */
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        pending.forEach(log::warn);
        pending.clear();
    }
}
