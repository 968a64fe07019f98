/**
 * Small helpers every other engine package (and the runner) may use: "Did you mean" suggestions,
 * the FAD version, resident memory and glibc's {@code malloc_trim} (through JNA), directory
 * operations.
 *
 * <p>Depends on the JDK and third-party libraries only; nothing here may depend on another FAD
 * package, so that every package can use it without a cycle.
 */
package org.fadkd.engine.util;
