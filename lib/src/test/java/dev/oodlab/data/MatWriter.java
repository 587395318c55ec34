package dev.oodlab.data;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;

/** Writes small MATLAB level-5 MAT files by hand, for the tests of {@link SvhnMat}. */
final class MatWriter {

    static final int MI_INT8 = 1;
    static final int MI_UINT8 = 2;
    static final int MI_INT32 = 5;
    static final int MI_UINT32 = 6;
    static final int MI_DOUBLE = 9;
    static final int MI_MATRIX = 14;
    static final int MI_COMPRESSED = 15;
    static final int MX_CHAR = 4;
    static final int MX_DOUBLE = 6;
    static final int MX_UINT8 = 9;

    /** One variable: class, dimensions, storage type and values (column-major). */
    record Var(String name, int mxClass, int[] dims, int type, double[] values) {}

    private MatWriter() {}

    static byte[] write(ByteOrder order, boolean compress, List<Var> vars) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = new byte[128];
        Arrays.fill(header, 0, 116, (byte) ' ');
        byte[] text =
                "MATLAB 5.0 MAT-file, written by the oodlab tests"
                        .getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, header, 0, text.length);
        ByteBuffer h = ByteBuffer.wrap(header).order(order);
        h.putShort(124, (short) 0x0100);
        h.putShort(126, (short) (('M' << 8) | 'I'));
        out.writeBytes(header);
        for (Var v : vars) {
            byte[] matrix = element(order, MI_MATRIX, body(order, v));
            if (compress) {
                Deflater deflater = new Deflater();
                deflater.setInput(matrix);
                deflater.finish();
                ByteArrayOutputStream z = new ByteArrayOutputStream();
                byte[] buf = new byte[4096];
                while (!deflater.finished()) {
                    z.write(buf, 0, deflater.deflate(buf));
                }
                deflater.end();
                byte[] zb = z.toByteArray();
                // compressed elements are not padded
                out.writeBytes(
                        ByteBuffer.allocate(8)
                                .order(order)
                                .putInt(MI_COMPRESSED)
                                .putInt(zb.length)
                                .array());
                out.writeBytes(zb);
            } else {
                out.writeBytes(matrix);
            }
        }
        return out.toByteArray();
    }

    private static byte[] body(ByteOrder order, Var v) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(
                element(
                        order,
                        MI_UINT32,
                        ByteBuffer.allocate(8).order(order).putInt(v.mxClass()).putInt(0).array()));
        ByteBuffer dims = ByteBuffer.allocate(4 * v.dims().length).order(order);
        for (int d : v.dims()) {
            dims.putInt(d);
        }
        b.writeBytes(element(order, MI_INT32, dims.array()));
        byte[] name = v.name().getBytes(StandardCharsets.US_ASCII);
        if (name.length <= 4) {
            // small data element form
            ByteBuffer small = ByteBuffer.allocate(8).order(order);
            small.putInt((name.length << 16) | MI_INT8);
            small.put(name);
            b.writeBytes(small.array());
        } else {
            b.writeBytes(element(order, MI_INT8, name));
        }
        int size =
                v.type() == MI_DOUBLE ? 8 : v.type() == MI_INT32 || v.type() == MI_UINT32 ? 4 : 1;
        ByteBuffer data = ByteBuffer.allocate(size * v.values().length).order(order);
        for (double x : v.values()) {
            switch (v.type()) {
                case MI_DOUBLE -> data.putDouble(x);
                case MI_INT32, MI_UINT32 -> data.putInt((int) x);
                default -> data.put((byte) (int) x);
            }
        }
        b.writeBytes(element(order, v.type(), data.array()));
        return b.toByteArray();
    }

    /** A tag (type, byte count) and the data, padded to a multiple of 8 bytes. */
    private static byte[] element(ByteOrder order, int type, byte[] data) {
        int padded = (data.length + 7) / 8 * 8;
        ByteBuffer e = ByteBuffer.allocate(8 + padded).order(order);
        e.putInt(type).putInt(data.length).put(data);
        return e.array();
    }
}
