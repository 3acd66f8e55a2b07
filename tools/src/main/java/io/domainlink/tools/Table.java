package io.domainlink.tools;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain text table: columns padded to their widest cell, the last column left unpadded; right-aligned columns by index. */
final class Table {

    private final List<String[]> rows = new ArrayList<>();
    private final boolean[] right;

    Table(String... header) {
        rows.add(header);
        right = new boolean[header.length];
    }

    Table alignRight(int... columns) {
        for (int c : columns) {
            right[c] = true;
        }
        return this;
    }

    Table row(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = cells[i] == null ? "-" : String.valueOf(cells[i]);
        }
        rows.add(r);
        return this;
    }

    int size() {
        return rows.size() - 1;
    }

    void print(PrintWriter out) {
        int n = rows.get(0).length;
        int[] width = new int[n];
        for (String[] r : rows) {
            for (int i = 0; i < n; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                boolean last = i == n - 1;
                if (right[i]) {
                    sb.append(" ".repeat(width[i] - r[i].length())).append(r[i]);
                } else {
                    sb.append(r[i]);
                    if (!last) {
                        sb.append(" ".repeat(width[i] - r[i].length()));
                    }
                }
                if (!last) {
                    sb.append("  ");
                }
            }
            out.println(sb.toString().stripTrailing());
        }
        out.flush();
    }
}
