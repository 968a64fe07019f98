package org.fadkd.runner.tracking.mlflow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fadkd.engine.util.Json;

/**
 * An in-process MLflow 2.17.2 tracking server with proxied artifacts, on 127.0.0.1, built from the
 * behaviour recorded in {@code shared/fixtures/mlflow-2.17.2} (status codes, error codes and
 * messages, limits, truncation, NaN and infinity handling, ordering, pagination, framework errors).
 * {@code TestTestingMlflowServer} replays every fixture against it and checks that it answers the
 * same.
 *
 * <p>Beyond the fixtures, for the adapter's tests: it can require an {@code Authorization} header
 * (401 otherwise, as MLflow's basic-auth app answers), also as the user info of its URI ({@link
 * #uriWithUserInfo}), go down and come back on the same port with its state, lose the answer of
 * chosen requests after handling them (as a dropped connection does), go mute (accept connections
 * and requests and never answer, as a hung server or proxy does; nothing is handled), and records
 * every request.
 *
 * <p>Thread-safe: requests are handled one at a time (each on a thread of its own, so that muted
 * ones do not stop the server from accepting more).
 */
final class TestingMlflowServer implements AutoCloseable {
    static final String ARTIFACTS_DESTINATION = "/srv/testing-mlflow/artifacts";

    /**
     * MLflow's first, strict parse: a bare NaN or Infinity is not JSON to it, though FAD's mapper
     * reads them. Python's json.loads then accepts them and protobuf parsing stops there
     * ({@link #fieldsBeforeBareLiteral}, which reads with FAD's mapper).
     */
    private static final ObjectReader STRICT = Json.MAPPER.reader().without(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS);
    private static final String API = "/api/2.0/mlflow/";
    private static final String ARTIFACT_API = "/api/2.0/mlflow-artifacts/artifacts";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String POST_ONLY = "OPTIONS, POST";
    private static final String GET_ONLY = "GET, HEAD, OPTIONS";
    private static final Set<String> RUN_STATUSES = Set.of("RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED");
    private static final Pattern KEY_CHARACTERS = Pattern.compile("[A-Za-z0-9_\\-. /:]*");
    private static final double LARGEST = Double.MAX_VALUE;
    private static final String[] ADJECTIVES = {"sedate", "brave", "calm", "eager", "gentle", "vivid"};
    private static final String[] ANIMALS = {"mole", "owl", "lynx", "crab", "finch", "yak"};

    /** One request as it arrived. */
    record Request(String method, String path, String query, String authorization, String body) {}

    /** One metric point as stored. */
    record Point(String key, double value, long timestamp, long step) {}

    private static final class Experiment {
        final String id;
        final String name;
        final long created;

        Experiment(String id, String name, long created) {
            this.id = id;
            this.name = name;
            this.created = created;
        }
    }

    /** One run as stored. */
    static final class Run {
        final String id;
        final String experimentId;
        String name;
        final String userId;
        String status = "RUNNING";
        final long startTime;
        Long endTime;
        final Map<String, String> params = new LinkedHashMap<>();
        final Map<String, String> tags = new LinkedHashMap<>();
        final List<Point> points = new ArrayList<>();

        Run(String id, String experimentId, String name, String userId, long startTime) {
            this.id = id;
            this.experimentId = experimentId;
            this.name = name;
            this.userId = userId;
            this.startTime = startTime;
        }

        String artifactUri() {
            return "mlflow-artifacts:/" + experimentId + "/" + id + "/artifacts";
        }

        List<Point> history(String key) {
            return points.stream().filter(point -> point.key().equals(key)).toList();
        }
    }

    private final Map<String, Experiment> experiments = new LinkedHashMap<>();
    private final Map<String, Run> runs = new LinkedHashMap<>();
    /** Artifacts by {@code <experiment>/<run>/artifacts/<path>}. */
    private final Map<String, byte[]> artifacts = new TreeMap<>();
    private final List<Request> requests = new ArrayList<>();
    private final Random random = new Random(42);
    private int nextExperimentId = 1;
    private String requiredAuthorization;
    private Predicate<Request> loseAnswer = request -> false;
    private boolean mute;
    private int mutedRequests;
    private HttpServer http;
    private ExecutorService handlers;
    private int port;

    /** A tracking endpoint: the methods Flask lists in {@code Allow}, and its handler. */
    private record Endpoint(String allowed, java.util.function.Function<ObjectNode, JsonNode> handler) {}

