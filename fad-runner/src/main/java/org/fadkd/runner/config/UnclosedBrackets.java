package org.fadkd.runner.config;

import com.typesafe.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Names the brace or bracket that a HOCON file never closes. Typesafe Config only notices at the
 * end of the file and reports that place, often asking for a ')' the file never opened; the place
 * to fix is where the '{' or '[' was opened.
 */
final class UnclosedBrackets {
    private UnclosedBrackets() {}

    /** An opening '{' (also of a '${' substitution) or '[', and its line. */
    private record Opener(char bracket, int line) {}

    /**
     * Describes the innermost bracket {@code file} leaves open, when Typesafe's {@code error} is
     * the end of the file arriving inside it: {@code "at FILE:LINE: '{' opened here is never
     * closed ..."}. Empty for any other syntax error, or when the file's brackets balance.
     */
    static Optional<String> find(Path file, ConfigException error) {
        String message = String.valueOf(error.getMessage());
        if (!message.contains("end of file")) {
            return Optional.empty();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        List<Opener> open = unclosed(text);
        if (open.isEmpty()) {
            return Optional.empty();
        }
        Opener innermost = open.get(open.size() - 1);
        int lastLine = (int) text.lines().count();
        StringBuilder description = new StringBuilder(String.format(
                "at %s:%d: '%c' opened here is never closed (the file ends at line %d still inside it)",
                file, innermost.line(), innermost.bracket(), lastLine));
        for (int i = open.size() - 2; i >= 0; i--) {
            description.append(String.format("; nor is the '%c' of line %d", open.get(i).bracket(), open.get(i).line()));
        }
        return Optional.of(description.append(". Add the missing '")
                .append(innermost.bracket() == '{' ? '}' : ']').append("'.").toString());
    }

    /**
     * The brackets left open at the end of {@code text}, outermost first; empty when they balance
     * or when a closing bracket does not match its opener (a different error, which Typesafe's
     * message places well). Strings and comments are skipped.
     */
    static List<Opener> unclosed(String text) {
        Deque<Opener> stack = new ArrayDeque<>();
        int line = 1;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (c == '#' || (c == '/' && text.startsWith("//", i))) {
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end;
            } else if (text.startsWith("\"\"\"", i)) {
                int end = text.indexOf("\"\"\"", i + 3);
                int stop = end < 0 ? text.length() : end + 3;
                line += count(text, i, stop);
                i = stop;
            } else if (c == '"') {
                i++;
                while (i < text.length() && text.charAt(i) != '"' && text.charAt(i) != '\n') {
                    i += text.charAt(i) == '\\' ? 2 : 1;
                }
                if (i < text.length() && text.charAt(i) == '"') {
                    i++;
                }
            } else if (c == '{' || c == '[') {
                stack.push(new Opener(c, line));
                i++;
            } else if (c == '}' || c == ']') {
                Opener opener = stack.poll();
                if (opener == null || opener.bracket() != (c == '}' ? '{' : '[')) {
                    return List.of();
                }
                i++;
            } else {
                i++;
            }
        }
        List<Opener> open = new ArrayList<>(stack);
        java.util.Collections.reverse(open);
        return open;
    }

    private static int count(String text, int from, int to) {
        int lines = 0;
        for (int i = from; i < Math.min(to, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                lines++;
            }
        }
        return lines;
    }
}
