package org.fadkd.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fadkd.engine.util.FadVersion;

/** Reads what a results file records about the machine and the JVM side's libraries. */
final class MachineEnvironment {
    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");
    private static final Path MEMORY_INFO = Path.of("/proc/meminfo");
    private static final Path LOAD_AVERAGE = Path.of("/proc/loadavg");
    private static final Path STATUS = Path.of("/proc/self/status");

    private MachineEnvironment() {}

    /**
     * Describes this machine and JVM; starts the PyTorch engine if it is not running yet.
     *
     * @param gitCommit the checkout's commit, as the run script found it
     * @param loadAverageStart the load average when the run started
     */
    static Results.Environment capture(String gitCommit, String loadAverageStart) {
        Engine engine = Engine.getInstance();
        return new Results.Environment(
                Runtime.getRuntime().availableProcessors(),
                cpuModel(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                memoryMegabytes(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                jvmOptions(),
                FadVersion.get(),
                gitCommit,
                Engine.getDjlVersion(),
                engine.getEngineName() + " " + engine.getVersion(),
                threads(),
                loadAverageStart,
                loadAverage());
    }

    /** The options this JVM was started with. */
    static List<String> jvmOptions() {
        return List.copyOf(ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** The PyTorch engine's thread counts (starting it if needed). */
    static Results.Threads threads() {
        Engine.getInstance();
        return new Results.Threads(JniUtils.getNumThreads(), JniUtils.getNumInteropThreads());
    }

    /** {@code /proc/loadavg}'s 1, 5 and 15 minute load averages, or "unknown". */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(LOAD_AVERAGE).trim().split("\\s+");
            return String.join(" ", fields[0], fields[1], fields[2]);
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** This process's peak resident set ({@code VmHWM}) in MiB, or NaN where /proc is missing. */
    static double peakResidentMegabytes() {
        return statusField("VmHWM:").map(kilobytes -> kilobytes / 1024.0).orElse(Double.NaN);
    }

    private static Optional<Long> statusField(String name) {
        try {
            return Files.readAllLines(STATUS).stream()
                    .filter(line -> line.startsWith(name))
                    .map(line -> Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]))
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(CPU_INFO).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static long memoryMegabytes() {
        try {
            return Files.readAllLines(MEMORY_INFO).stream()
                    .filter(line -> line.startsWith("MemTotal:"))
                    .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024)
                    .findFirst()
                    .orElse(0L);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
