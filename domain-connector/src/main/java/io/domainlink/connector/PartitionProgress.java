package io.domainlink.connector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Offsets of one partition between dispatch and commit. Records complete in any order (different keys run in
 * parallel); only the completed prefix is released, so the committed offset is always the lowest offset not yet
 * completed, and a result is published only together with the offset that covers it.
 *
 * @param <R> a completed record's result
 */
final class PartitionProgress<R> {

    private final TreeMap<Long, Slot<R>> slots = new TreeMap<>(); // offset -> result (null while in flight), dispatch time
    private int inFlight;
    private long base = -1; // where consumption (re)starts: the committed position, once known

    private static final class Slot<R> {
        final long dispatchedNanos;
        R result;

        Slot(long dispatchedNanos) {
            this.dispatchedNanos = dispatchedNanos;
        }
    }

    /** A completed prefix: its results in offset order and the offset to commit (the next one to read). */
    record Release<R>(List<R> results, long nextOffset, long lastOffset) {
        int count() {
            return results.size();
        }
    }

    /** The record at {@code offset} was handed to a worker at {@code atNanos} ({@link System#nanoTime()}). */
    void dispatched(long offset, long atNanos) {
        if (base < 0) {
            base = offset;
        }
        Slot<R> before = slots.put(offset, new Slot<>(atNanos));
        if (before == null || before.result != null) {
            inFlight++;
        }
    }

    /** @return false if the offset is unknown (dropped by a reset) or already completed */
    boolean completed(long offset, R result) {
        if (result == null) {
            throw new IllegalArgumentException("result");
        }
        Slot<R> slot = slots.get(offset);
        if (slot == null || slot.result != null) {
            return false;
        }
        slot.result = result;
        inFlight--;
        return true;
    }

    /** The completed prefix, not yet removed; null when the lowest offset is still in flight. */
    Release<R> releasable() {
        List<R> results = new ArrayList<>();
        long last = -1;
        for (Map.Entry<Long, Slot<R>> e : slots.entrySet()) {
            if (e.getValue().result == null) {
                break;
            }
            results.add(e.getValue().result);
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

    /**
     * When the oldest record not yet committed (in flight, or completed and held behind one) was dispatched, as
     * {@link System#nanoTime()}; empty when there is none. Offsets are dispatched in order, so it is the lowest one's.
     */
    OptionalLong oldestDispatchedNanos() {
        return slots.isEmpty() ? OptionalLong.empty() : OptionalLong.of(slots.firstEntry().getValue().dispatchedNanos);
    }

    /** Records dispatched and not yet committed (in flight or completed and held). */
    int uncommitted() {
        return slots.size();
    }
}
