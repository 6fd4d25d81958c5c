package org.sedflow.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Command-line options: {@code --name value} pairs and bare {@code --flag}s; unknown options are errors. */
final class Args {
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> used = new HashSet<>();

    Args(String[] argv, Set<String> flags) {
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) throw new CliException("unexpected argument '" + a + "'");
            String name = a.substring(2);
            if (flags.contains(name)) values.put(name, "true");
            else {
                if (i + 1 >= argv.length) throw new CliException("option " + a + " needs a value");
                values.put(name, argv[++i]);
            }
        }
    }

    String string(String name, String dflt) {
        used.add(name);
        return values.getOrDefault(name, dflt);
    }

    String required(String name) {
        String v = string(name, null);
        if (v == null) throw new CliException("missing required option --" + name);
        return v;
    }

    Path path(String name) {
        return Path.of(required(name));
    }

    boolean flag(String name) {
        used.add(name);
        return values.containsKey(name);
    }

    long longValue(String name, long dflt) {
        String v = string(name, null);
        if (v == null) return dflt;
        try {
            return Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new CliException("--" + name + " must be an integer, got '" + v + "'");
        }
    }

    int intValue(String name, int dflt) {
        long v = longValue(name, dflt);
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) throw new CliException("--" + name + " is too large: " + v);
        return (int) v;
    }

    double doubleValue(String name, double dflt) {
        String v = string(name, null);
        if (v == null) return dflt;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new CliException("--" + name + " must be a number, got '" + v + "'");
        }
    }

    /** Call after reading every option: refuses options the command does not know. */
    void finish() {
        for (String k : values.keySet()) if (!used.contains(k)) throw new CliException("unknown option --" + k);
    }
}
