package org.fadkd.engine.weights;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fadkd.api.FadException;
import org.fadkd.engine.util.Json;

/**
 * Reads a safetensors file: an 8-byte little-endian header length N, a JSON header of N bytes
 * ({@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...}} with an
 * optional {@code "__metadata__"} object of strings), then the data, each tensor's bytes at its
 * offsets from the end of the header, little-endian and row-major.
 *
 * <p>{@link #open} reads and checks the whole header: every dtype known, every shape
 * non-negative, every tensor's offsets inside the file, of the length its shape and dtype need,
 * and no two tensors overlapping. A file that fails any of these is refused before a byte of data
 * is read, so a truncated download is reported at once. Unused bytes between tensors, which the
 * format forbids but which harm nothing, are tolerated. Tensor data is then read on demand, one
 * tensor at a time, through positional reads in chunks: files of many gigabytes work without
 * holding more than the tensor being read (a single {@code byte[]} or mapping could not exceed 2
 * GB anyway).
 *
 * <p>Supported dtypes: F64, F32, F16, BF16 (read as float32; see {@link StoredType}) and I64,
 * I32, I16, I8, U8, BOOL (read as int64). The 8-bit float types and unsigned 16 to 64-bit
 * integers are refused with a message naming the tensor.
 *
 * <p>Thread-safe: reads use positional I/O on one channel and share no buffers, so tensors may be
 * read concurrently. Close it when done; it holds the file open. Interrupting a thread while it
 * reads closes the channel (as {@link FileChannel} does), and later reads then fail.
 *
 * @since 0.2
 */
public final class SafetensorsReader implements WeightsFile {
    private static final String FORMAT = "safetensors";
    /** The reference implementation's bound: a larger length is a corrupt or foreign file. */
    private static final long MAX_HEADER_BYTES = 100_000_000L;
    /** Bytes read per positional read: a multiple of every element size. */
    private static final int CHUNK_BYTES = 1 << 20;
    private static final String METADATA = "__metadata__";
    private static final ObjectReader HEADER_READER =
            // A name twice would make one tensor silently shadow the other; text after the object is corruption.
            Json.MAPPER.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, Entry> entries;
    private final List<WeightInfo> tensors;
    private final Map<String, String> metadata;

    private record Entry(WeightInfo info, long begin, long end) {}

    private SafetensorsReader(Path file, FileChannel channel, long dataStart, List<Entry> ordered,
            Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        Map<String, Entry> byName = new LinkedHashMap<>();
        List<WeightInfo> infos = new ArrayList<>();
        for (Entry entry : ordered) {
            byName.put(entry.info().name(), entry);
            infos.add(entry.info());
        }
        this.entries = Collections.unmodifiableMap(byName);
        this.tensors = List.copyOf(infos);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /**
     * Opens a safetensors file and checks its header.
     *
     * @param file the file, never null
     * @return the open reader, never null; the caller closes it
     * @throws FadException with {@link org.fadkd.api.ErrorCode#DATA_MISSING} when the file cannot
     *     be read or is not a valid safetensors file (truncated, a header length beyond the file,
     *     malformed JSON, an unknown dtype, offsets outside the data or overlapping); the message
     *     names the file and the fault
     * @since 0.2
     */
    public static SafetensorsReader open(Path file) {
        requireNonNull(file, "file is null");
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw WeightsFailures.unreadable(file, e);
        }
        try {
            return read(file, channel);
        } catch (RuntimeException e) {
            closeQuietly(channel, e);
            throw e;
        } catch (IOException e) {
            FadException failure = WeightsFailures.unreadable(file, e);
            closeQuietly(channel, failure);
            throw failure;
        }
    }

    private static void closeQuietly(FileChannel channel, Throwable primary) {
        try {
            channel.close();
        } catch (IOException suppressed) {
            primary.addSuppressed(suppressed);
        }
    }

