package org.fadkd.nlp.tokenize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Writes a vocabulary built by {@link WordPieceVocabularyBuilder} as a BERT-style Hugging Face
 * {@code tokenizer.json}, laid out as bert-base-uncased's own: {@code BertNormalizer}, {@code
 * BertPreTokenizer}, the WordPiece model with {@code ##} continuations and {@code [UNK]}, the
 * {@code [CLS] A [SEP]} / {@code [CLS] A [SEP] B [SEP]} template and the WordPiece decoder, with
 * {@code [PAD]} as the pad token. {@link HuggingFaceTextEncoder} then encodes with it exactly as
 * with a downloaded BERT tokenizer.
 */
final class WordPieceTokenizerJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WordPieceTokenizerJson() {}

    /**
     * @param vocabulary the tokens in id order, starting with {@link
     *     WordPieceVocabularyBuilder#SPECIAL_TOKENS}
     * @param lowercase whether the normalizer lower-cases and strips accents, as the builder did
     * @return the file's text
     */
    static String write(List<String> vocabulary, boolean lowercase) {
        if (!vocabulary.subList(0, WordPieceVocabularyBuilder.SPECIAL_TOKENS.size())
                .equals(WordPieceVocabularyBuilder.SPECIAL_TOKENS)) {
            throw new IllegalArgumentException("the vocabulary must start with "
                    + WordPieceVocabularyBuilder.SPECIAL_TOKENS + ", starts with "
                    + vocabulary.subList(0, Math.min(vocabulary.size(), 5)));
        }
        int padId = vocabulary.indexOf("[PAD]");
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        ObjectNode padding = root.putObject("padding");
        padding.put("strategy", "BatchLongest");
        padding.put("direction", "Right");
        padding.putNull("pad_to_multiple_of");
        padding.put("pad_id", padId);
        padding.put("pad_type_id", 0);
        padding.put("pad_token", "[PAD]");
        ArrayNode addedTokens = root.putArray("added_tokens");
        for (String special : WordPieceVocabularyBuilder.SPECIAL_TOKENS) {
            ObjectNode token = addedTokens.addObject();
            token.put("id", vocabulary.indexOf(special));
            token.put("content", special);
            token.put("single_word", false);
            token.put("lstrip", false);
            token.put("rstrip", false);
            token.put("normalized", false);
            token.put("special", true);
        }
        ObjectNode normalizer = root.putObject("normalizer");
        normalizer.put("type", "BertNormalizer");
        normalizer.put("clean_text", true);
        normalizer.put("handle_chinese_chars", true);
        normalizer.putNull("strip_accents"); // null: strip accents exactly when lower-casing
        normalizer.put("lowercase", lowercase);
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        ObjectNode postProcessor = root.putObject("post_processor");
        postProcessor.put("type", "TemplateProcessing");
        ArrayNode single = postProcessor.putArray("single");
        special(single, "[CLS]", 0);
        sequence(single, "A", 0);
        special(single, "[SEP]", 0);
        ArrayNode pair = postProcessor.putArray("pair");
        special(pair, "[CLS]", 0);
        sequence(pair, "A", 0);
        special(pair, "[SEP]", 0);
        sequence(pair, "B", 1);
        special(pair, "[SEP]", 1);
        ObjectNode specialTokens = postProcessor.putObject("special_tokens");
        for (String special : List.of("[CLS]", "[SEP]")) {
            ObjectNode token = specialTokens.putObject(special);
            token.put("id", special);
            token.putArray("ids").add(vocabulary.indexOf(special));
            token.putArray("tokens").add(special);
        }
        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "WordPiece");
        decoder.put("prefix", WordPieceVocabularyBuilder.CONTINUATION_PREFIX);
        decoder.put("cleanup", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "WordPiece");
        model.put("unk_token", "[UNK]");
        model.put("continuing_subword_prefix", WordPieceVocabularyBuilder.CONTINUATION_PREFIX);
        model.put("max_input_chars_per_word", WordPieceVocabularyBuilder.MAX_WORD_CHARACTERS);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < vocabulary.size(); id++) {
            if (vocab.has(vocabulary.get(id))) {
                throw new IllegalArgumentException("token '" + vocabulary.get(id) + "' appears twice");
            }
            vocab.put(vocabulary.get(id), id);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree built in memory", e);
        }
    }

    private static void special(ArrayNode template, String token, int typeId) {
        ObjectNode item = template.addObject().putObject("SpecialToken");
        item.put("id", token);
        item.put("type_id", typeId);
    }

    private static void sequence(ArrayNode template, String id, int typeId) {
        ObjectNode item = template.addObject().putObject("Sequence");
        item.put("id", id);
        item.put("type_id", typeId);
    }
}
