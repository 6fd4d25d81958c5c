package org.sedflow.cli;

import java.util.ArrayList;
import java.util.List;

/** Splits SQL text into statements at semicolons outside quotes and comments. */
final class SqlScript {
    private SqlScript() {}

    static List<String> statements(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') { // quoted: copy through the closing quote ('' and "" escape themselves)
                int j = text.indexOf(c, i + 1);
                j = j < 0 ? n - 1 : j;
                cur.append(text, i, j + 1);
                i = j;
            } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') { // line comment: dropped
                int j = text.indexOf('\n', i);
                i = j < 0 ? n : j;
                cur.append('\n');
            } else if (c == ';') {
                add(out, cur);
            } else {
                cur.append(c);
            }
        }
        add(out, cur);
        return out;
    }

    private static void add(List<String> out, StringBuilder cur) {
        String s = cur.toString().strip();
        if (!s.isEmpty()) out.add(s);
        cur.setLength(0);
    }
}
