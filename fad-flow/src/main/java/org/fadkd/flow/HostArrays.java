package org.fadkd.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Copies small arrays (profiles, scalars) to the Java heap without leaving temporaries behind. */
final class HostArrays {
    private HostArrays() {}

    static double[] toDoubles(NDArray array) {
        DataType type = array.getDataType();
        if (type == DataType.FLOAT64) {
            return array.toDoubleArray();
        }
        if (type == DataType.FLOAT32) {
            float[] values = array.toFloatArray();
            double[] result = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                result[i] = values[i];
            }
            return result;
        }
        try (NDArray copy = array.toType(DataType.FLOAT64, true)) {
            return copy.toDoubleArray();
        }
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }
}
