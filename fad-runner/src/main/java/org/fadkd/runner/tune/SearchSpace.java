package org.fadkd.runner.tune;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;

/**
 * The settings {@code runner tune} searches for one component, read from its {@link
 * org.fadkd.api.ComponentFactory#getSearchSpace() search space}, and random draws from it as
 * overrides ({@code method.temperature=3.27}). Random search: with a handful of trials it finds
 * settings as good as a grid, and every method gets the same number of trials (the budget).
 */
public final class SearchSpace {
    /** Significant digits of a drawn number: enough to matter, few enough to read in an override. */
    private static final MathContext DIGITS = new MathContext(3);

    private final String section;
    private final List<Dimension> dimensions;

    private SearchSpace(String section, List<Dimension> dimensions) {
        this.section = section;
        this.dimensions = List.copyOf(dimensions);
    }

    private record Dimension(String key, String kind, double low, double high, List<String> choices) {}

    /**
     * Reads a search space.
     *
     * @param section the component's section, prefixed to every key ({@code method})
     * @param space the factory's search space
     * @param origin names the space in errors ({@code method 'kd'})
     * @throws FadException with CONFIG_INVALID naming every malformed range
     */
    public static SearchSpace of(String section, Config space, String origin) {
        requireNonNull(section, "section is null");
        List<Dimension> dimensions = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        // Sorted keys: the same space draws the same trials whatever order the file lists them in.
        for (String key : new java.util.TreeSet<>(space.root().keySet())) {
            try {
                ConfigValue value = space.root().get(key);
                if (value.valueType() != ConfigValueType.OBJECT) {
                    throw new IllegalArgumentException("it is not an object");
                }
                dimensions.add(dimension(key, ((com.typesafe.config.ConfigObject) value).toConfig()));
            } catch (ConfigException | IllegalArgumentException e) {
                problems.add(String.format("The search space of %s has a malformed range for '%s': %s. Write"
                        + " { uniform = [lo, hi] }, { log-uniform = [lo, hi] } (lo > 0), { int = [lo, hi] }"
                        + " or { choice = [a, b] }.", origin, key, e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new FadException(ErrorCode.CONFIG_INVALID, "Invalid search space:", problems);
        }
        return new SearchSpace(section, dimensions);
    }

    private static Dimension dimension(String key, Config range) {
        if (range.entrySet().size() != 1) {
            throw new IllegalArgumentException("it must have exactly one of uniform, log-uniform, int, choice");
        }
        String kind = range.root().keySet().iterator().next();
        if (kind.equals("choice")) {
            List<String> choices = range.getList(kind).stream().map(value -> String.valueOf(value.unwrapped())).toList();
            if (choices.isEmpty()) {
                throw new IllegalArgumentException("choice is empty");
            }
            return new Dimension(key, kind, 0, 0, choices);
        }
        if (!List.of("uniform", "log-uniform", "int").contains(kind)) {
            throw new IllegalArgumentException("'" + kind + "' is not a kind of range");
        }
        List<Double> bounds = range.getDoubleList(kind);
        if (bounds.size() != 2 || !(bounds.get(0) <= bounds.get(1)) || (kind.equals("log-uniform") && bounds.get(0) <= 0)) {
            throw new IllegalArgumentException(kind + " = " + bounds + " is not [lo, hi] with lo <= hi");
        }
        return new Dimension(key, kind, bounds.get(0), bounds.get(1), List.of());
    }

    /** Whether there is nothing to search: one trial with the defaults says all. */
    public boolean isEmpty() {
        return dimensions.isEmpty();
    }

    /** The keys searched, with their section ({@code method.temperature}). */
    public List<String> keys() {
        return dimensions.stream().map(dimension -> section + "." + dimension.key()).toList();
    }

    /** One random point of the space, as overrides in key order. */
    public List<String> draw(Random random) {
        List<String> overrides = new ArrayList<>();
        for (Dimension dimension : dimensions) {
            String value = switch (dimension.kind()) {
                case "choice" -> dimension.choices().get(random.nextInt(dimension.choices().size()));
                case "int" -> Long.toString(Math.round(dimension.low())
                        + (long) Math.floor(random.nextDouble() * (Math.round(dimension.high()) - Math.round(dimension.low()) + 1)));
                case "log-uniform" -> readable(Math.exp(Math.log(dimension.low())
                        + random.nextDouble() * (Math.log(dimension.high()) - Math.log(dimension.low()))));
                default -> readable(dimension.low() + random.nextDouble() * (dimension.high() - dimension.low()));
            };
            overrides.add(section + "." + dimension.key() + "=" + value);
        }
        return overrides;
    }

    private static String readable(double value) {
        return new BigDecimal(value).round(DIGITS).stripTrailingZeros().toPlainString();
    }
}
