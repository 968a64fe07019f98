package org.fadkd.engine.report;

/**
 * Puts AWT in headless mode for the classes that draw charts: jobs and reports run on servers
 * without a display, and a chart must never try to open one.
 *
 * <p>AWT decides once, when its first class initialises ({@code java.awt.Color} included), so a
 * chart class calls {@link #ensure()} from a static initialiser placed before any field of an AWT
 * type.
 *
 * @since 0.1
 */
public final class Headless {
    private Headless() {}

    /**
     * Sets {@code java.awt.headless=true} unless the process chose a value. Idempotent; safe from
     * any thread.
     *
     * @since 0.1
     */
    public static void ensure() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
