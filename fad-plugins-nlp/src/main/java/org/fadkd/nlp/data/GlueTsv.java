package org.fadkd.nlp.data;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one GLUE TSV file: a header line naming the columns, then one sample per line, fields
 * separated by tabs, UTF-8, with no quoting (a quote is part of the text, as GLUE's own readers
 * take it). Columns are found by their header name, so any column order and extra columns are
 * fine. Blank lines are skipped; a line lacking a needed column, or a label outside the task's
 * values, is an error naming the file and line.
 */
final class GlueTsv {
    private GlueTsv() {}

    /** Reads every sample of a file, in file order. */
    static List<LabeledText> read(Path file, GlueTask task) {
        List<LabeledText> samples = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                throw malformed(file, 1, "it is empty, where a header line was expected");
            }
            List<String> columns = Arrays.asList(fields(header));
            int[] textIndices = new int[task.getTextColumns().size()];
            for (int i = 0; i < textIndices.length; i++) {
                textIndices[i] = column(file, columns, task.getTextColumns().get(i), task);
            }
            int labelIndex = column(file, columns, task.getLabelColumn(), task);
            String line;
            int number = 1;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = fields(line);
                int needed = Math.max(labelIndex, Arrays.stream(textIndices).max().orElse(0)) + 1;
                if (fields.length < needed) {
                    throw malformed(
                            file,
                            number,
                            "it has "
                                    + fields.length
                                    + " tab-separated fields, where column '"
                                    + columns.get(needed - 1)
                                    + "' needs at least "
                                    + needed);
                }
                int label = task.getLabelValues().indexOf(fields[labelIndex].strip());
                if (label < 0) {
                    throw malformed(
                            file,
                            number,
                            "its "
                                    + task.getLabelColumn()
                                    + " is '"
                                    + fields[labelIndex]
                                    + "', not one of "
                                    + task.getLabelValues());
                }
                String first = fields[textIndices[0]];
                String second = textIndices.length > 1 ? fields[textIndices[1]] : null;
                samples.add(new LabeledText(first, second, label));
            }
        } catch (IOException e) {
            throw new FadException(
                    ErrorCode.DATA_MISSING,
                    "Cannot read GLUE file '" + file + "': " + e.getMessage() + ".",
                    e);
        }
        return samples;
    }

    private static String[] fields(String line) {
        // a file written on Windows ends its lines in \r\n
        String stripped = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        return stripped.split("\t", -1);
    }

    private static int column(Path file, List<String> columns, String name, GlueTask task) {
        int index = columns.indexOf(name);
        if (index < 0) {
            throw malformed(
                    file,
                    1,
                    "its header "
                            + columns
                            + " has no column '"
                            + name
                            + "'; is it GLUE's "
                            + task.getFolder()
                            + " file with labels?");
        }
        return index;
    }

    private static FadException malformed(Path file, int line, String what) {
        return new FadException(
                ErrorCode.DATA_MISSING,
                "GLUE file '" + file + "', line " + line + ": " + what + ".");
    }
}
