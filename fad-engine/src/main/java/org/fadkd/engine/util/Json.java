package org.fadkd.engine.util;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one JSON mapper of FAD: every JSON file and message the engine, the runner and the
 * benchmarks write or read goes through it (Jackson; nothing else), so that all of them share one
 * layout and one set of rules.
 *
 * <p>{@link #MAPPER}'s configuration, fixed:
 *
 * <ul>
 *   <li>Indented output: two spaces per level, {@code "key": value}, one array element per line,
 *       {@code []} and {@code {}} when empty. This is the layout Gson's pretty printer and Python's
 *       {@code json.dumps(indent=2)} write, so checkpoints and {@code model.json} written before
 *       FAD used Jackson look the same when written again.
 *   <li>Records and beans map to snake_case keys ({@code wall_time_s}), the convention of {@code
 *       summary.json} and MLflow, unless {@code @JsonProperty} names the key; a null property is
 *       left out. Map keys and values are written as they are, nulls included.
 *   <li>Numbers: doubles in their shortest round-tripping form ({@link Double#toString}), so a
 *       value reads back exactly. NaN and infinities are written as the strings {@code "NaN"},
 *       {@code "Infinity"} and {@code "-Infinity"} (standard JSON has no such numbers) and read as
 *       numbers where a number is expected; {@link #NON_FINITE_AS_NUMBERS} writes them bare
 *       instead. Bare {@code NaN}, {@code Infinity} and {@code -Infinity} tokens are read (Gson's
 *       checkpoints and Python's {@code json} write them).
 *   <li>Keys a record or bean does not know are ignored, so a file written by a later FAD reads.
 * </ul>
 *
 * <p>Thread-safe. Never reconfigure it; a caller that needs a variant takes a writer or reader of
 * it ({@code MAPPER.writer().without(...)}), as {@link #COMPACT} and {@link #NON_FINITE_AS_NUMBERS}
 * do.
 */
public final class Json {
    /** The shared mapper; see the class documentation for its configuration. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .defaultPrettyPrinter(prettyPrinter())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            // null properties left out, null map values kept
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /** {@link #MAPPER}'s writer on one line: for JSON lines ({@code tracking.jsonl}) and request bodies. */
    public static final ObjectWriter COMPACT = MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    /**
     * {@link #MAPPER}'s writer with NaN and infinities as bare tokens ({@code NaN}, {@code
     * Infinity}, {@code -Infinity}), for files that only FAD reads back and where a number must
     * come back as a number, whatever its value: checkpoints. Not standard JSON, though Python's
     * {@code json} module reads it.
     */
    public static final ObjectWriter NON_FINITE_AS_NUMBERS =
            MAPPER.writer().without(JsonWriteFeature.WRITE_NAN_AS_STRINGS);

    private Json() {}

    /**
     * Reads a file into a type.
     *
     * @throws UncheckedIOException naming the file when it cannot be read or does not bind
     */
    public static <T> T read(Path file, Class<T> type) {
        try {
            return MAPPER.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + type.getSimpleName() + " from " + file, e);
        }
    }

    /**
     * Parses a text into a type.
     *
     * @throws UncheckedIOException quoting the text when it does not parse or bind
     */
    public static <T> T parse(String text, Class<T> type) {
        try {
            return MAPPER.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + type.getSimpleName() + " from '" + text + "'", e);
        }
    }

    /**
     * Writes a value to a file with {@link #MAPPER}, creating its directory.
     *
     * @throws UncheckedIOException naming the file when it cannot be written
     */
    public static void write(Path file, Object value) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            MAPPER.writeValue(file.toFile(), value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators);
        printer.indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        printer.indentObjectsWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        return printer;
    }
}
