package org.fadkd.engine.util;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident set size, which covers native (NDArray) memory the JVM heap does not show. */
public final class ResidentMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    /** glibc's allocator, or null where there is none (macOS, musl, Windows). */
    private static final GlibcMalloc GLIBC = loadGlibc();

    private ResidentMemory() {}

    /** Returns the resident set size in MiB, or NaN where /proc is not available. */
    public static double megabytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /**
     * Hands memory that libtorch has freed back to the system (glibc's {@code malloc_trim(0)}).
     *
     * <p>libtorch allocates tensors with malloc. glibc's adaptive mmap threshold soon serves a
     * step's large tensors from its heap arenas, and freed arena memory stays resident, so without
     * this a long run's resident set creeps up although every NDArray is closed. Trimming once per
     * epoch costs milliseconds; trimming the allocator on every free (a fixed mmap threshold)
     * doubled the step time on the quick start. A no-op where the C library is not glibc.
     */
    public static void release() {
        if (GLIBC != null) {
            GLIBC.malloc_trim(0);
        }
    }

    private static GlibcMalloc loadGlibc() {
        try {
            return Native.load("c", GlibcMalloc.class);
        } catch (LinkageError | RuntimeException e) {
            return null; // another C library: its allocator is left alone
        }
    }

    /** The one glibc function used; JNA binds it by name. */
    private interface GlibcMalloc extends Library {
        int malloc_trim(long pad);
    }
}
