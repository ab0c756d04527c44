package io.streamrec.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Dockerfile read the way the builder reads it: comment lines dropped (also inside continuations), lines ending
 * in a backslash joined, one instruction per logical line, grouped into build stages by FROM.
 */
record Dockerfile(List<Stage> stages) {

    record Instruction(String keyword, String arguments) {
        /** The arguments of the exec (JSON array) form. */
        List<String> execForm() {
            try {
                return new ObjectMapper().readValue(arguments, new TypeReference<List<String>>() { });
            } catch (Exception e) {
                throw new AssertionError(keyword + " is not in exec (JSON array) form: " + arguments, e);
            }
        }
    }

    record Stage(String image, String name, List<Instruction> instructions) {
        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        Instruction one(String keyword) {
            List<Instruction> found = all(keyword);
            if (found.size() != 1) {
                throw new AssertionError("stage " + name + ": expected one " + keyword + ", found " + found.size());
            }
            return found.get(0);
        }
    }

    static Dockerfile parse(Path file, String text) {
        List<String> logical = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            if (!current.toString().isBlank()) {
                logical.add(current.toString().trim().replaceAll("\\s+", " "));
            }
            current.setLength(0);
        }
        if (!current.toString().isBlank()) {
            throw new AssertionError(file + ": ends inside a continued line");
        }
        List<Stage> stages = new ArrayList<>();
        for (String line : logical) {
            int space = line.indexOf(' ');
            String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
            String arguments = space < 0 ? "" : line.substring(space + 1).trim();
            if (keyword.equals("FROM")) {
                String[] words = arguments.split(" ");
                String name = words.length == 3 && words[1].equalsIgnoreCase("AS") ? words[2] : "stage" + stages.size();
                stages.add(new Stage(words[0], name, new ArrayList<>()));
            } else if (stages.isEmpty()) {
                throw new AssertionError(file + ": " + keyword + " before the first FROM");
            } else {
                stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, arguments));
            }
        }
        return new Dockerfile(stages);
    }

    Stage stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no build stage " + name));
    }

    Stage runtime() {
        return stages.get(stages.size() - 1);
    }
}
