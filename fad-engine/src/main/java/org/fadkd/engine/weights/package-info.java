/**
 * Readers that turn a weights file into named float32 tensors: safetensors ({@link
 * org.fadkd.engine.weights.SafetensorsReader}) and the initializers of an ONNX model ({@link
 * org.fadkd.engine.weights.OnnxInitializers}), both behind {@link
 * org.fadkd.engine.weights.WeightsFile}. They read names, stored types and shapes, and widen every
 * floating-point type (float16, bfloat16, float64) to float32 in Java, so that no bfloat16 array
 * ever reaches DJL, whose PyTorch engine aborts the JVM on one. Mapping the tensors onto a native
 * architecture's parameters is the caller's step.
 *
 * <p>Every malformed file fails with a {@link org.fadkd.api.FadException} that names the file,
 * what is wrong and what to do.
 *
 * @since 0.2
 */
package org.fadkd.engine.weights;