    /** By path below {@code /api/2.0/mlflow/}. */
    private final Map<String, Endpoint> endpoints = Map.ofEntries(
            Map.entry("experiments/create", new Endpoint(POST_ONLY, this::createExperiment)),
            Map.entry("experiments/get", new Endpoint(GET_ONLY,
                    input -> experimentJson(experiment(required(input, "experiment_id"))))),
            Map.entry("experiments/get-by-name", new Endpoint(GET_ONLY, this::getExperimentByName)),
            Map.entry("runs/create", new Endpoint(POST_ONLY, this::createRun)),
            Map.entry("runs/get", new Endpoint(GET_ONLY,
                    input -> wrap("run", runJson(run(required(input, "run_id")), true)))),
            Map.entry("runs/search", new Endpoint(POST_ONLY, this::searchRuns)),
            Map.entry("runs/update", new Endpoint(POST_ONLY, this::updateRun)),
            Map.entry("runs/log-parameter", new Endpoint(POST_ONLY, this::logParameter)),
            Map.entry("runs/log-metric", new Endpoint(POST_ONLY, this::logMetric)),
            Map.entry("runs/log-batch", new Endpoint(POST_ONLY, this::logBatch)),
            Map.entry("runs/set-tag", new Endpoint(POST_ONLY, this::setTag)),
            Map.entry("runs/delete-tag", new Endpoint(POST_ONLY, this::deleteTag)),
            Map.entry("metrics/get-history", new Endpoint(GET_ONLY, this::metricHistory)),
            Map.entry("artifacts/list", new Endpoint(GET_ONLY, this::listRunArtifacts)));

    private TestingMlflowServer() {
        experiments.put("0", new Experiment("0", "Default", 0));
    }

    /** Starts a fresh server (only the Default experiment "0") on a free port of 127.0.0.1. */
    static TestingMlflowServer start() {
        TestingMlflowServer server = new TestingMlflowServer();
        server.listen(0);
        return server;
    }

