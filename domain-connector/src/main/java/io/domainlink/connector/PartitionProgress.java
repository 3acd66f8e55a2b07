package io.domainlink.connector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Offsets of one partition between dispatch and commit. Records complete in any order (different keys run in
 * parallel); only the completed prefix is released, so the committed offset is always the lowest offset not yet
 * completed, and a result is published only together with the offset that covers it.
 *
 * @param <R> a completed record's result
 */
final class PartitionProgress<R> {

    private final TreeMap<Long, R> slots = new TreeMap<>(); // offset -> result, null while in flight
    private int inFlight;
    private long base = -1; // where consumption (re)starts: the committed position, once known

    /** A completed prefix: its results in offset order and the offset to commit (the next one to read). */
    record Release<R>(List<R> results, long nextOffset, long lastOffset) {
        int count() {
            return results.size();
        }
    }

    void dispatched(long offset) {
        if (base < 0) {
            base = offset;
        }
        if (slots.put(offset, null) == null) {
            inFlight++;
        }
    }

    /** @return false if the offset is unknown (dropped by a reset) or already completed */
    boolean completed(long offset, R result) {
        if (result == null) {
            throw new IllegalArgumentException("result");
        }
        if (!slots.containsKey(offset) || slots.get(offset) != null) {
            return false;
        }
        slots.put(offset, result);
        inFlight--;
        return true;
    }

    /** The completed prefix, not yet removed; null when the lowest offset is still in flight. */
    Release<R> releasable() {
        List<R> results = new ArrayList<>();
        long last = -1;
        for (Map.Entry<Long, R> e : slots.entrySet()) {
            if (e.getValue() == null) {
                break;
            }
            results.add(e.getValue());
            last = e.getKey();
        }
        return results.isEmpty() ? null : new Release<>(results, last + 1, last);
    }

    /** The release was committed: forget it and move the base. */
    void released(Release<R> release) {
        slots.headMap(release.lastOffset(), true).clear();
        base = release.nextOffset();
    }

    /** Forget everything in flight or held (after an abort or revoke); the base stays for the seek. */
    void clear() {
        slots.clear();
        inFlight = 0;
    }

    /** The offset consumption must restart from after {@link #clear()}, or -1 if nothing was ever dispatched. */
    long base() {
        return base;
    }

    int inFlight() {
        return inFlight;
    }

    /** Records dispatched and not yet committed (in flight or completed and held). */
    int uncommitted() {
        return slots.size();
    }
}
