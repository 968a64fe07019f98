package org.fadkd.runner.report;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;

/**
 * The two things the report's HTML needs beyond text blocks: escaping every text that comes from
 * a run (labels, paths, error messages) and inlining a PNG as a {@code data:} URI, so that the
 * file is self-contained. A template library would add a dependency for what these do.
 */
final class Html {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private Html() {}

    /** Escapes text for an element's content or a quoted attribute value. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Whether {@code bytes} start with the PNG signature. */
    static boolean isPng(byte[] bytes) {
        // signature, IHDR length and type, width, height
        return bytes.length >= 24
                && Arrays.equals(Arrays.copyOf(bytes, PNG_SIGNATURE.length), PNG_SIGNATURE);
    }

    /**
     * An {@code <img>} holding the PNG inline. Its pixel size is in the tag so that the page lays
     * out before the images decode; the style sheet scales it down to its container.
     *
     * @param png the PNG's bytes; must start with the PNG signature
     * @param alt the image's text alternative, unescaped
     */
    static String pngImage(byte[] png, String alt) {
        if (!isPng(png)) {
            throw new IllegalArgumentException("not a PNG image: " + alt);
        }
        // The IHDR chunk comes first: width and height are the big-endian ints at bytes 16 and 20.
        ByteBuffer header = ByteBuffer.wrap(png);
        return "<img src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png)
                + "\" width=\"" + header.getInt(16) + "\" height=\"" + header.getInt(20)
                + "\" alt=\"" + escape(alt) + "\">";
    }
}
