/**
 * Small helpers every other engine package (and the runner) may use: "Did you mean" suggestions,
 * the FAD version, resident memory and glibc's {@code malloc_trim} (through JNA), directory
 * operations.
 *
 * <p>Depends on the JDK, Typesafe Config and JNA only; nothing here may depend on another FAD
 * package.
 */
package org.fadkd.engine.util;
