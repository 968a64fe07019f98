package org.fadkd.api;

import static java.util.Objects.requireNonNull;

/**
 * The one unchecked exception FAD raises for conditions a caller should report rather than crash
 * on. Its message is written for the user: what failed, where, the offending value in single
 * quotes, and what to do.
 *
 * @since 0.1
 */
public class FadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode errorCode;

    /**
     * Creates an exception.
     *
     * @param errorCode why it failed, never null
     * @param message the user-facing message, never null
     * @since 0.1
     */
    public FadException(ErrorCode errorCode, String message) {
        this(errorCode, message, null);
    }

    /**
     * Creates an exception with a cause.
     *
     * @param errorCode why it failed, never null
     * @param message the user-facing message, never null
     * @param cause the underlying failure, may be null
     * @since 0.1
     */
    public FadException(ErrorCode errorCode, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    /**
     * Returns the error code.
     *
     * @return the code, never null
     * @since 0.1
     */
    public ErrorCode getErrorCode() {
        return errorCode;
    }
}
