package org.fadkd.runner.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class TestTrackingSettings {
    @Test
    void testConfigWinsOverTheEnvironment() {
        TrackingSettings settings = TrackingSettings.from(
                ConfigFactory.parseString("tracking { uri = \"http://config:5000/\", experiment = mine,"
                        + " system-metrics-interval-s = 2.5 }"),
                Map.of(TrackingSettings.URI_VARIABLE, "http://environment:5000"), "study");

        assertThat(settings.uri()).hasValue("http://config:5000");
        assertThat(settings.experiment()).isEqualTo("mine");
        assertThat(settings.systemMetricsInterval()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void testEnvironmentWhenConfigIsSilentAndLocalWhenNeitherSaysAnything() {
        TrackingSettings fromEnvironment = TrackingSettings.from(ConfigFactory.empty(),
                Map.of(TrackingSettings.URI_VARIABLE, "http://environment:5000"), "study");
        TrackingSettings local = TrackingSettings.from(ConfigFactory.parseString("tracking.uri = \"\""), Map.of(), "study");

        assertThat(fromEnvironment.uri()).hasValue("http://environment:5000");
        assertThat(fromEnvironment.experiment()).isEqualTo("study");
        assertThat(local.isRemote()).isFalse();
        assertThat(local.displayUri()).isEqualTo("(local only)");
        assertThat(local.systemMetricsInterval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void testCredentialsGoIntoTheHeaderOnlyAndAreRedactedEverywhereElse() {
        TrackingSettings token = TrackingSettings.from(ConfigFactory.empty(),
                Map.of(TrackingSettings.URI_VARIABLE, "https://mlflow.example", TrackingSettings.TOKEN_VARIABLE, "tok-123456"),
                "study");
        TrackingSettings inUri = TrackingSettings.from(
                ConfigFactory.parseString("tracking.uri = \"https://ada:p%40ss-word@mlflow.example\""), Map.of(), "study");

        assertThat(token.authorizationHeader()).hasValue("Bearer tok-123456");
        assertThat(token.toString()).doesNotContain("tok-123456").contains("auth=token");
        assertThat(token.redact("note", "see tok-123456")).isEqualTo("see [redacted]");
        assertThat(token.redact("db.api-key", "anything")).isEqualTo("[redacted]");
        assertThat(token.redact("teacher.type", "resnet")).isEqualTo("resnet");
        assertThat(inUri.uri()).hasValue("https://mlflow.example");
        assertThat(inUri.username()).isEqualTo("ada");
        assertThat(inUri.password()).isEqualTo("p@ss-word");
        assertThat(inUri.toString()).doesNotContain("p@ss").doesNotContain("p%40ss").contains("auth=basic");
        assertThat(inUri.redact("tracking.uri", "https://ada:p%40ss-word@mlflow.example"))
                .isEqualTo("https://***@mlflow.example");
        assertThat(inUri.authorizationHeader()).hasValue("Basic " + java.util.Base64.getEncoder()
                .encodeToString("ada:p@ss-word".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void testRedactionOfUrlsInAnyText() {
        assertThat(Redaction.redact("http://ada:secret@mlflow.example:5000/x")).isEqualTo("http://***@mlflow.example:5000/x");
        assertThat(Redaction.redact("tracking.uri=https://ada@h method=kd")).isEqualTo("tracking.uri=https://***@h method=kd");
        // HOCON as config.conf holds it, and a password with an unescaped '@'.
        assertThat(Redaction.redact("tracking {\n  uri=\"http://ada:p@ss@h:5000\"\n}"))
                .isEqualTo("tracking {\n  uri=\"http://***@h:5000\"\n}");
        assertThat(Redaction.redact("two: http://a:b@one/x and https://c:d@two")).isEqualTo(
                "two: http://***@one/x and https://***@two");
        assertThat(Redaction.redact("mail ada@example.org, see http://h/a@b")).isEqualTo("mail ada@example.org, see http://h/a@b");
        assertThat(Redaction.redact(null)).isNull();
    }

    @Test
    void testARedactedUriNamesTheServerAndTheEnvironmentGivesTheCredentials() {
        TrackingSettings recorded = TrackingSettings.from(
                ConfigFactory.parseString("tracking.uri = \"" + Redaction.redact("http://ada:pw@mlflow.example:5000/") + "\""),
                Map.of(TrackingSettings.USERNAME_VARIABLE, "ada", TrackingSettings.PASSWORD_VARIABLE, "from-env"), "study");
        TrackingSettings without = TrackingSettings.from(
                ConfigFactory.parseString("tracking.uri = \"http://***@mlflow.example:5000\""), Map.of(), "study");

        assertThat(recorded.uri()).hasValue("http://mlflow.example:5000");
        assertThat(recorded.username()).isEqualTo("ada");
        assertThat(recorded.password()).isEqualTo("from-env");
        assertThat(without.uri()).hasValue("http://mlflow.example:5000");
        assertThat(without.username()).isNull();
        assertThat(without.authorizationHeader()).isEmpty();
    }

    @Test
    void testTimeoutsFromTheConfigThenTheEnvironmentThenTheDefaults() {
        TrackingSettings configured = TrackingSettings.from(ConfigFactory.parseString(
                "tracking { uri = \"http://h\", connect-timeout-s = 2.5, request-timeout-s = 30 }"),
                Map.of(TrackingSettings.REQUEST_TIMEOUT_VARIABLE, "120"), "study");
        TrackingSettings environment = TrackingSettings.from(ConfigFactory.empty(),
                Map.of(TrackingSettings.REQUEST_TIMEOUT_VARIABLE, "120"), "study");
        TrackingSettings defaults = TrackingSettings.from(ConfigFactory.empty(), Map.of(), "study");
        // Empty, as job defaults may declare them: the environment, then the defaults.
        TrackingSettings declared = TrackingSettings.from(ConfigFactory.parseString(
                "tracking { connect-timeout-s = \"\", request-timeout-s = \"\" }"),
                Map.of(TrackingSettings.REQUEST_TIMEOUT_VARIABLE, "120"), "study");

        assertThat(configured.connectTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(configured.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(environment.requestTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(defaults.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(declared.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(declared.requestTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(defaults.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)).requestTimeout())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(configured.toString()).contains("requestTimeout=PT30S");
        assertThatThrownBy(() -> TrackingSettings.from(ConfigFactory.parseString("tracking.request-timeout-s = 0"),
                Map.of(), "study")).hasMessageContaining("tracking.request-timeout-s").hasMessageContaining("above 0");
        assertThatThrownBy(() -> TrackingSettings.from(ConfigFactory.empty(),
                Map.of(TrackingSettings.REQUEST_TIMEOUT_VARIABLE, "soon"), "study"))
                .hasMessageContaining(TrackingSettings.REQUEST_TIMEOUT_VARIABLE);
    }

    @Test
    void testTrackingKeysAreNoParams() {
        assertThat(TrackingSettings.isTrackingKey("tracking.uri")).isTrue();
        assertThat(TrackingSettings.isTrackingKey("tracking.experiment")).isTrue();
        assertThat(TrackingSettings.isTrackingKey("tracking")).isTrue();
        assertThat(TrackingSettings.isTrackingKey("trackingx")).isFalse();
        assertThat(TrackingSettings.isTrackingKey("method.tracking.uri")).isFalse();
    }

    @Test
    void testAUriThatIsNoHttpUrlIsAConfigError() {
        assertThatThrownBy(() -> TrackingSettings.from(ConfigFactory.parseString("tracking.uri = \"file:///tmp/mlruns\""),
                Map.of(), "study"))
                .hasMessageContaining("'file:///tmp/mlruns'")
                .hasMessageContaining("not an http:// or https:// URL");
        assertThatThrownBy(() -> TrackingSettings.from(
                ConfigFactory.parseString("tracking.system-metrics-interval-s = -1"), Map.of(), "study"))
                .hasMessageContaining("tracking.system-metrics-interval-s");
    }
}
