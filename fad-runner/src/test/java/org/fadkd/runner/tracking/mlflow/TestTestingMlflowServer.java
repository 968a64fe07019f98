package org.fadkd.runner.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.fadkd.engine.util.Json;
import org.junit.jupiter.api.Test;

/**
 * Replays every recorded MLflow 2.17.2 request, in order, against one fresh {@link
 * TestingMlflowServer} and checks that it answers as the real server did: status, the recorded
 * headers, and the body (JSON compared as values, with the fixtures' placeholders bound to what the
 * fake generated; params, tags and metrics inside a run's {@code data} compared as unordered, as
 * the fixtures' README says the API defines no order there).
 */
final class TestTestingMlflowServer {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");

    @Test
    void testAnswersEveryFixtureAsTheRealServerDid() throws Exception {
        List<Path> fixtures = fixtures();
        assertThat(fixtures).hasSize(132);
        Map<String, String> bindings = new HashMap<>();
        HttpClient http = HttpClient.newHttpClient();
        List<String> mismatches = new ArrayList<>();
        try (TestingMlflowServer server = TestingMlflowServer.start()) {
            for (Path file : fixtures) {
                JsonNode fixture = Json.MAPPER.readTree(file.toFile());
                HttpResponse<byte[]> response = http.send(request(server.uri(), fixture, bindings),
                        HttpResponse.BodyHandlers.ofByteArray());
                List<String> problems = new ArrayList<>();
                if (response.statusCode() != fixture.get("status").asInt()) {
                    problems.add("status " + response.statusCode() + ", recorded " + fixture.get("status").asInt());
                }
                fixture.get("response_headers").fields().forEachRemaining(header -> {
                    String actual = response.headers().firstValue(header.getKey()).orElse(null);
                    if (!header.getValue().asText().equals(actual)) {
                        problems.add("header " + header.getKey() + " '" + actual + "', recorded '"
                                + header.getValue().asText() + "'");
                    }
                });
                compareBody(fixture, response.body(), bindings, problems);
                if (!problems.isEmpty()) {
                    mismatches.add(file.getFileName() + ": " + problems);
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void testComparisonNoticesADifferentAnswer() {
        // The comparison itself must be able to fail: an extra key, a wrong value, a wrong order.
        Map<String, String> bindings = new HashMap<>(Map.of("run_id_1", "abc"));
        List<String> problems = new ArrayList<>();
        compare(json("{\"runs\": [{\"id\": \"{{run_id_1}}\"}, {\"id\": \"x\"}]}"),
                json("{\"runs\": [{\"id\": \"x\"}, {\"id\": \"abc\"}]}"), "", bindings, problems);
        compare(json("{\"a\": 1}"), json("{\"a\": 1, \"b\": 2}"), "", bindings, problems);
        compare(json("{\"v\": \"NaN\"}"), json("{\"v\": 0.0}"), "", bindings, problems);
        assertThat(problems).hasSize(4);
    }

    static List<Path> fixtures() throws URISyntaxException, IOException {
        Path readme = Path.of(TestTestingMlflowServer.class.getResource("fixtures-2.17.2/README.md").toURI());
        try (Stream<Path> files = Files.list(readme.getParent())) {
            return files.filter(path -> path.getFileName().toString().matches("\\d{3}-.*\\.json"))
                    .sorted()
                    .toList();
        }
    }

    private static HttpRequest request(String base, JsonNode fixture, Map<String, String> bindings) {
        StringBuilder url = new StringBuilder(base).append(substitute(fixture.get("path").asText(), bindings));
        JsonNode query = fixture.get("query");
        if (query != null && query.isObject()) {
            String separator = "?";
            for (Iterator<Map.Entry<String, JsonNode>> fields = query.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                url.append(separator).append(URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(substitute(field.getValue().asText(), bindings), StandardCharsets.UTF_8));
                separator = "&";
            }
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.toString()));
        fixture.get("request_headers").fields().forEachRemaining(header ->
                request.header(header.getKey(), header.getValue().asText()));
        String encoding = fixture.get("request_body_encoding").asText("null");
        HttpRequest.BodyPublisher body;
        switch (encoding) {
            case "json":
                body = HttpRequest.BodyPublishers.ofString(substitute(fixture.get("request_body").toString(), bindings));
                break;
            case "text":
                body = HttpRequest.BodyPublishers.ofString(substitute(fixture.get("request_body").asText(), bindings));
                break;
            case "base64":
                body = HttpRequest.BodyPublishers.ofByteArray(Base64.getDecoder().decode(fixture.get("request_body").asText()));
                break;
            default:
                body = HttpRequest.BodyPublishers.noBody();
        }
        String method = fixture.get("method").asText();
        if (method.equals("GET") && encoding.equals("null")) {
            request.GET();
        } else {
            request.method(method, body);
        }
        return request.build();
    }

    private static String substitute(String text, Map<String, String> bindings) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = bindings.get(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException("placeholder " + matcher.group() + " used before the fake produced it");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return matcher.appendTail(out).toString();
    }

    private static void compareBody(JsonNode fixture, byte[] actual, Map<String, String> bindings,
            List<String> problems) throws IOException {
        String encoding = fixture.get("response_body_encoding").asText();
        JsonNode expected = fixture.get("response_body");
        switch (encoding) {
            case "json":
                JsonNode parsed;
                try {
                    parsed = Json.MAPPER.readTree(actual);
                } catch (IOException e) {
                    problems.add("body is not JSON: " + new String(actual, StandardCharsets.UTF_8));
                    return;
                }
                compare(expected, parsed, "", bindings, problems);
                break;
            case "text":
                String text = new String(actual, StandardCharsets.UTF_8);
                if (!matchText(expected.asText(), text, bindings)) {
                    problems.add("body '" + text + "', recorded '" + expected.asText() + "'");
                }
                break;
            default:
                if (!Base64.getEncoder().encodeToString(actual).equals(expected.asText())) {
                    problems.add("body bytes differ");
                }
        }
    }

    /** Compares JSON values; placeholders in expected strings bind to what the fake answered. */
    static void compare(JsonNode expected, JsonNode actual, String where, Map<String, String> bindings,
            List<String> problems) {
        if (expected.isObject()) {
            if (!actual.isObject()) {
                problems.add(where + ": expected an object, got " + actual);
                return;
            }
            List<String> expectedKeys = new ArrayList<>();
            expected.fieldNames().forEachRemaining(expectedKeys::add);
            List<String> actualKeys = new ArrayList<>();
            actual.fieldNames().forEachRemaining(actualKeys::add);
            if (!new java.util.TreeSet<>(expectedKeys).equals(new java.util.TreeSet<>(actualKeys))) {
                problems.add(where + ": keys " + actualKeys + ", recorded " + expectedKeys);
                return;
            }
            for (String key : expectedKeys) {
                compare(expected.get(key), actual.get(key), where + "." + key, bindings, problems);
            }
        } else if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                problems.add(where + ": " + actual + ", recorded " + expected);
                return;
            }
            boolean unordered = where.matches(".*\\.data\\.(params|tags|metrics)");
            List<JsonNode> expectedItems = items(expected, unordered);
            List<JsonNode> actualItems = items(actual, unordered);
            for (int i = 0; i < expectedItems.size(); i++) {
                compare(expectedItems.get(i), actualItems.get(i), where + "[" + i + "]", bindings, problems);
            }
        } else if (expected.isNumber()) {
            if (!actual.isNumber() || expected.asDouble() != actual.asDouble()) {
                problems.add(where + ": " + actual + ", recorded " + expected);
            }
        } else if (expected.isTextual()) {
            String actualText = actual.isValueNode() ? actual.asText() : actual.toString();
            boolean placeholderOnly = PLACEHOLDER.matcher(expected.asText()).matches();
            if ((!actual.isTextual() && !(placeholderOnly && actual.isNumber()))
                    || !matchText(expected.asText(), actualText, bindings)) {
                problems.add(where + ": " + actual + ", recorded " + expected);
            }
        } else if (!expected.equals(actual)) {
            problems.add(where + ": " + actual + ", recorded " + expected);
        }
    }

    private static List<JsonNode> items(JsonNode array, boolean sortByKey) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        if (sortByKey) {
            items.sort(Comparator.comparing(item -> item.path("key").asText()));
        }
        return items;
    }

