package org.fadkd.vision.data;

import org.fadkd.api.FadException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * How a dataset finds its files: the {@code root} setting as users write it, and the first of
 * several candidate directories that holds every file.
 */
final class DataSearch {
    private DataSearch() {}

    /**
     * A directory a dataset may be in.
     *
     * @param origin why it is looked at, for the message when nothing is found
     */
    record Candidate(Path directory, String origin) {}

    /**
     * Returns the first candidate for which {@code missingFiles} is empty.
     *
     * @param missingFiles the names of the files a directory lacks
     * @param notFound builds the error from the numbered list of what was looked at and why each
     *     failed (one line per candidate, each starting with a line break)
     */
    static Path firstComplete(
            List<Candidate> candidates,
            Function<Path, List<String>> missingFiles,
            Function<String, FadException> notFound) {
        StringBuilder searched = new StringBuilder();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate candidate = candidates.get(i);
            List<String> missing = missingFiles.apply(candidate.directory());
            if (missing.isEmpty()) {
                return candidate.directory();
            }
            searched.append(
                            String.format(
                                    "%n  %d. '%s' (%s): ",
                                    i + 1, candidate.directory(), candidate.origin()))
                    .append(
                            Files.isDirectory(candidate.directory())
                                    ? "missing " + String.join(", ", missing)
                                    : "no such directory");
        }
        throw notFound.apply(searched.toString());
    }

    /**
     * Expands a leading {@code ~}: HOCON values are not shell-expanded, yet "~/data" is what users
     * write.
     */
    static Path expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + path.substring(1));
        }
        return Path.of(path);
    }
}
