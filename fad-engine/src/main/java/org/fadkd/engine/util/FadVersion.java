package org.fadkd.engine.util;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of FAD this engine was built as, recorded in what it writes for later readers. */
public final class FadVersion {
    private static final String RESOURCE = "/org/fadkd/engine/fad-version.properties";
    private static final String VERSION = read();

    private FadVersion() {}

    /** Returns the Maven version of the build, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = FadVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the fad-engine jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
