/**
 * A third-party FAD plugin: method {@code l2-logits}, flow metric {@code cosine-distance} and
 * dataset {@code csv}, registered through {@link com.example.fad.ExamplePlugin}.
 *
 * <p>Compiles against fad-api alone (and what the host shares with every plugin: DJL, Typesafe
 * Config, SLF4J), in provided scope; it never sees fad-engine or the runner at run time.
 */
package com.example.fad;
