package org.fadkd.runner.tracking.mlflow;

/**
 * The tracking server could not be reached, did not answer in time, or answered with a
 * server-side error (5xx, 429): worth trying again later. Nothing was acknowledged by the request
 * that failed.
 */
public final class TrackingUnavailableException extends RuntimeException {
    private final boolean timedOut;

    public TrackingUnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /**
     * @param timedOut whether the server did not accept the connection or did not answer within
     *     its timeout (a server that hangs), rather than refusing or failing quickly
     */
    public TrackingUnavailableException(String message, Throwable cause, boolean timedOut) {
        super(message, cause);
        this.timedOut = timedOut;
    }

    /**
     * Whether the server did not answer within the timeout. Each further request to such a server
     * costs the whole timeout, so callers stop trying for now rather than go on spool by spool.
     */
    public boolean timedOut() {
        return timedOut;
    }
}
