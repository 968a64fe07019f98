package org.fadkd.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The root README's performance section, which lives between {@value #START} and {@value #END} and
 * is generated from the newest full results file, never typed in.
 */
final class ReadmeSection {
    static final String START = "<!-- perf:start -->";
    static final String END = "<!-- perf:end -->";
    /** Full runs only: {@code 2025-06-01.json}; quick runs ({@code -quick}) are smoke tests, not results. */
    private static final Pattern FULL_RESULTS = Pattern.compile("\\d{4}-\\d{2}-\\d{2}\\.json");

    private ReadmeSection() {}

    /**
     * Returns {@code readme} with everything between the markers replaced by {@code section}.
     *
     * @throws IllegalArgumentException when the markers are missing, repeated or out of order
     */
    static String replace(String readme, String section) {
        int start = readme.indexOf(START);
        int end = readme.indexOf(END);
        if (start < 0 || end < 0 || end < start
                || readme.indexOf(START, start + 1) >= 0 || readme.indexOf(END, end + 1) >= 0) {
            throw new IllegalArgumentException("the README needs exactly one '" + START + "' followed by one '"
                    + END + "' around its performance section");
        }
        String body = section.endsWith("\n") ? section : section + "\n";
        return readme.substring(0, start + START.length()) + "\n" + body + readme.substring(end);
    }

    /** The newest full results file in {@code directory} (names sort by date), if any. */
    static Optional<Path> newestResults(Path directory) {
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> FULL_RESULTS.matcher(file.getFileName().toString()).matches())
                    .max(Comparator.comparing(file -> file.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }
}
