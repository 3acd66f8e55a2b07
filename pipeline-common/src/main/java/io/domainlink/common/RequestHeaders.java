package io.domainlink.common;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Internal headers that name the request a record belongs to, written by the stage that produces an internal event
 * ({@code domains.accepted} by the request-ingestor, {@code domains.configured} by the domain-connector) so that the
 * next stage can still end that request when the record's value cannot be read. Headers from upstream systems never
 * reach an internal topic with these names (the edge keeps only an allow-list).
 */
public final class RequestHeaders {

    /** The request id (UTF-8). */
    public static final String REQUEST_ID = "domainlink.request.id";
    /** The request's admission number for its domain (decimal, UTF-8). */
    public static final String GENERATION = "domainlink.generation";

    /** Longest request id read from a header: the most the request-ingestor can be configured to admit. */
    public static final int MAX_REQUEST_ID_CHARS = 1_024;

    private RequestHeaders() {
    }

    /** Sets both headers on {@code headers}, replacing any header of those names. Returns {@code headers}. */
    public static Headers write(Headers headers, String requestId, long generation) {
        headers.remove(REQUEST_ID);
        headers.remove(GENERATION);
        headers.add(REQUEST_ID, requestId.getBytes(StandardCharsets.UTF_8));
        headers.add(GENERATION, Long.toString(generation).getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /**
     * The request id of the last {@link #REQUEST_ID} header, when it is one: valid UTF-8, 1 to
     * {@value #MAX_REQUEST_ID_CHARS} characters, no control characters.
     */
    public static Optional<String> requestId(Headers headers) {
        return text(headers, REQUEST_ID, MAX_REQUEST_ID_CHARS)
                .filter(id -> !id.isEmpty() && id.codePoints().noneMatch(Character::isISOControl));
    }

    /** The generation of the last {@link #GENERATION} header, when it is a decimal number of 0 or more (at most 18 digits). */
    public static OptionalLong generation(Headers headers) {
        Optional<String> text = text(headers, GENERATION, 18).filter(s -> !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9'));
        return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text.get()));
    }

    private static Optional<String> text(Headers headers, String name, int maxChars) {
        Header h = headers == null ? null : headers.lastHeader(name);
        if (h == null || h.value() == null || h.value().length > 4 * maxChars) {
            return Optional.empty();
        }
        return utf8(h.value()).filter(s -> s.length() <= maxChars);
    }

    /** {@code bytes} as UTF-8 text, when they are valid UTF-8. */
    static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
