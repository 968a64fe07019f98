package org.fadkd.vision.data;

import java.util.Locale;

/**
 * Which of a record's labels is the class: CIFAR-10 has one; CIFAR-100 stores its 20 coarse
 * superclasses in the first label byte and its 100 fine classes in the second.
 */
enum CifarLabels {
    /** CIFAR-10's only label: 10 classes, names in {@code batches.meta.txt}. */
    SINGLE(0, 10, "batches.meta.txt"),
    /** CIFAR-100's fine label: 100 classes, names in {@code fine_label_names.txt}. */
    FINE(1, 100, "fine_label_names.txt"),
    /** CIFAR-100's coarse label: 20 superclasses, names in {@code coarse_label_names.txt}. */
    COARSE(0, 20, "coarse_label_names.txt");

    private final int offset;
    private final int classCount;
    private final String namesFile;

    CifarLabels(int offset, int classCount, String namesFile) {
        this.offset = offset;
        this.classCount = classCount;
        this.namesFile = namesFile;
    }

    /** The byte of a record that holds this label. */
    int getOffset() {
        return offset;
    }

    int getClassCount() {
        return classCount;
    }

    /** The archive's text file with one class name per line, in class order. */
    String getNamesFile() {
        return namesFile;
    }

    /** The value of setting {@code label}. */
    String getSettingValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
