package org.fadkd.nlp.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

final class TestEmailText {
    @Test
    void testKeepsTheSubjectAndBodyAndDropsOtherHeaders() {
        String message =
                "From someone@example.com  Thu Aug 22 12:36:23 2002\n"
                        + "Received: from relay.example.com\n"
                        + "\tby mx.example.com\n"
                        + "Subject: Cheap   offer\n"
                        + "  for you\n"
                        + "Message-Id: <1@example.com>\n"
                        + "\n"
                        + "Buy now.\n"
                        + "\n"
                        + "Subject: not a header, a body line\n";

        assertThat(EmailText.subjectAndBody(message))
                .isEqualTo(
                        "Cheap   offer for you\nBuy now.\n\nSubject: not a header, a body line\n");
    }

    @Test
    void testCrLfLinesAMissingSubjectAndAMissingBody() {
        assertThat(EmailText.subjectAndBody("To: a@b\r\nsubject: hi\r\n\r\nbody\r\n"))
                .isEqualTo("hi\nbody\n");
        assertThat(EmailText.subjectAndBody("To: a@b\n\nbody only")).isEqualTo("body only");
        assertThat(EmailText.subjectAndBody("Subject: headers only")).isEqualTo("headers only\n");
    }

    @Test
    void testInvalidUtf8IsReadAsLatin1() {
        byte[] latin1 = "caf\u00e9 \u00a3".getBytes(StandardCharsets.ISO_8859_1);
        byte[] utf8 = "caf\u00e9 \u20ac".getBytes(StandardCharsets.UTF_8);

        assertThat(EmailText.decode(latin1)).isEqualTo("caf\u00e9 \u00a3");
        assertThat(EmailText.decode(utf8)).isEqualTo("caf\u00e9 \u20ac");
    }
}
