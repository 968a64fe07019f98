package org.fadkd.runner.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.engine.component.ConfigPaths;
import org.fadkd.runner.config.ConfigOverride.Absent;
import org.fadkd.runner.config.ConfigOverride.Glob;
import org.fadkd.runner.config.ConfigOverride.Prefix;
import org.fadkd.runner.config.ConfigOverride.Single;
import org.fadkd.runner.config.ConfigOverride.Sweep;
import org.fadkd.runner.config.ConfigOverride.Value;

/**
 * Parses one command-line override in Hydra's grammar:
 *
 * <pre>
 *   override := ['+' | '++' | '~'] key ['=' value]        ('=' required except after '~')
 *   key      := a config path (trainer.epochs), a group (method) or group@package (model@teacher)
 *   value    := ''                                        the empty string
 *             | element (',' element)+                    a sweep (--multirun only)
 *             | range(start, stop[, step])                ints or floats, stop exclusive (sweep)
 *             | choice(element, ...)                      a sweep
 *             | glob(pattern[, exclude=pattern])          a sweep over a group's options
 *             | element
 *   element  := 'text' | "text"                           a string (may hold , [ ] { } =)
 *             | [element, ...]                            a list, replaces the current one
 *             | {key: element, ...}                       an object, merged into the current one
 *             | int | float | true | false | null | ${path} | text
 * </pre>
 *
 * <p>A backslash escapes the next character in unquoted text ({@code a\,b} is the string {@code
 * a,b}). Unquoted text that is not a number, boolean, null or substitution is a string, so paths and
 * names need no quotes. Stateless and thread-safe.
 */
