package org.fadkd.runner.tracking.session;

import static java.util.Objects.requireNonNull;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fadkd.api.MetricSink;
import org.fadkd.engine.util.ResidentMemory;

/**
 * Samples the process every N seconds into {@code system/} metrics, the prefix MLflow's UI shows
 * as its "System metrics" group: {@code system/cpu_utilization_percentage} (this process's share
 * of all the machine's cores, as the JVM reports it: 100 when it keeps every core busy), {@code
 * system/process_rss_megabytes} (resident memory, which includes native NDArray memory) and {@code
 * system/jvm_heap_used_megabytes}. The step is the sample's number, from 0.
 *
 * <p>Runs on one daemon thread; {@link #close()} stops it.
 */
public final class SystemMetricsSampler implements AutoCloseable {
    public static final String CPU = "system/cpu_utilization_percentage";
    public static final String RSS = "system/process_rss_megabytes";
    public static final String HEAP = "system/jvm_heap_used_megabytes";

    private final MetricSink sink;
    private final ScheduledExecutorService executor;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final OperatingSystemMXBean system = ManagementFactory.getOperatingSystemMXBean();
    private long step;

    private SystemMetricsSampler(MetricSink sink, Duration interval) {
        this.sink = requireNonNull(sink, "sink is null");
        long millis = interval.toMillis();
        if (millis <= 0) {
            this.executor = null;
            return;
        }
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "system-metrics");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleAtFixedRate(this::sampleQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts sampling into {@code sink}; the first sample is taken one interval from now.
     *
     * @param interval the time between samples; zero samples nothing
     */
    public static SystemMetricsSampler start(MetricSink sink, Duration interval) {
        return new SystemMetricsSampler(sink, interval);
    }

    /** Takes one sample now. */
    void sample() {
        long current = step++;
        double cpu = processCpuLoad();
        if (cpu >= 0) {
            // The JVM reports -1 until it has two readings to compare.
            sink.metric(CPU, cpu * 100, current);
        }
        sink.metric(RSS, ResidentMemory.megabytes(), current);
        sink.metric(HEAP, memory.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0), current);
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) {
            // A closed spool at the end of a job: stop quietly rather than print a trace every interval.
            executor.shutdown();
        }
    }

    private double processCpuLoad() {
        if (system instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuLoad();
        }
        return -1;
    }

    @Override
    public void close() {
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
