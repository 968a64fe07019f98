package org.fadkd.runner.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.fadkd.runner.tracking.TrackingSettings;
import org.fadkd.runner.tracking.TrackingSpool;

/**
 * {@code runner sync [DIR...]}: replays the spools under some directories into an MLflow server,
 * exactly once (see {@link SpoolReplay}). A sweep directory holds the parent run's spool and one
 * directory per job; parents are sent before their children, and a child whose parent failed to
 * sync still gets its run linked to the parent when the parent's run exists. One spool's failure
 * does not stop the others, but for a server that does not answer within the request timeout:
 * asking it again for every spool would only wait for it again, so the remaining spools are left
 * untried. Running sync again continues where each spool stopped.
 */
public final class MlflowSync {
    /** How deep below a given directory spools are looked for: outputs/date/time/job is four. */
    private static final int MAX_DEPTH = 6;

    private final TrackingSettings settings;
    private final String experimentOverride;
    private final Consumer<String> warnings;

    /**
     * @param settings the server (a URI is required) and its credentials
     * @param experimentOverride the experiment to put every run in, or null for the one each spool names
     * @param warnings receives what the user should know that does not stop the sync
     */
    public MlflowSync(TrackingSettings settings, String experimentOverride, Consumer<String> warnings) {
        this.settings = requireNonNull(settings, "settings is null");
        if (!settings.isRemote()) {
            throw new IllegalArgumentException("sync needs a tracking URI");
        }
        this.experimentOverride = experimentOverride;
        this.warnings = requireNonNull(warnings, "warnings is null");
    }

    /**
     * What became of one spool.
     *
     * @param error why it was not sent completely, or null
     * @param tried false for a spool left untried because the server did not answer for an earlier one
     */
    public record SpoolOutcome(Path spool, String runId, int linesSent, int linesAcknowledged, String error,
            boolean tried) {
        public SpoolOutcome(Path spool, String runId, int linesSent, int linesAcknowledged, String error) {
            this(spool, runId, linesSent, linesAcknowledged, error, true);
        }

        public boolean failed() {
            return error != null;
        }
    }

    /** What a sync did, spool by spool. */
    public record Report(List<SpoolOutcome> spools) {
        public Report {
            spools = List.copyOf(spools);
        }

        public long failures() {
            return spools.stream().filter(SpoolOutcome::failed).count();
        }

        /**
         * One line per spool tried, one for those left untried, then a total: what {@code runner
         * sync} prints.
         */
        public String render() {
            StringBuilder out = new StringBuilder();
            long untried = spools.stream().filter(spool -> !spool.tried()).count();
            for (SpoolOutcome spool : spools) {
                if (!spool.tried()) {
                    continue;
                }
                out.append(spool.failed()
                        ? String.format(Locale.ROOT, "FAILED %s: %s%n", spool.spool(), spool.error())
                        : String.format(Locale.ROOT, "synced %s -> run %s (%d new line%s, %d in all)%n", spool.spool(),
                                spool.runId(), spool.linesSent(), spool.linesSent() == 1 ? "" : "s",
                                spool.linesAcknowledged()));
            }
            if (untried > 0) {
                out.append(String.format(Locale.ROOT, "NOT TRIED %d more spool%s: the server did not answer; they"
                        + " are kept as they are, run 'runner sync' again when it answers%n", untried,
                        untried == 1 ? "" : "s"));
            }
            out.append(String.format(Locale.ROOT, "%d spool%s synced, %d failed%n", spools.size() - failures(),
                    spools.size() - failures() == 1 ? "" : "s", failures()));
            return out.toString();
        }
    }

    /**
     * Syncs every spool found in or below the directories.
     *
     * @param directories run, job or sweep directories, or directories above them ({@code multirun/})
     */
    public Report sync(List<Path> directories) {
        List<SpoolOutcome> outcomes = new ArrayList<>();
        try (MlflowServer server = new MlflowServer(settings)) {
            SpoolReplays replays = new SpoolReplays(server, settings, experimentOverride, warnings);
            String mute = null;
            for (Path directory : spoolDirectories(directories)) {
                Path spool = directory.resolve(TrackingSpool.FILE_NAME);
                if (mute != null) {
                    outcomes.add(new SpoolOutcome(spool, null, 0, 0, mute, false));
                    continue;
                }
                SpoolReplay replay = replays.get(directory);
                try {
                    int sent = replay.replay();
                    outcomes.add(new SpoolOutcome(spool, replay.runId(), sent, replay.acknowledgedLines(), null));
                } catch (TrackingUnavailableException e) {
                    String message = settings.redactSecrets(String.valueOf(e.getMessage()));
                    if (e.timedOut()) {
                        mute = message;
                        message += "; nothing was lost: run 'runner sync' again when the server answers";
                    }
                    outcomes.add(new SpoolOutcome(spool, replay.runId(), 0, replay.acknowledgedLines(), message));
                } catch (TrackingRejectedException | IllegalStateException | UncheckedIOException e) {
                    outcomes.add(new SpoolOutcome(spool, replay.runId(), 0, replay.acknowledgedLines(),
                            settings.redactSecrets(String.valueOf(e.getMessage()))));
                }
            }
        }
        return new Report(outcomes);
    }

    /**
     * The directories holding a non-empty spool, parents before children (shallower first), jobs
     * in numeric order.
     */
    static List<Path> spoolDirectories(List<Path> roots) {
        Set<Path> found = new LinkedHashSet<>();
        for (Path root : roots) {
            Path start = root.toAbsolutePath().normalize();
            if (start.getFileName() != null && start.getFileName().toString().equals(TrackingSpool.FILE_NAME)) {
                start = start.getParent();
            }
            if (!Files.isDirectory(start)) {
                throw new IllegalArgumentException("'" + root + "' is not a directory");
            }
            try (Stream<Path> walk = Files.walk(start, MAX_DEPTH)) {
                walk.filter(path -> path.getFileName().toString().equals(TrackingSpool.FILE_NAME))
                        .filter(MlflowSync::nonEmpty)
                        .forEach(path -> found.add(path.getParent()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot search " + start + " for spools", e);
            }
        }
        List<Path> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparingInt(Path::getNameCount).thenComparing(MlflowSync::naturalOrder));
        return sorted;
    }

    private static boolean nonEmpty(Path file) {
        try {
            return Files.isRegularFile(file) && Files.size(file) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Paths compared with numbers as numbers, so that job 10 comes after job 9. */
    private static int naturalOrder(Path a, Path b) {
        String left = a.toString();
        String right = b.toString();
        String leftParent = String.valueOf(a.getParent());
        String rightParent = String.valueOf(b.getParent());
        int byParent = leftParent.compareTo(rightParent);
        if (byParent != 0) {
            return byParent;
        }
        String leftName = a.getFileName().toString();
        String rightName = b.getFileName().toString();
        if (leftName.matches("\\d{1,9}") && rightName.matches("\\d{1,9}")) {
            return Integer.compare(Integer.parseInt(leftName), Integer.parseInt(rightName));
        }
        return left.compareTo(right);
    }
}
