package io.domainlink.common.kafka;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import com.google.common.base.Utf8;

import io.domainlink.common.serde.SerdeException;

/** How big a record is, counted the way {@code input.max.bytes} counts it: the value plus every header's key and value. */
public final class RecordSizes {

    private RecordSizes() {
    }

    /** The UTF-8 length of every header key plus the length of every header value; 0 for null. */
    public static long headerBytes(Headers headers) {
        long n = 0;
        if (headers != null) {
            for (Header h : headers) {
                n += Utf8.encodedLength(h.key()) + length(h.value());
            }
        }
        return n;
    }

    public static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    /**
     * @throws SerdeException of kind {@link SerdeException.Kind#RECORD_TOO_LARGE} (poison) when the value plus the
     *     headers is over {@code maxBytes}
     */
    public static void requireWithin(String what, byte[] value, Headers headers, int maxBytes) {
        long headerBytes = headerBytes(headers);
        if (length(value) + headerBytes > maxBytes) {
            throw new SerdeException(SerdeException.Kind.RECORD_TOO_LARGE, what + " has a value of " + length(value)
                    + " bytes and headers of " + headerBytes + " bytes, more than input.max.bytes=" + maxBytes + " together");
        }
    }
}
