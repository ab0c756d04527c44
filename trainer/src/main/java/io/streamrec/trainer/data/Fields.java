package io.streamrec.trainer.data;

/**
 * One line split into named fields, remembering file and line number so that every parse error
 * can say exactly where it happened and which field was wrong.
 */
final class Fields {
    private final String file;
    private final long line;
    private final String[] names;
    private final String[] values;

    private Fields(String file, long line, String[] names, String[] values) {
        this.file = file;
        this.line = line;
        this.names = names;
        this.values = values;
    }

    /** Splits on a literal separator (no regex: ratings files can have 25M+ lines). */
    static Fields split(String file, long line, String text, String separator, String... names) {
        String[] values = new String[names.length];
        int count = 0;
        int start = 0;
        while (true) {
            int end = text.indexOf(separator, start);
            String v = end < 0 ? text.substring(start) : text.substring(start, end);
            if (count < values.length) {
                values[count] = v;
            }
            count++;
            if (end < 0) {
                break;
            }
            start = end + separator.length();
        }
        checkCount(file, line, names, count, "'" + printable(separator) + "'-separated ");
        return new Fields(file, line, names, values);
    }

    /** Wraps values split elsewhere (quoted CSV). */
    static Fields of(String file, long line, String[] values, String... names) {
        checkCount(file, line, names, values.length, "comma-separated ");
        return new Fields(file, line, names, values);
    }

    String text(int k) {
        return values[k];
    }

    /** A non-negative integer id. */
    int id(int k) {
        String v = values[k].strip();
        int id;
        try {
            id = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw error(k, "not an integer: \"" + values[k] + "\"");
        }
        if (id < 0) {
            throw error(k, "negative id: " + id);
        }
        return id;
    }

    float number(int k) {
        String v = values[k].strip();
        float f;
        try {
            f = Float.parseFloat(v);
        } catch (NumberFormatException e) {
            f = Float.NaN;
        }
        if (!Float.isFinite(f)) { // parseFloat accepts "NaN" and "Infinity"; a rating must not
            throw error(k, "not a number: \"" + values[k] + "\"");
        }
        return f;
    }

    long int64(int k) {
        try {
            return Long.parseLong(values[k].strip());
        } catch (NumberFormatException e) {
            throw error(k, "not an integer: \"" + values[k] + "\"");
        }
    }

    DataFormatException error(int k, String problem) {
        return new DataFormatException(file, line, names[k], problem);
    }

    private static void checkCount(String file, long line, String[] names, int count, String kind) {
        if (count < names.length) {
            throw new DataFormatException(file, line, names[count], "missing (expected " + names.length + " "
                    + kind + "fields, found " + count + ")");
        }
        if (count > names.length) {
            throw new DataFormatException(file, line, null, "expected " + names.length + " " + kind
                    + "fields, found " + count);
        }
    }

    private static String printable(String separator) {
        return separator.replace("\t", "\\t");
    }
}
