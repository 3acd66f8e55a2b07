package io.domainlink.common.serde;

import java.nio.ByteBuffer;

/** The Confluent wire format: magic byte {@code 0}, a 4-byte big-endian schema id, then the Avro binary body. */
public final class ConfluentWireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private ConfluentWireFormat() {
    }

    /** The schema id of a framed record; throws {@link SerdeException} (poison) when the frame is not Confluent's. */
    public static int schemaId(byte[] framed) {
        if (framed.length < HEADER_SIZE) {
            throw new SerdeException(SerdeException.Kind.UNKNOWN_MAGIC_BYTE,
                    "record of " + framed.length + " bytes is too short for the Confluent wire format");
        }
        if (framed[0] != MAGIC_BYTE) {
            throw new SerdeException(SerdeException.Kind.UNKNOWN_MAGIC_BYTE,
                    String.format("first byte is 0x%02x, not the Confluent magic byte 0x00", framed[0]));
        }
        return ByteBuffer.wrap(framed, 1, 4).getInt();
    }

    static byte[] header(int schemaId) {
        return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC_BYTE).putInt(schemaId).array();
    }
}
