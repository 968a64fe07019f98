/**
 * Flow metrics (fad-spec §2): {@code cka} (default), {@code relative-change} and {@code gram}.
 *
 * <p>Each metric computes in the data type of its inputs (float32 in training, where {@link
 * org.fadkd.flow.FlowProfiles} casts taps; float64 in tests of the spec's examples) and
 * returns a scalar attached to the first tap's manager.
 *
 * @since 0.1
 */
package org.fadkd.distill.flow;
