/**
 * Component binding: {@link org.fadkd.engine.component.ComponentRegistry} holds every factory the
 * loaded plugins offer, by kind and name, and {@link org.fadkd.engine.component.ComponentBinder}
 * turns a config section ({@code type} plus settings) into a component: the factory's documented
 * defaults merged under the section, unknown keys rejected with a "Did you mean", then {@code create}.
 *
 * <p>Depends on fad-api, Typesafe Config and the engine's {@code util}; it knows no plugin by name and reads no
 * plugin's keys beyond the defaults the plugin itself documents.
 */
package org.fadkd.engine.component;
