package org.fadkd.runner.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.fadkd.api.FadPlugin;

/**
 * A fad-api version as plugin manifests carry it ({@code Fad-Api-Version: 1.0}). Plugins built for
 * the same major version run; minor versions only add default methods, as the SPI promises.
 *
 * @param text the version as written, e.g. {@code 1.0}
 * @param major its first number
 */
public record ApiVersion(String text, int major) {
    /** The manifest attribute every plugin jar carries. */
    public static final String MANIFEST_ATTRIBUTE = "Fad-Api-Version";

    /**
     * Parses {@code MAJOR[.MINOR...]}.
     *
     * @throws IllegalArgumentException when the text does not start with a number
     */
    public static ApiVersion parse(String text) {
        String trimmed = text.trim();
        String first = trimmed.split("\\.", 2)[0];
        try {
            return new ApiVersion(trimmed, Integer.parseInt(first));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a version like 1.0", e);
        }
    }

    /** The version of the fad-api the runner itself was built with (fad-api.properties, filled by Maven). */
    public static ApiVersion host() {
        try (InputStream in = FadPlugin.class.getResourceAsStream("fad-api.properties")) {
            if (in == null) {
                throw new IllegalStateException("fad-api.properties is missing from fad-api; rebuild fad-api");
            }
            Properties properties = new Properties();
            properties.load(in);
            return parse(properties.getProperty("version"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a plugin built for this version runs on a host of {@code host}'s version. */
    public boolean isCompatibleWith(ApiVersion host) {
        return major == host.major;
    }

    @Override
    public String toString() {
        return text;
    }
}
