package org.fadkd.engine.measure;

/**
 * The {@code throughput} figure of fad-spec §13: samples per second over timed batches after a
 * warm-up, {@code batchSize · batches / seconds}.
 *
 * @param samplesPerSecond the throughput
 * @param batchSize samples per batch
 * @param batches how many batches were timed
 * @param seconds the time the timed batches took together
 * @since 0.1
 */
public record Throughput(double samplesPerSecond, int batchSize, int batches, double seconds) {
    /**
     * Computes the throughput of timed batches.
     *
     * @param batchSize samples per batch, at least 1
     * @param batches batches timed, at least 1
     * @param nanoseconds their total duration, more than 0
     * @return the throughput
     */
    public static Throughput of(int batchSize, int batches, long nanoseconds) {
        if (batchSize < 1 || batches < 1 || nanoseconds <= 0) {
            throw new IllegalArgumentException(String.format(
                    "batch size %d, %d batches and %d ns cannot give a throughput", batchSize, batches, nanoseconds));
        }
        double seconds = nanoseconds / 1e9;
        return new Throughput((double) batchSize * batches / seconds, batchSize, batches, seconds);
    }
}
