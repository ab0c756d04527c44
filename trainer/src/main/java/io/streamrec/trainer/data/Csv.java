package io.streamrec.trainer.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The small part of RFC 4180 that MovieLens needs: fields separated by commas, a field may be
 * quoted, and a quote inside a quoted field is doubled ({@code "Bird, The ""Early"" (1999)"}).
 */
final class Csv {
    private Csv() {
    }

    static String[] splitLine(String file, long lineNo, String line) {
        List<String> out = new ArrayList<>(4);
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            field.setLength(0);
            if (i < n && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new DataFormatException(file, lineNo, null,
                                "unterminated quoted field (field " + (out.size() + 1) + ")");
                    }
                    char c = line.charAt(i++);
                    if (c != '"') {
                        field.append(c);
                    } else if (i < n && line.charAt(i) == '"') {
                        field.append('"'); // "" is an escaped quote
                        i++;
                    } else {
                        break; // closing quote
                    }
                }
                if (i < n && line.charAt(i) != ',') {
                    throw new DataFormatException(file, lineNo, null,
                            "text after closing quote (field " + (out.size() + 1) + ")");
                }
            } else {
                int end = line.indexOf(',', i);
                end = end < 0 ? n : end;
                field.append(line, i, end);
                i = end;
            }
            out.add(field.toString());
            if (i >= n) {
                return out.toArray(new String[0]);
            }
            i++; // skip the comma
            if (i == n) {
                out.add(""); // trailing comma: an empty last field
                return out.toArray(new String[0]);
            }
        }
    }
}