public final class OverrideParser {
    private static final String FORMS =
            "Allowed forms: key=value, key= (empty string), +key=value, ++key=value, ~key,"
                    + " ~key=value, group=option, +group=option, ~group; values may be 'quoted',"
                    + " [lists], {objects}, or with --multirun a,b, range(start,stop[,step]),"
                    + " choice(a,b), glob(pattern, exclude=pattern).";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[A-Za-z][A-Za-z0-9_-]*\\}");
    private static final Pattern INT = Pattern.compile("[+-]?\\d+");
    private static final Pattern FLOAT =
            Pattern.compile("[+-]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][+-]?\\d+)?|[+-]?(inf|nan)",
                    Pattern.CASE_INSENSITIVE);
    private static final Pattern FUNCTION = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\((.*)\\)", Pattern.DOTALL);

    private OverrideParser() {}

    /**
     * Parses an override.
     *
     * @param raw the override as written on the command line, never null
     * @return the parsed override, never null
     * @throws FadException CONFIG_INVALID naming the override, what is wrong and the allowed forms
     */
    public static ConfigOverride parse(String raw) {
        requireNonNull(raw, "override is null");
        Prefix prefix = Prefix.SET;
        String rest = raw.strip();
        if (rest.startsWith("++")) {
            prefix = Prefix.FORCE_ADD;
            rest = rest.substring(2);
        } else if (rest.startsWith("+")) {
            prefix = Prefix.ADD;
            rest = rest.substring(1);
        } else if (rest.startsWith("~")) {
            prefix = Prefix.DELETE;
            rest = rest.substring(1);
        }
        int equals = rest.indexOf('=');
        String key = (equals < 0 ? rest : rest.substring(0, equals)).strip();
        if (key.isEmpty()) {
            throw malformed(raw, "it has no key");
        }
        if (equals < 0 && prefix != Prefix.DELETE) {
            throw malformed(raw, "expected key=value, e.g. trainer.epochs=5");
        }
        checkKey(raw, key);
        if (equals < 0) {
            return new ConfigOverride(raw, prefix, key, new Absent());
        }
        Value value = parseValue(raw, rest.substring(equals + 1).strip());
        if (prefix == Prefix.DELETE && !(value instanceof Single)) {
            throw malformed(raw, "'~' deletes one key; its value, if given, must be a single value");
        }
        return new ConfigOverride(raw, prefix, key, value);
    }

    private static void checkKey(String raw, String key) {
        int at = key.indexOf('@');
        String path = at < 0 ? key : key.substring(0, at);
        String packageName = at < 0 ? null : key.substring(at + 1);
        if (!ConfigPaths.isPath(path) || (packageName != null && (packageName.isEmpty() || !ConfigPaths.isPath(packageName)))) {
            throw malformed(raw, "'" + key + "' is not a config path; write dotted keys such as"
                    + " method.temperature, or group@package such as model@teacher, quoting segments"
                    + " that contain special characters");
        }
    }

    private static Value parseValue(String raw, String text) {
        if (text.isEmpty()) {
            return new Single(ConfigValueFactory.fromAnyRef("", origin(raw)));
        }
        List<String> elements = split(raw, text);
        if (elements.size() > 1) {
            List<ConfigValue> values = new ArrayList<>();
            for (String element : elements) {
                values.add(element(raw, element));
            }
            return new Sweep(values, "a comma-separated list");
        }
        java.util.regex.Matcher function = FUNCTION.matcher(text);
        if (function.matches() && !text.startsWith("$")) {
            String name = function.group(1);
            List<String> arguments = split(raw, function.group(2));
            return switch (name) {
                case "range" -> range(raw, arguments);
                case "choice" -> choice(raw, arguments);
                case "glob" -> glob(raw, arguments);
                default -> throw malformed(raw, "'" + name + "(...)' is not a sweep function;"
                        + " allowed: range(start,stop[,step]), choice(a,b,...), glob(pattern, exclude=pattern)."
                        + " Quote the value if it is a string");
            };
        }
        return new Single(element(raw, text));
    }

    private static Sweep choice(String raw, List<String> arguments) {
        if (arguments.isEmpty() || arguments.get(0).isEmpty()) {
            throw malformed(raw, "choice() needs at least one value, e.g. choice(kd,fad)");
        }
        List<ConfigValue> values = new ArrayList<>();
        for (String argument : arguments) {
            values.add(element(raw, argument));
        }
        return new Sweep(values, "choice()");
    }

    /** Python's range, as Hydra's: range(stop), range(start, stop), range(start, stop, step). */
    private static Sweep range(String raw, List<String> arguments) {
        String usage = "range(start, stop[, step]) takes 1 to 3 numbers, stop exclusive, e.g. range(1,4)"
                + " for 1,2,3 or range(0,1,0.25) for 0.0,0.25,0.5,0.75";
        if (arguments.isEmpty() || arguments.size() > 3) {
            throw malformed(raw, usage);
        }
        List<BigDecimal> numbers = new ArrayList<>();
        boolean integers = true;
        for (String argument : arguments) {
            String text = argument.strip();
            if (INT.matcher(text).matches()) {
                numbers.add(new BigDecimal(text));
            } else if (FLOAT.matcher(text).matches() && !text.toLowerCase(Locale.ROOT).matches(".*(inf|nan)")) {
                numbers.add(new BigDecimal(text));
                integers = false;
            } else {
                throw malformed(raw, "'" + text + "' is not a number; " + usage);
            }
        }
        BigDecimal start = numbers.size() == 1 ? BigDecimal.ZERO : numbers.get(0);
        BigDecimal stop = numbers.size() == 1 ? numbers.get(0) : numbers.get(1);
        BigDecimal step = numbers.size() == 3 ? numbers.get(2) : BigDecimal.ONE;
        if (step.signum() == 0) {
            throw malformed(raw, "the step of range() must not be 0; " + usage);
        }
        List<ConfigValue> values = new ArrayList<>();
        // Computed as start + i * step in decimal, so range(0,1,0.1) gives 0.3, not 0.30000000000000004.
        for (int i = 0; ; i++) {
            BigDecimal value = start.add(step.multiply(BigDecimal.valueOf(i)));
            if (step.signum() > 0 ? value.compareTo(stop) >= 0 : value.compareTo(stop) <= 0) {
                break;
            }
            if (i >= 10_000) {
                throw malformed(raw, "range() gives more than 10000 values; " + usage);
            }
            Object number = integers ? (Object) value.longValueExact() : (Object) value.doubleValue();
            if (integers && value.longValueExact() == value.intValue()) {
                number = value.intValue();
            }
            values.add(ConfigValueFactory.fromAnyRef(number, origin(raw)));
        }
        if (values.isEmpty()) {
            throw malformed(raw, "range(" + String.join(",", arguments) + ") is empty (stop is exclusive);"
                    + " " + usage);
        }
        return new Sweep(values, "range()");
    }

    private static Glob glob(String raw, List<String> arguments) {
        String usage = "glob(pattern[, exclude=pattern]) takes a pattern or [patterns] and an optional"
                + " exclude, e.g. glob(*, exclude=none) or glob([kd,fad*])";
        List<String> include = new ArrayList<>();
        List<String> exclude = new ArrayList<>();
        for (String argument : arguments) {
            String text = argument.strip();
            boolean isExclude = text.startsWith("exclude=");
            List<String> target = isExclude ? exclude : include;
            if (!isExclude && text.contains("=")) {
                throw malformed(raw, "unknown argument '" + text + "'; " + usage);
            }
            String patterns = isExclude ? text.substring("exclude=".length()).strip() : text;
            // Patterns are not HOCON (which forbids * and ? unquoted), so a [list] is split here.
            if (patterns.startsWith("[") && patterns.endsWith("]")) {
                for (String pattern : split(raw, patterns.substring(1, patterns.length() - 1))) {
                    if (!pattern.isEmpty()) {
                        target.add(String.valueOf(element(raw, pattern).unwrapped()));
                    }
                }
            } else if (!patterns.isEmpty()) {
                target.add(String.valueOf(element(raw, patterns).unwrapped()));
            }
        }
        if (include.isEmpty()) {
            throw malformed(raw, usage);
        }
        return new Glob(include, exclude);
    }

    /** One value: quoted string, list, object, or primitive. */
    private static ConfigValue element(String raw, String text) {
        String element = text.strip();
        if (element.isEmpty()) {
            return ConfigValueFactory.fromAnyRef("", origin(raw));
        }
        char first = element.charAt(0);
        if ((first == '\'' || first == '"') && element.length() >= 2 && element.charAt(element.length() - 1) == first
                && closingQuote(element, 0) == element.length() - 1) {
            return ConfigValueFactory.fromAnyRef(unescape(element.substring(1, element.length() - 1)), origin(raw));
        }
        if (first == '[' || first == '{') {
            return hocon(raw, toHocon(element), element);
        }
        if (element.equalsIgnoreCase("null")) {
            return ConfigValueFactory.fromAnyRef(null, origin(raw));
        }
        if (element.equalsIgnoreCase("true") || element.equalsIgnoreCase("false")) {
            return ConfigValueFactory.fromAnyRef(Boolean.parseBoolean(element.toLowerCase(Locale.ROOT)), origin(raw));
        }
        if (INT.matcher(element).matches()) {
            java.math.BigInteger number = new java.math.BigInteger(element.startsWith("+") ? element.substring(1) : element);
            Object value = number.bitLength() < 32 ? (Object) number.intValue() : (Object) number.longValue();
            return ConfigValueFactory.fromAnyRef(value, origin(raw));
        }
        if (FLOAT.matcher(element).matches()) {
            return ConfigValueFactory.fromAnyRef(parseDouble(element), origin(raw));
        }
        if (element.contains("${")) {
            return hocon(raw, element, element);
        }
        // Directory templates (run.dir=runs/{experiment}/{time}) hold {name} placeholders; a
        // placeholder is plain text, any other brace is a mistake worth reporting.
        String withoutPlaceholders = PLACEHOLDER.matcher(element).replaceAll("");
        for (char c : new char[] {'=', '(', ')', '\'', '"', '[', ']', '{', '}'}) {
            if (unescapedIndexOf(withoutPlaceholders, c) >= 0) {
                throw malformed(raw, "the value '" + element + "' has an unquoted '" + c
                        + "'; quote it ('...') or escape it with a backslash");
            }
        }
        return ConfigValueFactory.fromAnyRef(unescape(element), origin(raw));
    }

    private static double parseDouble(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.endsWith("inf")) {
            return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (lower.endsWith("nan")) {
            return Double.NaN;
        }
        return Double.parseDouble(text);
    }

    private static ConfigValue hocon(String raw, String hocon, String shown) {
        try {
            ConfigParseOptions options = ConfigParseOptions.defaults()
                    .setSyntax(ConfigSyntax.CONF)
                    .setOriginDescription("override '" + raw + "'");
            Config parsed = ConfigFactory.parseString("k = " + hocon, options);
            ConfigValue value = parsed.root().get("k");
            if (parsed.root().size() != 1 || value == null) {
                throw new ConfigException.BadValue("k", "more than one value");
            }
            return withoutLineNumbers(raw, value);
        } catch (ConfigException e) {
            throw malformed(raw, "the value '" + shown + "' is not a valid list, object or substitution ("
                    + e.getMessage().replaceFirst("^override '.*?': \\d+: ", "") + ")");
        }
    }

    /**
     * The value with every origin reading {@code override '<raw>'}, as scalar overrides have, instead
     * of the parser's {@code override '<raw>': 1}: an override has no line to point at. A value
     * with a substitution cannot be rebuilt before it is resolved and keeps the parser's origins.
     */
    private static ConfigValue withoutLineNumbers(String raw, ConfigValue value) {
        try {
            return ConfigValueFactory.fromAnyRef(value.unwrapped(), origin(raw));
        } catch (ConfigException.NotResolved e) {
            return value;
        }
    }

    /** Rewrites Hydra's single-quoted strings inside a list or object as HOCON double-quoted ones. */
    private static String toHocon(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                int end = closingQuote(text, i);
                if (end < 0) {
                    out.append(text.substring(i));
                    break;
                }
                out.append(ConfigUtil.quoteString(unescape(text.substring(i + 1, end))));
                i = end;
            } else if (c == '\\' && i + 1 < text.length()) {
                out.append(ConfigUtil.quoteString(String.valueOf(text.charAt(++i))));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Splits at top-level commas: not inside quotes, brackets, braces or parentheses, not escaped. */
    private static List<String> split(String raw, String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> i++;
                case '\'', '"' -> {
                    int end = closingQuote(text, i);
                    if (end < 0) {
                        throw malformed(raw, "the quote " + c + " at position " + (i + 1) + " of '" + text
                                + "' is not closed");
                    }
                    i = end;
                }
                case '[', '{', '(' -> depth++;
                case ']', '}', ')' -> {
                    if (--depth < 0) {
                        throw malformed(raw, "'" + c + "' in '" + text + "' closes nothing");
                    }
                }
                case ',' -> {
                    if (depth == 0) {
                        parts.add(text.substring(start, i).strip());
                        start = i + 1;
                    }
                }
                default -> {}
            }
        }
        if (depth != 0) {
            throw malformed(raw, "a bracket, brace or parenthesis in '" + text + "' is not closed");
        }
        parts.add(text.substring(start).strip());
        return parts;
    }

    /** The index of the quote closing the one at {@code open}, skipping escaped quotes; -1 if none. */
    private static int closingQuote(String text, int open) {
        char quote = text.charAt(open);
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return -1;
    }

    private static int unescapedIndexOf(String text, char wanted) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** Removes backslash escapes; {@code \n}, {@code \t} and {@code \\uXXXX} as in JSON, which renders them. */
    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                out.append(c);
                continue;
            }
            char next = text.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (i + 4 < text.length() && text.substring(i + 1, i + 5).matches("[0-9a-fA-F]{4}")) {
                        out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                        i += 4;
                    } else {
                        out.append('u');
                    }
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }


    private static String origin(String raw) {
        return "override '" + raw + "'";
    }

    private static FadException malformed(String raw, String what) {
        return new FadException(ErrorCode.CONFIG_INVALID, "Malformed override '" + raw + "': " + what + ". " + FORMS);
    }
}