    /**
     * Whether {@code actual} is {@code expected} with its placeholders filled in: bound ones must
     * be equal, new ones bind. {@code timestamp} and the {@code unsaved_} ones vary per use.
     */
    private static boolean matchText(String expected, String actual, Map<String, String> bindings) {
        Matcher placeholders = PLACEHOLDER.matcher(expected);
        StringBuilder regex = new StringBuilder("^");
        List<String> groups = new ArrayList<>();
        int last = 0;
        while (placeholders.find()) {
            regex.append(Pattern.quote(expected.substring(last, placeholders.start())));
            String name = placeholders.group(1);
            if (bindings.containsKey(name)) {
                regex.append(Pattern.quote(bindings.get(name)));
            } else if (groups.contains(name)) {
                regex.append("\\k<").append(name.replace("_", "")).append(">");
            } else {
                String body = name.equals("timestamp") ? "\\d+" : name.endsWith("_id_1") && name.startsWith("experiment")
                        ? "\\d+" : name.startsWith("run_id") || name.equals("unsaved_run_id") ? "[0-9a-f]{32}" : ".+?";
                regex.append("(?<").append(name.replace("_", "")).append(">").append(body).append(")");
                groups.add(name);
            }
            last = placeholders.end();
        }
        regex.append(Pattern.quote(expected.substring(last))).append("$");
        Matcher matcher = Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(actual);
        if (!matcher.matches()) {
            return false;
        }
        for (String name : groups) {
            if (!name.equals("timestamp") && !name.startsWith("unsaved_")) {
                bindings.put(name, matcher.group(name.replace("_", "")));
            }
        }
        return true;
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
