package org.fadkd.runner.tracking.mlflow;

/**
 * The tracking server refused a request (4xx): sending it again changes nothing. The message says
 * what was refused, MLflow's error code and message, and what to do.
 */
public final class TrackingRejectedException extends RuntimeException {
    private final int status;
    private final String errorCode;

    public TrackingRejectedException(String message, int status, String errorCode, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** MLflow's {@code error_code}, e.g. {@code INVALID_PARAMETER_VALUE}; empty for a non-MLflow answer. */
    public String errorCode() {
        return errorCode;
    }
}
