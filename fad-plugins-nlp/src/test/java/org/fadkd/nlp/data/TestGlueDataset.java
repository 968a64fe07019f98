package org.fadkd.nlp.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import org.fadkd.api.ComponentKind;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GLUE's TSV layouts, as the benchmark's glue_data holds them, written small. */
final class TestGlueDataset {
    private static final List<String> WORDS =
            List.of("good", "bad", "film", "how", "why", "cats", "dogs", "sleep", "a", "b", "c");

    @TempDir Path temporary;

    private static final String SST2_TRAIN =
            "sentence\tlabel\n" + "good film \t1\n" + "bad film \t0\n" + "\n" + "\"good\" film \t1\n";
    private static final String SST2_DEV = "sentence\tlabel\n" + "bad \t0\n";

    private static final String QQP_TRAIN =
            "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\n"
                    + "1\t11\t12\thow cats sleep\twhy cats sleep\t1\n"
                    + "2\t13\t14\thow dogs\twhy cats\t0\n";
    private static final String QQP_DEV =
            "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\n" + "3\t15\t16\thow\twhy\t0\n";

    private static final String MNLI_HEADER_TRAIN =
            "index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse"
                    + "\tsentence1_parse\tsentence2_parse\tsentence1\tsentence2\tlabel1\tgold_label\n";
    private static final String MNLI_HEADER_DEV =
            "index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse"
                    + "\tsentence1_parse\tsentence2_parse\tsentence1\tsentence2\tlabel1\tlabel2\tlabel3"
                    + "\tlabel4\tlabel5\tgold_label\n";

    private static String mnliRow(int index, String first, String second, String label, int labels) {
        StringBuilder row = new StringBuilder();
        row.append(index).append("\t31193\t31193n\tgovernment\t( ( a ) )\t( b )\t(ROOT (S a))\t(ROOT b)\t");
        row.append(first).append('\t').append(second);
        for (int i = 0; i < labels; i++) {
            row.append('\t').append(label);
        }
        return row.append('\t').append(label).append('\n').toString();
    }

    private Path glueData() {
        Path root = temporary.resolve("glue_data");
        TestingCorpora.write(root.resolve("SST-2/train.tsv"), SST2_TRAIN);
        TestingCorpora.write(root.resolve("SST-2/dev.tsv"), SST2_DEV);
        TestingCorpora.write(root.resolve("QQP/train.tsv"), QQP_TRAIN);
        TestingCorpora.write(root.resolve("QQP/dev.tsv"), QQP_DEV);
        TestingCorpora.write(
                root.resolve("MNLI/train.tsv"),
                MNLI_HEADER_TRAIN
                        + mnliRow(0, "a b", "c", "neutral", 1)
                        + mnliRow(1, "a", "b c", "contradiction", 1)
                        + mnliRow(2, "c", "a", "entailment", 1));
        TestingCorpora.write(
                root.resolve("MNLI/dev_matched.tsv"),
                MNLI_HEADER_DEV + mnliRow(0, "a", "a", "entailment", 5));
        TestingCorpora.write(
                root.resolve("MNLI/dev_mismatched.tsv"),
                MNLI_HEADER_DEV + mnliRow(0, "b", "c", "contradiction", 5) + mnliRow(1, "c", "c", "neutral", 5));
        return root;
    }

