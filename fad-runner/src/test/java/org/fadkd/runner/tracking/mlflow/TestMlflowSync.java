package org.fadkd.runner.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.fadkd.engine.util.Json;
import org.fadkd.runner.tracking.TrackingSettings;
import org.fadkd.runner.tracking.TrackingSpool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestMlflowSync {
    private static final String TOKEN = "s3cr3t-token-value";
    private static final String PASSWORD = "pa55-w0rd-in-uri";

    @TempDir
    Path directory;

    @Test
    void testSweepBecomesAParentRunWithOneChildPerJob() {
        TestingSweeps.writeSweep(directory, List.of("kd", "fad"), 2);
        try (TestingMlflowServer server = TestingMlflowServer.start()) {
            MlflowSync.Report report = sync(server, Map.of());

            assertThat(report.failures()).isZero();
            assertThat(report.spools()).hasSize(5);
            List<TestingMlflowServer.Run> runs = server.runs();
            assertThat(runs).hasSize(5);
            TestingMlflowServer.Run parent = runs.get(0);
            // The start time first, so that a cut name still tells sweeps apart.
            assertThat(parent.name).matches("sweep_\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}_study");
            assertThat(parent.tags).containsEntry("fad.kind", "sweep").containsEntry("fad.failed_jobs", "0")
                    .containsEntry("fad.experiment-file", "study").doesNotContainKey("fad.experiment");
            assertThat(parent.params).containsEntry("method", "kd,fad").containsEntry("seed", "range(1,3)");
            assertThat(parent.status).isEqualTo("FINISHED");
            // Per configuration, named by what varies (the method), mean and sample standard deviation
            // over the seeds (best 0.6 and 0.7).
            assertThat(latest(parent, "kd/best_top1_mean")).isCloseTo(0.65, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(latest(parent, "kd/best_top1_std")).isCloseTo(0.0707107, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(latest(parent, "fad/n")).isEqualTo(2.0);

            TestingMlflowServer.Run child = TestingSweeps.run(server, "fad_resnet-to-cnn-s_seed2").orElseThrow();
            assertThat(child.tags)
                    .containsEntry("mlflow.parentRunId", parent.id)
                    .containsEntry("fad.kind", "job")
                    .containsEntry("fad.experiment-file", "study")
                    .containsEntry("fad.method", "fad")
                    .containsEntry("fad.teacher", "resnet")
                    .containsEntry("fad.student", "cnn-s")
                    .containsEntry("fad.job", "3")
                    .containsEntry("fad.overrides", "method=fad seed=2")
                    .containsKey("fad.config_hash")
                    .doesNotContainKey("fad.experiment");
            // The swept key under the parent's name, besides the config's own key.
            assertThat(child.params).containsEntry("method", "fad").containsEntry("method.type", "fad")
                    .containsEntry("seed", "2").containsEntry("trainer.learning-rate", "0.1");
            assertThat(child.history("train/loss")).extracting(TestingMlflowServer.Point::step).containsExactly(0L, 1L, 2L);
            assertThat(latest(child, "best_top1")).isEqualTo(0.7);
            assertThat(latest(child, "teacher_cached")).isEqualTo(1.0);
            assertThat(child.status).isEqualTo("FINISHED");
            String root = child.experimentId + "/" + child.id + "/artifacts/";
            assertThat(server.artifacts().keySet().stream().filter(path -> path.startsWith(root)))
                    .containsExactlyInAnyOrder(root + "config.conf", root + "overrides.txt", root + "summary.json",
                            root + "student/student-0003.params", root + "plots/flow_profiles.png");
            assertThat(server.artifacts().get(root + "student/student-0003.params")).containsExactly(1, 2, 3, 0xff);
            assertThat(server.requests()).filteredOn(request -> request.method().equals("PUT"))
                    .extracting(TestingMlflowServer.Request::path)
                    .contains("/api/2.0/mlflow-artifacts/artifacts/" + root + "plots/flow_profiles.png");
            // Every run of the sweep names its swept params identically, and none names the server.
            assertThat(runs.subList(1, 5)).allSatisfy(run -> assertThat(run.params).containsKeys("method", "method.type",
                    "seed"));
            assertThat(runs).allSatisfy(run -> assertThat(run.params.keySet()).noneMatch(key -> key.startsWith("tracking")));
        }
    }

    @Test
    void testOneNamePerQuantity() throws IOException {
        TestingSweeps.writeLargeRun(directory, 1, 1);
        try (TrackingSpool spool = new TrackingSpool(directory.resolve(TrackingSpool.FILE_NAME))) {
            // As the engine logs them: a param with '/', and resident memory in the summary.
            spool.params(Map.of("measurement/device", "cpu()"));
            spool.summary(Map.of("metrics", Map.of("best_top1", 0.5, "rss_mb_epoch1", 900.0,
                    "rss_mb_last_epoch", 910.0)));
        }
        try (TestingMlflowServer server = TestingMlflowServer.start()) {
            MlflowSync.Report report = sync(server, Map.of());

            assertThat(report.failures()).as(report.render()).isZero();
            TestingMlflowServer.Run run = server.runs().get(0);
            assertThat(run.params).containsEntry("measurement.device", "cpu()").doesNotContainKey("measurement/device");
            assertThat(run.history("best_top1")).hasSize(1);
            // Resident memory is system/process_rss_megabytes, sampled through the run; summary.json keeps these.
            assertThat(run.history("rss_mb_epoch1")).isEmpty();
            assertThat(run.history("rss_mb_last_epoch")).isEmpty();
        }
    }

    @Test
    void testSyncTwiceCreatesNoDuplicateRunsParamsOrPoints() {
        TestingSweeps.writeSweep(directory, List.of("kd"), 2);
        try (TestingMlflowServer server = TestingMlflowServer.start()) {
            sync(server, Map.of());
            String before = snapshot(server);
            int requests = server.requests().size();

            MlflowSync.Report again = sync(server, Map.of());

            assertThat(again.failures()).isZero();
            assertThat(again.spools()).allSatisfy(spool -> assertThat(spool.linesSent()).isZero());
            assertThat(snapshot(server)).isEqualTo(before);
            // Nothing is sent again: not even a look-up, as every spool knows its run.
            assertThat(server.requests()).hasSize(requests);
        }
    }

    @Test
    void testSyncAfterLostAnswersSendsEveryPointOnce() {
        TestingSweeps.writeSweep(directory, List.of("kd"), 1);
        try (TestingMlflowServer server = TestingMlflowServer.start()) {
            // The server creates the first run and stores the first metric batch, but both answers are lost.
            int[] lost = {0, 0};
            server.loseAnswersTo(request -> {
                if (request.path().endsWith("/runs/create") && lost[0]++ == 0) {
                    return true;
                }
                return request.path().endsWith("/runs/log-batch") && request.body().contains("\"metrics\"")
                        && lost[1]++ == 0;
            });
            MlflowSync.Report first = sync(server, Map.of());
            assertThat(first.failures()).isPositive();

            MlflowSync.Report second = sync(server, Map.of());
            MlflowSync.Report third = sync(server, Map.of());

            assertThat(second.failures() + third.failures()).as(second.render() + third.render()).isZero();
            assertThat(server.runs()).hasSize(2);
            TestingMlflowServer.Run child = TestingSweeps.run(server, "kd_resnet-to-cnn-s_seed1").orElseThrow();
            assertThat(child.history("train/loss")).hasSize(TestingSweeps.EPOCHS);
            assertThat(child.history("val/top1")).hasSize(TestingSweeps.EPOCHS);
            TestingMlflowServer.Run parent = server.runs().get(0);
            assertThat(parent.history("kd/best_top1_mean")).hasSize(1);
        }
    }

    @Test
    void testSyncAfterAServerFailureContinuesWhereItStopped() throws IOException {
        TestingSweeps.writeLargeRun(directory, 10, 3500);
        try (TestingMlflowServer server = TestingMlflowServer.start()) {
            int[] batches = {0};
            // The connection drops while the second metric batch is answered: stored, but not acknowledged.
            server.loseAnswersTo(request -> request.path().endsWith("/runs/log-batch")
                    && request.body().contains("\"metrics\"") && ++batches[0] == 2);
            MlflowSync.Report first = sync(server, Map.of());
            assertThat(first.failures()).isEqualTo(1);
            assertThat(first.render()).contains("unreachable");
            JsonNode state = Json.MAPPER.readTree(directory.resolve(SyncState.FILE_NAME).toFile());
            JsonNode target = state.path("targets").elements().next();
            assertThat(target.path("in_flight").isArray()).isTrue();

            MlflowSync.Report second = sync(server, Map.of());

            assertThat(second.failures()).isZero();
            assertThat(server.runs()).hasSize(1);
            assertThat(server.runs().get(0).history("train/loss")).hasSize(3500)
                    .extracting(TestingMlflowServer.Point::step).doesNotHaveDuplicates();
        }
    }

    @Test
    void testBatchesStayWithinMlflowsLimits() {
        TestingSweeps.writeLargeRun(directory, 250, 2500);
        try (TestingMlflowServer server = TestingMlflowServer.start()) {
            MlflowSync.Report report = sync(server, Map.of());

            assertThat(report.failures()).as(report.render()).isZero();
            TestingMlflowServer.Run run = server.runs().get(0);
            // 250 params, and the job's method as its sweep's parent names it.
            assertThat(run.params).hasSize(251).containsEntry("group3.key10", "value10").containsEntry("method", "kd");
            assertThat(run.history("train/loss")).hasSize(2500);
            List<JsonNode> batches = server.requests().stream()
                    .filter(request -> request.path().endsWith("/runs/log-batch"))
                    .map(request -> read(request.body()))
                    .toList();
            assertThat(batches).allSatisfy(batch -> {
                assertThat(batch.path("params").size()).isLessThanOrEqualTo(100);
                assertThat(batch.path("tags").size()).isLessThanOrEqualTo(100);
                assertThat(batch.path("metrics").size()).isLessThanOrEqualTo(1000);
                assertThat(batch.path("params").size() + batch.path("tags").size() + batch.path("metrics").size())
                        .isLessThanOrEqualTo(1000);
            });
            // Tags and 100 params, 100 params, 51 params; then 1000, 1000 and 500 points.
            assertThat(batches).hasSize(6);
        }
    }

    @Test
    void testAChangedParamIsAClearErrorAndNothingIsDuplicated() {
        TestingSweeps.writeLargeRun(directory, 3, 2);
        try (TestingMlflowServer server = TestingMlflowServer.start()) {
            sync(server, Map.of());
            try (TrackingSpool spool = new TrackingSpool(directory.resolve(TrackingSpool.FILE_NAME))) {
                spool.params(Map.of("group1.key1", "value1")); // the same value again: fine
                spool.params(Map.of("group2.key2", "another value"));
                spool.metric("late", 1.0, 0);
            }

            MlflowSync.Report first = sync(server, Map.of());
            MlflowSync.Report second = sync(server, Map.of());

            assertThat(first.failures()).isEqualTo(1);
            assertThat(first.spools().get(0).error())
                    .contains("Changing param values is not allowed")
                    .contains("group2.key2")
                    .contains("params cannot change");
            assertThat(second.spools().get(0).error()).isEqualTo(first.spools().get(0).error());
            TestingMlflowServer.Run run = server.runs().get(0);
            assertThat(run.params).containsEntry("group2.key2", "value2");
            assertThat(run.history("late")).isEmpty();
            assertThat(run.history("train/loss")).hasSize(2);
        }
    }

    @Test
    void testAuthorizationOnEveryRequestAndSecretsNeverInParamsTagsOrMessages() throws IOException {
        TestingSweeps.writeSweep(directory, List.of("kd"), 1);
        List<String> messages = new ArrayList<>();
        try (TestingMlflowServer server = TestingMlflowServer.start()) {
            server.requireAuthorization("Bearer " + TOKEN);
            TrackingSettings settings = TestingSweeps.remote(server, Map.of(TrackingSettings.TOKEN_VARIABLE, TOKEN));
            MlflowSync.Report report = new MlflowSync(settings, null, messages::add).sync(List.of(directory));

            assertThat(report.failures()).as(report.render()).isZero();
            assertThat(server.requests()).isNotEmpty()
                    .allSatisfy(request -> assertThat(request.authorization()).isEqualTo("Bearer " + TOKEN));
            for (TestingMlflowServer.Run run : server.runs()) {
                assertThat(String.valueOf(run.params) + run.tags).doesNotContain(TOKEN).doesNotContain("hunter22")
                        .doesNotContain("example.invalid");
            }
            TestingMlflowServer.Run child = server.runs().get(1);
            // Where a run was logged is no param: a run replayed to another server would still name the first.
            assertThat(child.params).doesNotContainKey("tracking.uri").doesNotContainKey("tracking.experiment");
            // The job's config, uploaded as an artifact, holds the URI: written unredacted (as a runner before
            // the redaction did), it still goes up without the password.
            String config = new String(server.artifacts().get(
                    child.experimentId + "/" + child.id + "/artifacts/config.conf"), StandardCharsets.UTF_8);
            assertThat(config).contains("http://***@example.invalid").doesNotContain("hunter22");
            // The spool never held it: tracking params are left out, the overrides tag leaves out tracking.*.
            assertThat(Files.readString(directory.resolve("0").resolve(TrackingSpool.FILE_NAME)))
                    .doesNotContain("hunter22").doesNotContain("tracking.uri");
            assertThat(server.requests()).allSatisfy(request -> assertThat(request.body()).doesNotContain(TOKEN));
            assertThat(settings.toString()).doesNotContain(TOKEN).contains("auth=token");
            assertThat(report.render() + messages).doesNotContain(TOKEN);

            // A wrong token: refused, with a hint, and the token is not in the message.
            TrackingSettings wrong = TestingSweeps.remote(server, Map.of(TrackingSettings.TOKEN_VARIABLE, "wrong-token-1"));
            TestingSweeps.writeLargeRun(directory.resolve("other"), 1, 1);
            MlflowSync.Report refused = new MlflowSync(wrong, null, messages::add).sync(List.of(directory.resolve("other")));
            assertThat(refused.render()).contains("HTTP 401").contains("MLFLOW_TRACKING_TOKEN").doesNotContain("wrong-token-1");
        }
    }

    @Test
    void testUserAndPasswordInTheTrackingUriAuthenticateButAreWrittenNowhere() throws IOException {
        TestingSweeps.writeSweep(directory, List.of("kd"), 1);
        List<String> messages = new ArrayList<>();
        try (TestingMlflowServer server = TestingMlflowServer.start()) {
            server.requireBasicAuthentication("ada", PASSWORD);
            TrackingSettings settings = TestingSweeps.remote(server.uriWithUserInfo("ada", PASSWORD), Map.of(), "");

            MlflowSync.Report report = new MlflowSync(settings, null, messages::add).sync(List.of(directory));

            assertThat(report.failures()).as(report.render()).isZero();
            assertThat(server.runs()).hasSize(2);
            String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(("ada:" + PASSWORD).getBytes());
            assertThat(server.requests()).isNotEmpty()
                    .allSatisfy(request -> assertThat(request.authorization()).isEqualTo(basic))
                    .allSatisfy(request -> assertThat(request.path() + request.query() + request.body())
                            .doesNotContain(PASSWORD));
            assertThat(settings.displayUri()).isEqualTo(server.uri());
            assertThat(settings + report.render() + messages).doesNotContain(PASSWORD);
            assertThat(filesContaining(directory, PASSWORD)).isEmpty();
            // The sync state is keyed by the server without its user info.
            assertThat(Files.readString(directory.resolve(SyncState.FILE_NAME))).contains(server.uri());
        }
    }

    @Test
    void testMuteServerSyncGivesUpWithinTheTimeoutAndKeepsEveryLineForTheNextSync() throws IOException {
        TestingSweeps.writeSweep(directory, List.of("kd", "fad"), 1);
        Map<Path, String> spools = spoolTexts(directory);
        try (TestingMlflowServer server = TestingMlflowServer.start()) {
            server.mute();
            TrackingSettings settings = TestingSweeps.impatient(server);

            long start = System.nanoTime();
            MlflowSync.Report report = new MlflowSync(settings, null, message -> {}).sync(List.of(directory));
            double seconds = (System.nanoTime() - start) / 1e9;

            // One request waited for (0.3 s), the other spools were not tried: no wait per spool.
            assertThat(seconds).isLessThan(3.0);
            assertThat(server.mutedRequests()).isEqualTo(1);
            assertThat(report.failures()).isEqualTo(3);
            assertThat(report.spools()).filteredOn(MlflowSync.SpoolOutcome::tried).hasSize(1);
            String rendered = report.render();
            assertThat(rendered.lines().filter(line -> line.contains("did not answer within 0.3 s"))).singleElement()
                    .asString().contains(server.uri()).contains("runner sync");
            assertThat(rendered).contains("NOT TRIED 2 more spools", "0 spools synced, 3 failed");
            // Nothing was recorded as sent, and the spools are as they were.
            assertThat(spoolTexts(directory)).isEqualTo(spools);
            assertThat(filesNamed(directory, SyncState.FILE_NAME)).isEmpty();

            server.unmute();
            MlflowSync.Report later = new MlflowSync(settings, null, message -> {}).sync(List.of(directory));

            assertThat(later.failures()).as(later.render()).isZero();
            assertThat(server.runs()).hasSize(3).allSatisfy(run -> assertThat(run.status).isEqualTo("FINISHED"));
            TestingMlflowServer.Run child = TestingSweeps.run(server, "kd_resnet-to-cnn-s_seed1").orElseThrow();
            assertThat(child.history("train/loss")).hasSize(TestingSweeps.EPOCHS);
        }
    }

    @Test
    void testServerThatStopsAnsweringMidSyncLeavesTheRestForTheNextSync() {
        TestingSweeps.writeLargeRun(directory, 10, 2500);
        try (TestingMlflowServer server = TestingMlflowServer.start()) {
            TrackingSettings settings = TestingSweeps.impatient(server);
            // The server answers the first metric batch, then hangs: it never handles the second.
            int[] batches = {0};
            server.loseAnswersTo(request -> {
                if (request.path().endsWith("/runs/log-batch") && request.body().contains("\"metrics\"")
                        && ++batches[0] == 1) {
                    server.mute();
                }
                return false;
            });
            MlflowSync.Report first = new MlflowSync(settings, null, message -> {}).sync(List.of(directory));
            assertThat(first.failures()).isEqualTo(1);
            assertThat(first.render()).contains("did not answer within 0.3 s");
            assertThat(server.runs().get(0).history("train/loss")).hasSize(1000);

            server.unmute();
            MlflowSync.Report second = new MlflowSync(settings, null, message -> {}).sync(List.of(directory));

            assertThat(second.failures()).as(second.render()).isZero();
            assertThat(server.runs()).hasSize(1);
            assertThat(server.runs().get(0).history("train/loss")).hasSize(2500)
                    .extracting(TestingMlflowServer.Point::step).doesNotHaveDuplicates();
        }
    }

    @Test
    void testBasicAuthenticationFromUserAndPassword() {
        TestingSweeps.writeLargeRun(directory, 1, 1);
        try (TestingMlflowServer server = TestingMlflowServer.start()) {
            String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("ada:pa55word".getBytes());
            server.requireAuthorization(basic);
            TrackingSettings settings = TestingSweeps.remote(server, Map.of(TrackingSettings.USERNAME_VARIABLE, "ada",
                    TrackingSettings.PASSWORD_VARIABLE, "pa55word", TrackingSettings.TOKEN_VARIABLE, "ignored"));

            MlflowSync.Report report = new MlflowSync(settings, null, message -> {}).sync(List.of(directory));

            assertThat(report.failures()).as(report.render()).isZero();
            assertThat(server.requests()).allSatisfy(request -> assertThat(request.authorization()).isEqualTo(basic));
        }
    }

    @Test
    void testFailedAndKilledRunsGetTheirStatusAndReason() throws IOException {
        Path failed = directory.resolve("failed");
        TestingSweeps.writeLargeRun(failed, 1, 1);
        Files.writeString(failed.resolve("error.txt"), "java.lang.IllegalStateException: boom\n\tat Somewhere\n");
        try (TrackingSpool spool = new TrackingSpool(failed.resolve(TrackingSpool.FILE_NAME))) {
            spool.status("RUNNING", null); // resumed
            spool.artifact("error.txt", "");
            spool.status("FAILED", "boom");
        }
        Path killed = directory.resolve("killed");
        TestingSweeps.writeLargeRun(killed, 1, 1);
        try (TrackingSpool spool = new TrackingSpool(killed.resolve(TrackingSpool.FILE_NAME))) {
            spool.status("RUNNING", null);
            assertThat(spool.markKilled("Ctrl-C")).isTrue();
            assertThat(spool.markKilled("Ctrl-C")).isFalse();
            spool.metric("nan_loss", Double.NaN, 4);
            spool.metric("inf_loss", Double.POSITIVE_INFINITY, 4);
        }
        try (TestingMlflowServer server = TestingMlflowServer.start()) {
            MlflowSync.Report report = sync(server, Map.of());

            assertThat(report.failures()).as(report.render()).isZero();
            TestingMlflowServer.Run failedRun = server.runs().get(0);
            assertThat(failedRun.status).isEqualTo("FAILED");
            assertThat(failedRun.tags).containsEntry(SpoolReplay.STATUS_REASON_TAG, "boom");
            assertThat(server.artifacts()).containsKey(failedRun.experimentId + "/" + failedRun.id + "/artifacts/error.txt");
            TestingMlflowServer.Run killedRun = server.runs().get(1);
            assertThat(killedRun.status).isEqualTo("KILLED");
            assertThat(killedRun.tags).containsEntry(SpoolReplay.STATUS_REASON_TAG, "Ctrl-C");
            assertThat(killedRun.history("nan_loss")).singleElement().satisfies(point -> assertThat(point.value()).isNaN());
            assertThat(killedRun.history("inf_loss")).singleElement()
                    .satisfies(point -> assertThat(point.value()).isEqualTo(Double.MAX_VALUE));
        }
    }

    @Test
    void testSpoolsWithoutRunLinesAndWithTornLinesStillSync() throws IOException {
        Path job = directory.resolve("outputs/2024-01-01/10-00-00");
        Files.createDirectories(job);
        // The format before run lines existed, with a line torn by a crash, then a resumed run.
        Files.writeString(job.resolve(TrackingSpool.FILE_NAME),
                "{\"type\":\"param\",\"key\":\"seed\",\"value\":\"1\",\"timestamp\":1700000000000}\n"
                        + "{\"type\":\"status\",\"status\":\"RUNNING\",\"timestamp\":1700000000001}\n"
                        + "{\"type\":\"metric\",\"key\":\"train/loss\",\"value\":0.5,\"step\":0,\"timestamp\":17000000");
        try (TrackingSpool spool = new TrackingSpool(job.resolve(TrackingSpool.FILE_NAME))) {
            spool.metric("train/loss", 0.25, 1);
            spool.status("FINISHED", null);
        }
        Files.writeString(job.resolve("summary.json"), "{\"experiment\": \"old-study\"}");
        List<String> warnings = new ArrayList<>();
        try (TestingMlflowServer server = TestingMlflowServer.start()) {
            MlflowSync.Report report = new MlflowSync(TestingSweeps.remote(server, Map.of()), null, warnings::add)
                    .sync(List.of(directory));

            assertThat(report.failures()).as(report.render()).isZero();
            TestingMlflowServer.Run run = server.runs().get(0);
            assertThat(run.name).isEqualTo("2024-01-01/10-00-00");
            assertThat(run.experimentId).isEqualTo("1");
            assertThat(run.history("train/loss")).extracting(TestingMlflowServer.Point::value).containsExactly(0.25);
            assertThat(warnings).singleElement().asString().contains("1 unreadable line");
            assertThat(sync(server, Map.of()).spools().get(0).linesSent()).isZero();
        }
    }

    private MlflowSync.Report sync(TestingMlflowServer server, Map<String, String> environment) {
        return new MlflowSync(TestingSweeps.remote(server, environment), null, message -> {}).sync(List.of(directory));
    }

    private static double latest(TestingMlflowServer.Run run, String key) {
        List<TestingMlflowServer.Point> history = run.history(key);
        assertThat(history).as("history of " + key + " in " + run.name).hasSize(1);
        return history.get(0).value();
    }

    /** Runs, params, tags and every metric point of the server, as text. */
    private static String snapshot(TestingMlflowServer server) {
        return server.runs().stream()
                .map(run -> run.id + run.name + run.status + run.params + run.tags + run.points)
                .collect(Collectors.joining("\n")) + server.artifacts().keySet();
    }

    /** The files below {@code root} whose bytes hold {@code text}. */
    static List<Path> filesContaining(Path root, String text) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(file -> {
                try {
                    return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static List<Path> filesNamed(Path root, String name) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            return files.filter(file -> file.getFileName().toString().equals(name)).toList();
        }
    }

    private static Map<Path, String> spoolTexts(Path root) throws IOException {
        Map<Path, String> texts = new java.util.TreeMap<>();
        for (Path spool : filesNamed(root, TrackingSpool.FILE_NAME)) {
            texts.put(spool, Files.readString(spool));
        }
        return texts;
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
