/**
 * The plugin test kit: hand-written fakes of what the host offers plugins, so that a plugin's
 * tests create components exactly as the runner does, without the runner.
 *
 * <p>{@link org.fadkd.engine.testing.TestingFadContext} registers plugins into the engine's {@link
 * org.fadkd.engine.component.ComponentRegistry} and binds component sections through {@link
 * org.fadkd.engine.component.ComponentBinder}: defaults merged under the section, unknown keys
 * rejected, {@code type} removed. A plugin module depends on fad-engine in test scope only.
 */
package org.fadkd.engine.testing;