    private static Config section(Path root, Map<String, Object> overrides) {
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("type", GlueDatasetFactory.NAME);
        section.put("root", root.toString());
        section.put("tokenizer", Map.of("type", TestingEncoderProvider.TYPE, "words", WORDS));
        return ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.parseMap(section));
    }

    private static LabeledDataset create(TestingFadContext context, Path root, Map<String, Object> overrides) {
        return context.createComponent(ComponentKind.DATASET, section(root, overrides));
    }

    private static long id(String word) {
        return TestingWhitespaceEncoder.FIRST_WORD + WORDS.indexOf(word);
    }

    private static int[] ids(long... ids) {
        int[] values = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            values[i] = (int) ids[i];
        }
        return values;
    }

    private static final long CLS = TestingWhitespaceEncoder.CLS;
    private static final long SEP = TestingWhitespaceEncoder.SEP;
    private static final long UNK = TestingWhitespaceEncoder.UNKNOWN;

    @Test
    void testSst2SentencesAndLabels() {
        try (TestingFadContext context = TestingFadContext.of(new TestingNlpDataPlugin())) {
            LabeledDataset dataset = create(context, glueData(), Map.of("task", "sst2"));

            TextSplit train = (TextSplit) dataset.getSplit(Split.TRAIN);
            // the blank line is skipped; a quote is part of the text
            assertThat(train.size()).isEqualTo(3);
            assertThat(train.getIds(0)).containsExactly(ids(CLS, id("good"), id("film"), SEP));
            assertThat(train.getIds(2)).containsExactly(ids(CLS, UNK, id("film"), SEP));
            assertThat(train.getClassLabels(null)).containsExactly(1, 0, 1);
            TextSplit test = (TextSplit) dataset.getSplit(Split.TEST);
            assertThat(test.getIds(0)).containsExactly(ids(CLS, id("bad"), SEP));
            assertThat(dataset.hasValidationSplit()).isFalse();
            assertThat(dataset.getSplit(Split.VALIDATION)).isSameAs(test);
            assertThat(dataset.getClassNames()).containsExactly("negative", "positive");
        }
    }

    @Test
    void testQqpPairsAreEncodedTogether() {
        try (TestingFadContext context = TestingFadContext.of(new TestingNlpDataPlugin())) {
            LabeledDataset dataset = create(context, glueData(), Map.of("task", "qqp"));

            TextSplit train = (TextSplit) dataset.getSplit(Split.TRAIN);
            assertThat(train.getIds(0))
                    .containsExactly(
                            ids(CLS, id("how"), id("cats"), id("sleep"), SEP,
                                    id("why"), id("cats"), id("sleep"), SEP));
            assertThat(train.getClassLabels(null)).containsExactly(1, 0);
            assertThat(((TextSplit) dataset.getSplit(Split.TEST)).getIds(0))
                    .containsExactly(ids(CLS, id("how"), SEP, id("why"), SEP));
            assertThat(dataset.getClassNames()).containsExactly("not_duplicate", "duplicate");
        }
    }

    @Test
    void testMnliReadsItsManyColumnsAndBothDevFiles() {
        Path root = glueData();
        try (TestingFadContext context = TestingFadContext.of(new TestingNlpDataPlugin())) {
            LabeledDataset matched = create(context, root, Map.of("task", "mnli"));
            LabeledDataset mismatched = create(context, root, Map.of("task", "mnli", "mnli-dev", "mismatched"));

            TextSplit train = (TextSplit) matched.getSplit(Split.TRAIN);
            assertThat(train.getIds(0)).containsExactly(ids(CLS, id("a"), id("b"), SEP, id("c"), SEP));
            // contradiction 0, entailment 1, neutral 2
            assertThat(train.getClassLabels(null)).containsExactly(2, 0, 1);
            assertThat(matched.getClassCount()).isEqualTo(3);
            TextSplit matchedTest = (TextSplit) matched.getSplit(Split.TEST);
            assertThat(matchedTest.size()).isEqualTo(1);
            assertThat(matchedTest.getIds(0)).containsExactly(ids(CLS, id("a"), SEP, id("a"), SEP));
            assertThat(matchedTest.getClassLabels(null)).containsExactly(1);
            TextSplit mismatchedTest = (TextSplit) mismatched.getSplit(Split.TEST);
            assertThat(mismatchedTest.getClassLabels(null)).containsExactly(0, 2);
            assertThat(mismatched.getFingerprint()).isNotEqualTo(matched.getFingerprint());
        }
    }

    @Test
    void testPairsAreTruncatedToMaxLengthAndLimitKeepsTheFirstRows() {
        try (TestingFadContext context = TestingFadContext.of(new TestingNlpDataPlugin())) {
            LabeledDataset dataset = create(context, glueData(), Map.of("task", "qqp", "max-length", 5, "limit", 1));

            TextSplit train = (TextSplit) dataset.getSplit(Split.TRAIN);
            assertThat(train.size()).isEqualTo(1);
            assertThat(train.getIds(0)).containsExactly(ids(CLS, id("how"), SEP, id("why"), SEP));
        }
    }

    @Test
    void testTheTaskFolderOrItsFilesOnTheDataSearchPath() {
        Path data = temporary.resolve("data");
        TestingCorpora.write(data.resolve("glue/SST-2/train.tsv"), SST2_TRAIN);
        TestingCorpora.write(data.resolve("glue/SST-2/dev.tsv"), SST2_DEV);
        try (TestingFadContext context =
                TestingFadContext.builder().plugins(new TestingNlpDataPlugin()).dataSearchPath(data).build()) {
            LabeledDataset dataset =
                    context.createComponent(ComponentKind.DATASET, section(data, Map.of()).withoutPath("root"));

            assertThat(dataset.getSplit(Split.TRAIN).size()).isEqualTo(3);
        }
        Path files = temporary.resolve("sst2-files");
        TestingCorpora.write(files.resolve("train.tsv"), SST2_TRAIN);
        TestingCorpora.write(files.resolve("dev.tsv"), SST2_DEV);
        try (TestingFadContext context = TestingFadContext.of(new TestingNlpDataPlugin())) {
            assertThat(create(context, files, Map.of()).getSplit(Split.TEST).size()).isEqualTo(1);
        }
    }

    @Test
    void testMissingFilesSayWhereToPutThem() {
        Path root = temporary.resolve("glue_data");
        TestingCorpora.write(root.resolve("MNLI/train.tsv"), MNLI_HEADER_TRAIN);
        try (TestingFadContext context = TestingFadContext.of(new TestingNlpDataPlugin())) {
            assertThatThrownBy(() -> create(context, root, Map.of("task", "mnli")))
                    .isInstanceOf(FadException.class)
                    .satisfies(e -> assertThat(((FadException) e).getErrorCode()).isEqualTo(ErrorCode.DATA_MISSING))
                    .hasMessageContaining("lacks MNLI/dev_matched.tsv")
                    .hasMessageContaining("GLUE cannot be downloaded by FAD")
                    .hasMessageContaining("MNLI/train.tsv and MNLI/dev_matched.tsv")
                    .hasMessageContaining("~/.fad/data/glue/");
        }
    }

    @Test
    void testMalformedRowsNameTheFileAndLine() {
        Path root = temporary.resolve("glue_data");
        TestingCorpora.write(root.resolve("SST-2/train.tsv"), "sentence\tlabel\ngood\t1\nbad\n");
        TestingCorpora.write(root.resolve("SST-2/dev.tsv"), "sentence\tlabel\ngood\tpositive\n");
        TestingCorpora.write(root.resolve("QQP/train.tsv"), "id\tquestion1\tquestion2\n1\ta\tb\n");
        TestingCorpora.write(root.resolve("QQP/dev.tsv"), QQP_DEV);
        try (TestingFadContext context = TestingFadContext.of(new TestingNlpDataPlugin())) {
            LabeledDataset sst2 = create(context, root, Map.of());
            assertThatThrownBy(() -> sst2.getSplit(Split.TRAIN))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("GLUE file '" + root.resolve("SST-2/train.tsv") + "', line 3")
                    .hasMessageContaining("1 tab-separated fields");
            Path dev = temporary.resolve("dev-only");
            TestingCorpora.write(dev.resolve("train.tsv"), SST2_TRAIN);
            TestingCorpora.write(dev.resolve("dev.tsv"), "sentence\tlabel\ngood\tpositive\n");
            assertThatThrownBy(() -> create(context, dev, Map.of()).getSplit(Split.TEST))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("line 2: its label is 'positive', not one of [0, 1]");
            assertThatThrownBy(() -> create(context, root, Map.of("task", "qqp")).getSplit(Split.TRAIN))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("line 1: its header [id, question1, question2] has no column 'is_duplicate'");
        }
    }

    @Test
    void testUnknownTaskIsReported() {
        GlueDatasetFactory factory = new GlueDatasetFactory(new TestingEncoderProvider());
        Config settings =
                ConfigFactory.parseMap(Map.of("task", "cola", "mnli-dev", "both", "tokenizer", "whitespace"))
                        .withFallback(factory.getDefaults());

        assertThatThrownBy(() -> factory.check(settings))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("'task'")
                .hasMessageContaining("one of sst2, qqp, mnli")
                .hasMessageContaining("'mnli-dev'")
                .hasMessageContaining("matched or mismatched");
    }
}
