package org.sedflow.cli;

import java.io.PrintStream;

/** A query result as an aligned text table, for people rather than programs. */
final class Table {
    private Table() {}

    static void print(SqlEngine.Result r, PrintStream out) {
        int[] w = new int[r.columns().size()];
        for (int k = 0; k < w.length; k++) w[k] = r.columns().get(k).length();
        for (String[] row : r.rows())
            for (int k = 0; k < w.length; k++)
                w[k] = Math.max(w[k], text(row[k]).length());
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < w.length; k++)
            sb.append(k > 0 ? "  " : "").append(pad(r.columns().get(k), w[k]));
        out.println(sb);
        for (String[] row : r.rows()) {
            sb.setLength(0);
            for (int k = 0; k < w.length; k++) sb.append(k > 0 ? "  " : "").append(pad(text(row[k]), w[k]));
            out.println(sb);
        }
    }

    private static String text(String v) {
        return v == null ? "NULL" : v;
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(w - s.length());
    }
}
