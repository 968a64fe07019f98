package org.fadkd.engine.measure;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Times a model's forward pass in inference mode (fad-spec §13): {@link #latency} at batch 1,
 * {@link #throughput} at a larger batch, each after untimed warm-up passes.
 *
 * <p>A pass is {@code block.forward(…, training = false)} outside any gradient collector, so no
 * gradient is recorded and batch norm uses its running statistics; it ends by reading one element
 * of the output back to the host, which makes engines that run asynchronously (GPUs) finish the
 * pass inside the timed interval. Only the pass itself is timed: copying the inputs into the
 * pass's own sub-manager and closing it happen between readings of the clock.
 *
 * <p>Memory: every pass runs in a sub-manager of the inputs' manager that is closed right after
 * it, so the activations of one pass at most are alive at any time and nothing is left attached
 * to the caller's manager.
 *
 * <p>Thread-safety: instances are immutable; do not time two models at once on one machine, as
 * they would slow each other down.
 *
 * @since 0.1
 */
public final class InferenceTiming {
    private final TimingSettings settings;
    private final LongSupplier nanoClock;

    /**
     * Times with {@link System#nanoTime()}.
     *
     * @param settings warm-up and run counts, never null
     */
    public InferenceTiming(TimingSettings settings) {
        this(settings, System::nanoTime);
    }

    /**
     * Times with the given clock: tests inject one to script durations.
     *
     * @param settings warm-up and run counts, never null
     * @param nanoClock a monotonic clock in nanoseconds, never null
     */
    public InferenceTiming(TimingSettings settings, LongSupplier nanoClock) {
        this.settings = requireNonNull(settings, "settings is null");
        this.nanoClock = requireNonNull(nanoClock, "nanoClock is null");
    }

    public TimingSettings getSettings() {
        return settings;
    }

    /**
     * Measures the batch-1 latency: {@link TimingSettings#latencyWarmup()} untimed passes, then the
     * median of {@link TimingSettings#latencyRuns()} timed ones.
     *
     * @param block an initialised model, never null
     * @param sample the model's inputs for one sample, batch axis of size 1; left unchanged
     * @return the latency
     */
    public Latency latency(Block block, NDList sample) {
        requireBatch(sample, 1);
        try (ForwardPasses passes = new ForwardPasses(block, sample)) {
            return latency(passes);
        }
    }

    /**
     * Measures the throughput: {@link TimingSettings#throughputWarmup()} untimed batches, then
     * timed batches until at least {@link TimingSettings#throughputMinBatches()} have run and they
     * took {@link TimingSettings#throughputMinSeconds()} together.
     *
     * @param block an initialised model, never null
     * @param batch the model's inputs for {@link TimingSettings#throughputBatchSize()} samples;
     *     left unchanged
     * @return the throughput
     */
    public Throughput throughput(Block block, NDList batch) {
        requireBatch(batch, settings.throughputBatchSize());
        try (ForwardPasses passes = new ForwardPasses(block, batch)) {
            return throughput(passes);
        }
    }

    /** The latency loop, on any source of passes. */
    Latency latency(Supplier<Pass> passes) {
        for (int run = 0; run < settings.latencyWarmup(); run++) {
            try (Pass pass = passes.get()) {
                pass.run();
            }
        }
        long[] durations = new long[settings.latencyRuns()];
        for (int run = 0; run < durations.length; run++) {
            try (Pass pass = passes.get()) {
                durations[run] = timed(pass);
            }
        }
        return Latency.of(durations);
    }

    /** The throughput loop, on any source of passes over batches of the configured size. */
    Throughput throughput(Supplier<Pass> passes) {
        for (int batch = 0; batch < settings.throughputWarmup(); batch++) {
            try (Pass pass = passes.get()) {
                pass.run();
            }
        }
        long minimumNanoseconds = (long) Math.ceil(settings.throughputMinSeconds() * 1e9);
        long total = 0;
        int batches = 0;
        while (batches < settings.throughputMinBatches() || total < minimumNanoseconds) {
            try (Pass pass = passes.get()) {
                total += timed(pass);
            }
            batches++;
        }
        return Throughput.of(settings.throughputBatchSize(), batches, total);
    }

    private long timed(Pass pass) {
        long start = nanoClock.getAsLong();
        pass.run();
        return nanoClock.getAsLong() - start;
    }

    private static void requireBatch(NDList inputs, long size) {
        requireNonNull(inputs, "inputs is null");
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no inputs");
        }
        for (NDArray input : inputs) {
            if (input.getShape().dimension() == 0 || input.getShape().get(0) != size) {
                throw new IllegalArgumentException(
                        "inputs of shape " + input.getShape() + " are not a batch of " + size);
            }
        }
    }

    /** One forward pass: {@link #run} is timed, creating and closing it are not. */
    interface Pass extends AutoCloseable {
        void run();

        @Override
        void close();
    }

    /** Passes of a DJL block over copies of fixed inputs, each in its own sub-manager. */
    private static final class ForwardPasses implements Supplier<Pass>, AutoCloseable {
        private final Block block;
        private final NDList inputs;
        private final NDManager scope;
        private final ParameterStore parameters;

        ForwardPasses(Block block, NDList inputs) {
            this.block = requireNonNull(block, "block is null");
            this.inputs = inputs;
            this.scope = inputs.head().getManager().newSubManager();
            this.parameters = new ParameterStore(scope, false);
        }

        @Override
        public Pass get() {
            NDManager passScope = scope.newSubManager();
            // An op's result lives in its first operand's manager: inputs copied into the pass's
            // scope make the whole pass's activations live there, and close with it.
            NDList passInputs = new NDList(inputs.size());
            for (NDArray input : inputs) {
                NDArray copy = input.duplicate();
                copy.attach(passScope);
                passInputs.add(copy);
            }
            return new Pass() {
                @Override
                public void run() {
                    NDArray output = block.forward(parameters, passInputs, false).head();
                    output.reshape(-1).get(0).toByteBuffer();
                }

                @Override
                public void close() {
                    passScope.close();
                }
            };
        }

        @Override
        public void close() {
            scope.close();
        }
    }
}
