package org.fadkd.runner.cli;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.runner.config.ProjectLayout;
import org.fadkd.runner.tracking.Redaction;
import org.fadkd.runner.tracking.TrackingSettings;
import org.fadkd.runner.tracking.mlflow.MlflowSync;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runner sync [DIR...]}: sends the tracking spools of runs and sweeps to an MLflow server,
 * exactly once. What the server has acknowledged is recorded in {@code mlflow-sync.json} beside
 * each spool, so re-running it, or running it after a partial failure, sends nothing twice.
 */
@Command(
        name = "sync",
        mixinStandardHelpOptions = true,
        description = {
            "Send the tracking spools (tracking.jsonl) of runs and sweeps to an MLflow server.",
            "Safe to repeat: what the server has acknowledged is never sent twice."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every spool synced",
            "1:a spool could not be sent, or the server did not answer in time (run sync again later)",
            "2:no server configured, or a directory that does not exist"
        })
public final class SyncCommand implements Callable<Integer> {
    private final ProjectLayout layout;
    private final PrintStream console;

    @Parameters(paramLabel = "DIR", arity = "0..*",
            description = "Run, job or sweep directories, or directories above them (default: outputs/ and multirun/).")
    List<Path> directories = new ArrayList<>();

    @Option(names = "--tracking-uri", paramLabel = "URI",
            description = "MLflow server (default: the one the runs recorded, else $MLFLOW_TRACKING_URI).")
    String uri;

    @Option(names = "--experiment", paramLabel = "NAME",
            description = "Put every run in this MLflow experiment (default: the one each run chose).")
    String experiment;

    @Option(names = "--connect-timeout-s", paramLabel = "SECONDS",
            description = "Wait at most this long for the server to accept a connection (default: 10).")
    Double connectTimeout;

    @Option(names = "--request-timeout-s", paramLabel = "SECONDS",
            description = "Wait at most this long for each answer (default: $MLFLOW_HTTP_REQUEST_TIMEOUT, else 60).")
    Double requestTimeout;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    @Inject
    SyncCommand(ProjectLayout layout, PrintStream console) {
        this.layout = requireNonNull(layout, "layout is null");
        this.console = requireNonNull(console, "console is null");
    }

    @Override
    public Integer call() {
        for (Path directory : directories) {
            if (!Files.isDirectory(directory)) {
                throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                        "'%s' is not a directory; runner sync takes run, job or sweep directories.", directory));
            }
        }
        List<Path> roots = directories.isEmpty()
                ? Stream.of("outputs", "multirun").map(layout.outputDir()::resolve).filter(Files::isDirectory).toList()
                : directories;
        String server = uri != null ? uri : recordedUri(roots);
        Map<String, Object> tracking = new HashMap<>();
        if (server != null) {
            tracking.put("tracking.uri", server);
        }
        if (connectTimeout != null) {
            tracking.put("tracking.connect-timeout-s", connectTimeout);
        }
        if (requestTimeout != null) {
            tracking.put("tracking.request-timeout-s", requestTimeout);
        }
        TrackingSettings settings = TrackingSettings.from(ConfigFactory.parseMap(tracking, "runner sync's options"),
                System.getenv(), "Default");
        if (!settings.isRemote()) {
            throw new FadException(ErrorCode.CONFIG_INVALID, "runner sync needs an MLflow server, and the runs recorded"
                    + " none (their tracking.uri is empty): pass --tracking-uri or set MLFLOW_TRACKING_URI.");
        }
        String recorded = "";
        if (uri == null && server != null) {
            recorded = server.contains("://" + Redaction.USER_INFO + "@") && settings.authorizationHeader().isEmpty()
                    ? " (recorded in the runs' config.conf without its credentials: set MLFLOW_TRACKING_USERNAME and"
                            + " MLFLOW_TRACKING_PASSWORD, or MLFLOW_TRACKING_TOKEN, if the server needs them)"
                    : " (recorded in the runs' config.conf)";
        }
        console.printf("Syncing %s to MLflow at %s%s%n", roots, settings.displayUri(), recorded);
        MlflowSync.Report report = new MlflowSync(settings, experiment, message -> console.println("WARNING: " + message))
                .sync(roots);
        console.print(report.render());
        return report.failures() == 0 ? 0 : 1;
    }

    /**
     * The MLflow server the runs below {@code roots} were tracked to: the non-empty {@code
     * tracking.uri} of their {@code config.conf}, or null when none recorded one. URIs that differ
     * only in their user info (a redacted one, {@code http://***@host}, and one written before
     * the runner redacted them) name the same server.
     *
     * @throws FadException when they recorded different servers
     */
    private static String recordedUri(List<Path> roots) {
        Map<String, String> recorded = new TreeMap<>();
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root, 4)) {
                files.filter(file -> file.getFileName().toString().equals("config.conf")).forEach(file -> {
                    Config config = ConfigFactory.parseFile(file.toFile());
                    if (config.hasPath("tracking.uri") && !config.getString("tracking.uri").isBlank()) {
                        String recordedUri = config.getString("tracking.uri").trim();
                        String server = Redaction.redact(recordedUri).replace("://" + Redaction.USER_INFO + "@", "://")
                                .replaceAll("/+$", "");
                        // Credentials written by an older runner are kept: they are what the runs were sent with.
                        recorded.merge(server, recordedUri, (kept, other) ->
                                Redaction.redact(kept).equals(kept) ? other : kept);
                    }
                });
            } catch (IOException | com.typesafe.config.ConfigException e) {
                throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                        "Cannot read the runs' recorded tracking server below %s: %s. Pass --tracking-uri.", root,
                        e.getMessage()));
            }
        }
        if (recorded.size() > 1) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format("The runs were tracked to %d different"
                    + " servers; pass --tracking-uri and sync the directories of each server apart.", recorded.size()));
        }
        return recorded.isEmpty() ? null : recorded.values().iterator().next();
    }
}
