package org.fadkd.api;

import static java.util.Objects.requireNonNull;

import java.util.List;

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
    private final List<String> problems;

    /**
     * Creates an exception.
     *
     * @param errorCode why it failed, never null
     * @param message the user-facing message, never null
     * @since 0.1
     */
    public FadException(ErrorCode errorCode, String message) {
        this(errorCode, message, (Throwable) null);
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
        this.problems = List.of(message);
    }

    /**
     * Creates an exception reporting several problems at once, so that a user fixes all of them in
     * one edit. The message is the single problem alone, or {@code heading}, the problems numbered
     * {@code 1)}, {@code 2)}, … and a last line "N errors" (Guice's layout).
     *
     * @param errorCode why it failed, never null
     * @param heading the first line when there are several problems, e.g. "Invalid configuration:"
     * @param problems the user-facing problems, at least one, never null
     * @since 0.1
     */
    public FadException(ErrorCode errorCode, String heading, List<String> problems) {
        super(numbered(requireNonNull(heading, "heading is null"), requireNonNull(problems, "problems is null")));
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
        this.problems = List.copyOf(problems);
    }

    private static String numbered(String heading, List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an exception needs at least one problem");
        }
        if (problems.size() == 1) {
            return problems.get(0);
        }
        StringBuilder message = new StringBuilder(heading).append('\n');
        for (int i = 0; i < problems.size(); i++) {
            String indented = problems.get(i).replace("\n", "\n   ");
            message.append('\n').append(i + 1).append(") ").append(indented).append('\n');
        }
        return message.append('\n').append(problems.size()).append(" errors").toString();
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

    /**
     * Returns the individual problems: the one message, or each problem of a list, unnumbered. A
     * caller that gathers problems from several places (the jobs of a sweep) reports them together.
     *
     * @return at least one problem, never null
     * @since 0.1
     */
    public List<String> getProblems() {
        return problems;
    }
}
