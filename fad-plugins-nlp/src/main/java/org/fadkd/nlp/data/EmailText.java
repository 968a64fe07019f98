package org.fadkd.nlp.data;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The text a model reads of one raw e-mail (RFC 822: headers, an empty line, the body): its {@code
 * Subject} (unfolded), a line break, then the body as stored. Every other header (the {@code From}
 * line, {@code Received}, {@code Return-Path}, {@code Message-Id}, ...) is dropped: they carry
 * addresses, dates and relay hosts that identify the collection a message came from rather than
 * what it says. The body is kept as is: MIME boundaries, HTML and encoded parts included (no MIME
 * decoding), as most SpamAssassin baselines read it.
 *
 * <p>The bytes are read as UTF-8; a message that is not valid UTF-8 (about 500 of 6,046, most in
 * Latin-1 or Windows code pages) is read as ISO-8859-1, which maps every byte to one character.
 */
final class EmailText {
    private EmailText() {}

    /** Decodes the bytes of a raw message: UTF-8 when valid, else ISO-8859-1. */
    static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Returns the subject and the body of a raw message, as the class comment says; a message
     * without an empty line is all headers (an empty body).
     */
    static String subjectAndBody(String message) {
        String normalized = message.replace("\r\n", "\n");
        int end = normalized.indexOf("\n\n");
        String headers = end < 0 ? normalized : normalized.substring(0, end);
        String body = end < 0 ? "" : normalized.substring(end + 2);
        String subject = subject(headers);
        return subject.isEmpty() ? body : subject + "\n" + body;
    }

    /** The value of the first {@code Subject:} header, continuation lines joined; empty if none. */
    static String subject(String headers) {
        StringBuilder subject = null;
        for (String line : headers.split("\n", -1)) {
            boolean continuation = !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
            if (subject != null) {
                if (!continuation) {
                    break;
                }
                subject.append(' ').append(line.strip());
            } else if (line.toLowerCase(Locale.ROOT).startsWith("subject:")) {
                subject = new StringBuilder(line.substring("subject:".length()).strip());
            }
        }
        return subject == null ? "" : subject.toString();
    }
}
