/**
 * What FAD sees, made visible: mean flow profiles of the teacher and the student measured on a
 * fixed set of training batches, their depth alignment, and the plots a job writes next to its
 * summary.
 *
 * <p>NDArray ownership: every array a measurement creates lives in a sub-manager of the manager
 * the caller passes in and is closed before the method returns; results are plain Java arrays.
 *
 * @since 0.1
 */
package org.fadkd.engine.report;