    private void listen(int wantedPort) {
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wantedPort), 16);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + wantedPort, e);
        }
        http.createContext("/", this::exchange);
        handlers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "testing-mlflow-server");
            thread.setDaemon(true);
            return thread;
        });
        http.setExecutor(handlers);
        http.start();
        port = http.getAddress().getPort();
    }

    String uri() {
        return "http://127.0.0.1:" + port;
    }

    /** The server's URI with {@code user:password@} in it, as a user may set {@code tracking.uri}. */
    String uriWithUserInfo(String user, String password) {
        return "http://" + user + ":" + password + "@127.0.0.1:" + port;
    }

    /** From now on, answers 401 to requests without Basic authentication as this user. */
    void requireBasicAuthentication(String user, String password) {
        requireAuthorization("Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** Goes down: connections are refused until {@link #restart()}; the stored state stays. */
    synchronized void stop() {
        if (http != null) {
            http.stop(0);
            http = null;
            handlers.shutdownNow();
            notifyAll(); // muted requests give up their connection
        }
    }

    /**
     * Goes mute: connections are still accepted and requests read, but none is handled or
     * answered until {@link #unmute()} (then their connections are closed, unanswered).
     */
    synchronized void mute() {
        mute = true;
    }

    /** Answers again; the requests held while mute are dropped, never handled. */
    synchronized void unmute() {
        mute = false;
        notifyAll();
    }

    /** How many requests arrived while the server was mute. */
    synchronized int mutedRequests() {
        return mutedRequests;
    }

    /** Comes back on the same port with the same state. */
    synchronized void restart() {
        if (http == null) {
            listen(port);
        }
    }

    /** From now on, answers 401 to requests without exactly this {@code Authorization} header. */
    synchronized void requireAuthorization(String header) {
        requiredAuthorization = header;
    }

    /** Handles matching requests but drops the connection instead of answering, as a network failure would. */
    synchronized void loseAnswersTo(Predicate<Request> which) {
        loseAnswer = which;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    synchronized List<Run> runs() {
        return List.copyOf(runs.values());
    }

    synchronized List<Run> runsNamed(String name) {
        return runs.values().stream().filter(run -> run.name.equals(name)).toList();
    }

    synchronized Map<String, byte[]> artifacts() {
        return Map.copyOf(artifacts);
    }

    @Override
    public void close() {
        stop();
    }

    // ---------------------------------------------------------------- HTTP

    private record Answer(int status, String contentType, Map<String, String> headers, byte[] body) {
        static Answer json(int status, JsonNode body) {
            try {
                // Like Flask: successes pretty-printed, errors on one line as Python's json.dumps writes them.
                byte[] bytes = status == 200
                        ? Json.MAPPER.writeValueAsBytes(body)
                        : ("{\"error_code\": " + Json.COMPACT.writeValueAsString(body.path("error_code").asText())
                                + ", \"message\": " + Json.COMPACT.writeValueAsString(body.path("message").asText()) + "}")
                                .getBytes(StandardCharsets.UTF_8);
                return new Answer(status, "application/json", Map.of(), bytes);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static Answer html(int status, String title, String heading, String text, Map<String, String> headers) {
            String page = "<!doctype html>\n<html lang=en>\n<title>" + status + " " + title + "</title>\n<h1>" + heading
                    + "</h1>\n<p>" + text + "</p>\n";
            return new Answer(status, HTML, headers, page.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** An MLflow error: {@code {"error_code", "message"}} with the status its code maps to. */
    private static final class MlflowError extends RuntimeException {
        final int status;
        final String code;

        MlflowError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }

        static MlflowError invalid(String message) {
            return new MlflowError(400, "INVALID_PARAMETER_VALUE", message);
        }

        static MlflowError missing(String message) {
            return new MlflowError(404, "RESOURCE_DOES_NOT_EXIST", message);
        }

        Answer answer() {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("error_code", code);
            body.put("message", getMessage());
            return Answer.json(status, body);
        }
    }

    /** The handler crashed: Flask's HTML 500 page. */
    private static final class Crash extends RuntimeException {}

    private void exchange(HttpExchange exchange) throws IOException {
        Answer answer;
        boolean lose;
        synchronized (this) {
            if (mute) {
                mutedRequests++;
                try {
                    while (mute && http != null) {
                        wait();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            byte[] rawBody = exchange.getRequestBody().readAllBytes();
            String body = new String(rawBody, StandardCharsets.UTF_8);
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Authorization"), body);
            requests.add(request);
            lose = loseAnswer.test(request);
            if (requiredAuthorization != null && !requiredAuthorization.equals(request.authorization())) {
                answer = new Answer(401, "text/plain", Map.of("WWW-Authenticate", "Basic realm=\"mlflow\""),
                        ("You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html"
                                + "#authenticating-to-mlflow on how to authenticate.").getBytes(StandardCharsets.UTF_8));
            } else {
                answer = route(request, exchange.getRequestHeaders().getFirst("Content-Type"), rawBody);
            }
        }
        if (lose) {
            exchange.close(); // the request took effect; its answer never arrives
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
        }
    }

    private Answer route(Request request, String contentType, byte[] rawBody) {
        String path = request.path();
        try {
            if (path.startsWith(ARTIFACT_API)) {
                return artifactRoute(request, rawBody);
            }
            Endpoint handler = path.startsWith(API) ? endpoints.get(path.substring(API.length())) : null;
            if (handler == null) {
                return notFound();
            }
            String endpoint = path.substring(API.length());
            String allowed = handler.allowed();
            boolean post = allowed.equals(POST_ONLY);
            if (!(post ? request.method().equals("POST") : request.method().equals("GET"))) {
                return Answer.html(405, "Method Not Allowed", "Method Not Allowed",
                        "The method is not allowed for the requested URL.", Map.of("Allow", allowed));
            }
            ObjectNode input;
            if (post) {
                checkContentType(contentType);
                input = parseBody(endpoint, request.body());
            } else {
                input = queryObject(request.query());
            }
            return Answer.json(200, handler.handler().apply(input));
        } catch (MlflowError e) {
            return e.answer();
        } catch (Crash e) {
            return Answer.html(500, "Internal Server Error", "Internal Server Error",
                    "The server encountered an internal error and was unable to complete your request. Either the"
                            + " server is overloaded or there is an error in the application.", Map.of());
        }
    }

    private static Answer notFound() {
        return Answer.html(404, "Not Found", "Not Found", "The requested URL was not found on the server. If you"
                + " entered the URL manually please check your spelling and try again.", Map.of());
    }

    private static void checkContentType(String contentType) {
        if (contentType == null) {
            throw MlflowError.invalid("Bad Request. Content-Type header is missing.");
        }
        String mime = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!mime.equals("application/json")) {
            throw MlflowError.invalid("Bad Request. Content-Type must be one of ['application/json'].");
        }
    }

    /**
     * The body as MLflow reads it: malformed JSON counts as an empty body (log-batch crashes on
     * it), and a bare NaN or Infinity ends parsing at that field, leaving the rest unset.
     */
    private static ObjectNode parseBody(String endpoint, String body) {
        try {
            JsonNode node = STRICT.readTree(body);
            return node instanceof ObjectNode object ? object : Json.MAPPER.createObjectNode();
        } catch (IOException strictFailure) {
            ObjectNode truncated = fieldsBeforeBareLiteral(body);
            if (truncated != null) {
                return truncated;
            }
            if (endpoint.equals("runs/log-batch")) {
                throw new Crash();
            }
            return Json.MAPPER.createObjectNode();
        }
    }

    private static ObjectNode fieldsBeforeBareLiteral(String body) {
        ObjectNode fields = Json.MAPPER.createObjectNode();
        try (JsonParser parser = Json.MAPPER.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            boolean bare = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (parser.currentToken() == JsonToken.VALUE_NUMBER_FLOAT && parser.isNaN()) {
                    bare = true;
                    fields.put("__bare_literal__", name);
                    break;
                }
                fields.set(name, Json.MAPPER.readTree(parser));
            }
            return bare ? fields : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static ObjectNode queryObject(String rawQuery) {
        ObjectNode query = Json.MAPPER.createObjectNode();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            query.put(name, value);
        }
        return query;
    }

    // ---------------------------------------------------------------- tracking API

    private static String required(JsonNode input, String field) {
        return required(input, field, field);
    }

    private static String required(JsonNode input, String field, String name) {
        JsonNode value = input.get(field);
        if (value == null || value.isNull() || (value.isTextual() && value.asText().isEmpty() && !field.equals("value"))) {
            throw MlflowError.invalid("Missing value for required parameter '" + name
                    + "'. See the API docs for more information about request parameters.");
        }
        return value.asText();
    }

    /** An int64 field: a JSON number, or a numeric string as protobuf's JSON format writes it. */
    private static long int64(JsonNode input, String field, long absent) {
        JsonNode value = input.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        return value.isNumber() ? value.asLong() : Long.parseLong(value.asText());
    }

    private static ObjectNode wrap(String name, JsonNode value) {
        ObjectNode wrapper = Json.MAPPER.createObjectNode();
        wrapper.set(name, value);
        return wrapper;
    }

    private JsonNode createExperiment(ObjectNode input) {
        String name = required(input, "name");
        long now = System.currentTimeMillis();
        if (experiments.values().stream().anyMatch(experiment -> experiment.name.equals(name))) {
            throw new MlflowError(400, "RESOURCE_ALREADY_EXISTS", "Experiment(name=" + name + ") already exists."
                    + " Error: (raised as a result of Query-invoked autoflush; consider using a session.no_autoflush"
                    + " block if this flush is occurring prematurely)\n(sqlite3.IntegrityError) UNIQUE constraint"
                    + " failed: experiments.name\n[SQL: INSERT INTO experiments (name, artifact_location,"
                    + " lifecycle_stage, creation_time, last_update_time) VALUES (?, ?, ?, ?, ?)]\n[parameters: ('"
                    + name + "', '', 'active', " + now + ", " + now + ")]\n(Background on this error at:"
                    + " https://sqlalche.me/e/14/gkpj)");
        }
        String id = Integer.toString(nextExperimentId++);
        experiments.put(id, new Experiment(id, name, now));
        return Json.MAPPER.createObjectNode().put("experiment_id", id);
    }

    private JsonNode getExperimentByName(ObjectNode input) {
        String name = required(input, "experiment_name");
        return experiments.values().stream()
                .filter(experiment -> experiment.name.equals(name))
                .findFirst()
                .map(this::experimentJson)
                .orElseThrow(() -> MlflowError.missing("Could not find experiment with name '" + name + "'"));
    }

    private Experiment experiment(String id) {
        Experiment experiment = experiments.get(id);
        if (experiment == null) {
            throw MlflowError.missing("No Experiment with id=" + id + " exists");
        }
        return experiment;
    }

    private JsonNode experimentJson(Experiment experiment) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("experiment_id", experiment.id);
        node.put("name", experiment.name);
        node.put("artifact_location", "mlflow-artifacts:/" + experiment.id);
        node.put("lifecycle_stage", "active");
        node.put("last_update_time", experiment.created);
        node.put("creation_time", experiment.created);
        return wrap("experiment", node);
    }

    private JsonNode createRun(ObjectNode input) {
        Map<String, String> tags = new LinkedHashMap<>();
        input.path("tags").forEach(tag -> tags.put(tag.path("key").asText(), tag.path("value").asText()));
        String runName = input.hasNonNull("run_name") ? input.get("run_name").asText() : null;
        String tagName = tags.get("mlflow.runName");
        if (runName != null && tagName != null && !runName.equals(tagName)) {
            throw MlflowError.invalid("Both 'run_name' argument and 'mlflow.runName' tag are specified, but with"
                    + " different values (run_name='" + runName + "', mlflow.runName='" + tagName + "').");
        }
        long startTime = int64(input, "start_time", 0);
        String id = UUID.randomUUID().toString().replace("-", "");
        String name = runName != null ? runName : tagName != null ? tagName : generatedName();
        if (!input.hasNonNull("experiment_id")) {
            throw new MlflowError(400, "BAD_REQUEST", "(sqlite3.IntegrityError) FOREIGN KEY constraint failed\n[SQL:"
                    + " INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status,"
                    + " start_time, end_time, deleted_time, source_version, lifecycle_stage, artifact_uri,"
                    + " experiment_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)]\n[parameters: ('" + id
                    + "', '" + name + "', 'UNKNOWN', '', '', '', 'RUNNING', " + startTime + ", None, None, '',"
                    + " 'active', 'mlflow-artifacts:/0/" + id + "/artifacts', '')]\n(Background on this error at:"
                    + " https://sqlalche.me/e/14/gkpj)");
        }
        String experimentId = input.get("experiment_id").asText();
        experiment(experimentId);
        Run run = new Run(id, experimentId, name, input.path("user_id").asText(""), startTime);
        run.tags.putAll(tags);
        run.tags.putIfAbsent("mlflow.runName", name);
        runs.put(id, run);
        ObjectNode created = runJson(run, false);
        return wrap("run", created);
    }

    private String generatedName() {
        return ADJECTIVES[random.nextInt(ADJECTIVES.length)] + "-" + ANIMALS[random.nextInt(ANIMALS.length)] + "-"
                + random.nextInt(1000);
    }

    private Run run(String id) {
        Run run = runs.get(id);
        if (run == null) {
            throw MlflowError.missing("Run with id=" + id + " not found");
        }
        return run;
    }

    private static ObjectNode runInfo(Run run) {
        ObjectNode info = Json.MAPPER.createObjectNode();
        info.put("run_uuid", run.id);
        info.put("experiment_id", run.experimentId);
        info.put("run_name", run.name);
        info.put("user_id", run.userId);
        info.put("status", run.status);
        info.put("start_time", run.startTime);
        if (run.endTime != null) {
            info.put("end_time", run.endTime);
        }
        info.put("artifact_uri", run.artifactUri());
        info.put("lifecycle_stage", "active");
        info.put("run_id", run.id);
        return info;
    }

    /** A run as runs/get and runs/search show it; runs/create leaves out {@code inputs}. */
    private static ObjectNode runJson(Run run, boolean withInputs) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.set("info", runInfo(run));
        ObjectNode data = node.putObject("data");
        Map<String, Point> latest = new LinkedHashMap<>();
        for (Point point : run.points) {
            latest.merge(point.key(), point, (a, b) -> LATEST.compare(a, b) >= 0 ? a : b);
        }
        if (!latest.isEmpty()) {
            ArrayNode metrics = data.putArray("metrics");
            latest.values().forEach(point -> metrics.add(pointJson(point)));
        }
        if (!run.params.isEmpty()) {
            data.set("params", entries(run.params));
        }
        if (!run.tags.isEmpty()) {
            data.set("tags", entries(run.tags));
        }
        if (withInputs) {
            node.putObject("inputs");
        }
        return node;
    }

    /** "Latest" is the maximum by step, then timestamp, then value. */
    private static final Comparator<Point> LATEST = Comparator.comparingLong(Point::step)
            .thenComparingLong(Point::timestamp)
            .thenComparingDouble(Point::value);

    private static ArrayNode entries(Map<String, String> entries) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        entries.forEach((key, value) -> list.addObject().put("key", key).put("value", value));
        return list;
    }

    private static ObjectNode pointJson(Point point) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("key", point.key());
        if (Double.isNaN(point.value())) {
            node.put("value", "NaN");
        } else {
            node.put("value", point.value());
        }
        node.put("timestamp", point.timestamp());
        node.put("step", point.step());
        return node;
    }

    private JsonNode updateRun(ObjectNode input) {
        Run run = run(required(input, "run_id"));
        String status = input.path("status").asText("");
        if (RUN_STATUSES.contains(status)) {
            run.status = status;
            if (input.hasNonNull("end_time")) {
                run.endTime = int64(input, "end_time", 0);
            }
        }
        return wrap("run_info", runInfo(run));
    }

    private JsonNode logParameter(ObjectNode input) {
        String runId = required(input, "run_id");
        String key = required(input, "key");
        String value = required(input, "value");
        validateKey(key, "key");
        Run run = run(runId);
        String stored = truncate(value, 6000);
        String old = run.params.get(key);
        if (old != null && !old.equals(stored)) {
            throw MlflowError.invalid("Changing param values is not allowed. Param with key='" + key + "' was already"
                    + " logged with value='" + old + "' for run ID='" + runId + "'. Attempted logging new value '"
                    + stored + "'.");
        }
        run.params.put(key, stored);
        return Json.MAPPER.createObjectNode();
    }

    private JsonNode logMetric(ObjectNode input) {
        if (input.has("__bare_literal__")) {
            // What the real server stores for {"value": NaN, ...}: the fields before it, zeros for the rest.
            run(input.path("run_id").asText()).points.add(new Point(input.path("key").asText(), 0.0, 0, 0));
            return Json.MAPPER.createObjectNode();
        }
        String runId = required(input, "run_id");
        String key = required(input, "key");
        required(input, "value");
        double value = metricValue(input.get("value"), "value");
        long timestamp = Long.parseLong(required(input, "timestamp"));
        validateKey(key, "name");
        run(runId).points.add(new Point(key, clamp(value), timestamp, int64(input, "step", 0)));
        return Json.MAPPER.createObjectNode();
    }

    private static double metricValue(JsonNode value, String name) {
        if (value.isNumber()) {
            return value.asDouble();
        }
        switch (value.asText()) {
            case "NaN":
                return Double.NaN;
            case "Infinity":
                return Double.POSITIVE_INFINITY;
            case "-Infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                throw MlflowError.invalid("Invalid value \"" + value.asText() + "\" for parameter '" + name
                        + "' supplied:  Hint: Value was of type 'str'. See the API docs for more information about"
                        + " request parameters.");
        }
    }

    private static double clamp(double value) {
        return Double.isNaN(value) ? value : Math.max(-LARGEST, Math.min(LARGEST, value));
    }

    private JsonNode logBatch(ObjectNode input) {
        JsonNode metrics = input.path("metrics");
        JsonNode params = input.path("params");
        JsonNode tags = input.path("tags");
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < metrics.size(); i++) {
            JsonNode metric = metrics.get(i);
            String name = "metrics[" + i + "]";
            String key = required(metric, "key", name + ".key");
            required(metric, "value", name + ".value");
            double value = metricValue(metric.get("value"), name + ".value");
            long timestamp = Long.parseLong(required(metric, "timestamp", name + ".timestamp"));
            validateKey(key, name + ".key");
            points.add(new Point(key, clamp(value), timestamp, int64(metric, "step", 0)));
        }
        Map<String, String> newParams = new LinkedHashMap<>();
        Set<String> duplicates = new LinkedHashSet<>();
        for (int i = 0; i < params.size(); i++) {
            JsonNode param = params.get(i);
            String key = required(param, "key", "params[" + i + "].key");
            String value = required(param, "value", "params[" + i + "].value");
            validateKey(key, "params[" + i + "].key");
            if (key.length() > 250) {
                throw MlflowError.invalid("Param key '" + key.substring(0, 250) + "' had length " + key.length()
                        + ", which exceeded length limit of 250");
            }
            if (newParams.put(key, truncate(value, 6000)) != null) {
                duplicates.add(key);
            }
        }
        Map<String, String> newTags = new LinkedHashMap<>();
        for (int i = 0; i < tags.size(); i++) {
            JsonNode tag = tags.get(i);
            String key = required(tag, "key", "tags[" + i + "].key");
            String value = required(tag, "value", "tags[" + i + "].value");
            validateKey(key, "tags[" + i + "].key");
            newTags.put(key, truncate(value, 8000));
        }
        limit(metrics.size(), 1000, "metrics");
        limit(params.size(), 100, "params");
        limit(tags.size(), 100, "tags");
        limit(metrics.size() + params.size() + tags.size(), 1000, "metrics, params, and tags");
        if (!duplicates.isEmpty()) {
            throw MlflowError.invalid("Duplicate parameter keys have been submitted: ['" + String.join("', '", duplicates)
                    + "']. Please ensure the request contains only one param value per param key.");
        }
        String runId = required(input, "run_id");
        Run run = run(runId);
        List<String> changed = new ArrayList<>();
        newParams.forEach((key, value) -> {
            String old = run.params.get(key);
            if (old != null && !old.equals(value)) {
                changed.add("{'key': '" + key + "', 'old_value': '" + old + "', 'new_value': '" + value + "'}");
            }
        });
        if (!changed.isEmpty()) {
            throw MlflowError.invalid("Changing param values is not allowed. Params were already logged='["
                    + String.join(", ", changed) + "]' for run ID='" + runId + "'.");
        }
        run.params.putAll(newParams);
        run.points.addAll(points);
        newTags.forEach((key, value) -> setTag(run, key, value));
        return Json.MAPPER.createObjectNode();
    }

    private static void limit(int count, int limit, String what) {
        if (count > limit) {
            throw MlflowError.invalid("A batch logging request can contain at most " + limit + " " + what + ". Got "
                    + count + " " + what + ". Please split up " + what + " across multiple requests and try again.");
        }
    }

    private static String truncate(String value, int limit) {
        return value.length() > limit ? value.substring(0, limit) : value;
    }

    private static void setTag(Run run, String key, String value) {
        run.tags.put(key, value);
        if (key.equals("mlflow.runName")) {
            run.name = value;
        }
    }

    /** MLflow's name rules: its characters, and a path that resolves to itself. */
    static void validateKey(String key, String name) {
        if (!KEY_CHARACTERS.matcher(key).matches()) {
            throw MlflowError.invalid("Invalid value \"" + key + "\" for parameter '" + name + "' supplied: Names may"
                    + " only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and"
                    + " slashes (/).");
        }
        String normalized = normalize(key);
        if (!normalized.equals(key) || key.equals(".") || key.equals("..") || key.startsWith("/")) {
            throw MlflowError.invalid("Invalid value \"" + key + "\" for parameter '" + name + "' supplied: Names may"
                    + " be treated as files in certain cases, and must not resolve to other names when treated as"
                    + " such. This name would resolve to '" + normalized + "'");
        }
    }

    /** Python's posixpath.normpath, which MLflow compares keys with. */
    private static String normalize(String path) {
        boolean absolute = path.startsWith("/");
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") && !parts.isEmpty() && !parts.get(parts.size() - 1).equals("..")) {
                parts.remove(parts.size() - 1);
            } else if (!(part.equals("..") && absolute)) {
                parts.add(part);
            }
        }
        String joined = String.join("/", parts);
        return absolute ? "/" + joined : joined.isEmpty() ? "." : joined;
    }

    private JsonNode setTag(ObjectNode input) {
        String runId = required(input, "run_id");
        String key = required(input, "key");
        String value = required(input, "value");
        validateKey(key, "key");
        setTag(run(runId), key, truncate(value, 8000));
        return Json.MAPPER.createObjectNode();
    }

    private JsonNode deleteTag(ObjectNode input) {
        String runId = required(input, "run_id");
        String key = required(input, "key");
        Run run = run(runId);
        if (run.tags.remove(key) == null) {
            throw MlflowError.missing("No tag with name: " + key + " in run with id " + runId);
        }
        return Json.MAPPER.createObjectNode();
    }

    private JsonNode metricHistory(ObjectNode input) {
        String runId = required(input, "run_id");
        String key = required(input, "metric_key");
        Run run = runs.get(runId);
        ObjectNode answer = Json.MAPPER.createObjectNode();
        if (run == null) {
            return answer;
        }
        List<Point> history = new ArrayList<>(run.history(key));
        history.sort(Comparator.comparingLong(Point::timestamp).thenComparingLong(Point::step)
                .thenComparingDouble(Point::value));
        if (!history.isEmpty()) {
            ArrayNode metrics = answer.putArray("metrics");
            history.forEach(point -> metrics.add(pointJson(point)));
        }
        return answer;
    }

    // ---------------------------------------------------------------- runs/search

    private static final Pattern CLAUSE = Pattern.compile(
            "\\s*(\\w+)\\.(`[^`]+`|[\\w./:-]+)\\s*(!=|<=|>=|=|<|>)\\s*(.+?)\\s*");
    private static final Pattern ORDER = Pattern.compile("(?i)\\s*(metrics|params|tags|attributes)\\.(\\S+?)(\\s+(ASC|DESC))?\\s*");

    private record Clause(String entity, String key, String operator, String value) {}

    private JsonNode searchRuns(ObjectNode input) {
        int maxResults = (int) int64(input, "max_results", 1000);
        if (maxResults > 50000) {
            throw MlflowError.invalid("Invalid value " + maxResults + " for parameter 'max_results' supplied:  Hint:"
                    + " Value was of type 'int'. See the API docs for more information about request parameters.");
        }
        List<Clause> clauses = parseFilter(input.path("filter").asText(""));
        List<String> orderBy = new ArrayList<>();
        input.path("order_by").forEach(order -> orderBy.add(order.asText()));
        Comparator<Run> order = ordering(orderBy);
        Set<String> experimentIds = new LinkedHashSet<>();
        input.path("experiment_ids").forEach(id -> experimentIds.add(id.asText()));
        List<Run> matches = runs.values().stream()
                .filter(run -> experimentIds.contains(run.experimentId))
                .filter(run -> clauses.stream().allMatch(clause -> matches(run, clause)))
                .sorted(order)
                .toList();
        int offset = 0;
        if (input.hasNonNull("page_token")) {
            try {
                offset = Json.MAPPER.readTree(Base64.getDecoder().decode(input.get("page_token").asText())).path("offset").asInt();
            } catch (IOException e) {
                throw MlflowError.invalid("Invalid page token");
            }
        }
        List<Run> page = matches.subList(Math.min(offset, matches.size()), Math.min(offset + maxResults, matches.size()));
        ObjectNode answer = Json.MAPPER.createObjectNode();
        if (!page.isEmpty()) {
            ArrayNode list = answer.putArray("runs");
            page.forEach(run -> list.add(runJson(run, true)));
        }
        if (page.size() == maxResults) {
            String token = "{\"offset\": " + (offset + maxResults) + "}";
            answer.put("next_page_token", Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
        }
        return answer;
    }

    private static List<Clause> parseFilter(String filter) {
        List<Clause> clauses = new ArrayList<>();
        if (filter.isBlank()) {
            return clauses;
        }
        for (String text : filter.split("(?i)\\s+and\\s+")) {
            Matcher matcher = CLAUSE.matcher(text);
            if (!matcher.matches()) {
                throw MlflowError.invalid("Invalid filter '" + filter + "'");
            }
            String entity = matcher.group(1).toLowerCase(Locale.ROOT).replaceFirst("s$", "");
            String key = matcher.group(2).replace("`", "");
            String value = matcher.group(4);
            boolean quoted = value.length() >= 2 && (value.startsWith("'") && value.endsWith("'")
                    || value.startsWith("\"") && value.endsWith("\""));
            if (quoted) {
                value = value.substring(1, value.length() - 1);
            } else if (!entity.equals("metric")) {
                throw MlflowError.invalid("Parameter value is either not quoted or unidentified quote types used for"
                        + " string value " + value + ". Use either single or double quotes.");
            }
            clauses.add(new Clause(entity, key, matcher.group(3), value));
        }
        return clauses;
    }

    private static boolean matches(Run run, Clause clause) {
        switch (clause.entity()) {
            case "param":
                return compareText(run.params.get(clause.key()), clause);
            case "tag":
                return compareText(run.tags.get(clause.key()), clause);
            case "attribute":
                return compareText(attribute(run, clause.key()), clause);
            case "metric":
                Point latest = latest(run, clause.key());
                if (latest == null) {
                    return false;
                }
                int compared = Double.compare(latest.value(), Double.parseDouble(clause.value()));
                return compare(compared, clause.operator());
            default:
                throw MlflowError.invalid("Invalid entity type '" + clause.entity() + "'");
        }
    }

    private static String attribute(Run run, String key) {
        switch (key) {
            case "run_name":
                return run.name;
            case "status":
                return run.status;
            case "run_id":
                return run.id;
            case "user_id":
                return run.userId;
            default:
                throw MlflowError.invalid("Invalid attribute key '" + key + "' specified.");
        }
    }

    private static boolean compareText(String actual, Clause clause) {
        return actual != null && compare(actual.compareTo(clause.value()), clause.operator());
    }

    private static boolean compare(int compared, String operator) {
        switch (operator) {
            case "=":
                return compared == 0;
            case "!=":
                return compared != 0;
            case "<":
                return compared < 0;
            case "<=":
                return compared <= 0;
            case ">":
                return compared > 0;
            default:
                return compared >= 0;
        }
    }

    private static Point latest(Run run, String key) {
        return run.history(key).stream().max(LATEST).orElse(null);
    }

    /**
     * The sort of runs/search: each order_by clause in turn (for metrics: numbers, then NaN, then
     * runs without the metric, whichever the direction), then start_time DESC, then run_id.
     */
    private static Comparator<Run> ordering(List<String> orderBy) {
        Comparator<Run> order = (a, b) -> 0;
        for (String clause : orderBy) {
            Matcher matcher = ORDER.matcher(clause);
            if (!matcher.matches()) {
                throw MlflowError.invalid("Invalid ordering key in order_by clause '" + clause + "'.");
            }
            String entity = matcher.group(1).toLowerCase(Locale.ROOT);
            String key = matcher.group(2);
            boolean descending = "DESC".equalsIgnoreCase(matcher.group(4));
            if (entity.equals("metrics")) {
                order = order.thenComparing((a, b) -> compareMetric(latest(a, key), latest(b, key), descending));
            } else if (entity.equals("attributes") && (key.equals("start_time") || key.equals("end_time"))) {
                Comparator<Run> byTime = Comparator.comparingLong(run ->
                        key.equals("start_time") ? run.startTime : run.endTime == null ? 0 : run.endTime);
                order = order.thenComparing(descending ? byTime.reversed() : byTime);
            } else {
                Comparator<Run> byText = Comparator.comparing(run -> String.valueOf(entity.equals("params")
                        ? run.params.get(key) : entity.equals("tags") ? run.tags.get(key) : attribute(run, key)));
                order = order.thenComparing(descending ? byText.reversed() : byText);
            }
        }
        return order.thenComparing(Comparator.comparingLong((Run run) -> run.startTime).reversed())
                .thenComparing(run -> run.id);
    }

    private static int compareMetric(Point a, Point b, boolean descending) {
        int rankA = a == null ? 2 : Double.isNaN(a.value()) ? 1 : 0;
        int rankB = b == null ? 2 : Double.isNaN(b.value()) ? 1 : 0;
        if (rankA != rankB || rankA != 0) {
            return Integer.compare(rankA, rankB);
        }
        int compared = Double.compare(a.value(), b.value());
        return descending ? -compared : compared;
    }

    // ---------------------------------------------------------------- artifacts

    private Answer artifactRoute(Request request, byte[] body) {
        String rest = request.path().substring(ARTIFACT_API.length());
        try {
            if (rest.isEmpty()) {
                if (!request.method().equals("GET")) {
                    return Answer.html(405, "Method Not Allowed", "Method Not Allowed",
                            "The method is not allowed for the requested URL.", Map.of("Allow", GET_ONLY));
                }
                return Answer.json(200, listArtifacts(queryObject(request.query()).path("path").asText("")));
            }
            String path = URLDecoder.decode(rest.substring(1), StandardCharsets.UTF_8);
            if (path.contains("#") || path.contains("\\") || path.startsWith("/")
                    || List.of(path.split("/")).contains("..")) {
                throw MlflowError.invalid("Invalid path");
            }
            switch (request.method()) {
                case "PUT":
                    artifacts.put(path, body);
                    return Answer.json(200, Json.MAPPER.createObjectNode());
                case "GET":
                    return download(path);
                default:
                    return Answer.html(405, "Method Not Allowed", "Method Not Allowed",
                            "The method is not allowed for the requested URL.", Map.of("Allow", "GET, HEAD, OPTIONS, PUT"));
            }
        } catch (MlflowError e) {
            return e.answer();
        }
    }

    private Answer download(String path) {
        byte[] bytes = artifacts.get(path);
        if (bytes == null) {
            throw new MlflowError(500, "INTERNAL_ERROR", "The following failures occurred while downloading one or more"
                    + " artifacts from " + ARTIFACTS_DESTINATION + ":\n##### File " + path + " #####\n[Errno 2] No such"
                    + " file or directory: '" + ARTIFACTS_DESTINATION + "/" + path + "'");
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        String type = name.endsWith(".txt") ? "text/plain" : "application/octet-stream";
        return new Answer(200, type, Map.of("Content-Disposition", "attachment; filename=" + name,
                "X-Content-Type-Options", "nosniff"), bytes);
    }

    /** Entries directly below {@code directory}: name, whether a directory, and a file's size. */
    private ArrayNode children(String directory, String pathPrefix) {
        Map<String, Integer> files = new TreeMap<>();
        Set<String> directories = new LinkedHashSet<>();
        String prefix = directory + "/";
        artifacts.forEach((path, bytes) -> {
            if (path.startsWith(prefix)) {
                String rest = path.substring(prefix.length());
                int slash = rest.indexOf('/');
                if (slash < 0) {
                    files.put(rest, bytes.length);
                } else {
                    directories.add(rest.substring(0, slash));
                }
            }
        });
        List<String> names = new ArrayList<>(files.keySet());
        names.addAll(directories);
        Collections.sort(names);
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (String name : names) {
            ObjectNode entry = list.addObject();
            entry.put("path", pathPrefix + name);
            entry.put("is_dir", !files.containsKey(name));
            if (files.containsKey(name)) {
                entry.put("file_size", files.get(name));
            }
        }
        return list;
    }

    private JsonNode listArtifacts(String directory) {
        ArrayNode files = children(directory.replaceAll("/+$", ""), "");
        ObjectNode answer = Json.MAPPER.createObjectNode();
        if (!files.isEmpty()) {
            answer.set("files", files);
        }
        return answer;
    }

    private JsonNode listRunArtifacts(ObjectNode input) {
        Run run = run(required(input, "run_id"));
        String sub = input.path("path").asText("");
        String root = run.experimentId + "/" + run.id + "/artifacts";
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("root_uri", run.artifactUri());
        ArrayNode files = children(sub.isEmpty() ? root : root + "/" + sub, sub.isEmpty() ? "" : sub + "/");
        if (!files.isEmpty()) {
            answer.set("files", files);
        }
        return answer;
    }
}
