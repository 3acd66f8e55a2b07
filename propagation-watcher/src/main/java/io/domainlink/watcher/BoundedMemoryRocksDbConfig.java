package io.domainlink.watcher;

import java.util.Map;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds RocksDB's off-heap memory for the whole instance (Kafka Streams' documented recipe): one LRU block cache
 * shared by every store, index and filter blocks counted in it, and memtables charged against it through a shared
 * {@link WriteBufferManager}. Sizes come from {@code rocksdb.block.cache.mb} / {@code rocksdb.write.buffer.mb}.
 */
public final class BoundedMemoryRocksDbConfig implements RocksDBConfigSetter {

    public static final String CACHE_BYTES = "domainlink.watcher.rocksdb.cache.bytes";
    public static final String WRITE_BUFFER_BYTES = "domainlink.watcher.rocksdb.write.buffer.bytes";

    private static Cache cache;
    private static WriteBufferManager writeBufferManager;

    private static synchronized void init(long cacheBytes, long writeBufferBytes) {
        if (cache == null) {
            cache = new LRUCache(cacheBytes + writeBufferBytes, -1, false, 0.1);
            writeBufferManager = new WriteBufferManager(writeBufferBytes, cache);
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        long cacheBytes = number(configs.get(CACHE_BYTES), 32L << 20);
        long writeBufferBytes = number(configs.get(WRITE_BUFFER_BYTES), 16L << 20);
        init(cacheBytes, writeBufferBytes);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBufferManager);
        options.setWriteBufferSize(Math.min(8L << 20, writeBufferBytes / 2));
        options.setMaxWriteBufferNumber(2);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write buffer manager are shared by every store: never closed here
    }

    private static long number(Object v, long dflt) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        return v == null ? dflt : Long.parseLong(v.toString());
    }
}
