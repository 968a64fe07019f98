package org.fadkd.nlp.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.SettingsReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

final class TestTokenizerSettings {
    @Test
    void testDefaults() {
        TokenizerSettings settings = TokenizerSettings.from(ConfigFactory.empty());
        assertThat(settings).isEqualTo(new TokenizerSettings(TokenizerSettings.Type.WORDPIECE, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 8000, true));
        assertThat(TokenizerSettings.defaults().root().keySet())
                .containsExactlyInAnyOrder("type", "file", "gpt2-archive", "encoder-json", "vocab-bpe", "vocab-size", "lowercase");
    }

    @Test
    void testExplicitSections() {
        TokenizerSettings file = TokenizerSettings.from(ConfigFactory.parseString(
                "type = file, file = \"~/models/bert/tokenizer.json\", vocab-size = 100, lowercase = false"));
        assertThat(file.type()).isEqualTo(TokenizerSettings.Type.FILE);
        assertThat(file.file()).contains(Path.of(System.getProperty("user.home"), "models/bert/tokenizer.json"));
        assertThat(file.vocabularySize()).isEqualTo(100);
        assertThat(file.lowercase()).isFalse();

        TokenizerSettings gpt2 = TokenizerSettings.from(ConfigFactory.parseString(
                "type = gpt2-bpe, encoder-json = e/encoder.json, vocab-bpe = e/vocab.bpe"));
        assertThat(gpt2.type()).isEqualTo(TokenizerSettings.Type.GPT2_BPE);
        assertThat(gpt2.encoderJson()).contains(Path.of("e/encoder.json"));
        assertThat(gpt2.vocabBpe()).contains(Path.of("e/vocab.bpe"));
        assertThat(gpt2.gpt2Archive()).isEmpty();
    }

    @Test
    void testEveryProblemOfADatasetsSectionIsReportedTogether() {
        Config dataset = ConfigFactory.parseString(
                "tokenizer { type = gpt2-bpe, file = x.json, encoder-json = e.json, vocab-size = 3 }")
                .withFallback(ConfigFactory.empty().withValue("tokenizer", TokenizerSettings.defaults().root()));
        SettingsReader reader = new SettingsReader(dataset, "dataset", "text-test");
        TokenizerSettings.read(reader, "tokenizer");
        assertThatThrownBy(reader::throwIfInvalid)
                .isInstanceOfSatisfying(FadException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getProblems()).hasSize(3);
                })
                .hasMessageContaining("Setting 'tokenizer.file' of dataset 'text-test' is 'x.json'")
                .hasMessageContaining("empty unless tokenizer.type = file")
                .hasMessageContaining("'tokenizer.vocab-bpe'")
                .hasMessageContaining("set along with tokenizer.encoder-json")
                .hasMessageContaining("'tokenizer.vocab-size'");
    }

    @Test
    void testTypeSpecificRequirements() {
        assertInvalid("type = bpe", "one of file, gpt2-bpe, wordpiece");
        assertInvalid("type = file", "a tokenizer.json path when tokenizer.type = file");
        assertInvalid("type = gpt2-bpe, gpt2-archive = a.tgz, encoder-json = e.json, vocab-bpe = v.bpe", "one source only");
        assertInvalid("type = wordpiece, gpt2-archive = a.tgz", "empty unless tokenizer.type = gpt2-bpe");
        assertInvalid("vocab-size = 5", "an integer in [6, 1000000]");
    }

    private static void assertInvalid(String section, String message) {
        assertThatThrownBy(() -> TokenizerSettings.from(ConfigFactory.parseString(section)))
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining(message);
    }
}
