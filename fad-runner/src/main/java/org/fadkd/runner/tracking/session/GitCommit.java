package org.fadkd.runner.tracking.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The commit a checkout is at, read from the files under {@code .git} rather than by running
 * {@code git}: no process to start, nothing that can hang or prompt, and no git needed. Handles a
 * plain checkout, a worktree ({@code .git} is a file naming the real directory), loose and packed
 * refs and a detached HEAD; anything else gives no commit.
 */
public final class GitCommit {
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");

    private GitCommit() {}

    /** The commit of the checkout containing {@code directory}, if it is in one. */
    public static Optional<String> of(Path directory) {
        try {
            for (Path candidate = directory.toAbsolutePath().normalize(); candidate != null;
                    candidate = candidate.getParent()) {
                Path dotGit = candidate.resolve(".git");
                if (Files.isDirectory(dotGit)) {
                    return resolveHead(dotGit);
                }
                if (Files.isRegularFile(dotGit)) {
                    String pointer = read(dotGit);
                    if (!pointer.startsWith("gitdir:")) {
                        return Optional.empty();
                    }
                    return resolveHead(candidate.resolve(pointer.substring("gitdir:".length()).trim()).normalize());
                }
            }
        } catch (IOException | RuntimeException e) {
            // An unusual layout: no commit rather than a failed run.
        }
        return Optional.empty();
    }

    private static Optional<String> resolveHead(Path gitDirectory) throws IOException {
        String head = read(gitDirectory.resolve("HEAD"));
        if (HASH.matcher(head).matches()) {
            return Optional.of(head);
        }
        if (!head.startsWith("ref:")) {
            return Optional.empty();
        }
        String ref = head.substring("ref:".length()).trim();
        // A worktree keeps its HEAD but shares refs with the main repository ("commondir").
        Path common = Files.isRegularFile(gitDirectory.resolve("commondir"))
                ? gitDirectory.resolve(read(gitDirectory.resolve("commondir"))).normalize()
                : gitDirectory;
        for (Path root : new Path[] {gitDirectory, common}) {
            Path loose = root.resolve(ref);
            if (Files.isRegularFile(loose)) {
                String hash = read(loose);
                return HASH.matcher(hash).matches() ? Optional.of(hash) : Optional.empty();
            }
        }
        Path packed = common.resolve("packed-refs");
        if (Files.isRegularFile(packed)) {
            for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                String[] parts = line.split(" ");
                if (parts.length == 2 && parts[1].equals(ref) && HASH.matcher(parts[0]).matches()) {
                    return Optional.of(parts[0]);
                }
            }
        }
        return Optional.empty();
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
}
