package io.streamrec.trainer.data;

/**
 * A data file that cannot be read as the layout it claims to be. The message always says where:
 * {@code ratings.csv line 17: field 'rating': not a number: "abc"}, so a user can open the file at
 * that line. Unchecked, because callers can do nothing but report it.
 */
public class DataFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;
    private final String field;

    /**
     * @param file  file name (or directory, for a layout problem)
     * @param line  1-based line number, or 0 when the problem is not on one line
     * @param field the field name, or null when the problem is not one field
     */
    public DataFormatException(String file, long line, String field, String problem) {
        super(format(file, line, field, problem));
        this.file = file;
        this.line = line;
        this.field = field;
    }

    public String file() {
        return file;
    }

    /** 1-based line number, 0 when the problem is not on a particular line. */
    public long line() {
        return line;
    }

    /** Field name, or null. */
    public String field() {
        return field;
    }

    private static String format(String file, long line, String field, String problem) {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(" line ").append(line);
        }
        if (field != null) {
            sb.append(": field '").append(field).append('\'');
        }
        return sb.append(": ").append(problem).toString();
    }
}
