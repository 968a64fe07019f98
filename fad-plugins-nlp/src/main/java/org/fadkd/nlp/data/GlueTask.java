package org.fadkd.nlp.data;

import java.util.List;

/**
 * The GLUE tasks dataset {@code glue} reads, with the layout of the official TSV files (the GLUE
 * benchmark's {@code glue_data/<folder>/}): which columns hold the text and the label, the label
 * values in class order, and which files are the training and test splits.
 */
enum GlueTask {
    /** Stanford Sentiment Treebank, binary: {@code sentence \t label}, label 0 (negative) or 1. */
    SST2("SST-2", List.of("sentence"), "label", List.of("0", "1"), List.of("negative", "positive")),
    /**
     * Quora Question Pairs: {@code id qid1 qid2 question1 question2 is_duplicate}, a pair task;
     * 1 when the questions are duplicates.
     */
    QQP(
            "QQP",
            List.of("question1", "question2"),
            "is_duplicate",
            List.of("0", "1"),
            List.of("not_duplicate", "duplicate")),
    /**
     * Multi-Genre NLI: the many-column layout ({@code index promptID pairID genre ... sentence1
     * sentence2 label1 ... gold_label}), a pair task; classes in GLUE's order.
     */
    MNLI(
            "MNLI",
            List.of("sentence1", "sentence2"),
            "gold_label",
            List.of("contradiction", "entailment", "neutral"),
            List.of("contradiction", "entailment", "neutral"));

    static final String TRAIN_FILE = "train.tsv";

    private final String folder;
    private final List<String> textColumns;
    private final String labelColumn;
    private final List<String> labelValues;
    private final List<String> classNames;

    GlueTask(
            String folder,
            List<String> textColumns,
            String labelColumn,
            List<String> labelValues,
            List<String> classNames) {
        this.folder = folder;
        this.textColumns = textColumns;
        this.labelColumn = labelColumn;
        this.labelValues = labelValues;
        this.classNames = classNames;
    }

    /** The folder of the task in {@code glue_data}, e.g. {@code SST-2}. */
    String getFolder() {
        return folder;
    }

    /** One column (a single text) or two (a pair). */
    List<String> getTextColumns() {
        return textColumns;
    }

    String getLabelColumn() {
        return labelColumn;
    }

    /** The label column's values, by class index. */
    List<String> getLabelValues() {
        return labelValues;
    }

    List<String> getClassNames() {
        return classNames;
    }

    /**
     * The labelled file that is the test split: {@code dev.tsv}, or for MNLI {@code
     * dev_matched.tsv} or {@code dev_mismatched.tsv} (GLUE's test files have no labels).
     */
    String getTestFile(boolean mismatched) {
        if (this != MNLI) {
            return "dev.tsv";
        }
        return mismatched ? "dev_mismatched.tsv" : "dev_matched.tsv";
    }
}
