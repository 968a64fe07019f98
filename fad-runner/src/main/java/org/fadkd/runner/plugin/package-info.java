/**
 * Plugin jars: finding plugin directories, giving each its own {@link
 * org.fadkd.runner.plugin.PluginClassLoader} that shares only the API packages with the host,
 * checking the fad-api version a plugin was built for, and registering what each plugin offers.
 * {@link org.fadkd.runner.plugin.PluginLoader} is the entry point; {@link
 * org.fadkd.runner.plugin.LoadedPlugins} is what the rest of the runner sees.
 */
package org.fadkd.runner.plugin;
