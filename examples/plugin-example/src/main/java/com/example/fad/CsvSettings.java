package com.example.fad;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import org.fadkd.api.SettingsReader;

/**
 * Settings of dataset {@code csv}, documented in {@code defaults/csv.conf}. Every value is read and
 * checked here, so that all mistakes are reported at once, before any file is opened.
 *
 * @param file the CSV file
 * @param header whether the first line holds column names
 * @param labelColumn the label's column, 0-based, or -1 for the last one
 * @param delimiter the field separator
 * @param testFraction the share of rows, from the end of the file, that form the test split
 * @param classes the number of classes, or 0 for the largest label + 1
 * @param sampleShape the shape of one sample, or empty for a flat vector of the features
 */
record CsvSettings(
        Path file,
        boolean header,
        int labelColumn,
        char delimiter,
        double testFraction,
        int classes,
        List<Integer> sampleShape) {

    static CsvSettings from(Config settings) {
        SettingsReader reader = new SettingsReader(settings, "dataset", CsvDatasetFactory.NAME);
        String file = reader.getString("file").strip();
        reader.check(!file.isEmpty(), "file", "the path of a CSV file");
        boolean header = reader.getBoolean("header");
        int labelColumn = reader.getInt("label-column", -1, Integer.MAX_VALUE);
        String delimiter = reader.getString("delimiter");
        reader.check(delimiter.length() == 1 && !Character.isDigit(delimiter.charAt(0))
                && delimiter.charAt(0) != '.' && delimiter.charAt(0) != '-', "delimiter",
                "one character that cannot be part of a number, such as ',' or ';'");
        double testFraction = reader.getDouble("test-fraction", value -> value > 0 && value < 1, "(0, 1)");
        int classes = reader.getInt("classes", 0, Integer.MAX_VALUE);
        List<Integer> sampleShape = reader.getIntList("sample-shape");
        reader.check(sampleShape.stream().allMatch(size -> size >= 1), "sample-shape",
                "a list of sizes >= 1, or [] for one flat vector of the features");
        reader.throwIfInvalid();
        return new CsvSettings(expandHome(file), header, labelColumn, delimiter.charAt(0), testFraction, classes,
                sampleShape);
    }

    // HOCON values are not shell-expanded, yet "~/data.csv" is what users write.
    private static Path expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + path.substring(1));
        }
        return Path.of(path);
    }
}
