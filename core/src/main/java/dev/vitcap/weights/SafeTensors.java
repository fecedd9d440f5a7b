package dev.vitcap.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitcap.io.AtomicFiles;
import dev.vitcap.io.FileFormatException;
import dev.vitcap.io.Missing;
import dev.vitcap.io.JsonErrors;
import dev.vitcap.model.WeightSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format (an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then the raw little-endian data), read and written by hand: the format
 * is a page long and no maintained JVM library for it exists outside whole frameworks.
 * Floating-point tensors of type F32, F16 and BF16 are read as float32; every write is F32.
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {
    }

    /** The file's contents: tensors by name, in file order, and the free-form string metadata. */
    public record Contents(Map<String, WeightSource> tensors, Map<String, String> metadata) {
    }

    /**
     * Reads every tensor. Refused, in one line naming the file and the tensor: a header that is not the
     * format's, tensors that overlap or leave bytes of the data section unclaimed (the format's own rule,
     * which also catches a header from one save over the data of another), and NaN or infinite values,
     * which no trained weight, optimiser moment or image holds and which would pass through a model
     * unnoticed (a NaN weight captions every image with the empty string).
     */
    public static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw bad(file, "too short to be a safetensors file (" + size + " bytes)");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, file);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
                throw bad(file, "header length " + headerLen + " does not fit a file of " + size + " bytes (truncated or not safetensors)");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8, file);
            JsonNode header;
            try {
                // The format's header is UTF-8; decoded here, as Jackson would take some byte patterns for UTF-16 or UTF-32.
                header = JSON.readTree(StandardCharsets.UTF_8.newDecoder().decode(headerBuf.flip()).toString());
            } catch (CharacterCodingException e) {
                throw bad(file, "header is not UTF-8 text");
            } catch (JsonProcessingException e) {
                throw bad(file, "header is not valid JSON: " + JsonErrors.describe(e));
            }
            if (header == null || !header.isObject()) throw bad(file, "header is not a JSON object");
            long dataStart = 8 + headerLen, dataLen = size - dataStart;
            List<Entry> entries = new ArrayList<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                entries.add(entry(file, e.getKey(), e.getValue(), dataLen));
            }
            checkTiling(file, entries, dataLen);
            Map<String, WeightSource> tensors = new LinkedHashMap<>();
            for (Entry e : entries) tensors.put(e.name(), readTensor(ch, file, e, dataStart));
            return new Contents(tensors, metadata);
        } catch (NoSuchFileException e) {
            throw new FileFormatException(file + ": " + Missing.why(file));
        }
    }

    /** One tensor as the header describes it: its bytes are {@code [begin, end)} of the data section. */
    private record Entry(String name, String dtype, int[] shape, int count, long begin, long end) {
        String bytes() {
            return "'" + name + "' (bytes " + begin + ".." + end + ")";
        }
    }

    private static Entry entry(Path file, String name, JsonNode info, long dataLen) throws FileFormatException {
        JsonNode shapeNode = info.get("shape"), offsets = info.get("data_offsets");
        if (shapeNode == null || !shapeNode.isArray() || offsets == null || !offsets.isArray() || offsets.size() != 2) {
            throw bad(file, "tensor '" + name + "' lacks a shape or data_offsets");
        }
        String dtype = info.path("dtype").asText();
        int width = switch (dtype) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            default -> throw bad(file, "tensor '" + name + "' has dtype " + dtype + "; only F32, F16 and BF16 are read");
        };
        int[] shape = new int[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToInt() || !d.isIntegralNumber() || d.intValue() < 0) {
                throw bad(file, "tensor '" + name + "' has dimension " + d + "; dimensions are whole numbers of at least 0");
            }
            shape[i] = d.intValue();
            // Saturates rather than overflows, so that a shape of absurd size is refused below as too large.
            count = Math.min(count * shape[i], Long.MAX_VALUE / Integer.MAX_VALUE);
        }
        long begin = offset(offsets.get(0)), end = offset(offsets.get(1));
        if (begin < 0 || end < begin || end > dataLen) {
            throw bad(file, "tensor '" + name + "' lies at bytes " + begin + ".." + end + " of " + dataLen + " (truncated file?)");
        }
        if (end - begin != count * width) {
            throw bad(file, "tensor '" + name + "' holds " + (end - begin) + " bytes, its shape needs " + count * width);
        }
        if (count > Integer.MAX_VALUE - 8) throw bad(file, "tensor '" + name + "' is too large");
        return new Entry(name, dtype, shape, (int) count, begin, end);
    }

    /** A byte offset, or -1 for anything that is not a whole number. */
    private static long offset(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToLong() ? n.longValue() : -1;
    }

    /** The tensors, in the order of their bytes, must cover the data section exactly: each starts where the one before ends. */
    private static void checkTiling(Path file, List<Entry> entries, long dataLen) throws FileFormatException {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long at = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin() < at) throw bad(file, "tensors " + previous.bytes() + " and " + e.bytes() + " overlap");
            if (e.begin() > at) {
                throw bad(file, "bytes " + at + ".." + e.begin() + " of the data belong to no tensor ("
                        + (previous == null ? "before the first, " + e.bytes() : "between " + previous.bytes() + " and " + e.bytes()) + ")");
            }
            at = e.end();
            previous = e;
        }
        if (at != dataLen) {
            throw bad(file, "bytes " + at + ".." + dataLen + " of the data belong to no tensor ("
                    + (previous == null ? "the header lists none" : "after the last, " + previous.bytes()) + ")");
        }
    }

    private static WeightSource readTensor(FileChannel ch, Path file, Entry e, long dataStart) throws IOException {
        ByteBuffer raw = ByteBuffer.allocate((int) (e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, raw, dataStart + e.begin(), file);
        raw.flip();
        float[] data = new float[e.count()];
        switch (e.dtype()) {
            case "F32" -> raw.asFloatBuffer().get(data);
            case "F16" -> {
                for (int i = 0; i < data.length; i++) data[i] = halfToFloat(raw.getShort(2 * i));
            }
            default -> {
                for (int i = 0; i < data.length; i++) data[i] = Float.intBitsToFloat((raw.getShort(2 * i) & 0xffff) << 16);
            }
        }
        int nonFinite = 0;
        for (float v : data) if (!Float.isFinite(v)) nonFinite++;
        if (nonFinite > 0) throw bad(file, "tensor '" + e.name() + "' holds " + nonFinite + " NaN or infinite values of " + data.length + " (a diverged or damaged save)");
        return new WeightSource(e.shape(), data);
    }

    /** IEEE half precision to float ({@code Float.float16ToFloat} arrived only in Java 20). */
    static float halfToFloat(short bits) {
        int h = bits & 0xffff, sign = (h & 0x8000) << 16, exp = (h >>> 10) & 0x1f, mant = h & 0x3ff;
        if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal (or zero)
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long position, Path file) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) throw bad(file, "ends early (truncated)");
            pos += n;
        }
    }

    /** Writes float32 tensors and string metadata to a temporary file beside {@code file}, then renames it into place. */
    public static void write(Path file, Map<String, WeightSource> tensors, Map<String, String> metadata) throws IOException {
        AtomicFiles.write(file, body(tensors, metadata));
    }

    /** The file's bytes: float32 tensors and string metadata, for {@link AtomicFiles} to write. */
    public static AtomicFiles.Body body(Map<String, WeightSource> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, WeightSource> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (int d : e.getValue().shape()) shape.add(d);
            long bytes = 4L * e.getValue().size();
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] headerBytes = JSON.writeValueAsBytes(header);
        // The header is padded with spaces to a multiple of 8 so the data stays aligned, as the format allows.
        int padded = (headerBytes.length + 7) / 8 * 8;
        return out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(headerBytes);
            for (int i = headerBytes.length; i < padded; i++) out.write(' ');
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (WeightSource w : tensors.values()) {
                for (float v : w.data()) {
                    if (!chunk.hasRemaining()) flush(chunk, out);
                    chunk.putFloat(v);
                }
            }
            flush(chunk, out);
        };
    }

    private static void flush(ByteBuffer chunk, OutputStream out) throws IOException {
        out.write(chunk.array(), 0, chunk.position());
        chunk.clear();
    }

    private static FileFormatException bad(Path file, String what) {
        return new FileFormatException(file + ": " + what);
    }
}
