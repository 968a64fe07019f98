/**
 * Compression measurements (fad-spec §13): trainable parameters, multiply-accumulates counted by
 * walking the block tree, the size of the saved weights, batch-1 latency and throughput, and the
 * teacher-versus-student record whose entries go into {@code summary.json}.
 *
 * <p>NDArray ownership: timings create their inputs and run every pass in sub-managers of the
 * manager the caller passes in, closed before the method returns; results are plain Java values.
 * Counting parameters and MACs creates no arrays beyond the brief ones DJL uses to infer shapes.
 *
 * @since 0.1
 */
package org.fadkd.engine.measure;
