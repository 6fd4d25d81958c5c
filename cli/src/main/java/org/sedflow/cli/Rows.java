package org.sedflow.cli;

import java.util.ArrayList;
import java.util.List;

/** Row selections like {@code 0,3,7-9} (0-based, inclusive ranges); null or empty = all rows. */
final class Rows {
    private Rows() {}

    static List<Integer> parse(String spec, int rowCount) {
        List<Integer> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            for (int r = 0; r < rowCount; r++) out.add(r);
            return out;
        }
        for (String part : spec.split(",")) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-', 1);
                int a = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
                int b = dash < 0 ? a : Integer.parseInt(p.substring(dash + 1).trim());
                if (a < 0 || b < a) throw new CliException("bad row range '" + p + "' in --rows");
                if (b >= rowCount)
                    throw new CliException(
                            "row " + b + " does not exist (the file has " + rowCount + " rows, 0-based)");
                for (int r = a; r <= b; r++) out.add(r);
            } catch (NumberFormatException e) {
                throw new CliException("bad row selection '" + p + "' in --rows (expected e.g. 0,3,7-9)");
            }
        }
        return out;
    }
}
