package org.fadkd.nlp.tokenize;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a text into words the way a BERT tokenizer.json's {@code BertNormalizer} and {@code
 * BertPreTokenizer} do before WordPiece sees them: control characters dropped, CJK ideographs made
 * words of their own, optionally lower-cased with accents stripped, then split on whitespace and
 * around every punctuation character. {@link WordPieceVocabularyBuilder} counts these words, so the
 * vocabulary it builds holds the pieces that encoding will ask for.
 *
 * <p>It follows the Hugging Face rules closely but is only used to choose a vocabulary; the ids
 * always come from the Hugging Face library, so a corner case that differs (Java and Rust disagree
 * on a few rare whitespace characters) changes which pieces are in the vocabulary, never how a
 * text is encoded.
 */
final class BertPreTokenization {
    private BertPreTokenization() {}

    /**
     * Returns the words of a text, in order.
     *
     * @param text the raw text, never null
     * @param lowercase whether to lower-case and strip accents, as {@code BertNormalizer} does with
     *     {@code lowercase = true, strip_accents = null}
     */
    static List<String> words(String text, boolean lowercase) {
        String normalized = lowercase ? stripAccents(text.toLowerCase(Locale.ROOT)) : text;
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int offset = 0; offset < normalized.length(); ) {
            int codePoint = normalized.codePointAt(offset);
            offset += Character.charCount(codePoint);
            if (isControl(codePoint)) {
                continue;
            }
            if (isWhitespace(codePoint)) {
                flush(word, words);
            } else if (isPunctuation(codePoint) || isCjkIdeograph(codePoint)) {
                flush(word, words);
                words.add(Character.toString(codePoint));
            } else {
                word.appendCodePoint(codePoint);
            }
        }
        flush(word, words);
        return words;
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (word.length() > 0) {
            words.add(word.toString());
            word.setLength(0);
        }
    }

    /** Decomposes, then drops the combining marks: "é" becomes "e". */
    private static String stripAccents(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        StringBuilder stripped = new StringBuilder(decomposed.length());
        decomposed.codePoints()
                .filter(codePoint -> Character.getType(codePoint) != Character.NON_SPACING_MARK)
                .forEach(stripped::appendCodePoint);
        return stripped.toString();
    }

    private static boolean isWhitespace(int codePoint) {
        // Java's isWhitespace leaves out no-break spaces, which Rust's is_whitespace includes
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }

    /** NUL, the replacement character, and format/control/private/unassigned characters but tab and newlines. */
    private static boolean isControl(int codePoint) {
        if (codePoint == 0 || codePoint == 0xFFFD) {
            return true;
        }
        if (codePoint == '\t' || codePoint == '\n' || codePoint == '\r') {
            return false;
        }
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
                || type == Character.UNASSIGNED;
    }

    /** BERT's punctuation: every ASCII non-alphanumeric symbol ("$", "^", "`") and Unicode's P* classes. */
    private static boolean isPunctuation(int codePoint) {
        if ((codePoint >= 33 && codePoint <= 47) || (codePoint >= 58 && codePoint <= 64)
                || (codePoint >= 91 && codePoint <= 96) || (codePoint >= 123 && codePoint <= 126)) {
            return true;
        }
        switch (Character.getType(codePoint)) {
            case Character.CONNECTOR_PUNCTUATION:
            case Character.DASH_PUNCTUATION:
            case Character.START_PUNCTUATION:
            case Character.END_PUNCTUATION:
            case Character.INITIAL_QUOTE_PUNCTUATION:
            case Character.FINAL_QUOTE_PUNCTUATION:
            case Character.OTHER_PUNCTUATION:
                return true;
            default:
                return false;
        }
    }

    /** The CJK Unified Ideograph blocks BERT's handle_chinese_chars isolates. */
    private static boolean isCjkIdeograph(int codePoint) {
        return (codePoint >= 0x4E00 && codePoint <= 0x9FFF) || (codePoint >= 0x3400 && codePoint <= 0x4DBF)
                || (codePoint >= 0x20000 && codePoint <= 0x2A6DF) || (codePoint >= 0x2A700 && codePoint <= 0x2B73F)
                || (codePoint >= 0x2B740 && codePoint <= 0x2B81F) || (codePoint >= 0x2B920 && codePoint <= 0x2CEAF)
                || (codePoint >= 0xF900 && codePoint <= 0xFAFF) || (codePoint >= 0x2F800 && codePoint <= 0x2FA1F);
    }
}
