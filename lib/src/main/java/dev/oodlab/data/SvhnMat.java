package dev.oodlab.data;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Reader for SVHN's cropped-digit files ({@code test_32x32.mat}, {@code train_32x32.mat}, {@code
 * extra_32x32.mat}) and their conversion into CIFAR-style binary records.
 *
 * <p>The files are MATLAB level-5 MAT files holding {@code X}, a {@code uint8} array of size
 * 32×32×3×N (row, column, channel, image; MATLAB stores it column-major), and {@code y}, N×1 labels
 * 1–10 where 10 stands for the digit 0. The part of the MAT v5 format needed for that is read here
 * with no dependency: the 128-byte header (either byte order), {@code miCOMPRESSED} (zlib) and
 * plain {@code miMATRIX} elements, the small-element form, and real numeric arrays of any class and
 * storage type. MAT 7.3 files (HDF5) are rejected with a message.
 *
 * <p>{@link #convert} writes one 3073-byte record per image, as in CIFAR-10's binary version: the
 * label (0–9), then the red, green and blue 32×32 planes row by row, so that {@link
 * Cifar10#read(java.util.List, String)} reads the result. {@code data-scripts/fetch-svhn.sh} runs
 * {@link #main} for that.
 */
public final class SvhnMat {

    /** Side of an SVHN image. */
    public static final int SIZE = 32;

    private static final int MI_INT8 = 1;
    private static final int MI_UINT8 = 2;
    private static final int MI_INT16 = 3;
    private static final int MI_UINT16 = 4;
    private static final int MI_INT32 = 5;
    private static final int MI_UINT32 = 6;
    private static final int MI_SINGLE = 7;
    private static final int MI_DOUBLE = 9;
    private static final int MI_INT64 = 12;
    private static final int MI_UINT64 = 13;
    private static final int MI_MATRIX = 14;
    private static final int MI_COMPRESSED = 15;

    /** MATLAB array classes 6 (double) … 15 (uint64) are numeric. */
    private static final int MX_DOUBLE = 6;

    private static final int MX_UINT64 = 15;

    private SvhnMat() {}

    /**
     * A real numeric array of a MAT file.
     *
     * @param name the variable name
     * @param mxClass the MATLAB class (6 double, 7 single, 8 int8, 9 uint8, … 15 uint64)
     * @param dims the dimensions, MATLAB order
     * @param type the storage type of the data (miUINT8, miDOUBLE, …), which may be narrower than
     *     the class
     * @param data the stored elements, column-major, in the file's byte order
     */
    public record MatArray(String name, int mxClass, int[] dims, int type, ByteBuffer data) {

        /** The number of elements. */
        public int count() {
            return data.remaining() / typeSize(type);
        }

        /** Element {@code i} (column-major) as a double. */
        public double get(int i) {
            int at = data.position() + i * typeSize(type);
            return switch (type) {
                case MI_INT8 -> data.get(at);
                case MI_UINT8 -> data.get(at) & 0xff;
                case MI_INT16 -> data.getShort(at);
                case MI_UINT16 -> data.getShort(at) & 0xffff;
                case MI_INT32 -> data.getInt(at);
                case MI_UINT32 -> data.getInt(at) & 0xffffffffL;
                case MI_SINGLE -> data.getFloat(at);
                case MI_DOUBLE -> data.getDouble(at);
                case MI_INT64 -> data.getLong(at);
                case MI_UINT64 -> {
                    long v = data.getLong(at);
                    yield v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
                }
                default -> throw new IllegalStateException("type " + type);
            };
        }

        @Override
        public String toString() {
            return name + " (class " + mxClass + ", " + Arrays.toString(dims) + ")";
        }
    }

    /**
     * The real numeric arrays of a MAT v5 file, by name; other variables (cells, structs, text,
     * sparse or complex arrays) are skipped.
     */
    public static Map<String, MatArray> readArrays(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot be read: " + e.getMessage(), e);
        }
        if (bytes.length < 128) {
            throw new DataFormatException(file, "is not a MAT file (" + bytes.length + " bytes)");
        }
        String text = new String(bytes, 0, 116, StandardCharsets.ISO_8859_1);
        if (text.startsWith("MATLAB 7.3")) {
            throw new DataFormatException(
                    file,
                    "is a MAT 7.3 (HDF5) file; only MAT v5 is read (SVHN's files are v5: is this"
                            + " the right file?)");
        }
        ByteOrder order;
        if (bytes[126] == 'I' && bytes[127] == 'M') {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (bytes[126] == 'M' && bytes[127] == 'I') {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            throw new DataFormatException(file, "is not a MAT v5 file (no endian indicator)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(order);
        int version = buf.getShort(124) & 0xffff;
        if (!text.startsWith("MATLAB") || version != 0x0100) {
            throw new DataFormatException(
                    file,
                    "is not a MAT v5 file (header '"
                            + text.substring(0, Math.min(20, text.length())).trim()
                            + "', version 0x"
                            + Integer.toHexString(version)
                            + ")");
        }
        Map<String, MatArray> out = new LinkedHashMap<>();
        int pos = 128;
        while (pos < bytes.length) {
            if (bytes.length - pos < 8) {
                throw new DataFormatException(
                        file, "is truncated (partial element at " + pos + ")");
            }
            int type = buf.getInt(pos);
            long n = buf.getInt(pos + 4) & 0xffffffffL;
            if (pos + 8 + n > bytes.length) {
                throw new DataFormatException(
                        file,
                        "is truncated: an element at byte "
                                + pos
                                + " announces "
                                + n
                                + " bytes, "
                                + (bytes.length - pos - 8)
                                + " are left");
            }
            ByteBuffer data = slice(buf, pos + 8, (int) n);
            if (type == MI_COMPRESSED) {
                byte[] inflated = inflate(file, bytes, pos + 8, (int) n);
                ByteBuffer inner = ByteBuffer.wrap(inflated).order(order);
                if (inflated.length < 8 || inner.getInt(0) != MI_MATRIX) {
                    throw new DataFormatException(
                            file, "a compressed element at byte " + pos + " holds no matrix");
                }
                long m = inner.getInt(4) & 0xffffffffL;
                if (8 + m > inflated.length) {
                    throw new DataFormatException(
                            file, "a compressed element at byte " + pos + " is truncated");
                }
                add(out, matrix(file, slice(inner, 8, (int) m)));
                pos += 8 + (int) n;
            } else {
                if (type == MI_MATRIX) {
                    add(out, matrix(file, data));
                }
                pos += 8 + pad8(n);
            }
        }
        return out;
    }

    /**
     * Reads an SVHN {@code *_32x32.mat} file and writes its images as CIFAR-style records to {@code
     * out} (through a temporary file renamed into place).
     *
     * @return the number of images written
     */
    public static int convert(Path mat, Path out) {
        Map<String, MatArray> arrays = readArrays(mat);
        MatArray x = arrays.get("X");
        MatArray y = arrays.get("y");
        if (x == null || y == null) {
            throw new DataFormatException(
                    mat, "has no numeric X and y (found " + arrays.keySet() + ")");
        }
        int[] d = x.dims();
        if (d.length != 4 || d[0] != SIZE || d[1] != SIZE || d[2] != 3) {
            throw new DataFormatException(
                    mat, "X has dimensions " + Arrays.toString(d) + ", expected 32x32x3xN");
        }
        int n = d[3];
        if (n == 0) {
            throw new DataFormatException(mat, "holds no images");
        }
        if (y.count() != n) {
            throw new DataFormatException(
                    mat, "y has " + y.count() + " labels for " + n + " images");
        }
        int imageSize = 3 * SIZE * SIZE;
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                byte[] record = new byte[1 + imageSize];
                boolean bytesX = x.type() == MI_UINT8;
                int base0 = x.data().position();
                for (int i = 0; i < n; i++) {
                    double label = y.get(i);
                    if (label != Math.rint(label) || label < 1 || label > 10) {
                        throw new DataFormatException(
                                mat, "label " + (i + 1) + " is " + label + ", expected 1-10");
                    }
                    record[0] = (byte) ((int) label % 10);
                    int base = i * imageSize;
                    for (int ch = 0; ch < 3; ch++) {
                        for (int r = 0; r < SIZE; r++) {
                            for (int c = 0; c < SIZE; c++) {
                                int src = base + ch * SIZE * SIZE + c * SIZE + r;
                                int v;
                                if (bytesX) {
                                    v = x.data().get(base0 + src) & 0xff;
                                } else {
                                    double value = x.get(src);
                                    if (value < 0 || value > 255 || value != Math.rint(value)) {
                                        throw new DataFormatException(
                                                mat, "X holds " + value + ", not a byte value");
                                    }
                                    v = (int) value;
                                }
                                record[1 + ch * SIZE * SIZE + r * SIZE + c] = (byte) v;
                            }
                        }
                    }
                    os.write(record);
                }
            }
            Files.move(
                    tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DataFormatException(out, "cannot be written: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the conversion's own error matters more
            }
        }
        return n;
    }

    /**
     * Converts an SVHN {@code .mat} file: {@code SvhnMat IN.mat OUT.bin}. Errors are one line
     * ({@code oodlab: …}) with exit code 1, usage errors exit with 2.
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println(
                    "usage: java -cp oodlab.jar dev.oodlab.data.SvhnMat IN_32x32.mat OUT.bin");
            System.exit(2);
        }
        try {
            int n = convert(Paths.get(args[0]), Paths.get(args[1]));
            System.err.println("oodlab: " + n + " SVHN images written to " + args[1]);
        } catch (DataFormatException e) {
            System.err.println("oodlab: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void add(Map<String, MatArray> out, MatArray a) {
        if (a != null) {
            out.put(a.name(), a);
        }
    }

    /** Parses the body of an miMATRIX element; {@code null} for non-numeric or complex arrays. */
    private static MatArray matrix(Path file, ByteBuffer body) {
        ByteBuffer b = body.slice().order(body.order());
        Sub flags = sub(file, b);
        if (flags.type != MI_UINT32 || flags.data.remaining() < 8) {
            throw new DataFormatException(file, "a matrix has malformed array flags");
        }
        int word = flags.data.getInt(flags.data.position());
        int mxClass = word & 0xff;
        boolean complex = (word & 0x0800) != 0;
        Sub dimsSub = sub(file, b);
        if (dimsSub.type != MI_INT32) {
            throw new DataFormatException(file, "a matrix has malformed dimensions");
        }
        int[] dims = new int[dimsSub.data.remaining() / 4];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = dimsSub.data.getInt(dimsSub.data.position() + 4 * i);
        }
        Sub nameSub = sub(file, b);
        byte[] nameBytes = new byte[nameSub.data.remaining()];
        nameSub.data.duplicate().get(nameBytes);
        String name = new String(nameBytes, StandardCharsets.US_ASCII);
        if (mxClass < MX_DOUBLE || mxClass > MX_UINT64 || complex) {
            return null;
        }
        Sub real = sub(file, b);
        if (typeSize(real.type) == 0) {
            throw new DataFormatException(
                    file, "variable " + name + " has unknown storage type " + real.type);
        }
        long expected = 1;
        for (int dim : dims) {
            expected *= dim;
        }
        long count = real.data.remaining() / typeSize(real.type);
        if (count != expected) {
            throw new DataFormatException(
                    file,
                    "variable "
                            + name
                            + " holds "
                            + count
                            + " elements for dimensions "
                            + Arrays.toString(dims));
        }
        return new MatArray(name, mxClass, dims, real.type, real.data);
    }

    private record Sub(int type, ByteBuffer data) {}

    /** Reads the next sub-element of a matrix at {@code b}'s position and advances past it. */
    private static Sub sub(Path file, ByteBuffer b) {
        if (b.remaining() < 8) {
            throw new DataFormatException(file, "a matrix element is truncated");
        }
        int p = b.position();
        int word = b.getInt(p);
        if ((word >>> 16) != 0) {
            // small data element: size in the upper, type in the lower 16 bits, data in 4 bytes
            int n = word >>> 16;
            int type = word & 0xffff;
            if (n > 4) {
                throw new DataFormatException(file, "a small data element claims " + n + " bytes");
            }
            b.position(p + 8);
            return new Sub(type, slice(b, p + 4, n));
        }
        long n = b.getInt(p + 4) & 0xffffffffL;
        if (n > b.remaining() - 8) {
            throw new DataFormatException(file, "a matrix element is truncated");
        }
        ByteBuffer data = slice(b, p + 8, (int) n);
        b.position((int) Math.min(b.limit(), p + 8 + pad8(n)));
        return new Sub(word, data);
    }

    private static ByteBuffer slice(ByteBuffer b, int from, int length) {
        ByteBuffer d = b.duplicate();
        d.limit(from + length);
        d.position(from);
        return d.slice().order(b.order());
    }

    private static byte[] inflate(Path file, byte[] bytes, int from, int length) {
        try (InputStream in =
                new InflaterInputStream(new ByteArrayInputStream(bytes, from, length))) {
            return in.readAllBytes();
        } catch (ZipException e) {
            throw new DataFormatException(
                    file, "a compressed element is corrupt: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DataFormatException(
                    file, "a compressed element cannot be read: " + e.getMessage(), e);
        }
    }

    private static long pad8(long n) {
        return (n + 7) & ~7L;
    }

    private static int typeSize(int type) {
        return switch (type) {
            case MI_INT8, MI_UINT8 -> 1;
            case MI_INT16, MI_UINT16 -> 2;
            case MI_INT32, MI_UINT32, MI_SINGLE -> 4;
            case MI_DOUBLE, MI_INT64, MI_UINT64 -> 8;
            default -> 0;
        };
    }
}
