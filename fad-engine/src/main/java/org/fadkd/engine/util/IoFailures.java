package org.fadkd.engine.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Turns a failed file operation into the one line a user reads: what could not be written and the
 * system's reason ("No space left on device", "Read-only file system", "Not a directory"), the way
 * a shell reports it, instead of an exception class name.
 */
public final class IoFailures {
    private IoFailures() {}

    /**
     * The I/O failure in {@code error}'s cause chain, described in plain words; null when the chain
     * holds none.
     */
    public static String describe(Throwable error) {
        String context = null;
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof UncheckedIOException && context == null) {
                context = cause.getMessage();
            } else if (cause instanceof IOException io) {
                String reason = reason(io);
                if (context != null && !context.isBlank() && !context.equals(io.toString())) {
                    return context + ": " + reason;
                }
                return reason;
            }
        }
        return null;
    }

    private static String reason(IOException error) {
        if (error instanceof FileSystemException file) {
            String reason = file.getReason() != null ? file.getReason() : defaultReason(file);
            String path = file.getFile() + (file.getOtherFile() == null ? "" : " -> " + file.getOtherFile());
            return file.getFile() == null ? reason : path + ": " + reason;
        }
        return error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName();
    }

    /** What the system would say for exceptions Java raises without a reason of its own. */
    private static String defaultReason(FileSystemException error) {
        if (error instanceof NoSuchFileException) {
            return "No such file or directory";
        } else if (error instanceof FileAlreadyExistsException) {
            return "File exists";
        } else if (error instanceof NotDirectoryException) {
            return "Not a directory";
        } else if (error instanceof AccessDeniedException) {
            return "Permission denied";
        }
        return error.getClass().getSimpleName();
    }
}