    private static SafetensorsReader read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw malformed(file, String.format("it has %d bytes, fewer than the 8 of the header length", fileSize),
                    truncatedFix());
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.getLong(0);
        if (headerLength < 0 || headerLength > fileSize - 8) {
            throw malformed(file, String.format("its header length %s is beyond the file's %d bytes",
                    Long.toUnsignedString(headerLength), fileSize), truncatedFix());
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw malformed(file, String.format("its header length %d is over the format's limit of %d bytes",
                    headerLength, MAX_HEADER_BYTES), "Check that the file is a safetensors file.");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, 8);
        JsonNode header = parseHeader(file, headerBytes.array());
        long dataStart = 8 + headerLength;
        long dataSize = fileSize - dataStart;

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = header.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals(METADATA)) {
                readMetadata(file, field.getValue(), metadata);
            } else {
                entries.add(entry(file, field.getKey(), field.getValue(), dataSize));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        checkNoOverlap(file, entries);
        return new SafetensorsReader(file, channel, dataStart, entries, metadata);
    }

    private static JsonNode parseHeader(Path file, byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed(file, "its header is not UTF-8 text", checkFormatFix(), e);
        }
        JsonNode header;
        try {
            header = HEADER_READER.readTree(text);
        } catch (IOException e) {
            throw malformed(file, "its header is not valid JSON (" + firstLine(e.getMessage()) + ")", checkFormatFix(), e);
        }
        if (header == null || !header.isObject()) {
            throw malformed(file, "its header is not a JSON object", checkFormatFix());
        }
        return header;
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> metadata) {
        if (!node.isObject()) {
            throw malformed(file, "its __metadata__ is not an object of strings", checkFormatFix());
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isTextual()) {
                throw malformed(file, String.format("its __metadata__ value '%s' is not a string", field.getKey()),
                        checkFormatFix());
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
    }

    private static Entry entry(Path file, String name, JsonNode node, long dataSize) {
        if (!node.isObject()) {
            throw malformed(file, String.format("tensor '%s' is not described by an object", name), checkFormatFix());
        }
        JsonNode dtype = node.get("dtype");
        if (dtype == null || !dtype.isTextual()) {
            throw malformed(file, String.format("tensor '%s' has no dtype string", name), checkFormatFix());
        }
        StoredType type = storedType(file, name, dtype.textValue());
        long[] dimensions = longs(file, name, node.get("shape"), "shape", -1);
        long size = 1;
        for (long dimension : dimensions) {
            if (dimension < 0) {
                throw malformed(file, String.format("tensor '%s' has a negative dimension in shape %s", name,
                        Arrays.toString(dimensions)), checkFormatFix());
            }
            try {
                size = Math.multiplyExact(size, dimension);
            } catch (ArithmeticException e) {
                throw malformed(file, String.format("tensor '%s' has shape %s, too many elements to count", name,
                        Arrays.toString(dimensions)), checkFormatFix());
            }
        }
        long[] offsets = longs(file, name, node.get("data_offsets"), "data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin < 0 || end < begin || end > dataSize) {
            throw malformed(file, String.format("tensor '%s' has data_offsets [%d, %d] outside the data's %d bytes",
                    name, begin, end, dataSize), end > dataSize ? truncatedFix() : checkFormatFix());
        }
        if (size > Long.MAX_VALUE / type.byteSize() || end - begin != size * type.byteSize()) {
            throw malformed(file, String.format(
                    "tensor '%s' has data_offsets [%d, %d] (%d bytes) but %s of shape %s needs %s bytes", name, begin,
                    end, end - begin, type, Arrays.toString(dimensions),
                    size > Long.MAX_VALUE / type.byteSize() ? "more than 2^63" : Long.toString(size * type.byteSize())),
                    checkFormatFix());
        }
        return new Entry(new WeightInfo(name, type, new Shape(dimensions), size), begin, end);
    }

    private static StoredType storedType(Path file, String name, String dtype) {
        try {
            return StoredType.valueOf(dtype);
        } catch (IllegalArgumentException e) {
            throw malformed(file, String.format("tensor '%s' has dtype '%s', which FAD does not read (it reads %s)",
                    name, dtype, Arrays.toString(StoredType.values())),
                    "Convert the weights to float32, float16 or bfloat16 before loading them.");
        }
    }

    private static long[] longs(Path file, String name, JsonNode node, String key, int expectedLength) {
        if (node == null || !node.isArray() || (expectedLength >= 0 && node.size() != expectedLength)) {
            throw malformed(file, String.format("tensor '%s' has no %s list%s", name, key,
                    expectedLength >= 0 ? " of " + expectedLength + " integers" : ""), checkFormatFix());
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode value = node.get(i);
            if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                throw malformed(file, String.format("tensor '%s' has %s value '%s', not an integer", name, key, value),
                        checkFormatFix());
            }
            values[i] = value.longValue();
        }
        return values;
    }

    private static void checkNoOverlap(Path file, List<Entry> sorted) {
        // Sorted by start, a tensor overlaps an earlier one exactly when it starts before the
        // furthest end so far. Empty tensors take no bytes and overlap nothing.
        Entry furthest = null;
        for (Entry current : sorted) {
            if (current.end() == current.begin()) {
                continue;
            }
            if (furthest != null && current.begin() < furthest.end()) {
                throw malformed(file, String.format("tensors '%s' [%d, %d] and '%s' [%d, %d] overlap",
                        furthest.info().name(), furthest.begin(), furthest.end(), current.info().name(),
                        current.begin(), current.end()), checkFormatFix());
            }
            if (furthest == null || current.end() > furthest.end()) {
                furthest = current;
            }
        }
    }

    private static FadException malformed(Path file, String problem, String fix) {
        return WeightsFailures.malformed(file, FORMAT, problem, fix);
    }

    private static FadException malformed(Path file, String problem, String fix, Throwable cause) {
        return WeightsFailures.malformed(file, FORMAT, problem, fix, cause);
    }

    private static String truncatedFix() {
        return "The file looks truncated (an interrupted download or copy): fetch or export it again.";
    }

    private static String checkFormatFix() {
        return "Check that it is a safetensors file, and write it again with a safetensors writer.";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                // The file shrank after open checked its size.
                throw new IOException("unexpected end of file at byte " + at);
            }
            at += read;
        }
        buffer.flip();
    }

    @Override
    public Path getFile() {
        return file;
    }

    @Override
    public List<WeightInfo> getTensors() {
        return tensors;
    }

    @Override
    public WeightInfo getInfo(String name) {
        return entry(name).info();
    }

    /**
     * Returns the header's {@code __metadata__}, a free-form map of strings (e.g. {@code format =
     * pt}).
     *
     * @return an unmodifiable map in the header's order, empty when the header has none, never null
     * @since 0.2
     */
    public Map<String, String> getMetadata() {
        return metadata;
    }

    @Override
    public float[] readFloats(String name) {
        Entry entry = entry(name);
        float[] values = new float[WeightsFailures.arrayLength(file, entry.info())];
        readChunks(entry, (chunk, offset, count) -> Decoding.toFloats(entry.info().storedType(), chunk, values, offset, count));
        return values;
    }

    @Override
    public long[] readLongs(String name) {
        Entry entry = entry(name);
        WeightsFailures.requireInteger(file, entry.info());
        long[] values = new long[WeightsFailures.arrayLength(file, entry.info())];
        readChunks(entry, (chunk, offset, count) -> Decoding.toLongs(entry.info().storedType(), chunk, values, offset, count));
        return values;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw WeightsFailures.unreadable(file, e);
        }
    }

    private Entry entry(String name) {
        requireNonNull(name, "name is null");
        Entry entry = entries.get(name);
        if (entry == null) {
            throw WeightsFailures.missing(file, name, entries.keySet());
        }
        return entry;
    }

    private interface ChunkDecoder {
        void decode(ByteBuffer chunk, int offset, int count);
    }

    private void readChunks(Entry entry, ChunkDecoder decoder) {
        int elementBytes = entry.info().storedType().byteSize();
        long remaining = entry.end() - entry.begin();
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(remaining, 1)));
        long position = dataStart + entry.begin();
        int element = 0;
        try {
            while (remaining > 0) {
                buffer.clear();
                buffer.limit((int) Math.min(buffer.capacity(), remaining));
                readFully(channel, buffer, position);
                int count = buffer.remaining() / elementBytes;
                decoder.decode(buffer, element, count);
                element += count;
                position += buffer.limit();
                remaining -= buffer.limit();
            }
        } catch (ClosedChannelException e) {
            throw new IllegalStateException("the reader of " + file + " is closed", e);
        } catch (IOException e) {
            throw WeightsFailures.unreadable(file, e);
        }
    }
}
