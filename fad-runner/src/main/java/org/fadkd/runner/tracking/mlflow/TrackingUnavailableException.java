package org.fadkd.runner.tracking.mlflow;

/**
 * The tracking server could not be reached or answered with a server-side error (5xx, 429): worth
 * trying again later. Nothing was acknowledged by the request that failed.
 */
public final class TrackingUnavailableException extends RuntimeException {
    public TrackingUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
